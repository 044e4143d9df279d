"""Characters: person names whatever the NER label, aliases merged, the Reader, genders."""

from __future__ import annotations

from collections import Counter

import pytest

from ficlens.characters.aliases import cluster_names
from ficlens.characters.mentions import normalise_form


def _by_name(profile):
    return {c.name: c for c in profile.characters}


def test_alias_clusters_keep_same_surname_people_apart():
    clusters = cluster_names(
        Counter(
            {
                "Fitzwilliam Darcy": 1,
                "Mr. Darcy": 9,
                "Darcy": 4,
                "Mr. Bennet": 5,
                "Mrs. Bennet": 6,
                "Elizabeth Bennet": 2,
                "Elizabeth": 12,
                "Lizzy": 3,
            }
        ),
        None,
    )
    groups = sorted(sorted(c.forms) for c in clusters)
    assert ["Darcy", "Fitzwilliam Darcy", "Mr. Darcy"] in groups
    assert ["Elizabeth", "Elizabeth Bennet", "Lizzy"] in groups
    assert ["Mr. Bennet"] in groups and ["Mrs. Bennet"] in groups


def test_nickname_merges_but_different_names_do_not():
    clusters = cluster_names(Counter({"Margaret Hale": 2, "Maggie": 3, "Mary": 2, "Maria Hale": 1}), None)
    groups = sorted(sorted(c.forms) for c in clusters)
    assert ["Maggie", "Margaret Hale"] in groups
    assert ["Mary"] in groups


def test_normalise_form():
    assert normalise_form("Kylo’s") == "Kylo's"
    assert normalise_form(" Rey, ") == "Rey"
    assert normalise_form("Poe\n  Dameron.") == "Poe Dameron"


def test_fantasy_names_found_with_knowledge_base(analyse):
    profile = analyse(
        "Kylo paced the bridge. Han watched him from the doorway, and Kylo did not look up. "
        "\u201cLeave,\u201d Kylo said. Han sighed. \u201cYour mother misses you,\u201d Han said. "
        "Kylo Ren turned away from his father and stared out at Jakku."
    )
    names = _by_name(profile)
    assert "Kylo Ren" in names and "Han Solo" in names
    assert sorted(names["Kylo Ren"].aliases) == ["Kylo", "Kylo Ren"]
    assert names["Kylo Ren"].gender == "male"
    assert not any(c.name == "Jakku" for c in profile.characters)


def test_plain_english_names_and_gender_from_pronouns(analyse):
    profile = analyse(
        "Tobias Wren climbed the hill. He was tired, and he sat on a stone. "
        "Ellery Quade followed him. She carried the lantern, and she did not speak."
    )
    names = _by_name(profile)
    assert names["Tobias Wren"].gender == "male"
    assert names["Ellery Quade"].gender == "female"


def test_second_person_story_has_a_reader(analyse):
    profile = analyse(
        "You wake before dawn. Y/N, he had called you, the night before. You pull on your boots and "
        "step outside. Mara is already waiting. She hands you a cup. \u201cYou\u2019re late,\u201d she says. "
        "You laugh and take it. You walk with her to the harbour."
    )
    reader = [c for c in profile.characters if c.is_reader]
    assert len(reader) == 1 and reader[0].name == "Reader"
    assert profile.narration.pov == "second" and profile.narration.reader_insert
    assert reader[0].mention_count >= 8


def test_third_person_dialogue_you_makes_no_reader(analyse):
    profile = analyse(
        "Mara looked at Tobias. \u201cYou never listen to me. You never did,\u201d she said. "
        "He shrugged. \u201cYou say that every time.\u201d She turned and left the room, and he followed her."
    )
    assert not any(c.is_reader for c in profile.characters)
    assert profile.narration.pov == "third"


@pytest.fixture
def seed_profiles(seeds_dir, pipeline):
    import ficlens

    return {p.name[:3]: pipeline(ficlens.read(p)) for p in sorted(seeds_dir.glob("*.txt"))}


