"""The LitBank loader and scorer, on small invented documents whose right scores are worked out by
hand, and (when ../shared is present) on the real corpus."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable, TypeVar

import pytest

from ficlens.errors import FiclensError, InputNotFound, UnreadableInput
from ficlens.eval.litbank import b3, evaluate_litbank, load_litbank, score_litbank_doc
from ficlens.eval.mapping import map_by_shared_mentions

SHARED_LITBANK = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "litbank"

# An invented, tokenised text in LitBank's layout: one sentence per line, tokens split by spaces.
LINES = [
    '" Come here , Anna , " said Tom Brown .',
    "Anna smiled at him and she waved to Mr. Grey .",
    "I think Tom is kind , said the old man , a Grey .",
    '" Good night , " said she .',
]
TEXT = "\n".join(LINES) + "\n"


def span_of(phrase: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def token_position(phrase: str, occurrence: int = 1) -> tuple[int, int, int, int]:
    """(sentence, first token, sentence, last token) of a phrase, as the quotations tsv writes it."""
    start, end = span_of(phrase, occurrence)
    sentence = TEXT[:start].count("\n")
    line_start = TEXT.rfind("\n", 0, start) + 1
    first = TEXT[line_start:start].count(" ")
    last = first + phrase.count(" ")
    return sentence, first, sentence, last


# (phrase, occurrence, category, chain or None)
MENTIONS = [
    ("Anna", 1, "PROP_PER", "Anna-1"),
    ("Tom Brown", 1, "PROP_PER", "Tom-2"),
    ("Anna", 2, "PROP_PER", "Anna-1"),
    ("him", 1, "PRON_PER", "Tom-2"),
    ("she", 1, "PRON_PER", "Anna-1"),
    ("Mr. Grey", 1, "PROP_PER", "Grey-3"),
    ("I", 1, "PRON_PER", "Narrator-4"),  # the narrator has no name: its pronouns are not judged
    ("Tom", 2, "PROP_PER", "Tom-2"),
    ("the old man", 1, "NOM_PER", "Grey-3"),
    ("Grey", 2, "PROP_PER", None),  # "a Grey": an apposition attribute, in no chain of its own
    ("she", 2, "PRON_PER", "Anna-1"),
]


# apposition joining "a Grey" to "the old man", whose chain it then belongs to
RELATIONS = [("appos", ("the old man", 1), ("Grey", 2))]


def write_litbank(root: Path, name: str = "1_invented_brat", quotes: bool = True, relations=RELATIONS) -> Path:
    brat = root / "coref" / "brat"
    brat.mkdir(parents=True, exist_ok=True)
    (brat / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    lines, number, category_ids = [], 1, {}
    for phrase, occurrence, category, chain in MENTIONS:
        start, end = span_of(phrase, occurrence)
        lines.append(f"T{number}\t{category} {start} {end}\t{phrase}")
        category_ids[(phrase, occurrence)] = f"T{number}"
        number += 1
        if chain:
            lines.append(f"T{number}\t{chain} {start} {end}\t{phrase}")
            number += 1
    for i, (kind, first, second) in enumerate(relations, 1):
        lines.append(f"R{i}\t{kind} Arg1:{category_ids[first]} Arg2:{category_ids[second]}")
    (brat / f"{name}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if quotes:
        tsv = root / "quotations" / "tsv"
        tsv.mkdir(parents=True, exist_ok=True)
        q1 = token_position('" Come here , Anna , "')
        q2 = token_position('" Good night , "')
        rows = [
            "QUOTE\tQ1\t" + "\t".join(map(str, q1)) + '\t" Come here , Anna , "',
            "QUOTE\tQ2\t" + "\t".join(map(str, q2)) + '\t" Good night , "',
            "ATTRIB\tQ1\tTom-2",
            "ATTRIB\tQ2\tAnna-1",
        ]
        (tsv / f"{name}.ann").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def mention(phrase: str, occurrence: int, character: str | None, kind: str) -> dict:
    start, end = span_of(phrase, occurrence)
    return {"start": start, "end": end, "character": character, "kind": kind}


def quote(phrase: str, speaker: str | None) -> dict:
    start, end = span_of(phrase)
    return {"start": start, "end": end, "speaker": speaker, "addressees": [], "confidence": 0.5}


@pytest.fixture
def doc(tmp_path):
    return load_litbank(write_litbank(tmp_path))[0]


# --- loading ---------------------------------------------------------------------------------


def test_loader_joins_category_and_chain_lines_by_span(doc):
    by_span = {(m.start, m.end): m for m in doc.mentions}
    assert by_span[span_of("Tom Brown")].category == "PROP_PER"
    assert by_span[span_of("Tom Brown")].entity == "Tom-2"
    assert by_span[span_of("the old man")].entity == "Grey-3"
    assert by_span[span_of("Grey", 2)].entity == "Grey-3"  # through the apposition
    assert len(doc.mentions) == len(MENTIONS)


def test_attribute_joined_to_nothing_stays_out_of_every_chain(tmp_path):
    doc = load_litbank(write_litbank(tmp_path, relations=[]))[0]
    attribute = next(m for m in doc.mentions if (m.start, m.end) == span_of("Grey", 2))
    assert attribute.entity is None
    # a prediction that puts it with Mr. Grey now merges two gold clusters
    score = score_litbank_doc(doc, perfect_profile())
    assert score.b3_all.recall == 1.0
    assert score.b3_all.precision == pytest.approx((6 - 1) / 6)


def test_quote_token_positions_become_character_offsets(doc):
    assert [doc.text[q.start : q.end] for q in doc.quotes] == ['" Come here , Anna , "', '" Good night , "']
    assert [q.speaker for q in doc.quotes] == ["Tom-2", "Anna-1"]


def test_documents_without_quotation_files_have_no_quotes(tmp_path):
    docs = load_litbank(write_litbank(tmp_path, quotes=False))
    assert docs[0].quotes == []
    assert len(docs[0].mentions) == len(MENTIONS)


def test_missing_directory_is_input_not_found(tmp_path):
    with pytest.raises(InputNotFound):
        load_litbank(tmp_path / "nowhere")


def test_directory_without_coref_layer_is_rejected(tmp_path):
    with pytest.raises(UnreadableInput, match="coref/brat"):
        load_litbank(tmp_path)


@pytest.mark.parametrize(
    "bad_line, message",
    [("T1\tPROP_PER 5\tAnna", ":1: not a brat"), ("T1\tPROP_PER 5 9999\tAnna", "outside")],
)
def test_malformed_ann_line_names_file_and_line(tmp_path, bad_line, message):
    root = write_litbank(tmp_path)
    (root / "coref" / "brat" / "1_invented_brat.ann").write_text(bad_line + "\n", encoding="utf-8")
    with pytest.raises(UnreadableInput, match=message):
        load_litbank(root)


def test_quote_outside_text_is_rejected(tmp_path):
    root = write_litbank(tmp_path)
    (root / "quotations" / "tsv" / "1_invented_brat.ann").write_text("QUOTE\tQ1\t0\t0\t0\t99\tx\n", encoding="utf-8")
    with pytest.raises(UnreadableInput, match="token 99"):
        load_litbank(root)


# --- B3 and mapping --------------------------------------------------------------------------


def test_b3_on_the_textbook_example():
    a, b, c, d = (0, 1), (2, 3), (4, 5), (6, 7)
    score = b3({a: "x", b: "x", c: "x", d: "y"}, {a: 1, b: 1, c: 2, d: 2})
    assert score.precision == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert score.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert score.f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))


def test_b3_twinless_mentions_score_zero():
    a, b, x = (0, 1), (2, 3), (8, 9)
    score = b3({a: "g", b: "g"}, {a: 1, b: 1, x: 1})
    assert score.precision == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)
    assert score.recall == pytest.approx(1.0)


def test_mapping_prefers_most_shared_then_more_prominent_entity():
    shared = [("c1", "A"), ("c1", "B"), ("c1", "B"), ("c2", "A"), ("c2", "B")]
    assert map_by_shared_mentions(shared, {"A": 1, "B": 5}) == {"c1": "B", "c2": "B"}
    assert map_by_shared_mentions(shared, {"A": 9, "B": 5}) == {"c1": "B", "c2": "A"}


# --- scoring one document --------------------------------------------------------------------


def perfect_profile() -> dict:
    return {
        "text": TEXT,
        "characters": [{"id": i, "name": n, "aliases": []} for i, n in [("c1", "Anna"), ("c2", "Tom"), ("c3", "Grey")]],
        "mentions": [
            mention("Anna", 1, "c1", "name"),
            mention("Tom Brown", 1, "c2", "name"),
            mention("Anna", 2, "c1", "name"),
            mention("him", 1, "c2", "pronoun"),
            mention("she", 1, "c1", "pronoun"),
            mention("Mr. Grey", 1, "c3", "name"),
            mention("Tom", 2, "c2", "name"),
            mention("Grey", 2, "c3", "name"),
            mention("she", 2, "c1", "pronoun"),
        ],
        "quotes": [quote('" Come here , Anna , "', "c2"), quote('" Good night , "', "c1")],
    }


def test_perfect_prediction_scores_full_marks(doc):
    score = score_litbank_doc(doc, perfect_profile())
    assert (score.names.precision, score.names.recall) == (1.0, 1.0)
    assert score.b3_all.f1 == 1.0 and score.b3_matched.f1 == 1.0
    # two pronouns of Anna, one of Tom; the narrator's "I" has no name and is not judged
    assert (score.pronouns.correct, score.pronouns.total) == (3, 3)
    assert (score.quotes.correct, score.quotes.total) == (2, 2)
    assert not score.text_mismatch


def test_name_detection_counts_exact_spans_only(doc):
    profile = perfect_profile()
    profile["mentions"] = [
        mention("Anna", 1, "c1", "name"),
        mention("Tom", 1, "c2", "name"),  # "Tom" inside gold "Tom Brown": not exact, so wrong
        mention("Mr. Grey", 1, "c3", "name"),
        mention("Anna", 1, "c1", "name"),  # a duplicate span counts once
        mention("him", 1, "c2", "pronoun"),  # pronouns are not names
    ]
    score = score_litbank_doc(doc, profile)
    assert (score.names.gold, score.names.predicted, score.names.matched) == (6, 3, 2)
    assert score.names.precision == pytest.approx(2 / 3)
    assert score.names.recall == pytest.approx(2 / 6)
    assert score.names.f1 == pytest.approx(2 * 2 / (3 + 6))


def test_b3_variants_over_matched_and_all_names(doc):
    profile = perfect_profile()
    # One predicted character for Anna and Tom; "Mr. Grey" missed; a spurious name "Come".
    profile["mentions"] = [
        mention("Anna", 1, "c1", "name"),
        mention("Tom Brown", 1, "c1", "name"),
        mention("Anna", 2, "c1", "name"),
        mention("Tom", 2, "c2", "name"),
        mention("Come", 1, "c1", "name"),
    ]
    score = score_litbank_doc(doc, profile)
    # Matched: Anna, Tom Brown, Anna (pred c1) and Tom (pred c2); gold Anna×2, Tom×2.
    assert score.b3_matched.precision == pytest.approx((2 / 3 + 1 / 3 + 2 / 3 + 1) / 4)
    assert score.b3_matched.recall == pytest.approx((1 + 1 / 2 + 1 + 1 / 2) / 4)
    # All: c1 also holds "Come" (twinless, 0); gold also holds Mr. Grey and the attribute Grey (0).
    assert score.b3_all.precision == pytest.approx((2 / 4 + 1 / 4 + 2 / 4 + 1 + 0) / 5)
    assert score.b3_all.recall == pytest.approx((1 + 1 / 2 + 1 + 1 / 2 + 0 + 0) / 6)


def test_pronoun_needs_the_right_span_and_a_character_mapped_to_its_entity(doc):
    profile = perfect_profile()
    profile["mentions"] = [m for m in profile["mentions"] if m["kind"] == "name"] + [
        mention("him", 1, "c1", "pronoun"),  # Tom's pronoun given to Anna's character: wrong
        mention("she", 1, "c1", "pronoun"),  # right
        mention("she", 2, "c9", "pronoun"),  # c9 has no name mention, so is unmapped: wrong
    ]
    score = score_litbank_doc(doc, profile)
    assert (score.pronouns.total, score.pronouns.correct, score.pronouns.detected) == (3, 1, 3)


def test_quote_speaker_uses_best_overlap_and_mapping(doc):
    profile = perfect_profile()
    start, end = span_of('" Come here , Anna , "')
    profile["quotes"] = [
        {"start": start, "end": start + 3, "speaker": "c1"},  # small overlap, wrong speaker
        {"start": start + 3, "end": end, "speaker": "c2"},  # largest overlap, right speaker
        {"start": 0, "end": 0, "speaker": "c2"},  # empty: ignored
    ]
    score = score_litbank_doc(doc, profile)
    assert (score.quotes.total, score.quotes.correct, score.quotes.detected) == (2, 1, 1)

    profile["quotes"][1]["speaker"] = None  # detected, but attributed to nobody
    score = score_litbank_doc(doc, profile)
    assert (score.quotes.correct, score.quotes.detected) == (0, 1)


def test_empty_profile_scores_zero_not_undefined(doc):
    score = score_litbank_doc(doc, {})
    assert score.names.recall == 0.0 and score.names.precision is None and score.names.f1 == 0.0
    assert score.pronouns.accuracy == 0.0 and score.quotes.detection == 0.0


def test_text_mismatch_is_flagged(doc):
    profile = perfect_profile()
    profile["text"] = TEXT.replace("Anna", "Anne")
    assert score_litbank_doc(doc, profile).text_mismatch


@pytest.mark.parametrize("profile", [[], {"mentions": {}}, {"quotes": [{"start": "1", "end": 4}]}])
def test_malformed_profile_raises_a_ficlens_error(doc, profile):
    with pytest.raises(UnreadableInput):
        score_litbank_doc(doc, profile)


# --- whole runs ------------------------------------------------------------------------------


def test_evaluate_sums_documents_and_flags_failures(tmp_path):
    root = write_litbank(tmp_path, "1_first_brat")
    write_litbank(tmp_path, "2_second_brat")
    seen = []

    def analyze(path: Path) -> dict:
        seen.append(path.name)
        if path.name.startswith("2_"):
            raise UnreadableInput("could not analyse")
        assert path.read_text(encoding="utf-8") == TEXT
        return perfect_profile()

    report = evaluate_litbank(root, analyze)
    assert seen == ["1_first_brat.txt", "2_second_brat.txt"]
    assert (report.names.gold, report.names.matched) == (12, 6)
    assert report.quotes.accuracy == pytest.approx(0.5)
    data = report.to_dict()
    json.dumps(data)
    assert data["failed"] == [{"doc": "2_second_brat", "error": "could not analyse"}]
    text = report.to_text()
    assert "1_first" in text and "2_second!" in text and "TOTAL" in text

    assert len(evaluate_litbank(root, analyze, limit=1).docs) == 1


def test_non_ficlens_errors_are_not_swallowed(tmp_path):
    root = write_litbank(tmp_path)

    def analyze(path: Path) -> dict:
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        evaluate_litbank(root, analyze)


# --- the real corpus -------------------------------------------------------------------------


Loaded = TypeVar("Loaded")


def load_timed(load: Callable[[Path], Loaded], path: Path) -> tuple[Loaded, float]:
    """What `load(path)` returns and the seconds it took; shared with the PDNC tests so that both
    corpora's load-time bounds are measured the same way."""
    started = time.perf_counter()
    loaded = load(path)
    return loaded, time.perf_counter() - started


