"""`ficlens stats --db corpus.db [--fandom F] [-o DIR] [-f csv|json]`: corpus statistics.

Without -o, the tables are printed as text. With -o DIR, every table is written as
`<table>.csv` (or `.json`) and every plot as `<table>.png` and `.svg`; existing files are never
replaced without --force. The tables are `ficlens.corpus.stats`, the plots `ficlens.plots.corpus`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import Subparsers, UsageError

if TYPE_CHECKING:
    from ..corpus.stats import Table


def register(subparsers: Subparsers) -> None:
    p = subparsers.add_parser(
        "stats", help="tables and plots of a corpus database (fandoms, tags, dialogue by gender, audit)"
    )
    p.add_argument("--db", type=Path, default=Path("corpus.db"), help="the corpus database (default: corpus.db)")
    p.add_argument("--fandom", metavar="FANDOM", help="only the works of this fandom (as tagged; any case)")
    p.add_argument("-o", "--output", type=Path, metavar="DIR", help="write every table and plot into DIR")
    p.add_argument("-f", "--format", choices=("csv", "json"), default="csv", help="table file format (default: csv)")
    p.add_argument(
        "--plot-format",
        action="append",
        choices=("png", "svg"),
        help="plot file format (repeat for both; default both)",
    )
    p.add_argument("--no-plots", action="store_true", help="write the tables only")
    p.add_argument("--force", action="store_true", help="overwrite existing files in DIR")
    p.set_defaults(run=run)


def _text(table: Table) -> str:
    """A table as aligned plain text, for a terminal."""
    cells = [[str(c) for c in table.columns]] + [
        ["" if v is None else f"{v:,}" if isinstance(v, int) else str(v) for v in row] for row in table.rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(table.columns))]
    lines = [f"== {table.title} ({table.name})"]
    for k, row in enumerate(cells):
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    if table.note:
        lines.append(f"({table.note})")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..corpus import Corpus
    from ..corpus.stats import corpus_stats

    if args.output and args.output.exists() and not args.output.is_dir():
        raise UsageError(f"{args.output} exists and is not a directory")
    with Corpus(args.db, readonly=True, create=False) as corpus:
        stats = corpus_stats(corpus, fandom=args.fandom)
    if not args.output:
        if args.format == "json":
            out.write(
                json.dumps(
                    {
                        "works": stats.works,
                        "fandom": stats.fandom,
                        "tables": {t.name: json.loads(t.to_json()) for t in stats},
                    },
                    ensure_ascii=False,
                    indent=2,
                )
                + "\n"
            )
        else:
            out.write(f"{stats.works:,} works" + (f" of fandom {stats.fandom}" if stats.fandom else "") + "\n\n")
            out.write("\n".join(_text(t) for t in stats))
        return 0
    from ..output import check_writable, write_atomic

    tables = {args.output / f"{t.name}.{args.format}": t for t in stats}
    check_writable(list(tables), args.force)
    written = []
    for path, table in tables.items():
        write_atomic(path, table.to_csv() if args.format == "csv" else table.to_json(), args.force)
        written.append(path)
    if not args.no_plots:
        from ..plots.corpus import write_corpus_plots

        formats = tuple(dict.fromkeys(args.plot_format or ["png", "svg"]))
        written += write_corpus_plots(stats, args.output, formats, args.force)
    for path in written:
        out.write(f"{path}\n")
    return 0
