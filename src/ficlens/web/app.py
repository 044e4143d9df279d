"""The FastAPI application behind `ficlens serve`: pages and a JSON API over one corpus database.

`create_app` is the factory; everything the app needs lives on `app.state` (its settings, the
Jinja2 environment, the lazily loaded pipeline), nothing in module globals. The database is
opened read-only, one connection per request (`corpus_dependency`), each with a deadline that
SQLite itself enforces, so that a slow query cannot hold a worker thread for long.

Safety rules kept here: templates autoescape everything; static files come from one fixed
directory inside the package; request bodies are size-limited before they are parsed; every
request has a time limit; every `FiclensError` becomes a 4xx with its one-line message.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Receive, Scope, Send

from .. import __version__
from ..corpus import Corpus, CorpusError
from ..errors import FiclensError
from .cache import DbCache

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATE_DIR = HERE / "templates"

# A strict policy: scripts, styles and images only from ficlens itself; nothing inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


@dataclass
class WebSettings:
    db_path: Path
    max_upload_bytes: int = 1_000_000  # an uploaded or pasted work (about 170,000 words)
    request_timeout: float = 60.0  # seconds for any request, analysis included
    query_timeout: float = 10.0  # seconds of SQLite work per request
    page_size: int = 20


class BadRequest(FiclensError):
    """A request the app cannot answer as asked (a malformed query, an unknown facet…)."""

    exit_code = 2


class NotFound(FiclensError):
    """No such work (or plot, or page)."""


@dataclass
class Analyser:
    """The analysis pipeline, loaded on first use and then kept for the server process's life.

    One analysis runs at a time: the machine's cores are better spent finishing one than
    interleaving several, and the pipeline's models are then never used by two threads at once.
    """

    factory: Callable[[], Any]
    loads: int = 0
    _pipeline: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def analyse(self, work: Any) -> Any:
        with self._lock:
            if self._pipeline is None:
                self._pipeline = self.factory()
                self.loads += 1
            return self._pipeline(work)


def _default_pipeline() -> Any:
    from ..pipeline import Pipeline

    return Pipeline()


def open_corpus(settings: WebSettings) -> Corpus:
    """A read-only connection whose queries SQLite interrupts once the deadline has passed."""
    corpus = Corpus(settings.db_path, readonly=True, create=False)
    deadline = time.monotonic() + settings.query_timeout
    corpus.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 1_000)
    return corpus


def corpus_dependency(request: Request) -> Iterator[Corpus]:
    corpus = open_corpus(request.app.state.settings)
    try:
        yield corpus
    finally:
        corpus.close()


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)


class Guard:
    """The limits every request lives under, as plain ASGI around the whole app.

    - a request body over `body_limit` bytes is refused (413) before anything parses or spools it;
    - a request that takes over `timeout` seconds is cancelled and answered 503 (routes that run
      long work in a thread abandon it on cancellation, see routes/analyse.py);
    - every response gets the security headers (a route may set its own policy, as plots do).

    Plain ASGI rather than Starlette's BaseHTTPMiddleware, whose task group would wait for a
    cancelled route to finish before answering.
    """

    def __init__(self, app: Any, body_limit: int, timeout: float):
        self.app = app
        self.body_limit = body_limit
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.body_limit:
            await self._answer(scope, receive, send, 413, f"request body over the limit of {self.body_limit:,} bytes")
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.body_limit:
                    raise _BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, counting_receive, guarded_send), self.timeout)
        except _BodyTooLarge:
            if not started:
                await self._answer(
                    scope, receive, guarded_send, 413, f"request body over the limit of {self.body_limit:,} bytes"
                )
        except TimeoutError:
            log.warning("%s %s stopped after %g s", scope.get("method"), scope.get("path"), self.timeout)
            if not started:
                await self._answer(
                    scope, receive, guarded_send, 503, f"the request took over {self.timeout:g} s and was stopped"
                )

    async def _answer(self, scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
        response = error_response(Request(scope, receive), status, message)
        await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


def create_app(
    db_path: str | Path, *, settings: WebSettings | None = None, pipeline_factory: Callable[[], Any] | None = None
) -> FastAPI:
    """The web app over the corpus database at `db_path` (checked now: a bad file fails here)."""
    settings = settings or WebSettings(db_path=Path(db_path))
    settings.db_path = Path(db_path)
    open_corpus(settings).close()  # CorpusError now, with its one-line message, not per request

    app = FastAPI(
        title="ficlens",
        version=__version__,
        summary="Browse, search and read a ficlens corpus; the JSON API mirrors ficlens.Corpus.",
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: /api lists the endpoints instead
        redoc_url=None,
    )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    env.filters["thousands"] = lambda n: f"{n:,}"
    app.state.settings = settings
    app.state.templates = Jinja2Templates(env=env)
    app.state.analyser = Analyser(pipeline_factory or _default_pipeline)
    app.state.cache = DbCache()  # corpus statistics and plot images
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Room for the form's other fields and multipart framing around the work itself.
    app.add_middleware(Guard, body_limit=settings.max_upload_bytes + 64 * 1024, timeout=settings.request_timeout)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error_response(request, 404, exc.message)

    @app.exception_handler(CorpusError)
    async def corpus_error(request: Request, exc: CorpusError) -> Response:
        # The database opened at start-up, so what is left is a work the request named wrongly.
        status = 404 if str(exc).startswith("no work") else 400
        return error_response(request, status, exc.message)

    @app.exception_handler(FiclensError)
    async def ficlens_error(request: Request, exc: FiclensError) -> Response:
        return error_response(request, 400, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        )  # fmt: skip
        return error_response(request, 400, f"malformed request: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(sqlite3.OperationalError)
    async def interrupted(request: Request, exc: sqlite3.OperationalError) -> Response:
        if "interrupt" in str(exc):
            return error_response(request, 503, f"the query took over {settings.query_timeout:g} s and was stopped")
        log.exception("database error")
        return error_response(request, 500, "database error")

    from .routes import register_routes

    register_routes(app)
    return app


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status)
