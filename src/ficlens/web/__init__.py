"""`ficlens serve`: the web app over a corpus database (docs/web.md).

>>> from ficlens.web import create_app
>>> app = create_app("corpus.db")          # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1")     # doctest: +SKIP
"""

from __future__ import annotations

from .app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
