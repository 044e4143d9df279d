"""Quotation detection (styles, broken marks) and speaker attribution."""

from __future__ import annotations


from ficlens.quotes.detect import detect_quotes_in


def _texts(text):
    return [text[q.start : q.end] for q in detect_quotes_in(text)]


def test_curly_and_straight_double_quotes():
    assert _texts("\u201cHi,\u201d she said. \u201cBye.\u201d") == ["\u201cHi,\u201d", "\u201cBye.\u201d"]
    assert _texts('"Hi," she said. "Bye."') == ['"Hi,"', '"Bye."']


def test_tokenised_straight_quotes_toggle():
    assert _texts('" Good night , " said the man .\n" I did , " said he .') == ['" Good night , "', '" I did , "']


def test_british_single_quotes_with_apostrophes():
    text = "\u2018I don\u2019t know,\u2019 she said. \u2018It\u2019s the girls\u2019 turn.\u2019"
    assert _texts(text) == ["\u2018I don\u2019t know,\u2019", "\u2018It\u2019s the girls\u2019 turn.\u2019"]


def test_nested_quote_stays_inside():
    text = "\u201cHe said \u2018go\u2019 and left,\u201d Mara said."
    assert _texts(text) == ["\u201cHe said \u2018go\u2019 and left,\u201d"]


def test_multi_paragraph_quotation_is_one():
    text = "\u201cFirst part of the speech.\n\n\u201cSecond part,\u201d he said.\n\nThen silence."
    assert _texts(text) == ["\u201cFirst part of the speech.\n\n\u201cSecond part,\u201d"]


def test_unclosed_quote_does_not_swallow_the_chapter():
    text = "\u201cWait for me, she called.\n\n" + "The road went on and on. " * 80 + "\n\n\u201cHere,\u201d he said."
    spans = detect_quotes_in(text)
    assert len(spans) == 2
    assert spans[0].end < text.index("The road")
    assert not spans[0].closed


def test_unclosed_quote_in_flattened_text_is_cut():
    text = '"Run now, she said. ' + "They ran through the forest for hours and hours. " * 40
    spans = detect_quotes_in(text)
    assert len(spans) == 1 and spans[0].end - spans[0].start <= 600


def _speakers(profile):
    names = {c.id: c.name for c in profile.characters}
    text = profile.work.text
    return [(text[q.start : q.end], names.get(q.speaker)) for q in profile.quotes]


def test_explicit_anaphoric_and_continuation(analyse):
    profile = analyse(
        "Mara Quill stood at the window. Tobias Wren sat by the fire.\n\n"
        "\u201cIt will rain,\u201d Mara said. \u201cIt always rains here.\u201d\n\n"
        "\u201cThen we stay,\u201d he answered.\n\n"
        "Tobias asked, \u201cWill you stay too?\u201d\n\n"
        "\u201cOkay, Tobias. I\u2019ll stay.\u201d"
    )
    got = _speakers(profile)
    assert [s for _, s in got] == ["Mara Quill", "Mara Quill", "Tobias Wren", "Tobias Wren", "Mara Quill"]
    last = profile.quotes[-1]
    tobias = next(c.id for c in profile.characters if c.name == "Tobias Wren")
    assert tobias in last.addressees  # a vocative names the addressee, never the speaker


def test_quote_pronouns_go_to_the_speaker(analyse):
    profile = analyse("\u201cI am tired,\u201d Mara Quill said to Tobias Wren.")
    mara = next(c.id for c in profile.characters if c.name == "Mara Quill")
    i_mention = [m for m in profile.mentions if profile.work.text[m.start : m.end] == "I"]
    assert i_mention and i_mention[0].character == mara


def test_seed_quotes_all_detected_and_004_turn_by_turn(seeds_dir, pipeline):
    import ficlens

    seed = pipeline(ficlens.read(next(seeds_dir.glob("004_*.txt"))))
    text = seed.work.text
    assert len(seed.quotes) == text.count("\u201c") == 13
    names = {c.id: c.name for c in seed.characters}
    speakers = [names.get(q.speaker) for q in seed.quotes]
    # Rey and Kylo trade lines; the exchange from "And how does that make me…" on is turn by turn.
    assert speakers[8:12] == ["Rey", "Rey", "Kylo Ren", "Kylo Ren"]
    assert speakers[2] == "Rey" and speakers[10] == "Kylo Ren"
    # An action beat of Rey's precedes "Don't you understand, scavenger?": the vocative calls
    # her (a KB weak alias), so she is its addressee and Kylo, who answers her, the speaker.
    rey = next(c.id for c in seed.characters if c.name == "Rey")
    assert speakers[6] == "Kylo Ren" and rey in seed.quotes[6].addressees
    first = pipeline(ficlens.read(next(seeds_dir.glob("000_*.txt"))))
    assert len(first.quotes) == first.work.text[: first.work.parts[0].end].count('"') // 2


def test_role_speaker_becomes_a_character(analyse):
    profile = analyse(
        "Mara Quill sat by the window of the inn.\n\n\u201cTea, madam?\u201d said the waiter.\n\n"
        "\u201cPlease,\u201d Mara said.\n\n\u201cMilk?\u201d the waiter asked."
    )
    got = _speakers(profile)
    assert [s for _, s in got] == ["the waiter", "Mara Quill", "the waiter"]
    waiter = next(c for c in profile.characters if c.name == "the waiter")
    assert all(m.kind == "nominal" for m in profile.mentions if m.character == waiter.id)
    assert profile.mentions == sorted(profile.mentions, key=lambda m: m.start)


def test_a_generic_noun_set_apart_by_a_phrase_is_one_speaker(analyse):
    profile = analyse(
        "Oliver stood before the board.\n\n"
        "\u201cWhat is your name, boy?\u201d said the gentleman in the white waistcoat.\n\n"
        "\u201cYes, sir,\u201d said Oliver.\n\n"
        "\u201cSpeak up,\u201d said the man with a scowl.\n\n"
        "\u201cHe is a fool,\u201d said the gentleman in the white waistcoat."
    )
    got = [s for _, s in _speakers(profile)]
    assert got[0] == got[3] == "the gentleman in the white waistcoat"
    assert got[1] == "Oliver"
    assert got[2] != "the man with a scowl"  # "with a scowl" is how he speaks, not who he is


def test_an_inverted_role_subject_parsed_as_an_object_still_speaks(analyse):
    profile = analyse(
        "Mara Quill stood before the magistrate.\n\n\u201cWhere does he live?\u201d asked Mara.\n\n"
        "\u201cWhere he can, your worship,\u201d replied the officer; again pretending to hear.\n\n"
        "\u201cHas he any parents?\u201d inquired Mara."
    )
    assert [s for _, s in _speakers(profile)] == ["Mara Quill", "the officer", "Mara Quill"]


def test_tokenised_clitics_are_not_single_quote_dialogue():
    from ficlens.quotes.detect import detect_quotes_in

    text = (
        "Sir Walter 's hands were white , and Elizabeth 's pride was great . They do n't know what we 'll do .\n"
        "Anne 's sister said nothing ; Lady Russell 's carriage came at noon , and Mary 's children ran out .\n"
    )
    assert detect_quotes_in(text) == []
    british = "'I shall go,' said Anne. 'It 's late,' said Mary, 'and you 're tired.'"
    assert len(detect_quotes_in(british)) == 3