def test_seed_characters(seed_profiles):
    both = {c.name for p in seed_profiles.values() for c in p.characters}
    for name in ("Kylo Ren", "Han Solo", "Leia Organa", "Luke Skywalker", "Snoke", "Rey"):
        assert name in both
    kylo = [c for c in seed_profiles["004"].characters if c.name == "Kylo Ren"]
    assert len(kylo) == 1 and {"Kylo", "Kylo Ren"} <= set(kylo[0].aliases)
    assert any(c.is_reader for c in seed_profiles["000"].characters)
    assert seed_profiles["000"].narration.pov == "second"
    assert not any(c.is_reader for c in seed_profiles["004"].characters)
    assert seed_profiles["004"].narration.pov == "third"


def test_wife_named_after_her_husband_is_not_him():
    clusters = cluster_names(Counter({"Newland Archer": 5, "Newland": 9, "Mrs. Newland Archer": 2}), None)
    groups = sorted(sorted(c.forms) for c in clusters)
    assert ["Mrs. Newland Archer"] in groups and ["Newland", "Newland Archer"] in groups


def test_capitalised_role_is_a_character_with_nominal_mentions(analyse):
    profile = analyse(
        "The General came in. \u201cSit,\u201d the General said to Anna. Anna sat down. The general mood was "
        "grim, and the Duke of York said nothing."
    )
    general = [c for c in profile.characters if c.name == "the General"]
    assert len(general) == 1
    kinds = {m.kind for m in profile.mentions if m.character == general[0].id}
    assert kinds == {"nominal"}  # not proper names: LitBank and readers would not underline them as names
    assert profile.quotes[0].speaker == general[0].id
    assert not any("Duke" in c.name for c in profile.characters)


def test_the_capitalised_grandmother_is_a_character(analyse):
    profile = analyse(
        "The Grandmother looked round the room. \u201cWell?\u201d said the Grandmother to Alexis. "
        "Alexis bowed. His grandmother in Moscow had died long ago."
    )
    grandmother = next(c for c in profile.characters if c.name == "the Grandmother")
    assert profile.quotes[0].speaker == grandmother.id
    assert grandmother.gender == "female"


def test_exact_given_name_beats_a_diminutive():
    clusters = cluster_names(Counter({"John Beaver": 3, "Jock Menzies": 2, "Jock": 40, "Beaver": 30}), None)
    groups = sorted(sorted(c.forms) for c in clusters)
    assert ["Jock", "Jock Menzies"] in groups


def test_miss_and_another_title_with_one_surname_are_two_people():
    clusters = cluster_names(Counter({"Miss Ashcombe": 13, "Dr Ashcombe": 5, "Mr. Darcy": 4, "Darcy": 2}), None)
    owner = {form: i for i, c in enumerate(clusters) for form in c.forms}
    assert owner["Miss Ashcombe"] != owner["Dr Ashcombe"]
    assert owner["Mr. Darcy"] == owner["Darcy"]


def test_title_with_a_given_looking_surname_joins_the_full_name():
    clusters = cluster_names(Counter({"Rev. Thomas Dalton": 2, "Father Dalton": 3}), None)
    assert len(clusters) == 1


def test_a_role_alone_joins_the_one_character_with_that_title():
    clusters = cluster_names(Counter({"Colonel Ashby": 6, "the Colonel": 3, "Dr Ashcombe": 5, "the Doctor": 9}), None)
    owner = {form: i for i, c in enumerate(clusters) for form in c.forms}
    assert owner["the Colonel"] == owner["Colonel Ashby"]
    assert owner["the Doctor"] == owner["Dr Ashcombe"]
    two = cluster_names(Counter({"Colonel Ashby": 6, "Colonel Brandon": 2, "the Colonel": 3}), None)
    assert ["the Colonel"] in [sorted(c.forms) for c in two]


def test_a_first_name_after_a_title_gives_the_gender(analyse):
    profile = analyse("The Reverend Edward Casaubon came to dinner. Reverend Edward Casaubon spoke of his book.")
    assert _by_name(profile)["Reverend Edward Casaubon"].gender == "male"


