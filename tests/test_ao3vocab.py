"""AO3's vocabulary: the spellings and orders the tags, audit, renderers and evaluation share."""

from ficlens import ao3vocab
from ficlens.ao3vocab import (
    CATEGORIES,
    EXPLICIT,
    GENERAL,
    NO_WARNINGS,
    RATINGS,
    READER_PLACEHOLDER,
    WARNINGS,
)
from ficlens.tagspell import canonical_warning, parse_relationship_tag, rating_level


def test_ratings_are_in_increasing_order_and_readable_in_any_usual_spelling():
    assert RATINGS[GENERAL] == "General Audiences" and RATINGS[EXPLICIT] == "Explicit"
    assert [rating_level(r) for r in RATINGS] == [0, 1, 2, 3]
    assert rating_level("teen and up audiences") == ao3vocab.TEEN
    assert rating_level(ao3vocab.NOT_RATED) is None
    assert len(ao3vocab.RATING_LETTERS) == len(RATINGS)


def test_warnings_and_the_claims_that_are_not_warnings():
    assert len(WARNINGS) == 4 and len(set(WARNINGS)) == 4
    assert NO_WARNINGS not in WARNINGS and ao3vocab.CHOSE_NOT_TO_WARN not in WARNINGS
    assert [canonical_warning(w) for w in WARNINGS] == list(WARNINGS)
    assert canonical_warning(ao3vocab.UNDERAGE_BEFORE_2024) == ao3vocab.UNDERAGE
    assert canonical_warning(NO_WARNINGS) is None


def test_categories_in_ao3_order():
    assert CATEGORIES == ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")
    assert ao3vocab.GEN in CATEGORIES


def test_reader_placeholder_finds_name_placeholders_with_their_brackets():
    text = "(Y/N) smiled. y/n L/N waved; [l/n] and Y/n too. E/N eyes, y/N, XY/NZ."
    found = [m.group() for m in READER_PLACEHOLDER.finditer(text)]
    assert found == ["(Y/N)", "y/n", "L/N", "[l/n]", "Y/n"]


def test_placeholders_are_names_not_separators_in_a_relationship_tag():
    assert parse_relationship_tag("Kylo Ren/Y/N") == (True, ["Kylo Ren", "Y/N"])
    assert parse_relationship_tag("Levi/E/N Reader")[1] == ["Levi", "E/N Reader"]
    assert parse_relationship_tag("Rey/Ben Solo")[1] == ["Rey", "Ben Solo"]
