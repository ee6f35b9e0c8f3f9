"""Personal data masked by field wherever it occurs: a byte scan of the browse copy and of
`jijiao export` for every personal value of the source files, however it was typed."""

from __future__ import annotations

import asyncio
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from jijiao import importing, personal, publish, storage
from jijiao.cli import cli
from jijiao.datasette.server import make_datasette

IDS = ["11010519491231002X", "21010219820315002X"]
SPACED_ID = "1101 0519 4912 3100 2X"
DASHED_PHONE = "138-0000-0002"
SHORT_PHONE = "8888000"
MOBILES = ["13800000001", "13900000009"]


def personal_values() -> list[str]:
    """Every personal value as typed, and as bare digits (what a pattern would look for)."""
    typed = [*IDS, SPACED_ID, DASHED_PHONE, SHORT_PHONE, *MOBILES, "13722223333"]
    return typed + [re.sub(r"[ -]", "", v) for v in typed]


@pytest.fixture
def office(tmp_path):
    db = storage.connect(tmp_path / "office.db")
    people = tmp_path / "practitioners.csv"
    people.write_text(
        "人员编号,姓名,执业地区,身份证号,联系电话,职称\n"
        f"P1,甲,210000,{IDS[0]},{MOBILES[0]},初级\n"
        f"P2,乙,210000,{IDS[1]},{SHORT_PHONE},初级\n"
        f"P3,丙,210000,{SPACED_ID},{DASHED_PHONE},博士\n"  # refused (title): raw row kept
        f'P4,丁,210000,{IDS[1]},"{MOBILES[1]}\n',  # an unclosed quote: raw row kept
        "utf-8",
    )
    importing.import_file(db, people)
    corrected = tmp_path / "practitioners-v2.csv"
    corrected.write_text(  # P1's phone changes: the earlier one is in import_changes.before
        "人员编号,姓名,执业地区,身份证号,联系电话,职称\n"
        f"P1,甲,210000,{IDS[0]},{MOBILES[1]},初级\nP2,乙,210000,{IDS[1]},{SHORT_PHONE},初级\n", "utf-8")
    assert importing.import_file(db, corrected, source=str(people)).difference.counts["changed"] == 1
    projects = tmp_path / "projects.jsonl"
    projects.write_text(
        json.dumps({"id": "X1", "level": "无此级别", "application": {"leader_phone": "13722223333"}}, ensure_ascii=False) + "\n"
        + f'{{"id": "X2", "application_leader_phone": "{MOBILES[0]}", \n', "utf-8")  # cut off: not JSON
    importing.import_file(db, projects)
    assert db.execute("SELECT count(*) FROM import_errors").fetchone()[0] == 4
    db.close()
    return tmp_path / "office.db", tmp_path


def leaks(data: bytes) -> list[str]:
    return [v for v in personal_values() if v.encode() in data]


def test_masks_work_by_field_whatever_the_value_looks_like():
    assert personal.mask_id_number(SPACED_ID) == "1101**********002X"
    assert personal.mask_phone(DASHED_PHONE) == "138****0002"
    assert personal.mask_phone(SHORT_PHONE) == "*****00"
    assert personal.mask_raw_row("not json at all 11010519491231002X").startswith("（原始行无法按字段读取")


def test_the_browse_copy_holds_no_personal_value_in_any_byte(office):
    source, _tmp = office
    wal = Path(str(source) + "-wal")
    assert leaks(source.read_bytes() + (wal.read_bytes() if wal.exists() else b""))  # the source has them
    copy, _built = publish.build_browse_copy(source, force=True)
    assert not leaks(copy.read_bytes())
    ds = make_datasette(copy)
    for page in ("/jijiao/import_errors.json?_shape=array", "/jijiao/import_changes.json?_shape=array",
                 "/jijiao/practitioners.csv", "/jijiao/import_errors"):
        response = asyncio.run(ds.client.get(page))
        assert response.status_code == 200 and not leaks(response.content), page


def export_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return b"".join(archive.read(n) for n in archive.namelist())


def test_export_masks_personal_data_unless_asked(office):
    source, tmp = office
    tables = ["--table", "import_errors", "--table", "import_changes", "--table", "practitioners"]
    masked = CliRunner().invoke(cli, ["export", "--db", str(source), "--out", str(tmp / "masked.xlsx"), *tables])
    assert masked.exit_code == 0, masked.output
    assert not leaks(export_bytes(tmp / "masked.xlsx"))
    full = CliRunner().invoke(cli, ["export", "--db", str(source), "--out", str(tmp / "full.xlsx"), "--include-personal-data", *tables])
    assert full.exit_code == 0, full.output
    assert IDS[0].encode() in export_bytes(tmp / "full.xlsx")

