"""Knowledge-base coverage (issue #18): the shipped KB covers the largest AO3 fandoms, and at that
size every file still loads and stays consistent with the others.

tests/test_kb.py checks each file's own structure in depth; this module checks what only goes
wrong once there are hundreds of files: a fandom tag or id claimed twice, a strong alias shared
inside one fandom, a relationship naming someone the file does not list.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ficlens.kb import READER, KnowledgeBase, load_fandom_file, load_kb, normalize_alias, shipped_kb_dir

SHIPPED = sorted(p for p in shipped_kb_dir().iterdir() if p.suffix in (".yaml", ".yml"))
# Issue #18 asks for at least this many of AO3's largest fandoms.
MIN_FANDOMS = 300


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = shipped_kb_dir().parent / "kb.schema.json"
    return jsonschema.Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))


def test_kb_covers_the_largest_fandoms(kb):
    assert len(kb.fandoms) >= MIN_FANDOMS, f"{len(kb.fandoms)} fandoms"


def test_every_shipped_file_is_loaded(kb):
    assert sorted(f.id for f in kb.fandoms) == sorted(p.stem for p in SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_file_loads_and_matches_schema(path: Path, validator):
    fandom = load_fandom_file(path)
    assert fandom.id == path.stem
    errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert not errors, f"{path.name}: {errors[0].json_path}: {errors[0].message}"


def test_fandom_ids_and_tags_are_claimed_once(kb):
    owner: dict[str, str] = {}
    for fandom in kb.fandoms:
        for key in {normalize_alias(t) for t in (fandom.id, *fandom.all_tags())}:
            assert owner.setdefault(key, fandom.id) == fandom.id, f"{key!r} in {owner[key]} and {fandom.id}"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_strong_aliases_belong_to_one_character(path: Path):
    owner: dict[str, str] = {}
    for character in load_fandom_file(path).characters:
        for alias in character.aliases:
            key = normalize_alias(alias)
            assert owner.setdefault(key, character.name) == character.name, (
                f"{path.name}: {alias!r} is a strong alias of {owner[key]} and {character.name}"
            )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_relationships_name_characters_of_their_fandom(path: Path):
    fandom = load_fandom_file(path)
    known = {normalize_alias(n) for c in fandom.characters for n in (c.name, c.tag, *c.names())}
    for relationship in fandom.relationships:
        for name in relationship.characters:
            assert name == READER or normalize_alias(name) in known, f"{path.name}: {relationship.tag}: {name!r}"


def test_lookup_reaches_characters_of_every_fandom(kb):
    for fandom in kb.fandoms:
        first = fandom.characters[0]
        assert first in kb.lookup(first.tag), f"{fandom.id}: {first.tag!r} not found by lookup"
