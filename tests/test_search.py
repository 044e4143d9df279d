"""`ficlens search` and `Corpus.search` / `search_quotes`: ranking, snippets, query syntax and its
errors, filters, facets, scopes, unicode (accents, CJK), output formats."""

from __future__ import annotations

import csv
import io
import json

import pytest

from corpus_helpers import cheap_corpus, run_cli
from ficlens import Corpus
from ficlens.corpus import build_record
from ficlens.corpus.fts import match_expression
from ficlens.corpus.search import SearchError, SearchFilters
from ficlens.read import iter_works

from conftest import EXAMPLES

WORKS = [
    {
        "id": "storm",
        "title": "The Storm",
        "author": "Ann",
        "fandom": "Sea Tales",
        "rating": "General Audiences",
        "characters": ["Mara", "Tobias"],
        "tags": ["Angst"],
        "text": "The rain had not stopped for three days. Mara watched the boat. The boat is back, she thought. "
        "Rain, rain and more rain on the well-known harbour of the town.",
    },
    {
        "id": "harbour",
        "title": "Harbour Lights",
        "author": "Ben",
        "fandom": "Sea Tales",
        "rating": "Mature",
        "characters": ["Mara"],
        "tags": ["Fluff", "Angst"],
        "text": "A boat came in at dawn. Nobody spoke of the rain. Rey's lantern burned in the lighthouse window.",
    },
    {
        "id": "desert",
        "title": "Dry Country",
        "author": "Cy",
        "fandom": "Desert Songs",
        "rating": "Teen And Up Audiences",
        "characters": ["Tobias"],
        "tags": ["Fluff"],
        "text": "Summary: rain never came to the desert.\n\nA/N: This one is about boats.\n\n"
        + "The sand was hot. Tobias walked on and on, and the sun did not set. " * 3,
    },
    {
        "id": "cafe",
        "title": "Le Café",
        "author": "Dé",
        "fandom": "Paris",
        "rating": "General Audiences",
        "text": "Elle entra dans le café de la gare. Le garçon apporta une crème brûlée.",
    },
    {
        "id": "tokyo",
        "title": "東京の夜",
        "author": "李",
        "fandom": "Cities",
        "rating": "General Audiences",
        "text": "我住在东京。每天晚上我都去看海。\n\n東京タワーが見える。",
    },
    {
        "id": "jd",
        "title": "Online Store",
        "author": "Li",
        "fandom": "Cities",
        "rating": "General Audiences",
        "text": "我在京东买了一本书。",
    },
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return cheap_corpus(tmp_path_factory.mktemp("search") / "c.db", WORKS)


@pytest.fixture(scope="module")
def corpus(db):
    with Corpus(db, readonly=True) as c:
        yield c


def ids(corpus, result) -> list[str]:
    return [corpus.work(h.work).work_id for h in result.hits]


def test_plain_words_are_anded_and_ranked_by_bm25(corpus):
    result = corpus.search("rain boat")
    assert set(ids(corpus, result)) == {"storm", "harbour"}  # "desert" has rain only in its summary
    assert ids(corpus, result)[0] == "storm"  # four rains beat one
    assert result.hits[0].score > result.hits[1].score > 0


def test_snippet_segments_flag_the_matches(corpus):
    hit = corpus.search("lighthouse").hits[0]
    matched = [text for text, is_match in hit.snippet if is_match]
    assert matched == ["lighthouse"]
    assert "lantern burned in the" in "".join(text for text, _ in hit.snippet)


@pytest.mark.parametrize(
    "query, expected",
    [
        ('"boat is back"', {"storm"}),
        ("lightho*", {"harbour"}),
        ("sand OR lantern", {"harbour", "desert"}),
        ("boat NOT lantern", {"storm"}),
        ("(sand OR lantern) AND window", {"harbour"}),
        ("NEAR(boat dawn, 3)", {"harbour"}),
        ("well-known", {"storm"}),
        ("Rey's", {"harbour"}),
        ("rain: boat", {"storm", "harbour"}),  # a stray colon is not a column filter
    ],
)
def test_query_syntax(corpus, query, expected):
    assert set(ids(corpus, corpus.search(query))) == expected


@pytest.mark.parametrize(
    "query, message",
    [
        ('"boat is back', "unbalanced quote"),
        ("(rain OR boat", "unbalanced parenthesis"),
        ("rain OR boat)", "unbalanced parenthesis"),
        ("rain AND", "needs a term after it"),
        ("OR rain", "needs a term on each side"),
        ("rain AND OR boat", "needs a term on each side"),
        ("", "empty query"),
        ("!!! ...", "holds no word"),
    ],
)
def test_malformed_queries_say_what_is_wrong(corpus, query, message):
    with pytest.raises(SearchError, match=message):
        corpus.search(query)


def test_cli_query_error_is_one_line_exit_2(db):
    code, out, err = run_cli("search", '"unclosed', "--db", db)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "unbalanced quote" in err and "Traceback" not in err


def test_notes_are_searched_only_when_asked(corpus):
    assert ids(corpus, corpus.search("boats")) == []
    notes = corpus.search("boats", scope="notes")
    assert ids(corpus, notes) == ["desert"] and notes.hits[0].scope == "notes"
    assert ids(corpus, corpus.search("desert", scope="all")) == ["desert"]
    assert ids(corpus, corpus.search("sand", scope="all")) == ["desert"]


def test_filters_combine(corpus):
    f = SearchFilters(fandom=["sea tales"])  # case does not matter
    assert set(ids(corpus, corpus.search("rain", filters=f))) == {"storm", "harbour"}
    f = SearchFilters(fandom=["Sea Tales"], tag=["Fluff"])
    assert ids(corpus, corpus.search("rain", filters=f)) == ["harbour"]
    f = SearchFilters(rating=["Mature", "General Audiences"])  # one rating a work: any of them
    assert set(ids(corpus, corpus.search("rain", filters=f))) == {"storm", "harbour"}
    f = SearchFilters(character=["Mara", "Tobias"])  # both characters
    assert ids(corpus, corpus.search("rain", filters=f)) == ["storm"]
    f = SearchFilters(words=(25, None))
    assert ids(corpus, corpus.search("rain", filters=f)) == ["storm"]
    f = SearchFilters(words=(None, 24))
    assert ids(corpus, corpus.search("rain", filters=f)) == ["harbour"]


def test_filter_on_whose_tags(corpus):
    f = SearchFilters(fandom=["Sea Tales"], tags="author")
    assert len(corpus.search("rain", filters=f).hits) == 2
    with pytest.raises(SearchError, match="no work has fandom 'Sea Tales' among ficlens's suggestions"):
        corpus.search("rain", filters=SearchFilters(fandom=["Sea Tales"], tags="suggested"))


def test_unknown_filter_value_or_facet_is_an_error(corpus):
    with pytest.raises(SearchError, match=r"no work has fandom 'Sea Tale'.*did you mean 'Sea Tales'"):
        corpus.search("rain", filters=SearchFilters(fandom=["Sea Tale"]))
    with pytest.raises(SearchError, match="unknown facet 'colour'"):
        corpus.search("rain", facets=["colour"])
    code, _, err = run_cli("search", "rain", "--db", corpus.path, "--words", "9..3")
    assert code == 2 and "minimum is above the maximum" in err


def test_facets_count_all_hits_not_the_page(corpus):
    result = corpus.search("rain OR sand OR boat", facets=["fandom", "tag", "rating"], limit=1)
    assert result.total == 3 and len(result.hits) == 1
    assert {(c.value, c.count) for c in result.facets["fandom"]} == {("Sea Tales", 2), ("Desert Songs", 1)}
    # most works first, a tie in the order of the values
    assert [(c.value, c.count) for c in result.facets["tag"]] == [("Angst", 2), ("Fluff", 2)]


def test_sort_and_paging(corpus):
    by_title = corpus.search("rain OR sand", sort="title")
    assert [h.title for h in by_title.hits] == ["Dry Country", "Harbour Lights", "The Storm"]
    by_words = corpus.search("rain OR sand", sort="words")
    assert [h.words for h in by_words.hits] == sorted((h.words for h in by_words.hits), reverse=True)
    page = corpus.search("rain OR sand", sort="title", limit=1, offset=1)
    assert page.total == 3 and [h.title for h in page.hits] == ["Harbour Lights"]


def test_accents_fold_both_ways(corpus):
    assert ids(corpus, corpus.search("cafe")) == ["cafe"]
    assert ids(corpus, corpus.search("CRÈME brulee")) == ["cafe"]
    snippet = corpus.search("garcon").hits[0].snippet
    assert ("garçon", True) in snippet  # shown as written


def test_cjk_queries_find_cjk_text(corpus):
    result = corpus.search("东京")
    assert ids(corpus, result) == ["tokyo"]  # not 京东 (JD.com): the characters in order
    text = "".join(t for t, _ in result.hits[0].snippet)
    assert "\u200b" not in text and "我住在东京" in text
    assert [t for t, m in result.hits[0].snippet if m] == ["东京"]
    assert ids(corpus, corpus.search("京东")) == ["jd"]
    assert ids(corpus, corpus.search("タワー")) == ["tokyo"]
    assert sorted(ids(corpus, corpus.search('"看海" OR 买'))) == ["jd", "tokyo"]


def test_query_translation():
    assert match_expression("rain boat") == '"rain" "boat"'
    assert match_expression('well-known "a ""b"" c"*') == '"well known" "a b c"*'
    assert match_expression("东京 tower*") == '"东 京" "tower"*'


def test_cli_text_json_csv(db):
    code, out, _ = run_cli("search", "rain", "--db", db, "--facets", "fandom")
    assert code == 0 and out.startswith("2 works match 'rain'") and "**rain**" in out.lower()
    assert "Sea Tales" in out
    code, out, _ = run_cli("search", "rain", "--db", db, "-f", "json", "--facets", "rating")
    data = json.loads(out)
    assert data["total"] == 2
    segments = data["hits"][0]["snippet"]  # [text, is_match] pairs
    assert all(isinstance(is_match, bool) for _, is_match in segments)
    assert {text.lower() for text, is_match in segments if is_match} == {"rain"}
    assert {f["value"] for f in data["facets"]["rating"]} == {"General Audiences", "Mature"}
    code, out, _ = run_cli("search", "rain", "--db", db, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["title"] for r in rows] == ["The Storm", "Harbour Lights"] and "rain" in rows[0]["snippet"].lower()
    code, out, _ = run_cli("search", "rain", "--db", db, "-f", "csv", "--facets", "fandom", "--limit", "0")
    assert code == 0 and list(csv.reader(io.StringIO(out)))[0] == ["facet", "value", "count"]
    code, _, err = run_cli("search", "rain", "--db", db, "--speaker", "Mara")
    assert code == 2 and "--quotes" in err


def test_cli_missing_database(tmp_path):
    code, _, err = run_cli("search", "rain", "--db", tmp_path / "none.db")
    assert code == 6 and "no such corpus database" in err


# --- quotations, on the analysed examples ----------------------------------------------------


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory, pipeline):
    path = tmp_path_factory.mktemp("examples") / "examples.db"
    records = [build_record(pipeline(w), str(w.source)) for w in iter_works(EXAMPLES) if hasattr(w, "text")]
    with Corpus(path) as c:
        c.add(records)
    return path


