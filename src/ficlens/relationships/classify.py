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
from .kin import KinLink, invert_relation
from .settings import RelationshipSettings

SPOUSES = {"husband", "wife", "spouse"}
DEFAULTS = RelationshipSettings()


@dataclass
class Bond:
    """One typed bond of a pair, before it is written as an AO3 tag."""

    type: str  # "romantic" | "family" | "friendship" | "antagonism"
    confidence: float
    spans: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # (cue start, cue end, passage start, passage end)
    link: KinLink | None = None  # for family (and spouses): the link whose relation is reported


def _cue_spans(contacts: PairContacts, category: str, count: int) -> list[tuple[int, int, int, int]]:
    spans, used = [], set()
    for _, contact, hit in contacts.cue_contacts(category):
        if contact.start in used:
            continue
        used.add(contact.start)
        spans.append((hit.start, hit.end, contact.start, contact.end))
        if len(spans) == count:
            break
    return spans


def _shown(contacts: PairContacts, category: str, minimum: float, strong_cue: float) -> tuple[bool, bool]:
    """(shown, by strong cues): enough weight with at least one strong cue (a kiss, a threat to
    kill); or, from weaker cues only, twice the weight from three different terms in two passages
    or more. Endearments and tender touches alone ("Lydia, my love", says her mother) are a
    weak claim, and their bond is reported with a capped confidence."""
    cues = contacts.cue_contacts(category)
    score = contacts.cue_score(category)
    if score < minimum:
        return False, False
    if any(hit.weight >= strong_cue for _, _, hit in cues):
        return True, True
    passages = len({contact.start for _, contact, _ in cues})
    weak = passages >= 2 and contacts.distinct_terms(category) >= 3 and score >= 2 * minimum
    return weak, False


def _oriented(link: KinLink, pair: tuple[str, str], genders: dict[str, str]) -> str:
    """What pair[1] is to pair[0] according to this link ("her brother" and "his sister" agree)."""
    if link.person == pair[0]:
        return link.relation
    return invert_relation(link.relation, genders.get(link.person, "unknown"))


def _family_bond(
    pair: tuple[str, str],
    text_links: list[KinLink],
    kb_links: list[KinLink],
    contacts: list[Contact],
    genders: dict[str, str],
    settings: RelationshipSettings,
) -> Bond | None:
    """The family tie the text states most often, each phrase read in the pair's direction (kin
    phrases can disagree: "her brother" and "her late husband" may both resolve to one man);
    failing any phrase, canon's tie when the two meet often enough."""
    if text_links:
        votes = Counter(_oriented(link, pair, genders) for link in text_links)
        relation, count = votes.most_common(1)[0]
        same = [link for link in text_links if _oriented(link, pair, genders) == relation]
        agrees = any(_oriented(k, pair, genders) == relation for k in kb_links)
        doubt = 0.1 * (len(text_links) - count)
        confidence = min(0.95, 0.6 + 0.1 * count + (0.1 if agrees else 0.0) - doubt)
        if all(link.guessed for link in same):
            confidence *= 0.8  # only a shared surname says which relative it is
        spans = [(l.start, l.end, *(l.passage or (l.start, l.end))) for l in same[: settings.max_evidence]]
        return Bond("family", round(max(0.3, confidence), 2), spans, same[0])
    if kb_links and len(contacts) >= settings.kb_only_min_contacts:
        # Canon says they are family; the more scenes they share, the more the story is about it.
        confidence = min(settings.kb_only_max, 0.4 + 0.03 * len(contacts))
        spans = [(c.start, c.end, c.start, c.end) for c in contacts[: settings.max_evidence]]
        return Bond("family", round(confidence, 2), spans, kb_links[0])
    return None


def _scored(score: float, strong: bool, base: float, step: float, cap: float, weak_cap: float) -> float:
    confidence = min(cap, base + step * score)
    return round(confidence if strong else min(confidence, weak_cap), 2)


def classify_pair(
    contacts: PairContacts,
    text_links: list[KinLink],
    kb_links: list[KinLink],
    genders: dict[str, str] | None = None,
    settings: RelationshipSettings = DEFAULTS,
) -> list[Bond]:
    """The bonds one pair shows, strongest claim first."""
    s = settings
    genders = genders or {}
    bonds: list[Bond] = []
    family = _family_bond(contacts.pair, text_links, kb_links, contacts.contacts, genders, s)
    romantic, strong = _shown(contacts, "romantic", s.romantic_min, s.strong_cue)
    score = contacts.cue_score("romantic")
    if family is not None and family.link is not None and family.link.relation in SPOUSES:
        family.type = "romantic"
        bonds.append(family)
    else:
        # A kin tie blocks romance ("his mother kissed his forehead") unless it is only a guess
        # from a shared surname and the pair kiss: a married couple may share a name.
        guessed = (
            family is not None and family.link is not None and all(l.guessed for l in text_links) and bool(text_links)
        )
        if family is not None:
            bonds.append(family)
        if romantic and (family is None or (guessed and strong)):
            bonds.append(
                Bond(
                    "romantic",
                    _scored(score, strong, 0.35, 0.06, 0.95, s.weak_only_cap),
                    _cue_spans(contacts, "romantic", s.max_evidence),
                )
            )
    shown, strong = _shown(contacts, "antagonism", s.antagonism_min, s.strong_cue)
    if shown:
        bonds.append(
            Bond(
                "antagonism",
                _scored(contacts.cue_score("antagonism"), strong, 0.3, 0.05, 0.9, s.weak_only_cap),
                _cue_spans(contacts, "antagonism", s.max_evidence),
            )
        )
    shown, strong = _shown(contacts, "friendship", s.friendship_min, s.strong_cue)
    if shown and not any(b.type in ("romantic", "family") for b in bonds):
        bonds.append(
            Bond(
                "friendship",
                _scored(contacts.cue_score("friendship"), strong, 0.3, 0.06, 0.85, s.weak_only_cap),
                _cue_spans(contacts, "friendship", s.max_evidence),
            )
        )
    if not bonds and len(contacts.contacts) >= s.platonic_min_contacts:
        # No cue says what they are to each other, but the story keeps putting them together:
        # on AO3 that is the plain platonic "A & B" of a Gen work.
        spans = [(c.start, c.end, c.start, c.end) for c in _dialogue_first(contacts.contacts)[: s.max_evidence]]
        bonds.append(Bond("platonic", round(min(0.65, 0.25 + 0.03 * len(contacts.contacts)), 2), spans))
    return bonds


def _dialogue_first(contacts: list[Contact]) -> list[Contact]:
    """Exchanges between the two show a bond best; then shared sentences, in story order."""
    return sorted(contacts, key=lambda c: (c.kind != "dialogue", c.start))
