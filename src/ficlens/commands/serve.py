"""`ficlens serve [--db corpus.db] [--host 127.0.0.1] [--port 8000]`: the web app (docs/web.md).

The database is checked before the server starts, so a missing or foreign file is the usual
one-line error and exit code 6, not a server that fails on every page.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TextIO

from . import Subparsers, UsageError

log = logging.getLogger(__name__)


def register(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("serve", help="browse, search and read a corpus database in a web browser")
    p.add_argument("--db", type=Path, default=Path("corpus.db"), help="the corpus database (default: corpus.db)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument(
        "--max-upload-kb", type=int, default=1000, help="largest work the Analyse page accepts, in kB (default: 1000)"
    )
    p.add_argument("--timeout", type=float, default=60.0, help="seconds any one request may take (default: 60)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: give a port between 1 and 65535")
    if args.max_upload_kb < 1 or args.timeout <= 0:
        raise UsageError("--max-upload-kb and --timeout must be positive")
    import uvicorn

    from ..web import WebSettings, create_app

    settings = WebSettings(db_path=args.db, max_upload_bytes=args.max_upload_kb * 1000, request_timeout=args.timeout)
    app = create_app(args.db, settings=settings)  # a CorpusError here is the CLI's one-line message
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"ficlens: warning: listening on {args.host}: anyone who can reach it can read the corpus", file=err)
    print(
        f"ficlens: serving {args.db} on http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}/"
        " (Ctrl-C stops)",
        file=err,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=5)
    return 0
