"""Exporting a corpus database for other tools: profiles as JSON Lines, tables as CSV or Parquet.

Everything streams: rows come from an SQLite cursor a batch at a time and go straight to the
output file, so a corpus of millions of works exports in bounded memory. Files are written
through `output.open_atomic`: one appears only when complete, and an existing file is never
replaced without `force`. Parquet needs pyarrow (the `ficlens[parquet]` extra).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import EXIT_USAGE, FiclensError
from .rows import unpack_profile
from .store import CorpusError

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_TABLES",
    "ExportedFile",
    "ExtraMissing",
    "export_corpus",
    "export_paths",
    "iter_profile_lines",
    "table_columns",
    "write_profiles_jsonl",
    "write_table_csv",
    "write_table_parquet",
]

EXPORT_FORMATS = ("jsonl", "csv", "parquet")
# The tables a researcher analyses. Left out: the search and duplicate indexes (FTS, MinHash,
# LSH bands), `sources` and `meta` (bookkeeping of runs), and `works.profile`, a compressed blob
# that the JSON Lines export gives in full.
EXPORT_TABLES = ("works", "parts", "characters", "quotes", "relationships", "tags", "audit", "failures")
_LEFT_OUT_COLUMNS = {"works": {"profile"}}
PROFILES_FILE = "profiles.jsonl"
PARQUET_HINT = "Parquet export needs pyarrow: pip install 'ficlens[parquet]'"
_BATCH_ROWS = 2_000


class ExtraMissing(FiclensError):
    """The export asked for needs an optional extra that is not installed."""

    exit_code = EXIT_USAGE


@dataclass
class ExportedFile:
    path: Path | None  # None: written to a stream the caller gave
    what: str  # "profiles" or a table name
    rows: int


def iter_profile_lines(conn: sqlite3.Connection) -> Iterator[str]:
    """Each work's full profile as one JSON line (no newline), in id order.

    The line is what `ficlens analyze --format json` prints for that work when it analyses
    several (JSON Lines): `json.dumps(profile, ensure_ascii=False)` of the very dict it made.
    """
    for (blob,) in conn.execute("SELECT profile FROM works ORDER BY id"):
        yield json.dumps(unpack_profile(blob), ensure_ascii=False)


def write_profiles_jsonl(conn: sqlite3.Connection, handle: IO[str]) -> int:
    count = 0
    for line in iter_profile_lines(conn):
        handle.write(line + "\n")
        count += 1
    return count


def table_columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(name, declared type) of the columns `table` exports."""
    if table not in EXPORT_TABLES:
        raise CorpusError(f"no table {table!r} to export (tables: {', '.join(EXPORT_TABLES)})")
    left_out = _LEFT_OUT_COLUMNS.get(table, set())
    columns = [(row[1], row[2]) for row in conn.execute(f'PRAGMA table_info("{table}")') if row[1] not in left_out]
    if not columns:
        raise CorpusError(f"the database has no table {table!r}")
    return columns


def _iter_batches(
    conn: sqlite3.Connection, table: str, columns: list[tuple[str, str]]
) -> Iterator[list[tuple[Any, ...]]]:
    names = ", ".join(f'"{name}"' for name, _ in columns)
    # rowid order is insertion order for every exported table; it keeps exports reproducible
    cursor = conn.execute(f'SELECT {names} FROM "{table}" ORDER BY rowid')
    while batch := cursor.fetchmany(_BATCH_ROWS):
        yield [tuple(row) for row in batch]


def write_table_csv(conn: sqlite3.Connection, table: str, handle: IO[str]) -> int:
    """`table` as CSV with a header row; NULL is an empty field, JSON columns stay JSON text."""
    columns = table_columns(conn, table)
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow([name for name, _ in columns])
    count = 0
    for batch in _iter_batches(conn, table, columns):
        writer.writerows(batch)
        count += len(batch)
    return count


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ExtraMissing(PARQUET_HINT) from None
    return pyarrow, pyarrow.parquet


def _arrow_type(pa: Any, declared: str) -> Any:
    """SQLite's type affinity rules (https://sqlite.org/datatype3.html), as Arrow types."""
    declared = declared.upper()
    if "INT" in declared:
        return pa.int64()
    if any(word in declared for word in ("CHAR", "CLOB", "TEXT")):
        return pa.string()
    if "BLOB" in declared or not declared:
        return pa.binary()
    if any(word in declared for word in ("REAL", "FLOA", "DOUB")):
        return pa.float64()
    return pa.string()


def write_table_parquet(conn: sqlite3.Connection, table: str, handle: IO[bytes]) -> int:
    """`table` as a Parquet file, one row group per batch of rows; columns typed as declared."""
    pa, pq = _pyarrow()
    columns = table_columns(conn, table)
    schema = pa.schema([(name, _arrow_type(pa, declared)) for name, declared in columns])
    count = 0
    with pq.ParquetWriter(handle, schema) as writer:
        for batch in _iter_batches(conn, table, columns):
            arrays = [pa.array(values, type=field.type) for values, field in zip(zip(*batch), schema)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            count += len(batch)
    return count


def export_paths(out_dir: Path, fmt: str, tables: list[str] | None = None) -> dict[Path, str]:
    """The files an export into `out_dir` writes: path → "profiles" or the table name."""
    if fmt not in EXPORT_FORMATS:
        raise CorpusError(f"unknown export format {fmt!r} (formats: {', '.join(EXPORT_FORMATS)})")
    if fmt == "jsonl":
        return {out_dir / PROFILES_FILE: "profiles"}
    return {out_dir / f"{table}.{fmt}": table for table in tables or EXPORT_TABLES}


def export_corpus(
    conn: sqlite3.Connection, out_dir: Path, fmt: str, *, tables: list[str] | None = None, force: bool = False
) -> list[ExportedFile]:
    """Write the profiles (jsonl) or the tables (csv, parquet) into `out_dir`.

    Every target is checked before anything is written, so an export refused for one existing
    file writes none; each file appears whole or not at all.
    """
    from ..output import check_writable, open_atomic

    targets = export_paths(out_dir, fmt, tables)
    for what in targets.values():
        if what != "profiles":
            table_columns(conn, what)  # an unknown table fails before any file is written
    if fmt == "parquet":
        _pyarrow()  # and so does a missing extra
    check_writable(list(targets), force)
    written = []
    for path, what in targets.items():
        with open_atomic(path, force, binary=fmt == "parquet") as handle:
            if fmt == "jsonl":
                rows = write_profiles_jsonl(conn, handle)
            elif fmt == "csv":
                rows = write_table_csv(conn, what, handle)
            else:
                rows = write_table_parquet(conn, what, handle)
        written.append(ExportedFile(path=path, what=what, rows=rows))
    return written