def test_a_parson_is_a_man():
    from ficlens.characters.names import title_gender

    assert title_gender("Parson") == "male"


def analyse_with_cast(tmp_path, cast_entries: list[str], text: str):
    """Analyse `text` with a cast file of the given YAML flow-mapping entries."""
    from ficlens.pipeline import AnalysisConfig, Pipeline
    from ficlens.read import read_text

    cast = tmp_path / "cast.yaml"
    cast.write_text("characters:\n" + "".join(f"  - {entry}\n" for entry in cast_entries), encoding="utf-8")
    return Pipeline(config=AnalysisConfig(characters_file=cast))(read_text(text))


def test_a_cast_description_is_found_in_the_narration(tmp_path):
    text = (
        "Tobias Wren came in from the rain. The beadle shook his coat, and the surgeon looked up "
        "from the fire. The man at the door said nothing."
    )
    profile = analyse_with_cast(
        tmp_path,
        [
            "{name: Tobias Wren, aliases: [Tobias, The Beadle], gender: male}",
            "{name: The Surgeon, aliases: [The Surgeon], gender: male}",
            "{name: The Tall Man, aliases: [The Man], gender: male}",
        ],
        text,
    )
    by_name = {c.name: c for c in profile.characters}
    described = {
        (text[m.start : m.end].lower(), by_name_of(profile, m.character))
        for m in profile.mentions
        if m.kind == "nominal"
    }
    assert ("the beadle", "Tobias Wren") in described and ("the surgeon", "The Surgeon") in described
    assert by_name["The Surgeon"].gender == "male"
    assert "The Tall Man" not in by_name  # "the man" fits anyone


def by_name_of(profile, cid):
    return next(c.name for c in profile.characters if c.id == cid)


def test_a_cast_alias_misspelt_by_one_letter_still_names_its_character(tmp_path):
    text = (
        'May Welland came down the stairs. "Good morning," said May. Miss Welland smiled at '
        "Mary Tapley, who was Mark Tapley's sister."
    )
    profile = analyse_with_cast(
        tmp_path,
        [
            "{name: Miss Welland, aliases: [May Wellend], gender: female}",
            "{name: Mark Tapley, aliases: [Mark Tapley], gender: male}",
        ],
        text,
    )
    may = next(c for c in profile.characters if c.name == "Miss Welland")
    assert "May Welland" in may.aliases and "May" in may.aliases
    # "Mark Tapley" is written as it stands, so "Mary Tapley" is someone else.
    assert any(c.name == "Mary Tapley" for c in profile.characters)


def test_a_full_name_joins_the_cast_entry_known_by_its_given_name(tmp_path):
    text = (
        "Miss Elizabeth Bennet walked to Netherfield. Mrs. Bennet stayed at home with Mr. Bennet.\n\n"
        '"Lizzy, you will be muddy," said her mother.\n\n"I do not mind it," said Elizabeth.'
    )
    profile = analyse_with_cast(
        tmp_path,
        [
            "{name: Elizabeth, aliases: [Lizzy, Eliza], gender: female}",
            "{name: Mrs. Bennet, aliases: [Mrs. Bennet], gender: female}",
            "{name: Mr. Bennet, aliases: [Mr. Bennet], gender: male}",
        ],
        text,
    )
    by_name = _by_name(profile)
    assert "Miss Elizabeth Bennet" in by_name["Elizabeth"].aliases
    assert "Miss Elizabeth Bennet" not in by_name
    first = profile.quotes[0]
    assert by_name_of(profile, first.speaker) == "Mrs. Bennet"  # "her mother": Elizabeth is a Bennet


