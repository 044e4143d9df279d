"""HTML reader: the AO3 example download, AO3 label variants, FanFicFare HTML, generic pages, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficlens.errors import FiclensError, UnreadableInput
from ficlens.model import BODY, END_NOTES, NOTES, SUMMARY, AuthorTags
from ficlens.read.html import read_html

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "pride-and-prejudice-ch1-3.html"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

EXPECTED_TAGS = AuthorTags(
    rating="General Audiences",
    warnings=["No Archive Warnings Apply"],
    categories=["F/M", "Gen"],
    fandoms=["Pride and Prejudice - Jane Austen"],
    relationships=[
        "Elizabeth Bennet/Fitzwilliam Darcy",
        "Jane Bennet/Charles Bingley",
        "Mr. Bennet & Mrs. Bennet",
    ],
    characters=[
        "Elizabeth Bennet",
        "Fitzwilliam Darcy",
        "Jane Bennet",
        "Charles Bingley",
        "Mr. Bennet",
        "Mrs. Bennet",
    ],
    additional=["Regency", "Canon Text", "First Impressions", "Public Domain"],
    language="English",
    series=["Austen Openings"],
    collections=["Public Domain Classics", "Regency Read-Along"],
    stats={
        "published": "2024-01-28",
        "completed": "2024-02-11",
        "words": "3,360",
        "chapters": "3/3",
        "kudos": "1,813",
        "hits": "12,345",
    },
)

EXPECTED_METADATA = {
    "url": "https://archiveofourown.org/works/1342",
    **EXPECTED_TAGS.stats,  # the reader copies the stats line into metadata as well as into the tags
    "series": [{"title": "Austen Openings", "position": "1"}],
    "series_position": "1",
}

# (kind, chapter, title, text the part starts with, text it ends with)
EXPECTED_PARTS = [
    (SUMMARY, None, None, "The Bennets hear that Netherfield Park", "every tag filled in."),
    (NOTES, None, None, "The text is Jane Austen’s, from 1813;", "it’s a test of the reader."),
    (SUMMARY, 1, None, "Mrs. Bennet learns that Netherfield is taken", "call on the newcomer."),
    (NOTES, 1, None, "The famous first sentence opens this chapter;", "between husband and wife."),
    (
        BODY,
        1,
        "Chapter 1: A Truth Universally Acknowledged",
        "It is a truth universally acknowledged, that a single man",
        "its solace was visiting and news.",
    ),
    (NOTES, 2, None, "Mr. Bennet has already called on Mr. Bingley —", "he simply hasn’t said so."),
    (BODY, 2, "Chapter 2: The Visit", "Mr. Bennet was among the earliest", "when they should ask him to dinner."),
    (END_NOTES, 2, None, "Kitty’s cough and Lydia’s height", "later in the novel."),
    (SUMMARY, 3, None, "Mr. Bingley and his party come to the Meryton assembly", "declines to dance."),
    (BODY, 3, "Chapter 3: The Assembly Ball", "Not all that Mrs. Bennet, however,", 'I quite detest the man."'),
    (END_NOTES, 3, None, "“Tolerable; but not handsome enough to tempt me”", "the line that starts everything."),
    (
        END_NOTES,
        None,
        None,
        "The novel continues for another fifty-eight chapters;",
        "Thanks for reading this example.",
    ),
]

# The FanFicFare fixture story, in every format it is written in: (kind, chapter, title) of each part.
CLOCKWORK_PARTS = [
    (SUMMARY, None, None),
    (NOTES, None, None),
    (SUMMARY, 1, None),
    (BODY, 1, "The Ticking Box"),
    (NOTES, 2, None),
    (BODY, 2, "Gears and Secrets"),
    (END_NOTES, 2, None),
    (END_NOTES, None, None),
]

LABELS = ("Summary", "Notes", "Chapter Summary", "Chapter Notes", "Chapter End Notes", "End Notes")


@pytest.fixture(scope="module")
def example_html() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def example_work(example_html):
    return read_html(example_html.encode("utf-8"), source=str(EXAMPLE), work_id="pp")


def check_ao3_example(work, fmt: str) -> None:
    """Every fact of the shipped AO3 example; shared with the EPUB tests."""
    assert work.format == fmt
    assert work.title == "Pride and Prejudice (Chapters 1–3)"
    assert work.authors == ["JaneAusten", "ficlens_editor"]
    assert work.language == "English"
    assert work.author_tags == EXPECTED_TAGS
    assert work.metadata == EXPECTED_METADATA
    check_ao3_parts(work)


def check_ao3_parts(work) -> None:
    got = [(p.kind, p.chapter, p.title) for p in work.parts]
    assert got == [(kind, chapter, title) for kind, chapter, title, _, _ in EXPECTED_PARTS]
    for part, (_, _, _, begins, ends) in zip(work.parts, EXPECTED_PARTS):
        text = work.text[part.start : part.end]
        assert text.startswith(begins), (part, text[:80])
        assert text.endswith(ends), (part, text[-80:])
        assert text == text.strip()
        assert not text.startswith(LABELS), part
    # parts are in text order and never overlap, so no note can sit inside a body
    for before, after in zip(work.parts, work.parts[1:]):
        assert before.end <= after.start
    bodies = [p for p in work.parts if p.kind == BODY]
    for note in (p for p in work.parts if p.kind != BODY):
        for body in bodies:
            assert note.end <= body.start or note.start >= body.end


def test_ao3_example_metadata_and_parts(example_work):
    check_ao3_example(example_work, "ao3-html")


def test_ao3_example_text_is_blocks_joined_by_blank_lines(example_work):
    text = example_work.text
    assert "\n\n\n" not in text
    body = example_work.part_text(example_work.parts[4])
    assert body.split("\n\n")[2] == (
        '"My dear Mr. Bennet," said his lady to him one day, "have you heard that Netherfield Park is let at last?"'
    )
    # labels and chapter headings are blocks of their own between the parts
    blocks = text.split("\n\n")
    for label in ("Summary", "Notes", "Chapter Notes", "Chapter End Notes", "End Notes", "Chapter 2: The Visit"):
        assert label in blocks
    # boilerplate and the tag block are not text
    assert "Posted originally" not in text
    assert "drop by the Archive" not in text
    assert "General Audiences" not in text
    assert "See the end of the work" not in text


def test_ao3_example_keeps_typographic_characters(example_work):
    summary = example_work.part_text(example_work.parts[0])
    assert "let at last — to a single man" in summary
    assert "Mrs. Bennet’s hopes" in summary
    notes = example_work.part_text(example_work.parts[1])
    assert "“fan fiction”" in notes


def test_ao3_label_variants_and_unlinked_tags():
    work = read_html((FIXTURES / "html" / "ao3_single_chapter.html").read_bytes(), source="s", work_id="w")
    tags = work.author_tags
    assert work.format == "ao3-html"
    assert tags.rating == "Mature"  # "Ratings" without colon
    assert tags.warnings == ["Underage Sex", "Graphic Depictions Of Violence"]  # plain comma list
    assert tags.categories == ["F/F"]  # lower-case "category:"
    assert tags.fandoms == ["Original Work"]
    assert tags.relationships == ["Original Female Character/Original Female Character"]
    assert tags.characters == ["Original Characters"]  # singular without colon
    assert tags.additional == ["Festivals", "Lanterns"]
    assert tags.stats == {"published": "2022-10-31", "words": "142"}
    assert work.authors == ["lamplighter"]
    assert work.metadata["url"] == "https://archiveofourown.org/works/5550001"


def test_ao3_single_chapter_body_has_chapter_one_and_no_title():
    work = read_html((FIXTURES / "html" / "ao3_single_chapter.html").read_bytes(), source="s", work_id="w")
    assert [(p.kind, p.chapter, p.title) for p in work.parts] == [
        (SUMMARY, None, None),
        (BODY, 1, None),
        (END_NOTES, None, None),
    ]
    body = work.part_text(work.parts[1])
    assert body.startswith("The lanterns went up one by one")
    assert body.endswith("right here, holding a match.")
    assert work.part_text(work.parts[2]) == "Written for the ficlens test suite."


@pytest.mark.parametrize("warning", ["Underage", "Underage Sex"])
def test_ao3_warning_tag_text_is_kept_verbatim(example_html, warning):
    html = example_html.replace(
        '<dt>Archive Warning:</dt>\n          <dd><a href="https://archiveofourown.org/tags/No%20Archive%20Warnings%20Apply">No Archive Warnings Apply</a></dd>',
        f'<dt>Archive Warnings:</dt>\n          <dd><a href="#">{warning}</a>, <a href="#">Major Character Death</a></dd>',
    )
    assert html != example_html
    work = read_html(html.encode("utf-8"), source="s", work_id="w")
    assert work.author_tags.warnings == [warning, "Major Character Death"]


def test_ao3_chapter_byline_and_missing_end_notes_do_not_disturb_parts(example_html):
    html = example_html.replace(
        '<h2 class="heading">Chapter 2: The Visit</h2>',
        '<h2 class="heading">Chapter 2: The Visit</h2>\n<p class="byline">Chapter by <a href="#">guest_writer</a></p>',
    )
    assert html != example_html
    work = read_html(html.encode("utf-8"), source="s", work_id="w")
    check_ao3_parts(work)
    assert "guest_writer" not in "".join(work.part_text(p) for p in work.parts)


def test_fanficfare_html():
    work = read_html((FIXTURES / "fanficfare" / "story.html").read_bytes(), source="s", work_id="w")
    assert work.format == "fanficfare-html"
    assert work.title == "The Clockwork Heart"
    assert work.authors == ["quillfeather", "tinkerwren"]
    assert work.language == "English"
    assert work.author_tags.fandoms == ["Sherlock Holmes - Arthur Conan Doyle"]
    assert work.author_tags.categories == ["Gen"]
    assert work.author_tags.additional == ["Friendship", "Mystery"]
    assert work.author_tags.relationships == ["John Watson & Sherlock Holmes"]
    assert work.author_tags.characters == ["John Watson", "Mrs. Hudson", "Sherlock Holmes"]
    assert work.author_tags.rating == "Teen And Up Audiences"
    assert work.author_tags.warnings == ["No Archive Warnings Apply"]
    assert work.author_tags.series == ["Clockwork Cases"]
    assert work.metadata["url"] == "https://archiveofourown.org/works/9990001"
    assert work.metadata["series_position"] == "2"
    assert work.metadata["published"] == "2023-03-14"
    assert work.metadata["kudos"] == "57"
    assert [(p.kind, p.chapter, p.title) for p in work.parts] == CLOCKWORK_PARTS
    texts = [work.part_text(p) for p in work.parts]
    assert texts[0] == "A parcel that ticks arrives at 221B — and it is not a bomb.\n\nWritten for ficlens’s tests."
    assert texts[1] == "This story was written only to test a file reader."
    assert texts[3].startswith("The parcel sat on the table")
    assert texts[3].endswith("“It’s warm — Holmes, it’s warm.”")
    assert texts[6] == "The maker is never named."
    assert texts[7] == "Thank you for reading!"
    assert "Table of Contents" not in work.text


def test_generic_html_is_one_body_of_paragraphs():
    work = read_html((FIXTURES / "html" / "generic.html").read_bytes(), source="s", work_id="w")
    assert work.format == "html"
    assert work.title == "Tea at Four"
    assert [(p.kind, p.chapter) for p in work.parts] == [(BODY, 1)]
    assert work.part_text(work.parts[0]) == work.text
    assert work.text.split("\n\n") == [
        "Home",
        "Tea at Four",
        "The kettle sang — loudly, as kettles do.",
        "“Sugar?” she asked.\n“Two,” he said.",
        "She poured. Nobody spoke.",
        "one cup",
        "two cups",
    ]
    assert "not text" not in work.text


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"<html><body></body></html>",
        b"<html><head><title>t</title><script>var a = 1;</script></head><body>  <p>&nbsp;</p></body></html>",
        b"<\x00\x01\x02\xff\xfe",
        b"<p>\x01\x02 * * * \x03</p>",
    ],
)
def test_html_without_text_is_unreadable(data):
    with pytest.raises(UnreadableInput) as info:
        read_html(data, source="s", work_id="w")
    assert "\n" not in str(info.value)


def test_ao3_layout_without_chapter_text_is_unreadable(example_html):
    start = example_html.index('<div id="chapters"')
    end = example_html.index('<div id="afterword">')
    with pytest.raises(FiclensError):
        read_html((example_html[:start] + example_html[end:]).encode("utf-8"), source="s", work_id="w")


def test_example_reads_through_the_dispatcher():
    from ficlens.read import read

    work = read(EXAMPLE)
    assert work.format == "ao3-html"
    assert work.id == "pride-and-prejudice-ch1-3"
    assert len(work.story_parts()) == 3
