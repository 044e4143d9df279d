"""Discourse primitives (src/ficlens/discourse/): paragraphs, speech tags, vocatives, and the
components that make them, each run alone on a hand-built `Analysis`."""

from __future__ import annotations

import pytest

from ficlens.analysis import Analysis
from ficlens.discourse.paragraphs import (
    Paragraphs,
    count_paragraphs,
    find_paragraphs,
    paragraph_breaks,
    quote_paragraph_ends,
)
from ficlens.discourse.speech_tags import find_speech_tags, is_speech_verb
from ficlens.discourse.vocatives import address_gender, vocative_mentions
from ficlens.model import Character, Mention, Quote
from ficlens.quotes.detect import find_quotes
from ficlens.read import read_text

# --- paragraphs ------------------------------------------------------------------------------


def test_blank_lines_are_paragraph_breaks_and_wrapped_lines_are_not():
    text = "One line\nwrapped here.\n\nTwo.\n \nThree."
    assert paragraph_breaks(text) == [text.index("\n\n"), text.index("\n \n")]


def test_without_blank_lines_each_line_is_a_paragraph():
    text = "Mara stood up.\nTobias sat down.\nThe fire burned.\nRain fell."
    assert paragraph_breaks(text) == [i for i, ch in enumerate(text) if ch == "\n"]


def test_one_sentence_a_line_text_has_no_paragraph_breaks():
    # Tokenised corpora put a sentence on each line; lines then start in lower case.
    text = "\u201c Go ! \u201d\nhe said .\n\u201c No . \u201d\nshe answered .\nThey left ."
    assert paragraph_breaks(text) == []
    # … unless that share of lower-case line starts is allowed.
    assert paragraph_breaks(text, lowercase_line_share=0.6) == [i for i, ch in enumerate(text) if ch == "\n"]


def test_paragraphs_layer_answers_between_and_within():
    paragraphs = Paragraphs([10, 30])
    assert paragraphs.between(5, 11) and not paragraphs.between(11, 30) and paragraphs.between(30, 31)
    assert paragraphs.within(0, 31) == [10, 30] and paragraphs.within(11, 30) == []
    assert paragraphs and not Paragraphs([])


def test_quote_detection_also_ends_a_paragraph_before_a_line_opening_a_quote():
    text = "He waited.\n\u201cCome in,\u201d she said.\nAnd he did."
    assert quote_paragraph_ends(text) == [text.index("\n\u201c"), len(text)]
    assert paragraph_breaks(text) == []  # two newlines only: too few to read lines as paragraphs


def test_statistics_count_blocks_between_whitespace_only_lines():
    assert count_paragraphs("One.\n\u00a0\nTwo.\n\n\n\nThree.\n\n") == 3
    assert count_paragraphs("  \n\n ") == 0


def test_the_paragraphs_component_alone():
    work = read_text("Mara stood up.\n\nTobias sat down.\n\nThe end.")
    analysis = Analysis.of(work)
    find_paragraphs(analysis)
    assert analysis.layers.paragraphs.breaks == [m for m in range(len(work.text)) if work.text[m : m + 2] == "\n\n"]


# --- vocatives -------------------------------------------------------------------------------


