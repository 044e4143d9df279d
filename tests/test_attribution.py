"""Speaker attribution sieves on small constructed texts (see docs/quotes.md)."""

from __future__ import annotations


def _speakers(profile):
    names = {c.id: c.name for c in profile.characters}
    return [names.get(q.speaker) for q in profile.quotes]


def test_a_vocative_inside_the_quote_is_not_the_tag_subject(analyse):
    # spaCy often parses the name inside the quote as the subject of "cried".
    profile = analyse(
        "Mara Quill and Tobias Wren stood in the hall.\n\n"
        "\u201cReally, Tobias Wren,\u201d cried Mara with some warmth, \u201cyou puzzle me.\u201d\n\n"
        "\u201cReally, Mara,\u201d said Tobias, \u201cI do not.\u201d"
    )
    assert _speakers(profile) == ["Mara Quill", "Mara Quill", "Tobias Wren", "Tobias Wren"]
