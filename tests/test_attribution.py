"""Speaker attribution sieves on small constructed texts (see docs/quotes.md)."""

from __future__ import annotations


def _speakers(profile):
    names = {c.id: c.name for c in profile.characters}
    return [names.get(q.speaker) for q in profile.quotes]


def _edit_mentions(monkeypatch, edit):
    """Let attribution see the mentions as `edit` changes them: stands in for what character
    finding or coreference got wrong, so that attribution's own checks can be tested."""
    from ficlens.quotes.sieves import context

    original = context.mention_index
    monkeypatch.setattr(context, "mention_index", lambda mentions: original(edit(mentions)))


def test_a_vocative_inside_the_quote_is_not_the_tag_subject(analyse):
    # spaCy often parses the name inside the quote as the subject of "cried".
    profile = analyse(
        "Mara Quill and Tobias Wren stood in the hall.\n\n"
        "\u201cReally, Tobias Wren,\u201d cried Mara with some warmth, \u201cyou puzzle me.\u201d\n\n"
        "\u201cReally, Mara,\u201d said Tobias, \u201cI do not.\u201d"
    )
    assert _speakers(profile) == ["Mara Quill", "Mara Quill", "Tobias Wren", "Tobias Wren"]


def test_phrasal_and_possessive_tags(analyse):
    profile = analyse(
        "Mara Quill and Tobias Wren sat at the table.\n\n"
        "\u201cMore tea?\u201d put in Mara.\n\n"
        "\u201cNo, thank you,\u201d was Tobias\u2019s reply.\n\n"
        "\u201cThen I shall drink it,\u201d broke in Mara."
    )
    assert _speakers(profile) == ["Mara Quill", "Tobias Wren", "Mara Quill"]


def test_an_introducing_tag_beats_a_later_clause(analyse):
    profile = analyse(
        "Mara Quill, Tobias Wren and Lena Fisk listened.\n\n"
        "Mara said to Tobias: \u201cNow comes the loud part\u201d; and Lena implored everyone to be quiet."
    )
    mara, tobias = (next(c.id for c in profile.characters if c.name == n) for n in ("Mara Quill", "Tobias Wren"))
    assert profile.quotes[0].speaker == mara
    assert tobias in profile.quotes[0].addressees  # "said to Tobias"


def test_his_companion_is_not_he(analyse):
    profile = analyse(
        "Tobias Wren walked with Harry Vane through the park.\n\n"
        "\u201cI must plant poppies,\u201d sighed Tobias.\n\n"
        "\u201cThere is no need,\u201d rejoined his companion."
    )
    assert _speakers(profile) == ["Tobias Wren", "Harry Vane"]


def test_a_vocative_epithet_makes_the_beat_subject_the_addressee(analyse):
    # "scavenger" is a weak alias of Rey in the bundled Star Wars knowledge base: set off as a
    # vocative it addresses her, so her action beat before the quote does not make her its speaker.
    profile = analyse(
        "Rey glared at Kylo Ren across the fire.\n\n"
        "\u201cLeave,\u201d Rey said.\n\n"
        "She sat back down slowly and folded her arms. "
        "\u201cCan\u2019t you see it, scavenger? I came for you.\u201d"
    )
    rey = next(c.id for c in profile.characters if c.name == "Rey")
    assert rey in profile.quotes[-1].addressees
    assert _speakers(profile)[-1] == "Kylo Ren"


def test_a_paragraph_is_one_turn(analyse):
    profile = analyse(
        "Mara Quill and Tobias Wren stood by the door.\n\n"
        "\u201cYou forget me,\u201d said Mara. Her movement seemed to testify to her resolve against Tobias. "
        "\u201cI think it is right.\u201d\n\n"
        "\u201cVery well,\u201d said Tobias."
    )
    assert _speakers(profile) == ["Mara Quill", "Mara Quill", "Tobias Wren"]


def test_a_cast_description_names_the_speaker(tmp_path):
    from ficlens.pipeline import AnalysisConfig, Pipeline
    from ficlens.read import read_text

    cast = tmp_path / "cast.yaml"
    cast.write_text(
        "characters:\n"
        "  - {name: Mara Quill, aliases: [Mara], gender: female}\n"
        "  - {name: The Cook, aliases: [The Cook], gender: female}\n"
        "  - {name: The Tall Man, aliases: [The Man], gender: male}\n",
        encoding="utf-8",
    )
    text = (
        "Mara Quill came into the kitchen.\n\n"
        "\u201cWas he frightened?\u201d asked the cook.\n\n"
        "\u201cNot a bit,\u201d said Mara.\n\n"
        "\u201cGood,\u201d said the man."
    )
    profile = Pipeline(config=AnalysisConfig(characters_file=cast))(read_text(text))
    speakers = _speakers(profile)
    assert speakers[:2] == ["The Cook", "Mara Quill"]
    assert speakers[2] != "The Tall Man"  # "the man" describes anyone


