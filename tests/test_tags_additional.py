"""Additional (freeform) tags: each detector fires on a clear case and stays silent on a near miss.

Most tests build a light `Analysis` without spaCy (quotes and stats only, plus hand-built
characters, mentions, relationships or fandoms where a detector needs them), so each detector is
tested on exactly what it reads. A few run the whole pipeline to check the wiring.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from ficlens.model import Character, Evidence, Mention, Profile, Relationship, TagSuggestion
from ficlens.pipeline import Analysis, AnalysisConfig, default_components
from ficlens.quotes.detect import find_quotes
from ficlens.read import read_text
from ficlens.stats import count_stats
from ficlens.tags.additional import AdditionalTagSettings, smut, suggest_additional_tags, suggest_tags
from ficlens.tags.rating import EXPLICIT, MATURE, Finding
from ficlens.evidence import EXCERPT_CHARS
from ficlens.tags.lexicon import IGNORE, expand_term, normalize

MIN_CONFIDENCE = AdditionalTagSettings().min_confidence

FIXTURES = Path(__file__).parent / "fixtures" / "freeform"
TAG_FIXTURES = Path(__file__).parent / "fixtures" / "tags"
LEXICON = Path(__file__).parent.parent / "src" / "ficlens" / "data" / "lexicons" / "freeform.yaml"

# Sentences with no cue of any category, to dilute cues into a long story.
FILLER = "The afternoon went on. The clock on the wall ticked and the street outside stayed quiet. "


def fixture(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def light_analysis(text: str, *, fandoms=(), characters=(), mentions=(), relationships=(), stats=None) -> Analysis:
    work = read_text(text)
    if stats:
        work.author_tags.stats.update(stats)
    profile = Profile(
        work=work, characters=list(characters), mentions=list(mentions), relationships=list(relationships)
    )
    analysis = Analysis(work=work, profile=profile, config=AnalysisConfig(), resources=None)
    count_stats(analysis)
    find_quotes(analysis)
    if fandoms:
        analysis.layers.kb_index = SimpleNamespace(  # type: ignore[assignment]
            fandoms=[SimpleNamespace(fandom=SimpleNamespace(id=f)) for f in fandoms]
        )
    return analysis


def tags_of(text: str, **kwargs) -> dict[str, TagSuggestion]:
    return {t.tag: t for t in suggest_tags(light_analysis(text, **kwargs))}


# --- the data --------------------------------------------------------------------------------------


def test_each_surface_form_belongs_to_one_category():
    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    owner: dict[str, str] = {}
    clashes = []
    for category, by_weight in data["categories"].items():
        if category == IGNORE:
            continue
        for terms in by_weight.values():
            for term in terms:
                for form in expand_term(str(term)):
                    key = normalize(form)
                    if owner.setdefault(key, category) != category:
                        clashes.append((key, owner[key], category))
    assert not clashes


def test_every_category_a_detector_reads_exists():
    from ficlens.tags import additional

    categories = set(yaml.safe_load(LEXICON.read_text(encoding="utf-8"))["categories"])
    used = {c for rule in additional.RULES for c in rule.categories}
    used |= {c for s in additional.AU_SETTINGS for c in s.categories}
    used |= set(
        additional.ANGST_CATEGORIES + additional.FLUFF_CATEGORIES + additional.PHYSICAL_HURT + additional.COMFORT
    )
    used |= {
        "kiss",
        "first_kiss",
        "confession",
        "afterglow",
        "established",
        "domestic",
        "antagonism",
        "kin",
        "friendship",
    }
    assert used <= categories


# --- cue-word tags: clear case and near miss --------------------------------------------------------

CLEAR_AND_NEAR = [
    (
        "Kissing",
        "She kissed him at the gate, and after a moment he kissed her back.",
        '"Kiss me and I\'ll scream," she joked. He almost kissed her anyway, and did not.',
    ),
    (
        "Confessions",
        '"I\'m in love with you," he said at last. "I have been for years."',
        '"Love you too," she said over breakfast, and went back to her toast.',
    ),
    (
        "Crying",
        "She cried until the pillow was damp. Tears ran down her face and she sobbed into her sleeve.",
        '"Oh, Mr. Bennet!" cried his wife. "How can you?" she cried, and he cried out for his hat.',
    ),
    (
        "Nightmares",
        "He had the nightmare again. He woke with a start, soaked, and the nightmare followed him into the day.",
        "The paperwork was a logistical nightmare. Losing the keys would be her worst nightmare.",
    ),
    (
        "Jealousy",
        "He was jealous of every man she smiled at, and the jealousy made him sullen all evening.",
        "She envied nobody and wanted nothing.",
    ),
    (
        "Grief/Mourning",
        "After the funeral she could not eat. Grief sat in the empty chair. She mourned him every day and "
        "visited the headstone on Sundays.",
        "It was a grave mistake, she said in a grave voice, to leave the grave danger unmentioned.",
    ),
    (
        "Injury",
        "The wound in his side needed stitches. She bandaged it, then splinted the fractured wrist, and "
        "he limped to the infirmary.",
        "She wound her scarf around her neck, wound up the clock, and went out tightly wound.",
    ),
    (
        "Blood",
        "Blood ran down his arm. He bled onto the snow, and the blood soaked his sleeve; the bandage was "
        "bloodied within minutes.",
        "Bloody hell, she thought. Her blood pressure was fine, her blood type was rare, and bad blood "
        "between them made her blood boil.",
    ),
    (
        "Panic Attacks",
        "The panic attack hit in the lift. She couldn't breathe; she was hyperventilating before the doors opened.",
        "She panicked for a second about the exam, then found her pencil.",
    ),
    (
        "Cuddling & Snuggling",
        "They cuddled on the sofa all evening, and later snuggled under the duvet.",
        '"We could cuddle," he suggested. She threw a cushion at him.',
    ),
    (
        "Texting",
        "He texted her at midnight. She texted back a single emoji. The group chat exploded; his phone "
        "buzzed on the table all night.",
        "She sent a letter, the old way, with a stamp.",
    ),
    (
        "Alternate Universe - Soulmates",
        "Everyone had their soulmate's first words written on their wrist. Hers were rude. Her soulmate, "
        "it turned out, was rude too.",
        "She did not believe in fate, and she did not believe in him.",
    ),
    (
        "Redemption",
        "He wanted to atone. Redemption, he thought, was earned, not given; he would make amends to every "
        "one of them, and maybe they would forgive him.",
        "She forgave him for the spilled tea.",
    ),
    (
        "Pining",
        "He pined for her all winter. He longed for her letters, yearned for a glance, and nursed his "
        "unrequited hope in silence.",
        "The pine trees smelled of resin and the pine needles crunched underfoot.",
    ),
]


@pytest.mark.parametrize("tag, clear, near", CLEAR_AND_NEAR, ids=[c[0] for c in CLEAR_AND_NEAR])
def test_cue_tag_fires_on_a_clear_case_and_not_on_a_near_miss(tag, clear, near):
    found = tags_of(clear)
    assert tag in found
    assert MIN_CONFIDENCE <= found[tag].confidence <= 1.0
    assert tag not in tags_of(near)


def test_theme_cues_diluted_in_a_long_story_are_not_a_theme():
    short = "She cried until the pillow was damp. Tears ran down her face and she sobbed into her sleeve."
    assert "Crying" in tags_of(short)
    assert "Crying" not in tags_of(FILLER * 200 + short + FILLER * 200)


# --- mood, hurt/comfort, endings ---------------------------------------------------------------------


def test_fluff_and_domestic_fluff():
    found = tags_of(fixture("fluff"))
    assert {"Fluff", "Domestic Fluff", "Cuddling & Snuggling"} <= set(found)
    assert not {"Angst", "Hurt/Comfort"} & set(found)


def test_angst_without_comfort_is_not_hurt_comfort():
    found = tags_of(fixture("angst"))
    assert {"Angst", "Grief/Mourning", "Crying"} <= set(found)
    assert not {"Fluff", "Hurt/Comfort", "Happy Ending"} & set(found)


def test_hurt_comfort_physical_is_not_emotional():
    found = tags_of(fixture("hurt_comfort"))
    assert {"Hurt/Comfort", "Injury"} <= set(found)
    assert "Emotional Hurt/Comfort" not in found


def test_emotional_hurt_comfort_with_a_happy_ending():
    found = tags_of(fixture("emotional_hurt_comfort"))
    assert {"Hurt/Comfort", "Emotional Hurt/Comfort", "Nightmares", "Happy Ending", "Angst with a Happy Ending"} <= set(
        found
    )


def test_hurt_and_comfort_scenes_apart_are_not_hurt_comfort():
    hurt = "She cried and sobbed; the guilt was unbearable, and the pain would not stop. "
    comfort = "He held her close and rubbed circles on her back. It's okay, he soothed. "
    assert "Hurt/Comfort" in tags_of(hurt + comfort)
    assert "Hurt/Comfort" not in tags_of(hurt + FILLER * 40 + comfort)


# --- content reused from rating and warnings ---------------------------------------------------------


def test_violence_and_blood_from_a_graphic_fight():
    found = tags_of((TAG_FIXTURES / "graphic_violence.txt").read_text(encoding="utf-8"))
    assert "Violence" in found
    assert "Violence" not in tags_of((TAG_FIXTURES / "mild_violence.txt").read_text(encoding="utf-8"))


def test_swearing_needs_density():
    swears = "'Fuck,' he said. 'Shit. Damn it. Fucking hell. What the hell is this shit?' "
    assert "Swearing" in tags_of(swears * 2)
    assert "Swearing" not in tags_of(swears + FILLER * 150)


def test_post_coital_needs_sex_before_the_afterglow():
    after = (
        "They had made love slowly. Afterwards they lay tangled in the sheets, sticky with sweat and sated, "
        "her bare skin against his, and talked until dawn."
    )
    assert "Post-Coital" in tags_of(after)
    fever = "He lay tangled in the sheets, sticky with sweat from the fever, and she brought him soup."
    assert "Post-Coital" not in tags_of(fever)


def test_smut_only_when_the_rating_is_sure():
    clinical = (TAG_FIXTURES / "explicit_clinical.txt").read_text(encoding="utf-8")
    assert "Smut" not in tags_of((TAG_FIXTURES / "mature_suggestive.txt").read_text(encoding="utf-8"))
    found = tags_of(clinical)["Smut"]
    assert found.confidence >= 0.9 and found.evidence
    # Smut takes the rating's judgement of the sexual content: Explicit and sure, nothing less.
    scan = SimpleNamespace(evidence_for=lambda hits: [])
    assert smut(SimpleNamespace(sexual=Finding("sexual", EXPLICIT, 0.6), scan=scan)) is not None
    assert smut(SimpleNamespace(sexual=Finding("sexual", EXPLICIT, 0.45), scan=scan)) is None
    assert smut(SimpleNamespace(sexual=Finding("sexual", MATURE, 0.8), scan=scan)) is None


# --- form --------------------------------------------------------------------------------------------


def test_drabble_and_one_shot():
    hundred = " ".join(["word"] * 100)
    assert "Drabble" in tags_of(hundred)
    long = FILLER * 30
    assert "Drabble" not in tags_of(long)
    assert tags_of(long, stats={"chapters": "1/1"})["One Shot"].confidence >= 0.9
    assert "One Shot" not in tags_of(long, stats={"chapters": "1/3"})


def test_dialogue_heavy():
    talk = "".join(f'"Line {i} of the argument, and it goes on for a while," he said.\n\n' for i in range(15))
    assert "Dialogue-Heavy" in tags_of(talk.replace(" he said.", ""))
    assert "Dialogue-Heavy" not in tags_of(talk.replace(" he said.", "") + FILLER * 60)


# --- relationships -----------------------------------------------------------------------------------

KISS_LATE = (
    "Mara hated Theo. She was his enemy and he was hers, and she sneered at him across the council table "
    "every morning. Theo glared back and despised her in return. "
    + FILLER * 8
    + "Then, in the rain, Mara kissed Theo, and Theo kissed her back."
)


def cast(text: str, relationships=()):
    """Characters Mara and Theo with a mention at every occurrence of their names."""
    import re

    characters = [Character("mara", "Mara", gender="female"), Character("theo", "Theo", gender="male")]
    mentions = [Mention(m.start(), m.end(), m.group().lower(), "name") for m in re.finditer(r"Mara|Theo", text)]
    return dict(characters=characters, mentions=mentions, relationships=list(relationships))


def romance_from(text: str, start_word: str, confidence: float = 0.7) -> Relationship:
    at = text.index(start_word)
    return Relationship(
        ["mara", "theo"],
        "romantic",
        "Mara/Theo",
        strength=0.6,
        confidence=confidence,
        evidence=[Evidence(at, at + len(start_word), start_word)],
    )


def test_enemies_to_lovers_needs_antagonism_before_the_romance():
    romance = romance_from(KISS_LATE, "kissed")
    found = tags_of(KISS_LATE, **cast(KISS_LATE, [romance]))
    assert "Enemies to Lovers" in found
    assert "Established Relationship" not in found
    friendly = (
        KISS_LATE.replace("hated", "liked")
        .replace("his enemy and he was hers", "his friend and he was hers")
        .replace("sneered at", "smiled at")
        .replace("glared back and despised", "waved back and adored")
    )
    assert "Enemies to Lovers" not in tags_of(friendly, **cast(friendly, [romance_from(friendly, "kissed")]))


def test_enemies_to_lovers_from_an_antagonism_relationship():
    text = "Mara argued with Theo about the harbour. " + FILLER * 8 + "Then Mara kissed Theo in the rain."
    at = text.index("argued")
    rivals = Relationship(
        ["mara", "theo"], "antagonism", "Mara & Theo", confidence=0.6, evidence=[Evidence(at, at + 6, "argued")]
    )
    assert "Enemies to Lovers" in tags_of(text, **cast(text, [romance_from(text, "kissed"), rivals]))
    assert "Enemies to Lovers" not in tags_of(text)  # no relationships: nothing to go on


def test_established_relationship_from_the_first_page():
    text = "Mara kissed Theo good morning, as always, and made the tea. " + FILLER * 10
    found = tags_of(text, **cast(text, [romance_from(text, "Mara kissed")]))
    assert "Established Relationship" in found
    assert "First Kiss" not in found
    first = "Mara kissed Theo, their first kiss, and the tea went cold. " + FILLER * 10
    found = tags_of(first, **cast(first, [romance_from(first, "Mara kissed")]))
    assert "First Kiss" in found and "Established Relationship" not in found


def test_structural_first_kiss_only_for_a_late_lone_kiss():
    late = FILLER * 10 + "At the door, Mara kissed Theo."
    assert "First Kiss" in tags_of(late)
    early = "At the door, Mara kissed Theo. " + FILLER * 10
    assert "First Kiss" not in tags_of(early)
    domestic = FILLER * 10 + "In the kitchen, over breakfast on the couch with the laundry, Mara kissed Theo."
    assert "First Kiss" not in tags_of(domestic)


def test_romance_needs_something_shown():
    text = "Mara and Theo walked to the harbour. " + FILLER * 5
    relationship = romance_from(text, "Mara and Theo")
    assert "Romance" not in tags_of(text, **cast(text, [relationship]))
    kissing = text + "Mara kissed Theo, and he kissed her back."
    assert "Romance" in tags_of(kissing, **cast(kissing, [romance_from(kissing, "Mara and Theo")]))


def test_friendship_with_a_relationship_and_its_words():
    text = "Mara was Theo's best friend. Her friend Theo came every Sunday; their friendship was older than the town. "
    at = text.index("best friend")
    bond = Relationship(
        ["mara", "theo"], "friendship", "Mara & Theo", confidence=0.7, evidence=[Evidence(at, at + 11, "best friend")]
    )
    assert "Friendship" in tags_of(text, **cast(text, [bond]))
    assert "Friendship" not in tags_of(text)  # the words alone, this few, are not enough


# --- Alternate Universe ------------------------------------------------------------------------------


def test_modern_setting_is_an_au_only_for_a_canon_without_one():
    text = fixture("coffee_shop_au")
    found = tags_of(text, fandoms=["star-wars"])
    assert {
        "Alternate Universe",
        "Alternate Universe - Modern Setting",
        "Alternate Universe - Coffee Shops & Cafés",
    } <= set(found)
    sherlock = tags_of(text, fandoms=["sherlock"])
    assert "Alternate Universe - Modern Setting" not in sherlock  # phones are canon there
    assert "Alternate Universe - Coffee Shops & Cafés" in sherlock
    assert not any(t.startswith("Alternate Universe") for t in tags_of(text))  # no fandom, no AU


def test_unknown_canon_setting_gets_no_modern_au():
    assert "Alternate Universe - Modern Setting" not in tags_of(fixture("coffee_shop_au"), fandoms=["some-new-fandom"])


def test_high_school_au_not_for_a_high_school_canon():
    text = (
        "Homeroom started at eight. Rey shoved her books into her locker, dodged the principal, and ran for "
        "chemistry class; senior prom was in a week, and detention was not an option. "
    )
    assert "Alternate Universe - High School" in tags_of(text, fandoms=["star-wars"])
    assert "Alternate Universe - High School" not in tags_of(text, fandoms=["my-hero-academia"])


# --- every suggestion, whole pipeline ----------------------------------------------------------------

ALL_TEXTS = [fixture(p.stem) for p in sorted(FIXTURES.glob("*.txt"))] + [c[1] for c in CLEAR_AND_NEAR] + [KISS_LATE]


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_every_suggestion_carries_short_evidence(text):
    for suggestion in suggest_tags(
        light_analysis(text, fandoms=["star-wars"], **cast(text, [romance_from(text, text.split()[0])]))
    ):
        assert MIN_CONFIDENCE <= suggestion.confidence <= 1.0
        assert 1 <= len(suggestion.evidence) <= 5
        for evidence in suggestion.evidence:
            assert len(evidence.excerpt) <= EXCERPT_CHARS
            assert 0 <= evidence.start < evidence.end <= len(text)


def test_registered_after_what_it_reads_and_no_duplicates(analyse):
    names = [name for name, _ in default_components()]
    readers_of = ("warnings", "fandom_tags", "narration_tags", "relationships")
    assert all(names.index("additional_tags") > names.index(n) for n in readers_of)
    profile = analyse("You push the door open. You kiss him, and he kisses you back, and you laugh. " * 3)
    tags = [t.tag for t in profile.tags.additional]
    assert len(tags) == len(set(tags))


def test_component_keeps_narration_tags():
    analysis = light_analysis("She kissed him at the gate, and after a moment he kissed her back.")
    analysis.profile.tags.additional.append(TagSuggestion("Kissing", 0.9, [Evidence(0, 3, "She")]))
    suggest_additional_tags(analysis)
    assert [t.tag for t in analysis.profile.tags.additional].count("Kissing") == 1


def test_pipeline_finds_the_fandom_and_the_au(analyse):
    tags = {t.tag for t in analyse(fixture("coffee_shop_au")).tags.additional}
    assert "Alternate Universe - Coffee Shops & Cafés" in tags


# --- humor and the ranking by how often authors use a tag --------------------------------------------


def test_humor_from_laughter_and_joking_but_not_in_a_grim_story():
    funny = (
        "Jon snorted into his tea. 'That's ridiculous,' he said, and Mara burst out laughing so hard she "
        "had to sit down. He rolled his eyes at her, deadpanned another terrible joke, and she cackled."
    )
    found = tags_of(funny)
    assert "Humor" in found
    assert found["Humor"].evidence
    grim = funny + " " + fixture("angst")
    assert "Humor" not in tags_of(grim)
    assert "Humor" not in tags_of("He smiled at the ridiculous hat and went on with his work.")


def test_author_use_ranks_a_common_tag_above_a_rare_one_at_equal_confidence():
    from ficlens.tags.additional import TAG_USE, author_use, rank_by_use

    assert TAG_USE["Fluff"] == 1.0 and all(0 < use <= 1 for use in TAG_USE.values())
    assert author_use("Fluff") == 1.0
    assert author_use("Present Tense") < author_use("Hurt/Comfort") < author_use("Angst")
    assert author_use("A Tag Nobody Listed") == pytest.approx(author_use("Present Tense"))
    evidence = [Evidence(0, 3, "She")]
    found = [TagSuggestion("Present Tense", 0.8, evidence), TagSuggestion("Fluff", 0.6, evidence)]
    ranked = rank_by_use(found)
    assert [t.tag for t in ranked] == ["Fluff", "Present Tense"]
    assert ranked[0].confidence == 0.6 and ranked[1].confidence < 0.8
    assert all(t.evidence == evidence for t in ranked)
    # Popularity ignored (floor 1): the detectors' confidences and order stand.
    plain = AdditionalTagSettings(use_floor=1.0)
    assert [(t.tag, t.confidence) for t in rank_by_use(found, plain)] == [("Present Tense", 0.8), ("Fluff", 0.6)]
    # A cut-off on the scaled confidence leaves the unlikely tag out.
    strict = AdditionalTagSettings(min_likely=0.5)
    assert [t.tag for t in rank_by_use(found, strict)] == ["Fluff"]


def test_component_ranks_narration_tags_with_the_rest():
    analysis = light_analysis(fixture("fluff"))
    analysis.profile.tags.additional.append(TagSuggestion("Present Tense", 0.8, [Evidence(0, 3, "She")]))
    suggest_additional_tags(analysis)
    tags = [t.tag for t in analysis.profile.tags.additional]
    confidences = [t.confidence for t in analysis.profile.tags.additional]
    assert confidences == sorted(confidences, reverse=True)
    assert tags.index("Fluff") < tags.index("Present Tense")
