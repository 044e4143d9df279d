"""The SQLite store: opening (and refusing) databases, writing works in batches, failures.

Only this module writes the database. Every work is written in the same transaction as its rows,
its search text and its MinHash, so a run killed at any moment (even `kill -9`) leaves each work
either wholly present or absent; WAL mode keeps readers (search, the web app) unblocked meanwhile.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from .. import __version__
from ..errors import EXIT_PARTIAL, FiclensError
from .rows import WorkRecord
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, TABLES

log = logging.getLogger(__name__)

EXIT_DATABASE = 6  # documented in the README: not a ficlens database, newer than this ficlens, unopenable


class CorpusError(FiclensError):
    """The corpus database cannot be used as asked; it has not been modified."""

    exit_code = EXIT_DATABASE


class NotACorpus(CorpusError):
    """The file exists but is not a ficlens corpus database."""


class CorpusTooNew(CorpusError):
    """A newer ficlens made this database; this one does not know its schema."""


class CorpusMissing(CorpusError):
    """Reading was asked of a database that does not exist."""


_WORK_COLUMNS = (
    "source_key", "source", "work_id", "content_hash", "format", "title", "authors", "language", "published",
    "words", "chapters", "note_words", "pov", "tense", "reader_insert", "ficlens_version", "profile_schema",
    "analysed_at", "profile",
)  # fmt: skip
_ROW_TABLES = {
    "parts": 'INSERT INTO parts (work, idx, kind, start, "end", chapter, title, words) VALUES (?,?,?,?,?,?,?,?)',
    "characters": "INSERT INTO characters (work, character, name, aliases, gender, gender_confidence, is_reader,"
    " mentions, quotes, quoted_words) VALUES (?,?,?,?,?,?,?,?,?,?)",
    "quotes": 'INSERT INTO quotes (work, idx, start, "end", speaker, speaker_name, addressees, addressee_names,'
    " confidence, words, text) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "relationships": "INSERT INTO relationships (work, idx, tag, type, characters, relation, strength, confidence,"
    " evidence) VALUES (?,?,?,?,?,?,?,?,?)",
    "tags": "INSERT INTO tags (work, kind, tag, source, confidence, evidence) VALUES (?,?,?,?,?,?)",
    "audit": "INSERT INTO audit (work, idx, field, kind, tag, message, evidence) VALUES (?,?,?,?,?,?,?)",
}
QUOTE_ROWID_SHIFT = 20  # quote_texts.rowid = work << 20 | idx


@dataclass(frozen=True)
class SourceRow:
    """One input file as indexed (the `sources` table): what a re-run compares before reading it."""

    path: str
    size: int
    mtime_ns: int
    sidecar: str
    sha256: str
    works: int
    ficlens_version: str = __version__


@dataclass(frozen=True)
class FailureRow:
    source_key: str
    source: str | None
    reason: str
    exit_code: int = EXIT_PARTIAL


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _schema_state(conn: sqlite3.Connection) -> tuple[int, int, bool]:
    """(application_id, user_version, has any table) — read without writing anything."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    return app_id, version, has_tables


def _check(path: Path, conn: sqlite3.Connection) -> int:
    try:
        app_id, version, has_tables = _schema_state(conn)
    except sqlite3.DatabaseError as exc:
        raise NotACorpus(f"{path}: not a ficlens corpus database ({exc}); it was left untouched") from None
    if app_id != APPLICATION_ID:
        if app_id == 0 and not has_tables and version == 0:
            return 0  # an empty SQLite file: ours to initialise
        raise NotACorpus(f"{path}: not a ficlens corpus database (another SQLite database); it was left untouched")
    if version > SCHEMA_VERSION:
        raise CorpusTooNew(
            f"{path}: made by a newer ficlens (database schema {version}, this ficlens knows {SCHEMA_VERSION}); "
            "upgrade ficlens — the database was left untouched"
        )
    return version


