"""The store's writing contract that index runs rely on: a batch (works, failures, finished
files) is one transaction; a failure never removes a stored work; keys of a file are found by
prefix; removing a key removes all of it."""

from __future__ import annotations

import sqlite3

import pytest

from ficlens.corpus.engines import stats_pipeline
from ficlens.corpus.rows import build_record
from ficlens.corpus.store import FailureRow, SourceRow, open_store
from ficlens.pipeline import AnalysisConfig
from ficlens.read import read_text


def _record(key: str, text: str = "A short story, told plainly."):
    work = read_text(text, work_id=key.rsplit("/", 1)[-1])
    return build_record(stats_pipeline(AnalysisConfig())(work), key)


def test_a_batch_is_one_transaction(tmp_path):
    store = open_store(tmp_path / "c.db")
    good = _record("/in/a.txt")
    bad = _record("/in/b.txt")
    bad.work["title"] = object()  # not storable: the INSERT fails mid-batch
    with pytest.raises(sqlite3.ProgrammingError, match="not supported"):
        store.write([good, bad], [FailureRow("/in/c.txt", "c.txt", "empty")],
                    [SourceRow("/in/a.txt", 1, 2, "", "ab", 1)])  # fmt: skip
    assert store.count("works") == store.count("failures") == store.count("sources") == 0
    store.write([good], sources=[SourceRow("/in/a.txt", 1, 2, "", "ab", 1)])
    assert store.count("works") == 1 and store.source("/in/a.txt") == SourceRow("/in/a.txt", 1, 2, "", "ab", 1)
    store.close()


def test_a_failure_keeps_the_stored_work_and_a_later_success_clears_it(tmp_path):
    store = open_store(tmp_path / "c.db")
    store.write([_record("/in/a.txt")])
    store.write([], [FailureRow("/in/a.txt", "a.txt", "now unreadable")])
    assert store.count("works") == 1 and store.failed() == {"/in/a.txt": "now unreadable"}
    store.write([_record("/in/a.txt", "Mended at last.")])
    assert store.failed() == {}
    # a container that failed as a whole is cleared once all of it is read
    store.write([], [FailureRow("/in/d.zip", "d.zip", "truncated")])
    store.write([_record("/in/d.zip!x.txt")], sources=[SourceRow("/in/d.zip", 5, 6, "", "cd", 1)])
    assert store.failed() == {}
    store.close()


def test_stored_hashes_are_the_works_of_one_file(tmp_path):
    store = open_store(tmp_path / "c.db")
    keys = ["/in/x.jsonl", "/in/x.jsonl:2", "/in/x.jsonl!m.txt", "/in/x.jsonl2", "/in/x.jsonlz:1", "/in/w.txt"]
    store.write([_record(k, f"Story {i}.") for i, k in enumerate(keys)])
    assert set(store.stored_hashes("/in/x.jsonl")) == {"/in/x.jsonl", "/in/x.jsonl:2", "/in/x.jsonl!m.txt"}
    assert store.stored_hashes("/in/x.jsonl", version="0.0.0-other") == {}
    assert store.stored_hash("/in/w.txt") == store.stored_hashes("/in/w.txt")["/in/w.txt"]
    store.close()


def test_remove_takes_a_key_out_of_every_table(tmp_path):
    store = open_store(tmp_path / "c.db")
    store.write([_record("/in/a.txt")], [FailureRow("/in/b.txt", "b.txt", "bad")],
                [SourceRow("/in/a.txt", 1, 2, "", "ab", 1)])  # fmt: skip
    assert sorted(store.stored_keys()) == [("/in/a.txt", False), ("/in/a.txt", True), ("/in/b.txt", False)]
    assert store.remove(["/in/a.txt", "/in/b.txt"]) == 1
    assert list(store.stored_keys()) == []
    for table in ("texts", "quote_texts", "minhashes", "lsh_bands", "parts"):
        assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    store.close()


def test_new_database_is_wal_and_opens_in_plain_sqlite(tmp_path):
    open_store(tmp_path / "c.db").close()
    conn = sqlite3.connect(tmp_path / "c.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = {row[1] for row in conn.execute("PRAGMA table_info(sources)")}
    assert {"path", "size", "mtime_ns", "sha256", "works", "ficlens_version"} <= columns
    conn.close()
