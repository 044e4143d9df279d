"""Splitting plain text into parts (ficlens.segment)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ficlens.model import BODY, END_NOTES, NOTES, SUMMARY, Part
from ficlens.segment import iter_parts, split_parts

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def parts_of(text: str) -> list[Part]:
    """Split `text`, checking the invariants every split must keep."""
    parts = split_parts(text)
    assert parts == list(iter_parts(text.splitlines(True)))
    previous_end = 0
    for part in parts:
        assert previous_end <= part.start < part.end <= len(text), part
        assert not text[part.start].isspace() and not text[part.end - 1].isspace(), part
        previous_end = part.end
    return parts


def spans(text: str, parts: list[Part]) -> list[tuple[str, int | None, str]]:
    return [(p.kind, p.chapter, text[p.start : p.end]) for p in parts]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- no markers ------------------------------------------------------------------------------


def test_text_without_markers_is_one_body_part_without_surrounding_whitespace():
    text = "\n\n  The gate was open.\n\nNobody came through it.  \n\n"
    parts = parts_of(text)
    assert spans(text, parts) == [(BODY, 1, "The gate was open.\n\nNobody came through it.")]
    assert parts[0].title is None


@pytest.mark.parametrize("text", ["", "   \n\n\t\n"])
def test_empty_or_blank_text_has_no_parts(text):
    assert parts_of(text) == []


def test_ordinary_uses_of_the_word_notes_stay_story():
    text = fixture("false_positives.txt")
    parts = parts_of(text)
    assert [(p.kind, p.start, p.end) for p in parts] == [(BODY, 0, len(text.rstrip()))]


def test_notes_inside_a_flattened_story_are_not_a_marker_when_far_from_the_end():
    story = " ".join(f"Line {i} of the crossing went well." for i in range(150))
    text = story + " Notes: the captain kept them in a tin box. " + story
    parts = parts_of(text)
    assert [p.kind for p in parts] == [BODY]


# --- trailing notes --------------------------------------------------------------------------


def test_flattened_story_with_trailing_notes_label():
    text = fixture("flattened_end_notes.txt")
    assert "\n" not in text.strip()
    parts = parts_of(text)
    assert [p.kind for p in parts] == [BODY, END_NOTES]
    body, notes = (text[p.start : p.end] for p in parts)
    assert body.endswith('"I will come back before the lamp goes out."')
    assert notes.startswith("first time posting anything")
    assert "Notes:" not in notes and "Notes:" not in body


@pytest.mark.parametrize(
    "label", ["Notes:", "End Notes", "A/N", "A/N:", "Author's Notes:", "Authors Note:", "Author’s Note:"]
)
def test_trailing_note_labels_in_flattened_text(label):
    story = " ".join(f"The ferry crossed for the {i}th time." for i in range(120))
    text = f'{story} "Home," she said. {label} thank you for reading this one.'
    parts = parts_of(text)
    assert spans(text, parts)[-1] == (END_NOTES, None, "thank you for reading this one.")
    assert text[parts[0].start : parts[0].end].endswith('"Home," she said.')


@pytest.mark.parametrize("label", ["A/N", "Author's Note", "Authors Note", "Author’s Note:", "End Notes", "Notes:"])
def test_trailing_note_label_on_its_own_line(label):
    text = (
        "The ship came in.\n\nEveryone cheered.\n\nThe end came quietly.\n\n" + label + "\nI wrote this on a train.\n"
    )
    parts = parts_of(text)
    assert spans(text, parts) == [
        (BODY, 1, "The ship came in.\n\nEveryone cheered.\n\nThe end came quietly."),
        (END_NOTES, None, "I wrote this on a train."),
    ]


def test_mid_story_author_note_far_from_the_end_stays_story():
    paragraphs = [f"Paragraph {i} of the long walk north." for i in range(40)]
    text = "\n\n".join(paragraphs[:3] + ["A/N: time skip!"] + paragraphs[3:]) + "\n"
    assert [p.kind for p in parts_of(text)] == [BODY]


def test_label_lines_in_the_middle_of_a_story_stay_story():
    paragraphs = [f"Paragraph {i} of the survey went as planned." for i in range(30)]
    middle = ["Notes: the map showed three rivers, not two.", "Summary: nobody had read it."]
    text = "\n\n".join(paragraphs[:15] + middle + paragraphs[15:]) + "\n"
    assert spans(text, parts_of(text)) == [(BODY, 1, text.strip())]


# --- leading blocks --------------------------------------------------------------------------


def test_leading_author_notes_before_the_story():
    text = fixture("leading_an.txt")
    parts = parts_of(text)
    got = spans(text, parts)
    assert got[0] == (NOTES, None, "Hello! This is my first story here, please be kind.")
    assert got[1] == (NOTES, None, "the characters are my own, the mistakes too.")
    assert got[2][0] == BODY and got[2][2].startswith("The kettle whistled")
    assert "took notes: the kettle" in got[2][2] and got[2][2].endswith("better than any song.")
    assert len(got) == 3


def test_ao3_pasted_page_blocks_and_header_lines():
    text = fixture("ao3_pasted.txt")
    got = spans(text, parts_of(text))
    assert got == [
        (SUMMARY, None, "Pell learns to light the lamps of a town that forgets its own name."),
        (NOTES, None, "Written for a prompt about small jobs that matter."),
        (
            BODY,
            1,
            "Pell climbed the first ladder before the bells had finished.\n\n"
            'Orrin held the bottom rung and hummed something tuneless.\n\n"Tomorrow you do the bridge," Orrin said.',
        ),
        (END_NOTES, None, "Thanks to my sister for reading this twice."),
    ]


def test_flattened_header_fields_belong_to_no_part():
    story = " ".join(f"The mill turned {i} times." for i in range(80))
    text = f"Title: The Mill Author: someone Rating: General Audiences Summary: A mill. Work Text: {story}"
    assert spans(text, parts_of(text)) == [(SUMMARY, None, "A mill."), (BODY, 1, story)]


def test_header_lines_belong_to_no_part():
    text = "Title: Salt Roads\nAuthor: someone\nRating: Teen\n\nThe road was white with salt.\n"
    got = spans(text, parts_of(text))
    assert got == [(BODY, 1, "The road was white with salt.")]


def test_flattened_ao3_blocks_on_one_line():
    story = " ".join(f"The bell rang {i} times." for i in range(100))
    text = f"Summary: Two friends repair a bell. Notes: for my sister Work Text: {story} End Notes thank you all"
    got = spans(text, parts_of(text))
    assert got == [
        (SUMMARY, None, "Two friends repair a bell."),
        (NOTES, None, "for my sister"),
        (BODY, 1, story),
        (END_NOTES, None, "thank you all"),
    ]


def test_flattened_multi_chapter_paste_starts_a_chapter_at_each_chapter_text():
    story = " ".join(f"Step {i} of the climb." for i in range(60))
    text = f"Chapter Text {story} Chapter End Notes see you soon. Summary: the descent Chapter Text {story}"
    got = spans(text, parts_of(text))
    assert got == [
        (BODY, 1, story),
        (END_NOTES, 1, "see you soon."),
        (SUMMARY, 2, "the descent"),
        (BODY, 2, story),
    ]


# --- chapters --------------------------------------------------------------------------------


def test_chapter_headings_of_many_shapes():
    text = fixture("chapters.txt")
    parts = parts_of(text)
    assert [(p.kind, p.chapter, p.title) for p in parts] == [
        (BODY, 1, "Prologue"),
        (BODY, 2, "Chapter One: The Ice Road"),
        (BODY, 3, "CHAPTER II"),
        (BODY, 4, "Chapter 3 - Salt"),
        (BODY, 5, "Part 4"),
        (BODY, 6, "Chapter Forty-Two"),
        (BODY, 7, "Epilogue: Thaw"),
    ]
    assert text[parts[2].start : parts[2].end] == "Nobody in the village trusted the new ferry."


@pytest.mark.parametrize(
    "heading",
    [
        "Chapter 12",
        "CHAPTER XIV",
        "Chapter Fifty",
        "Chapter fifty-one: Late",
        "Chapter Thirty Seven",
        "chapter xlix",
        "Ch. 7",
        "Part Two",
        "Chapter 9: A Long Title",
        "~ Chapter 4 ~",
        "Interlude",
        "Prologue - Before",
    ],
)
def test_recognised_headings(heading):
    text = f"Some opening text here.\n\n{heading}\n\nThe chapter itself.\n"
    parts = parts_of(text)
    assert [(p.chapter, p.title) for p in parts] == [(1, None), (2, heading.strip(" ~"))]


@pytest.mark.parametrize(
    "line",
    [
        "Chapter 3 was the one everyone skipped.",
        "Part of me wanted to stay.",
        "She read the epilogue twice.",
        "Chapter and verse, she said.",
        "3 apples",
        "Chapter Seventeenish",
    ],
)
def test_heading_lookalikes_are_story(line):
    text = f"Some opening text here.\n\n{line}\n\nThe rest of it.\n"
    assert [p.kind for p in parts_of(text)] == [BODY]


def test_heading_mid_line_is_not_a_heading():
    text = "They reached Chapter 2 of the manual. It said nothing useful.\n"
    assert [(p.kind, p.title) for p in parts_of(text)] == [(BODY, None)]


def test_bare_numbers_count_as_headings_only_in_sequence():
    text = "1.\n\nFirst part.\n\n2.\n\nSecond part.\n\n7.\n\nStill the second part.\n"
    parts = parts_of(text)
    assert [(p.chapter, p.title, text[p.start : p.end]) for p in parts] == [
        (1, "1.", "First part."),
        (2, "2.", "Second part.\n\n7.\n\nStill the second part."),
    ]


def test_per_chapter_notes_and_end_notes():
    text = fixture("chapter_notes.txt")
    got = [(k, c, t[:30]) for k, c, t in spans(text, parts_of(text))]
    assert got == [
        (NOTES, 1, "This chapter was hard to write"),
        (BODY, 1, "Maren opened the shop at dawn,"),
        (END_NOTES, 1, "Next chapter has more clocks, "),
        (NOTES, 2, "a quick thank-you to everyone "),
        (BODY, 2, "Maren built the backwards clock"[:30]),
        (END_NOTES, 2, "that is all for now, see you n"),
    ]


def test_short_title_lines_above_the_first_chapter_are_in_no_part():
    text = "The Clockmaker\nby someone\n\nChapter 1\n\nTick.\n"
    assert spans(text, parts_of(text)) == [(BODY, 1, "Tick.")]


# --- streaming -------------------------------------------------------------------------------


def test_streaming_equals_whole_text_on_a_two_megabyte_work():
    rng = random.Random(11)
    words = "the lamp river stone quiet she he said “yes,” ’twas over under again".split()
    chunks = []
    for chapter in range(1, 120):
        chunks.append(f"Chapter {chapter}\r\n\r\n")
        if chapter % 4 == 0:
            chunks.append("A/N: short note here.\n\n")
        for _ in range(rng.randint(20, 60)):
            chunks.append(" ".join(rng.choice(words) for _ in range(rng.randint(40, 120))) + ".\n\n")
        if chapter % 6 == 0:
            chunks.append("Author's Note: thanks for the comments!\n")
    text = "".join(chunks)
    assert len(text) > 1_500_000
    parts = parts_of(text)  # also checks split_parts == list(iter_parts(...))
    assert max(p.chapter or 0 for p in parts) == 119
    assert sum(p.kind == NOTES for p in parts) == 29
    assert sum(p.kind == END_NOTES for p in parts) == 19


def test_iter_parts_is_lazy_and_consumes_lines_one_chapter_at_a_time():
    consumed = []

    def lines():
        for i in range(1, 6):
            for line in (f"Chapter {i}\n", "\n", f"Text of chapter {i}.\n", "\n"):
                consumed.append(line)
                yield line

    stream = iter_parts(lines())
    first = next(stream)
    assert first.chapter == 1
    assert len(consumed) < 12  # the first chapter came out before the whole text was read


# --- the real seeds (not shipped; skipped when absent) ---------------------------------------


def _seed(seeds_dir: Path, name: str) -> str:
    path = seeds_dir / name
    if not path.is_file():
        pytest.skip(f"seed {name} not available")
    return path.read_text(encoding="utf-8")


def test_seed_000_flattened_with_authors_notes(seeds_dir):
    text = _seed(seeds_dir, "000_b64040e11f77d32c.txt")
    parts = parts_of(text)
    bodies = [text[p.start : p.end] for p in parts if p.kind == BODY]
    notes = [text[p.start : p.end] for p in parts if p.kind == END_NOTES]
    assert len(bodies) == 1 and len(notes) == 1
    assert notes[0].startswith("i thought i'd give this a try")
    assert "i thought i'd give this a try" not in bodies[0]


def test_seed_004_flattened_without_notes(seeds_dir):
    text = _seed(seeds_dir, "004_e0741cfdd9cf48d3.txt")
    parts = parts_of(text)
    assert [p.kind for p in parts] == [BODY]
    assert parts[0].start == 0 and parts[0].end == len(text.rstrip())
