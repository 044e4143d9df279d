"""FanFicFare: TXT output, the --json-meta sidecar, and how the sidecar merges into a work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ficlens.errors import UnreadableInput
from ficlens.model import BODY, END_NOTES, NOTES, SUMMARY, AuthorTags, Part, Work
from ficlens.read.fanficfare import (
    apply_json_meta,
    load_json_meta,
    looks_like_fanficfare_text,
    parse_fanficfare_text,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fanficfare"


@pytest.fixture(scope="module")
def story_text() -> str:
    return (FIXTURES / "story.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def txt_work(story_text):
    return parse_fanficfare_text(story_text, source="story.txt", work_id="story")


def test_txt_layout_is_recognised(story_text):
    assert looks_like_fanficfare_text(story_text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Just a story.\n\nShe walked home. It was late.\n",
        "Title: A Story\nAuthor: someone\n\nChapter 1\n\nShe walked home.\n",
        "The Heading\n\nby the way, this is prose: not a header at all.\n\nWords: many\n",
    ],
)
def test_other_text_is_not_fanficfare(text):
    assert not looks_like_fanficfare_text(text)


def test_seed_works_are_not_fanficfare(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        assert not looks_like_fanficfare_text(path.read_text(encoding="utf-8")), path.name


def test_txt_keeps_the_file_text_verbatim(txt_work, story_text):
    assert txt_work.text == story_text
    assert txt_work.format == "fanficfare-txt"


def test_txt_header_metadata(txt_work):
    assert txt_work.title == "The Clockwork Heart"
    assert txt_work.authors == ["quillfeather", "tinkerwren"]
    assert txt_work.language == "English"
    tags = txt_work.author_tags
    assert tags.rating == "Teen And Up Audiences"
    assert tags.fandoms == ["Sherlock Holmes - Arthur Conan Doyle"]
    assert tags.categories == ["Gen"]  # AO3's category tag, which FFF mixes into genre
    assert tags.additional == ["Friendship", "Mystery"]
    assert tags.relationships == ["John Watson & Sherlock Holmes"]
    assert tags.characters == ["John Watson", "Mrs. Hudson", "Sherlock Holmes"]
    assert tags.series == ["Clockwork Cases"]
    assert txt_work.metadata["series_position"] == "2"
    assert txt_work.metadata["published"] == "2023-03-14"
    assert txt_work.metadata["updated"] == "2023-04-02"
    assert txt_work.metadata["words"] == "412"
    assert txt_work.metadata["status"] == "Completed"


def test_txt_parts(txt_work):
    expected = [
        (
            SUMMARY,
            None,
            None,
            "A parcel that ticks arrives at 221B — and it is not a bomb. Written\nfor ficlens’s tests.",
        ),
        (NOTES, None, None, "> This story was written only to test a file reader."),
        (SUMMARY, 1, None, "> The parcel arrives."),
        (BODY, 1, "The Ticking Box", None),
        (NOTES, 2, None, "> Mrs. Hudson gets the last word."),
        (BODY, 2, "Gears and Secrets", None),
        (END_NOTES, 2, None, "> The maker is never named."),
        (END_NOTES, None, None, "> Thank you for reading!"),
    ]
    assert [(p.kind, p.chapter, p.title) for p in txt_work.parts] == [e[:3] for e in expected]
    for part, (_, _, _, text) in zip(txt_work.parts, expected):
        if text is not None:
            assert txt_work.part_text(part) == text
    first, second = (txt_work.part_text(p) for p in txt_work.story_parts())
    assert first.startswith("The parcel sat on the table")
    assert first.endswith("it’s _warm_.”")
    assert second.startswith("Inside the box was a brass heart")
    assert second.endswith("“Then someone will come back\nfor it.”")
    assert "End file." not in second and "**" not in first + second


def test_txt_summary_with_markup_leaves_the_tags_out(story_text):
    text = story_text.replace(
        "Summary: A parcel that ticks arrives at 221B — and it is not a bomb. Written\nfor ficlens’s tests.",
        "Summary: <p>A parcel that ticks.</p>",
    )
    assert text != story_text
    work = parse_fanficfare_text(text, source="s", work_id="w")
    summary = next(p for p in work.parts if p.kind == SUMMARY and p.chapter is None)
    assert work.part_text(summary) == "A parcel that ticks."


def test_txt_wrapped_chapter_headings(story_text):
    """With wrap_width set, textwrap expands FFF's tab before a chapter title into spaces."""
    text = story_text.replace("\tThe Ticking Box", "        The Ticking Box").replace(
        "\tGears and Secrets", "        Gears and Secrets"
    )
    assert text != story_text
    work = parse_fanficfare_text(text, source="s", work_id="w")
    assert [p.title for p in work.story_parts()] == ["The Ticking Box", "Gears and Secrets"]


