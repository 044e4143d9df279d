"""`ficlens export --db corpus.db --format jsonl|csv|parquet [-o DIR] [--table NAME]...`

A thin layer over `ficlens.corpus.export` (docs/corpus.md, "Export"). JSON Lines hold every
work's full profile, each line what `ficlens analyze --format json` prints for that work; CSV
and Parquet hold the tables. With -o DIR the files go into DIR (existing ones only replaced with
--force); without it, JSON Lines, or the CSV of one --table, go to stdout.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from . import Subparsers, UsageError


def register(subparsers: Subparsers) -> None:
    from ..corpus.export import EXPORT_FORMATS, EXPORT_TABLES

    p = subparsers.add_parser(
        "export", help="a corpus database as JSON Lines of profiles, or its tables as CSV/Parquet"
    )
    p.add_argument("--db", type=Path, default=Path("corpus.db"), help="the corpus database (default: corpus.db)")
    p.add_argument(
        "-f",
        "--format",
        choices=EXPORT_FORMATS,
        required=True,
        help="jsonl: full profiles; csv or parquet (pip install 'ficlens[parquet]'): the tables",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="write into DIR (profiles.jsonl, TABLE.csv, TABLE.parquet); default: stdout for jsonl "
        "and for the CSV of one --table",
    )
    p.add_argument(
        "--table",
        action="append",
        choices=EXPORT_TABLES,
        metavar="NAME",
        help=f"only this table (repeatable; csv and parquet): {', '.join(EXPORT_TABLES)}",
    )
    p.add_argument("--force", action="store_true", help="overwrite existing files in DIR")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..corpus import Corpus
    from ..corpus.export import export_corpus, write_profiles_jsonl, write_table_csv

    tables = list(dict.fromkeys(args.table)) if args.table else None
    if args.format == "jsonl" and tables:
        raise UsageError("--table goes with --format csv or parquet; jsonl exports the profiles")
    if args.output is None:
        if args.format == "parquet":
            raise UsageError("--format parquet writes files: give -o DIR")
        if args.format == "csv" and (not tables or len(tables) > 1):
            raise UsageError("CSV of several tables needs -o DIR (or one --table for stdout)")
    elif args.output.exists() and not args.output.is_dir():
        raise UsageError(f"{args.output} exists and is not a directory")
    with Corpus(args.db, readonly=True, create=False) as corpus:
        if args.output is None:
            if args.format == "jsonl":
                write_profiles_jsonl(corpus.conn, out)
            else:
                assert tables is not None and len(tables) == 1  # checked above: CSV of one table
                write_table_csv(corpus.conn, tables[0], out)
            return 0
        exported = export_corpus(corpus.conn, args.output, args.format, tables=tables, force=args.force)
    out.writelines(f"{item.path}\t{item.rows}\n" for item in exported)
    return 0
