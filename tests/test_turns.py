"""The conversation decoder (quotes/turns.py) on hand-made exchanges."""

from ficlens.quotes.turns import TurnEvidence, decode_turns

GENDERS = {"mara": "female", "tobias": "male", "lena": "female"}


def test_untagged_turns_alternate_between_the_two_voices():
    turns = [TurnEvidence(known="mara"), TurnEvidence(known="tobias"), TurnEvidence(), TurnEvidence(), TurnEvidence()]
    assert decode_turns(turns, {"mara": 3.0, "tobias": 3.0}, GENDERS) == ["mara", "tobias", "mara", "tobias", "mara"]


def test_a_late_vocative_fixes_the_turns_before_it():
    # Nothing is tagged; the last turn calls Tobias, so Mara speaks it and he spoke the turn
    # before, and the alternation carries that back to the start.
    turns = [TurnEvidence(), TurnEvidence(), TurnEvidence(), TurnEvidence(addressed={"tobias"})]
    assert decode_turns(turns, {"mara": 3.0, "tobias": 3.0}, GENDERS) == ["tobias", "mara", "tobias", "mara"]


def test_a_pronoun_tag_allows_only_its_gender():
    turns = [TurnEvidence(known="mara"), TurnEvidence(gender="female"), TurnEvidence()]
    speakers = decode_turns(turns, {"mara": 3.0, "tobias": 3.0, "lena": 1.0}, GENDERS)
    assert speakers[1] == "lena"


def test_a_firm_tag_is_never_overruled_but_a_guess_may_be():
    firm = [TurnEvidence(known="mara"), TurnEvidence(known="mara"), TurnEvidence(known="tobias")]
    assert decode_turns(firm, {"mara": 1.0, "tobias": 1.0}, GENDERS) == ["mara", "mara", "tobias"]
    # A beat guessed Mara for the middle turn; nothing stands between the turns, and one person
    # hardly ever speaks two bare turns running, so the exchange overrules the guess.
    guessed = [TurnEvidence(known="mara"), TurnEvidence(known="mara", firm=False), TurnEvidence(known="mara")]
    assert decode_turns(guessed, {"mara": 1.0, "tobias": 1.0}, GENDERS)[1] == "tobias"


def test_narration_between_turns_lets_a_speaker_go_on():
    turns = [TurnEvidence(known="mara"), TurnEvidence(gap="narration", named={"tobias"})]
    assert decode_turns(turns, {"mara": 1.0, "tobias": 1.0}, GENDERS) == ["mara", "mara"]


def test_no_candidates_gives_no_speakers():
    assert decode_turns([TurnEvidence(), TurnEvidence()], {}, {}) == [None, None]


def test_contradictory_tags_restart_the_reading():
    turns = [TurnEvidence(known="mara"), TurnEvidence(), TurnEvidence(known="lena"), TurnEvidence()]
    speakers = decode_turns(turns, {"mara": 1.0, "tobias": 1.0, "lena": 1.0}, GENDERS)
    assert speakers[0] == "mara" and speakers[2] == "lena" and None not in speakers


def test_a_sir_in_the_next_turn_makes_this_speaker_a_man():
    turns = [TurnEvidence(known="lena"), TurnEvidence(), TurnEvidence(addressed_gender="male")]
    speakers = decode_turns(turns, {"lena": 2.0, "mara": 2.0, "tobias": 2.0}, GENDERS)
    assert speakers[1] == "tobias"


def test_the_subject_of_the_narration_before_a_turn_leans_towards_speaking_it():
    turns = [TurnEvidence(), TurnEvidence(gap="narration", narrated="tobias")]
    assert decode_turns(turns, {"mara": 1.0, "tobias": 1.0}, GENDERS)[1] == "tobias"