def test_txt_without_chapters_is_unreadable():
    text = "\n\n\nA Title\n\nby someone\n\n\n\nStatus: Completed\nWords: 3\n\n\n\nEnd file.\n"
    with pytest.raises(UnreadableInput):
        parse_fanficfare_text(text, source="s", work_id="w")


def test_load_json_meta_reads_the_sidecar():
    meta = load_json_meta((FIXTURES / "story.json").read_bytes())
    assert meta["storyUrl"] == "https://archiveofourown.org/works/9990001"
    assert meta["zchapters"][1][1]["title"] == "Gears and Secrets"


@pytest.mark.parametrize("data", [b"[1, 2, 3]", b'"a string"', b"{not json", b"\xff\xfe\x00junk", b""])
def test_load_json_meta_rejects_what_is_not_an_object(data):
    with pytest.raises(UnreadableInput) as info:
        load_json_meta(data)
    assert "\n" not in str(info.value)


def test_apply_json_meta_fills_every_field(txt_work):
    meta = load_json_meta((FIXTURES / "story.json").read_bytes())
    work = apply_json_meta(txt_work, meta)
    assert work.title == "The Clockwork Heart"
    assert work.authors == ["quillfeather", "tinkerwren"]
    assert work.language == "English"
    assert work.author_tags == AuthorTags(
        rating="Teen And Up Audiences",
        warnings=["No Archive Warnings Apply"],
        categories=["Gen"],
        fandoms=["Sherlock Holmes - Arthur Conan Doyle"],
        relationships=["John Watson & Sherlock Holmes"],
        characters=["John Watson", "Mrs. Hudson", "Sherlock Holmes"],
        additional=["Friendship", "Mystery"],
        language="English",
        series=["Clockwork Cases"],
        collections=["Baker Street Irregulars Fest"],
        stats={
            "published": "2023-03-14",
            "updated": "2023-04-02",
            "words": "412",
            "kudos": "57",
            "hits": "901",
            "comments": "8",
            "bookmarks": "12",
            "status": "Completed",
            "chapters": "2/2",
        },
    )
    assert work.metadata["url"] == "https://archiveofourown.org/works/9990001"
    assert work.metadata["published"] == "2023-03-14"
    assert work.metadata["updated"] == "2023-04-02"
    assert work.metadata["packaged"] == "2024-06-01 10:15:00"
    assert work.metadata["story_id"] == "9990001"
    assert work.metadata["series"] == [{"title": "Clockwork Cases", "position": "2"}]
    # the text and parts are the story file's, untouched
    assert work.text == txt_work.text
    assert work.parts == txt_work.parts
    assert txt_work.author_tags.warnings == []  # the input work is not changed


def test_apply_json_meta_keeps_story_values_the_sidecar_lacks():
    work = Work(
        id="w",
        text="Once.",
        parts=[Part(BODY, 0, 5, chapter=1)],
        title="From The File",
        authors=["file_author"],
        language="Deutsch",
        author_tags=AuthorTags(rating="Mature", characters=["Anna"], fandoms=["Original Work"]),
        metadata={"url": "https://example.org/s/1"},
    )
    merged = apply_json_meta(work, {"ships": "Anna/Berta", "characters": ["Anna", "Berta"], "title": ""})
    assert merged.title == "From The File"
    assert merged.authors == ["file_author"]
    assert merged.language == "Deutsch"
    assert merged.author_tags.rating == "Mature"
    assert merged.author_tags.fandoms == ["Original Work"]
    assert merged.author_tags.relationships == ["Anna/Berta"]
    assert merged.author_tags.characters == ["Anna", "Berta"]
    assert merged.metadata["url"] == "https://example.org/s/1"


def test_apply_json_meta_on_a_non_ao3_site():
    """On most sites FFF's `category` is the fandom, and genre holds genres."""
    work = Work(id="w", text="Once.", parts=[Part(BODY, 0, 5, chapter=1)])
    meta = {
        "category": "Harry Potter",
        "genre": "Romance, Drama",
        "extratags": "FanFiction, Slow Burn",
        "series": "Year Seven",
        "description": "<p>Short <b>summary</b>.</p>",
    }
    merged = apply_json_meta(work, json.loads(json.dumps(meta)))
    assert merged.author_tags.fandoms == ["Harry Potter"]
    assert merged.author_tags.categories == []
    assert merged.author_tags.additional == ["Romance", "Drama", "Slow Burn"]
    assert merged.author_tags.series == ["Year Seven"]
    assert "series_position" not in merged.metadata
    assert merged.metadata["summary"] == "Short summary."


def test_sidecar_is_merged_by_the_dispatcher(tmp_path):
    from ficlens.read import read

    html = tmp_path / "story.html"
    html.write_bytes((FIXTURES / "story.html").read_bytes())
    (tmp_path / "story.json").write_bytes((FIXTURES / "story.json").read_bytes())
    work = read(html)
    assert work.format == "fanficfare-html"
    assert work.author_tags.collections == ["Baker Street Irregulars Fest"]  # only the sidecar has it
    assert work.metadata["comments"] == "8"
