"""What `search`, `similar` and `duplicates` share: opening the database read-only, and printing
results as text, JSON or CSV. Not a subcommand (it is not in COMMAND_MODULES)."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence, TextIO

if TYPE_CHECKING:
    from ..corpus import Corpus

OUTPUT_FORMATS = ("text", "json", "csv")


def add_db_and_format(parser: Any) -> None:
    parser.add_argument("--db", type=Path, default=Path("corpus.db"), help="the corpus database (default: corpus.db)")
    parser.add_argument("-f", "--format", choices=OUTPUT_FORMATS, default="text", help="output format (default: text)")


def open_corpus(path: Path) -> Corpus:
    from ..corpus import Corpus

    return Corpus(path, readonly=True)


def plain(segments: Sequence[tuple[str, bool]], mark: tuple[str, str] = ("", "")) -> str:
    """Snippet segments as one line of text, matches between `mark`."""
    return "".join(f"{mark[0]}{text}{mark[1]}" if is_match else text for text, is_match in segments)


def jsonable(value: Any) -> Any:
    return asdict(value) if is_dataclass(value) and not isinstance(value, type) else value


def write_json(out: TextIO, value: Any) -> None:
    out.write(json.dumps(value, ensure_ascii=False, indent=2, default=jsonable) + "\n")


def write_csv(out: TextIO, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def label(work: int, title: str | None) -> str:
    return f"[{work}] {title or '(untitled)'}"
