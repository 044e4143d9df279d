"""Person pronouns, as sets: who a pronoun can stand for, by person and gender.

Coreference, attribution and the pronouns of dialogue all ask the same questions of a pronoun
("is it the speaker's own word?", "which gender does it name?"); the answers live here once.
"""

from __future__ import annotations

FIRST_PERSON = {"i", "me", "my", "mine", "myself"}
FIRST_PERSON_PLURAL = {"we", "us", "our", "ours", "ourselves"}
SECOND_PERSON = {"you", "your", "yours", "yourself"}  # one person: the Reader, a letter's addressee
# Any "you", also several people: what the narrating voice's person is counted from.
SECOND_PERSON_ANY = SECOND_PERSON | {"yourselves"}
# Third-person pronouns with a gender, in every case.
PRONOUN_GENDER = {
    "he": "male", "him": "male", "his": "male", "himself": "male",
    "she": "female", "her": "female", "hers": "female", "herself": "female",
}  # fmt: skip
# The subject forms a speech tag uses ("…," she said).
GENDERED_PRONOUNS = {"he": "male", "she": "female"}
# The possessive forms a speech tag uses ("…," said her mother).
POSSESSIVE_GENDER = {"his": "male", "her": "female"}
REFLEXIVE = {"himself", "herself", "themself"}
