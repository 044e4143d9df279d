"""The Corpus page: the corpus's statistics and plots, for all of it or one fandom."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ...corpus import Corpus
from ..app import corpus_dependency, render

router = APIRouter()
Db = Annotated[Corpus, Depends(corpus_dependency)]


@router.get("/corpus", response_class=HTMLResponse, summary="Corpus page")
def corpus_page(request: Request, corpus: Db, fandom: str = "") -> HTMLResponse:
    return render(request, "corpus.html", {"works": len(corpus), "fandom": fandom})
