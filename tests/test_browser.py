"""The web app in a real browser: Debian's Chromium driven by Playwright against `ficlens serve`
started on a free localhost port. A search, a facet click, opening a work, a quotation's speaker
on hover and on keyboard focus, an evidence link scrolling to its passage, layers, the phone
layout, and the hostile-title page running no script. `make screenshots` writes docs/images/web-*.png.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from browser_support import LAUNCH_ARGS, browser_required, find_chromium
from web_corpus import HOSTILE_TITLE, build_web_corpus, sha256

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path, why = find_chromium()
    if path is None:
        if browser_required():
            pytest.fail(f"CI=true and the browser tests cannot run: {why}")
        pytest.skip(f"browser tests skipped: {why}")
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline) -> Path:
    return build_web_corpus(tmp_path_factory.getbasetemp() / "web-corpus.db", pipeline)


@pytest.fixture(scope="module")
def db_checksum(db) -> str:
    """The database's checksum before the server first opens it."""
    return sha256(db)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _serving(db: Path):
    """`ficlens serve` in its own process, as a user starts it; yields its base URL."""
    port = _free_port()
    command = [
        sys.executable,
        "-c",
        "import sys; from ficlens.cli import main; sys.exit(main())",
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
        "--timeout",
        "600",
    ]  # a busy CI machine
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/static/style.css", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                out, err = process.communicate()
                pytest.fail(f"ficlens serve did not start (exit {process.returncode}): {err.strip()[-500:]}")
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(db, db_checksum, chromium_path):
    with _serving(db) as base:
        yield base


@pytest.fixture(scope="module")
def clean_server(db, tmp_path_factory, chromium_path):
    """The same corpus without the hostile work, for the documentation's screenshots."""
    import ficlens

    clean = tmp_path_factory.mktemp("clean") / "corpus.db"
    shutil.copyfile(db, clean)
    with ficlens.Corpus(clean) as corpus:
        assert corpus.store.remove(["hostile.txt"]) == 1
    with _serving(clean) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport=DESKTOP, base_url=server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def _shot(page, name: str) -> None:
    """Screenshots land in docs/images only when asked (`make screenshots`), so that a test run
    never changes tracked files; otherwise they go to a scratch folder (still taken and checked)."""
    folder = IMAGES if os.environ.get("FICLENS_SCREENSHOTS") == "1" else Path(tempfile.gettempdir()) / "ficlens-shots"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"web-{name}.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000, f"{target} is nearly empty"


def _in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        """el => { const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight; }""",
    )


def _hits(page) -> int:
    return page.locator("ol.hits > li.hit").count()


def test_search_then_facet_click(page):
    page.goto("/")
    page.get_by_label("Search the works").fill("the")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results-heading:has-text('match')")
    assert "q=the" in page.url
    before = _hits(page)
    assert before >= 4
    assert page.locator("ol.hits mark").count() > 0  # snippets with the match marked
    page.locator("a[data-facet=fandom]", has_text="Pride and Prejudice").click()
    page.wait_for_url("**fandom=*")
    assert _hits(page) == 1 < before
    assert page.locator(".chip", has_text="Pride and Prejudice").count() == 1
    # removing the filter brings every hit back
    page.locator(".chip").click()
    page.wait_for_selector("ol.hits > li.hit >> nth=3")
    assert _hits(page) == before


def test_open_a_work_and_see_who_speaks_on_hover(page):
    page.goto("/?q=Bennet")
    page.locator("ol.hits a", has_text="Pride and Prejudice").click()
    page.wait_for_selector("#reader .q")
    assert "/works/" in page.url
    quote = page.locator("#reader .q[data-s='Mr. Bennet']").first
    quote.scroll_into_view_if_needed()
    tip = page.locator("#tip")
    assert tip.is_hidden()
    quote.hover()
    tip.wait_for(state="visible")
    assert tip.inner_text().startswith("Mr. Bennet to ")
    page.mouse.move(5, 5)
    tip.wait_for(state="hidden")


def test_keyboard_focus_on_a_quotation_shows_its_speaker(page):
    page.goto("/?q=Bennet")
    page.locator("ol.hits a", has_text="Pride and Prejudice").click()
    page.wait_for_selector("#reader .q")
    # the link just before the text, then Tab: the next stop is the first quotation
    page.get_by_role("link", name="Skip to the cast and tags").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.dataset.s]")
    assert focused[0] == "q"
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    assert tip.inner_text().startswith(focused[1] + " to ")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-describedby')") == "tip"
    page.keyboard.press("Tab")  # the next quotation: the tooltip follows the focus
    second = page.evaluate("() => document.activeElement.dataset.s")
    assert tip.inner_text().startswith(second + " to ")
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")


def test_evidence_link_scrolls_to_its_passage(page):
    page.goto("/?q=Bennet")
    page.locator("ol.hits a", has_text="Pride and Prejudice").click()
    page.wait_for_selector("#reader .q")
    # a link whose passage is out of sight, far down the text, and wrapped so that it can light up
    links = page.eval_on_selector_all("a.ev-link", "els => els.map(a => [a.getAttribute('href'), a.dataset.ev])")
    wrapped = set(page.eval_on_selector_all(".ev", "els => els.map(e => e.dataset.ev)"))
    far = [(h, key) for h, key in links if key in wrapped and not _in_viewport(page, h)]
    assert far, "every wrapped evidence passage already on screen: the test would prove nothing"
    href, key = far[-1]
    assert page.locator(f".ev.lit[data-ev='{key}']").count() == 0
    page.locator(f"a.ev-link[href='{href}']").first.click()
    page.wait_for_function(
        "sel => { const r = document.querySelector(sel).getBoundingClientRect();"
        " return r.top > 0 && r.bottom < window.innerHeight; }",
        arg=href,
    )
    assert page.url.endswith(href)
    assert page.locator(f".ev.lit[data-ev='{key}']").count() == 1