@pytest.fixture(scope="module")
def real_docs():
    if not (SHARED_LITBANK / "coref" / "brat").is_dir():
        pytest.skip("../shared/eval/litbank is not available")
    return load_timed(load_litbank, SHARED_LITBANK)


def test_real_corpus_loads_quickly_and_spans_match_brat_text(real_docs):
    docs, seconds = real_docs
    assert len(docs) >= 80
    assert seconds < 5
    doc = docs[0]
    ann = (SHARED_LITBANK / "coref" / "brat" / f"{doc.id}.ann").read_text(encoding="utf-8")
    expected = {line.split("\t")[2] for line in ann.splitlines() if line.startswith("T")}
    assert {doc.text[m.start : m.end] for m in doc.mentions} == expected
    assert sum(len(d.quotes) for d in docs) > 1000
    assert all(q.speaker for d in docs for q in d.quotes)


def test_real_corpus_gold_as_prediction_scores_full_marks(real_docs):
    docs, _ = real_docs
    total_named = 0
    for doc in docs[:20]:
        profile = {
            "text": doc.text,
            "mentions": [
                {
                    "start": m.start,
                    "end": m.end,
                    "character": m.entity,
                    "kind": "name" if m.category == "PROP_PER" else "pronoun",
                }
                for m in doc.mentions
                if m.category in ("PROP_PER", "PRON_PER")
            ],
            "quotes": [{"start": q.start, "end": q.end, "speaker": q.speaker} for q in doc.quotes],
        }
        score = score_litbank_doc(doc, profile)
        assert score.names.f1 in (1.0, None)
        assert score.b3_matched.f1 in (1.0, None)
        assert score.pronouns.correct == score.pronouns.total
        assert score.quotes_named.correct == score.quotes_named.total
        total_named += score.quotes_named.total
    assert total_named > 0


def test_analysis_errors_do_not_stop_real_runs(real_docs):
    def analyze(path: Path) -> dict:
        raise FiclensError("no pipeline in this test")

    report = evaluate_litbank(SHARED_LITBANK, analyze, limit=3)
    assert [d.error for d in report.docs] == ["no pipeline in this test"] * 3
