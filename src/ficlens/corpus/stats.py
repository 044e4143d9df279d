"""Corpus statistics: plain tables computed in SQL over a corpus database (docs/plots.md).

`corpus_stats(corpus)` returns a `CorpusStats`: an ordered set of `Table`s, each a list of
columns and rows of plain values, which the CLI writes as CSV or JSON and `plots.corpus` draws.
Every number is one SQL aggregate over the tables of docs/corpus.md, so anyone can check it
with the `sqlite3` shell; the SQL here is the definition.

A work's *fandoms* are its author's fandom tags; a work without any takes ficlens's suggested
fandoms instead, and a work with neither counts under "(no fandom)". A work in two fandoms
counts once in each. `fandom=` restricts every table to the works of one fandom.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .store import CorpusError

log = logging.getLogger(__name__)

NO_FANDOM = "(no fandom)"
ALL = "(all)"
UNKNOWN = "(unknown)"
TOP_PER_FANDOM = 10
MAX_FANDOMS = 12  # per-fandom tables keep the largest fandoms only
# Word-count bins of the length table: (label, lowest, highest exclusive)
LENGTH_BINS = (
    ("under 1,000", 0, 1_000),
    ("1,000–4,999", 1_000, 5_000),
    ("5,000–9,999", 5_000, 10_000),
    ("10,000–49,999", 10_000, 50_000),
    ("50,000–99,999", 50_000, 100_000),
    ("100,000 and more", 100_000, None),
)
# Author-tag fields the agreement table compares, in AO3's order (tags.kind values).
TAG_KINDS = ("rating", "warning", "category", "fandom", "relationship", "character", "additional")
MAJOR_CHARACTER_DEATH = "Major Character Death"


class StatsError(CorpusError):
    """The statistics cannot be computed as asked (an unknown fandom, an unreadable database)."""


@dataclass
class Table:
    """One statistic: named columns and rows of plain values (str, int, float, None)."""

    name: str
    title: str
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    note: str = ""

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return buffer.getvalue()

    def to_json(self) -> str:
        return (
            json.dumps(
                {
                    "name": self.name,
                    "title": self.title,
                    "note": self.note,
                    "columns": self.columns,
                    "rows": self.dicts(),
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )


@dataclass
class CorpusStats:
    """Every table of one run, in the order they are written and drawn."""

    works: int
    fandom: str | None
    tables: dict[str, Table] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    def __iter__(self) -> Iterator[Table]:
        return iter(self.tables.values())


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


class _Queries:
    """The SQL of each table over two temporary tables: `_sel(work)`, the works in scope, and
    `_fan(work, fandom)`, each selected work's fandoms (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection, fandom: str | None):
        self.conn = conn
        self.fandom = fandom

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.conn.execute(sql, params)]

    def setup(self) -> int:
        c = self.conn
        c.execute("DROP TABLE IF EXISTS temp._fan")
        c.execute("DROP TABLE IF EXISTS temp._sel")
        c.execute(
            """
            CREATE TEMP TABLE _fan AS
            SELECT DISTINCT work, tag AS fandom FROM tags WHERE kind = 'fandom' AND source = 'author'
            UNION
            SELECT DISTINCT t.work, t.tag FROM tags t WHERE t.kind = 'fandom' AND t.source = 'suggested'
              AND NOT EXISTS (SELECT 1 FROM tags a WHERE a.work = t.work AND a.kind = 'fandom' AND a.source = 'author')
            UNION
            SELECT w.id, ? FROM works w WHERE NOT EXISTS (SELECT 1 FROM tags t WHERE t.work = w.id AND t.kind = 'fandom')
        """,
            (NO_FANDOM,),
        )
        if self.fandom is not None:
            known = c.execute(
                "SELECT fandom FROM _fan WHERE fandom = ? COLLATE NOCASE LIMIT 1", (self.fandom,)
            ).fetchone()
            if known is None:
                raise StatsError(f"no work of fandom {self.fandom!r} in the corpus")
            self.fandom = known[0]
            c.execute("CREATE TEMP TABLE _sel AS SELECT DISTINCT work FROM _fan WHERE fandom = ?", (self.fandom,))
            c.execute("DELETE FROM _fan WHERE work NOT IN (SELECT work FROM _sel)")
        else:
            c.execute("CREATE TEMP TABLE _sel AS SELECT id AS work FROM works")
        c.execute("CREATE INDEX temp._fan_work ON _fan (work)")
        c.execute("CREATE UNIQUE INDEX temp._sel_work ON _sel (work)")
        return int(c.execute("SELECT count(*) FROM _sel").fetchone()[0])

    def teardown(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS temp._fan")
        self.conn.execute("DROP TABLE IF EXISTS temp._sel")

    def big_fandoms(self) -> list[str]:
        return [
            r[0]
            for r in self.rows(
                "SELECT fandom FROM _fan GROUP BY fandom ORDER BY count(*) DESC, fandom LIMIT ?", (MAX_FANDOMS,)
            )
        ]

    # --- works by … ----------------------------------------------------------------------

    def by_fandom(self, total: int) -> Table:
        rows = self.rows("""
            SELECT f.fandom, count(*), sum(w.words) FROM _fan f JOIN works w ON w.id = f.work
            GROUP BY f.fandom ORDER BY count(*) DESC, f.fandom""")
        return Table(
            "works_by_fandom",
            "Works by fandom",
            ["fandom", "works", "words", "share_of_works"],
            [(f, n, words, _share(n, total)) for f, n, words in rows],
            "A work in two fandoms counts in each, so shares may add up to more than 1.",
        )

    def by_tag(self, kind: str, name: str, title: str) -> Table:
        """Works carrying each tag of one field, by the author's tags and by ficlens's."""
        rows = self.rows(
            """
            SELECT t.tag,
                   count(DISTINCT CASE WHEN t.source = 'author' THEN t.work END),
                   count(DISTINCT CASE WHEN t.source = 'suggested' THEN t.work END)
            FROM tags t JOIN _sel s ON s.work = t.work WHERE t.kind = ?
            GROUP BY t.tag ORDER BY 2 DESC, 3 DESC, t.tag""",
            (kind,),
        )
        untagged = self.rows(
            """
            SELECT
              (SELECT count(*) FROM _sel s WHERE NOT EXISTS
                 (SELECT 1 FROM tags t WHERE t.work = s.work AND t.kind = ? AND t.source = 'author')),
              (SELECT count(*) FROM _sel s WHERE NOT EXISTS
                 (SELECT 1 FROM tags t WHERE t.work = s.work AND t.kind = ? AND t.source = 'suggested'))""",
            (kind, kind),
        )[0]
        return Table(
            name,
            title,
            [kind, "works_author", "works_suggested"],
            rows + [("(none)", untagged[0], untagged[1])],
            "works_author: works whose author gives the tag; works_suggested: works ficlens tags with it.",
        )

    def by_language(self) -> Table:
        rows = self.rows(
            """
            SELECT coalesce(w.language, ?), count(*), sum(w.words) FROM works w JOIN _sel s ON s.work = w.id
            GROUP BY 1 ORDER BY 2 DESC, 1""",
            (UNKNOWN,),
        )
        return Table("works_by_language", "Works by language", ["language", "works", "words"], rows)

    def by_year(self) -> Table:
        rows = self.rows(
            """
            SELECT coalesce(substr(w.published, 1, 4), ?) AS year, count(*), sum(w.words)
            FROM works w JOIN _sel s ON s.work = w.id GROUP BY year ORDER BY year""",
            (UNKNOWN,),
        )
        return Table(
            "works_by_year",
            "Works by year of publication",
            ["year", "works", "words"],
            rows,
            "The year the source gives (AO3 'Published', FanFicFare metadata); (unknown) when it gives none.",
        )

    def by_length(self) -> Table:
        rows = []
        for label, low, high in LENGTH_BINS:
            cond, params = ("w.words >= ?", (low,)) if high is None else ("w.words >= ? AND w.words < ?", (low, high))
            n, words = self.rows(
                f"SELECT count(*), coalesce(sum(w.words), 0) FROM works w JOIN _sel s ON s.work = w.id WHERE {cond}",
                params,
            )[0]
            rows.append((label, low, high, n, words))
        return Table(
            "works_by_length", "Works by length (story words)", ["words", "from", "below", "works", "total_words"], rows
        )

    # --- frequent tags per fandom ------------------------------------------------------------

    def top_tags(self, kind: str, name: str, title: str) -> Table:
        """The most frequent tags of one field in each of the largest fandoms, ranked by the
        authors' use, then ficlens's."""
        fandoms = self.big_fandoms()
        marks = ",".join("?" * len(fandoms))
        extra = (
            ", CASE WHEN tag LIKE '%/%' THEN 'romantic (A/B)' ELSE 'platonic (A & B)' END"
            if kind == "relationship"
            else ""
        )
        rows = self.rows(
            f"""
            WITH counted AS (
              SELECT f.fandom, t.tag,
                     count(DISTINCT CASE WHEN t.source = 'author' THEN t.work END) AS by_author,
                     count(DISTINCT CASE WHEN t.source = 'suggested' THEN t.work END) AS by_ficlens
              FROM tags t JOIN _fan f ON f.work = t.work
              WHERE t.kind = ? AND f.fandom IN ({marks})
              GROUP BY f.fandom, t.tag),
            ranked AS (
              SELECT *, row_number() OVER (PARTITION BY fandom ORDER BY by_author DESC, by_ficlens DESC, tag) AS rank
              FROM counted)
            SELECT fandom, rank, tag, by_author, by_ficlens{extra} FROM ranked WHERE rank <= ?
            ORDER BY fandom, rank""",
            (kind, *fandoms, TOP_PER_FANDOM),
        )
        columns = ["fandom", "rank", kind, "works_author", "works_suggested"] + (
            ["kind"] if kind == "relationship" else []
        )
        return Table(
            name,
            title,
            columns,
            rows,
            f"The {TOP_PER_FANDOM} most frequent per fandom, for the {MAX_FANDOMS} largest fandoms.",
        )

    def relationship_kinds(self) -> Table:
        rows = self.rows("""
            SELECT f.fandom,
              count(DISTINCT CASE WHEN t.source = 'author' AND t.tag LIKE '%/%' THEN t.work END),
              count(DISTINCT CASE WHEN t.source = 'author' AND t.tag NOT LIKE '%/%' THEN t.work END),
              count(DISTINCT CASE WHEN t.source = 'suggested' AND t.tag LIKE '%/%' THEN t.work END),
              count(DISTINCT CASE WHEN t.source = 'suggested' AND t.tag NOT LIKE '%/%' THEN t.work END)
            FROM _fan f LEFT JOIN tags t ON t.work = f.work AND t.kind = 'relationship'
            GROUP BY f.fandom ORDER BY count(DISTINCT f.work) DESC, f.fandom""")
        return Table(
            "relationship_kinds",
            "Works with romantic (A/B) and platonic (A & B) relationship tags",
            ["fandom", "romantic_author", "platonic_author", "romantic_suggested", "platonic_suggested"],
            rows,
        )

    # --- dialogue by gender ---------------------------------------------------------------------

    def dialogue_by_gender(self) -> Table:
        """Quotations and quoted words by the gender of their speaker, overall and per fandom.
        Shares are of the quotations whose speaker ficlens found; unattributed ones are counted
        apart."""
        overall = self.rows(
            """
            SELECT ?, c.gender, sum(c.quotes), sum(c.quoted_words) FROM characters c JOIN _sel s ON s.work = c.work
            WHERE c.quotes > 0 GROUP BY c.gender""",
            (ALL,),
        )
        fandoms = self.big_fandoms()
        marks = ",".join("?" * len(fandoms))
        per = self.rows(
            f"""
            SELECT f.fandom, c.gender, sum(c.quotes), sum(c.quoted_words) FROM characters c JOIN _fan f ON f.work = c.work
            WHERE c.quotes > 0 AND f.fandom IN ({marks}) GROUP BY f.fandom, c.gender""",
            tuple(fandoms),
        )
        unattributed = {
            scope: (n, w)
            for scope, n, w in self.rows(
                """
            SELECT ?, count(*), coalesce(sum(q.words), 0) FROM quotes q JOIN _sel s ON s.work = q.work
            WHERE q.speaker IS NULL""",
                (ALL,),
            )
        }
        unattributed.update(
            {
                scope: (n, w)
                for scope, n, w in self.rows(
                    f"""
            SELECT f.fandom, count(*), coalesce(sum(q.words), 0) FROM quotes q JOIN _fan f ON f.work = q.work
            WHERE q.speaker IS NULL AND f.fandom IN ({marks}) GROUP BY f.fandom""",
                    tuple(fandoms),
                )
            }
        )
        order = {ALL: -1, **{f: i for i, f in enumerate(fandoms)}}
        genders = {"female": 0, "male": 1, "nonbinary": 2, "unknown": 3}
        totals: dict[str, list[int]] = {}
        for scope, _, n, w in overall + per:
            t = totals.setdefault(scope, [0, 0])
            t[0] += n
            t[1] += w
        rows = []
        for scope, gender, n, w in sorted(overall + per, key=lambda r: (order[r[0]], genders.get(r[1], 9), r[1])):
            rows.append((scope, gender, n, w, _share(n, totals[scope][0]), _share(w, totals[scope][1])))
        for scope in sorted(unattributed, key=lambda s: order[s]):
            n, w = unattributed[scope]
            if n:
                rows.append((scope, "(no speaker found)", n, w, None, None))
        return Table(
            "dialogue_by_gender",
            "Dialogue by the speaker's gender",
            ["fandom", "gender", "quotes", "quoted_words", "share_of_quotes", "share_of_words"],
            rows,
            "Shares are of the quotations whose speaker was found; gender as ficlens reads it.",
        )

    # --- narration ----------------------------------------------------------------------------

    def narration(self, total: int) -> Table:
        rows = self.rows(
            """
            SELECT coalesce(w.pov, ?), coalesce(w.tense, ?), count(*) FROM works w JOIN _sel s ON s.work = w.id
            GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2""",
            (UNKNOWN, UNKNOWN),
        )
        return Table(
            "narration",
            "Point of view and tense",
            ["pov", "tense", "works", "share"],
            [(p, t, n, _share(n, total)) for p, t, n in rows],
        )

    def reader_insert(self) -> Table:
        rows = self.rows(
            """
            SELECT ?, count(*), coalesce(sum(w.reader_insert), 0) FROM works w JOIN _sel s ON s.work = w.id""",
            (ALL,),
        )
        rows += self.rows("""
            SELECT f.fandom, count(*), coalesce(sum(w.reader_insert), 0) FROM _fan f JOIN works w ON w.id = f.work
            GROUP BY f.fandom ORDER BY count(*) DESC, f.fandom""")
        return Table(
            "reader_insert",
            "Reader-insert works",
            ["fandom", "works", "reader_insert", "share"],
            [(f, n, r, _share(r, n)) for f, n, r in rows],
        )

    # --- the audit ----------------------------------------------------------------------------

    def audit(self) -> Table:
        """Per fandom: works whose text reads as more explicit than their rating (of the works
        the author rated), and works whose warnings miss a Major Character Death ficlens found
        (of the works the author gave warnings)."""
        sql = """
            SELECT {scope}, count(DISTINCT w.id),
              count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM tags t WHERE t.work = w.id AND t.kind = 'rating'
                                               AND t.source = 'author') THEN w.id END),
              count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM audit a WHERE a.work = w.id AND a.field = 'rating'
                                               AND a.kind = 'missing') THEN w.id END),
              count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM tags t WHERE t.work = w.id AND t.kind = 'warning'
                                               AND t.source = 'author') THEN w.id END),
              count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM audit a WHERE a.work = w.id AND a.field = 'warnings'
                                               AND a.kind = 'missing' AND a.tag = ?) THEN w.id END)
            FROM works w JOIN {join} {group}"""
        rows = self.rows(sql.format(scope="?", join="_sel s ON s.work = w.id", group=""), (ALL, MAJOR_CHARACTER_DEATH))
        rows += self.rows(
            sql.format(
                scope="f.fandom",
                join="_fan f ON f.work = w.id",
                group="GROUP BY f.fandom ORDER BY count(DISTINCT w.id) DESC, f.fandom",
            ),
            (MAJOR_CHARACTER_DEATH,),
        )
        return Table(
            "audit",
            "Audit: works more explicit than rated, and unwarned major character deaths",
            [
                "fandom",
                "works",
                "rated",
                "more_explicit_than_rated",
                "share_of_rated",
                "warned",
                "death_not_warned",
                "share_of_warned",
            ],
            [
                (f, n, rated, explicit, _share(explicit, rated), warned, death, _share(death, warned))
                for f, n, rated, explicit, warned, death in rows
            ],
        )

    # --- suggested against the authors' tags ----------------------------------------------------

    def agreement(self) -> Table:
        """Per field, over the works where both the author and ficlens give tags of it: how many
        of ficlens's tags the author also gives (precision) and how many of the author's ficlens
        also suggests (recall). Tags match when their text agrees, ignoring case and spaces
        round it."""
        rows = []
        for kind in TAG_KINDS:
            both, author, suggested, agreed, exact = self.rows(
                """
                WITH pairs AS (  -- each work's distinct tags of the field, and who gives them
                       SELECT t.work, lower(trim(t.tag)) AS tag, max(t.source = 'author') AS a,
                              max(t.source = 'suggested') AS g
                       FROM tags t JOIN _sel s ON s.work = t.work WHERE t.kind = ?
                       GROUP BY t.work, lower(trim(t.tag))),
                     per_work AS (
                       SELECT work, sum(a) AS na, sum(g) AS ng, sum(a AND g) AS nboth, sum(a != g) AS ndiff
                       FROM pairs GROUP BY work HAVING sum(a) > 0 AND sum(g) > 0)
                SELECT count(*), coalesce(sum(na), 0), coalesce(sum(ng), 0), coalesce(sum(nboth), 0),
                       coalesce(sum(ndiff = 0), 0)
                FROM per_work""",
                (kind,),
            )[0]
            rows.append(
                (
                    kind,
                    both,
                    author,
                    suggested,
                    agreed,
                    _share(agreed, suggested),
                    _share(agreed, author),
                    exact,
                    _share(exact, both),
                )
            )
        return Table(
            "tag_agreement",
            "ficlens's suggested tags against the authors' tags",
            [
                "field",
                "works_compared",
                "author_tags",
                "suggested_tags",
                "agreed",
                "precision",
                "recall",
                "works_identical",
                "share_identical",
            ],
            rows,
            "Over works with tags of the field from both; a tag agrees when its text is the same (any case).",
        )


def corpus_stats(corpus: Any, fandom: str | None = None) -> CorpusStats:
    """Every table over the corpus (or the works of one fandom). `corpus` is a `ficlens.Corpus`
    or an open sqlite3 connection to a corpus database."""
    conn = corpus if isinstance(corpus, sqlite3.Connection) else corpus.conn
    q = _Queries(conn, fandom)
    try:
        total = q.setup()
        stats = CorpusStats(works=total, fandom=q.fandom)
        tables = [
            q.by_fandom(total),
            q.by_tag("rating", "works_by_rating", "Works by rating"),
            q.by_tag("warning", "works_by_warning", "Works by archive warning"),
            q.by_tag("category", "works_by_category", "Works by category"),
            q.by_language(),
            q.by_year(),
            q.by_length(),
            q.top_tags("character", "top_characters", "Most frequent characters per fandom"),
            q.top_tags("relationship", "top_relationships", "Most frequent relationships per fandom"),
            q.relationship_kinds(),
            q.top_tags("additional", "top_additional_tags", "Most frequent additional tags per fandom"),
            q.dialogue_by_gender(),
            q.narration(total),
            q.reader_insert(),
            q.audit(),
            q.agreement(),
        ]
        stats.tables = {t.name: t for t in tables}
        return stats
    except sqlite3.Error as exc:
        raise StatsError(f"cannot compute statistics: {exc}") from None
    finally:
        try:
            q.teardown()
        except sqlite3.Error:
            pass
