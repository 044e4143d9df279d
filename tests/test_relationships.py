"""Relationships: contacts, kin links, typing, AO3 tag form — and the seeds' expected pairings."""

from __future__ import annotations

import pytest

from ficlens.relationships import invert_relation
from ficlens.relationships.ao3 import join_tag, ordered_names, surname_key


def _rel(profile, type_=None):
    return {r.tag: r for r in profile.relationships if type_ is None or r.type == type_}


def test_ao3_order_is_by_surname_with_reader_last():
    assert ordered_names(["Ben Solo | Kylo Ren", "Rey (Star Wars)"]) == ["Rey (Star Wars)", "Ben Solo | Kylo Ren"]
    assert ordered_names(["Reader", "Ben Solo | Kylo Ren"]) == ["Ben Solo | Kylo Ren", "Reader"]
    assert ordered_names(["John Watson", "Sherlock Holmes"]) == ["Sherlock Holmes", "John Watson"]
    assert surname_key("Original Female Character(s)")[0] == 1
    assert join_tag(["A", "B"], romantic=True) == "A/B" and join_tag(["A", "B"], romantic=False) == "A & B"


def test_relation_inverts_by_gender():
    assert invert_relation("father", "male") == "son"
    assert invert_relation("father", "female") == "daughter"
    assert invert_relation("mother", "unknown") == "child"
    assert invert_relation("sister", "male") == "brother"
    assert invert_relation("aunt", "female") == "niece"


ROMANCE = (
    "Clara Voss met Daniel Hart at the harbour at dusk. Daniel kissed Clara under the lamp, and she "
    "kissed him back. Later Clara held his hand all the way home. Daniel told her he loved her, and "
    "Clara embraced him. Their lips met again at her door."
)


def test_romance_is_a_slash_pair_with_evidence(analyse):
    profile = analyse(ROMANCE)
    romantic = _rel(profile, "romantic")
    assert list(romantic) == ["Daniel Hart/Clara Voss"]  # Hart < Voss
    relationship = romantic["Daniel Hart/Clara Voss"]
    assert relationship.evidence and all(len(e.excerpt) <= 130 for e in relationship.evidence)
    text = profile.work.text
    assert all(text[e.start : e.end].split() == e.excerpt.split() for e in relationship.evidence)
    assert [t.tag for t in profile.tags.relationships] == ["Daniel Hart/Clara Voss"]
    assert [c.tag for c in profile.tags.categories] == ["F/M"]


def test_family_from_kin_phrase_and_shared_surname(analyse):
    profile = analyse(
        "Ellen Marsh sat by the fire. Her brother, Peter Marsh, read the paper. Ellen looked at her brother "
        "and said nothing. Peter folded the paper. Ellen asked her brother about the mill, and Peter sighed."
    )
    family = [r for r in profile.relationships if r.type == "family"]
    assert len(family) == 1
    by_id = {c.id: c for c in profile.characters}
    first, second = (by_id[i] for i in family[0].characters)
    # relation = what characters[1] is to characters[0]
    assert (first.name, second.name, family[0].relation) == ("Ellen Marsh", "Peter Marsh", "brother")
    assert family[0].roles == {first.id: "sister", second.id: "brother"}
    assert "her brother" in family[0].evidence[0].excerpt.lower()
    assert not _rel(profile, "romantic")


def test_a_parent_kissing_a_child_is_not_romance(analyse):
    profile = analyse(
        "Anna Berg kissed her daughter goodnight. Lily Berg smiled. Her mother tucked the blanket in and "
        "kissed Lily's forehead. Lily hugged her mother."
    )
    assert not _rel(profile, "romantic")


def test_someone_talked_about_in_dialogue_does_not_meet_the_listener(analyse):
    profile = analyse(
        "\u201cHe will fall in love with one of the girls and marry her,\u201d Mrs. Hale said to Mr. Hale. "
        "\u201cMr. Grey is rich and he loves to dance.\u201d Mr. Hale shrugged. \u201cThen Mr. Grey may kiss "
        "whom he likes,\u201d said Mr. Hale."
    )
    pairs = {tuple(sorted(r.characters)) for r in profile.relationships if r.type == "romantic"}
    grey = next(c.id for c in profile.characters if c.name == "Mr. Grey")
    assert not any(grey in pair for pair in pairs)


def test_enemies_are_antagonism_and_platonic(analyse):
    profile = analyse(
        "Vera Crane hated Otto Brandt. Otto was her rival and her enemy. Vera glared at Otto across the hall. "
        "Otto sneered at Vera and threatened her. Vera attacked Otto with her words, and Otto fought back. "
        "\u201cI hate you,\u201d Vera told Otto."
    )
    antagonism = _rel(profile, "antagonism")
    assert list(antagonism) == ["Otto Brandt & Vera Crane"]
    assert not _rel(profile, "romantic")


