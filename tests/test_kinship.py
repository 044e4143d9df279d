"""Kin phrases resolve through the knowledge base or shared surnames, never by a guess."""

from __future__ import annotations

from ficlens.characters.kinship import resolve_kin
from ficlens.kb import KBCharacter
from ficlens.model import Character


def _c(cid, name, aliases, gender):
    return Character(id=cid, name=name, aliases=aliases, gender=gender, mention_count=len(aliases))


CAST = [
    _c("eliz", "Elizabeth Bennet", ["Elizabeth", "Elizabeth Bennet"], "female"),
    _c("mr", "Mr. Bennet", ["Mr. Bennet"], "male"),
    _c("mrs", "Mrs. Bennet", ["Mrs. Bennet"], "female"),
    _c("jane", "Jane Bennet", ["Jane", "Jane Bennet"], "female"),
    _c("lydia", "Lydia Bennet", ["Lydia", "Lydia Bennet"], "female"),
    _c("darcy", "Mr. Darcy", ["Mr. Darcy", "Darcy"], "male"),
]


def test_parents_are_the_titled_same_surname_characters():
    assert resolve_kin(CAST[0], "father", CAST).id == "mr"
    assert resolve_kin(CAST[0], "mother", CAST).id == "mrs"
    assert resolve_kin(CAST[0], "mama", CAST).id == "mrs"


def test_ambiguous_sister_is_left_unresolved():
    assert resolve_kin(CAST[0], "sister", CAST) is None


def test_no_surname_no_guess():
    darcy_less = [_c("rey", "Rey", ["Rey"], "female"), _c("han", "Han Solo", ["Han", "Han Solo"], "male")]
    assert resolve_kin(darcy_less[0], "father", darcy_less) is None


def test_knowledge_base_family_wins():
    kylo = _c("kylo", "Kylo Ren", ["Kylo"], "male")
    han = _c("han", "Han Solo", ["Han"], "male")
    leia = _c("leia", "Leia Organa", ["Leia"], "female")
    kb = KBCharacter(
        tag="Ben Solo | Kylo Ren", name="Kylo Ren", relatives={"Han Solo": "father", "Leia Organa": "mother"}
    )
    assert resolve_kin(kylo, "father", [kylo, han, leia], kb).id == "han"
    assert resolve_kin(kylo, "mother", [kylo, han, leia], kb).id == "leia"
