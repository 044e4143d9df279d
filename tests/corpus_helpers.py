"""Corpora for the search, similar and duplicates tests, built with the library (no CLI).

`cheap_corpus` uses a stats-only pipeline, so tests can make many works fast; works given as
dicts are read as JSONL records are (title, author, tags, text). `run_cli` runs `ficlens` in
process and returns (exit code, stdout, stderr).
"""

from __future__ import annotations

import io
from pathlib import Path

from ficlens import Corpus
from ficlens.cli import main
from ficlens.corpus import build_record
from ficlens.pipeline import Pipeline
from ficlens.read.jsonl import work_from_record
from ficlens.stats import count_stats


def cheap_records(works: list[dict]) -> list:
    pipeline = Pipeline(components=[("stats", count_stats)])
    records = []
    for n, data in enumerate(works):
        work_id = str(data.get("id", f"w{n}"))
        work = work_from_record(dict(data, id=work_id), source=f"test:{work_id}", work_id=work_id)
        records.append(build_record(pipeline(work), f"test:{work_id}"))
    return records


def cheap_corpus(path: Path, works: list[dict]) -> Path:
    with Corpus(path) as corpus:
        corpus.add(cheap_records(works))
    return path


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()
