"""Fandom, character and narration tags come from evidence in the text, or not at all."""

from __future__ import annotations


def _tags(profile, field):
    return {t.tag: t for t in getattr(profile.tags, field)}


def test_star_wars_story_gets_fandom_and_canonical_character_tags(analyse):
    profile = analyse(
        "Kylo Ren paced the bridge of the Supremacy. Hux watched him. \u201cThe Resistance is on Crait,\u201d "
        "Hux said. Kylo Ren ignited his lightsaber. Rey felt it through the Force, far away on Ahch-To."
    )
    fandoms = _tags(profile, "fandoms")
    assert "Star Wars - All Media Types" in fandoms
    star_wars = fandoms["Star Wars - All Media Types"]
    assert star_wars.evidence and all(
        profile.work.text[e.start : e.end].lower() == e.excerpt.lower() for e in star_wars.evidence
    )
    characters = _tags(profile, "characters")
    assert "Ben Solo | Kylo Ren" in characters and "Rey (Star Wars)" in characters


def test_original_fiction_gets_no_fandom(analyse):
    profile = analyse("Tobias Wren climbed the hill. He was tired. Ellery Quade followed him with the lantern.")
    assert profile.tags.fandoms == []
    assert profile.tags.characters == []  # no canon characters either


def test_second_person_reader_story_tags(analyse):
    profile = analyse(
        "You wake before dawn. Y/N, he had called you. You pull on your boots and step outside. "
        "Mara waits by the gate. She hands you a cup and you drink it. You walk to the harbour together."
    )
    additional = _tags(profile, "additional")
    assert {"Reader-Insert", "Second Person", "Present Tense"} <= set(additional)
    assert additional["Reader-Insert"].evidence
    assert "First Person" not in additional
    assert "Reader" in _tags(profile, "characters")


def test_seed_fandoms(seeds_dir, pipeline):
    import ficlens

    for path in sorted(seeds_dir.glob("*.txt")):
        profile = pipeline(ficlens.read(path))
        assert [t.tag for t in profile.tags.fandoms][:1] == ["Star Wars - All Media Types"]


def test_one_distinctive_name_with_two_more_canon_characters_is_a_fandom(analyse):
    profile = analyse(
        "Dean slammed the Impala's door. Castiel was waiting by the motel. \u201cHello, Dean.\u201d "
        "Sam watched them from the window and rolled his eyes."
    )
    assert [t.tag for t in profile.tags.fandoms] == ["Supernatural (TV 2005)"]


def test_common_first_names_alone_are_no_fandom(analyse):
    profile = analyse("Dean and Sam drove to the lake. Sam fished; Dean slept in the car until noon.")
    assert profile.tags.fandoms == []


def test_chance_matches_in_a_story_about_other_people_are_no_fandom(analyse):
    cast = ["Martha Quill", "Josiah Brand", "Edith Marsh", "Samuel Crane", "Ada Finch", "Tobias Vane"]
    sentences = [
        f"{cast[i % 6]} walked to the mill with {cast[(i + 1) % 6]} and spoke of the harvest." for i in range(60)
    ]
    sentences.insert(30, "Martha read a pamphlet by Poe Dameron about the Resistance and the First Order.")
    profile = analyse(" ".join(sentences))
    assert profile.tags.fandoms == []


def test_original_fiction_tags_its_main_characters_by_full_name(analyse):
    lines = ["Nora Vance fixed the radio while Owen Pike held the lamp. Nora laughed at Owen." for _ in range(4)]
    profile = analyse(" ".join(lines) + " A postman, Mr. Dale, passed once.")
    assert profile.tags.fandoms == []
    tags = {t.tag for t in profile.tags.characters}
    assert {"Nora Vance", "Owen Pike"} <= tags and all(t.evidence for t in profile.tags.characters)


def _fandom_ids(profile):
    from ficlens.kb import load_kb

    kb = load_kb()
    return [kb.fandom(t.tag).id for t in profile.tags.fandoms]


def test_one_name_only_one_canon_has_decides_a_short_work(analyse):
    profile = analyse(
        "Peeta kneaded the dough. The oven was hot. Peeta smiled at the bread, and later Peeta "
        "carried it home through the rain."
    )
    assert _fandom_ids(profile) == ["hunger-games"]
    assert profile.tags.fandoms[0].evidence


def test_a_crossover_gets_both_fandoms(analyse):
    profile = analyse(
        "Katniss Everdeen climbed into the jaeger. Mako Mori checked the drift link. \u201cReady?\u201d asked "
        "Raleigh Becket. Peeta Mellark waved from the gantry, and Katniss Everdeen waved back at him."
    )
    assert set(_fandom_ids(profile)) == {"hunger-games", "pacific-rim"}


def test_hyphenated_names_stay_whole(analyse):
    profile = analyse(
        "Obi-Wan Kenobi looked at Anakin. \u201cMaster,\u201d Anakin said. Obi-Wan sighed, "
        "and Anakin Skywalker laughed."
    )
    names = {c.name for c in profile.characters}
    assert "Obi-Wan Kenobi" in names and not any(n.startswith("Wan") or n == "Obi" for n in names)
    assert "Star Wars - All Media Types" in _tags(profile, "fandoms")
