"""Relationships between characters, typed and written as AO3 tags, each with evidence.

Three steps, one module each: `interactions` finds the passages a pair shares, `kin` the family
ties the text (or canon) states, `classify` decides what kind of bond the passages show; `ao3`
writes the bond the way AO3 does. `find_relationships` is the pipeline component that fills
`profile.relationships`; `suggest_relationship_tags` turns the strongest of them into
`profile.tags.relationships`. See docs/relationships.md.
"""

from __future__ import annotations

from ..analysis import Analysis
from ..component import component
from ..evidence import evidence_around
from ..kb import READER, normalize_alias
from ..model import Character, Relationship, TagSuggestion
from ..tags.lexicon import Hit, Term, load_lexicon, story_scan
from .ao3 import canonical_match, character_tag, join_tag, surname_key
from .classify import Bond, classify_pair
from .interactions import Contact, PairContacts, collect_contacts, pair_of, sentence_spans
from .kin import KinLink, invert_relation, kin_links_from_kb, kin_links_from_text
from .settings import RelationshipSettings, RelationshipTagSettings

__all__ = ["find_relationships", "invert_relation", "suggest_relationship_tags"]

DEFAULTS = RelationshipSettings()
TAG_DEFAULTS = RelationshipTagSettings()


def _kb_name(character: Character, kb_characters: dict) -> str | None:
    """The name the KB's relationships use for this character (READER for the Reader)."""
    if character.is_reader:
        return READER
    kb = kb_characters.get(character.id)
    return kb.name if kb is not None else None


def relationship_cues(analysis: Analysis) -> list[Hit]:
    """The relationship lexicon's hits in the story, plus the rating's sexual hits as romantic cues."""
    from ..tags.rating import sexual_weights

    lexicon = load_lexicon("relationships")
    work = analysis.work
    hits = [hit for part in work.story_parts() for hit in lexicon.find(work.text, part.start, part.end)]
    for weighted in sexual_weights(story_scan(analysis)):
        hit = weighted.hit
        hits.append(Hit(hit.start, hit.end, Term(hit.term.text, "romantic", weighted.weight)))
    return sorted(hits, key=lambda h: h.start)


def _write(
    bond: Bond,
    a: Character,
    b: Character,
    contacts: PairContacts,
    analysis: Analysis,
    known,
    evidence_chars: int = DEFAULTS.evidence_chars,
) -> Relationship:
    kb_characters = analysis.layers.kb_characters
    romantic = bond.type == "romantic"
    names = {c.id: character_tag(c, kb_characters) for c in (a, b)}
    kb_names = {c.id: _kb_name(c, kb_characters) for c in (a, b)}
    match = canonical_match(list(kb_names.values()), romantic, known)
    if match is not None:  # the KB's spelling and order
        first = a if normalize_alias(kb_names[a.id] or "") == normalize_alias(match.characters[0]) else b
        order = [first, b if first is a else a]
        tag = match.tag
    else:
        order = sorted((a, b), key=lambda c: surname_key(names[c.id]))
        tag = join_tag([names[c.id] for c in order], romantic)
    relation, roles = None, {}
    if bond.link is not None:
        person, relative = bond.link.person, bond.link.relative
        gender = next((c.gender for c in (a, b) if c.id == person), "unknown")
        roles = {relative: bond.link.relation, person: invert_relation(bond.link.relation, gender)}
        relation = roles[order[1].id]
    text = analysis.work.text
    evidence = []
    for cue_start, cue_end, passage_start, passage_end in bond.spans:
        evidence.append(evidence_around(text, cue_start, cue_end, (passage_start, passage_end), evidence_chars))
    count = len(contacts.contacts)
    presence = max(1, min(a.mention_count, b.mention_count))
    return Relationship(
        characters=[c.id for c in order],
        type=bond.type,
        tag=tag,
        relation=relation,
        strength=round(min(1.0, count / presence), 2),
        confidence=bond.confidence,
        evidence=evidence,
        roles=roles,
    )


def _one_spouse_each(relationships: list[Relationship]) -> list[Relationship]:
    """A character's husband or wife is one person: where kin phrases marry someone twice ("his
    wife" five times for Mrs. Bennet, one "her husband" whose "her" coreference got wrong), the
    marriage with the most support stays and the other is dropped."""
    spouses = [
        r for r in relationships if r.type == "romantic" and set(r.roles.values()) & {"husband", "wife", "spouse"}
    ]
    spouses.sort(key=lambda r: (-r.confidence, -r.strength))
    married: set[str] = set()
    dropped = set()
    for r in spouses:
        if married & set(r.characters):
            dropped.add(id(r))
        else:
            married.update(r.characters)
    return [r for r in relationships if id(r) not in dropped]


def _contact_count(pairs: dict, relationship: Relationship) -> int:
    key = tuple(sorted(relationship.characters))
    return len(pairs[key].contacts) if key in pairs else 0


