"""Lining predictions up with gold data, shared by the LitBank and PDNC scorers.

A predicted profile names its own characters (`c3`, "Lizzy") and its own quote spans; gold data
names entities its own way. Before anything can be scored right or wrong, each predicted
character has to stand for at most one gold character, and each gold quote has to find the
predicted quote that covers it. Both rules live here so that the two benchmarks cannot drift
apart, and so that docs/evaluation.md can describe one rule, not two.

The profile is read in its JSON form (`Profile.to_dict()`), so a scorer can run on a profile
saved by an older ficlens as well as on one made a moment ago.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from ..errors import UnreadableInput

# ---------------------------------------------------------------------------------------------
# Reading the predicted side


@dataclass(frozen=True)
class NamedCharacter:
    """A character known by its names: the main name first, then aliases."""

    id: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class PredictedMention:
    start: int
    end: int
    character: str | None
    kind: str


@dataclass(frozen=True)
class PredictedQuote:
    start: int
    end: int
    speaker: str | None


def _items(profile: Mapping[str, Any], key: str) -> list[Any]:
    if not isinstance(profile, Mapping):
        raise UnreadableInput(f"profile is a {type(profile).__name__}, not a JSON object")
    value = profile.get(key)
    if value is None:
        return []  # a pipeline that does not produce this layer yet predicts nothing for it
    if not isinstance(value, list):
        raise UnreadableInput(f"profile: '{key}' is a {type(value).__name__}, not a list")
    return value


def _span(item: Any, where: str) -> tuple[int, int]:
    if not isinstance(item, Mapping):
        raise UnreadableInput(f"profile: {where} is not an object")
    start, end = item.get("start"), item.get("end")
    if type(start) is not int or type(end) is not int:
        raise UnreadableInput(f"profile: {where} has no integer start/end")
    return start, end


def _optional_id(value: Any) -> str | None:
    return None if value is None else str(value)


def predicted_characters(profile: Mapping[str, Any]) -> list[NamedCharacter]:
    characters = []
    for i, item in enumerate(_items(profile, "characters")):
        if not isinstance(item, Mapping) or item.get("id") is None:
            raise UnreadableInput(f"profile: characters[{i}] has no id")
        names = [item.get("name") or ""] + list(item.get("aliases") or [])
        characters.append(NamedCharacter(str(item["id"]), tuple(str(n) for n in names if n)))
    return characters


def predicted_mentions(profile: Mapping[str, Any]) -> list[PredictedMention]:
    mentions = []
    for i, item in enumerate(_items(profile, "mentions")):
        start, end = _span(item, f"mentions[{i}]")
        mentions.append(PredictedMention(start, end, _optional_id(item.get("character")), str(item.get("kind"))))
    return mentions


def predicted_quotes(profile: Mapping[str, Any]) -> list[PredictedQuote]:
    quotes = []
    for i, item in enumerate(_items(profile, "quotes")):
        start, end = _span(item, f"quotes[{i}]")
        if end > start:  # an empty span can overlap nothing
            quotes.append(PredictedQuote(start, end, _optional_id(item.get("speaker"))))
    return quotes


def first_character_by_span(mentions: Iterable[PredictedMention], kind: str) -> dict[tuple[int, int], str | None]:
    """Predicted mentions of one kind keyed by exact span; the first one wins a duplicate span.

    A span is one mention of one thing: if the pipeline emits the same span twice with
    different characters, scoring the first keeps each gold mention counted once.
    """
    by_span: dict[tuple[int, int], str | None] = {}
    for mention in mentions:
        if mention.kind == kind:
            by_span.setdefault((mention.start, mention.end), mention.character)
    return by_span


# ---------------------------------------------------------------------------------------------
# Characters → gold characters


def map_by_shared_mentions(
    shared: Iterable[tuple[str | None, str]], gold_name_counts: Mapping[str, int]
) -> dict[str, str]:
    """Map each predicted character to the gold entity it shares the most name mentions with.

    `shared` holds one (predicted character, gold entity) pair per gold name mention that a
    predicted name mention matched exactly. Ties go to the entity with more gold name mentions
    (the more prominent character is the likelier referent), then to the smaller entity label
    so that the result never depends on input order. A character sharing nothing stays unmapped.
    """
    counts: dict[str, Counter[str]] = {}
    for character, entity in shared:
        if character is not None:
            counts.setdefault(character, Counter())[entity] += 1
    mapping = {}
    for character, entities in counts.items():
        best = min(entities, key=lambda e: (-entities[e], -gold_name_counts.get(e, 0), e))
        mapping[character] = best
    return mapping


# Words that say what someone is, not who: sharing "Mr" or "the" says nothing about identity.
_NON_IDENTIFYING = frozenset(
    """mr mrs miss ms mx dr doctor sir lady lord dame madam madame mme mlle monsieur herr frau
    captain capt colonel col general major lieutenant sergeant professor prof rev reverend father
    mother aunt uncle cousin master mistress young old little st saint the a an of and de la von
    van le""".split()
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})


def normalise_name(name: str) -> str:
    """A name in the form two spellings of it share: 'Mr. Weston' and 'mr  Weston' → 'mr weston'."""
    text = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES).casefold()
    text = text.replace(".", " ")
    text = re.sub(r"[^\w'\-]+", " ", text)
    return " ".join(text.split())


def name_tokens(names: Iterable[str]) -> frozenset[str]:
    """The identifying words of a set of names (titles and articles dropped, possessives cut)."""
    tokens = set()
    for name in names:
        for token in normalise_name(name).replace("-", " ").split():
            token = token.removesuffix("'s").strip("'")
            if token and token not in _NON_IDENTIFYING:
                tokens.add(token)
    return frozenset(tokens)


@dataclass
class _GoldNames:
    character: NamedCharacter
    normalised: frozenset[str]
    tokens: frozenset[str]
    prominence: int


@dataclass
class NameMatcher:
    """Maps predicted characters to gold characters by their names (the PDNC rule).

    `prominence` (e.g. a gold character's number of quotes) breaks ties: "Bennet" alone is more
    likely the Mr Bennet who speaks 200 times than one who speaks twice.
    """

    gold: Sequence[NamedCharacter]
    prominence: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._gold = [
            _GoldNames(
                character=g,
                normalised=frozenset(normalise_name(n) for n in g.names if normalise_name(n)),
                tokens=name_tokens(g.names),
                prominence=self.prominence.get(g.id, 0),
            )
            for g in self.gold
        ]

    def match(self, predicted: NamedCharacter) -> str | None:
        """The gold id this predicted character stands for, or None when no name connects them."""
        names = [normalise_name(n) for n in predicted.names]
        main = names[0] if names else ""
        normalised = frozenset(n for n in names if n)
        tokens = name_tokens(predicted.names)
        best_key: tuple[Any, ...] | None = None
        best_id: str | None = None
        for order, gold in enumerate(self._gold):
            exact = len(normalised & gold.normalised)
            shared_tokens = len(tokens & gold.tokens)
            if not exact and not shared_tokens:
                continue
            union = len(tokens | gold.tokens)
            jaccard = shared_tokens / union if union else 0.0
            # Exact string matches outrank any token overlap; within a tier, more evidence wins.
            key = (exact > 0, main in gold.normalised, exact, jaccard, shared_tokens, gold.prominence, -order)
            if best_key is None or key > best_key:
                best_key, best_id = key, gold.character.id
        return best_id

    def map_all(self, predicted: Iterable[NamedCharacter]) -> dict[str, str]:
        mapping = {}
        for character in predicted:
            gold_id = self.match(character)
            if gold_id is not None:
                mapping[character.id] = gold_id
        return mapping


# ---------------------------------------------------------------------------------------------
# Gold quotes → predicted quotes


class QuoteFinder:
    """Finds, for a gold quote, the predicted quote that overlaps it most."""

    def __init__(self, quotes: Iterable[PredictedQuote]):
        self._quotes = sorted(quotes, key=lambda q: (q.start, q.end))
        self._starts = [q.start for q in self._quotes]
        # Running maximum of ends: once it falls to a query's start, no earlier quote can reach it.
        self._max_end: list[int] = []
        running = -1
        for q in self._quotes:
            running = max(running, q.end)
            self._max_end.append(running)

    def best_overlap(self, spans: Sequence[tuple[int, int]]) -> PredictedQuote | None:
        """The predicted quote sharing most characters with the union of `spans`.

        Ties go to the earlier predicted quote. None when nothing overlaps.
        """
        overlap: dict[int, int] = {}
        for start, end in spans:
            i = bisect.bisect_left(self._starts, end) - 1
            while i >= 0 and self._max_end[i] > start:
                quote = self._quotes[i]
                if quote.end > start:
                    overlap[i] = overlap.get(i, 0) + min(end, quote.end) - max(start, quote.start)
                i -= 1
        if not overlap:
            return None
        best = min(overlap, key=lambda i: (-overlap[i], i))
        return self._quotes[best]


# ---------------------------------------------------------------------------------------------
# Small metric containers


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when nothing was there to count (not a score of 0)."""
    return numerator / denominator if denominator else None


@dataclass
class Accuracy:
    """Gold items judged right/wrong, plus how many had any prediction at all."""

    total: int = 0
    correct: int = 0
    detected: int = 0

    @property
    def accuracy(self) -> float | None:
        return ratio(self.correct, self.total)

    @property
    def detection(self) -> float | None:
        return ratio(self.detected, self.total)

    def add(self, correct: bool, detected: bool) -> None:
        self.total += 1
        self.correct += bool(correct)
        self.detected += bool(detected)

    def __add__(self, other: "Accuracy") -> "Accuracy":
        return Accuracy(self.total + other.total, self.correct + other.correct, self.detected + other.detected)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "correct": self.correct,
            "detected": self.detected,
            "accuracy": self.accuracy,
            "detection_recall": self.detection,
        }


def fmt(value: float | None, width: int = 6) -> str:
    """A score as a right-aligned percentage; '—' when undefined."""
    return f"{'—' if value is None else f'{100 * value:.1f}':>{width}}"
