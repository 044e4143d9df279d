"""The PDNC loader, cast file and quote-attribution scorer, on small invented novels whose right
scores are worked out by hand, and (when ../shared is present) on the real corpus."""

from __future__ import annotations

import ast
import csv
import json
from pathlib import Path

import pytest
import yaml

from ficlens.errors import InputNotFound, UnreadableInput
from ficlens.eval.mapping import NamedCharacter, NameMatcher, normalise_name
from ficlens.eval.pdnc import cast_yaml, evaluate_pdnc, load_pdnc, score_pdnc_novel
from test_eval_litbank import load_timed

SHARED_PDNC = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "pdnc-dev"

# An invented novel. The last quote is interrupted by narration, so it has two sub-spans.
TEXT = (
    "Chapter 1\n\n"
    "\u201cIs anyone home?\u201d called Mr. Halloway from the gate.\n\n"
    "\u201cOnly me,\u201d said Nell.\n\n"
    "\u201cThen come and help,\u201d he answered, \u201cthe cart is stuck.\u201d\n"
)

CAST = [
    # Character ID, Main Name, Aliases (as PDNC writes them), Gender, Category
    ("0", "Mr. Halloway", "{'Halloway', 'Mr. Halloway', 'Uncle Tom'}", "M", "major"),
    ("1", "Nell", "{'Nell', 'Miss Nell Halloway', 'Nelly'}", "F", "major"),
    ("2", "The Carter", "['The Carter']", "X", "minor"),
]


def inner(phrase: str) -> list[int]:
    """The [start, end) span of the words inside the quotation marks around `phrase`."""
    start = TEXT.index(phrase)
    return [start, start + len(phrase)]


QUOTES = [
    # quoteID, spans, speaker (as PDNC writes it: main name or alias), quoteType
    ("Q0", [inner("Is anyone home?")], "Mr. Halloway", "Explicit"),
    ("Q1", [inner("Only me,")], "Nelly", "Explicit"),  # an alias, not the main name
    ("Q2", [inner("Then come and help,"), inner("the cart is stuck.")], "Mr. Halloway", "Anaphoric"),
]


