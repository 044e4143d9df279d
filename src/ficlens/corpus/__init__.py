"""`ficlens.Corpus`: many works in one SQLite database, and everything asked of them.

The corpus layer knows nothing of how a profile is made: `index` hands inputs to an engine
(corpus/engines), which runs the single-work pipeline and returns `WorkRecord`s to the one
writer (corpus/store.py). Search, similar works, duplicates, statistics and export read the
database only. The CLI commands (ficlens/commands/) and the web app are thin layers over this
class. Schema: docs/corpus.md.

    >>> corpus = ficlens.Corpus("corpus.db")
    >>> corpus.index(["examples/"])                    # doctest: +SKIP
    >>> [w.title for w in corpus.works()]              # doctest: +SKIP
    >>> corpus.sql("SELECT tag, count(*) FROM tags WHERE kind = 'fandom' GROUP BY tag")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from .rows import WorkRecord, build_record, content_hash, unpack_profile
from .store import CorpusError, CorpusMissing, CorpusTooNew, NotACorpus, Store, open_store

if TYPE_CHECKING:  # the methods import these modules when called (a plain `import ficlens` stays light)
    from .duplicates import DuplicateGroup
    from .index import IndexReport
    from .search import QuoteResult, SearchResult
    from .similar import SimilarWork
    from .stats import CorpusStats

__all__ = [
    "Corpus",
    "CorpusError",
    "CorpusMissing",
    "CorpusTooNew",
    "NotACorpus",
    "WorkRecord",
    "WorkSummary",
    "build_record",
    "content_hash",
]


@dataclass
class WorkSummary:
    """One row of `works`, without the profile blob."""

    id: int
    work_id: str
    source: str | None
    title: str | None
    authors: list[str]
    language: str | None
    words: int
    chapters: int
    pov: str | None
    tense: str | None
    reader_insert: bool
    published: str | None
    analysed_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "WorkSummary":
        return cls(
            id=row["id"], work_id=row["work_id"], source=row["source"], title=row["title"],
            authors=json.loads(row["authors"]), language=row["language"], words=row["words"],
            chapters=row["chapters"], pov=row["pov"], tense=row["tense"], reader_insert=bool(row["reader_insert"]),
            published=row["published"], analysed_at=row["analysed_at"],
        )  # fmt: skip


_SUMMARY_COLUMNS = (
    "id, work_id, source, title, authors, language, words, chapters, pov, tense, reader_insert, published, analysed_at"
)


class Corpus:
    """A corpus database. `readonly=True` never writes (what `search`, `serve` and `stats` use)."""

    def __init__(self, path: str | Path, *, readonly: bool = False, create: bool = True):
        self.path = Path(path)
        self.readonly = readonly
        self.store: Store = open_store(self.path, readonly=readonly, create=create)
        self.store.conn.row_factory = sqlite3.Row

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    # --- reading --------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.store.count("works")

    def works(self) -> Iterator[WorkSummary]:
        for row in self.conn.execute(f"SELECT {_SUMMARY_COLUMNS} FROM works ORDER BY id"):
            yield WorkSummary.from_row(row)

    def resolve(self, work: int | str) -> int:
        """The database id of a work given by id, ficlens work id, source or source key."""
        if isinstance(work, int) or (isinstance(work, str) and work.isdigit()):
            row = self.conn.execute("SELECT id FROM works WHERE id = ?", (int(work),)).fetchone()
            if row:
                return int(row[0])
        rows = self.conn.execute(
            "SELECT id FROM works WHERE work_id = ? OR source = ? OR source_key = ? ORDER BY id", (work, work, work)
        ).fetchall()
        if not rows:
            raise CorpusError(f"no work {work!r} in {self.path}")
        if len(rows) > 1:
            raise CorpusError(f"{work!r} names {len(rows)} works in {self.path}; give the numeric id")
        return int(rows[0][0])

    def work(self, work: int | str) -> WorkSummary:
        row = self.conn.execute(f"SELECT {_SUMMARY_COLUMNS} FROM works WHERE id = ?", (self.resolve(work),)).fetchone()
        return WorkSummary.from_row(row)

    def profile(self, work: int | str) -> dict[str, Any]:
        """The full profile, exactly as `ficlens analyze --format json` prints it."""
        row = self.conn.execute("SELECT profile FROM works WHERE id = ?", (self.resolve(work),)).fetchone()
        return unpack_profile(row[0])

    def sql(self, query: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Run any SQL (read-only corpora refuse writes) and return rows as dicts."""
        try:
            return [dict(row) for row in self.conn.execute(query, params)]
        except sqlite3.Error as exc:
            raise CorpusError(f"SQL error: {exc}") from None

    def failures(self) -> list[dict[str, Any]]:
        return self.sql("SELECT source, reason, exit_code, at FROM failures ORDER BY source_key")

    # --- writing --------------------------------------------------------------------------

    def add(self, records: list[WorkRecord]) -> int:
        return self.store.write(records)

    def index(self, paths: Sequence[str | os.PathLike[str]], **options: Any) -> IndexReport:
        """Analyse every input under `paths` into the database (corpus/index.py)."""
        from .index import index_corpus

        return index_corpus(self, paths, **options)

    # --- finding things (corpus/search.py, similar.py, duplicates.py) -----------------------

    def search(self, query: str, **options: Any) -> SearchResult:
        from .search import search

        return search(self, query, **options)

    def search_quotes(self, query: str, **options: Any) -> QuoteResult:
        from .search import search_quotes

        return search_quotes(self, query, **options)

    def similar(self, work: int | str, **options: Any) -> list[SimilarWork]:
        from .similar import similar

        return similar(self, work, **options)

    def duplicates(self, **options: Any) -> list[DuplicateGroup]:
        from .duplicates import find_duplicates

        return find_duplicates(self, **options)

    def stats(self, **options: Any) -> CorpusStats:
        from .stats import corpus_stats

        return corpus_stats(self, **options)
