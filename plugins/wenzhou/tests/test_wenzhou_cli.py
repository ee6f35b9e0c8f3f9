"""The batch check and the 附件1 form through the `jijiao` command line, as a unit would use them."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from jijiao.cli import cli
from jijiao_wenzhou.summary import COLUMNS, TITLE

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "applications.jsonl"


@pytest.fixture
def runner(jijiao_limit_plugins):
    # Wenzhou's chain as shipped (no 浙江省 plugin), whatever else is installed.
    jijiao_limit_plugins("national", "wenzhou")
    return CliRunner()


def test_batch_check_prints_findings_per_application(runner):
    result = runner.invoke(cli, ["check-project", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    blocks = {}
    current = None
    for line in result.output.splitlines():
        if not line.startswith("  "):
            current = line.split()[0]
            blocks[current] = []
        else:
            blocks[current].append(line.strip())
    assert list(blocks) == ["WZ2026-01", "WZ2026-02", "WZ2026-03", "WZ2026-04"]
    # the good application: only the note that Zhejiang's rules were not applied
    assert blocks["WZ2026-01"] == ["[说明] —  浙江省（330000）：未安装该地区的规则插件，其规则未适用"]
    forum = "\n".join(blocks["WZ2026-02"])
    assert "wz-2026-17/一(二)5" in forum and "含有“中国”字样" in forum and "含有“高峰”字样" in forum
    assert "wz-2026-17/一(二)4" in forum and "wz-2026-17/一(四)(学分上限)" in forum
    online = "\n".join(blocks["WZ2026-03"])
    assert "[不予受理] wz-2026-17/二(一)(网上申报)" in online and "实际 2026-03-30 18:01" in online
    assert "[违规] wz-2026-17/一(七)(线上上线)" in online
    incomplete = "\n".join(blocks["WZ2026-04"])
    assert "缺少“外单位学员数”" in incomplete and "缺少“授课教师郑强的专业”" in incomplete


def test_batch_check_as_json_cites_only_listed_clauses(runner):
    from jijiao.plugins import Registry

    result = runner.invoke(cli, ["check-project", "--json", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    registry = Registry()
    cited = [f["clause"] for item in json.loads(result.output) for f in item["findings"] if f["clause"]]
    assert cited, "the bad examples must produce findings"
    for ref in cited:
        assert (ref["document"], ref["clause"]) in {(c.document, c.clause) for c in registry.clauses}


def test_bad_field_is_named(runner, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "X1", "jurisdiction": "330300", "level": "市级", "application": {"outside_trainees": "很多"}}\n'
        '{"id": "X2", "jurisdiction": "330300"}\n',
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["check-project", str(bad)])
    assert result.exit_code == 1
    assert "outside_trainees" in result.output and "Traceback" not in result.output


def test_summary_form_written_by_the_cli_reads_back(runner, tmp_path):
    out = tmp_path / "汇总表.xlsx"
    result = runner.invoke(
        cli,
        ["forms", "make", "wenzhou-summary", "--input", str(EXAMPLES), "--out", str(out),
         "--option", "date=2026-03-28", "--option", "filler=陈晓", "--option", "contact=0577-88813564"],
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == TITLE
    assert rows[1][0] == "项目申报单位（加盖公章）：温州市中心医院"
    assert rows[2][0] == "填报日期：2026 年 3 月 28 日"
    assert rows[3] == COLUMNS
    data = rows[4:8]
    assert [r[0] for r in data] == [1, 2, 3, 4]
    assert data[0][1:] == ("WZ26-0101", "基层慢病管理适宜技术培训班", "王建国", "0577-88880001", "全科医学", 5, 120, "线下", 1)
    assert data[2][8] == "线上" and data[2][6] == 3.5
    assert data[3][9] is None  # not given: left blank, not invented
    assert rows[8][0] == "2025 年完成举办市级继续医学教育项目总数 (4) 项    填报人：陈晓    联系方式：0577-88813564"
    assert len(rows) == 9


def test_summary_form_refuses_an_unknown_option(runner, tmp_path):
    result = runner.invoke(
        cli, ["forms", "make", "wenzhou-summary", "--input", str(EXAMPLES), "--out", str(tmp_path / "x.xlsx"), "--option", "colour=red"]
    )
    assert result.exit_code != 0
    assert "colour" in result.output and "Traceback" not in result.output


def test_a_file_is_one_batch_two_applications_of_one_leader_are_both_refused(runner, tmp_path):
    # 17号 一(一) 每人仅可申请1项: nobody typed 负责人本年申报项目数 = 2; the file shows it.
    lines = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    good = lines[0]
    second = {**good, "id": "WZ2026-05", "name": "社区高血压规范化管理培训班"}
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (good, second)) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["check-project", "--json", str(batch)])
    assert result.exit_code == 0, result.output
    for item in json.loads(result.output):
        refused = [f for f in item["findings"] if f["clause"] and f["clause"]["clause"] == "一(一)(每人一项)"]
        assert [f["severity"] for f in refused] == ["refused"], item["project"]
        other = "WZ2026-05" if item["project"] == "WZ2026-01" else "WZ2026-01"
        assert other in refused[0]["message"]
