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


def test_an_object_pronoun_is_not_the_subject_of_its_coordinated_verb(analyse):
    profile = analyse("Dean Holloway waited. Peter Reyes came to the door. Dean Holloway pulled him in and kissed him.")
    assert _owner(profile, "him", 0) == profile.character("peter-reyes").id
    assert _owner(profile, "him", 1) == profile.character("peter-reyes").id


def test_an_object_of_a_preposition_is_not_its_verbs_subject(analyse):
    profile = analyse("Tobias Wren smiled. Marcus Hale said nothing. Tobias Wren looked at him for a long time.")
    assert _owner(profile, "him") == profile.character("marcus-hale").id


def test_a_tag_pronoun_in_a_new_paragraph_answers_the_previous_speaker(analyse):
    # Alternation: the previous turn was Tobias's, and he addressed Marcus by name.
    profile = analyse(
        "Tobias Wren smiled at the sea. Marcus Hale said nothing.\n\n"
        '"Are you coming tonight, Marcus?" Tobias Wren asked.\n\n'
        '"Only if the boat is ready," he said.\n'
    )
    assert _owner(profile, "he") == profile.character("marcus-hale").id


def test_the_you_of_a_letter_is_the_person_it_is_written_to(analyse):
    profile = analyse(
        "Dear Judy:\n\n"
        "Your letter came this morning, and I read it twice. I miss you terribly. "
        "Gordon Hallock called yesterday and asked about you.\n"
    )
    text = profile.work.text
    yous = [m for m in profile.mentions if m.kind == "pronoun" and text[m.start : m.end].lower() in ("you", "your")]
    assert yous and all(m.character == profile.character("judy").id for m in yous)


def test_a_pronoun_in_dialogue_prefers_whom_the_dialogue_named(analyse):
    profile = analyse('Mara Quist poured the tea. "I saw Edith Crane at the market. She looked tired," said Lena Holt.')
    assert _owner(profile, "She") == profile.character("edith-crane").id


def test_the_you_of_a_letter_headed_in_capitals_is_its_addressee(analyse):
    profile = analyse(
        "LETTER II\nMR. VILLARS TO LADY HOWARD\nBerry Hill, Dorsetshire.\n\n"
        "Your Ladyship did but too well foresee the answer. I thank you for it, Lady Howard.\n"
    )
    text = profile.work.text
    yous = [m for m in profile.mentions if m.kind == "pronoun" and text[m.start : m.end].lower() in ("you", "your")]
    assert yous and all(m.character == profile.character("lady-howard").id for m in yous)
