"""The Work page (the reader) and the work's plots, drawn on request as SVG images."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ...corpus import Corpus
from ...plots import KINDS, figure_bytes, work_figures
from ..app import NotFound, corpus_dependency, render
from ..reader import build_reader

router = APIRouter()
Db = Annotated[Corpus, Depends(corpus_dependency)]

# matplotlib's SVG styles its shapes with style attributes; it never needs a script.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
PLOT_LABELS = {
    "presence": "Who is on stage when",
    "speaking": "Who speaks how much",
    "network": "Who is linked to whom",
    "conversation": "Who talks to whom",
}


def plot_list(base: str) -> list[dict[str, str]]:
    return [{"kind": k, "label": PLOT_LABELS.get(k, k), "src": f"{base}/plots/{k}.svg"} for k in KINDS]


@router.get("/works/{work}", response_class=HTMLResponse, summary="Work page: the reader")
def work_page(request: Request, corpus: Db, work: str) -> HTMLResponse:
    summary = corpus.work(work)
    view = build_reader(corpus.profile(summary.id))
    return render(request, "work.html", {
        "view": view, "summary": summary, "plots": plot_list(f"/works/{summary.id}"), "stored": True,
    })  # fmt: skip


@router.get("/works/{work}/plots/{kind}.svg", summary="One of the work's plots (SVG)")
def work_plot(request: Request, corpus: Db, work: str, kind: str) -> Response:
    if kind not in KINDS:
        raise NotFound(f"no plot {kind!r} (plots: {', '.join(KINDS)})")
    work_id = corpus.resolve(work)
    svg = request.app.state.cache.get(
        corpus.path, ("work-plot", work_id, kind),
        lambda: figure_bytes(work_figures(corpus.profile(work_id), (kind,))[kind], "svg"),
    )  # fmt: skip
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, max-age=300", "Content-Security-Policy": SVG_POLICY},
    )
