"""Full-text and faceted search over a corpus, and search in what characters say.

Both searches run on SQLite FTS5 (tables `texts` and `quote_texts`, corpus/schema.py) with BM25
ranking. The user's query is FTS5 syntax — phrases in double quotes, `word*` prefixes, AND / OR /
NOT, parentheses, NEAR(...) — with plain words AND-ed; corpus/fts.py translates it so that
punctuation inside words ("well-known", "Rey's") and CJK text work, and turns what FTS5 would
reject into a `SearchError` that says what is wrong in one line.

Snippets are lists of (text, is_match) segments, never markup: every renderer (text, JSON, CSV,
the web app's HTML) escapes the text itself, so a work's text can never inject HTML.

Filters (`SearchFilters`) work on the tags table, on the author's tags, ficlens's suggestions, or
either; values within one filter must all be present (AO3's "include" semantics), except rating
and POV, of which a work has one, where any of the values given matches.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from ..errors import EXIT_USAGE, FiclensError
from .fts import SNIPPET_CLOSE, SNIPPET_OPEN, Query, display_text, parse_query, snippet

if TYPE_CHECKING:
    from . import Corpus


class SearchError(FiclensError):
    """A query, filter or facet the corpus cannot answer as asked (malformed, unknown value)."""

    exit_code = EXIT_USAGE


SCOPES = ("story", "notes", "all")
SORTS = ("rank", "words", "title")
TAG_SOURCES = ("any", "author", "suggested")
# facet / filter name → tags.kind ("tag" is AO3's "additional tags")
TAG_KINDS = {
    "fandom": "fandom",
    "rating": "rating",
    "warning": "warning",
    "category": "category",
    "relationship": "relationship",
    "character": "character",
    "tag": "additional",
}
FACETS = (*TAG_KINDS, "pov", "language")
SNIPPET_TOKENS = 24  # words of context around the match in a snippet
FEW_WORKS = 1000  # below this many, a constraint or facet is looked up per work rather than scanned

Segments = list[tuple[str, bool]]  # (text, is_match): the caller escapes the text


@dataclass
class SearchFilters:
    """What a hit must also be. Empty lists mean no constraint; all given constraints combine."""

    fandom: list[str] = field(default_factory=list)
    rating: list[str] = field(default_factory=list)  # any of these
    warning: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    character: list[str] = field(default_factory=list)
    relationship: list[str] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)  # additional (freeform) tags
    words: tuple[int | None, int | None] = (None, None)  # inclusive (min, max) story words
    pov: list[str] = field(default_factory=list)  # first | second | third; any of these
    tags: str = "any"  # whose tags the tag filters (and facets) look at: any | author | suggested

    def is_empty(self) -> bool:
        return not (any(getattr(self, name) for name in TAG_KINDS) or self.pov or self.words != (None, None))


@dataclass
class FacetCount:
    value: str
    count: int  # hits (works) with this value, among all hits, not just the page


@dataclass
class SearchHit:
    work: int  # the database id (Corpus.work / Corpus.profile take it)
    title: str | None
    authors: list[str]
    words: int
    score: float  # BM25, higher is better
    snippet: Segments
    scope: str = "story"  # where the snippet comes from: story | notes


@dataclass
class SearchResult:
    query: str
    total: int  # all hits after filters
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    offset: int = 0


@dataclass
class QuoteHit:
    work: int
    title: str | None
    idx: int  # the quotation's index in the work's profile (quotes[idx])
    speaker: str | None  # character id
    speaker_name: str | None
    addressee_names: list[str]
    text: str  # the quotation as in the work
    context: Segments  # the line in its context; the matched words flagged
    start: int  # offsets into the profile's text
    end: int
    score: float


@dataclass
class QuoteResult:
    query: str
    total: int
    hits: list[QuoteHit]
    offset: int = 0


def search(
    corpus: "Corpus",
    query: str,
    *,
    scope: str = "story",
    filters: SearchFilters | None = None,
    facets: Sequence[str] = (),
    sort: str = "rank",
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Works matching `query` (FTS5 syntax), best first, with a highlighted snippet each.

    Story text only unless `scope` is "notes" or "all": a word in an author's note is not what
    the story is about. `facets` count values over all hits (as faceted search does), so a page
    of 20 still tells how the 3,000 hits spread over fandoms.
    """
    _check_choice("scope", scope, SCOPES)
    _check_choice("sort", sort, SORTS)
    filters = filters or SearchFilters()
    _check_choice("--tags", filters.tags, TAG_SOURCES)
    for name in facets:
        _check_choice("facet", name, FACETS)
    if limit < 0 or offset < 0:
        raise SearchError("limit and offset must not be negative")
    parsed = parse_query(query)
    conn = corpus.conn
    allowed = filter_works(conn, filters)
    wanted = {"story": (0,), "notes": (1,), "all": (0, 1)}[scope]  # rowid & 1, tested here: cheaper than in SQL
    # rowid = work * 2 + (notes): reading the `work` column would load each row's whole text
    sql = "SELECT texts.rowid, bm25(texts) FROM texts WHERE texts MATCH ?"
    best: dict[int, float] = {}
    for rowid, score in _run(conn, sql, [parsed.expression], query):
        work = rowid >> 1
        if rowid & 1 in wanted and (allowed is None or work in allowed):
            best[work] = max(best.get(work, float("-inf")), -score)  # bm25() is lower-is-better
    scored = list(best.items())
    works = _work_rows(conn, [w for w, _ in scored]) if sort != "rank" else {}
    if sort == "rank":
        scored.sort(key=lambda ws: (-ws[1], ws[0]))
    elif sort == "words":
        scored.sort(key=lambda ws: (-works[ws[0]]["words"], ws[0]))
    else:
        scored.sort(key=lambda ws: ((works[ws[0]]["title"] or "").casefold(), ws[0]))
    page = scored[offset : offset + limit] if limit else []
    info = _work_rows(conn, [w for w, _ in page])
    hits = []
    for work, score in page:
        snippet_scope, segments = _snippet(conn, parsed, work, scope)
        row = info[work]
        hits.append(
            SearchHit(
                work=work,
                title=row["title"],
                authors=json.loads(row["authors"]),
                words=row["words"],
                score=round(score, 4),
                snippet=segments,
                scope=snippet_scope,
            )
        )
    counts = {name: facet_counts(conn, [w for w, _ in scored], name, filters.tags) for name in facets}
    return SearchResult(query=query, total=len(scored), hits=hits, facets=counts, offset=offset)