class Store:
    """One open corpus database. Use `open_store`; close it (or use `with`) when done."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool):
        self.path = path
        self.conn = conn
        self.readonly = readonly

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # --- reading --------------------------------------------------------------------------

    def known(self) -> dict[str, tuple[str, str]]:
        """source_key → (content_hash, ficlens_version) of every stored work."""
        return {
            k: (h, v) for k, h, v in self.conn.execute("SELECT source_key, content_hash, ficlens_version FROM works")
        }

    def failed(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT source_key, reason FROM failures"))

    def sources(self) -> dict[str, SourceRow]:
        """path → how each input file looked when all of it was last indexed."""
        return {
            row[0]: SourceRow(*row)
            for row in self.conn.execute(
                "SELECT path, size, mtime_ns, sidecar, sha256, works, ficlens_version FROM sources"
            )
        }

    def count(self, table: str = "works") -> int:
        if table not in _ROW_TABLES and table not in ("works", "failures", "sources", "minhashes", "lsh_bands"):
            raise ValueError(f"unknown table {table!r}")
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    # --- writing --------------------------------------------------------------------------

    def write(
        self,
        records: Iterable[WorkRecord],
        failures: Iterable[FailureRow] = (),
        sources: Iterable[SourceRow] = (),
    ) -> int:
        """Write a batch of works, failures and finished input files in one transaction.

        Works replace earlier versions of themselves. A failure leaves the work's earlier
        version in place (a file damaged since is no reason to lose its profile). A source row
        says every work of that file is stored: it goes in the same transaction as the last of
        them, so a killed run never marks a file done whose works are missing.
        """
        if self.readonly:
            raise CorpusError(f"{self.path}: opened read-only")
        written = 0
        now = _now()
        with self.conn:  # one transaction: all of the batch or none of it
            for record in records:
                self._replace(record)
                written += 1
            self.conn.executemany(
                "INSERT OR REPLACE INTO failures (source_key, source, reason, exit_code, at) VALUES (?,?,?,?,?)",
                [(f.source_key, f.source, f.reason, f.exit_code, now) for f in failures],
            )
            for src in sources:
                self.conn.execute(
                    "INSERT OR REPLACE INTO sources (path, size, mtime_ns, sidecar, sha256, works, ficlens_version,"
                    " indexed_at) VALUES (?,?,?,?,?,?,?,?)",
                    (src.path, src.size, src.mtime_ns, src.sidecar, src.sha256, src.works, src.ficlens_version, now),
                )
                # the whole file read this time: a failure to read it is history
                self.conn.execute("DELETE FROM failures WHERE source_key = ?", (src.path,))
        return written

    def _replace(self, record: WorkRecord) -> None:
        conn = self.conn
        old_id = self._delete_key(record.source_key)  # a re-analysed work keeps its id (URLs, exports)
        values = [old_id, *(record.work[c] for c in _WORK_COLUMNS)]
        cur = conn.execute(
            f"INSERT INTO works (id, {', '.join(_WORK_COLUMNS)}) VALUES (?, {', '.join('?' * len(_WORK_COLUMNS))})",
            values,
        )
        work = cur.lastrowid
        assert work is not None  # sqlite3 sets it after every INSERT
        for table, sql in _ROW_TABLES.items():
            rows = record.rows.get(table) or []
            if rows:
                conn.executemany(sql, [(work, *row) for row in rows])
        conn.executemany(
            "INSERT INTO texts (rowid, text, scope, work) VALUES (?,?,?,?)",
            [(work * 2 + (scope == "notes"), text, scope, work) for scope, text in record.texts],
        )
        conn.executemany(
            "INSERT INTO quote_texts (rowid, text, work, idx) VALUES (?,?,?,?)",
            [((work << QUOTE_ROWID_SHIFT) | idx, text, work, idx) for idx, text in record.quote_texts],
        )
        if record.minhash is not None:
            conn.execute("INSERT INTO minhashes (work, shingles, signature) VALUES (?,?,?)", (work, *record.minhash))
            conn.executemany(
                "INSERT INTO lsh_bands (band, bucket, work) VALUES (?,?,?)",
                [(band, bucket, work) for band, bucket in record.lsh_bands],
            )
        conn.execute("DELETE FROM failures WHERE source_key = ?", (record.source_key,))

    def _delete_key(self, source_key: str) -> int | None:
        """Remove a work and everything of it; return its id (None if it was not there)."""
        row = self.conn.execute("SELECT id FROM works WHERE source_key = ?", (source_key,)).fetchone()
        if row is None:
            return None
        work: int = row[0]
        # FTS5 tables know no foreign keys: remove their rows by hand.
        self.conn.execute("DELETE FROM texts WHERE rowid IN (?, ?)", (work * 2, work * 2 + 1))
        self.conn.execute(
            "DELETE FROM quote_texts WHERE rowid >= ? AND rowid < ?",
            (work << QUOTE_ROWID_SHIFT, (work + 1) << QUOTE_ROWID_SHIFT),
        )
        self.conn.execute("DELETE FROM works WHERE id = ?", (work,))  # the rest cascades
        return work

    def record_failure(self, source_key: str, source: str | None, reason: str, exit_code: int = EXIT_PARTIAL) -> None:
        if self.readonly:
            raise CorpusError(f"{self.path}: opened read-only")
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO failures (source_key, source, reason, exit_code, at) VALUES (?,?,?,?,?)",
                (source_key, source, reason, exit_code, _now()),
            )

    def remove(self, source_keys: Iterable[str]) -> int:
        """Remove works (and any failure or source row under the same key); return works removed."""
        removed = 0
        with self.conn:
            for key in source_keys:
                removed += self._delete_key(key) is not None
                self.conn.execute("DELETE FROM failures WHERE source_key = ?", (key,))
                self.conn.execute("DELETE FROM sources WHERE path = ?", (key,))
        return removed

    def stored_keys(self) -> Iterator[tuple[str, bool]]:
        """(key, is a work) for every key the database knows: works, failures and source files."""
        for key, is_work in self.conn.execute(
            "SELECT source_key, 1 FROM works UNION ALL SELECT source_key, 0 FROM failures"
            " UNION ALL SELECT path, 0 FROM sources"
        ):
            yield key, bool(is_work)

    def source(self, path: str) -> SourceRow | None:
        """How the input file `path` looked when all of it was last indexed, if it ever was."""
        row = self.conn.execute(
            "SELECT path, size, mtime_ns, sidecar, sha256, works, ficlens_version FROM sources WHERE path = ?", (path,)
        ).fetchone()
        return SourceRow(*row) if row else None

    def stored_hashes(self, path: str, version: str = __version__) -> dict[str, str]:
        """source_key → content hash of the works read from file `path` and stored by `version`."""
        rows = self.conn.execute(
            "SELECT source_key, content_hash FROM works WHERE source_key >= ? AND source_key < ?"
            " AND ficlens_version = ?",
            (path, path + "\U0010ffff", version),
        )
        return {key: digest for key, digest in rows if key == path or key[len(path)] in "!:"}

    def stored_hash(self, source_key: str, version: str = __version__) -> str | None:
        row = self.conn.execute(
            "SELECT content_hash FROM works WHERE source_key = ? AND ficlens_version = ?", (source_key, version)
        ).fetchone()
        return row[0] if row else None

    def iter_profiles(self) -> Iterator[tuple[int, bytes]]:
        yield from self.conn.execute("SELECT id, profile FROM works ORDER BY id")


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_store(path: str | Path, *, readonly: bool = False, create: bool = True) -> Store:
    """Open a corpus database, creating or migrating it when writing is allowed.

    A file that is not a ficlens database, or is newer than this ficlens, raises a `CorpusError`
    before anything is written to it.
    """
    path = Path(path)
    if path.exists() and path.is_dir():
        raise CorpusError(f"{path}: is a directory, not a corpus database")
    if not path.exists():
        if readonly or not create:
            raise CorpusMissing(f"{path}: no such corpus database (build one with `ficlens index PATH --db {path}`)")
        if not path.parent.exists():
            raise CorpusError(f"{path}: directory {path.parent} does not exist")
    try:
        conn = _connect(path, readonly)
    except sqlite3.Error as exc:
        raise CorpusError(f"{path}: cannot open ({exc})") from None
    try:
        version = _check(path, conn)
        if readonly:
            if version == 0:
                raise NotACorpus(f"{path}: an empty database, not a ficlens corpus")
            if version < SCHEMA_VERSION:
                raise CorpusError(
                    f"{path}: schema {version} is older than this ficlens's {SCHEMA_VERSION}; "
                    f"run `ficlens index --db {path}` once to upgrade it"
                )
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if version == 0:
                _create(conn)
            elif version < SCHEMA_VERSION:
                _migrate(conn, version)
    except sqlite3.Error as exc:
        conn.close()
        raise CorpusError(f"{path}: {exc}") from None
    except CorpusError:
        conn.close()
        raise
    return Store(path, conn, readonly)


def _create(conn: sqlite3.Connection) -> None:
    with conn:
        conn.executescript(
            "BEGIN;" + TABLES + f"PRAGMA user_version = {SCHEMA_VERSION};"
            f"PRAGMA application_id = {APPLICATION_ID};COMMIT;"
        )
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("created_by", f"ficlens {__version__}"), ("created_at", _now()), ("schema_version", str(SCHEMA_VERSION))],
        )


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    """Apply MIGRATIONS[version], MIGRATIONS[version + 1], … in one transaction."""
    statements: list[str] = []
    for step in range(version, SCHEMA_VERSION):
        if step not in MIGRATIONS:
            raise CorpusError(f"no migration from corpus schema {step}; re-index into a new database")
        statements += MIGRATIONS[step]
    conn.executescript("BEGIN;" + ";".join(statements) + f";PRAGMA user_version = {SCHEMA_VERSION};COMMIT;")
    with conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    log.info("corpus database migrated from schema %d to %d", version, SCHEMA_VERSION)
