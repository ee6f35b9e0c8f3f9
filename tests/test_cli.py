"""The command line: what people see, and one-line errors for bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from jijiao.cli import cli


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_plugins_lists_the_four_jurisdictions_through_entry_points(jijiao_limit_plugins):
    jijiao_limit_plugins("national", "liaoning", "wenzhou", "changsha")  # no 浙江省 plugin, whatever is installed
    result = run("plugins", "--json")
    assert result.exit_code == 0
    listing = json.loads(result.output)
    assert {p["plugin"] for p in listing["plugins"]} >= {"national", "liaoning", "wenzhou", "changsha"}
    wenzhou = next(p for p in listing["plugins"] if p["plugin"] == "wenzhou")
    assert wenzhou["chain"] == ["全国", "浙江省", "温州市"]
    assert any("浙江省" in m for m in wenzhou["missing_layers"])
    national = next(p for p in listing["plugins"] if p["plugin"] == "national")
    assert national["parameters"]["national.category_makeup_share"]["clause"] == "nhc-2019-702/三(相互补充)"


NATIONAL_REMOTE = {
    "practitioner": {"id": "P1", "jurisdiction": "430100"},
    "activity": {"id": "A1", "kind": "继续医学教育项目", "year": 2026, "project_level": "国家级",
                 "project_mode": "远程", "certified_credits": 2, "verified_by_province": True},
}


def test_credit_explains_and_cites():
    result = run("credit", input=json.dumps(NATIONAL_REMOTE, ensure_ascii=False))
    assert result.exit_code == 0, result.output
    assert "授予 2 学分" in result.output
    assert "nhc-2019-702/一(远程互认)" in result.output
    assert "各地不得直接或变相设置区域准入条件" in result.output


def test_credit_json_output_is_machine_readable():
    result = run("credit", "--json", input=json.dumps(NATIONAL_REMOTE))
    award = json.loads(result.output)
    assert award["status"] == "awarded" and award["credits"] == 2 and award["category"] == "class_i"


def test_year_reports_missing_layers_and_documents():
    data = {"practitioner": {"id": "P1", "jurisdiction": "330300"}, "year": 2026,
            "activities": [{"kind": "进修学习", "months": 6, "passed": True}]}
    result = run("year", input=json.dumps(data, ensure_ascii=False))
    assert result.exit_code == 0, result.output
    assert "合格" in result.output and "视为合格" in result.output
    assert "浙江省" in result.output and "国卫办科教发〔2024〕20号" in result.output


@pytest.mark.parametrize(
    "activity, field",
    [
        ({"kind": "飞行训练"}, "kind"),
        ({"kind": "project", "hours": -3}, "hours"),
        ({"kind": "project", "date": "2026-13-45"}, "date"),
        ({"kind": "project", "hours": "三小时"}, "hours"),
        ({"kind": "project", "year": 1800}, "year"),
        ({"kind": "project", "exam_score_pct": 120}, "exam_score_pct"),
        ({"kind": "project", "no_such_field": 1}, "no_such_field"),
    ],
)
def test_bad_activity_gets_one_line_naming_the_field(activity, field):
    data = {"practitioner": {"id": "P1"}, "activity": {"id": "A1", "year": 2026, **activity}}
    result = run("credit", input=json.dumps(data, ensure_ascii=False))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: activity:"), result.output
    assert f"'{field}'" in lines[0]


def test_unknown_jurisdiction_is_refused_in_one_line():
    result = run("deadlines", "--jurisdiction", "火星市", "--year", "2026")
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: unknown jurisdiction '火星市'")


def test_invalid_json_names_the_file_and_line(tmp_path):
    source = tmp_path / "activity.json"
    source.write_text('{"practitioner": {"id": "P1"},\n "activity": {"kind": }}', encoding="utf-8")
    result = run("credit", str(source))
    assert result.exit_code == 1
    assert f"{source}: line 2: invalid JSON" in result.output


def test_missing_file_and_wrong_encoding(tmp_path):
    assert "no such file" in run("credit", str(tmp_path / "none.json")).output
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes(json.dumps({"活动": "进修学习"}, ensure_ascii=False).encode("gbk"))
    result = run("credit", str(gbk))
    assert result.exit_code == 1 and "not UTF-8" in result.output


def test_unknown_what_if_parameter_is_one_line():
    result = run("credit", "--set", "liaoning.nonsense=3", input=json.dumps(NATIONAL_REMOTE))
    assert result.exit_code == 1 and "unknown parameter 'liaoning.nonsense'" in result.output


def test_steps_catalogue_has_an_example_for_every_step():
    from jijiao.steps import load_catalogue

    catalogue = load_catalogue()
    assert len(catalogue) > 30
    for entry in catalogue:
        assert entry.example.lstrip().startswith(("假如", "而且", "当", "那么")), entry
        assert entry.doc, entry
    output = run("steps").output
    assert '假如 一名在"{地区}"执业的卫生专业技术人员' in output


def test_coverage_reports_the_national_document():
    result = run("coverage", "--json")
    assert result.exit_code == 0, result.output
    documents = {d["document"]: d for d in json.loads(result.output)["documents"]}
    national = documents["nhc-2019-702"]
    assert national["share"] == 1.0 and national["uncovered"] == []


def test_jurisdictions_may_be_given_by_name():
    data = {"practitioner": {"id": "P1", "执业地区": "长沙市"}, "year": 2026, "activities": []}
    result = run("year", "--json", input=json.dumps(data, ensure_ascii=False))
    assert json.loads(result.output)["chain"] == ["000000", "430100"]
    bad = {"practitioner": {"id": "P1", "jurisdiction": "火星市"}, "year": 2026, "activities": []}
    result = run("year", input=json.dumps(bad, ensure_ascii=False))
    assert result.exit_code == 1 and "field 'jurisdiction'" in result.output and "火星市" in result.output
