"""The gold annotations in tests/gold/examples.yaml must agree with the texts in examples/.

Quote attribution, characters and notes are scored against that gold file, so a gold entry that no
longer matches its text (a story edited, a quote added, a name changed) would silently skew every
score. These tests check only gold-against-text consistency; they never run ficlens' analysis.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLD_PATH = ROOT / "tests" / "gold" / "examples.yaml"
SEEDS = ROOT.parent / "shared" / "seeds"

POVS = {"first", "second", "third"}
TENSES = {"past", "present"}
GENDERS = {"female", "male", "nonbinary", "unknown"}
QUOTE_TYPES = {"explicit", "anaphoric", "implicit"}
NOTE_KINDS = {"notes", "end_notes"}
RELATIONSHIP_TYPES = {"family", "romantic", "friendship", "antagonism"}
READER = "Reader"

# Opening/closing marks of every quoting style the examples use. A curly opening mark never doubles
# as an apostrophe (apostrophes are ’), so counting opening marks counts quotations exactly.
OPENING = "“‘"


def load_gold() -> dict:
    with GOLD_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


GOLD = load_gold()
FILES = sorted(GOLD)


def read_example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def names_of(entry: dict) -> set[str]:
    return {c["name"] for c in entry["characters"]}


def all_labels(entry: dict) -> dict[str, list[str]]:
    return {c["name"]: [c["name"], *c.get("aliases", [])] for c in entry["characters"]}


def occurs_as_words(needle: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(needle)}(?![\w-])", text) is not None


def straight_quote_openings(text: str) -> list[int]:
    marks = [m.start() for m in re.finditer('"', text)]
    return marks[::2]


def opening_positions(text: str) -> list[int]:
    """Every opening quotation mark of the story: the outer marks and nested ones alike."""
    curly = [i for i, ch in enumerate(text) if ch in OPENING]
    return sorted(curly + straight_quote_openings(text))


def locate_quotes(text: str, quotes: list[dict]) -> list[dict]:
    """Find every gold quotation in order; each snippet must start right after an opening mark.

    Returns, per quotation, the offsets of its opening marks (first piece, then `parts`) and of its
    nested quotations, so other tests can reason about where the quotation lies.
    """
    openings = set(opening_positions(text))
    cursor = 0
    located = []
    for number, quote in enumerate(quotes, 1):
        marks = []
        for snippet in [quote["text"], *quote.get("parts", [])]:
            at = text.find(snippet, cursor)
            while at != -1 and at - 1 not in openings:
                at = text.find(snippet, at + 1)
            assert at != -1, f"quote {number}: {snippet!r} not found after offset {cursor} right after an opening mark"
            marks.append(at - 1)
            cursor = at + len(snippet)
        located.append({"marks": marks, "end": cursor, "nested": []})
    for number, (quote, where) in enumerate(zip(quotes, located), 1):
        following = located[number]["marks"][0] if number < len(located) else len(text)
        for inner in quote.get("nested", []):
            at = text.find(inner["text"], where["marks"][0], following)
            assert at != -1 and at - 1 in openings, f"quote {number}: nested {inner['text']!r} not inside it"
            where["nested"].append(at - 1)
    return located


def test_every_example_text_has_gold_and_every_gold_entry_has_a_file():
    texts = {p.name for p in EXAMPLES.glob("*.txt")}
    assert texts, "examples/ holds no .txt example"
    assert texts == set(GOLD), f"gold and examples differ: {sorted(texts ^ set(GOLD))}"


@pytest.mark.parametrize("name", FILES)
def test_fields_use_known_values(name):
    entry = GOLD[name]
    assert entry["pov"] in POVS
    assert entry["tense"] in TENSES
    assert isinstance(entry["reader"], bool)
    assert isinstance(entry["chapters"], int) and entry["chapters"] >= 1
    assert entry["layout"] in {"paragraphs", "flattened"}
    for character in entry["characters"]:
        assert character["gender"] in GENDERS, character
        assert character["name"] != READER, "the reader is not listed as a character"
    for note in entry.get("notes", []):
        assert note["kind"] in NOTE_KINDS, note
    for quote in entry["quotes"]:
        assert quote["type"] in QUOTE_TYPES, quote
    for relationship in entry.get("relationships", []):
        assert relationship["type"] in RELATIONSHIP_TYPES, relationship


@pytest.mark.parametrize("name", FILES)
def test_character_names_and_aliases_occur_in_the_text(name):
    text = read_example(name)
    labels = [label for group in all_labels(GOLD[name]).values() for label in group]
    assert len(labels) == len(set(labels)), "a name or alias is given to two characters"
    missing = [label for label in labels if not occurs_as_words(label, text)]
    assert not missing, f"names/aliases absent from {name}: {missing}"


@pytest.mark.parametrize("name", FILES)
def test_quotes_occur_in_order_right_after_opening_marks(name):
    locate_quotes(read_example(name), GOLD[name]["quotes"])


@pytest.mark.parametrize("name", FILES)
def test_every_quotation_mark_in_the_story_is_annotated(name):
    """Gold must list EVERY quotation: count the opening marks the gold accounts for."""
    text = read_example(name)
    entry = GOLD[name]
    located = locate_quotes(text, entry["quotes"])
    annotated = sorted(m for where in located for m in where["marks"] + where["nested"])
    assert annotated == opening_positions(text), "an opening quotation mark has no gold entry"


@pytest.mark.parametrize("name", FILES)
def test_quotes_lie_in_the_story_not_in_notes(name):
    text = read_example(name)
    entry = GOLD[name]
    located = locate_quotes(text, entry["quotes"])
    first, last = located[0]["marks"][0], located[-1]["end"]
    for block in [entry.get("summary"), *entry.get("notes", [])]:
        if not block:
            continue
        start = text.index(block["label"])
        assert not first <= start < last, f"{block['label']!r} block sits among the quotations"


@pytest.mark.parametrize("name", FILES)
def test_speakers_and_addressees_are_listed_characters_or_the_reader(name):
    entry = GOLD[name]
    allowed = names_of(entry) | ({READER} if entry["reader"] else set())
    for number, quote in enumerate(entry["quotes"], 1):
        people = [quote["speaker"], *quote.get("addressees", [])]
        people += [inner["speaker"] for inner in quote.get("nested", [])]
        unknown = [p for p in people if p not in allowed]
        assert not unknown, f"quote {number} ({quote['text']!r}) names unknown {unknown}"
        assert quote["speaker"] not in quote.get("addressees", []), f"quote {number} speaks to its speaker"


@pytest.mark.parametrize("name", FILES)
def test_type_agrees_with_the_tag(name):
    """Explicit tags name the speaker; anaphoric ones only point at them; implicit has no tag."""
    text = read_example(name)
    entry = GOLD[name]
    labels = all_labels(entry)
    located = locate_quotes(text, entry["quotes"])
    for number, (quote, where) in enumerate(zip(entry["quotes"], located), 1):
        tag = quote.get("tag")
        if quote["type"] == "implicit":
            assert tag is None, f"quote {number} is implicit but has tag {tag!r}"
            continue
        assert tag, f"quote {number} is {quote['type']} without a tag"
        window = text[max(0, where["marks"][0] - 200) : where["end"] + 200]
        assert tag in window, f"quote {number}: tag {tag!r} is not next to the quotation"
        speaker_labels = labels.get(quote["speaker"], [])
        names_speaker = any(occurs_as_words(label, tag) for label in speaker_labels)
        if quote["type"] == "explicit":
            assert names_speaker, f"quote {number}: explicit tag {tag!r} does not name {quote['speaker']}"
        else:
            assert not names_speaker, f"quote {number}: anaphoric tag {tag!r} names the speaker"


@pytest.mark.parametrize("name", FILES)
def test_multi_paragraph_quotes_span_that_many_paragraphs(name):
    text = read_example(name)
    entry = GOLD[name]
    located = locate_quotes(text, entry["quotes"])
    for number, (quote, where) in enumerate(zip(entry["quotes"], located), 1):
        inside = text[where["marks"][0] : where["end"]]
        breaks = len(re.findall(r"\n\s*\n", inside))
        assert breaks == quote.get("paragraphs", 1) - 1, f"quote {number} spans {breaks + 1} paragraphs"


@pytest.mark.parametrize("name", FILES)
def test_note_blocks_start_with_the_gold_words(name):
    text = read_example(name)
    entry = GOLD[name]
    blocks = ([entry["summary"]] if entry.get("summary") else []) + entry.get("notes", [])
    for block in blocks:
        pattern = re.escape(block["label"]) + r"\s*" + re.escape(block["text"])
        assert re.search(pattern, text), f"{block['label']!r} is not followed by {block['text']!r}"
    located = locate_quotes(text, entry["quotes"])
    first, last = located[0]["marks"][0], located[-1]["end"]
    for note in entry.get("notes", []):
        start = text.index(note["label"])
        if note["kind"] == "notes":
            assert start < first, f"beginning note {note['label']!r} comes after the story starts"
        else:
            assert start >= last, f"end note {note['label']!r} comes before the story ends"


@pytest.mark.parametrize("name", FILES)
def test_chapter_count_matches_the_headings(name):
    headings = re.findall(r"(?m)^Chapter \w+\b.*$", read_example(name))
    expected = GOLD[name]["chapters"]
    assert len(headings) == (expected if expected > 1 else 0), headings


@pytest.mark.parametrize("name", FILES)
def test_title_matches_the_title_line(name):
    match = re.search(r"(?m)^Title: (.+)$", read_example(name))
    assert (match.group(1).strip() if match else None) == GOLD[name]["title"]


@pytest.mark.parametrize("name", FILES)
def test_layout_matches_the_text(name):
    text = read_example(name).strip()
    if GOLD[name]["layout"] == "flattened":
        assert "\n" not in text, "a flattened example has a line break"
    else:
        assert "\n\n" in text, "a paragraphed example has no blank line between paragraphs"


@pytest.mark.parametrize("name", FILES)
def test_reader_flag_and_narration_agree_with_the_text(name):
    text = read_example(name)
    entry = GOLD[name]
    placeholders = entry.get("reader_placeholders", [])
    assert entry["reader"] == ("Y/N" in text)
    assert bool(placeholders) == entry["reader"]
    for placeholder in placeholders:
        assert placeholder in text, placeholder
    speakers = {q["speaker"] for q in entry["quotes"]}
    if entry["reader"]:
        assert entry["pov"] == "second" and READER in speakers
    if entry["pov"] == "first":
        assert entry.get("narrator") in names_of(entry), "a first-person work names its narrator"
        assert re.search(r"\bI said\b", text), "the narrator never speaks in the first person"
    else:
        assert "narrator" not in entry


@pytest.mark.parametrize("name", FILES)
def test_relationships_name_characters_and_quote_their_evidence(name):
    text = read_example(name)
    entry = GOLD[name]
    allowed = names_of(entry) | ({READER} if entry["reader"] else set())
    for relationship in entry.get("relationships", []):
        assert set(relationship["characters"]) <= allowed, relationship
        assert len(set(relationship["characters"])) == 2, relationship
        assert relationship["evidence"] in text, relationship["evidence"]


def _shingles(text: str, size: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.parametrize("name", FILES)
def test_examples_share_no_passage_with_the_seed_works(name):
    """The examples are our own writing: no eight-word run of a seed work may appear in them."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available")
    ours = _shingles(read_example(name))
    for seed in sorted(SEEDS.glob("*.txt")):
        shared = ours & _shingles(seed.read_text(encoding="utf-8", errors="replace"))
        assert not shared, f"{name} repeats {seed.name}: {' '.join(next(iter(shared)))!r}"
