"""`--engine dask` on a real 2-worker LocalCluster: same database as the local engine, same
resumability, a failing work recorded and the run going on."""

from __future__ import annotations

import json
import sqlite3

import pytest
from corpus_inputs import tiny_works

from ficlens.corpus import Corpus

pytest.importorskip("distributed")


def _rows(db):
    with sqlite3.connect(db) as conn:
        works = conn.execute(
            "SELECT source_key, content_hash, words, work_id FROM works ORDER BY source_key"
        ).fetchall()
        failures = conn.execute("SELECT source_key, reason FROM failures ORDER BY source_key").fetchall()
    return works, failures


def test_dask_engine_indexes_like_the_local_engine(tmp_path):
    inputs = tmp_path / "in"
    tiny_works(inputs, 12)
    (inputs / "dump.jsonl").write_text(
        "\n".join(json.dumps({"text": f"Line {i} of a small dump."}) for i in range(4)) + "\n", encoding="utf-8"
    )
    (inputs / "bad.txt").write_text("This one goes BOOM.", encoding="utf-8")
    options = {"pipeline": "corpus_inputs:failing_pipeline", "jobs": 2}

    with Corpus(tmp_path / "dask.db") as corpus:
        report = corpus.index([inputs], engine="dask", **options)
    assert (report.analysed, report.skipped, report.failed) == (16, 0, 1)
    assert report.engine == "dask" and len(report.worker_rss) == 2  # both workers took tasks
    with Corpus(tmp_path / "local.db") as corpus:
        corpus.index([inputs], engine="local", **options)
    assert _rows(tmp_path / "dask.db") == _rows(tmp_path / "local.db")
    assert "RuntimeError('component exploded')" in _rows(tmp_path / "dask.db")[1][0][1]

    (inputs / "w00003.txt").write_text("Changed since the Dask run.", encoding="utf-8")
    with Corpus(tmp_path / "dask.db") as corpus:  # resuming a Dask-made database locally, and back
        report = corpus.index([inputs], engine="local", **options)
        assert (report.analysed, report.skipped, report.failed) == (1, 15, 1)


def test_dask_engine_joins_an_existing_scheduler(tmp_path):
    from distributed import LocalCluster

    tiny_works(tmp_path / "in", 3)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Corpus(tmp_path / "c.db") as corpus:
            report = corpus.index([tmp_path / "in"], engine="dask", scheduler=cluster.scheduler_address,
                                  pipeline="corpus_inputs:failing_pipeline")  # fmt: skip
    assert (report.analysed, report.failed) == (3, 0) and len(report.worker_rss) == 1