def test_a_cast_role_entry_yields_to_the_titled_character_named_in_the_scene(tmp_path):
    filler = "The rain kept on all day and the roads were bad; nobody came and nobody went. " * 30
    pause = "The clock ticked on the wall and the fire burned low in the grate all evening. " * 20
    text = (
        "The doctor looked at the baby and went away.\n\n" + filler + "\n\n"
        "Doctor Losberne came up the stairs. " + pause + "The doctor sat down by the bed. " + pause + "The doctor rose."
    )
    profile = analyse_with_cast(
        tmp_path,
        [
            "{name: The Doctor, aliases: [The Doctor], gender: male}",
            "{name: Mr. Losberne, aliases: [Doctor Losberne, Mr. Losberne], gender: male}",
        ],
        text,
    )
    described = [
        by_name_of(profile, m.character)
        for m in profile.mentions
        if m.kind == "nominal" and text[m.start : m.end].lower() == "the doctor"
    ]
    # The last is over 2,000 characters from his name, but the scene's doctor is still he.
    assert described == ["The Doctor", "Mr. Losberne", "Mr. Losberne"]


def test_a_name_whose_accents_the_encoding_lost_still_matches_the_cast(tmp_path):
    text = (
        "Th?r?se de Vitr? sat on the deck. Th?r?se smiled at Tony Last.\n\n"
        "\u201cIt ought to be calm now,\u201d said Tony.\n\n\u201cI hope so,\u201d said Th?r?se."
    )
    profile = analyse_with_cast(
        tmp_path,
        [
            "{name: Therese De Vitre, aliases: [Thérèse De Vitré], gender: female}",
            "{name: Tony Last, aliases: [Tony], gender: male}",
        ],
        text,
    )
    assert [by_name_of(profile, q.speaker) for q in profile.quotes] == ["Tony Last", "Therese De Vitre"]


def _kb_index(*entries):
    from ficlens.characters.kbmatch import KBIndex
    from ficlens.kb import KBCharacter, normalize_alias

    characters = {}
    for name, aliases in entries:
        entry = KBCharacter(tag=name, name=name, aliases=list(aliases))
        for alias in (name, *aliases):
            characters[normalize_alias(alias)] = entry
    return KBIndex(characters=characters, places=set(), fandoms=[])


def test_a_full_name_joins_a_listed_given_name_only_when_nothing_says_they_differ():
    cast = _kb_index(
        ("Anna", ["Anna"]), ("John Watson", ["John"]), ("Elizabeth", ["Lizzy", "Miss Eliza", "My Dear Miss Eliza"])
    )
    clusters = cluster_names(
        Counter(
            {
                "Anna Smith": 3,
                "Anna Jones": 2,
                "Anna": 50,
                "John Lennon": 1,
                "John": 40,
                "Elizabeth Bennet": 4,
                "Elizabeth": 90,
                "Lizzy": 20,
            }
        ),
        cast,
    )
    groups = sorted(sorted(c.forms) for c in clusters)
    assert ["Anna Smith"] in groups and ["Anna Jones"] in groups  # two family names: no telling which
    assert ["John Lennon"] in groups  # the entry says John is a Watson
    assert ["Elizabeth", "Elizabeth Bennet", "Lizzy"] in groups


def test_a_misspelt_cast_given_name_does_not_claim_a_sibling():
    from ficlens.characters.kbmatch import build_index
    from ficlens.kb import KBCharacter, KnowledgeBase

    cast = [KBCharacter(tag="Frances Grey", name="Frances Grey"), KBCharacter(tag="May Wellend", name="May Wellend")]
    index = build_index(KnowledgeBase(fandoms=[]), cast, Counter({"Francis Grey": 3, "May Welland": 9}), "")
    assert index.character("Francis Grey") is None
    assert index.character("May Welland").name == "May Wellend"


def test_the_doctor_is_the_latest_titled_name_whatever_the_order_of_the_scene():
    from ficlens.characters.descriptions import recent_holder, title_holders
    from ficlens.model import Mention

    holders = title_holders({"grey": ["Dr. Grey"], "hale": ["Doctor Hale", "Hale"], "ann": ["Ann"]})
    assert holders["doctor"] == {"grey", "hale"}
    scene = [Mention(500, 510, "hale", "name"), Mention(100, 110, "ann", "name"), Mention(300, 310, "grey", "nominal")]
    assert recent_holder("doctor", holders, scene) == "hale"
    assert recent_holder("captain", holders, scene) is None