def search_quotes(
    corpus: "Corpus",
    query: str,
    *,
    speaker: str | None = None,
    addressee: str | None = None,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    context_chars: int = 200,
) -> QuoteResult:
    """Quotations matching `query`, optionally spoken by `speaker` or to `addressee`.

    A name matches a character's full name, any one of its words ("Rey" finds "Rey Skywalker")
    or one of its aliases, case-insensitively. `query` may be "*" to list everything a speaker
    says.
    """
    filters = filters or SearchFilters()
    _check_choice("--tags", filters.tags, TAG_SOURCES)
    if limit < 0 or offset < 0:
        raise SearchError("limit and offset must not be negative")
    conn = corpus.conn
    everything = query.strip() == "*"
    if everything and not (speaker or addressee):
        raise SearchError('"*" lists every quotation of a speaker or addressee: give --speaker or --addressee')
    where, params = _filter_sql(conn, filters, "q.work")
    if speaker:
        where += f" AND {_name_match_sql('q.speaker_name', 'q.work', 'q.speaker')}"
        params += [speaker.strip()] * 2
    if addressee:
        where += (
            f" AND EXISTS (SELECT 1 FROM json_each(q.addressee_names) a WHERE {_name_match_sql('a.value', None, None)})"
        )
        params += [addressee.strip()]
    if everything:
        sql = (
            'SELECT q.work, q.idx, 0.0, q.start, q."end", q.speaker, q.speaker_name, q.addressee_names, q.text '
            f"FROM quotes q WHERE 1{where} ORDER BY q.work, q.idx"
        )
        rows = _run(conn, sql, params, query)
        expression = None
    else:
        expression = parse_query(query).expression
        sql = (
            'SELECT q.work, q.idx, -bm25(quote_texts), q.start, q."end", q.speaker, q.speaker_name, '
            "q.addressee_names, q.text FROM quote_texts qt JOIN quotes q ON q.work = qt.work AND q.idx = qt.idx "
            f"WHERE quote_texts MATCH ?{where} ORDER BY bm25(quote_texts), q.work, q.idx"
        )
        rows = _run(conn, sql, [expression, *params], query)
    page = rows[offset : offset + limit] if limit else []
    info = _work_rows(conn, sorted({r[0] for r in page}))
    texts: dict[int, str] = {}
    hits = []
    for work, idx, score, start, end, speaker_id, speaker_name, addressees, text in page:
        if work not in texts:
            texts[work] = corpus.profile(work)["text"]
        quote = _highlight_quote(conn, expression, work, idx, text) if expression else [(text, False)]
        full = texts[work]
        before = full[max(0, start - context_chars) : start]
        after = full[end : end + context_chars]
        context = [
            (_trim_left(before, start > context_chars), False),
            *quote,
            (_trim_right(after, end + context_chars < len(full)), False),
        ]
        hits.append(
            QuoteHit(
                work=work,
                title=info[work]["title"],
                idx=idx,
                speaker=speaker_id,
                speaker_name=speaker_name,
                addressee_names=json.loads(addressees),
                text=text,
                context=[s for s in context if s[0]],
                start=start,
                end=end,
                score=round(score, 4),
            )
        )
    return QuoteResult(query=query, total=len(rows), hits=hits, offset=offset)


