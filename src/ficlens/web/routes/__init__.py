"""The app's routes, one module per page, and the JSON API (`api`)."""

from __future__ import annotations

from fastapi import FastAPI


def register_routes(app: FastAPI) -> None:
    from . import analyse, api, corpus, search, work

    for module in (search, work, corpus, analyse, api):
        app.include_router(module.router)
