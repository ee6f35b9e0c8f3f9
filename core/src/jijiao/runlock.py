"""One assessment at a time per database, its scratch space beside the database, and workers
that do not outlive their parent.

- **The run lock.** ``<db>.assess.lock`` beside the database, held with ``flock`` for the whole
  run and naming it (run, year, process, start time). A second ``assess`` on the same database
  refuses at once with one line naming the run in progress (`RunInProgress`), instead of
  waiting on SQLite's write lock and dying of "database is locked". The kernel releases the
  lock when the process ends, however it ends (``kill -9`` included), so a killed run never
  blocks the next one. (The ``runs`` row of a run in progress, status ``running``, is inside
  the run's own transaction, so other processes cannot see it: hence the file.)
- **Scratch space.** Worker processes write their partitions under ``<db>.scratch/`` -- beside
  the database, on its disk, not in a /tmp that may be small or shared -- in one folder per
  run. A killed run leaves its folder; the next run removes every folder there, which is safe
  because it holds the run lock.
- **Workers die with their parent** (`exit_with_parent`): on Linux the kernel sends them
  SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``); everywhere they also check that
  their parent is still the one that forked them as they go.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import sys
import tempfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

PR_SET_PDEATHSIG = 1  # linux/prctl.h
_HELD: list = []  # the lock files this process holds (a forked worker closes its copies)


class RunInProgress(RuntimeError):
    """Another assessment holds this database's run lock."""


def lock_path(database: str | Path) -> Path:
    database = Path(database)
    return database.with_name(database.name + ".assess.lock")


def scratch_root(database: str | Path) -> Path:
    database = Path(database)
    return database.with_name(database.name + ".scratch")


@contextmanager
def run_lock(database: str | Path | None, name: str, year: int):
    """Hold the database's run lock for the block; raise `RunInProgress` if another run holds it.
    ``database`` None (an in-memory database): nothing to lock."""
    if database is None:
        yield
        return
    import fcntl

    path = lock_path(database)
    handle = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            try:
                other = json.loads(handle.read() or "{}")
            except ValueError:
                other = {}
            raise RunInProgress(
                f"{database}: 另一个评定正在运行（运行「{other.get('name', '?')}」{other.get('year', '?')} 年度，"
                f"进程 {other.get('pid', '?')}，开始于 {other.get('started', '?')}）；请等它结束后再运行"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"name": name, "year": year, "pid": os.getpid(),
                                 "started": datetime.now().isoformat(timespec="seconds")}, ensure_ascii=False))
        handle.flush()
        _HELD.append(handle)
        yield
    finally:
        if handle in _HELD:
            _HELD.remove(handle)
        handle.close()  # releases the lock


@contextmanager
def scratch(database: str | Path | None):
    """A fresh folder for this run's worker files, beside the database (stale ones removed);
    the system's temporary folder for an in-memory database. Call while holding `run_lock`."""
    if database is None:
        with tempfile.TemporaryDirectory(prefix="jijiao-run-") as folder:
            yield Path(folder)
        return
    root = scratch_root(database)
    remove_stale(root)
    root.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="run-", dir=root) as folder:
        yield Path(folder)


def remove_stale(root: Path) -> list[Path]:
    """Remove what killed runs left in the scratch folder; returns what was removed."""
    removed = []
    if root.is_dir():
        for entry in root.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def exit_with_parent(parent: int) -> None:
    """In a forked worker: be killed when the parent dies (Linux), and exit now if it already has.
    The worker also closes its inherited copy of the run lock, so that only the parent holds it."""
    for handle in _HELD:
        try:
            os.close(handle.fileno())
        except OSError:
            pass
    _HELD.clear()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    parent_gone(parent)


def parent_gone(parent: int) -> None:
    """Exit the worker at once if its parent is no longer the process that forked it."""
    if os.getppid() != parent:
        os._exit(1)