def test_quotes_by_speaker_and_addressee(examples_db):
    with Corpus(examples_db, readonly=True) as corpus:
        result = corpus.search_quotes("found", speaker="Poe")
        assert result.total >= 1
        for hit in result.hits:
            assert hit.speaker_name == "Poe Dameron"
            assert [t for t, m in hit.context if m] and hit.text in "".join(t for t, _ in hit.context)
        everything = corpus.search_quotes("*", speaker="Poe Dameron", limit=0)
        assert everything.total >= result.total
        to_kitty = corpus.search_quotes("*", addressee="Kitty")
        assert to_kitty.total >= 1
        assert all(any("Kitty" in name.split() for name in h.addressee_names) for h in to_kitty.hits)
        none = corpus.search_quotes("found", speaker="Elizabeth")
        assert none.total == 0
        with pytest.raises(SearchError, match="--speaker or --addressee"):
            corpus.search_quotes("*")
        star_wars = corpus.search_quotes("you", filters=SearchFilters(fandom=["Star Wars - All Media Types"]))
        assert star_wars.total >= 1
        assert all(corpus.work(h.work).source.endswith("starlight-and-static.txt") for h in star_wars.hits)
        assert star_wars.total < corpus.search_quotes("you").total


def test_quotes_cli(examples_db):
    code, out, _ = run_cli("search", "you", "--quotes", "--speaker", "poe", "--db", examples_db, "-n", "2")
    assert code == 0 and "Poe Dameron" in out and "(showing 1–2)" in out
    code, out, _ = run_cli("search", "you", "--quotes", "--db", examples_db, "-f", "csv", "-n", "3")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3 and all("you" in r["text"].lower() for r in rows)


def test_pov_filter_and_facet(examples_db):
    with Corpus(examples_db, readonly=True) as corpus:
        second = corpus.search("the", filters=SearchFilters(pov=["second"]), facets=["pov"])
        assert second.total >= 1 and all(corpus.work(h.work).pov == "second" for h in second.hits)
        assert [c.value for c in second.facets["pov"]] == ["second"]
        with pytest.raises(SearchError, match="unknown pov"):
            corpus.search("the", filters=SearchFilters(pov=["fourth"]))


def test_snippets_are_plain_text_segments(tmp_path):
    """Markup in a work stays text: the renderer (text, JSON, HTML) escapes segments itself."""
    db = cheap_corpus(
        tmp_path / "c.db", [{"id": "x", "text": 'She typed <script>alert("owl")</script> and the owl & the cat.'}]
    )
    with Corpus(db, readonly=True) as corpus:
        snippet = corpus.search("owl").hits[0].snippet
    assert "".join(t for t, _ in snippet) == 'She typed <script>alert("owl")</script> and the owl & the cat.'
    assert [t for t, m in snippet if m] == ["owl", "owl"]
