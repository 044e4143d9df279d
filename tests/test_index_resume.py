"""kill -9 an index run mid-way, run it again, and get what one clean run gets: nothing lost,
duplicated or half-written. Real processes, the full pipeline, the examples cut into pieces."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from corpus_inputs import example_pieces

from ficlens.corpus.rows import unpack_profile

CHILD_TABLES = ("parts", "characters", "quotes", "relationships", "tags", "audit", "minhashes", "lsh_bands")


def _index(inputs: Path, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ficlens.cli", "index", str(inputs), "--db", str(db), "-j", "2",
         "--commit-every", "3", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def _live_group(pgid: int) -> list[int]:
    """Processes of a process group that are still running (not zombies)."""
    live = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                live.append(int(entry.name))
    return live


def _works(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM works").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def _contents(db: Path) -> dict:
    """Everything stored, by source key, without the timestamps."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    works = {}
    for wid, key, digest, blob in conn.execute("SELECT id, source_key, content_hash, profile FROM works"):
        rows = {t: conn.execute(f"SELECT count(*) FROM {t} WHERE work = ?", (wid,)).fetchone()[0] for t in CHILD_TABLES}
        texts = conn.execute("SELECT count(*) FROM texts WHERE work = ?", (wid,)).fetchone()[0]
        works[key] = (digest, unpack_profile(blob), rows, texts)
    failures = conn.execute("SELECT count(*) FROM failures").fetchone()[0]
    sources = conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    conn.close()
    return {"works": works, "failures": failures, "sources": sources}


def test_killed_run_resumes_to_the_same_database(tmp_path):
    inputs = tmp_path / "pieces"
    pieces = example_pieces(inputs, words=100, limit=24)
    assert len(pieces) == 24

    clean = tmp_path / "clean.db"
    proc = _index(inputs, clean)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err

    killed = tmp_path / "killed.db"
    proc = _index(inputs, killed)
    deadline = time.monotonic() + 300
    while _works(killed) < 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)  # the writer, mid-run
    proc.wait(timeout=30)
    left = _live_group(proc.pid)
    deadline = time.monotonic() + 20
    while left and time.monotonic() < deadline:  # workers notice the writer is gone and leave
        time.sleep(0.2)
        left = _live_group(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "worker processes outlived the killed writer"
    stored = _works(killed)
    assert 4 <= stored < len(pieces), f"the kill must land mid-run (stored {stored} of {len(pieces)})"
    half = _contents(killed)  # a valid database: every stored work is whole
    assert half["sources"] == stored and half["failures"] == 0
    for digest, profile, rows, texts in half["works"].values():
        assert rows["parts"] == len(profile["parts"]) and rows["quotes"] == len(profile["quotes"]) and texts >= 1

    proc = _index(inputs, killed)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert f"{len(pieces) - stored} analysed, {stored} skipped unchanged, 0 failed" in err

    assert _contents(killed) == _contents(clean)
