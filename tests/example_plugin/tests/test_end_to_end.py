"""The example plugin's vocabulary through the whole host, with no change to core: files in its own
columns import, the year is assessed, and Datasette shows its columns with Chinese labels."""

from pathlib import Path

import sqlite_utils
from click.testing import CliRunner

from jijiao.cli import cli
from jijiao.datasette.metadata import column_titles

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def jijiao(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_files_import_assess_and_show_with_chinese_labels(tmp_path, jijiao_registry):
    db_path = tmp_path / "zj.db"
    jijiao("import", "--db", db_path, EXAMPLES / "practitioners.csv", EXAMPLES / "activities.csv", EXAMPLES / "projects.jsonl")
    jijiao("assess", "--db", db_path, "--year", "2026", "--as-of", "2026-12-31")
    db = sqlite_utils.Database(db_path)
    assert [r["zj_service_days"] for r in db.query("SELECT zj_service_days FROM activities ORDER BY id")] == [3, 8, 2]
    assert db.execute("SELECT count(*) FROM import_errors").fetchone()[0] == 0

    awards = {r["activity"]: r for r in db.query("SELECT activity, credits, jurisdiction FROM credit_awards")}
    assert {a: (r["credits"], r["jurisdiction"]) for a, r in awards.items()} == {
        "ZA1": (3, "330000"), "ZA2": (5, "330000"), "ZA3": (2, "330000")}

    findings = list(db.query("SELECT subject, clause FROM findings WHERE clause LIKE 'example-zj/%'"))
    assert findings == [{"subject": "ZJ-2026-002", "clause": "example-zj/三"}]

    assert db.execute("SELECT application_zj_paired_county FROM projects WHERE id = 'ZJ-2026-001'").fetchone()[0] == "淳安县"

    titles = column_titles(jijiao_registry)
    assert titles["activities"]["zj_service_days"] == "巡回服务天数（天）"
    assert "结对帮扶县" in titles["projects"]["application_zj_paired_county"]
