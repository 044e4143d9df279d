"""`ficlens index` / `Corpus.index`: every option and every bad input, on tiny inputs.

Most runs use the stats-only pipeline (the machinery is the point, not the NLP); one indexes the
examples with the full pipeline and checks each stored profile against `analyze`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import sys
import zipfile
from pathlib import Path

import pytest
from corpus_inputs import EXAMPLES, STATS, tiny_works

from ficlens.cli import main
from ficlens.corpus import Corpus, NotACorpus
from ficlens.corpus.schema import APPLICATION_ID
from ficlens.corpus.store import EXIT_DATABASE


def _index(db: Path, paths, **options):
    options.setdefault("pipeline", STATS)
    options.setdefault("jobs", 2)
    with Corpus(db) as corpus:
        return corpus.index([str(p) for p in paths], **options)


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _ids(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT source_key, id FROM works"))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_examples_with_the_full_pipeline_match_analyze(tmp_path, pipeline):
    from ficlens.read import iter_works

    db = tmp_path / "corpus.db"
    code, _, err = _cli("index", str(EXAMPLES), "--db", str(db), "-j", "1")
    assert code == 0, err
    assert "4 analysed, 0 skipped unchanged, 0 failed" in err
    with Corpus(db, readonly=True) as corpus:
        for work in iter_works(EXAMPLES):
            key = str(Path(work.source).resolve())
            assert corpus.profile(key) == json.loads(json.dumps(pipeline(work).to_dict()))
        assert {w.title for w in corpus.works()} >= {"The Lighthouse Keeper"}
        assert corpus.sql("SELECT count(*) AS n FROM quotes")[0]["n"] > 50


def test_rerun_skips_unchanged_without_reading(tmp_path):
    works = tiny_works(tmp_path / "in", 40)
    db = tmp_path / "c.db"
    first = _index(db, [tmp_path / "in"])
    assert (first.analysed, first.skipped, first.failed) == (40, 0, 0)
    assert first.words == sum(len(p.read_text().split()) for p in works)
    again = _index(db, [tmp_path / "in"])
    assert (again.analysed, again.skipped, again.failed) == (0, 40, 0)
    assert again.worker_rss == {}  # no worker was even started: the fingerprints sufficed


def test_touched_but_unchanged_file_is_not_analysed_again(tmp_path):
    works = tiny_works(tmp_path / "in", 3)
    db = tmp_path / "c.db"
    _index(db, [tmp_path / "in"])
    os.utime(works[0], ns=(1, 1))  # new mtime, same bytes
    report = _index(db, [tmp_path / "in"])
    assert (report.analysed, report.skipped) == (0, 3)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT mtime_ns FROM sources WHERE path = ?", (str(works[0]),)).fetchone()[0] == 1


def test_changed_file_is_reanalysed_and_keeps_its_id(tmp_path):
    works = tiny_works(tmp_path / "in", 3)
    db = tmp_path / "c.db"
    _index(db, [tmp_path / "in"])
    ids = _ids(db)
    works[1].write_text("A different story now, longer than before by several words.\n", encoding="utf-8")
    report = _index(db, [tmp_path / "in"])
    assert (report.analysed, report.skipped) == (1, 2)
    assert _ids(db) == ids
    with Corpus(db) as corpus:
        assert corpus.work(str(works[1])).words == 10


def test_reanalyse_forces_every_work(tmp_path):
    tiny_works(tmp_path / "in", 5)
    db = tmp_path / "c.db"
    _index(db, [tmp_path / "in"])
    ids = _ids(db)
    report = _index(db, [tmp_path / "in"], reanalyse=True)
    assert (report.analysed, report.skipped) == (5, 0)
    assert _ids(db) == ids
    code, _, err = _cli("index", str(tmp_path / "in"), "--db", str(db), "--reanalyse", "--pipeline", STATS)
    assert code == 0 and "5 analysed, 0 skipped unchanged" in err


def test_containers_spread_over_workers_and_skip_per_member(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = [json.dumps({"title": f"Line {i}", "text": f"Story {i} of the dump, told briefly."}) for i in range(6)]
    (inputs / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with zipfile.ZipFile(inputs / "batch.zip", "w") as zf:
        zf.writestr("a.txt", "The first zipped story.")
        zf.writestr("b.txt", "The second zipped story, a little longer.")
    db = tmp_path / "c.db"
    report = _index(db, [inputs])
    assert (report.analysed, report.failed) == (8, 0)
    keys = set(_ids(db))
    assert f"{inputs / 'dump.jsonl'}:3" in keys and f"{inputs / 'batch.zip'}!b.txt" in keys
    lines[2] = json.dumps({"title": "Line 2", "text": "Story two, rewritten."})
    (inputs / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = _index(db, [inputs])
    assert (report.analysed, report.skipped) == (1, 7)  # only the changed line
    assert _index(db, [inputs]).skipped == 8


def test_bad_inputs_are_recorded_skipped_and_cleared_when_fixed(tmp_path):
    inputs = tmp_path / "in"
    tiny_works(inputs, 2)
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    (inputs / "dump.jsonl").write_text('{"text": "A fine story."}\nnot json at all\n', encoding="utf-8")
    db = tmp_path / "c.db"
    code, _, err = _cli("index", str(inputs), "--db", str(db), "--pipeline", STATS)
    assert code == 3  # partial
    assert "empty.txt" in err and "dump.jsonl:2" in err
    assert "3 analysed, 0 skipped unchanged, 2 failed" in err
    with Corpus(db) as corpus:
        failures = {Path(f["source"]).name: f["reason"] for f in corpus.failures()}
    assert set(failures) == {"empty.txt", "dump.jsonl:2"} and all("\n" not in r for r in failures.values())
    (inputs / "empty.txt").write_text("Not empty any more.", encoding="utf-8")
    (inputs / "dump.jsonl").write_text('{"text": "A fine story."}\n{"text": "Mended."}\n', encoding="utf-8")
    code, _, err = _cli("index", str(inputs), "--db", str(db), "--pipeline", STATS)
    assert code == 0, err
    with Corpus(db) as corpus:
        assert corpus.failures() == [] and len(corpus) == 5


def test_nothing_readable_exits_4(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    code, _, err = _cli("index", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "c.db"), "--pipeline", STATS)
    assert code == 4 and "empty.txt" in err
    code, _, err = _cli("index", str(tmp_path / "nowhere"), "--db", str(tmp_path / "c.db"))
    assert code == 4 and "no such file" in err


def test_a_component_crashing_on_one_work_fails_that_work_only(tmp_path):
    tiny_works(tmp_path / "in", 4)
    (tmp_path / "in" / "bad.txt").write_text("This one goes BOOM.", encoding="utf-8")
    report = _index(tmp_path / "c.db", [tmp_path / "in"], pipeline="corpus_inputs:failing_pipeline")
    assert (report.analysed, report.failed) == (4, 1)
    assert "bad.txt: internal error: RuntimeError('component exploded')" in report.failures[0][0]


def test_a_worker_process_dying_does_not_hang_the_run(tmp_path):
    tiny_works(tmp_path / "in", 6)
    (tmp_path / "in" / "fatal.txt").write_text("This one makes its worker DIE.", encoding="utf-8")
    report = _index(tmp_path / "c.db", [tmp_path / "in"], pipeline="corpus_inputs:dying_pipeline")
    assert (report.analysed, report.failed) == (6, 1)
    assert "fatal.txt" in report.failures[0][0] and "worker process died" in report.failures[0][0]
    with Corpus(tmp_path / "c.db") as corpus:
        assert [Path(f["source"]).name for f in corpus.failures()] == ["fatal.txt"]


def test_removed_inputs_are_kept_unless_pruned(tmp_path):
    works = tiny_works(tmp_path / "in", 4)
    db = tmp_path / "c.db"
    _index(db, [tmp_path / "in"])
    works[0].unlink()
    code, _, err = _cli("index", str(tmp_path / "in"), "--db", str(db), "--pipeline", STATS)
    assert code == 0 and "1 stored work(s) whose input is gone kept (--prune removes them)" in err
    assert len(_ids(db)) == 4
    code, _, err = _cli("index", str(tmp_path / "in"), "--db", str(db), "--prune", "--pipeline", STATS)
    assert code == 0 and "1 work(s) whose input is gone removed" in err
    assert str(works[0]) not in _ids(db) and len(_ids(db)) == 3
    # works indexed from elsewhere are not the run's to prune
    other = tiny_works(tmp_path / "other", 1)
    _index(db, [tmp_path / "other"])
    _index(db, [tmp_path / "in"], prune=True)
    assert str(other[0]) in _ids(db)


@pytest.mark.parametrize("kind", ["sqlite", "text", "newer"])
def test_foreign_or_newer_database_is_refused_untouched(tmp_path, kind):
    db = tmp_path / "not-ours.db"
    if kind == "sqlite":
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE t (x)")
            conn.execute("INSERT INTO t VALUES (1)")
    elif kind == "text":
        db.write_text("just some notes, not a database\n" * 100, encoding="utf-8")
    else:
        _index(db, tiny_works(tmp_path / "in", 1))
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA user_version = 99")
    before = _sha(db)
    tiny_works(tmp_path / "new", 2)
    code, _, err = _cli("index", str(tmp_path / "new"), "--db", str(db), "--pipeline", STATS)
    assert code == EXIT_DATABASE == 6
    assert err.count("\n") == 1 and "left untouched" in err
    assert ("newer ficlens" in err) == (kind == "newer")
    assert _sha(db) == before


def test_directory_as_db_is_refused(tmp_path):
    tiny_works(tmp_path / "in", 1)
    code, _, err = _cli("index", str(tmp_path / "in"), "--db", str(tmp_path), "--pipeline", STATS)
    assert code == 6 and "is a directory" in err


def test_quiet_prints_errors_only(tmp_path):
    tiny_works(tmp_path / "in", 3)
    code, out, err = _cli("index", str(tmp_path / "in"), "--db", str(tmp_path / "c.db"), "-q", "--pipeline", STATS)
    assert (code, out, err) == (0, "", "")
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    code, out, err = _cli("index", str(tmp_path / "in"), "--db", str(tmp_path / "c.db"), "-q", "--pipeline", STATS)
    assert code == 3 and out == "" and err.strip().splitlines() == [err.strip()] and "empty.txt" in err


def test_log_lines_and_summary_when_not_a_terminal(tmp_path):
    tiny_works(tmp_path / "in", 120)
    code, out, err = _cli("index", str(tmp_path / "in"), "--db", str(tmp_path / "c.db"), "--pipeline", STATS)
    assert code == 0 and out == ""
    lines = err.strip().splitlines()
    progress = [line for line in lines if "/120 works" in line]
    assert progress and all("words/s" in line and "failed" in line for line in progress)
    assert lines[-1].startswith("ficlens: 120 analysed, 0 skipped unchanged, 0 failed; ")
    assert "words/s) into " in lines[-1]


def test_option_errors(tmp_path):
    tiny_works(tmp_path / "in", 1)
    base = ["index", str(tmp_path / "in"), "--db", str(tmp_path / "c.db")]
    assert _cli(*base, "-j", "0")[0] == 2
    assert _cli(*base, "--max-file-mb", "0")[0] == 2
    code, _, err = _cli(*base, "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "--engine dask" in err
    code, _, err = _cli(*base, "--pipeline", "no_such_module:thing")
    assert code == 4 and "cannot load" in err
    code, _, err = _cli(*base, "--kb", str(tmp_path / "no-kb"), "--pipeline", STATS)
    assert code != 0 and err.count("\n") == 1


def test_max_file_mb_applies(tmp_path):
    inputs = tmp_path / "in"
    tiny_works(inputs, 1)
    (inputs / "big.txt").write_text("word " * 400_000, encoding="utf-8")  # 2 MB, 400,000 words
    code, _, err = _cli("index", str(inputs), "--db", str(tmp_path / "c.db"), "--max-file-mb", "1", "--pipeline", STATS)
    assert code == 3 and "big.txt" in err and "limit" in err


def test_dask_missing_gives_the_install_hint(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    tiny_works(tmp_path / "in", 1)
    code, _, err = _cli("index", str(tmp_path / "in"), "--db", str(tmp_path / "c.db"), "--engine", "dask")
    assert code == 4 and "pip install 'ficlens[dask]'" in err and err.count("\n") == 1


def test_readonly_corpus_refuses_to_index(tmp_path):
    db = tmp_path / "c.db"
    _index(db, tiny_works(tmp_path / "in", 1))
    with Corpus(db, readonly=True) as corpus, pytest.raises(Exception, match="read-only"):
        corpus.index([str(tmp_path / "in")])
    with pytest.raises(NotACorpus):
        (tmp_path / "x.db").write_bytes(b"garbage" * 100)
        Corpus(tmp_path / "x.db")
    assert APPLICATION_ID == 0x4649434C


def test_the_database_inside_the_inputs_is_not_read(tmp_path, monkeypatch):
    tiny_works(tmp_path, 3)
    monkeypatch.chdir(tmp_path)
    code, _, err = _cli("index", ".", "--pipeline", STATS)  # default --db: ./corpus.db
    assert code == 0, err
    code, _, err = _cli("index", ".", "--pipeline", STATS)
    assert code == 0 and "0 analysed, 3 skipped unchanged, 0 failed" in err
    assert not any("corpus.db" in key for key in _ids(tmp_path / "corpus.db"))


def test_a_terminal_gets_the_rich_bar(tmp_path):
    import pty
    import subprocess

    tiny_works(tmp_path / "in", 30)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "ficlens.cli", "index", str(tmp_path / "in"), "--db",
                             str(tmp_path / "c.db"), "--pipeline", STATS, "-j", "1"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)  # fmt: skip
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    assert proc.wait(timeout=120) == 0
    os.close(master)
    text = output.decode("utf-8", "replace")
    assert "indexing" in text and "30/30" in text and "words/s" in text  # the bar, drawn on the terminal
    assert "30 analysed, 0 skipped unchanged, 0 failed" in text


def test_eta_counts_bytes_not_works():
    from ficlens.corpus.index import IndexReport

    report = IndexReport(db="x", total=100, analysed=1, bytes_total=1000, bytes_done=500)
    assert report.eta(60.0) == 60.0  # half the bytes in a minute: a minute left, though 99 works remain
    assert IndexReport(db="x").eta(5.0) is None
