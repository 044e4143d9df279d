"""The Corpus page: the statistics of corpus/stats.py as tables and plots, for the whole corpus
or the works of one fandom.

Statistics are recomputed only when the database file changes: the page and each of its plot
images need the same `CorpusStats`, so the app keeps the last few (web/cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ...corpus import Corpus
from ...corpus.stats import NO_FANDOM, CorpusStats, Table
from ...plots import figure_bytes
from ...plots.corpus import FIGURES
from ..app import NotFound, corpus_dependency, render
from ..cache import DbCache
from .work import SVG_POLICY

router = APIRouter()
Db = Annotated[Corpus, Depends(corpus_dependency)]
MAX_ROWS_SHOWN = 15


def stats_for(request: Request, corpus: Corpus, fandom: str | None) -> CorpusStats:
    cache: DbCache = request.app.state.cache
    return cache.get(corpus.path, ("stats", fandom or None), lambda: corpus.stats(fandom=fandom or None))


def cell(column: str, value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.0%}" if column.startswith("share") or column in ("precision", "recall") else f"{value:,.2f}"
    if isinstance(value, int) and column not in ("year", "rank"):
        return f"{value:,}"
    return str(value)


@dataclass
class TableView:
    name: str
    title: str
    note: str
    columns: list[str]
    numeric: list[bool]
    rows: list[list[str]]
    more: list[list[str]]
    plot: str | None  # the URL of its plot


def table_view(table: Table, fandom: str) -> TableView:
    numeric = [
        bool(table.rows) and all(isinstance(r[i], (int, float)) or r[i] is None for r in table.rows)
        for i in range(len(table.columns))
    ]
    rows = [[cell(c, v) for c, v in zip(table.columns, row)] for row in table.rows]
    plot = None
    if table.name in FIGURES and table.rows:
        plot = f"/corpus/plots/{table.name}.svg" + (f"?{urlencode({'fandom': fandom})}" if fandom else "")
    return TableView(
        table.name,
        table.title,
        table.note,
        [c.replace("_", " ") for c in table.columns],
        numeric,
        rows[:MAX_ROWS_SHOWN],
        rows[MAX_ROWS_SHOWN:],
        plot,
    )


@router.get("/corpus", response_class=HTMLResponse, summary="Corpus page")
def corpus_page(request: Request, corpus: Db, fandom: str = "") -> HTMLResponse:
    everything = stats_for(request, corpus, None)
    fandoms = [row[0] for row in everything.tables["works_by_fandom"].rows if row[0] != NO_FANDOM]
    stats = stats_for(request, corpus, fandom) if fandom else everything
    lengths = stats.tables.get("works_by_length")
    words = sum(row[lengths.columns.index("total_words")] or 0 for row in lengths.rows) if lengths else 0
    return render(request, "corpus.html", {
        "stats": stats, "fandom": fandom, "fandoms": fandoms, "words": words,
        "tables": [table_view(t, fandom) for t in stats.tables.values()],
    })  # fmt: skip


@router.get("/corpus/plots/{name}.svg", summary="The plot of one corpus statistic (SVG)")
def corpus_plot(request: Request, corpus: Db, name: str, fandom: str = "") -> Response:
    if name not in FIGURES:
        raise NotFound(f"no corpus plot {name!r}")
    stats = stats_for(request, corpus, fandom or None)
    if name not in stats.tables:
        raise NotFound(f"no corpus plot {name!r}")
    svg = request.app.state.cache.get(
        corpus.path, ("corpus-plot", name, fandom), lambda: figure_bytes(FIGURES[name](stats), "svg")
    )
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, max-age=60", "Content-Security-Policy": SVG_POLICY},
    )
