"""Typing the bond between two characters from the passages they share.

Each pair's contacts (`interactions.py`) carry cue words; their weights, shared out when a
passage names more people, add up to a score per kind. Family comes from kin phrases and canon
(`kin.py`) and is never read as romance ("his mother kissed his forehead"), except that a spouse
is a romantic relationship, as AO3 tags married couples. Thresholds and confidences are in
docs/relationships.md; a pair may carry several bonds at once (enemies who kiss are both).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .interactions import Contact, PairContacts
from .kin import KinLink

ROMANTIC_MIN = 3.0  # one unmistakable cue (a kiss between two people who are not family), or two caresses
ANTAGONISM_MIN = 5.0
FRIENDSHIP_MIN = 3.0
STRONG_CUE = 3.0  # a bond shown in one passage needs a cue this heavy there; else two passages
KB_ONLY_MIN_CONTACTS = 2  # a canon family tie the text never states needs the two to meet twice
SPOUSES = {"husband", "wife", "spouse"}
MAX_EVIDENCE = 3


@dataclass
class Bond:
    """One typed bond of a pair, before it is written as an AO3 tag."""

    type: str  # "romantic" | "family" | "friendship" | "antagonism"
    confidence: float
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # (cue start, cue end, passage start, passage end)
    link: KinLink | None = None  # for family (and spouses): the link whose relation is reported


def _cue_spans(contacts: PairContacts, category: str) -> list[tuple[int, int, int, int]]:
    spans, used = [], set()
    for _, contact, hit in contacts.cue_contacts(category):
        if contact.start in used:
            continue
        used.add(contact.start)
        spans.append((hit.start, hit.end, contact.start, contact.end))
        if len(spans) == MAX_EVIDENCE:
            break
    return spans


def _shown(contacts: PairContacts, category: str, minimum: float) -> bool:
    """Enough cue weight, in two passages or more, with one strong cue among them — or, for a
    bond the story states only through weaker cues, twice the weight. Endearments and tender
    touches alone ("Lydia, my love", says her mother) are not a romance."""
    cues = contacts.cue_contacts(category)
    score = sum(weight for weight, _, _ in cues)
    if score < minimum:
        return False
    strong = any(hit.weight >= STRONG_CUE for _, _, hit in cues)
    passages = len({contact.start for _, contact, _ in cues})
    return (strong and (passages >= 2 or score >= minimum)) or (passages >= 2 and score >= 2 * minimum)


def _family_bond(text_links: list[KinLink], kb_links: list[KinLink], contacts: list[Contact]) -> Bond | None:
    """The family tie the text states most often (the kin phrases of one person can disagree:
    "her brother" and "her late husband" may both be resolved to the same man), else canon's."""
    if text_links:
        relations = Counter(link.relation for link in text_links)
        relation = relations.most_common(1)[0][0]
        same = [link for link in text_links if link.relation == relation]
        agrees = any(k.relation == relation for k in kb_links)
        doubt = 0.1 * (len(text_links) - len(same))
        confidence = min(0.95, 0.6 + 0.1 * len(same) + (0.1 if agrees else 0.0) - doubt)
        spans = [(l.start, l.end, *(l.passage or (l.start, l.end))) for l in same[:MAX_EVIDENCE]]
        return Bond("family", round(max(0.3, confidence), 2), spans, same[0])
    if kb_links and len(contacts) >= KB_ONLY_MIN_CONTACTS:
        first = contacts[0]
        return Bond("family", 0.4, [(first.start, first.end, first.start, first.end)], kb_links[0])
    return None


def classify_pair(contacts: PairContacts, text_links: list[KinLink], kb_links: list[KinLink]) -> list[Bond]:
    """The bonds one pair shows, strongest claim first."""
    bonds: list[Bond] = []
    family = _family_bond(text_links, kb_links, contacts.contacts)
    romantic_score = contacts.cue_score("romantic")
    if family is not None and family.link is not None and family.link.relation in SPOUSES:
        family.type = "romantic"
        bonds.append(family)
    elif family is not None:
        bonds.append(family)
    elif _shown(contacts, "romantic", ROMANTIC_MIN):
        bonds.append(Bond("romantic", round(min(0.95, 0.35 + 0.06 * romantic_score), 2),
                          _cue_spans(contacts, "romantic")))
    antagonism_score = contacts.cue_score("antagonism")
    if _shown(contacts, "antagonism", ANTAGONISM_MIN):
        bonds.append(Bond("antagonism", round(min(0.9, 0.3 + 0.05 * antagonism_score), 2),
                          _cue_spans(contacts, "antagonism")))
    friendship_score = contacts.cue_score("friendship")
    if _shown(contacts, "friendship", FRIENDSHIP_MIN) and not any(b.type in ("romantic", "family") for b in bonds):
        bonds.append(Bond("friendship", round(min(0.85, 0.3 + 0.06 * friendship_score), 2),
                          _cue_spans(contacts, "friendship")))
    return bonds
