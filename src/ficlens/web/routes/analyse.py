"""Analyse a text: paste or upload one work and see its profile at once (nothing is stored).

The upload is read from memory by the same readers as `ficlens analyze` (`read_bytes`): the
file name only helps to tell formats apart and never reaches the file system. The pipeline is
the app's `Analyser`, loaded on the first analysis and kept for the server's life.
"""

from __future__ import annotations

import base64
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from ...errors import FiclensError
from ...plots import figure_bytes, work_figures
from ...read import ReadFailure, ReadLimits, read_bytes, read_text, work_id_for
from ..app import BadRequest, render
from ..reader import build_reader
from .work import PLOT_LABELS

router = APIRouter()


@router.get("/analyse", response_class=HTMLResponse, summary="Analyse-a-text page")
def analyse_form(request: Request) -> HTMLResponse:
    return render(
        request,
        "analyse.html",
        {"error": None, "limit": request.app.state.settings.max_upload_bytes, "text": "", "title": ""},
    )


async def _read_upload(upload: UploadFile, limit: int) -> bytes:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise BadRequest(f"the file is over the limit of {limit:,} bytes")
    return data


def _work_from(data: bytes, filename: str) -> object:
    name = (filename or "upload.txt")[-120:]
    for item in read_bytes(data, name=name, source=name, work_id=work_id_for(name), limits=ReadLimits()):
        if isinstance(item, ReadFailure):
            raise BadRequest(item.message)
        return item
    raise BadRequest(f"{name}: no work found in the file")


def _plots(profile: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    for kind, figure in work_figures(profile).items():
        svg = base64.b64encode(figure_bytes(figure, "svg")).decode("ascii")
        out.append({"kind": kind, "label": PLOT_LABELS.get(kind, kind), "src": f"data:image/svg+xml;base64,{svg}"})
    return out


@router.post("/analyse", response_class=HTMLResponse, summary="Analyse a pasted or uploaded work")
async def analyse_submit(request: Request) -> HTMLResponse:
    settings = request.app.state.settings
    limit = settings.max_upload_bytes
    form = await request.form(max_files=1, max_fields=8, max_part_size=limit + 64 * 1024)
    text = form.get("text") or ""
    title = str(form.get("title") or "").strip()[:300] or None
    upload = form.get("file")
    context = {"error": None, "limit": limit, "text": text if isinstance(text, str) else "", "title": title or ""}
    try:
        if isinstance(upload, UploadFile) and upload.filename:
            work = _work_from(await _read_upload(upload, limit), upload.filename)
            if title:
                work.title = title  # type: ignore[attr-defined]
        elif isinstance(text, str) and text.strip():
            if len(text.encode("utf-8")) > limit:
                raise BadRequest(f"the text is over the limit of {limit:,} bytes")
            work = read_text(text.replace("\r\n", "\n"), work_id="pasted-text", title=title)
        else:
            raise BadRequest("paste a text or choose a file to analyse")
        # abandon_on_cancel: past the request's time limit the page answers 503 at once, and the
        # analysis (bounded by the size limit) finishes in its thread and is dropped.
        profile = await to_thread.run_sync(
            lambda: request.app.state.analyser.analyse(work).to_dict(), abandon_on_cancel=True
        )
    except FiclensError as exc:
        context["error"] = exc.message
        return render(request, "analyse.html", context, status=400)
    plots = await to_thread.run_sync(_plots, profile, abandon_on_cancel=True)
    return render(
        request, "work.html", {"view": build_reader(profile), "summary": None, "plots": plots, "stored": False}
    )
