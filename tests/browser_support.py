"""Finding the browser the browser tests drive: Debian's `chromium`, through Playwright's
`executable_path` (Playwright's own browser download cannot work on our machines).

`make test` installs the package when it is missing and it can (root and apt-get); otherwise the
browser tests skip, saying why in the pytest header and in each skip, and under CI=true a
missing browser fails them instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> tuple[str | None, str]:
    """(path to a working chromium, "") or (None, why the browser tests cannot run)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return None, "playwright is not installed (pip install -e '.[test]')"
    path = next((p for p in CANDIDATES if Path(p).is_file()), None) or shutil.which("chromium")
    if not path:
        return None, "no chromium found (Debian: apt-get install chromium; `make test` does it as root)"
    try:
        version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"{path} does not run: {exc}"
    if version.returncode != 0:
        return None, f"{path} --version failed: {version.stderr.strip()[:200]}"
    return path, ""


def browser_required() -> bool:
    """Under CI a missing browser is a failure, not a skip."""
    return os.environ.get("CI", "").lower() == "true"
