"""The tag scorer (`ficlens eval tags`): every metric on hand-built profiles whose right scores are
worked out by hand, a run through the real pipeline over three works of data/labelled-tags, and a
check that every file of that labelled set reads with its author tags."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ficlens.errors import InputNotFound, UnreadableInput
from ficlens.eval.split import in_split, split_of
from ficlens.eval.tags import (
    Pairing,
    TagGold,
    TagReport,
    character_names,
    count_evidence,
    evaluate_tags,
    score_tags,
    tag_key,
)
from ficlens.evalcmd import run_tags
from ficlens.kb import Fandom, KBCharacter, KnowledgeBase
from ficlens.model import AuthorTags
from ficlens.read import read

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "data" / "labelled-tags"
HTML_FIXTURES = Path(__file__).parent / "fixtures" / "html"

KB = KnowledgeBase(
    fandoms=[
        Fandom(
            id="star-wars",
            tag="Star Wars - All Media Types",
            related=["Star Wars Sequel Trilogy"],
            characters=[KBCharacter(tag="Rey (Star Wars)", name="Rey", aliases=["Rey"], gender="female")],
        ),
        Fandom(
            id="sherlock",
            tag="Sherlock (TV)",
            related=["Sherlock Holmes - Arthur Conan Doyle"],
            characters=[
                KBCharacter(tag="Sherlock Holmes", name="Sherlock Holmes", aliases=["Sherlock"], gender="male")
            ],
        ),
    ]
)


def ev() -> list[dict]:
    return [{"start": 0, "end": 3, "excerpt": "Rey"}]


def sug(tag: str, confidence: float = 0.8, evidence: bool = True) -> dict:
    return {"tag": tag, "confidence": confidence, "evidence": ev() if evidence else []}


def gold(**fields) -> TagGold:
    return TagGold.from_author_tags(AuthorTags(**fields), KB)


def profile(**tags) -> dict:
    relationships = tags.pop("layer", [])
    return {"tags": tags, "relationships": relationships}


# ---------------------------------------------------------------------------------------------
# Tag spelling


def test_tag_key_normalises_case_spaces_apostrophes_and_separators():
    assert tag_key("  Rey / Ben Solo |  Kylo Ren ") == tag_key("rey/ben solo | kylo ren")
    assert tag_key("Crowley’s  Bentley") == "crowley's bentley"
    assert tag_key("Padmé Amidala") == "padme amidala"
    assert tag_key("Finn&Rey") == "finn & rey"


def test_character_names_split_aliases_and_drop_disambiguators():
    assert character_names("Ben Solo | Kylo Ren") == {"ben solo", "kylo ren"}
    assert character_names("Rey (Star Wars)") == {"rey (star wars)", "rey"}


def test_pairing_same_pair_ignores_order_and_alias_form_but_not_type():
    reylo = Pairing.parse("Rey/Ben Solo | Kylo Ren")
    assert reylo.same_pair(Pairing.parse("Kylo Ren/Rey (Star Wars)"))
    assert not reylo.same_pair(Pairing.parse("Rey & Ben Solo | Kylo Ren"))  # romance is not friendship
    assert not reylo.same_pair(Pairing.parse("Rey/Finn"))
    assert not reylo.same_pair(Pairing.parse("Rey/Ben Solo | Kylo Ren/Finn"))
    assert Pairing.parse("A & B & C").people == ("a", "b", "c")


# ---------------------------------------------------------------------------------------------
# Rating


@pytest.mark.parametrize(
    "predicted, exact, within_one",
    [
        ("Mature", True, True),
        ("Teen And Up Audiences", False, True),
        ("Explicit", False, True),
        ("General Audiences", False, False),
        (None, False, False),  # no rating suggested: wrong, not left out
    ],
)
def test_rating_exact_and_within_one_step(predicted, exact, within_one):
    tags = {"rating": sug(predicted)} if predicted else {}
    score = score_tags(gold(rating="Mature"), profile(**tags), KB)
    assert (score.rating_exact, score.rating_within_one) == (exact, within_one)


def test_not_rated_is_left_out_of_rating_scores_and_counted():
    score = score_tags(gold(rating="Not Rated"), profile(rating=sug("General Audiences")), KB)
    assert score.not_rated and score.rating_exact is None and score.rating_within_one is None
    report = TagReport(works=[score])
    assert report.rating_exact.total == 0
    assert report.to_dict()["totals"]["not_rated"] == 1


# ---------------------------------------------------------------------------------------------
# Warnings


def test_warnings_precision_recall_over_the_four_real_warnings():
    author = gold(warnings=["Major Character Death", "Graphic Depictions Of Violence"])
    predicted = profile(warnings=[sug("Major Character Death"), sug("Rape/Non-Con")])
    score = score_tags(author, predicted, KB)
    assert (score.warnings.gold, score.warnings.predicted, score.warnings.matched) == (2, 2, 1)
    assert score.warnings_exact is False


def test_no_archive_warnings_apply_is_the_empty_set():
    author = gold(warnings=["No Archive Warnings Apply"])
    assert score_tags(author, profile(warnings=[sug("No Archive Warnings Apply", evidence=False)]), KB).warnings_exact
    wrong = score_tags(author, profile(warnings=[sug("Major Character Death")]), KB)
    assert wrong.warnings_exact is False and wrong.warnings.precision == 0.0


def test_creator_chose_not_to_warn_is_left_out():
    author = gold(warnings=["Creator Chose Not To Use Archive Warnings", "Major Character Death"])
    score = score_tags(author, profile(warnings=[sug("Rape/Non-Con")]), KB)
    assert score.warnings_exact is None and score.warnings.gold == score.warnings.predicted == 0


def test_the_old_opt_out_spelling_is_left_out_too():
    author = gold(warnings=["Choose Not To Use Archive Warnings"])
    assert score_tags(author, profile(warnings=[sug("Rape/Non-Con")]), KB).warnings_exact is None


def test_underage_and_underage_sex_are_one_warning():
    score = score_tags(gold(warnings=["Underage"]), profile(warnings=[sug("Underage Sex")]), KB)
    assert score.warnings_exact is True and score.warnings.matched == 1


# ---------------------------------------------------------------------------------------------
# Fandom


def test_fandom_right_when_top_suggestion_is_the_same_kb_fandom_under_another_tag():
    author = gold(fandoms=["Star Wars Sequel Trilogy"])
    score = score_tags(author, profile(fandoms=[sug("Star Wars - All Media Types")]), KB)
    assert score.kb_work and score.fandom_right


def test_fandom_judged_by_the_most_confident_suggestion_only():
    author = gold(fandoms=["Star Wars - All Media Types"])
    predicted = profile(fandoms=[sug("Star Wars - All Media Types", 0.5), sug("Sherlock (TV)", 0.9)])
    score = score_tags(author, predicted, KB)
    assert score.top_fandom == "Sherlock (TV)" and not score.fandom_right
    assert score.fandom_recall.recall == 1.0  # it was suggested, just not first


def test_kb_work_without_fandom_suggestion_is_wrong():
    assert not score_tags(gold(fandoms=["Sherlock (TV)"]), profile(), KB).fandom_right


def test_work_outside_the_kb_is_right_only_without_a_fandom():
    author = gold(fandoms=["Original Work"])
    assert not score_tags(author, profile(), KB).kb_work
    assert score_tags(author, profile(), KB).fandom_right
    assert not score_tags(author, profile(fandoms=[sug("Sherlock (TV)")]), KB).fandom_right


def test_a_fandom_guessed_for_a_work_outside_the_kb_is_counted():
    author = gold(fandoms=["Original Work"])
    guessed = score_tags(author, profile(fandoms=[sug("Sherlock (TV)")]), KB)
    report = TagReport(works=[guessed, score_tags(author, profile(), KB)])
    assert report.fandom_guessed_other.accuracy == 0.5
    assert report.to_dict()["totals"]["fandom_guessed_other_works"]["correct"] == 1


def test_crossover_top_fandom_may_be_either():
    author = gold(fandoms=["Sherlock Holmes - Arthur Conan Doyle", "Star Wars - All Media Types"])
    assert score_tags(author, profile(fandoms=[sug("Sherlock (TV)")]), KB).fandom_right
    report = TagReport(works=[score_tags(author, profile(fandoms=[sug("Sherlock (TV)")]), KB)])
    assert report.fandom_recall.to_dict()["recall"] == 0.5


# ---------------------------------------------------------------------------------------------
# Characters, relationships, categories


def test_character_tags_match_across_alias_and_disambiguator_spellings():
    author = gold(characters=["Rey (Star Wars)", "Kylo Ren", "Finn (Star Wars)", "Original Female Character(s)"])
    predicted = profile(characters=[sug("Rey"), sug("Ben Solo | Kylo Ren"), sug("Poe Dameron")])
    score = score_tags(author, predicted, KB)
    assert (score.characters.gold, score.characters.predicted, score.characters.matched) == (3, 3, 2)
    assert score.original_characters == 1  # the placeholder is counted, not scored


def test_relationship_exact_and_same_pair():
    author = gold(relationships=["Rey/Ben Solo | Kylo Ren", "Finn & Rey (Star Wars)"])
    predicted = profile(relationships=[sug("Ben Solo | Kylo Ren/Rey"), sug("Finn/Rey (Star Wars)")])
    score = score_tags(author, predicted, KB)
    assert score.relationships_exact.matched == 0  # neither is the author's string
    assert score.relationships_pair.matched == 1  # B/A is the same pair; "/" is not "&"
    assert score.relationships_pair.precision == 0.5


def test_romantic_relationships_scored_apart_from_platonic_ones():
    author = gold(relationships=["Rey/Ben Solo | Kylo Ren", "Finn & Rey (Star Wars)", "Finn/Poe Dameron"])
    predicted = profile(relationships=[sug("Kylo Ren/Rey"), sug("Finn & Rey"), sug("Rey/Rose Tico")])
    score = score_tags(author, predicted, KB)
    assert (score.romantic.gold, score.romantic.predicted, score.romantic.matched) == (2, 2, 1)


def test_additional_tags_scored_on_the_five_most_confident_suggestions():
    author = gold(additional=["Fluff", "Angst - Freeform", "Hurt/Comfort (Star Wars)", "Kissing"])
    suggestions = [
        sug("Texting", 0.2),
        sug("Fluff", 0.9),
        sug("Angst", 0.8),
        sug("Romance", 0.7),
        sug("Humor", 0.6),
        sug("Pining", 0.5),
        sug("Hurt/Comfort", 0.3),
    ]
    score = score_tags(author, profile(additional=suggestions), KB)
    # the top five are Fluff, Angst, Romance, Humor, Pining: two of them the author's
    assert (score.additional_top.predicted, score.additional_top.matched) == (5, 2)
    assert score.additional_top.precision == 0.4


def test_a_work_without_author_additional_tags_does_not_count_for_them():
    score = score_tags(gold(rating="Mature"), profile(additional=[sug("Fluff")]), KB)
    assert score.additional_top.predicted == 0


def test_split_is_stable_and_about_half():
    ids = [str(n) for n in range(1000, 3000)]
    tune = [i for i in ids if in_split(i, "tune")]
    assert 0.45 < len(tune) / len(ids) < 0.55
    assert all(split_of(i) == "tune" for i in tune)
    assert all(in_split(i, "all") and in_split(i, None) for i in ids[:10])
    # depends on the id alone, the same on every machine and run (a fixed hash, no seed): pinned
    assert [split_of(i) for i in ("1000334", "1", "2", "4")] == ["tune", "check", "tune", "check"]
    with pytest.raises(ValueError):
        in_split("1", "train")


def test_evaluate_tags_takes_one_split_by_file_name(tmp_path):
    names = [f"{n}.html" for n in range(40)]
    for name in names:
        shutil.copy(HTML_FIXTURES / "ao3_single_chapter.html", tmp_path / name)
    analyze = lambda work: {}  # noqa: E731
    tune = evaluate_tags(tmp_path, analyze, kb=KB, split="tune")
    check = evaluate_tags(tmp_path, analyze, kb=KB, split="check")
    assert tune.files + check.files == 40 and tune.files and check.files
    assert {w.work_id for w in tune.works} == {Path(n).stem for n in names if split_of(Path(n).stem) == "tune"}


def test_only_suggested_relationship_tags_are_scored():
    author = gold(relationships=["Rey / Ben Solo | Kylo Ren", "Finn & Rey (Star Wars)"])
    layer = [{"tag": "Rey/Ben Solo | Kylo Ren", "evidence": ev()}, {"tag": "Finn & Rey (Star Wars)", "evidence": ev()}]
    predicted = profile(relationships=[sug("Rey/Ben Solo | Kylo Ren")], layer=layer)
    score = score_tags(author, predicted, KB)
    # the layer's minor bond (Finn & Rey) is not a suggested tag, so it is not counted
    assert (score.relationships_exact.predicted, score.relationships_exact.matched) == (1, 1)


def test_relationships_with_original_characters_are_not_scored():
    author = gold(relationships=["Original Female Character/Original Female Character"])
    score = score_tags(author, profile(), KB)
    assert score.relationships_pair.gold == 0 and score.original_characters == 1


def test_category_exact_set():
    author = gold(categories=["F/M", "Gen"])
    assert score_tags(author, profile(categories=[sug("F/M"), sug("Gen")]), KB).categories_exact
    partial = score_tags(author, profile(categories=[sug("F/M")]), KB)
    assert partial.categories_exact is False and partial.categories.recall == 0.5
    assert score_tags(gold(rating="Mature"), profile(categories=[sug("M/M")]), KB).categories_exact is None


# ---------------------------------------------------------------------------------------------
# Evidence coverage


def test_evidence_coverage_counts_every_suggestion_and_relationship():
    predicted = profile(
        rating=sug("General Audiences", evidence=False),  # an absence claim: counted apart
        warnings=[sug("No Archive Warnings Apply", evidence=False)],
        fandoms=[sug("Sherlock (TV)")],
        characters=[sug("Sherlock Holmes"), sug("John Watson", evidence=False)],
        additional=[sug("Fluff")],
        layer=[{"tag": "Sherlock Holmes & John Watson", "evidence": []}],
    )
    count = count_evidence(predicted)
    assert (count.suggestions, count.with_evidence) == (5, 3)
    assert (count.absence_claims, count.absence_with_evidence) == (2, 0)
    assert count.missing == ["characters: John Watson", "relationship: Sherlock Holmes & John Watson"]


def test_a_mature_rating_without_evidence_is_not_an_absence_claim():
    count = count_evidence(profile(rating=sug("Mature", evidence=False)))
    assert (count.suggestions, count.with_evidence, count.absence_claims) == (1, 0, 0)


def test_malformed_profile_is_rejected():
    with pytest.raises(UnreadableInput):
        score_tags(gold(rating="Mature"), {"tags": {"fandoms": [{"confidence": 1}]}}, KB)


# ---------------------------------------------------------------------------------------------
# Whole runs over files


def test_evaluate_tags_skips_untagged_and_lists_failures(tmp_path):
    shutil.copy(HTML_FIXTURES / "ao3_single_chapter.html", tmp_path / "tagged.html")
    shutil.copy(HTML_FIXTURES / "generic.html", tmp_path / "plain.html")
    (tmp_path / "broken.epub").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "notes.txt").write_text("ignored: not HTML or EPUB")

    def analyze(work):
        return {"tags": {"rating": sug("Mature"), "fandoms": []}}

    report = evaluate_tags(tmp_path, analyze, kb=KB)
    assert report.files == 3
    assert [w.work_id for w in report.works] == ["tagged"]
    assert len(report.untagged) == 1 and len(report.unreadable) == 1
    work = report.works[0]
    assert work.rating_exact is True and work.fandom_right  # Original Work, no fandom suggested
    assert work.warnings.gold == 2 and work.warnings.matched == 0
    text = report.to_text()
    assert "tagged" in text and "1 without author tags" in text and "1 unreadable" in text
    json.dumps(report.to_dict())


def test_a_failed_analysis_is_scored_empty_and_flagged(tmp_path):
    from ficlens.errors import InputTooLarge

    shutil.copy(HTML_FIXTURES / "ao3_single_chapter.html", tmp_path / "tagged.html")

    def analyze(work):
        raise InputTooLarge("too long")

    report = evaluate_tags(tmp_path, analyze, kb=KB)
    assert report.works[0].error == "too long" and report.works[0].rating_exact is False
    assert report.to_dict()["failed"] == [{"work": "tagged", "error": "too long"}]


def test_missing_directory():
    with pytest.raises(InputNotFound):
        evaluate_tags(Path("/no/such/dir"), lambda work: {}, kb=KB)


def test_labelled_set_through_the_real_pipeline(tmp_path, pipeline):
    """Three works of the set (HTML fan work, EPUB, original work) scored end to end."""
    for name in ("sherlock-three-cups.html", "haikyuu-toss.epub", "original-lighthouse.html"):
        shutil.copy(LABELLED / name, tmp_path / name)
    report = run_tags(tmp_path, pipeline=pipeline)
    assert [w.work_id for w in report.works] == ["haikyuu-toss", "original-lighthouse", "sherlock-three-cups"]
    for work in report.works:
        assert work.error is None
        assert work.predicted_rating is not None  # every work gets some rating
        assert work.characters.gold or not work.kb_work
    assert sum(w.kb_work for w in report.works) == 2
    assert report.rating_within_one.total == 3
    totals = report.to_dict()["totals"]
    assert totals["evidence"]["suggestions"] >= 1
    assert all(w.work_id in report.to_text() for w in report.works)


# ---------------------------------------------------------------------------------------------
# The labelled set itself


LABELLED_FILES = sorted(p for p in LABELLED.iterdir() if p.suffix in (".html", ".epub")) if LABELLED.is_dir() else []


def test_labelled_set_has_its_readme_and_spread():
    assert (LABELLED / "README.md").is_file()
    assert 24 <= len(LABELLED_FILES) <= 30
    assert {p.suffix for p in LABELLED_FILES} == {".html", ".epub"}
    assert {p.name for p in LABELLED.iterdir()} - {p.name for p in LABELLED_FILES} == {"README.md"}


@pytest.mark.parametrize("path", LABELLED_FILES, ids=lambda p: p.name)
def test_every_labelled_work_reads_with_author_tags(path):
    work = read(path)
    tags = work.author_tags
    assert work.format in ("ao3-html", "ao3-epub")
    assert tags.rating and tags.warnings and tags.categories and tags.fandoms and tags.characters
    assert work.story_parts() and 300 <= len(" ".join(t for _, t in work.iter_story()).split()) <= 1500
