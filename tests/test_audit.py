"""The audit of author tags against what the text shows."""

from __future__ import annotations

from ficlens.audit import CharacterMatcher, audit_narration, audit_rating, audit_relationships, audit_warnings
from ficlens.model import AuthorTags, Character, Evidence, Profile, Relationship, TagSuggestion, Work

EXPLICIT = TagSuggestion("Explicit", 0.8, [Evidence(10, 20, "an excerpt")])


def test_rating_below_the_text_is_missing_with_evidence():
    findings = audit_rating(AuthorTags(rating="Teen And Up Audiences"), EXPLICIT)
    assert [(f.field, f.kind, f.tag) for f in findings] == [("rating", "missing", "Explicit")]
    assert findings[0].evidence and findings[0].evidence[0].start == 10


def test_rating_one_step_up_is_fine_two_steps_is_unsupported():
    general = TagSuggestion("General Audiences", 0.8, [])
    assert audit_rating(AuthorTags(rating="Teen And Up Audiences"), general) == []
    assert [f.kind for f in audit_rating(AuthorTags(rating="Mature"), general)] == ["unsupported"]
    assert audit_rating(AuthorTags(rating="Not Rated"), EXPLICIT) == []
    low = TagSuggestion("Explicit", 0.35, [])
    assert audit_rating(AuthorTags(rating="Teen And Up Audiences"), low) == []


def test_warnings_missing_unsupported_and_chose_not_to_warn():
    death = TagSuggestion("Major Character Death", 0.7, [Evidence(1, 5, "died")])
    none = AuthorTags(warnings=["No Archive Warnings Apply"])
    assert [(f.kind, f.tag) for f in audit_warnings(none, [death])] == [("missing", "Major Character Death")]
    chose = AuthorTags(warnings=["Creator Chose Not To Use Archive Warnings"])
    assert audit_warnings(chose, [death]) == []
    violence = AuthorTags(warnings=["Graphic Depictions Of Violence"])
    kinds = {(f.kind, f.tag) for f in audit_warnings(violence, [death])}
    assert kinds == {("missing", "Major Character Death"), ("unsupported", "Graphic Depictions Of Violence")}


def _profile() -> Profile:
    profile = Profile(work=Work(id="w", text=""))
    profile.characters = [
        Character("mr-darcy", "Mr. Darcy", ["Mr. Darcy", "Darcy"], "male", 0.9),
        Character("elizabeth", "Elizabeth Bennet", ["Elizabeth Bennet", "Elizabeth", "Lizzy"], "female", 0.9),
        Character("mr-bennet", "Mr. Bennet", ["Mr. Bennet"], "male", 0.9),
        Character("mrs-bennet", "Mrs. Bennet", ["Mrs. Bennet"], "female", 0.9),
        Character("jane", "Jane", ["Jane"], "female", 0.8),
        Character("reader", "Reader", [], is_reader=True),
    ]
    return profile


def test_matcher_reads_full_name_tags_against_story_forms():
    matcher = CharacterMatcher(_profile(), {})
    assert matcher.match("Fitzwilliam Darcy") == "mr-darcy"
    assert matcher.match("Elizabeth Bennet") == "elizabeth"
    assert matcher.match("Jane Bennet") == "jane"  # the given name beats three Bennets
    assert matcher.match("Reader") == "reader"
    assert matcher.match("Charlotte Lucas") is None


def test_relationship_tags_checked_both_ways():
    profile = _profile()
    profile.relationships = [
        Relationship(
            ["elizabeth", "mr-darcy"],
            "romantic",
            "Elizabeth Bennet/Mr. Darcy",
            confidence=0.9,
            evidence=[Evidence(3, 9, "kissed")],
        )
    ]
    profile.tags.relationships = [TagSuggestion("Elizabeth Bennet/Mr. Darcy", 0.9, profile.relationships[0].evidence)]
    matcher = CharacterMatcher(profile, {})
    contacts = {("elizabeth", "mr-darcy"): object()}
    author = AuthorTags(
        relationships=["Elizabeth Bennet/Fitzwilliam Darcy", "Jane Bennet/Charles Bingley", "Jane Bennet & Mrs. Bennet"]
    )
    findings = {(f.kind, f.tag) for f in audit_relationships(author, profile, matcher, contacts)}
    assert findings == {("unsupported", "Jane Bennet/Charles Bingley"), ("unsupported", "Jane Bennet & Mrs. Bennet")}
    author = AuthorTags(relationships=["Jane Bennet/Charles Bingley"])
    findings = {(f.kind, f.tag) for f in audit_relationships(author, profile, matcher, contacts)}
    assert ("missing", "Elizabeth Bennet/Mr. Darcy") in findings


