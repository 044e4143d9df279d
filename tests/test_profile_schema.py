"""The JSON form of a profile matches the shipped, versioned JSON Schema."""

from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import pytest

from ficlens import analyze
from ficlens.model import (
    SCHEMA_VERSION,
    Character,
    Evidence,
    Mention,
    Part,
    Profile,
    Quote,
    Relationship,
    TagSuggestion,
    TextMap,
    Work,
)

SCHEMA = json.loads(files("ficlens").joinpath("data/profile.schema.json").read_text(encoding="utf-8"))


def test_schema_is_valid_and_versioned():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_profile_of_plain_text_validates(story_text):
    jsonschema.validate(analyze(story_text).to_dict(), SCHEMA)


def test_fully_populated_profile_validates():
    text = "Rey smiled. \u201cHi,\u201d she said."
    work = Work(id="w", text=text, parts=[Part("body", 0, len(text), chapter=1)])
    profile = Profile(work=work)
    profile.characters = [Character("c1", "Rey", ["Rey"], "female", 0.9, False, 2)]
    profile.mentions = [Mention(0, 3, "c1", "name"), Mention(21, 24, "c1", "pronoun")]
    profile.quotes = [Quote(12, 17, "c1", [], 0.8)]
    profile.relationships = [
        Relationship(
            ["c1", "c2"], "romantic", "Rey/Ben Solo | Kylo Ren", None, 0.5, 0.6, [Evidence(0, 11, "Rey smiled.")]
        )
    ]
    profile.tags.rating = TagSuggestion("General Audiences", 0.7, [Evidence(0, 11, "Rey smiled.")])
    jsonschema.validate(profile.to_dict(), SCHEMA)


def test_invalid_profile_is_rejected(story_text):
    data = analyze(story_text).to_dict()
    data["parts"][0]["kind"] = "chapter-ish"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_offsets_map_back_through_a_repair():
    source = "I\u00e2\u20ac\u2122m here."  # mojibake of "I’m here."
    repaired = "I\u2019m here."
    work = Work(
        id="w",
        text=repaired,
        source_text=source,
        parts=[Part("body", 0, len(repaired))],
        text_map=TextMap([(0, 0), (2, 4)]),
    )
    data = Profile(work=work).to_dict()
    assert data["text"] == source
    assert data["parts"][0]["end"] == len(source)
    assert data["work"]["text_repaired"] is True
