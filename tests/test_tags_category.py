"""Categories from romantic relationships and genders."""

from __future__ import annotations

from types import SimpleNamespace

from ficlens.model import Character, Evidence, Profile, Relationship, Stats, Work
from ficlens.tags.category import category_of, suggest_categories


def test_category_of_genders():
    assert category_of(["male", "female"]) == "F/M"
    assert category_of(["female", "female"]) == "F/F"
    assert category_of(["male", "male"]) == "M/M"
    assert category_of(["male", "nonbinary"]) == "Other"
    assert category_of(["male", "unknown"]) is None


def _profile(genders: dict[str, str], pairs: list[tuple[str, str]], words: int = 3000) -> Profile:
    profile = Profile(work=Work(id="w", text=""), stats=Stats(words=words))
    profile.characters = [Character(id=i, name=i, gender=g, gender_confidence=0.9) for i, g in genders.items()]
    profile.relationships = [
        Relationship(
            characters=list(p), type="romantic", tag="/".join(p), confidence=0.8, evidence=[Evidence(0, 4, "kiss")]
        )
        for p in pairs
    ]
    return profile


def _run(profile: Profile) -> list[str]:
    suggest_categories(SimpleNamespace(profile=profile))
    return [t.tag for t in profile.tags.categories]


def test_each_romance_votes_for_its_category():
    profile = _profile({"a": "male", "b": "female", "c": "male", "d": "male"}, [("a", "b"), ("c", "d")])
    assert set(_run(profile)) == {"F/M", "M/M"}
    assert all(t.evidence for t in profile.tags.categories)


def test_one_character_with_two_partners_is_multi():
    profile = _profile({"a": "male", "b": "female", "c": "female"}, [("a", "b"), ("a", "c")])
    assert set(_run(profile)) == {"F/M", "Multi"}


def test_no_romance_is_gen_and_unknown_gender_claims_nothing():
    assert _run(_profile({"a": "male", "b": "female"}, [])) == ["Gen"]
    assert _run(_profile({"a": "male", "b": "unknown"}, [("a", "b")])) == []
