"""The rating suggestion: lexicon matching, levels, density, rating up when unsure, evidence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ficlens.read import read_text
from ficlens.evidence import EXCERPT_CHARS
from ficlens.tags.lexicon import expand_term, inflect_verb, load_lexicon, scan_work
from ficlens.ao3vocab import RATINGS
from ficlens.tags.rating import decide_rating, judge_all, judge_profanity

FIXTURES = Path(__file__).parent / "fixtures" / "tags"
GENERAL, TEEN, MATURE, EXPLICIT = RATINGS


@pytest.fixture(scope="module")
def rate():
    """Analyse a text (or a `Work`) with the default pipeline plus the rating component."""
    from ficlens.model import Work
    from ficlens.pipeline import Pipeline, default_components
    from ficlens.tags import detect_rating

    pipeline = Pipeline(default_components() + [("rating", detect_rating)])
    return lambda source: pipeline(source if isinstance(source, Work) else read_text(source))


def fixture_text(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def rating_of(text: str):
    """The rating from the lexicon scan alone (no spaCy): for tests of thresholds."""
    scan = scan_work(read_text(text))
    return decide_rating(scan, judge_all(scan))


# --- lexicon ------------------------------------------------------------------------------------


def test_verbs_inflect_regularly_and_irregularly():
    assert {"stab", "stabs", "stabbed", "stabbing"} <= set(inflect_verb("stab"))
    assert {"die", "died", "dying"} <= set(inflect_verb("die"))
    assert {"make", "made", "making"} <= set(inflect_verb("make"))
    assert {"bury", "buried", "buries"} <= set(inflect_verb("bury"))


def test_placeholders_and_inflections_expand_together():
    forms = expand_term("hold~v <obj> down")
    assert "held him down" in forms and "holding her down" in forms
    assert "hold his down" not in forms


def test_lexicon_matches_inflections_with_word_boundaries():
    violence = load_lexicon("violence")
    text = "She stabbed him. The stabbing was quick. Stabilise the patient."
    found = [text[h.start : h.end].lower() for h in violence.find(text)]
    assert found == ["stabbed", "stabbing"]


@pytest.mark.parametrize(
    "phrase",
    [
        "a dead battery",
        "killing time",
        "she was dying to know",
        "he cocked his head",
        "shot her a glance",
        "he called his brother a cock-blocker",
        "you cock-blocked me",
    ],
)
def test_guards_swallow_harmless_phrases(phrase):
    text = f"Then {phrase}, and nothing else happened."
    assert not [h for name in ("violence", "death", "sexual") for h in load_lexicon(name).find(text)]


def test_same_words_in_earnest_still_count():
    text = "The battery was fine. He was dead by morning, and she killed time no longer."
    hits = list(load_lexicon("violence").find(text))
    assert [text[h.start : h.end] for h in hits] == ["dead"]


def test_lowercase_only_terms_skip_names():
    sexual = load_lexicon("sexual")
    assert not list(sexual.find("Dick Grayson waved."))
    assert list(sexual.find("he's such a dick, she thought, and then saw his dick"))


# --- levels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("general", GENERAL),
        ("teen_language", TEEN),
        ("mild_violence", TEEN),
        # one named act after the fact and bare skin: a fade to black, which ao3-dev's authors rate Teen
        ("mature_suggestive", TEEN),
        ("graphic_violence", MATURE),
        ("explicit_clinical", EXPLICIT),
    ],
)
def test_fixture_ratings(rate, name, expected):
    rating = rate(fixture_text(name)).tags.rating
    assert rating.tag == expected
    assert 0.0 <= rating.confidence <= 1.0


def test_a_kiss_is_not_explicit(rate):
    rating = rate("He kissed her, and she kissed him back, and they kissed again under the lamp.").tags.rating
    assert rating.tag == GENERAL


def test_one_line_of_made_love_is_teen_not_mature(rate):
    rating = rate("That night they made love by the fire, slowly, and fell asleep in each other's arms.").tags.rating
    assert rating.tag == TEEN


def test_a_scene_that_names_and_suggests_but_barely_shows_is_mature_not_explicit():
    # One explicit term in a scene that otherwise only names and suggests
    text = "They had sex in the dark. She was naked and he moaned her name, and afterwards she spoke of the orgasm."
    rating = rating_of(text)
    assert rating.tag == MATURE
    assert rating.confidence < 0.8


def test_confident_explicit_has_high_confidence():
    assert rating_of(fixture_text("explicit_clinical")).confidence >= 0.7


# --- density ------------------------------------------------------------------------------------

NEUTRAL = (
    "The morning was grey and the harbour was busy with gulls. Mara carried the nets down to the boat "
    "and Tobias counted the crates twice, because the buyer from the mainland always argued. "
)


def long_story(words: int, inserts: list[str]) -> str:
    """About `words` words of neutral prose with `inserts` spread evenly through it."""
    per_block = len(NEUTRAL.split())
    blocks = [NEUTRAL] * (words // per_block)
    step = max(1, len(blocks) // (len(inserts) + 1))
    for i, insert in enumerate(inserts, start=1):
        blocks[i * step] = insert + " " + blocks[i * step]
    return "\n\n".join("".join(blocks[i : i + 5]) for i in range(0, len(blocks), 5))


def test_one_strong_word_in_twenty_thousand_is_teen_not_mature():
    rating = rating_of(long_story(20_000, ['"Fuck," he said.']))
    assert rating.tag == TEEN


def test_dense_strong_profanity_is_mature():
    text = " ".join(['"Fuck this," he said. "Fuck the fucking boat and fuck the buyer."'] * 6)
    scan = scan_work(read_text(text))
    assert judge_profanity(scan).level == RATINGS.index(MATURE)
    assert rating_of(text).tag == MATURE


def test_the_same_count_spread_thin_is_only_teen():
    inserts = ['"Fuck this," he said. "Fuck the fucking boat and fuck the buyer."'] * 6
    assert rating_of(long_story(30_000, inserts)).tag == TEEN


# --- evidence and notes ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["teen_language", "mature_suggestive", "graphic_violence", "explicit_clinical"])
def test_evidence_slices_the_text_it_quotes(rate, name):
    profile = rate(fixture_text(name))
    text = profile.work.text
    evidence = profile.tags.rating.evidence
    assert 1 <= len(evidence) <= 5
    for item in evidence:
        assert " ".join(text[item.start : item.end].split()) == item.excerpt
        assert len(item.excerpt) <= EXCERPT_CHARS
        assert any(p.start <= item.start and item.end <= p.end for p in profile.work.story_parts())


def test_evidence_is_strongest_first(rate):
    evidence = rate(fixture_text("explicit_clinical")).tags.rating.evidence
    assert re.search(r"penis|erection|vagina|orgasm|semen|intercourse", evidence[0].excerpt)


def test_notes_never_count(rate):
    profile = rate(fixture_text("notes_only_explicit"))
    assert [p.kind for p in profile.work.parts][:2] == ["summary", "notes"]  # the fixture is what it claims
    assert profile.tags.rating.tag == GENERAL
    # the claim of absence cites the story it read, and only the story
    bodies = [(p.start, p.end) for p in profile.work.story_parts()]
    assert [(e.start, e.end) for e in profile.tags.rating.evidence] == bodies


def test_long_text_scans_quickly():
    import time

    text = long_story(100_000, ['"Fuck," he said.', "She stabbed him.", "They made love."])
    started = time.perf_counter()
    rating_of(text)
    assert time.perf_counter() - started < 5.0


# --- real works (../shared, optional) -------------------------------------------------------------


def test_seed_ratings(seeds_dir, rate):
    from ficlens.read import read

    seed_000 = rate(read(next(seeds_dir.glob("000_*.txt")))).tags.rating
    seed_004 = rate(read(next(seeds_dir.glob("004_*.txt")))).tags.rating
    assert seed_000.tag in (MATURE, EXPLICIT)
    assert seed_004.tag in (TEEN, MATURE)


def test_fade_to_black_is_at_least_teen(rate):
    from ficlens.read import read_text

    text = (
        "Mara kissed Jon in the doorway, slow and sure. Then she took him to bed, and the candle went out.\n\n"
        "The morning after, the kettle sang in the kitchen and neither of them said a word about it."
    )
    assert rate(read_text(text)).tags.rating.tag != GENERAL


# --- settings -----------------------------------------------------------------------------------


def test_rating_settings_move_the_thresholds():
    from ficlens.tags.rating import RatingSettings, judge_sexual

    scan = scan_work(read_text(fixture_text("explicit_clinical")))
    assert decide_rating(scan, judge_all(scan)).tag == EXPLICIT
    strict = RatingSettings(explicit_scene=1000.0)
    assert decide_rating(scan, judge_all(scan, strict), strict).tag == MATURE
    # The defaults passed or left out are one judgement, memoised once on the scan.
    assert judge_sexual(scan) is judge_sexual(scan, RatingSettings())
    assert judge_sexual(scan, strict) is not judge_sexual(scan)


def test_the_rating_component_reads_its_settings_from_the_config():
    from ficlens.analysis import AnalysisConfig
    from ficlens.pipeline import Pipeline
    from ficlens.stats import count_stats
    from ficlens.tags import detect_rating

    text = fixture_text("explicit_clinical")
    steps = [count_stats, detect_rating]
    assert Pipeline(steps)(read_text(text)).tags.rating.tag == EXPLICIT
    config = AnalysisConfig().with_settings("rating", explicit_scene=1000.0, mature_scene=1000.0, mature_acts=100)
    assert Pipeline(steps, config)(read_text(text)).tags.rating.tag == TEEN


def test_teen_thresholds_for_language_and_violence_are_settings():
    from ficlens.tags.rating import RatingSettings, judge_violence

    one_word = scan_work(read_text(fixture_text("teen_language")))
    assert judge_profanity(one_word).level == RATINGS.index(TEEN)
    # Two strong words needed: the one "fuck" then counts as a mild word, and one is not enough.
    assert judge_profanity(one_word, RatingSettings(strong_teen=2)).level == RATINGS.index(GENERAL)
    assert judge_profanity(one_word, RatingSettings(strong_teen=2, mild_teen=1)).level == RATINGS.index(TEEN)
    fight = scan_work(read_text(fixture_text("mild_violence")))
    assert judge_violence(fight).level == RATINGS.index(TEEN)
    diluted = RatingSettings(violence_teen_density=1000.0)
    assert judge_violence(fight, diluted).level == RATINGS.index(GENERAL)