def test_no_relationships_without_two_characters(analyse):
    profile = analyse("Nobody came to the lighthouse that winter. The sea was grey and the wind was cold.")
    assert profile.relationships == [] and profile.tags.relationships == []


def test_seed_relationships(seeds_dir, pipeline):
    import ficlens

    profiles = {p.name[:3]: pipeline(ficlens.read(p)) for p in sorted(seeds_dir.glob("*.txt"))}
    reader_story, rey_story = profiles["000"], profiles["004"]
    names = {c.id: c.name for c in reader_story.characters}
    romantic = _rel(reader_story, "romantic")
    assert "Ben Solo | Kylo Ren/Reader" in romantic
    family = {
        (names[r.characters[0]], names[r.characters[1]]): r.relation
        for r in reader_story.relationships
        if r.type == "family"
    }
    # `relation` is what the second character (AO3 tag order) is to the first, and agrees with `roles`
    assert family.get(("Kylo Ren", "Han Solo")) == "father"
    assert family.get(("Leia Organa", "Kylo Ren")) == "son"
    assert all(r.roles[r.characters[1]] == r.relation for r in reader_story.relationships if r.type == "family")
    roles = [{names[i]: role for i, role in r.roles.items()} for r in reader_story.relationships if r.type == "family"]
    assert {"Kylo Ren": "son", "Han Solo": "father"} in roles and {"Kylo Ren": "son", "Leia Organa": "mother"} in roles
    assert reader_story.tags.relationships[0].tag == "Ben Solo | Kylo Ren/Reader"
    assert [c.tag for c in reader_story.tags.categories] == ["F/M"]
    assert "Rey/Ben Solo | Kylo Ren" in _rel(rey_story, "romantic")
    assert rey_story.tags.relationships[0].tag == "Rey/Ben Solo | Kylo Ren"
    assert [c.tag for c in rey_story.tags.categories] == ["F/M"]
    assert not any("Reader" in t.tag for t in rey_story.tags.relationships)
    assert {"Reader-Insert", "Second Person"} <= {t.tag for t in reader_story.tags.additional}
    assert not {"Reader-Insert", "Second Person"} & {t.tag for t in rey_story.tags.additional}
    for profile in (reader_story, rey_story):  # every suggestion carries evidence
        tags = profile.tags
        suggestions = [
            tags.rating,
            *tags.warnings,
            *tags.categories,
            *tags.fandoms,
            *tags.relationships,
            *tags.characters,
            *tags.additional,
        ]
        assert all(s.evidence for s in suggestions)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("You smoothed your dress. \u201cGood girl,\u201d he said, and you blushed against your pillow.", "female"),
        ("You scratched your beard and laughed. You pulled on your boxers.", "male"),
        ("You walked home in the rain and thought about the letter.", "unknown"),
    ],
)
def test_reader_gender_from_body_and_address(analyse, text, expected):
    profile = analyse(text)
    reader = next(c for c in profile.characters if c.is_reader)
    assert reader.gender == expected


def test_kin_phrase_in_apposition_names_the_relative(analyse):
    profile = analyse(
        "Tom Penrose, her brother, rowed Margaret Rowe across the bay. Margaret thanked him. Tom laughed at "
        "Margaret and Edwin Rowe waved from the pier."
    )
    names = {c.id: c.name for c in profile.characters}
    family = [r for r in profile.relationships if r.type == "family"]
    roles = [{names[i]: role for i, role in r.roles.items()} for r in family]
    assert {"Tom Penrose": "brother", "Margaret Rowe": "sister"} in roles
    assert not any("Edwin Rowe" in bond for bond in roles)


def test_every_kb_relation_has_an_inverse():
    from ficlens.kb import RELATIONS

    assert all(invert_relation(relation, "female") != "relative" for relation in RELATIONS)


def test_kin_phrases_vote_in_the_pair_direction(analyse):
    # "her brother" and "his sister" say the same thing; they must not count as doubt
    profile = analyse(
        "Ellen Marsh waited on the step. Her brother, Peter Marsh, came up the lane. Peter kissed his sister "
        "on the cheek. Ellen smiled at her brother. Peter told his sister about the mill."
    )
    family = [r for r in profile.relationships if r.type == "family"]
    assert len(family) == 1 and family[0].confidence >= 0.8
    names = {c.id: c.name for c in profile.characters}
    assert {names[i]: role for i, role in family[0].roles.items()} == {
        "Ellen Marsh": "sister",
        "Peter Marsh": "brother",
    }


