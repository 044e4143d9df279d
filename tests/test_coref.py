"""Pronoun coreference (coref.py): the rule sieve's choices on small stories."""

from __future__ import annotations


def _owner(profile, text_of_pronoun: str, occurrence: int = 0) -> str | None:
    """The character id of the n-th occurrence of a pronoun, or None when unresolved."""
    text = profile.work.text
    spans = [m for m in profile.mentions if m.kind == "pronoun" and text[m.start : m.end] == text_of_pronoun]
    return spans[occurrence].character if len(spans) > occurrence else None


def test_a_pronoun_after_a_long_gap_goes_to_the_last_character_of_its_gender(analyse):
    profile = analyse(
        "Lena Holt sold the farm in spring. Lena Holt moved to the coast. "
        "Years later Mara Quist bought the house by the harbour. Mara Quist painted it blue. "
        "Tobias Wren came every morning. Tobias Wren mended the roof. Tobias Wren fixed the pier. "
        "Tobias Wren carried the nets. Tobias Wren brought the fish. "
        "One evening she asked for the ledger."
    )
    assert _owner(profile, "she") == profile.character("mara-quist").id
