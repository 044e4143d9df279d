"""Pipeline component: the characters of a work and their name mentions.

Steps: collect proper-name candidates with person evidence → narrow the knowledge base to the
fandoms the story evidences → keep the forms that are people → merge aliases → add the Reader
when the narration is second person or uses Y/N placeholders. Pronouns come later (coref.py).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from ..analysis import Analysis
from ..component import component
from ..model import Character, Mention, id_slug
from .aliases import Cluster, cluster_names
from .descriptions import cast_character, description_mentions
from .kbmatch import build_index
from .mentions import FormEvidence, add_lexical_votes, collect_name_evidence, placeholder_mentions
from .name_model import load_name_model
from .names import first_name_gender, split_name
from .settings import CharacterSettings

READER_ID = "reader"
NARRATOR_ID = "narrator"  # the unnamed "I" of first-person narration (coref.py creates it)


@dataclass
class GenderGuess:
    gender: str
    confidence: float


def prior_gender(cluster: Cluster, settings: CharacterSettings = CharacterSettings()) -> GenderGuess:
    """Gender before any pronoun is read: the knowledge base, then titles, then first names."""
    if cluster.kb is not None and cluster.kb.gender in ("male", "female", "nonbinary"):
        return GenderGuess(cluster.kb.gender, 0.95)
    if len(cluster.genders) == 1:
        return GenderGuess(next(iter(cluster.genders)), 0.9)
    votes: Counter = Counter()
    for form, count in cluster.forms.items():
        guess = first_name_gender(split_name(form).first or form.split()[0])  # "Reverend Edward Casaubon": Edward
        if guess and guess[1] >= settings.first_name_gender_share:
            votes[guess[0]] += count * guess[1]  # type: ignore[assignment]  # float weights in a Counter
    if votes:
        gender, weight = votes.most_common(1)[0]
        share = weight / sum(votes.values())
        if share >= settings.first_name_vote_share:
            return GenderGuess(gender, round(0.6 + 0.2 * share, 2))
    return GenderGuess("unknown", 0.0)


def _slug(name: str) -> str:
    return id_slug(name) or "character"


def _place_spans(index, work) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans of the active fandoms' multi-word places and organisations."""
    names = sorted((p for p in index.places if " " in p), key=len, reverse=True)
    if not names:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
    return [m.span() for part in work.story_parts() for m in pattern.finditer(work.text, part.start, part.end)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def person_evidence(analysis: Analysis, settings: CharacterSettings = CharacterSettings()) -> dict[str, FormEvidence]:
    """Every capitalised name form of the work with its evidence, before any is judged a person.

    Sets the "kb_index" layer. training/name_model.py calls this too, so that the name model
    learns from exactly the evidence it is given at run time."""
    work = analysis.work
    chunks = analysis.layers.chunks
    quotes = analysis.layers.quote_index
    evidence = collect_name_evidence(chunks, quotes, settings)
    story_text = "\n".join(text for _, text in work.iter_story())
    index = build_index(
        analysis.resources.kb,
        analysis.resources.cast,
        Counter({f: e.count for f, e in evidence.items()}),
        story_text,
        settings,
    )
    analysis.layers.kb_index = index
    add_lexical_votes(evidence, index)

    # Names inside a known place or organisation ("Ren" in "Knights of Ren") are not people.
    blocked = _place_spans(index, work)
    for ev in evidence.values():
        ev.occurrences = [o for o in ev.occurrences if not _inside(blocked, o.start, o.end)]
        ev.count = len(ev.occurrences)
    return evidence


@component(
    "characters",
    requires=("chunks", "quote_index", "profile.narration"),
    assigns=("kb_index", "kb_characters", "profile.characters", "profile.mentions"),
    settings=CharacterSettings,
)
def find_characters(analysis: Analysis, settings: CharacterSettings = CharacterSettings()) -> None:
    work = analysis.work
    evidence = person_evidence(analysis, settings)
    index = analysis.layers.kb_index
    placeholders = [
        span for part in work.story_parts() for span in placeholder_mentions(work.text, part.start, part.end)
    ]
    in_placeholder = {i for start, end in placeholders for i in range(start, end)}
    people = load_name_model().person_forms(evidence, index.kind if index is not None else lambda form: None)
    person_forms = Counter(
        {form: ev.count for form, ev in evidence.items() if form in people and form.lower() not in ("reader", "y/n")}
    )
    clusters = [c for c in cluster_names(person_forms, index)]
    clusters.sort(key=lambda c: -c.count)

    characters: list[Character] = []
    form_owner: dict[str, str] = {}
    kb_characters: dict = {}  # character id → the KB character it was merged through
    analysis.layers.kb_characters = kb_characters
    used_ids: set[str] = {READER_ID}
    for cluster in clusters:
        name = cluster.display_name()
        cid = _slug(name)
        while cid in used_ids:
            cid += "-2"
        used_ids.add(cid)
        gender = prior_gender(cluster, settings)
        characters.append(
            Character(
                id=cid,
                name=name,
                aliases=[f for f, _ in cluster.forms.most_common()],
                gender=gender.gender,
                gender_confidence=gender.confidence,
            )
        )
        for form in cluster.forms:
            form_owner[form] = cid
        if cluster.kb is not None:
            kb_characters[cid] = cluster.kb

    mentions: list[Mention] = []
    for form, cid in form_owner.items():
        for occ in evidence[form].occurrences:
            if occ.start not in in_placeholder:
                mentions.append(Mention(occ.start, occ.end, cid, "nominal" if occ.title_only else "name"))

    if analysis.resources.cast:
        mentions += _cast_descriptions(work, analysis.resources.cast, characters, kb_characters, mentions)

    narration = analysis.profile.narration
    if narration.reader_insert or placeholders:
        characters.insert(
            0,
            Character(
                id=READER_ID, name="Reader", aliases=["Y/N"] if placeholders else [], gender="unknown", is_reader=True
            ),
        )
        mentions.extend(Mention(start, end, READER_ID, "name") for start, end in placeholders)

    mentions.sort(key=lambda m: m.start)
    analysis.profile.characters = characters
    analysis.profile.mentions = mentions
    analysis.profile.recount_mentions()


def _cast_descriptions(
    work, cast, characters: list[Character], kb_characters: dict, mentions: list[Mention]
) -> list[Mention]:
    """Mentions of the cast's descriptions ("the beadle" for Mr. Bumble, "the surgeon"): a
    cast entry never met by name joins the characters when its description occurs."""
    in_cast = {id(entry) for entry in cast}
    aliases = {c.id: [c.name, *c.aliases] for c in characters}
    for cid, entry in kb_characters.items():
        if id(entry) in in_cast:
            aliases[cid] += [entry.name, *entry.aliases]
    met = {id(entry) for entry in kb_characters.values()}
    names = {c.name for c in characters}
    unmet = {}
    for entry in cast:
        if id(entry) not in met and entry.name not in names:
            character = cast_character(entry)
            unmet[character.id] = character
            aliases.setdefault(character.id, [entry.name, *entry.aliases])
    spans = [(part.start, part.end) for part in work.story_parts()]
    found = description_mentions(work.text, spans, aliases, mentions)
    described = {m.character for m in found}
    characters.extend(c for cid, c in unmet.items() if cid in described)
    return found
