"""Operations: one assessment at a time, kill -9 leaves the earlier run intact and no worker or
scratch behind, read-only and full disks give one line, serve asks for a password off loopback,
heavy SQL is bounded."""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from jijiao import annual, demo, importing, publish, runlock, storage
from jijiao.cli import cli, registry
from jijiao.datasette.server import ACCOUNT, make_datasette

JIJIAO = str(Path(sys.executable).with_name("jijiao"))


def one_line_error(result) -> str:
    """The error of a failed command: exactly one line, no traceback (a progress bar's label,
    printed before the work began, may precede it)."""
    text = result.output if hasattr(result, "output") else result.stderr + result.stdout
    errors = [line for line in text.splitlines() if line.startswith("Error:")]
    assert "Traceback" not in text, text
    assert len(errors) == 1, text
    return errors[0]


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs (a disk that fills up, and that can be remounted read-only), where the
    machine lets root mount one; skipped elsewhere."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("ops") / "ops.db"
    db = storage.connect(path)
    demo.build(db, 1500, 1, 2026)
    annual.assess(db, registry(), 2026)
    db.close()
    return path


def test_a_second_assess_refuses_naming_the_run_in_progress(demo_db):
    with runlock.run_lock(demo_db, "baseline", 2026):
        result = CliRunner().invoke(cli, ["assess", "--db", str(demo_db), "--year", "2026"])
    assert result.exit_code == 1
    line = one_line_error(result)
    assert "另一个评定正在运行" in line and "baseline" in line and str(os.getpid()) in line


