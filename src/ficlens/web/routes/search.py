"""The Search page (works, with facets that filter on click) and the quotation search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import QueryParams

from ...corpus import Corpus
from ...corpus.search import SORTS, SearchError
from ..app import corpus_dependency, render
from .common import (
    MAX_LIMIT,
    PAGE_FACETS,
    active_filters,
    browse_cached,
    facet_links,
    filters_from,
    with_param,
)

router = APIRouter()
Db = Annotated[Corpus, Depends(corpus_dependency)]


def _pages(params: QueryParams, total: int, offset: int, limit: int) -> dict[str, Any]:
    prev_offset = max(0, offset - limit)
    return {
        "first": offset + 1 if total else 0,
        "last": min(offset + limit, total),
        "prev": with_param(params, "offset", str(prev_offset), reset=False) if offset > 0 else None,
        "next": with_param(params, "offset", str(offset + limit), reset=False) if offset + limit < total else None,
    }


@router.get("/", response_class=HTMLResponse, summary="Search page")
def search_page(
    request: Request,
    corpus: Db,
    q: str = "",
    scope: str = "story",
    sort: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> HTMLResponse:
    params = request.query_params
    context: dict[str, Any] = {
        "q": q, "scope": scope, "sort": sort, "sorts": SORTS, "tags": params.get("tags") or "any",
        "active": active_filters(params), "error": None, "result": None, "facets": [], "pages": None,
        "clear": with_param(params, "q", None, add=False),
    }  # fmt: skip
    try:
        filters = filters_from(params)
        if q.strip():
            result = corpus.search(
                q, scope=scope, filters=filters, facets=PAGE_FACETS, sort=sort or "rank", limit=limit, offset=offset
            )
        else:
            result = browse_cached(
                request.app.state.cache,
                corpus,
                filters,
                facets=PAGE_FACETS,
                sort=sort or "title",
                limit=limit,
                offset=offset,
            )
    except SearchError as exc:
        context["error"] = exc.message
        return render(request, "search.html", context, status=400)
    context.update(
        result=result,
        facets=facet_links(params, result.facets),
        pages=_pages(params, result.total, offset, limit),
        works=len(corpus),
    )
    return render(request, "search.html", context)


@router.get("/quotes", response_class=HTMLResponse, summary="Quotation search page")
def quotes_page(
    request: Request,
    corpus: Db,
    q: str = "",
    speaker: str = "",
    addressee: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> HTMLResponse:
    params = request.query_params
    context: dict[str, Any] = {
        "q": q,
        "speaker": speaker,
        "addressee": addressee,
        "error": None,
        "result": None,
        "pages": None,
        "active": active_filters(params),
    }
    if q.strip() or speaker.strip() or addressee.strip():
        try:
            result = corpus.search_quotes(
                q.strip() or "*",
                speaker=speaker or None,
                addressee=addressee or None,
                filters=filters_from(params),
                limit=limit,
                offset=offset,
            )
        except SearchError as exc:
            context["error"] = exc.message
            return render(request, "quotes.html", context, status=400)
        context.update(result=result, pages=_pages(params, result.total, offset, limit))
    return render(request, "quotes.html", context)
