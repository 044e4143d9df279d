"""Point of view and tense are measured on narration, never inside quotations."""

from __future__ import annotations

from ficlens.narration import decide_pov, decide_tense


def test_decide_pov_rates():
    assert decide_pov(first=0, second=30, third=10, total=1000)[0] == "second"
    assert decide_pov(first=40, second=2, third=30, total=1000)[0] == "first"
    assert decide_pov(first=2, second=3, third=60, total=1000)[0] == "third"
    assert decide_pov(0, 0, 0, 0) == (None, 0.0)


def test_decide_tense():
    assert decide_tense(90, 10) == "past"
    assert decide_tense(5, 95) == "present"
    assert decide_tense(50, 50) == "mixed"
    assert decide_tense(0, 0) is None


def test_dialogue_does_not_make_a_first_person_story(analyse):
    profile = analyse(
        "\u201cI know. I told you I would come, and I am here,\u201d Mara said. Tobias nodded at her. "
        "\u201cI never doubted it. I waited all night for you,\u201d he said. They walked to the gate together."
    )
    assert profile.narration.pov == "third"
    assert profile.narration.tense == "past"


def test_first_person_present(analyse):
    profile = analyse(
        "I open the door and I see the sea. My sister waits on the steps. I sit beside her and I watch "
        "the boats. She says nothing. I wonder if she knows."
    )
    assert profile.narration.pov == "first"
    assert profile.narration.tense == "present"
