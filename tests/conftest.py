"""Shared fixtures: paths to the repo's examples and to ../shared (optional)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


def pytest_report_header(config) -> str:
    """Say up front whether the browser tests (tests/test_browser.py) can run, and if not why."""
    from browser_support import browser_required, find_chromium

    path, why = find_chromium()
    if path:
        return f"browser tests: chromium at {path}"
    return f"browser tests: {'FAIL (CI=true)' if browser_required() else 'SKIPPED'} — {why}"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not available")
    return SEEDS


STORY = (
    "The rain had not stopped for three days. Mara stood at the window.\n\n"
    "\u201cYou should sleep,\u201d Tobias said.\n\n"
    "\u201cI can\u2019t,\u201d she answered. \u201cNot until the boat is back.\u201d\n"
)


@pytest.fixture
def story_text() -> str:
    return STORY


@pytest.fixture(scope="session")
def pipeline():
    """One pipeline (and one loaded spaCy model) for every test that analyses text."""
    from ficlens.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def analyse(pipeline):
    """Analyse a string as a one-part story."""
    from ficlens.read import read_text

    return lambda text: pipeline(read_text(text))
