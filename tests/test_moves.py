"""`jijiao moves`: an earlier database's records judged again with the installed rules, and
how the verdicts moved (per jurisdiction, from what to what, and the reasons)."""

from datetime import date
from decimal import Decimal

from click.testing import CliRunner

from jijiao import annual, moves, result_texts, storage
from jijiao.cli import cli
from jijiao.models import Activity, Practitioner
from jijiao.plugins import Registry

YEAR = 2026


def earlier_database(path):
    """A database as an earlier version left it: its run said 合格 for a Guangdong year the
    national rules alone would pass and 无法判定 for one definitely short (as under "absent
    is done" / before the national total applied)."""
    db = storage.connect(path)
    tail = ("t", "t", 1, "t")
    people = [Practitioner(id="P1", jurisdiction="440000"), Practitioner(id="P2", jurisdiction="440000"),
              Practitioner(id="P3", jurisdiction="000000")]
    acts = [Activity(id="A1", practitioner="P1", kind="residency_training", year=YEAR, date=date(YEAR, 3, 1)),
            Activity(id="A2", practitioner="P2", kind="project", year=YEAR, project_level="national", project_mode="remote",
                     certified_credits=Decimal(5), facts={"verified_by_province": True}, date=date(YEAR, 3, 1)),
            Activity(id="A3", practitioner="P3", kind="residency_training", year=YEAR, date=date(YEAR, 3, 1))]
    with db.atomic():
        storage.upsert_records(db, "practitioners", [(*storage.codec(db, "practitioners").encode(p), *tail) for p in people])
        storage.upsert_records(db, "activities", [(*storage.codec(db, "activities").encode(a), *tail) for a in acts])
    summary = annual.assess(db, Registry(), YEAR)
    stored = result_texts.stored_table("annual_results")  # verdict is not an interned text
    with db.atomic():
        db.execute(f"UPDATE [{stored}] SET verdict = '合格' WHERE run = ? AND practitioner = 'P1'", (summary.run,))
        db.execute(f"UPDATE [{stored}] SET verdict = '无法判定' WHERE run = ? AND practitioner = 'P2'", (summary.run,))
    db.conn.close()


def test_the_earlier_records_are_judged_again_and_the_moves_counted_with_their_reasons(tmp_path):
    earlier_database(tmp_path / "old.db")
    found = moves.rejudge(tmp_path / "old.db", tmp_path / "now.db", Registry())
    assert found.compared == 3 and found.moved == 2
    assert [(m.jurisdiction, m.before, m.after, m.count) for m in found.moves] == [
        ("440000", "合格", "无法判定", 1), ("440000", "无法判定", "不合格", 1)]
    assert found.moves[0].reasons[0][0].startswith("广东省（N）：未安装该地区的规则插件")
    assert found.moves[1].reasons == (("年度学分：已取得 N / 要求 N 学分，尚缺 N", 1),)
    old = storage.connect(tmp_path / "old.db")  # only read: its run is as it was
    assert [r[0] for r in old.execute("SELECT name FROM runs")] == ["baseline"]


def test_the_command_prints_the_moves_and_a_missing_database_is_one_line(tmp_path):
    earlier_database(tmp_path / "old.db")
    result = CliRunner().invoke(cli, ["moves", "--against", str(tmp_path / "old.db"), "--copy", str(tmp_path / "now.db")])
    assert result.exit_code == 0, result.output
    assert "3 人中 2 人的结论不同" in result.output
    assert "广东省（440000）：无法判定→不合格 1 人" in result.output
    bad = CliRunner().invoke(cli, ["moves", "--against", str(tmp_path / "nope.db")])
    assert bad.exit_code == 1 and "no such database" in bad.output


def test_a_what_if_is_judged_again_with_its_own_settings(tmp_path):
    """`--run <a what-if>`: its records judged again under the installed rules *and the what-if's
    settings* -- with the rules unchanged nothing moves (not: every year its setting reached
    moved back to the default's verdict, as if the rules had changed)."""
    from jijiao import demo

    db = storage.connect(tmp_path / "old.db")
    demo.build(db, 200, 1, YEAR)
    annual.assess(db, Registry(), YEAR, workers=1)
    what_if = annual.assess(db, Registry(), YEAR, settings={"liaoning.annual_credits": "30"})
    moved_by_it = db.execute("""SELECT count(*) FROM annual_results w JOIN annual_results b
                                ON b.run = 1 AND b.practitioner = w.practitioner
                                WHERE w.run = ? AND w.verdict <> b.verdict""", (what_if.run,)).fetchone()[0]
    assert moved_by_it > 0  # (the setting matters)
    db.conn.close()
    found = moves.rejudge(tmp_path / "old.db", tmp_path / "now.db", Registry(), what_if.name)
    assert found.compared == 200 and found.moved == 0, [(m.before, m.after, m.count) for m in found.moves]
    now = storage.connect(tmp_path / "now.db")
    assert now.execute("SELECT overrides FROM runs WHERE id = ?", (found.run["id"],)).fetchone()[0] == \
        '{"liaoning.annual_credits": "30"}'


def test_a_what_if_setting_the_installed_rules_lack_is_one_line(tmp_path):
    earlier_database(tmp_path / "old.db")
    db = storage.connect(tmp_path / "old.db")
    with db.atomic():
        db.execute("""UPDATE runs SET name = 'gone', overrides = '{"liaoning.no_such_number": "1"}'""")
    db.conn.close()
    result = CliRunner().invoke(cli, ["moves", "--against", str(tmp_path / "old.db"), "--copy", str(tmp_path / "now.db"),
                                      "--run", "gone"])
    assert result.exit_code == 1 and "运行「gone」的参数调整无法按现行规则使用" in result.output, result.output
    assert "Traceback" not in result.output