def test_a_named_character_keeps_the_descriptions_of_its_cast_entry(tmp_path):
    # Tobias is named in the text, so character finding builds him from his name; "the
    # beadle" comes only from his cast entry and must still name him in a tag.
    from ficlens.pipeline import AnalysisConfig, Pipeline
    from ficlens.read import read_text

    cast = tmp_path / "cast.yaml"
    cast.write_text(
        "characters:\n"
        "  - {name: Mara Quill, aliases: [Mara], gender: female}\n"
        "  - {name: Tobias Wren, aliases: [Tobias, The Beadle], gender: male}\n",
        encoding="utf-8",
    )
    text = (
        "Mara Quill and Tobias Wren sat in the parlour. Tobias Wren poured the tea.\n\n"
        "\u201cWell, well,\u201d said the beadle.\n\n"
        "\u201cYou are late,\u201d said Mara."
    )
    profile = Pipeline(config=AnalysisConfig(characters_file=cast))(read_text(text))
    assert _speakers(profile) == ["Tobias Wren", "Mara Quill"]
    assert _speakers(Pipeline()(read_text(text)))[0] != "Tobias Wren"  # without the cast, nothing says so


def test_one_sentence_a_line_text_keeps_tags_after_a_newline(analyse):
    # Tokenised corpora put each sentence on its own line: "he asked ." still tags the quote.
    profile = analyse(
        "Mara Quill looked at Tobias Wren .\n"
        '" Am I to come home ? "\n'
        "he asked .\n"
        '" Yes , I have come to fetch you . "\n'
        "Mara smiled .\n"
        '" You have a new dress on . "\n'
        "said Tobias .\n"
    )
    assert _speakers(profile)[0] == "Tobias Wren" and _speakers(profile)[2] == "Tobias Wren"


def test_a_name_character_finding_missed_still_names_the_tag_subject(analyse, monkeypatch):
    # Character finding sometimes leaves a tag's subject without a mention ("Lena⏎Fisk" wrapped
    # across a line, a name parsed as a common noun): its words, read as one line, still name her.
    text = (
        "Lena Fisk, Tobias Wren and Mara Quill sat in the garden.\n\n"
        "\u201cMore tea?\u201d asked Tobias.\n\n"
        "\u201cNo, thank you,\u201d said\nLena\nFisk, and rose.\n\n"
        "\u201cThen I shall drink it,\u201d said Tobias."
    )
    tag = text.index("Lena\nFisk")
    _edit_mentions(monkeypatch, lambda mentions: [m for m in mentions if not tag <= m.start < tag + len("Lena\nFisk")])
    assert _speakers(analyse(text)) == ["Tobias Wren", "Lena Fisk", "Tobias Wren"]


def test_the_next_turns_vocative_names_who_spoke(analyse):
    profile = analyse(
        "Mara Quill, Tobias Wren and Lena Fisk sat by the fire.\n\n"
        "\u201cWho will fetch the wood?\u201d said Mara.\n\n"
        "\u201cNot I. My hands are cold.\u201d\n\n"
        "\u201cThen warm them, Lena,\u201d said Tobias."
    )
    assert _speakers(profile) == ["Mara Quill", "Lena Fisk", "Tobias Wren"]


def test_a_subjectless_speech_verb_shares_the_subject_of_its_clause(analyse):
    profile = analyse(
        "Mara Quill, Lena Fisk and Tobias Wren sat by the fire.\n\n"
        "\u201cIt is late,\u201d said Mara.\n\n"
        "\u201cNot so very late,\u201d said Lena.\n\n"
        "Tobias, who had been asleep on the sofa, opened his eyes and said slowly:\n\n"
        "\u201cThen we ought to go to bed.\u201d"
    )
    assert _speakers(profile) == ["Mara Quill", "Lena Fisk", "Tobias Wren"]


def test_a_name_after_said_to_is_the_addressee_not_the_speaker(analyse):
    profile = analyse(
        "Mara Quill, Lena Fisk and Tobias Wren sat by the fire.\n\n"
        "\u201cIt is late,\u201d said Mara.\n\n"
        "\u201cNot so very late,\u201d said Lena.\n\n"
        "The next morning Tobias paused on his way out to the barn to say to Mara again:\n\n"
        "\u201cWe ought to go to bed earlier.\u201d"
    )
    tobias, mara = (next(c.id for c in profile.characters if c.name == n) for n in ("Tobias Wren", "Mara Quill"))
    assert profile.quotes[2].speaker == tobias
    assert mara in profile.quotes[2].addressees


