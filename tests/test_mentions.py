"""Name candidates and the person evidence pooled for each surface form."""

from __future__ import annotations

import pytest

from ficlens.characters.mentions import FormEvidence, NameCandidate, collect_name_evidence, is_person


@pytest.fixture(scope="session")
def evidence_of(pipeline):
    """Parse a one-part story and pool the name evidence of its forms (no quotes marked).

    The pooled mapping is a defaultdict, so it comes back as a plain dict: asking for a form
    that was never a candidate must fail, not yield empty evidence."""
    from ficlens.read import read_text

    def run(text: str) -> tuple[str, dict[str, FormEvidence]]:
        work = read_text(text)
        chunks = pipeline.resources.parser.parse(work)
        return work.text, dict(collect_name_evidence(chunks, set()))

    return run


def _evidence(form: str, person: float, other: float = 0.0, count: int = 1) -> FormEvidence:
    occurrences = [NameCandidate(start=10 * i, end=10 * i + len(form), text=form) for i in range(count)]
    return FormEvidence(person=person, other=other, count=count, occurrences=occurrences)


def test_one_vote_is_not_enough_for_a_single_word():
    assert not is_person(_evidence("Forthwith", person=1.0))
    assert is_person(_evidence("Brannigan", person=2.0))
    assert not is_person(_evidence("Brannigan", person=2.0, other=1.5))


def test_a_full_name_needs_only_to_lean_towards_person():
    assert is_person(_evidence("Tobias Wren", person=1.0))
    assert is_person(_evidence("Tobias Wren", person=0.5))
    assert not is_person(_evidence("Tobias Wren", person=0.5, other=1.0))


def test_mention_span_takes_in_adjectives_but_the_form_does_not(evidence_of):
    text, evidence = evidence_of(
        "Everyone in the village knew old Brannigan. On Sundays old Brannigan walked to the mill "
        "and back, and the late Tobias Wren had walked with him."
    )
    spans = [text[o.start : o.end] for o in evidence["Brannigan"].occurrences]
    assert spans == ["old Brannigan", "old Brannigan"]
    assert [text[o.start : o.end] for o in evidence["Tobias Wren"].occurrences] == ["the late Tobias Wren"]
    assert "old Brannigan" not in evidence


def test_a_bare_determiner_stays_outside_the_span(evidence_of):
    text, evidence = evidence_of(
        "They searched the ship for the Quillon, but the Quillon had sailed. "
        "The rumour reached the village before the wise Ardwick did."
    )
    assert [text[o.start : o.end] for o in evidence["Quillon"].occurrences] == ["Quillon", "Quillon"]
    assert [text[o.start : o.end] for o in evidence["Ardwick"].occurrences] == ["the wise Ardwick"]


def test_pity_and_age_are_person_evidence(evidence_of):
    _, plain = evidence_of("The letter reached Ardwick at last.")
    _, pitied = evidence_of("The letter reached poor Ardwick at last.")
    assert pitied["Ardwick"].person >= plain["Ardwick"].person + 1.0


def test_place_prepositions_count_against_a_person(evidence_of):
    _, evidence = evidence_of(
        "The family had lived in Varneth for a hundred years. Nothing grew near Varneth, "
        "and the farmers of the province of Varneth were poor."
    )
    assert evidence["Varneth"].person <= -2.0
    assert not is_person(evidence["Varneth"])


def test_kin_of_a_name_counts_for_a_person(evidence_of):
    _, evidence = evidence_of("Isabella, the oldest daughter of Ardwick, was nineteen.")
    assert evidence["Ardwick"].person >= 0.7


def test_word_capitalised_only_at_sentence_start_is_not_a_name(evidence_of):
    _, evidence = evidence_of("Twilight appeared to come on its wings. Mara watched the twilight. Twilight deepened.")
    assert evidence["Twilight"].count == 2
    assert evidence["Twilight"].other >= 2.0 * evidence["Twilight"].count
    assert not is_person(evidence["Twilight"])


def test_a_common_given_name_is_not_taken_for_the_word(evidence_of):
    _, evidence = evidence_of("Hope laughed. There was little hope left for them. Hope shook her head.")
    assert evidence["Hope"].count == 2 and evidence["Hope"].sentence_initial == 2
    assert evidence["Hope"].other < 2.0 * evidence["Hope"].count