def test_layers_switch_on_and_off(page):
    page.goto("/?q=lighthouse&scope=all")
    page.goto(page.locator("ol.hits a").first.get_attribute("href"))
    name = page.locator("#reader .m.name").first
    colour = "el => getComputedStyle(el).backgroundColor"
    assert name.evaluate(colour) != "rgba(0, 0, 0, 0)"
    page.get_by_role("checkbox", name="character colours").uncheck()
    assert name.evaluate(colour) == "rgba(0, 0, 0, 0)"
    page.get_by_role("checkbox", name="character colours").check()
    assert name.evaluate(colour) != "rgba(0, 0, 0, 0)"
    note = page.locator("#reader .part.note .text").first
    if note.count():
        page.get_by_role("checkbox", name="author's notes").uncheck()
        assert note.is_hidden()


def test_skip_link_and_keyboard_start(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_hostile_title_runs_no_script(browser, server):
    context = browser.new_context(viewport=DESKTOP, base_url=server)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script("window.__pwned = undefined;")
    page.goto("/?q=Mara")
    page.locator("ol.hits a", has_text="Evil Title").click()
    page.wait_for_selector("#reader .q")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE  # shown as text
    page.locator("#reader .q").first.hover()  # mouse over everything hostile
    page.locator("#panel").hover()
    for url in ["/", "/?q=sign", "/quotes?q=sign", "/corpus", page.url]:
        page.goto(url)
        page.mouse.move(200, 300)
        assert page.evaluate("() => window.__pwned") is None, url
        scripts = page.eval_on_selector_all("script", "els => els.map(s => s.getAttribute('src'))")
        assert scripts == ["/static/ficlens.js"], url
        assert page.locator("img[onerror], [onmouseover]").count() == 0, url
    assert dialogs == []
    # and the page's own script does run: the hostile page's tooltip works
    page.locator("#reader .q").first.hover()
    page.locator("#tip").wait_for(state="visible")
    context.close()


def test_corpus_page_filters_by_fandom(page):
    page.goto("/corpus")
    total = page.locator(".stat-cards .value").first.inner_text()
    page.get_by_label("Fandom", exact=True).select_option("Pride and Prejudice - Jane Austen")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**fandom=*")
    assert page.locator(".stat-cards .value").first.inner_text() == "1" != total


def test_analyse_a_pasted_text(page, story_text):
    page.goto("/analyse")
    page.get_by_label("Title (optional)").fill("Three Days of Rain")
    page.get_by_label("The text").fill(story_text)
    # the first analysis loads the pipeline: allow for a slow, busy machine
    page.get_by_role("button", name="Analyse").click(timeout=300_000)
    page.wait_for_selector("#reader .q, .error", timeout=300_000)
    assert not page.locator(".error").count(), page.locator(".error").inner_text()
    assert page.locator("h1").inner_text() == "Three Days of Rain"
    quote = page.locator("#reader .q[data-s='Tobias']").first
    quote.hover()
    page.locator("#tip").wait_for(state="visible")
    assert page.locator("#tip").inner_text().startswith("Tobias to ")
    page.locator(".plots").scroll_into_view_if_needed()
    page.evaluate("() => window.scrollTo(0, 0)")
    _shot(page, "analyse")


def test_phone_width_layout(browser, server):
    context = browser.new_context(viewport=PHONE, base_url=server, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto("/?q=the")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    results = page.locator(".results").bounding_box()
    facets = page.locator(".facets").bounding_box()
    assert facets["y"] > results["y"]  # one column: facets after the results
    page.locator("ol.hits a", has_text="Pride and Prejudice").click()
    page.wait_for_selector("#reader .q")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.locator("#panel").bounding_box()["y"] > page.locator("#reader").bounding_box()["y"]
    page.locator("#reader .q").nth(2).tap()
    page.locator("#tip").wait_for(state="visible")
    context.close()


def test_screenshots_of_the_main_pages(browser, clean_server):
    """docs/images/web-*.png, for docs/web.md (the analyse page's is taken above)."""
    context = browser.new_context(viewport=DESKTOP, base_url=clean_server)
    page = context.new_page()
    page.goto("/?q=the")
    page.wait_for_selector(".facet")
    _shot(page, "search")
    page.locator("ol.hits a", has_text="Pride and Prejudice").click()
    quote = page.locator("#reader .q[data-s='Mr. Bennet'][data-a='Mrs. Bennet']").first
    quote.scroll_into_view_if_needed()
    quote.hover()
    page.locator("#tip").wait_for(state="visible")
    _shot(page, "work")
    page.goto("/corpus")
    first_plot = page.locator(".stat-plot img").first
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first_plot.element_handle())
    _shot(page, "corpus")
    context.close()
    phone = browser.new_context(viewport=PHONE, base_url=clean_server, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto("/?q=Bennet")
    page.locator("ol.hits a", has_text="Pride and Prejudice").click()
    page.locator("#reader .q").nth(2).tap()
    page.locator("#tip").wait_for(state="visible")
    _shot(page, "work-phone")
    phone.close()


def test_the_browsing_session_left_the_database_unchanged(server, db, db_checksum):
    assert sha256(db) == db_checksum
