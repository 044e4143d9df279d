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


# --- naming a first-person narrator (characters/narrator.py) ----------------------------------


def _narrator_of(profile):
    """The character holding the narration's "I"."""
    text = profile.work.text
    owners = {m.character for m in profile.mentions if m.kind == "pronoun" and text[m.start : m.end] == "I"}
    assert len(owners) == 1, owners
    return profile.character(owners.pop())


def test_narrator_addressed_by_name_in_dialogue_is_that_character(analyse):
    profile = analyse(
        "I walked down to the forge after supper. I was tired and I said nothing at first.\n\n"
        "\u201cWell, Corwin, you look half asleep,\u201d said Joe Gargery.\n\n"
        "I shrugged and I sat by the fire. The smith put down his hammer.\n\n"
        "\u201cEat something, Corwin. You have walked all day,\u201d said Joe.\n\n"
        "I ate, and I listened to the rain on the roof until I fell asleep."
    )
    assert profile.narration.pov == "first"
    assert _narrator_of(profile).name == "Corwin"
    assert not any(c.id == "narrator" for c in profile.characters)


def test_narrator_who_names_themselves_takes_that_name(analyse):
    profile = analyse(
        "Call me Tobiah. Some years ago I went to sea, because I had little money and I was restless. "
        "I packed my bag and I walked to the harbour, and I signed on the first ship I found. "
        "I did not know then how far I would go."
    )
    assert _narrator_of(profile).name == "Tobiah"


def test_journal_owner_is_the_narrator(analyse):
    profile = analyse(
        "MARGARET ELLWOOD'S JOURNAL\n\n"
        "3 May. I left the city at dawn and I reached the pass by noon. I wrote to my brother from the inn. "
        "I am told the road ahead is worse, and I believe it. I slept badly and I dreamed of home."
    )
    assert _narrator_of(profile).name.lower() == "margaret ellwood"


def test_a_character_narrated_in_the_third_person_is_not_the_narrator(analyse):
    profile = analyse(
        "I met Corwin at the forge. Corwin smiled and Corwin put down his hammer.\n\n"
        "\u201cWell, Corwin, you look tired,\u201d I said.\n\n"
        "\u201cI am, Corwin is always tired,\u201d he said. I laughed and I went home."
    )
    assert profile.character("narrator") is not None
    assert profile.character("corwin").mention_count >= 4


def test_narrator_addressed_often_may_also_be_named_in_narration(analyse):
    profile = analyse(
        "My father gave me the old family name of Corwin, and I have kept it.\n\n"
        "\u201cWhen will you do anything, Corwin?\u201d said Joe.\n\n"
        "I laughed and I said nothing.\n\n"
        "\u201cCorwin, you are hopeless,\u201d said Joe.\n\n"
        "I shrugged. I went to the window and I watched the rain.\n\n"
        "\u201cGo to bed, Corwin,\u201d said Joe at last. I went."
    )
    assert profile.narration.pov == "first"
    assert _narrator_of(profile).name == "Corwin"


def test_narrator_is_named_even_when_turn_taking_hands_them_untagged_turns(analyse):
    # The untagged replies go, by turn-taking, to whoever was addressed: the narrator's own name.
    # Only tagged quotes count as that name speaking (and so as someone other than the narrator).
    profile = analyse(
        "I walked down to the forge after supper. I was tired and I said nothing at first.\n\n"
        "\u201cWell, Corwin, you look half asleep,\u201d said Joe Gargery.\n\n"
        "\u201cI am tired.\u201d\n\n"
        "\u201cEat something, Corwin,\u201d said Joe.\n\n"
        "\u201cI will.\u201d\n\n"
        "\u201cAnd then sleep.\u201d\n\n"
        "\u201cYes.\u201d\n\n"
        "I ate, and I listened to the rain on the roof until I fell asleep."
    )
    assert profile.narration.pov == "first"
    assert _narrator_of(profile).name == "Corwin"
