"""The knowledge base: shipped files are valid and consistent, lookups merge aliases, users extend it."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
import yaml

from ficlens.errors import FiclensError, InputNotFound, UnreadableInput
from ficlens.kb import (
    GENDERS,
    READER,
    RELATIONS,
    KnowledgeBase,
    load_cast,
    load_fandom_file,
    load_kb,
    normalize_alias,
    shipped_kb_dir,
)

DATA = shipped_kb_dir().parent
SHIPPED = sorted(shipped_kb_dir().glob("*.yaml"))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def _schema(name: str):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DATA / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _write(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --- the shipped files ------------------------------------------------------------------------


def test_ships_at_least_forty_fandoms_star_wars_first_class():
    ids = {p.stem for p in SHIPPED}
    assert len(ids) >= 40, sorted(ids)
    assert {"star-wars", "harry-potter", "supernatural", "sherlock", "good-omens"} <= ids


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_file_matches_json_schema(path):
    validator = _schema("kb.schema.json")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, f"{path.name}: {errors[0].json_path}: {errors[0].message}"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_file_is_consistent(path):
    fandom = load_fandom_file(path)  # the loader's own checks: ids, relatives, relationship names
    assert fandom.id == path.stem
    assert 10 <= len(fandom.characters) <= 45, f"{len(fandom.characters)} characters"
    assert 3 <= len(fandom.relationships), "too few relationships"
    assert fandom.places or fandom.organizations or fandom.terms

    tags = [normalize_alias(c.tag) for c in fandom.characters]
    assert len(tags) == len(set(tags)), "duplicate character tag"

    names = {normalize_alias(c.name) for c in fandom.characters}
    for character in fandom.characters:
        assert character.gender in GENDERS
        assert set(character.relatives.values()) <= set(RELATIONS)
        for relative in character.relatives:
            assert normalize_alias(relative) in names, f"{character.name}: unknown relative {relative}"
            assert normalize_alias(relative) != normalize_alias(character.name), f"{character.name} is own relative"

    # A strong alias names one character only; shared names must be weak so the detector asks for context.
    owner: dict[str, str] = {}
    for character in fandom.characters:
        for alias in character.aliases:
            key = normalize_alias(alias)
            assert owner.setdefault(key, character.name) == character.name, (
                f"strong alias {alias!r} of both {owner[key]} and {character.name}: make it weak"
            )

    # Places and organizations are never people.
    def bare(name: str) -> str:
        key = normalize_alias(name)
        return key[4:] if key.startswith("the ") else key

    non_person = {bare(n) for n in (*fandom.places, *fandom.organizations)}
    clash = non_person & {bare(alias) for alias in owner}
    assert not clash, f"names both a place/organization and a character: {sorted(clash)}"

    tags_seen: set[str] = set()
    for rel in fandom.relationships:
        assert rel.tag not in tags_seen, f"relationship {rel.tag} listed twice"
        tags_seen.add(rel.tag)
        for name in rel.characters:
            assert name == READER or normalize_alias(name) in names, f"{rel.tag}: unknown {name}"
        # Each side of the tag must name its character (AO3 may add a disambiguator or use another alias).
        sides = rel.tag.split("/" if rel.type == "romantic" else " & ")
        for side, name in zip(sides, rel.characters, strict=True):
            if name == READER:
                assert side == "Reader", rel.tag
                continue
            character = fandom.character(name)
            side_key = normalize_alias(side)
            assert any(normalize_alias(n) in side_key for n in [character.tag, *character.names()]), (
                f"{rel.tag}: {side!r} does not name {name}"
            )


def test_fandom_tags_are_unique_across_files(kb):
    seen: dict[str, str] = {}
    for fandom in kb.fandoms:
        for tag in fandom.all_tags():
            key = normalize_alias(tag)
            assert seen.setdefault(key, fandom.id) == fandom.id, f"{tag!r} in {seen[key]} and {fandom.id}"


def test_loading_everything_gives_the_whole_kb():
    # Speed is measured by bench/kb_load.py, not here; tests/test_kb_bundle.py checks the bundle.
    kb = load_kb()
    assert sum(len(f.characters) for f in kb.fandoms) > 400


# --- lookups ----------------------------------------------------------------------------------


@pytest.mark.parametrize("alias", ["Kylo", "Kylo Ren", "Ben Solo", "kylo ren", "Supreme Leader Ren"])
def test_star_wars_aliases_resolve_to_one_person(kb, alias):
    found = kb.lookup(alias)
    assert [c.tag for c in found] == ["Ben Solo | Kylo Ren"]
    assert found[0].gender == "male"
    assert found[0].fandom == "Star Wars - All Media Types"


def test_star_wars_core_cast(kb):
    star_wars = kb.fandom("star-wars")
    expected = {
        "Rey": ("Rey (Star Wars)", "female"),
        "Han": ("Han Solo", "male"),
        "Leia": ("Leia Organa", "female"),
        "Luke": ("Luke Skywalker", "male"),
        "Snoke": ("Supreme Leader Snoke", "male"),
        "Poe": ("Poe Dameron", "male"),
        "Finn": ("Finn (Star Wars)", "male"),
        "BB-8": ("BB-8", "unknown"),
        "Hux": ("Armitage Hux", "male"),
        "Phasma": ("Captain Phasma", "female"),
        "Anakin": ("Anakin Skywalker", "male"),
        "Padme": ("Padmé Amidala", "female"),  # typed without the accent
        "Obi-Wan": ("Obi-Wan Kenobi", "male"),
        "Palpatine": ("Sheev Palpatine", "male"),
        "Ahsoka": ("Ahsoka Tano", "female"),
        "Din Djarin": ("Din Djarin", "male"),
    }
    for alias, (tag, gender) in expected.items():
        found = [c for c in kb.lookup(alias) if c.fandom == star_wars.tag]
        assert [(c.tag, c.gender) for c in found] == [(tag, gender)], alias


def test_weak_and_shared_aliases(kb):
    # "Ben" names Kylo Ren strongly and Obi-Wan ("Old Ben") weakly.
    assert {c.name for c in kb.lookup("Ben") if c.fandom.startswith("Star Wars")} == {"Kylo Ren", "Obi-Wan Kenobi"}
    strong = [c.name for c in kb.lookup("Ben", strong_only=True) if c.fandom.startswith("Star Wars")]
    assert strong == ["Kylo Ren"]
    snoke = kb.fandom("star-wars").character("Snoke")
    assert snoke.is_weak_alias("supreme leader") and not snoke.is_weak_alias("Snoke")


def test_relatives_read_from_the_characters_side(kb):
    kylo = kb.fandom("Star Wars Sequel Trilogy").character("Ben Solo | Kylo Ren")
    assert kylo.relation_to("Han Solo") == "father"
    assert kylo.relation_to("Leia Organa") == "mother"
    assert kylo.relation_to("Rey") is None


def test_reader_relationship_uses_ao3_character_tag(kb):
    rels = {r.tag: r for r in kb.fandom("star-wars").relationships}
    assert "Ben Solo | Kylo Ren/Reader" in rels
    assert rels["Ben Solo | Kylo Ren/Reader"].has_reader
    assert rels["Rey/Ben Solo | Kylo Ren"].characters == ["Rey", "Kylo Ren"]


def test_fandom_found_by_id_tag_or_related_tag(kb):
    assert kb.fandom("star-wars").tag == "Star Wars - All Media Types"
    assert kb.fandom("STAR WARS - ALL MEDIA TYPES").id == "star-wars"
    assert kb.fandom("Star Wars: The Rise of Skywalker (2019)").id == "star-wars"
    assert kb.fandom("no such fandom") is None


def test_non_person_names_are_lower_case_with_and_without_the(kb):
    names = kb.non_person_names()
    assert {"jakku", "the resistance", "resistance", "knights of ren"} <= names
    assert "kylo ren" not in names and all(n == n.lower() for n in names)


def test_normalize_alias():
    assert normalize_alias("  Padmé   AMIDALA ") == "padme amidala"
    assert normalize_alias("D\u2019Artagnan") == "d'artagnan"
    assert unicodedata.normalize("NFC", normalize_alias("ガ")) == "ガ"  # non-Latin marks survive
    assert normalize_alias("カ\u3099") == normalize_alias("ガ")  # however the mark is encoded
    assert normalize_alias("ガ") != normalize_alias("カ")


# --- user extensions --------------------------------------------------------------------------


def _fandom(fandom_id: str, tag: str, characters: list[dict], **extra) -> dict:
    return {"fandom": tag, "id": fandom_id, "characters": characters, **extra}


def test_user_dir_overrides_same_id_and_adds_new(tmp_path):
    _write(
        tmp_path / "star-wars.yaml",
        _fandom(
            "star-wars",
            "Star Wars - All Media Types",
            [
                {"tag": "Kylo Ren", "name": "Kylo", "aliases": ["Kylo"], "gender": "male"},
            ],
        ),
    )
    _write(
        tmp_path / "my-original.yml",
        _fandom(
            "my-original",
            "My Original Universe",
            [
                {"tag": "Ada Quillfeather", "name": "Ada", "aliases": ["Ada", "Quillfeather"], "gender": "female"},
            ],
        ),
    )
    shipped = load_kb()
    kb = load_kb([tmp_path])
    assert len(kb.fandoms) == len(shipped.fandoms) + 1
    assert [c.tag for c in kb.fandom("star-wars").characters] == ["Kylo Ren"]
    assert kb.lookup("Ben Solo") == []  # the shipped Star Wars file was replaced, not merged
    assert [c.name for c in kb.lookup("quillfeather")] == ["Ada"]
    assert kb.lookup("quillfeather")[0].aliases[0] == "Ada"  # the name always leads the aliases


def test_later_user_dir_wins(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for directory, gender in ((first, "female"), (second, "nonbinary")):
        _write(directory / "mine.yaml", _fandom("mine", "Mine", [{"tag": "Sam", "name": "Sam", "gender": gender}]))
    assert load_kb([first, second]).lookup("Sam", strong_only=True)[-1].gender == "nonbinary"


def test_missing_kb_dir_is_input_not_found(tmp_path):
    with pytest.raises(InputNotFound, match="no-such-dir"):
        load_kb([tmp_path / "no-such-dir"])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"fandom": "X", "id": "bad", "characters": [{"name": "A", "gender": "male"}]}, "characters[0].tag"),
        (
            {"fandom": "X", "id": "bad", "characters": [{"tag": "A", "name": "A", "gender": "M"}]},
            "characters[0].gender",
        ),
        (
            {"fandom": "X", "id": "bad", "characters": [{"tag": "A", "name": "A", "relatives": {"father": None}}]},
            "characters[0].relatives.father",
        ),
        ({"fandom": "X", "id": "other", "characters": [{"tag": "A", "name": "A"}]}, "id"),
        (
            {"fandom": "X", "id": "bad", "characters": [{"tag": "A", "name": "A", "relatives": {"father": "B"}}]},
            "characters[0].relatives",
        ),
        (
            {
                "fandom": "X",
                "id": "bad",
                "characters": [{"tag": "A", "name": "A"}],
                "relationships": [{"tag": "A/B", "characters": ["A", "B"], "type": "romantic"}],
            },
            "relationships[0].characters",
        ),
        (
            {"fandom": "X", "id": "bad", "characters": [{"tag": "A", "name": "A"}, {"tag": "A", "name": "B"}]},
            "characters[1].tag",
        ),
        ({"fandom": "X", "id": "bad", "characters": [{"tag": "A", "name": "A", "nickname": "Al"}]}, "characters[0]"),
    ],
)
def test_bad_user_fandom_file_names_file_and_field(tmp_path, data, field):
    path = _write(tmp_path / "bad.yaml", data)
    with pytest.raises(UnreadableInput) as caught:
        load_kb([tmp_path])
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message and f": {field}:" in message


# --- cast files -------------------------------------------------------------------------------

CAST = {
    "fandom": "Pride and Prejudice - Jane Austen",
    "characters": [
        {
            "name": "Elizabeth Bennet",
            "aliases": ["Elizabeth", "Lizzy", "Eliza"],
            "gender": "female",
            "tag": "Elizabeth Bennet",
            "relatives": {"sister": ["Jane Bennet"]},
        },
        {"name": "Jane Bennet", "aliases": ["Jane"], "weak_aliases": ["Miss Bennet"], "gender": "female"},
        {"name": "Mr. Darcy"},
    ],
}


def test_cast_file_loads(tmp_path):
    _schema("cast.schema.json").validate(CAST)
    cast = load_cast(_write(tmp_path / "cast.yaml", CAST))
    assert [c.name for c in cast] == ["Elizabeth Bennet", "Jane Bennet", "Mr. Darcy"]
    lizzy, jane, darcy = cast
    assert lizzy.aliases == ["Elizabeth Bennet", "Elizabeth", "Lizzy", "Eliza"]
    assert lizzy.relation_to("jane bennet") == "sister"
    assert jane.weak_aliases == ["Miss Bennet"] and jane.fandom == "Pride and Prejudice - Jane Austen"
    assert (darcy.tag, darcy.gender, darcy.aliases) == ("Mr. Darcy", "unknown", ["Mr. Darcy"])


@pytest.mark.parametrize(
    "content",
    [
        "characters: [name: Lizzy\n",  # broken YAML
        "- just\n- a list\n",
        "characters: []\n",
        "characters:\n  - aliases: [Lizzy]\n",  # no name
        "characters:\n  - name: Lizzy\n    gender: girl\n",
        "characters:\n  - name: Lizzy\n    aliases: Lizzy\n",  # aliases must be a list
        "characters:\n  - name: Lizzy\n    aliases: [Eliza, 7]\n",
        "",
    ],
)
def test_bad_cast_file_is_unreadable_input_in_one_line(tmp_path, content):
    path = tmp_path / "cast.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UnreadableInput) as caught:
        load_cast(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    if content.strip():  # the schema agrees that each of these is bad
        data = yaml.safe_load(content) if "[name:" not in content else None
        if data is not None:
            assert list(_schema("cast.schema.json").iter_errors(data))


def test_cast_file_not_utf8_or_missing(tmp_path):
    path = tmp_path / "cast.yaml"
    path.write_bytes(b"characters:\n  - name: \xff\xfe\n")
    with pytest.raises(UnreadableInput, match="UTF-8"):
        load_cast(path)
    with pytest.raises(FiclensError, match="no such"):
        load_cast(tmp_path / "missing.yaml")
