"""`--format ao3`: the work header in AO3's layout."""

from __future__ import annotations

import io

from ficlens.cli import main
from ficlens.model import Profile, Stats, TagSuggestion, Work
from ficlens.render.ao3 import header_rows, render_ao3


def _profile() -> Profile:
    profile = Profile(
        work=Work(id="w", text="", title="A Title", authors=["someone"]), stats=Stats(words=1234, chapters=1)
    )
    tags = profile.tags
    tags.rating = TagSuggestion("Mature", 0.6)
    tags.warnings = [TagSuggestion("No Archive Warnings Apply", 0.7)]
    tags.categories = [TagSuggestion("F/M", 0.8)]
    tags.fandoms = [TagSuggestion("Star Wars - All Media Types", 0.9)]
    tags.relationships = [TagSuggestion("Rey/Ben Solo | Kylo Ren", 0.8), TagSuggestion("Finn & Rey (Star Wars)", 0.2)]
    tags.characters = [TagSuggestion("Rey (Star Wars)", 0.9), TagSuggestion("Ben Solo | Kylo Ren", 0.9)]
    tags.additional = [TagSuggestion("Angst", 0.7)]
    return profile


def test_rows_in_ao3_order_with_singular_and_plural_labels():
    rows = header_rows(_profile())
    assert [label for label, _ in rows] == [
        "Rating",
        "Archive Warning",
        "Category",
        "Fandom",
        "Relationship",
        "Characters",
        "Additional Tags",
        "Language",
        "Stats",
    ]
    values = dict(rows)
    assert values["Relationship"] == "Rey/Ben Solo | Kylo Ren"  # the 0.2 suggestion is left out
    assert values["Stats"] == "Words: 1,234 Chapters: 1/1"


def test_uncertain_warning_becomes_chose_not_to_warn():
    profile = _profile()
    profile.tags.warnings = [TagSuggestion("Major Character Death", 0.3)]
    assert dict(header_rows(profile))["Archive Warning"] == "Creator Chose Not To Use Archive Warnings"
    profile.tags.warnings = [
        TagSuggestion("Major Character Death", 0.6),
        TagSuggestion("Graphic Depictions Of Violence", 0.7),
    ]
    assert dict(header_rows(profile))["Archive Warnings"] == "Graphic Depictions Of Violence, Major Character Death"


def test_render_has_title_and_byline():
    text = render_ao3(_profile())
    assert text.startswith("Rating:") and "\nA Title\nsomeone\n" in text


def test_cli_format_ao3(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Anna met Ben Cole at the station. Ben kissed Anna, and Anna kissed him back.", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["analyze", str(path), "--format", "ao3"], out, err) == 0
    assert out.getvalue().startswith("Rating:") and "Language:         English" in out.getvalue()


def test_html_report_shows_suggestions_relationships_and_audit(pipeline):
    from conftest import EXAMPLES
    from ficlens import read
    from ficlens.render import render

    page = render(pipeline(read(EXAMPLES / "pride-and-prejudice-ch1-3.html")), "html")
    assert "<h2>Suggested tags</h2>" in page and "<h2>Relationships</h2>" in page
    assert "Audit of the author" in page