def facet_counts(conn: sqlite3.Connection, works: Sequence[int], name: str, source: str = "any") -> list[FacetCount]:
    """How many of `works` carry each value of facet `name`, most frequent first."""
    _check_choice("facet", name, FACETS)
    ids = json.dumps(list(works))
    if name in ("pov", "language"):
        sql = (
            f"SELECT {name}, count(*) FROM works WHERE id IN (SELECT value FROM json_each(?)) "
            f"AND {name} IS NOT NULL GROUP BY {name} ORDER BY 2 DESC, 1"
        )
        params: list[Any] = [ids]
    else:
        # many hits: scan the kind in the covering (kind, tag, source, work) index ("+work" keeps
        # SQLite from looking up each hit's rows); few hits: look up each hit's rows
        plus = "+" if len(works) > FEW_WORKS else ""
        sql = (
            f"SELECT tag, count(DISTINCT work) FROM tags WHERE kind = ? AND {plus}work IN (SELECT value FROM json_each(?))"
            f"{_source_sql(source)} GROUP BY tag ORDER BY 2 DESC, 1"
        )
        params = [TAG_KINDS[name], ids]
    return [FacetCount(value, count) for value, count in conn.execute(sql, params)]


# --- helpers --------------------------------------------------------------------------------


def _check_choice(what: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise SearchError(f"unknown {what} {value!r} (choose from {', '.join(choices)})")


def _source_sql(source: str) -> str:
    return {"any": "", "author": " AND source = 'author'", "suggested": " AND source = 'suggested'"}[source]


def _run(conn: sqlite3.Connection, sql: str, params: Sequence[Any], query: str) -> list[tuple[Any, ...]]:
    try:
        return [tuple(row) for row in conn.execute(sql, params)]
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if message.startswith("fts5:") or "malformed MATCH" in message or "no such column" in message:
            raise SearchError(f"cannot search for {query!r}: {message.removeprefix('fts5: ')}") from None
        raise


def _work_rows(conn: sqlite3.Connection, works: Sequence[int]) -> dict[int, sqlite3.Row | dict[str, Any]]:
    rows = conn.execute(
        "SELECT id, title, authors, words FROM works WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(works)),),
    )
    return {row[0]: {"title": row[1], "authors": row[2], "words": row[3]} for row in rows}


def _known_values(conn: sqlite3.Connection, kind: str, source: str) -> list[str]:
    return [r[0] for r in conn.execute(f"SELECT DISTINCT tag FROM tags WHERE kind = ?{_source_sql(source)}", (kind,))]


def _resolve(conn: sqlite3.Connection, name: str, value: str, source: str) -> list[str]:
    """The stored spellings of a filter value: as written if some work has it so (an index
    lookup), else every spelling equal to it but for case, else a SearchError naming near misses."""
    exact = conn.execute(
        f"SELECT 1 FROM tags WHERE kind = ? AND tag = ?{_source_sql(source)} LIMIT 1", (TAG_KINDS[name], value.strip())
    ).fetchone()
    if exact:
        return [value.strip()]
    known = _known_values(conn, TAG_KINDS[name], source)
    wanted = value.strip().casefold()
    spellings = [k for k in known if k.casefold() == wanted]
    if spellings:
        return spellings
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    whose = {"any": "", "author": " among the authors' tags", "suggested": " among ficlens's suggestions"}[source]
    raise SearchError(f"no work has {name} {value!r}{whose}{hint}")


def _filter_queries(conn: sqlite3.Connection, filters: SearchFilters) -> list[tuple[str, list[Any]]]:
    """One (SELECT of work ids, params) per constraint; a hit must be in all of them."""
    queries: list[tuple[str, list[Any]]] = []
    source = _source_sql(filters.tags)
    for name, kind in TAG_KINDS.items():
        values = getattr(filters, name)
        if not values:
            continue
        groups = [_resolve(conn, name, v, filters.tags) for v in values]
        if name == "rating":  # one rating per work: any of those given
            groups = [[s for group in groups for s in group]]
        for spellings in groups:
            marks = ", ".join("?" * len(spellings))
            queries.append((f"SELECT work FROM tags WHERE kind = ? AND tag IN ({marks}){source}", [kind, *spellings]))
    low, high = filters.words
    if low is not None and high is not None and low > high:
        raise SearchError(f"--words {low}..{high}: the minimum is above the maximum")
    if low is not None or high is not None or filters.pov:
        conditions = []
        params: list[Any] = []
        if low is not None:
            conditions.append("words >= ?")
            params.append(low)
        if high is not None:
            conditions.append("words <= ?")
            params.append(high)
        if filters.pov:
            for pov in filters.pov:
                _check_choice("pov", pov, ("first", "second", "third"))
            conditions.append(f"pov IN ({', '.join('?' * len(filters.pov))})")
            params += list(filters.pov)
        queries.append((f"SELECT id FROM works WHERE {' AND '.join(conditions)}", params))
    return queries


def _filter_sql(conn: sqlite3.Connection, filters: SearchFilters, work_column: str) -> tuple[str, list[Any]]:
    """SQL conditions (each starting with ' AND ') on `work_column` for the filters."""
    where = ""
    params: list[Any] = []
    for sql, values in _filter_queries(conn, filters):
        where += f" AND {work_column} IN ({sql})"
        params += values
    return where, params


_SELECTIVE_FIRST = ("fandom", "relationship", "character", "additional", "warning", "category", "rating")


def filter_works(conn: sqlite3.Connection, filters: SearchFilters) -> set[int] | None:
    """The ids of the works the filters allow; None when they allow every work.

    Each constraint is answered from an index, the likely most selective first (a fandom before
    a rating before a length range); once few works remain, the next constraint is only asked
    about those. Cheaper than letting FTS5 test every full-text hit against every subquery."""

    def rank(query: tuple[str, list[Any]]) -> int:
        kind = query[1][0] if query[0].startswith("SELECT work") else None
        return _SELECTIVE_FIRST.index(kind) if kind in _SELECTIVE_FIRST else len(_SELECTIVE_FIRST)

    allowed: set[int] | None = None
    for sql, params in sorted(_filter_queries(conn, filters), key=rank):
        if allowed is not None and len(allowed) <= FEW_WORKS:
            column = "work" if sql.startswith("SELECT work") else "id"
            sql += f" AND {column} IN (SELECT value FROM json_each(?))"
            params = [*params, json.dumps(sorted(allowed))]
        ids = {row[0] for row in conn.execute(sql, params)}
        allowed = ids if allowed is None else allowed & ids
        if not allowed:
            return set()
    return allowed


def _name_match_sql(column: str, work_column: str | None, id_column: str | None) -> str:
    """A name matches the whole name or a run of its words ("Rey" finds "Rey Skywalker"), or, given
    the work and character id columns, one of the character's aliases; case-insensitively."""
    sql = f"((' ' || lower({column}) || ' ') LIKE ('% ' || lower(?) || ' %')"
    if work_column and id_column:
        sql += (
            f" OR EXISTS (SELECT 1 FROM characters c, json_each(c.aliases) al WHERE c.work = {work_column}"
            f" AND c.character = {id_column} AND lower(al.value) = lower(?))"
        )
    return sql + ")"


def _segments(marked: str) -> Segments:
    """FTS5 snippet/highlight output (matches between private markers) as (text, is_match) segments."""
    segments: Segments = []
    rest = marked
    while rest:
        start = rest.find(SNIPPET_OPEN)
        if start < 0:
            segments.append((display_text(rest), False))
            break
        end = rest.find(SNIPPET_CLOSE, start)
        end = len(rest) if end < 0 else end
        if start:
            segments.append((display_text(rest[:start]), False))
        segments.append((display_text(rest[start + 1 : end]), True))
        rest = rest[end + 1 :]
    merged: Segments = []
    for text, is_match in segments:
        if not text:
            continue
        if merged and merged[-1][1] == is_match:
            merged[-1] = (merged[-1][0] + text, is_match)
        else:
            merged.append((text, is_match))
    return merged


def _snippet(conn: sqlite3.Connection, query: Query, work: int, scope: str) -> tuple[str, Segments]:
    """The best snippet of `work` for the query, from its story first (or notes when searched)."""
    rowids = {"story": [work * 2], "notes": [work * 2 + 1], "all": [work * 2, work * 2 + 1]}[scope]
    for rowid in rowids:
        row = conn.execute("SELECT text FROM texts WHERE rowid = ?", (rowid,)).fetchone()
        segments = snippet(display_text(row[0]), query.phrases) if row else None
        if segments is None and row is not None:  # a match the phrase patterns do not see (e.g. only NEAR)
            marked = conn.execute(
                f"SELECT snippet(texts, 0, ?, ?, '…', {SNIPPET_TOKENS}) FROM texts WHERE texts MATCH ? AND rowid = ?",
                (SNIPPET_OPEN, SNIPPET_CLOSE, query.expression, rowid),
            ).fetchone()
            segments = _segments(" ".join(marked[0].split())) if marked else None
        if segments:
            return ("notes" if rowid & 1 else "story"), segments
    return scope, []


def _highlight_quote(conn: sqlite3.Connection, expression: str, work: int, idx: int, text: str) -> Segments:
    from .store import QUOTE_ROWID_SHIFT

    row = conn.execute(
        "SELECT highlight(quote_texts, 0, ?, ?) FROM quote_texts WHERE quote_texts MATCH ? AND rowid = ?",
        (SNIPPET_OPEN, SNIPPET_CLOSE, expression, (work << QUOTE_ROWID_SHIFT) | idx),
    ).fetchone()
    return _segments(row[0]) if row else [(text, False)]


def _trim_left(text: str, cut: bool) -> str:
    """Context before a quotation; when cut from longer text, from a word boundary, with "…"."""
    if cut and " " in text[:40]:
        text = text[text.find(" ") + 1 :]
    if not text.strip():
        return ""
    return ("…" if cut else "") + " ".join(text.split()) + (" " if text[-1].isspace() else "")


def _trim_right(text: str, cut: bool) -> str:
    if cut:
        space = text.rfind(" ")
        text = text[:space] if space > len(text) - 40 else text
    if not text.strip():
        return ""
    return (" " if text[0].isspace() else "") + " ".join(text.split()) + ("…" if cut else "")
