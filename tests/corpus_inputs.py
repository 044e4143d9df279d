"""Small corpora for the index tests, made from the repo's examples (written by us / public domain).

Not a test module: helpers the corpus tests share so that each builds its inputs in a tmp dir.
"""

from __future__ import annotations

import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STATS = "ficlens.corpus.engines:stats_pipeline"  # counts only: for tests where NLP is not the point


def example_paragraphs() -> list[str]:
    from ficlens.read import read

    paragraphs: list[str] = []
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix in (".txt", ".html"):
            paragraphs += [p.strip() for p in re.split(r"\n\s*\n", read(path).text) if len(p.split()) > 3]
    return paragraphs


def example_pieces(dest: Path, words: int = 150, limit: int | None = None) -> list[Path]:
    """The examples cut into pieces of about `words` words, one .txt file each, in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    pieces, current = [], []
    for paragraph in example_paragraphs():
        current.append(paragraph)
        if sum(len(p.split()) for p in current) >= words:
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    paths = []
    for i, piece in enumerate(pieces[:limit]):
        path = dest / f"piece-{i:03d}.txt"
        path.write_text(f"Title: Piece {i}\n\n" + "\n\n".join(piece) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def tiny_works(dest: Path, count: int) -> list[Path]:
    """`count` distinct two-sentence texts (for stats-only runs: speed of the machinery, not NLP)."""
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = dest / f"w{i:05d}.txt"
        path.write_text(
            f"Work number {i} begins here.\n\nIt ends {i * 7 % 13} lines later, as works do.\n", encoding="utf-8"
        )
        paths.append(path)
    return paths


def failing_pipeline(config):
    """Counts words, and raises (a bug in a component) on a work that says BOOM."""
    from ficlens.corpus.engines import stats_pipeline
    from ficlens.pipeline import Pipeline

    def explode(analysis):
        if "BOOM" in analysis.work.text:
            raise RuntimeError("component exploded")

    return Pipeline([*stats_pipeline(config).components, ("explode", explode)], config)


def dying_pipeline(config):
    """Counts words, and kills its own worker process (as the OOM killer would) on a work that says DIE."""
    import os

    from ficlens.corpus.engines import stats_pipeline
    from ficlens.pipeline import Pipeline

    def die(analysis):
        if "DIE" in analysis.work.text:
            os._exit(9)

    return Pipeline([*stats_pipeline(config).components, ("die", die)], config)
