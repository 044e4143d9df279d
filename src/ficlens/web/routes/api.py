"""The JSON API under /api/: the library's `ficlens.Corpus` over HTTP, one endpoint per method.

Results are the library's own dataclasses as JSON (snippets stay (text, is_match) pairs: the
client escapes them). FastAPI's Swagger UI and ReDoc load their scripts from a CDN, so they are
switched off; /openapi.json is served, and /api is a page of ficlens's own that lists every
endpoint from it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ...corpus import Corpus
from ...corpus.duplicates import DEFAULT_THRESHOLD
from ...corpus.search import FACETS
from ..app import corpus_dependency, render
from .common import MAX_LIMIT, browse, browse_cached, filters_from

router = APIRouter()
Db = Annotated[Corpus, Depends(corpus_dependency)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="results per page")]
Offset = Annotated[int, Query(ge=0, description="results to skip")]
FILTER_HELP = (
    "Filters, repeatable: fandom, rating, warning, category, character, relationship, tag, pov; "
    "tags=any|author|suggested says whose tags they (and the facets) look at; min_words, max_words."
)


@router.get("/api", response_class=HTMLResponse, include_in_schema=False)
def api_page(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            params = [
                (p["name"], p.get("in", ""), p.get("required", False), (p.get("description") or ""))
                for p in op.get("parameters", [])
            ]
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                }
            )
    return render(request, "api.html", {"endpoints": [e for e in endpoints if e["path"].startswith("/api/")]})


@router.get("/api/works", summary="List works (Corpus.works)")
def api_works(corpus: Db, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    rows = corpus.conn.execute("SELECT id FROM works ORDER BY id LIMIT ? OFFSET ?", (limit, offset)).fetchall()
    return {"total": len(corpus), "offset": offset, "works": [corpus.work(r[0]) for r in rows]}


@router.get("/api/works/{work}", summary="One work's summary (Corpus.work)")
def api_work(corpus: Db, work: str) -> Any:
    return corpus.work(work)


@router.get(
    "/api/works/{work}/profile", summary="A work's full profile, as `ficlens analyze --format json` (Corpus.profile)"
)
def api_profile(corpus: Db, work: str) -> dict[str, Any]:
    return corpus.profile(work)


@router.get("/api/search", summary="Full-text, faceted search (Corpus.search)", description=FILTER_HELP)
def api_search(
    request: Request,
    corpus: Db,
    q: str = "",
    scope: str = "story",
    sort: str = "rank",
    facet: Annotated[tuple[str, ...], Query(description=f"facets to count: {', '.join(FACETS)}")] = (),
    limit: Limit = 20,
    offset: Offset = 0,
) -> Any:
    filters = filters_from(request.query_params)
    if q.strip():
        result = corpus.search(q, scope=scope, filters=filters, facets=facet, sort=sort, limit=limit, offset=offset)
    else:  # no query: every work that passes the filters
        result = browse(
            corpus, filters, facets=facet, sort="title" if sort == "rank" else sort, limit=limit, offset=offset
        )
    return result


@router.get("/api/facets", summary="Facet counts over the works matching a query and filters", description=FILTER_HELP)
def api_facets(
    request: Request,
    corpus: Db,
    q: str = "",
    scope: str = "story",
    facet: Annotated[tuple[str, ...], Query(description=f"facets to count (default all): {', '.join(FACETS)}")] = (),
) -> dict[str, Any]:
    filters = filters_from(request.query_params)
    names = facet or list(FACETS)
    if q.strip():
        result = corpus.search(q, scope=scope, filters=filters, facets=names, limit=0)
    else:
        result = browse_cached(request.app.state.cache, corpus, filters, facets=names, limit=0)
    return {"query": q, "total": result.total, "facets": result.facets}


@router.get("/api/quotes", summary="Search what characters say (Corpus.search_quotes)", description=FILTER_HELP)
def api_quotes(
    request: Request,
    corpus: Db,
    q: str = "*",
    speaker: str = "",
    addressee: str = "",
    limit: Limit = 20,
    offset: Offset = 0,
) -> Any:
    result = corpus.search_quotes(
        q,
        speaker=speaker or None,
        addressee=addressee or None,
        filters=filters_from(request.query_params),
        limit=limit,
        offset=offset,
    )
    return result


@router.get("/api/works/{work}/similar", summary="Works most like this one (Corpus.similar)")
def api_similar(corpus: Db, work: str, k: Annotated[int, Query(ge=1, le=100)] = 10) -> dict[str, Any]:
    return {"work": corpus.resolve(work), "similar": corpus.similar(work, k=k)}


@router.get("/api/duplicates", summary="Groups of works that share text (Corpus.duplicates)")
def api_duplicates(corpus: Db, threshold: Annotated[float, Query(gt=0, le=1)] = DEFAULT_THRESHOLD) -> dict[str, Any]:
    return {"threshold": threshold, "groups": corpus.duplicates(threshold=threshold)}