def test_narration_tag_against_narration():
    profile = _profile()
    profile.characters = [c for c in profile.characters if not c.is_reader]
    profile.narration.pov = "third"
    findings = audit_narration(AuthorTags(additional=["Second Person", "Fluff"]), profile)
    assert [(f.kind, f.tag) for f in findings] == [("unsupported", "Second Person")]


def test_work_without_author_tags_gets_no_audit(analyse):
    assert analyse("Anna met Ben Cole at the station. Ben kissed Anna.").audit == []


def test_ao3_example_is_audited(pipeline):
    from conftest import EXAMPLES
    from ficlens import read

    profile = pipeline(read(EXAMPLES / "pride-and-prejudice-ch1-3.html"))
    assert profile.audit, "the example carries author tags, so it is audited"
    unsupported = {f.tag for f in profile.audit if f.kind == "unsupported" and f.field == "characters"}
    assert "Fitzwilliam Darcy" not in unsupported and "Elizabeth Bennet" not in unsupported


def test_reader_placeholders_are_not_split():
    profile = _profile()
    matcher = CharacterMatcher(profile, {})
    author = AuthorTags(relationships=["Mr. Darcy/Y/N"])
    contacts = {("mr-darcy", "reader"): object()}
    assert audit_relationships(author, profile, matcher, contacts) == []


def test_original_character_tags_are_not_audited_by_name():
    from ficlens.audit import audit_characters

    profile = _profile()
    author = AuthorTags(characters=["Original Female Character(s)", "Charlotte Lucas"])
    findings = audit_characters(author, profile, CharacterMatcher(profile, {}))
    assert [f.tag for f in findings] == ["Charlotte Lucas"]


def test_platonic_tag_does_not_cover_a_romance():
    profile = _profile()
    profile.relationships = [
        Relationship(["elizabeth", "mr-darcy"], "romantic", "Elizabeth Bennet/Mr. Darcy", confidence=0.9)
    ]
    profile.tags.relationships = [TagSuggestion("Elizabeth Bennet/Mr. Darcy", 0.9)]
    contacts = {("elizabeth", "mr-darcy"): object()}
    author = AuthorTags(relationships=["Elizabeth Bennet & Fitzwilliam Darcy"])
    findings = audit_relationships(author, profile, CharacterMatcher(profile, {}), contacts)
    assert [(f.kind, f.tag) for f in findings] == [("missing", "Elizabeth Bennet/Mr. Darcy")]


def test_categories_and_fandoms():
    from ficlens.audit import audit_categories, audit_fandoms
    from ficlens.kb import load_kb

    assert [f.tag for f in audit_categories(AuthorTags(categories=["Gen"]), [TagSuggestion("F/M", 0.7)])] == ["F/M"]
    assert audit_categories(AuthorTags(categories=["F/M"]), [TagSuggestion("F/M", 0.7)]) == []
    kb = load_kb(())
    star_wars = [TagSuggestion("Star Wars - All Media Types", 0.9, [Evidence(0, 4, "Kylo")])]
    assert audit_fandoms(AuthorTags(fandoms=["Star Wars Sequel Trilogy"]), star_wars, kb) == []  # a related tag
    findings = audit_fandoms(AuthorTags(fandoms=["Harry Potter - J. K. Rowling"]), star_wars, kb)
    assert {(f.kind, f.tag) for f in findings} == {
        ("missing", "Star Wars - All Media Types"),
        ("unsupported", "Harry Potter - J. K. Rowling"),
    }


def test_reader_insert_tag_without_a_reader():
    profile = _profile()
    profile.characters = [c for c in profile.characters if not c.is_reader]
    profile.narration.pov = "third"
    findings = audit_narration(AuthorTags(additional=["Reader-Insert"]), profile)
    assert [(f.kind, f.tag) for f in findings] == [("unsupported", "Reader-Insert")] and "reader" in findings[0].message


def test_old_underage_spelling_is_the_same_warning():
    underage = TagSuggestion("Underage Sex", 0.7, [Evidence(1, 5, "x")])
    assert audit_warnings(AuthorTags(warnings=["Underage"]), [underage]) == []


def test_an_author_fandom_tag_of_the_same_family_is_the_same_fandom():
    from ficlens.audit import audit_fandoms
    from ficlens.kb import load_kb

    kb = load_kb(())
    star_wars = [TagSuggestion("Star Wars - All Media Types", 0.9, [Evidence(0, 4, "Kylo")])]
    # not a tag the KB lists, but the Star Wars family only: neither missing nor unsupported
    assert audit_fandoms(AuthorTags(fandoms=["Star Wars (Movies)"]), star_wars, kb) == []


def test_the_old_opt_out_spelling_means_no_warning_is_missing():
    suggested = [TagSuggestion("Major Character Death", 0.9, [Evidence(0, 4, "died")])]
    assert audit_warnings(AuthorTags(warnings=["Choose Not To Use Archive Warnings"]), suggested) == []