def test_bare_surname_borrows_the_title_of_its_full_form(evidence_of):
    text = (
        "Mr. Quillfeather arrived at noon. The clerk said that Quillfeather was late again, "
        "and the whole office waited for Quillfeather."
    )
    _, evidence = evidence_of(text)
    _, alone = evidence_of(text.replace("Mr. Quillfeather", "The coach"))
    assert evidence["Quillfeather"].person >= alone["Quillfeather"].person + evidence["Quillfeather"].count - 0.01


def test_a_chapter_number_or_a_capitalised_poor_is_not_part_of_a_name(evidence_of):
    _, evidence = evidence_of("II\nMrs. Pontellier sat on the porch. Poor Dorothea waited in the hall for her.")
    assert "Mrs. Pontellier" in evidence and "II Mrs. Pontellier" not in evidence
    assert "Dorothea" in evidence and "Poor Dorothea" not in evidence


def test_a_name_in_capitals_ends_where_ordinary_capitalisation_starts(evidence_of):
    _, evidence = evidence_of("LETTER II\nMR. VILLARS TO LADY HOWARD\nBerry Hill, Dorsetshire.\n\nI write in haste.")
    assert not any("Berry" in form and "HOWARD" in form for form in evidence)


def test_a_title_keeps_its_name_across_a_wrapped_line(evidence_of):
    text, evidence = evidence_of('"They do not love any longer," said Mrs.\nWilcox, stooping to smell a rose.')
    assert "Mrs. Wilcox" in evidence and "Wilcox" not in evidence
    occurrence = evidence["Mrs. Wilcox"].occurrences[0]
    assert occurrence.has_title and text[occurrence.start : occurrence.end] == "Mrs.\nWilcox"


def test_an_interjection_opening_a_quote_is_not_a_name(evidence_of):
    """A lone interjection is a candidate (the list is a feature, not a veto), judged no person."""
    from ficlens.characters.name_model import load_name_model

    _, evidence = evidence_of(
        '"Halloa!" cried Tobias. "Humph! Hark, the bells." Mara laughed. Tobias smiled at her, and '
        'Mara took his hand. "Halloa!" said Tobias again. "Come in," said Mara.'
    )
    assert "Tobias" in evidence and "Mara" in evidence
    people = load_name_model().person_forms(evidence, lambda form: None)
    assert {"Tobias", "Mara"} <= people
    assert not people & {"Halloa", "Humph", "Hark"}
    _, evidence = evidence_of('"Hullo Tobias," said Mara.')
    assert "Tobias" in evidence and "Hullo Tobias" not in evidence and "Hullo" not in evidence


def test_a_capitalised_epithet_that_speaks_is_a_person(evidence_of):
    story = (
        'The boys waited by the door, and the Dodger came in late. "Hard work," said the Dodger. '
        '"Lined?" asked Tobias. "Pretty well," replied the Dodger, and he sat down. Nobody watched '
        'the Dodger or the Quillon, which lay at anchor. "Go on," said the Dodger. The Quillon sailed.'
    )
    _, evidence = evidence_of(story)
    assert evidence["Dodger"].speech_subject >= 3
    assert is_person(evidence["Dodger"])
    assert evidence["Quillon"].speech_subject == 0 and not is_person(evidence["Quillon"])
    _, once = evidence_of(
        story.replace("replied the Dodger", "replied Tobias").replace("said the Dodger.", "said Tobias.")
    )
    assert not is_person(once["Dodger"])  # one "said the Dodger" is not enough against the article


def test_an_abbreviated_title_keeps_its_dot_and_its_name(evidence_of):
    _, evidence = evidence_of('"Merci, madame," replied Mlle. Blanche with a bow. Capt. Harville nodded.')
    assert "Mlle. Blanche" in evidence and "Capt. Harville" in evidence


def test_a_lower_case_particle_stays_inside_the_name(evidence_of):
    _, evidence = evidence_of(
        '"Quite so," said Mr. van der Luyden. Henry van der Luyden and Louisa van der Luyden dined late. '
        "She parked the van by the gate and Rey waved."
    )
    assert {"Mr. van der Luyden", "Henry van der Luyden", "Louisa van der Luyden"} <= set(evidence)
    assert "Luyden" not in evidence
    assert not any("van" in form and "Luyden" not in form for form in evidence)  # the vehicle is no name


def test_a_number_is_no_name_particle(evidence_of):
    _, evidence = evidence_of("She paid Fred ten Sickles and Fred thanked her.")
    assert not any("Sickles" in form and "Fred" in form for form in evidence)