def test_a_tag_pronoun_resolved_outside_the_conversation_goes_to_its_participant(analyse, monkeypatch):
    # When coreference gives "he" to a man who takes no part in the conversation (Harry left
    # long before it began), the one man in it is meant.
    from ficlens.model import Mention

    text = (
        "Harry Vane left the house early that morning. The rain kept on all day and the roads were "
        "bad; nobody came and nobody went, and the clocks in the empty rooms ticked the hours away "
        "one after another until the lamps were lit and supper was laid.\n\n"
        "Mara Quill and Tobias Wren sat by the fire.\n\n"
        "\u201cIt is late,\u201d said Mara.\n\n"
        "\u201cNot so very late,\u201d he said."
    )
    he = text.rindex("he said")

    def he_is_harry(mentions):
        harry = next(m.character for m in mentions if m.start == 0)
        return [Mention(m.start, m.end, harry, m.kind) if m.start == he else m for m in mentions]

    _edit_mentions(monkeypatch, he_is_harry)
    assert _speakers(analyse(text)) == ["Mara Quill", "Tobias Wren"]


def test_a_tag_pronoun_coreference_left_unresolved_goes_to_its_participant(analyse, monkeypatch):
    text = (
        "Mara Quill, Lena Fisk and Tobias Wren sat by the fire.\n\n"
        "\u201cIt is late,\u201d said Mara.\n\n"
        "\u201cNot so very late,\u201d said Lena.\n\n"
        "\u201cLate enough for me,\u201d he said."
    )
    he = text.rindex("he said")
    _edit_mentions(monkeypatch, lambda mentions: [m for m in mentions if m.start != he])
    assert _speakers(analyse(text)) == ["Mara Quill", "Lena Fisk", "Tobias Wren"]


def test_with_several_voices_an_untagged_turn_answers_the_last_other_voice(analyse):
    profile = analyse(
        "Mara Quill, Lena Fisk and Tobias Wren sat by the fire.\n\n"
        "\u201cShall we play cards?\u201d said Tobias.\n\n"
        "\u201cIt is late,\u201d said Mara.\n\n"
        "\u201cNot so very late,\u201d said Lena.\n\n"
        "\u201cAnd I am not tired at all,\u201d said Lena.\n\n"
        "\u201cThen stay up by yourself.\u201d"
    )
    assert _speakers(profile)[-1] == "Mara Quill"


def test_who_said_names_the_noun_the_relative_clause_follows(analyse):
    profile = analyse(
        "Mara Quill and Tobias Wren walked to the gate.\n\n"
        "Tobias looked guiltily at Mara Quill, who said, \u201cWhat did you suppose the gate was for?\u201d"
    )
    assert _speakers(profile) == ["Mara Quill"]


def test_her_mother_in_a_tag_is_the_mother_of_the_girl_spoken_to(analyse, monkeypatch):
    # Coreference gives "her" to Charlotte, the last woman named; the vocative says the quote
    # is spoken to Lizzy, so "her mother" is Lizzy's.
    from ficlens.model import Mention

    text = (
        "Mrs. Bennet, Mr. Bennet, Elizabeth Bennet, Charlotte Lucas and Lady Lucas sat at "
        "supper, and Charlotte talked of the ball.\n\n"
        "\u201cAnother time, Lizzy,\u201d said her mother, \u201cI would not dance with him.\u201d"
    )
    her = text.rindex("her mother")

    def her_is_charlotte(mentions):
        charlotte = next(m.character for m in mentions if text[m.start : m.end] == "Charlotte Lucas")
        kept = [m for m in mentions if m.start != her]
        return sorted(kept + [Mention(her, her + 3, charlotte, "pronoun")], key=lambda m: m.start)

    _edit_mentions(monkeypatch, her_is_charlotte)
    assert _speakers(analyse(text)) == ["Mrs. Bennet", "Mrs. Bennet"]


def test_the_doctor_of_a_scene_is_the_doctor_last_named_in_it(analyse):
    filler = "The rain kept on all day and the roads were bad; nobody came and nobody went. " * 30
    pause = "The clock ticked on the wall and the fire burned low in the grate all evening. " * 20
    text = (
        "\u201cHe is very ill,\u201d said the doctor, and went away.\n\n" + filler + "\n\n"
        "Doctor Losberne came up the stairs with Rose Maylie behind him.\n\n"
        "\u201cHe will live,\u201d said the doctor.\n\n"
        "\u201cThank God,\u201d said Rose.\n\n" + pause + "\n\n"
        "\u201cHe must sleep now,\u201d said the doctor.\n\n" + pause + "\n\n"
        "\u201cLet him be,\u201d said the doctor."
    )
    # The last tag is over 2,000 characters from his name: the scene's doctor is still he.
    assert _speakers(analyse(text)) == [
        "the doctor",
        "Doctor Losberne",
        "Rose Maylie",
        "Doctor Losberne",
        "Doctor Losberne",
    ]


def test_a_name_the_parser_reads_as_a_modal_still_names_the_speaker(analyse):
    text = (
        "May Welland and Mara Quill stood on the terrace with Tobias Wren.\n\n"
        "\u201cIt is late,\u201d said May.\n\n"
        "\u201cThen we must go,\u201d said Tobias.\n\n"
        "\u201cYes, I know,\u201d May said, looking up at him."
    )
    # The parser reads this "May" as a modal; "him" after the verb is not its subject.
    assert _speakers(analyse(text)) == ["May Welland", "Tobias Wren", "May Welland"]