def test_a_vocative_beside_a_kin_word_is_not_the_relative(analyse):
    profile = analyse(
        "\u201cInspector Kell, my husband is missing,\u201d said Mrs. Vane. Inspector Kell took out his notebook. "
        "\u201cYour husband, I think, ran away,\u201d Inspector Kell said to Mrs. Vane."
    )
    assert not any(r.relation in ("husband", "wife") for r in profile.relationships)


def test_multi_word_possessor(analyse):
    profile = analyse(
        "Kylo Ren's father, Han Solo, came aboard. Rey watched Han Solo and Kylo Ren from the ramp of the Falcon "
        "while Leia Organa spoke to the Resistance about the First Order and the Force."
    )
    names = {c.id: c.name for c in profile.characters}
    family = {tuple(names[i] for i in r.characters): r.relation for r in profile.relationships if r.type == "family"}
    assert family.get(("Kylo Ren", "Han Solo")) == "father"


def test_a_shared_surname_guess_does_not_block_a_romance(analyse):
    profile = analyse(
        "Anna Reed kissed Tom Reed at the door. Tom kissed Anna back and told her he loved her. "
        "Anna laughed; her brother would be home soon, and Tom kissed her again before he came."
    )
    assert "Anna Reed/Tom Reed" in _rel(profile, "romantic")  # AO3 order: same surname, then given name


def test_endearments_alone_are_a_weak_romance_at_most(analyse):
    profile = analyse(
        "\u201cMy dear Watson,\u201d said Sherlock Holmes, smiling softly. John Watson smiled at Holmes. "
        "\u201cMy dear fellow,\u201d Holmes said gently to Watson. Watson looked at Holmes tenderly. "
        "\u201cMy dear Watson, you are late,\u201d said Holmes softly to Watson."
    )
    assert all(r.confidence <= 0.45 for r in profile.relationships if r.type == "romantic")
    assert not any("/" in t.tag and t.confidence >= 0.5 for t in profile.tags.relationships)


def test_unnamed_narrator_gets_no_relationship_tag(analyse):
    profile = analyse(
        "I met Clara Voss at the harbour. I kissed Clara under the lamp, and Clara kissed me back. "
        "I held her hand all the way home, and I kissed her again at her door."
    )
    assert not any("Narrator" in t.tag for t in profile.tags.relationships)


def test_canon_family_grows_surer_with_shared_scenes():
    from ficlens.relationships.classify import classify_pair
    from ficlens.relationships.interactions import Contact, PairContacts
    from ficlens.relationships.kin import KinLink

    canon = [KinLink("ciri", "geralt", "adoptive father", 0, 0, "canon")]

    def family_confidence(scenes: int) -> float | None:
        contacts = PairContacts(
            ("ciri", "geralt"), [Contact(i * 10, i * 10 + 5, "sentence", 1.0) for i in range(scenes)]
        )
        bonds = [b for b in classify_pair(contacts, [], canon) if b.type == "family"]
        return bonds[0].confidence if bonds else None

    assert family_confidence(1) is None  # canon alone, met once: not a bond this story shows
    assert family_confidence(2) < family_confidence(10) <= 0.75


def test_a_pair_the_story_is_about_gets_a_plain_platonic_tag(analyse):
    lines = [
        "Nora Vance fixed the radio while Owen Pike held the lamp.",
        "Owen Pike handed Nora Vance the small screwdriver.",
        "Nora Vance told Owen Pike the valve was cracked.",
        "Owen Pike asked Nora Vance whether it could be mended.",
        "Nora Vance showed Owen Pike the wiring diagram.",
        "Owen Pike read the diagram to Nora Vance twice.",
        "Later Ruth Hale brought tea, and left again.",
    ]
    profile = analyse(" ".join(lines))
    tags = [t.tag for t in profile.tags.relationships]
    assert tags == ["Owen Pike & Nora Vance"]
    assert [r.type for r in profile.relationships if r.tag == tags[0]] == ["platonic"]


def test_one_spouse_each():
    from ficlens.model import Relationship
    from ficlens.relationships import _one_spouse_each

    wife = Relationship(["mr", "mrs"], "romantic", "Mr/Mrs", confidence=0.9, roles={"mr": "husband", "mrs": "wife"})
    daughter = Relationship(
        ["eliza", "mr"], "romantic", "Eliza/Mr", confidence=0.6, roles={"mr": "husband", "eliza": "wife"}
    )
    kiss = Relationship(["eliza", "darcy"], "romantic", "Eliza/Darcy", confidence=0.8)
    assert _one_spouse_each([daughter, wife, kiss]) == [wife, kiss]
