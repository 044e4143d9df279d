"""What the search pages and the search API share: filters read from the query string, links
that add or remove one filter, and browsing (the search page with no query).

Filters travel in the URL as repeated parameters (`?fandom=A&fandom=B&character=C&tags=author`),
so every page of results is a link that can be bookmarked, shared and opened with the keyboard.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from ...corpus.search import (
    FACETS,
    TAG_KINDS,
    FacetCount,
    SearchError,
    SearchFilters,
    SearchHit,
    SearchResult,
    _filter_sql,
    facet_counts,
)

if TYPE_CHECKING:
    from ...corpus import Corpus
    from ..cache import DbCache

FILTER_NAMES = (*TAG_KINDS, "pov")
FACET_LABELS = {
    "fandom": "Fandom",
    "rating": "Rating",
    "warning": "Archive warning",
    "category": "Category",
    "character": "Characters",
    "relationship": "Relationships",
    "tag": "Additional tags",
    "pov": "Point of view",
    "language": "Language",
}
PAGE_FACETS = ("fandom", "rating", "warning", "category", "character", "relationship", "tag", "pov")
MAX_LIMIT = 200
FACET_VALUES_SHOWN = 12  # the rest of the linked values sit behind "more"
FACET_VALUES_LINKED = 100


def filters_from(params: QueryParams) -> SearchFilters:
    """SearchFilters from the query string; a bad value is a SearchError (a 400)."""
    filters = SearchFilters(tags=params.get("tags") or "any")
    for name in FILTER_NAMES:
        values = [v for v in params.getlist(name) if v.strip()]
        setattr(filters, name, values)
    bounds = []
    for key in ("min_words", "max_words"):
        raw = (params.get(key) or "").strip()
        if raw and not raw.isdigit():
            raise SearchError(f"{key} must be a whole number of words, not {raw!r}")
        bounds.append(int(raw) if raw else None)
    filters.words = (bounds[0], bounds[1])
    return filters


def with_param(params: QueryParams, name: str, value: str | None, *, add: bool = True, reset: bool = True) -> str:
    """The query string with `name=value` added (or removed), back on the first page."""
    items = [(k, v) for k, v in params.multi_items() if not (reset and k == "offset")]
    if add:
        if name not in FILTER_NAMES:
            items = [(k, v) for k, v in items if k != name]
        if value is not None and (name, value) not in items:
            items.append((name, value))
    else:
        items = [(k, v) for k, v in items if not (k == name and (value is None or v == value))]
    return "?" + urlencode(items)


@dataclass
class ActiveFilter:
    name: str
    label: str
    value: str
    remove: str  # the query string without it


def active_filters(params: QueryParams) -> list[ActiveFilter]:
    out = []
    for name in FILTER_NAMES:
        for value in params.getlist(name):
            if value.strip():
                out.append(ActiveFilter(name, FACET_LABELS[name], value, with_param(params, name, value, add=False)))
    return out


@dataclass
class FacetLink:
    value: str
    count: int
    href: str
    active: bool


def facet_links(params: QueryParams, facets: dict[str, list[FacetCount]]) -> list[tuple[str, str, list[FacetLink]]]:
    """(name, label, links) for each facet: a click adds the value as a filter."""
    out = []
    for name, counts in facets.items():
        chosen = set(params.getlist(name))
        shown = counts[:FACET_VALUES_LINKED]  # the most frequent: a page cannot list 5,000 characters
        links = [FacetLink(c.value, c.count, with_param(params, name, c.value), c.value in chosen) for c in shown]
        out.append((name, FACET_LABELS.get(name, name), links))
    return out


def browse(
    corpus: Corpus,
    filters: SearchFilters,
    *,
    facets: tuple[str, ...] | list[str] = (),
    sort: str = "title",
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Every work that passes the filters, as a SearchResult without snippets (no query given)."""
    if sort not in ("rank", "words", "title"):
        raise SearchError(f"unknown sort {sort!r} (choose from rank, words, title)")
    for name in facets:
        if name not in FACETS:
            raise SearchError(f"unknown facet {name!r} (choose from {', '.join(FACETS)})")
    where, params = _filter_sql(corpus.conn, filters, "w.id")
    order = "w.words DESC, w.id" if sort == "words" else "lower(coalesce(w.title, w.work_id)), w.id"
    rows = corpus.conn.execute(
        f"SELECT w.id, w.title, w.work_id, w.authors, w.words FROM works w WHERE 1{where} ORDER BY {order}", params
    ).fetchall()
    hits = [
        SearchHit(work=r[0], title=r[1] or r[2], authors=json.loads(r[3]), words=r[4], score=0.0, snippet=[])
        for r in rows[offset : offset + limit]
    ]  # fmt: skip
    ids = [r[0] for r in rows]
    counts = {name: facet_counts(corpus.conn, ids, name, filters.tags) for name in facets}
    return SearchResult(query="", total=len(rows), hits=hits, facets=counts, offset=offset)


def browse_cached(
    cache: DbCache,
    corpus: Corpus,
    filters: SearchFilters,
    *,
    facets: tuple[str, ...] | list[str] = (),
    sort: str = "title",
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """`browse`, kept when there are no filters: the landing page counts every facet over every
    work (a third of a second at 10,000 works), and that answer changes only with the database."""
    if not filters.is_empty():
        return browse(corpus, filters, facets=facets, sort=sort, limit=limit, offset=offset)
    key = ("browse", filters.tags, tuple(facets), sort, limit, offset)
    return cache.get(
        corpus.path, key, lambda: browse(corpus, filters, facets=facets, sort=sort, limit=limit, offset=offset)
    )
