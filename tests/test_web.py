"""The web app (`ficlens serve`) through FastAPI's TestClient: every page, the JSON API, and the
safety rules (escaping, bounded requests, 400s for bad input, a database never written)."""

from __future__ import annotations

import io
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient
from web_corpus import (
    HOSTILE_AUTHOR,
    HOSTILE_TAG,
    HOSTILE_TITLE,
    build_web_corpus,
    sha256,
)

import ficlens
from ficlens.web import WebSettings, create_app

PRIDE = "Pride and Prejudice - Jane Austen"


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline) -> Path:
    return build_web_corpus(tmp_path_factory.getbasetemp() / "web-corpus.db", pipeline)


@pytest.fixture(scope="module")
def client(db, pipeline):
    with TestClient(create_app(db, pipeline_factory=lambda: pipeline)) as c:
        yield c


@pytest.fixture(scope="module")
def ids(db) -> dict[str, int]:
    with ficlens.Corpus(db, readonly=True) as corpus:
        return {w.work_id: w.id for w in corpus.works()}


class Elements(HTMLParser):
    """Every start tag with its attributes, to check the markup a page really contains."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


# --- search ---------------------------------------------------------------------------------


def test_browse_lists_every_work_with_facet_counts(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "5 of 5 works" in page.text
    links = [a for a in Elements(page.text).find("a") if a.get("data-facet") == "fandom"]
    assert any("fandom=Pride+and+Prejudice+-+Jane+Austen" in a["href"] for a in links)
    api = client.get("/api/facets", params={"facet": "fandom"}).json()
    counts = {f["value"]: f["count"] for f in api["facets"]["fandom"]}
    assert counts[PRIDE] == 1 and api["total"] == 5


def test_facet_link_filters_the_results(client):
    page = client.get("/", params={"q": "the"})
    assert page.status_code == 200
    before = int(re.search(r"(\d+) works? match", page.text).group(1))
    href = next(
        a["href"] for a in Elements(page.text).find("a") if a.get("data-facet") == "fandom" and "Pride" in a["href"]
    )
    filtered = client.get("/" + href)
    after = int(re.search(r"(\d+) works? match", filtered.text).group(1))
    assert after == 1 < before
    assert "Pride and Prejudice (Chapters 1–3)" in filtered.text
    assert "Remove filter Fandom" in filtered.text  # the filter in force, removable


def test_search_snippets_mark_the_match_and_author_vs_suggested(client):
    page = client.get("/", params={"q": "boat"})
    assert re.search(r"<mark>boat</mark>", page.text, re.IGNORECASE)
    # The Pride example carries its author's fandom tag; the examples without tags get only suggestions.
    author = client.get("/api/search", params={"q": "the", "fandom": PRIDE, "tags": "author"}).json()
    assert author["total"] == 1
    suggested = client.get("/api/facets", params={"tags": "suggested", "facet": "rating"}).json()
    assert sum(f["count"] for f in suggested["facets"]["rating"]) >= 4


def test_sorting_and_paging(client):
    by_words = client.get("/api/search", params={"q": "the", "sort": "words"}).json()
    words = [h["words"] for h in by_words["hits"]]
    assert words == sorted(words, reverse=True)
    first = client.get("/api/search", params={"q": "the", "sort": "title", "limit": 2}).json()
    second = client.get("/api/search", params={"q": "the", "sort": "title", "limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] >= 4
    assert not {h["work"] for h in first["hits"]} & {h["work"] for h in second["hits"]}
    page = client.get("/", params={"q": "the", "limit": 2})
    assert 'rel="next"' in page.text and "offset=2" in page.text


@pytest.mark.parametrize("params", [
    {"q": '"unbalanced'}, {"q": "a AND"}, {"q": "the", "sort": "sideways"}, {"q": "the", "scope": "nowhere"},
    {"q": "the", "fandom": "No Such Fandom"}, {"q": "the", "min_words": "lots"}, {"q": "the", "limit": "x"},
    {"q": "the", "offset": "-3"}, {"q": "the", "tags": "everyone"}, {"q": "the", "facet": "colour"},
])  # fmt: skip
def test_malformed_queries_are_400_with_a_message(client, params):
    api = client.get("/api/search", params=params)
    assert api.status_code == 400, api.text
    assert api.json()["error"]
    page = client.get("/", params={k: v for k, v in params.items() if k != "facet"})
    if "facet" not in params:
        assert page.status_code == 400
        assert 'role="alert"' in page.text


def test_quotation_search(client, ids):
    page = client.get("/quotes", params={"q": "sleep"})
    assert page.status_code == 200
    hrefs = [a["href"] for a in Elements(page.text).find("a") if "#q-" in a.get("href", "")]
    assert hrefs, page.text
    by_speaker = client.get("/api/quotes", params={"q": "*", "speaker": "Mr. Bennet"}).json()
    assert by_speaker["total"] > 0
    assert all(h["speaker_name"] == "Mr. Bennet" for h in by_speaker["hits"])
    assert client.get("/quotes", params={"q": '"open'}).status_code == 400


# --- the reader -------------------------------------------------------------------------------


def test_work_page_reader(client, ids, db):
    work = ids["pride-and-prejudice-ch1-3"]
    page = client.get(f"/works/{work}")
    assert page.status_code == 200
    html = page.text
    tags = Elements(html)
    profile = ficlens.Corpus(db, readonly=True).profile(work)
    names = {c["id"]: c["name"] for c in profile["characters"]}
    # every quotation is a focusable span carrying its speaker, described by the tooltip
    quotes = tags.find("span", class_="q")
    assert len(quotes) == len(profile["quotes"])
    first = profile["quotes"][0]
    assert quotes[0]["data-s"] == names.get(first["speaker"], "unknown speaker")
    assert quotes[0]["tabindex"] == "0" and quotes[0]["aria-describedby"] == "tip"
    assert tags.find("div", id="tip")
    # notes apart from the story; characters coloured; layers switchable
    kinds = {p["kind"] for p in profile["parts"]}
    assert {"summary", "notes"} <= kinds
    assert 'class="part note' in html and 'class="part story"' in html
    assert re.search(r'class="m c0 name"', html)
    assert len(tags.find("input", type="checkbox")) == 4
    # every evidence link in the side panel has its anchor in the text
    anchors = {a["id"] for a in tags.find("span", class_="at")}
    links = [a["href"][1:] for a in tags.find("a", class_="ev-link")]
    assert links and set(links) <= anchors
    assert "Mr. Bennet" in html and "Suggested tags" in html and "Audit of the author" in html


def test_evidence_anchor_sits_at_the_passage(client, ids, db):
    work = ids["the-lighthouse-keeper"]
    html = client.get(f"/works/{work}").text
    profile = ficlens.Corpus(db, readonly=True).profile(work)
    rel = next(r for r in profile["relationships"] if r["evidence"])
    evidence = rel["evidence"][0]
    # the text right after the anchor, tags stripped, is the passage's own text
    after = html.split(f'id="at-{evidence["start"]}"', 1)[1]
    visible = re.sub(r"<[^>]+>", "", after.split(">", 1)[1])[:40]
    from html import unescape

    assert unescape(visible).startswith(profile["text"][evidence["start"] : evidence["start"] + 20])


def test_work_plots_are_svg_and_unknown_plots_404(client, ids):
    work = ids["pride-and-prejudice-ch1-3"]
    page = Elements(client.get(f"/works/{work}").text)
    sources = [img["src"] for img in page.find("img") if "/plots/" in img["src"]]
    assert len(sources) == 4
    for src in sources:
        response = client.get(src)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert b"<svg" in response.content and b"<script" not in response.content
    assert client.get(f"/works/{work}/plots/passwd.svg").status_code == 404


def test_missing_work_is_404(client):
    assert client.get("/works/9999").status_code == 404
    assert client.get("/api/works/9999").json()["status"] == 404
    assert client.get("/api/works/no-such-work/profile").status_code == 404


# --- escaping -----------------------------------------------------------------------------------


def test_hostile_title_tags_and_text_are_escaped_everywhere(client, ids):
    work = ids["hostile"]
    pages = {
        "work": client.get(f"/works/{work}").text,
        "search": client.get("/", params={"q": "Mara"}).text,
        "browse": client.get("/").text,
        "quotes": client.get("/quotes", params={"q": "sign"}).text,
        "corpus": client.get("/corpus").text,
        "query": client.get("/", params={"q": "<script>alert(1)</script>"}).text,
    }
    for name, html in pages.items():
        assert "<script>window" not in html and "<script>alert" not in html, name
        assert "<img src=x" not in html and "<b onmouseover" not in html, name
        tags = Elements(html).tags
        assert [a for t, a in tags if t == "script"] == [{"src": "/static/ficlens.js", "defer": ""}], name
        assert not [(t, a) for t, a in tags if any(k.startswith("on") for k in a)], name
        assert all(
            a["src"].startswith(("/works/", "/corpus/plots/", "data:image/svg+xml")) for t, a in tags if t == "img"
        ), name
    assert "&lt;script&gt;window.__pwned" in pages["work"]
    assert "&lt;img src=x onerror=" in pages["work"]
    assert "&lt;b onmouseover" in pages["work"]
    profile = client.get(f"/api/works/{work}/profile").json()
    assert profile["work"]["title"] == HOSTILE_TITLE  # the API returns the data as it is (JSON, not HTML)
    assert profile["work"]["authors"] == [HOSTILE_AUTHOR]
    assert HOSTILE_TAG in profile["work"]["author_tags"]["fandoms"]


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]


# --- files, limits, read-only ---------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static//etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/corpus/store.py", "/works/..%2f..%2fetc%2fpasswd",
])  # fmt: skip
def test_no_request_path_reaches_the_file_system(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert b"import" not in response.content and b"root:" not in response.content


def test_static_assets_are_served_locally(client):
    for asset in ("/static/style.css", "/static/ficlens.js", "/static/favicon.svg"):
        assert client.get(asset).status_code == 200
    for html in (client.get("/").text, client.get("/api").text):
        assert not re.search(r'(src|href)="(https?:)?//', html)


def test_openapi_is_served_without_cdn_pages(client):
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/works",
        "/api/works/{work}/profile",
        "/api/search",
        "/api/facets",
        "/api/quotes",
        "/api/works/{work}/similar",
        "/api/duplicates",
    } <= paths
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN
    listing = client.get("/api").text
    assert "/api/works/{work}/profile" in listing


def test_api_mirrors_the_library(client, db, ids):
    corpus = ficlens.Corpus(db, readonly=True)
    works = client.get("/api/works").json()
    assert works["total"] == len(corpus) == 5
    assert [w["work_id"] for w in works["works"]] == [w.work_id for w in corpus.works()]
    work = ids["the-lighthouse-keeper"]
    assert client.get(f"/api/works/{work}/profile").json() == corpus.profile(work)
    assert client.get(f"/api/works/{work}").json()["title"] == "The Lighthouse Keeper"
    similar = client.get(f"/api/works/{work}/similar", params={"k": 2}).json()
    assert [s["work"] for s in similar["similar"]] == [s.work for s in corpus.similar(work, k=2)]
    assert client.get("/api/duplicates").json()["groups"] == [] == corpus.duplicates()
    search = client.get("/api/search", params={"q": "boat", "facet": ["fandom", "rating"]}).json()
    library = corpus.search("boat", facets=["fandom", "rating"])
    assert search["total"] == library.total
    assert [h["work"] for h in search["hits"]] == [h.work for h in library.hits]
    assert search["hits"][0]["snippet"] == [list(s) for s in library.hits[0].snippet]


def test_analyse_a_pasted_text_loads_the_pipeline_once(db, pipeline, story_text):
    made = []

    def factory():
        made.append(1)
        return pipeline

    app = create_app(db, pipeline_factory=factory)
    with TestClient(app) as client:
        form = client.get("/analyse")
        assert form.status_code == 200 and 'for="text"' in form.text and 'for="file"' in form.text
        assert not made  # lazily: not at start-up, not for the form
        for _ in range(2):
            page = client.post("/analyse", data={"text": story_text, "title": "<i>Rain</i>"})
            assert page.status_code == 200
            assert 'data-s="Tobias"' in page.text
            assert "&lt;i&gt;Rain&lt;/i&gt;" in page.text and "<i>Rain" not in page.text
            assert "data:image/svg+xml;base64," in page.text  # its plots, drawn at once
    assert len(made) == 1 and app.state.analyser.loads == 1


def test_analyse_an_uploaded_file(client):
    html = (Path(__file__).resolve().parent.parent / "examples" / "pride-and-prejudice-ch1-3.html").read_bytes()
    page = client.post("/analyse", files={"file": ("../../etc/passwd.html", io.BytesIO(html), "text/html")})
    assert page.status_code == 200
    assert "Pride and Prejudice" in page.text and 'class="q"' in page.text


def test_analyse_refuses_empty_oversized_and_unreadable_input(db, pipeline):
    settings = WebSettings(db_path=db, max_upload_bytes=2_000)
    with TestClient(create_app(db, settings=settings, pipeline_factory=lambda: pipeline)) as client:
        empty = client.post("/analyse", data={"text": "   "})
        assert empty.status_code == 400 and "paste a text" in empty.text
        big = client.post("/analyse", data={"text": "word " * 1_000})
        assert big.status_code == 400 and "over the limit" in big.text
        huge = client.post("/analyse", files={"file": ("big.txt", io.BytesIO(b"x" * 200_000), "text/plain")})
        assert huge.status_code == 413 and "over the limit" in huge.text
        binary = client.post(
            "/analyse", files={"file": ("x.epub", io.BytesIO(b"PK\x03\x04garbage"), "application/epub+zip")}
        )
        assert binary.status_code == 400 and 'role="alert"' in binary.text


def test_request_time_is_bounded(db):
    class Slow:
        def __call__(self, work):
            time.sleep(3)

    settings = WebSettings(db_path=db, request_timeout=0.5)
    with TestClient(create_app(db, settings=settings, pipeline_factory=Slow)) as client:
        started = time.monotonic()
        response = client.post("/analyse", data={"text": "Some words to analyse."})
        assert response.status_code == 503 and "was stopped" in response.text
        assert time.monotonic() - started < 2.5


def test_sqlite_work_per_request_is_bounded(db):
    settings = WebSettings(db_path=db, query_timeout=-1.0)  # every deadline already passed
    with TestClient(create_app(db, settings=settings)) as client:
        response = client.get("/api/duplicates")
        assert response.status_code == 503 and "took over" in response.json()["error"]


def test_the_database_is_never_written(db, client, ids):
    before = sha256(db)
    for path in [
        "/",
        "/?q=the&fandom=" + PRIDE,
        "/quotes?q=sea",
        "/corpus",
        f"/works/{ids['hostile']}",
        "/api/works",
        f"/api/works/{ids['hostile']}/similar",
        "/api/duplicates",
        "/api/facets",
    ]:
        assert client.get(path).status_code == 200, path
    client.post("/analyse", data={"text": "Mara said \u201chello\u201d."})
    assert sha256(db) == before
    with ficlens.Corpus(db, readonly=True) as corpus, pytest.raises(ficlens.FiclensError):
        corpus.sql("DELETE FROM works")
    assert sha256(db) == before


def test_corpus_page_and_fandom_filter(client):
    page = client.get("/corpus")
    assert page.status_code == 200
    assert "Works by fandom" in page.text and PRIDE in page.text
    one = client.get("/corpus", params={"fandom": PRIDE})
    assert one.status_code == 200
    assert re.search(r'<span class="value">1</span> works', one.text)
    missing = client.get("/corpus", params={"fandom": "No Such Fandom"})
    assert missing.status_code == 404 and "No Such Fandom" in missing.text
    plots = [img["src"] for img in Elements(one.text).find("img") if img["src"].startswith("/corpus/plots/")]
    assert plots and all("fandom=" in src for src in plots)
    for src in plots[:3]:
        response = client.get(src)
        assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert client.get("/corpus/plots/..%2f..%2fetc.svg").status_code == 404
    assert client.get("/corpus/plots/secrets.svg").status_code == 404


def test_pages_have_labels_skip_link_and_phone_layout(client, ids):
    for path in ["/", "/quotes", "/analyse", "/corpus", f"/works/{ids['the-lighthouse-keeper']}"]:
        html = client.get(path).text
        tags = Elements(html)
        assert tags.find("a", class_="skip", href="#main") and tags.find("main", id="main"), path
        assert tags.find("meta", name="viewport"), path
        labelled = {a.get("for") for a in tags.find("label")}
        for control in [a for t, a in tags.tags if t in ("input", "select", "textarea")]:
            if control.get("type") in ("hidden", "checkbox"):
                continue  # hidden inputs carry filters; checkboxes sit inside their label
            assert control.get("id") in labelled, (path, control)
    css = client.get("/static/style.css").text
    assert "@media (max-width: 48rem)" in css


# --- the command -----------------------------------------------------------------------------------


def test_serve_command_checks_its_database_and_options(tmp_path, capsys):
    from ficlens.cli import main

    out, err = io.StringIO(), io.StringIO()
    assert main(["serve", "--db", str(tmp_path / "missing.db")], out, err) == 6
    assert err.getvalue().count("\n") == 1 and "no such corpus database" in err.getvalue()
    not_a_corpus = tmp_path / "other.db"
    not_a_corpus.write_bytes(b"hello, not sqlite" * 100)
    err = io.StringIO()
    assert main(["serve", "--db", str(not_a_corpus)], out, err) == 6
    assert not_a_corpus.read_bytes() == b"hello, not sqlite" * 100
    err = io.StringIO()
    assert main(["serve", "--db", str(not_a_corpus), "--port", "70000"], out, err) == 2
    assert json.dumps(err.getvalue()).count("\\n") == 1


def test_kept_answers_follow_a_database_that_changes(tmp_path, db, pipeline, story_text):
    """The landing page and plots are kept between requests, but not past a change to the database
    (`ficlens index` may add works while the server runs)."""
    import shutil

    from ficlens import read_text
    from ficlens.corpus.rows import build_record

    copy = tmp_path / "growing.db"
    shutil.copyfile(db, copy)
    with TestClient(create_app(copy)) as client:
        assert "5 of 5 works" in client.get("/").text
        assert "5 of 5 works" in client.get("/").text  # now from the cache
        with ficlens.Corpus(copy) as corpus:
            corpus.add([build_record(pipeline(read_text(story_text, work_id="rain", title="Rain")), "rain.txt")])
            assert "6 of 6 works" in client.get("/").text  # committed, still in the WAL
        assert "6 of 6 works" in client.get("/").text
