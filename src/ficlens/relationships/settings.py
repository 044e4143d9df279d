"""The thresholds of the `relationships` and `relationship_tags` components.

Flat frozen dataclasses, so that a run can override any of them by name:
`AnalysisConfig().with_settings("relationships", romantic_min=4.0)`. Why each value is what it
is: docs/relationships.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelationshipSettings:
    # --- contacts (interactions.py) ---
    # With a third person present, a cue counts for a pair only when a mention of each of the two
    # lies within this many characters of it.
    cue_window_chars: int = 80
    # --- typing the bond (classify.py) ---
    # Cue weight a bond needs: one unmistakable cue (a kiss between two people who are not
    # family) or two caresses makes a romance.
    romantic_min: float = 3.0
    antagonism_min: float = 5.0
    friendship_min: float = 3.0
    # A bond shown in one passage needs a cue this heavy there; else two passages.
    strong_cue: float = 3.0
    # A canon family tie the text never states needs the two to meet this often, and is capped.
    kb_only_min_contacts: int = 2
    kb_only_max: float = 0.75
    # Contacts that make a plain platonic bond when no cue says what the two are to each other.
    platonic_min_contacts: int = 5
    # A bond shown only by weak cues is reported, but below the AO3 header's threshold.
    weak_only_cap: float = 0.45
    # Passages a relationship cites, and how long each excerpt may be: a relationship is read
    # from an exchange, so its excerpts are longer than a tag's (`evidence.EXCERPT_CHARS`).
    max_evidence: int = 3
    evidence_chars: int = 120
    # --- which bonds are kept ---
    # Plain platonic bonds are kept only for the pairs a story is most about: those with at least
    # this share of the contacts of its most-present pair, and no more than `max_platonic`.
    platonic_share_of_top: float = 0.4
    max_platonic: int = 5


@dataclass(frozen=True)
class RelationshipTagSettings:
    # A platonic tag needs a bond the story spends time on; a romantic one fewer passages.
    tag_min_contacts: int = 3
    romantic_tag_min_contacts: int = 2
    tag_min_confidence: float = 0.3
    # A platonic tag needs this share of the contacts of the most-present platonic pair, and a
    # work gets at most `max_platonic_tags` of them.
    tag_platonic_share: float = 0.5
    max_platonic_tags: int = 2
