"""`ficlens export`: profiles as JSON Lines (what `analyze --format json` prints), tables as CSV
and Parquet, never overwriting without --force, and clean errors for bad databases."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES

from ficlens.cli import main
from ficlens.corpus.export import EXPORT_TABLES, PARQUET_HINT, table_columns
from ficlens.corpus.store import EXIT_DATABASE
from ficlens.errors import EXIT_OUTPUT, EXIT_USAGE


def _cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    """examples/ indexed with the full pipeline, as a user would."""
    db = tmp_path_factory.mktemp("export") / "corpus.db"
    code, _, err = _cli("index", EXAMPLES, "--db", db, "-j", "2", "-q")
    assert code == 0, err
    return db


@pytest.fixture(scope="module")
def analyze_lines() -> dict[str, str]:
    """`ficlens analyze examples/ --format json`: one JSON line per work, by work id."""
    code, out, err = _cli("analyze", EXAMPLES, "--format", "json")
    assert code == 0, err
    lines = out.splitlines()
    return {json.loads(line)["work"]["id"]: line for line in lines}


def _by_id(lines: list[str]) -> dict[str, str]:
    return {json.loads(line)["work"]["id"]: line for line in lines}


def _sql(db: Path, query: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query).fetchall()


def _columns(db: Path, table: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [name for name, _ in table_columns(conn, table)]


def test_jsonl_is_what_analyze_prints_for_every_example(corpus_db, analyze_lines, tmp_path):
    assert len(analyze_lines) == 4  # every example in examples/
    code, out, err = _cli("export", "--db", corpus_db, "--format", "jsonl")
    assert code == 0, err
    assert _by_id(out.splitlines()) == analyze_lines  # the same lines, character for character

    code, out, err = _cli("export", "--db", corpus_db, "--format", "jsonl", "-o", tmp_path)
    assert code == 0, err
    written = (tmp_path / "profiles.jsonl").read_text(encoding="utf-8")
    assert _by_id(written.splitlines()) == analyze_lines
    assert out == f"{tmp_path / 'profiles.jsonl'}\t4\n"


def test_csv_row_counts_equal_sql_counts(corpus_db, tmp_path):
    code, out, err = _cli("export", "--db", corpus_db, "--format", "csv", "-o", tmp_path)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.csv" for t in EXPORT_TABLES)
    for table in EXPORT_TABLES:
        with open(tmp_path / f"{table}.csv", newline="", encoding="utf-8") as handle:
            header, *rows = list(csv.reader(handle))
        (count,) = _sql(corpus_db, f"SELECT count(*) FROM {table}")[0]
        assert len(rows) == count, table
        assert header == _columns(corpus_db, table)
        assert f"{tmp_path / f'{table}.csv'}\t{count}\n" in out
    assert "profile" not in header_of(tmp_path / "works.csv")  # the blob is in the JSON Lines export
    # values survive: quote texts (commas, quotes, newlines in them) read back as stored
    with open(tmp_path / "quotes.csv", newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    assert texts == [t for (t,) in _sql(corpus_db, "SELECT text FROM quotes ORDER BY rowid")]
    assert len(texts) > 50


def header_of(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_one_table_as_csv_on_stdout(corpus_db):
    code, out, err = _cli("export", "--db", corpus_db, "--format", "csv", "--table", "works")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["title"] for r in rows] == [t or "" for (t,) in _sql(corpus_db, "SELECT title FROM works ORDER BY id")]


def test_parquet_has_the_same_rows(corpus_db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    code, _, err = _cli("export", "--db", corpus_db, "--format", "parquet", "-o", tmp_path)
    assert code == 0, err
    for table in EXPORT_TABLES:
        columns = _columns(corpus_db, table)
        parquet = pq.read_table(tmp_path / f"{table}.parquet")
        assert parquet.column_names == columns
        quoted = ", ".join(f'"{c}"' for c in columns)
        expected = [dict(zip(columns, row)) for row in _sql(corpus_db, f"SELECT {quoted} FROM {table} ORDER BY rowid")]
        assert parquet.to_pylist() == expected, table
    schema = pq.read_schema(tmp_path / "characters.parquet")
    assert str(schema.field("mentions").type) == "int64"
    assert str(schema.field("gender_confidence").type) == "double"
    assert str(schema.field("name").type) == "string"


def test_table_option_limits_the_export(corpus_db, tmp_path):
    code, _out, err = _cli(
        "export", "--db", corpus_db, "-f", "csv", "-o", tmp_path, "--table", "tags", "--table", "parts"
    )
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parts.csv", "tags.csv"]


def test_existing_files_are_never_overwritten_without_force(corpus_db, tmp_path):
    (tmp_path / "tags.csv").write_text("my own notes\n", encoding="utf-8")
    code, _out, err = _cli("export", "--db", corpus_db, "-f", "csv", "-o", tmp_path)
    assert code == EXIT_OUTPUT
    assert err == f"ficlens: {tmp_path / 'tags.csv'} exists; use --force to overwrite\n"
    assert (tmp_path / "tags.csv").read_text(encoding="utf-8") == "my own notes\n"
    assert [p.name for p in tmp_path.iterdir()] == ["tags.csv"]  # refused before writing anything

    code, _, err = _cli("export", "--db", corpus_db, "-f", "csv", "-o", tmp_path, "--force")
    assert code == 0, err
    assert header_of(tmp_path / "tags.csv") == _columns(corpus_db, "tags")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bad_database_paths_are_one_line_errors(tmp_path):
    code, out, err = _cli("export", "--db", tmp_path / "missing.db", "-f", "jsonl")
    assert (code, out) == (EXIT_DATABASE, "")
    assert err.count("\n") == 1 and "no such corpus database" in err
    assert not (tmp_path / "missing.db").exists()

    code, _, err = _cli("export", "--db", tmp_path, "-f", "jsonl")
    assert code == EXIT_DATABASE and err.count("\n") == 1 and "directory" in err


@pytest.mark.parametrize("kind", ["text", "foreign-sqlite"])
def test_a_file_that_is_not_a_ficlens_db_is_refused_untouched(tmp_path, kind):
    db = tmp_path / "other.db"
    if kind == "text":
        db.write_text("just some notes, not a database\n" * 100, encoding="utf-8")
    else:
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE works (id INTEGER, profile BLOB)")
            conn.execute("INSERT INTO works VALUES (1, x'00')")
        conn.close()
    before = _sha(db)
    code, _out, err = _cli("export", "--db", db, "-f", "csv", "-o", tmp_path / "out")
    assert code == EXIT_DATABASE
    assert err.count("\n") == 1 and "not a ficlens corpus database" in err and "Traceback" not in err
    assert _sha(db) == before
    assert not (tmp_path / "out").exists()


def test_parquet_without_pyarrow_says_to_install_the_extra(corpus_db, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    code, _, err = _cli("export", "--db", corpus_db, "-f", "parquet", "-o", tmp_path / "out")
    assert code == EXIT_USAGE
    assert err == f"ficlens: {PARQUET_HINT}\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["-f", "parquet"], "give -o DIR"),
        (["-f", "csv"], "needs -o DIR"),
        (["-f", "csv", "--table", "works", "--table", "tags"], "needs -o DIR"),
        (["-f", "jsonl", "--table", "works"], "--table goes with"),
    ],
)
def test_usage_errors(corpus_db, argv, message):
    code, out, err = _cli("export", "--db", corpus_db, *argv)
    assert code == EXIT_USAGE and out == ""
    assert message in err and err.count("\n") == 1


def test_output_that_is_a_file_is_a_usage_error(corpus_db, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("mine", encoding="utf-8")
    code, _, err = _cli("export", "--db", corpus_db, "-f", "jsonl", "-o", target)
    assert code == EXIT_USAGE and "not a directory" in err
    assert target.read_text(encoding="utf-8") == "mine"


def test_unknown_table_is_refused_by_argparse(corpus_db):
    code, _, _ = _cli("export", "--db", corpus_db, "-f", "csv", "--table", "minhashes")
    assert code == EXIT_USAGE
