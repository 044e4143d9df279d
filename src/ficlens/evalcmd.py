"""Running the evaluations: ficlens analyses each gold document exactly as a user's file.

Kept out of cli.py so the library can run an evaluation too (e.g. from a notebook). `split`
("tune", "check" or None/"all") picks a stable half of the documents (see eval/split.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .pipeline import AnalysisConfig, Pipeline, shared_pipeline
from .read import read

if TYPE_CHECKING:  # the scorers are imported when an evaluation runs
    from .eval.litbank import LitBankReport
    from .eval.pdnc import PDNCReport
    from .eval.tags import TagReport


class Report(Protocol):
    """What every evaluation report gives the CLI: its JSON form and its text table."""

    def to_dict(self) -> dict[str, Any]: ...

    def to_text(self) -> str: ...


def run_litbank(
    directory: Path, limit: int | None = None, pipeline: Pipeline | None = None, split: str | None = None
) -> LitBankReport:
    from .eval.litbank import evaluate_litbank

    pipeline = pipeline or shared_pipeline()
    return evaluate_litbank(
        directory, lambda path: pipeline(read(path)).to_dict(include_text=False), limit=limit, split=split
    )


def run_pdnc(
    directory: Path,
    with_cast: bool,
    limit: int | None = None,
    pipeline: Pipeline | None = None,
    split: str | None = None,
) -> PDNCReport:
    from .eval.pdnc import evaluate_pdnc

    pipeline = pipeline or shared_pipeline()

    def analyze(path: Path, cast: Path | None) -> dict[str, Any]:
        runner = pipeline.with_config(AnalysisConfig(characters_file=cast)) if cast else pipeline
        return runner(read(path)).to_dict(include_text=False)

    return evaluate_pdnc(directory, analyze, with_cast=with_cast, limit=limit, split=split)


def run_tags(
    directory: Path, limit: int | None = None, pipeline: Pipeline | None = None, split: str | None = None
) -> TagReport:
    from .eval.tags import evaluate_tags

    pipeline = pipeline or shared_pipeline()
    return evaluate_tags(
        directory,
        lambda work: pipeline(work).to_dict(include_text=False),
        kb=pipeline.resources.kb,
        limit=limit,
        split=split,
    )