def _central_platonic_only(
    relationships: list[Relationship], pairs: dict, settings: RelationshipSettings = DEFAULTS
) -> list[Relationship]:
    """Drop plain platonic bonds outside the few pairs the story is most about: in a novel many
    pairs share five scenes, but only its central ones are what an `A & B` tag means."""

    def contacts(r: Relationship) -> int:
        return _contact_count(pairs, r)

    top = max((len(p.contacts) for p in pairs.values()), default=0)
    platonic = sorted((r for r in relationships if r.type == "platonic"), key=contacts, reverse=True)
    keep = {id(r) for r in platonic[: settings.max_platonic] if contacts(r) >= settings.platonic_share_of_top * top}
    return [r for r in relationships if r.type != "platonic" or id(r) in keep]


@component(
    "relationships",
    requires=("chunks", "kb_index", "kb_characters", "profile.characters", "profile.mentions"),
    assigns=("profile.relationships", "pair_contacts"),
    settings=RelationshipSettings,
)
def find_relationships(analysis: Analysis, settings: RelationshipSettings = DEFAULTS) -> None:
    """Pipeline component: `profile.relationships`, strongest first."""
    profile = analysis.profile
    kb_characters = analysis.layers.kb_characters
    story = [(p.start, p.end) for p in analysis.work.story_parts()]
    sentences = sentence_spans(analysis.layers.chunks)
    pairs = collect_contacts(profile, sentences, relationship_cues(analysis), settings.cue_window_chars)
    text_links = kin_links_from_text(profile, kb_characters, story, sentences)
    kb_links = [KinLink(p, r, rel, 0, 0, "canon") for p, r, rel in kin_links_from_kb(profile.characters, kb_characters)]
    by_id = {c.id: c for c in profile.characters}
    genders = {c.id: c.gender for c in profile.characters}
    links_by_pair: dict = {}
    for link in text_links + kb_links:
        links_by_pair.setdefault(pair_of(link.person, link.relative), []).append(link)
    for link in text_links:  # "his father" is a passage in which both take part
        key = pair_of(link.person, link.relative)
        pairs.setdefault(key, PairContacts(key)).contacts.append(Contact(link.start, link.end, "kin", 1.0))
    keys = set(pairs)
    index = analysis.layers.kb_index
    known = [r for e in (index.fandoms if index else []) for r in e.fandom.relationships]
    relationships = []
    for key in sorted(keys):
        contacts = pairs[key]
        linked = [l for l in links_by_pair.get(key, []) if l.source != "canon"]
        canon = [l for l in links_by_pair.get(key, []) if l.source == "canon"]
        for bond in classify_pair(contacts, linked, canon, genders, settings):
            a, b = by_id[key[0]], by_id[key[1]]
            relationships.append(_write(bond, a, b, contacts, analysis, known, settings.evidence_chars))
    relationships = _one_spouse_each(_central_platonic_only(relationships, pairs, settings))
    relationships.sort(key=lambda r: (-r.confidence * (0.5 + 0.5 * r.strength), r.tag))
    profile.relationships = relationships
    analysis.layers.pair_contacts = pairs


@component(
    "relationship_tags",
    requires=("pair_contacts", "profile.relationships"),
    assigns=("profile.tags.relationships",),
    settings=RelationshipTagSettings,
)
def suggest_relationship_tags(analysis: Analysis, settings: RelationshipTagSettings = TAG_DEFAULTS) -> None:
    """Pipeline component: `profile.tags.relationships` — every romantic bond, and the few platonic
    bonds the story is most about, one tag per pair (a romance is not also tagged `A & B`).

    Authors tag the relationships a work is about, not every pair that meets: an `A & B` tag needs
    `tag_min_contacts` shared passages and at least `tag_platonic_share` of the contacts of the
    most-present platonic pair, and a work gets at most `max_platonic_tags` of them."""
    from ..coref import NARRATOR_ID

    profile = analysis.profile
    pairs = analysis.layers.pair_contacts

    def contacts_of(relationship: Relationship) -> int:
        return _contact_count(pairs, relationship)

    candidates = [r for r in profile.relationships if NARRATOR_ID not in r.characters]  # no AO3 tag for "Narrator"
    romantic = [r for r in candidates if r.type == "romantic"]
    romantic_pairs = {tuple(sorted(r.characters)) for r in romantic}
    platonic = [r for r in candidates if r.type != "romantic" and tuple(sorted(r.characters)) not in romantic_pairs]
    top = max((contacts_of(r) for r in platonic), default=0)
    s = settings
    platonic = [r for r in platonic if contacts_of(r) >= max(s.tag_min_contacts, s.tag_platonic_share * top)]
    chosen: list[tuple[Relationship, float]] = []
    tagged: set[tuple[str, ...]] = set()
    for relationship in romantic + sorted(platonic, key=lambda r: -r.confidence * contacts_of(r)):
        key = tuple(sorted(relationship.characters))
        contacts = contacts_of(relationship)
        if key in tagged or contacts < (
            s.romantic_tag_min_contacts if relationship.type == "romantic" else s.tag_min_contacts
        ):
            continue
        if relationship.type != "romantic" and sum(1 for r, _ in chosen if r.type != "romantic") >= s.max_platonic_tags:
            continue
        confidence = round(relationship.confidence * (0.5 + 0.5 * min(1.0, contacts / 5)), 2)
        if confidence < s.tag_min_confidence:
            continue
        tagged.add(key)
        chosen.append((relationship, confidence))
    profile.tags.relationships = [TagSuggestion(r.tag, c, list(r.evidence)) for r, c in chosen]