def _name(text: str, word: str, cid: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return Mention(start, start + len(word), cid, "name")


def test_vocatives_open_close_or_are_set_off_in_the_quote():
    text = "\u201cOkay, Kylo. I'll leave.\u201d \u201cRey, wait!\u201d \u201cI saw Rey today, Kylo.\u201d"
    quotes = [Quote(m, text.index("\u201d", m) + 1) for m in (i for i, ch in enumerate(text) if ch == "\u201c")]
    kylo1, rey1, rey2, kylo2 = (
        _name(text, "Kylo", "kylo"),
        _name(text, "Rey", "rey"),
        _name(text, "Rey", "rey", 1),
        _name(text, "Kylo", "kylo", 1),
    )
    mentions = [kylo1, rey1, rey2, kylo2]
    assert vocative_mentions(text, quotes[0], mentions) == [kylo1]
    assert vocative_mentions(text, quotes[1], mentions) == [rey1]
    # "I saw Rey today" names Rey without addressing her; the closing "…, Kylo." addresses Kylo.
    assert vocative_mentions(text, quotes[2], mentions) == [kylo2]


def test_words_of_address_may_stand_before_the_name():
    text = "\u201cMy dear Mr. Bennet, have you heard?\u201d"
    mention = _name(text, "Mr. Bennet", "bennet")
    assert vocative_mentions(text, Quote(0, len(text)), [mention]) == [mention]
    text = "\u201cAsk the old Bennet, he knows.\u201d"
    assert vocative_mentions(text, Quote(0, len(text)), [_name(text, "Bennet", "bennet")]) == []


def test_the_gender_of_the_addressee_from_a_word_of_address():
    text = "\u201cThank you, sir.\u201d \u201cYes, mama!\u201d \u201cGo away.\u201d"
    quotes = [Quote(m, text.index("\u201d", m) + 1) for m in (i for i, ch in enumerate(text) if ch == "\u201c")]
    assert [address_gender(text, q) for q in quotes] == ["male", "female", None]


# --- speech tags -----------------------------------------------------------------------------

TAGGED = (
    "Mara Quill and Tobias Wren sat by the fire.\n\n"
    "\u201cIt is late,\u201d she said.\n\n"
    "Tobias shrugged, \u201cNot so very late.\u201d\n\n"
    "\u201cLate enough.\u201d Mara answered. \u201cI am going up.\u201d"
)


@pytest.fixture(scope="module")
def tagged(pipeline) -> Analysis:
    """TAGGED with quotes, paragraphs, a parse and hand-made name mentions: what the speech_tags
    component needs, and nothing else of the pipeline."""
    work = read_text(TAGGED)
    analysis = Analysis(work, Analysis.of(work).profile, pipeline.config, pipeline.resources)
    find_quotes(analysis)
    find_paragraphs(analysis)
    analysis.layers.chunks = pipeline.resources.parser.parse(work)
    text = work.text
    analysis.profile.characters = [Character(id="mara", name="Mara Quill"), Character(id="tobias", name="Tobias Wren")]
    analysis.profile.mentions = [
        _name(text, "Mara Quill", "mara"),
        _name(text, "Tobias Wren", "tobias"),
        _name(text, "Tobias", "tobias", 1),
        _name(text, "Mara", "mara", 1),
    ]
    find_speech_tags(analysis)
    return analysis


def test_the_speech_tags_component_alone_finds_each_quotes_tag_words(tagged):
    tags = tagged.layers.speech_tags
    assert len(tags.quotes) == len(tagged.profile.quotes) == 4
    words = [[t.text for t in q.after.tokens] for q in tags.quotes]
    assert words[0] == ["she", "said", "."]
    assert words[2] == ["Mara", "answered", "."]
    # The tag before a quote ("Tobias shrugged, …") ends with its lead-in comma.
    assert [t.text for t in tags.quotes[1].before_tag.tokens][-3:] == ["Tobias", "shrugged", ","]
    # Speech verbs within reach of the quote are the tag's candidates; "shrugged" is no speech verb.
    assert [c.token.text for c in tags.quotes[0].after.candidates] == ["said"]
    assert [c.token.text for c in tags.quotes[1].before_tag.candidates] == []
    # "…." Mara answered: a tag in a new sentence after a full stop may be a reaction instead.
    assert tags.quotes[2].detached and not tags.quotes[0].detached


def test_tag_subjects_map_to_their_quote_for_coreference(tagged):
    text = tagged.work.text
    subjects = tagged.layers.speech_tags.subject_quote
    assert subjects[text.index("she said")] == 0
    assert subjects[text.index("Mara answered")] == 2
    # "Tobias shrugged": a subject, but not of a speech verb.
    assert text.index("Tobias shrugged") not in subjects


def test_a_speech_verb_needs_its_particle_when_it_is_phrasal(pipeline):
    doc = pipeline.resources.parser.nlp("He went on quickly. He went home. She said nothing.")
    went_on, went_home, said = (t for t in doc if t.lemma_ in ("go", "say"))
    assert is_speech_verb(went_on) and not is_speech_verb(went_home) and is_speech_verb(said)


# --- attribution and quote pronouns, alone ----------------------------------------------------


def test_the_speakers_component_alone_reads_the_speech_tags_layer(tagged):
    from ficlens.quotes.attribute import attribute

    # Coreference would have resolved "she"; without it the tag's pronoun goes to the one
    # woman of the conversation's scene only if she is known to be a woman.
    tagged.profile.characters[0].gender = "female"
    tagged.profile.characters[1].gender = "male"
    results = attribute(tagged)
    assert [r.speaker for r in results] == ["mara", "tobias", "mara", "mara"]
    # "Tobias shrugged, …": no speech verb, but the subject of the sentence before the quote.
    assert [r.method for r in results] == ["anaphoric", "beat", "explicit", "continuation"]


def test_the_quote_pronouns_component_alone():
    from ficlens.quotes.quote_pronouns import resolve_quote_pronouns

    work = read_text("\u201cI told you so,\u201d said Mara.")
    analysis = Analysis.of(work)
    analysis.profile.characters = [Character(id="mara", name="Mara"), Character(id="tobias", name="Tobias")]
    analysis.profile.quotes = [Quote(0, work.text.index("\u201d") + 1, speaker="mara", addressees=["tobias"])]
    resolve_quote_pronouns(analysis)
    assert [(work.text[m.start : m.end], m.character) for m in analysis.profile.mentions] == [
        ("I", "mara"),
        ("you", "tobias"),
    ]