def processes_using(path: Path) -> list[int]:
    """Pids whose command line names ``path`` (forked workers share their parent's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(path).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the workers")
def test_kill_9_during_assess_leaves_the_earlier_run_and_no_worker_and_the_next_start_cleans_up(demo_db):
    db = storage.connect(demo_db)
    before = db.execute("SELECT id, status FROM runs").fetchall()
    counts = db.execute("SELECT count(*) FROM credit_awards").fetchone()[0]
    db.close()
    scratch = runlock.scratch_root(demo_db)
    process = subprocess.Popen([JIJIAO, "assess", "--db", str(demo_db), "--year", "2026", "--name", "killed",
                                "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not list(scratch.glob("run-*/part*.db")):
        time.sleep(0.05)
    assert list(scratch.glob("run-*/part*.db")), "the workers never started"
    left = list(scratch.glob("run-*"))
    assert process.poll() is None, "the run ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)  # while the workers judge their partitions
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and processes_using(demo_db):
        time.sleep(0.1)
    assert processes_using(demo_db) == []  # the workers died with their parent
    db = storage.connect(demo_db)
    assert db.execute("SELECT id, status FROM runs").fetchall() == before  # no trace of the killed run
    assert db.execute("SELECT count(*) FROM credit_awards").fetchone()[0] == counts
    assert all(p.exists() for p in left)  # a killed run leaves its scratch ...
    annual.assess(db, registry(), 2026, name="after", workers=1)
    assert not any(p.exists() for p in left)  # ... which the next start removes
    db.close()


def test_a_full_database_is_one_line(demo_db, tmp_path, monkeypatch):
    """SQLite's "database or disk is full", made by capping the file's pages."""
    path = tmp_path / "full.db"
    storage.connect(path).close()
    connect = storage.connect

    def capped(p):
        db = connect(p)
        db.execute("PRAGMA max_page_count = %d" % db.execute("PRAGMA page_count").fetchone()[0])
        return db

    monkeypatch.setattr(storage, "connect", capped)
    people = tmp_path / "practitioners.csv"
    people.write_text("人员编号,姓名\n" + "".join(f"P{i},{'名' * 200}\n" for i in range(2000)), "utf-8")
    result = CliRunner().invoke(cli, ["import", "--db", str(path), str(people)])
    assert result.exit_code == 1
    assert "磁盘已满" in result.output or "full" in result.output
    result = CliRunner().invoke(cli, ["assess", "--db", str(path), "--year", "2026"])
    assert result.exit_code == 1 and "磁盘已满" in one_line_error(result)


def test_a_really_full_disk_is_one_line(small_disk, tmp_path):
    path = small_disk / "office.db"
    storage.connect(path).close()
    people = tmp_path / "practitioners.csv"
    people.write_text("人员编号,姓名\n" + "".join(f"P{i},{'名' * 100}\n" for i in range(20000)), "utf-8")
    result = subprocess.run([JIJIAO, "import", "--db", str(path), str(people)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "磁盘已满" in one_line_error(result)


def test_a_read_only_database_is_one_line_for_every_command_and_export_still_works(demo_db, small_disk, tmp_path):
    copy = small_disk / "ro.db"
    db = storage.connect(copy)
    (tmp_path / "practitioners.csv").write_text("人员编号,执业地区\nP1,210000\n", "utf-8")
    importing.import_file(db, tmp_path / "practitioners.csv")
    annual.assess(db, registry(), 2026)
    db.close()
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True).returncode == 0
    people = tmp_path / "practitioners-2.csv"
    people.write_text("人员编号\nP2\n", "utf-8")
    commands = [
        ["import", "--db", str(copy), str(people)],
        ["assess", "--db", str(copy), "--year", "2026"],
        ["compare", "--db", str(copy), "--base", "baseline", "--other", "baseline"],
        ["serve", "--db", str(copy), "--port", "0"],
    ]
    for command in commands:
        result = subprocess.run([JIJIAO, *command], capture_output=True, text=True, timeout=60)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "只读" in one_line_error(result), command
    exported = subprocess.run([JIJIAO, "export", "--db", str(copy), "--out", str(tmp_path / "out"), "--table", "runs"],
                              capture_output=True, text=True, timeout=60)
    assert exported.returncode == 0, exported.stderr  # reading needs no write


def test_serve_off_loopback_needs_a_password_or_public(demo_db, tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(demo_db), "--host", "0.0.0.0"], env={"JIJIAO_SERVE_PASSWORD": ""})
    assert result.exit_code == 1 and "--password-file" in one_line_error(result)
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    result = CliRunner().invoke(cli, ["serve", "--db", str(demo_db), "--host", "0.0.0.0", "--password-file", str(empty)])
    assert result.exit_code == 1 and "empty" in one_line_error(result)


def test_a_password_protected_server_refuses_anyone_without_it(demo_db):
    from datasette_auth_passwords.utils import hash_password

    copy, _built = publish.build_browse_copy(demo_db)
    ds = make_datasette(copy, password_hash=hash_password("s3cret"))
    try:
        assert asyncio.run(ds.client.get("/jijiao/practitioners.json")).status_code == 401
        good = "Basic " + base64.b64encode(f"{ACCOUNT}:s3cret".encode()).decode()
        bad = "Basic " + base64.b64encode(f"{ACCOUNT}:guess".encode()).decode()
        assert asyncio.run(ds.client.get("/jijiao/practitioners.json", headers={"Authorization": bad})).status_code == 401
        assert asyncio.run(ds.client.get("/jijiao/practitioners.json", headers={"Authorization": good})).status_code == 200
    finally:
        make_datasette(copy)  # the next servers in this process have no password plugin


def test_heavy_sql_is_bounded(demo_db):
    copy, _built = publish.build_browse_copy(demo_db)
    ds = make_datasette(copy)
    huge = asyncio.run(ds.client.get("/jijiao.json?sql=select+length(randomblob(1000000000))"))
    assert huge.status_code == 400 and "too big" in huge.text.lower()
    many = asyncio.run(ds.client.get("/jijiao.json?sql=select+*+from+credit_awards&_shape=array"))
    assert len(many.json()) <= 1000
    slow = asyncio.run(ds.client.get("/jijiao.json?sql=" + "with+recursive+c(x)+as+(select+1+union+all+select+x%2B1+from+c)+select+count(*)+from+c"))
    assert slow.status_code == 400 and "time" in slow.text.lower()