def write_novel(folder: Path, quotes=QUOTES, cast=CAST, text: str = TEXT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "novel_text.txt").write_text(text, encoding="utf-8")
    with open(folder / "character_info.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["Character ID", "Main Name", "Aliases", "Gender", "Category"])
        writer.writerows(cast)
    with open(folder / "quotation_info.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
        header = ["quoteID", "quoteText", "subQuotationList", "quoteByteSpans", "speaker", "addressees", "quoteType"]
        writer.writerow(header)
        for quote_id, spans, speaker, quote_type in quotes:
            subs = [text[s:e] for s, e in spans]
            writer.writerow([quote_id, " ".join(subs), repr(subs), json.dumps(spans), speaker, "[]", quote_type])
    return folder


@pytest.fixture
def novel(tmp_path):
    return load_pdnc(write_novel(tmp_path / "corpus" / "Invented"))[0]


def profile(quotes, characters=None) -> dict:
    if characters is None:
        characters = [
            {"id": "c1", "name": "Halloway", "aliases": ["Mr. Halloway"]},
            {"id": "c2", "name": "Nell", "aliases": []},
        ]
    return {"text": TEXT, "characters": characters, "mentions": [], "quotes": quotes}


def pq(phrase: str, speaker: str | None) -> dict:
    start, end = inner(phrase)
    return {"start": start, "end": end, "speaker": speaker, "addressees": [], "confidence": 0.9}


# --- loading ---------------------------------------------------------------------------------


def test_loader_reads_cast_spans_types_and_alias_speakers(novel):
    assert novel.id == "Invented"
    assert [c.name for c in novel.characters] == ["Mr. Halloway", "Nell", "The Carter"]
    assert novel.characters[1].aliases == ("Miss Nell Halloway", "Nelly")  # main name not repeated
    assert [c.gender for c in novel.characters] == ["male", "female", "unknown"]
    assert [q.speaker for q in novel.quotes] == ["0", "1", "0"]
    assert [novel.text[s:e] for s, e in novel.quotes[2].spans] == ["Then come and help,", "the cart is stuck."]
    assert [q.type for q in novel.quotes] == ["Explicit", "Explicit", "Anaphoric"]


def test_unknown_quote_types_and_speakers_are_kept_apart(tmp_path):
    quotes = [("Q0", [inner("Is anyone home?")], "Somebody Else", "nan")]
    loaded = load_pdnc(write_novel(tmp_path / "N", quotes=quotes))[0]
    assert loaded.quotes[0].type == "Unknown"
    assert loaded.quotes[0].speaker is None
    score = score_pdnc_novel(loaded, profile([pq("Is anyone home?", "c1")]))
    assert score.unresolved_speakers == 1 and score.quotes.total == 0


def test_a_single_novel_folder_can_be_given_directly(tmp_path):
    folder = write_novel(tmp_path / "Solo")
    assert [n.id for n in load_pdnc(folder)] == ["Solo"]


def test_missing_directory_is_input_not_found(tmp_path):
    with pytest.raises(InputNotFound):
        load_pdnc(tmp_path / "nowhere")


def test_directory_without_novels_is_rejected(tmp_path):
    with pytest.raises(UnreadableInput, match="no PDNC novel"):
        load_pdnc(tmp_path)


def test_novel_missing_a_file_is_rejected(tmp_path):
    folder = write_novel(tmp_path / "corpus" / "Broken")
    (folder / "character_info.csv").unlink()
    with pytest.raises(UnreadableInput, match="character_info.csv"):
        load_pdnc(tmp_path / "corpus")


def test_span_outside_the_text_is_rejected(tmp_path):
    quotes = [("Q0", [[5, len(TEXT) + 10]], "Nell", "Implicit")]
    with pytest.raises(UnreadableInput, match="outside"):
        load_pdnc(write_novel(tmp_path / "N", quotes=quotes))


def test_missing_column_is_named(tmp_path):
    folder = write_novel(tmp_path / "N")
    (folder / "quotation_info.csv").write_text('"quoteID","speaker"\n"Q0","Nell"\n', encoding="utf-8")
    with pytest.raises(UnreadableInput, match="quoteByteSpans"):
        load_pdnc(folder)


# --- the cast file ---------------------------------------------------------------------------


def test_cast_yaml_lists_every_character_with_aliases_and_gender(novel):
    cast = yaml.safe_load(cast_yaml(novel))
    assert cast["characters"] == [
        {"name": "Mr. Halloway", "aliases": ["Halloway", "Uncle Tom"], "gender": "male"},
        {"name": "Nell", "aliases": ["Miss Nell Halloway", "Nelly"], "gender": "female"},
        {"name": "The Carter", "aliases": [], "gender": "unknown"},
    ]
    assert "aliases: [Halloway, Uncle Tom]" in cast_yaml(novel)


# --- mapping by names ------------------------------------------------------------------------


def test_name_normalisation_ignores_case_periods_and_curly_apostrophes():
    assert normalise_name("Mr. O\u2019Hara") == normalise_name("mr  o'hara") == "mr o'hara"


def test_exact_name_match_beats_token_overlap():
    gold = [NamedCharacter("nell", ("Nell", "Miss Nell Halloway")), NamedCharacter("mr", ("Mr. Halloway", "Halloway"))]
    matcher = NameMatcher(gold)
    assert matcher.match(NamedCharacter("p", ("Halloway",))) == "mr"  # exact alias
    assert matcher.match(NamedCharacter("p", ("Mr Halloway",))) == "mr"  # exact after normalising
    assert matcher.match(NamedCharacter("p", ("Nell Halloway",))) == "nell"  # tokens: {nell, halloway}
    assert matcher.match(NamedCharacter("p", ("Mrs. Smith",))) is None  # "Mrs" alone identifies no one


def test_token_ties_go_to_the_more_prominent_character():
    gold = [NamedCharacter("a", ("Mr. Bennet",)), NamedCharacter("b", ("Mrs. Bennet",))]
    predicted = NamedCharacter("p", ("Bennet",))
    assert NameMatcher(gold).match(predicted) == "a"  # no prominence: the first listed
    assert NameMatcher(gold, prominence={"b": 5, "a": 1}).match(predicted) == "b"


def test_several_predicted_characters_may_map_to_one_gold_character():
    gold = [NamedCharacter("nell", ("Nell", "Nelly"))]
    predicted = [NamedCharacter("p1", ("Nell",)), NamedCharacter("p2", ("Nelly",)), NamedCharacter("p3", ("Tom",))]
    assert NameMatcher(gold).map_all(predicted) == {"p1": "nell", "p2": "nell"}


# --- scoring ---------------------------------------------------------------------------------


def test_perfect_prediction_scores_full_marks(novel):
    quotes = [
        pq("Is anyone home?", "c1"),
        pq("Only me,", "c2"),
        pq("Then come and help,", "c1"),
        pq("the cart is stuck.", "c1"),
    ]
    score = score_pdnc_novel(novel, profile(quotes))
    assert (score.quotes.correct, score.quotes.total, score.quotes.detected) == (3, 3, 3)
    assert score.mapped_characters == 2
    assert not score.text_mismatch


def test_wrong_missing_and_unattributed_quotes(novel):
    quotes = [
        pq("Is anyone home?", "c2"),  # wrong speaker
        pq("Then come and help,", None),  # found but attributed to nobody
    ]
    score = score_pdnc_novel(novel, profile(quotes))
    assert (score.quotes.total, score.quotes.correct, score.quotes.detected) == (3, 0, 2)
    assert score.by_type["Explicit"].total == 2 and score.by_type["Anaphoric"].detected == 1


def test_sub_spans_pool_their_overlap_to_pick_one_predicted_quote(novel):
    first, second = inner("Then come and help,"), inner("the cart is stuck.")
    quotes = [
        {"start": first[0], "end": first[0] + 4, "speaker": "c1"},  # 4 characters, right speaker
        {"start": first[0] + 4, "end": second[1], "speaker": "c2"},  # most of both sub-spans, wrong
    ]
    score = score_pdnc_novel(novel, profile(quotes))
    assert score.by_type["Anaphoric"].correct == 0 and score.by_type["Anaphoric"].detected == 1


def test_unmapped_predicted_speaker_is_wrong(novel):
    characters = [{"id": "c9", "name": "Stranger", "aliases": []}]
    score = score_pdnc_novel(novel, profile([pq("Is anyone home?", "c9")], characters))
    assert (score.quotes.correct, score.quotes.detected) == (0, 1)
    assert score.mapped_characters == 0


def test_text_mismatch_is_flagged(novel):
    bad = profile([])
    bad["text"] = TEXT.upper()
    assert score_pdnc_novel(novel, bad).text_mismatch


def test_malformed_profile_raises_a_ficlens_error(novel):
    with pytest.raises(UnreadableInput):
        score_pdnc_novel(novel, {"characters": [{"name": "no id"}]})


# --- whole runs ------------------------------------------------------------------------------


def test_micro_and_macro_accuracy_differ_as_defined(tmp_path):
    corpus = tmp_path / "corpus"
    write_novel(corpus / "A")
    write_novel(corpus / "B", quotes=QUOTES[:1])
    answers = {
        "A": [pq("Is anyone home?", "c1")],  # 1 of 3 right
        "B": [pq("Is anyone home?", "c1")],  # 1 of 1 right
    }
    report = evaluate_pdnc(corpus, lambda path, cast: profile(answers[path.parent.name]), with_cast=False)
    assert report.quotes.accuracy == pytest.approx(2 / 4)
    assert report.macro_accuracy == pytest.approx((1 / 3 + 1) / 2)
    assert report.by_type["Explicit"].accuracy == pytest.approx(2 / 3)
    assert report.by_type["Anaphoric"].accuracy == 0.0
    data = report.to_dict()
    json.dumps(data)
    assert data["totals"]["micro_accuracy"] == pytest.approx(0.5)
    text = report.to_text()
    assert "TOTAL" in text and "macro" in text and "A " in text


def test_with_cast_passes_a_readable_cast_file(tmp_path):
    corpus = tmp_path / "corpus"
    write_novel(corpus / "A")
    received = []

    def analyze(path: Path, cast: Path | None) -> dict:
        received.append(yaml.safe_load(cast.read_text(encoding="utf-8")))
        return profile([])

    evaluate_pdnc(corpus, analyze, with_cast=True)
    assert received[0]["characters"][1]["name"] == "Nell"

    seen = []
    evaluate_pdnc(corpus, lambda path, cast: seen.append(cast) or profile([]), with_cast=False)
    assert seen == [None]


def test_analysis_failure_is_flagged_and_counted_as_empty(tmp_path):
    corpus = tmp_path / "corpus"
    write_novel(corpus / "A")
    write_novel(corpus / "B")

    def analyze(path: Path, cast: Path | None) -> dict:
        if path.parent.name == "B":
            raise UnreadableInput("broken")
        return profile([pq("Is anyone home?", "c1")])

    report = evaluate_pdnc(corpus, analyze, with_cast=False)
    assert [n.error for n in report.novels] == [None, "broken"]
    assert report.quotes.total == 6 and report.quotes.correct == 1
    assert len(evaluate_pdnc(corpus, analyze, with_cast=False, limit=1).novels) == 1


# --- the real corpus -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_novels():
    if not SHARED_PDNC.is_dir():
        pytest.skip("../shared/eval/pdnc-dev is not available")
    return load_timed(load_pdnc, SHARED_PDNC)


def test_real_corpus_loads_and_every_speaker_resolves(real_novels):
    novels, _ = real_novels
    assert len(novels) >= 14
    assert all(q.speaker is not None for n in novels for q in n.quotes)
    assert {q.type for n in novels for q in n.quotes} >= {"Explicit", "Anaphoric", "Implicit"}


def test_real_spans_are_character_offsets(real_novels):
    """The spans index characters of novel_text.txt: every sub-quotation text is found at its span,
    nearly always exactly, otherwise up to surrounding whitespace."""
    novels, _ = real_novels
    novel = novels[0]
    exact = loose = 0
    with open(SHARED_PDNC / novel.id / "quotation_info.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            spans, subs = ast.literal_eval(row["quoteByteSpans"]), ast.literal_eval(row["subQuotationList"])
            for (start, end), sub in zip(spans, subs):
                exact += novel.text[start:end] == sub
                loose += novel.text[start:end].strip() == sub.strip()
    total = sum(len(q.spans) for q in novel.quotes)
    assert exact / total > 0.95 and loose == total


def test_real_gold_as_prediction_scores_full_marks(real_novels):
    novels, _ = real_novels
    for novel in novels[:5]:
        characters = [{"id": f"p{c.id}", "name": c.name, "aliases": list(c.aliases)} for c in novel.characters]
        quotes = [{"start": s, "end": e, "speaker": f"p{q.speaker}"} for q in novel.quotes for s, e in q.spans]
        score = score_pdnc_novel(novel, {"characters": characters, "quotes": quotes})
        assert score.quotes.accuracy == 1.0, novel.id
        assert yaml.safe_load(cast_yaml(novel))["characters"][0]["name"] == novel.characters[0].name
