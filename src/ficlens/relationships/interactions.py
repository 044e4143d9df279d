"""Where two characters meet in the text: the passages a relationship can be read from.

A relationship is only as good as the passages it rests on, so this module does one thing:
for every pair of characters, collect the *scenes of contact* — a sentence in which both are
mentioned (by name, pronoun or kin phrase), or a quotation one of them says to the other — and
the cue words (lexicon hits) inside them. Typing the bond is `classify.py`'s job.

A sentence in which only the two of them appear speaks of the two of them, so all its cues
count. With a third person present, a cue says something about a pair only when it stands near
both of them: in "Kylo kissed you while Han watched" the kiss is next to Kylo and "you", not to
Han, and in a long flattened sentence a kiss forty words away from one of the two is someone
else's. So in such a sentence a cue counts for a pair when a mention of each lies within
`cue_window_chars` (a setting) characters of it, and its weight is divided by the number of other characters
present (`share`).

Dialogue is an interaction between its speaker and addressee only. Whoever a quotation merely
talks about ("he may fall in love with one of them", says Mrs. Bennet to her husband of
Bingley) does not meet either of them in it; and a cue in a quotation counts when it stands near
the speaker's "I" and the addressee's "you" ("I love you").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Mention, Profile
from ..spans import SpanIndex
from .settings import RelationshipSettings
from ..tags.lexicon import Hit

Pair = tuple[str, str]  # two Character.ids, sorted
DEFAULTS = RelationshipSettings()


def pair_of(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


@dataclass
class Contact:
    """One passage in which both characters of a pair take part."""

    start: int
    end: int
    kind: str  # "sentence" | "dialogue" | "kin"
    share: float  # 1.0 when the pair is alone in it, less when others share the passage
    cues: list[Hit] = field(default_factory=list)


@dataclass
class PairContacts:
    pair: Pair
    contacts: list[Contact] = field(default_factory=list)

    def cue_score(self, category: str) -> float:
        """Summed cue weight; one term repeated ("my dear" five times) counts at most twice."""
        by_term: dict[str, float] = {}
        cap: dict[str, float] = {}
        for weight, _, hit in self.cue_contacts(category):
            by_term[hit.term.text] = by_term.get(hit.term.text, 0.0) + weight
            cap[hit.term.text] = 2 * hit.weight
        return sum(min(total, cap[term]) for term, total in by_term.items())

    def distinct_terms(self, category: str) -> int:
        return len({hit.term.text for _, _, hit in self.cue_contacts(category)})

    def cue_contacts(self, category: str) -> list[tuple[float, Contact, Hit]]:
        """(weight, contact, hit) for every cue of `category`, strongest first."""
        found = [(hit.weight * c.share, c, hit) for c in self.contacts for hit in c.cues if hit.category == category]
        return sorted(found, key=lambda item: (-item[0], item[1].start))


def sentence_spans(chunks) -> list[tuple[int, int]]:
    """Sentence spans in `Work.text` offsets from the parsed story chunks."""
    spans = []
    for chunk in chunks:
        for sent in chunk.doc.sents:
            spans.append((chunk.offset + sent.start_char, chunk.offset + sent.end_char))
    return spans


def collect_contacts(
    profile: Profile, sentences: list[tuple[int, int]], cues: list[Hit], cue_window: int = DEFAULTS.cue_window_chars
) -> dict[Pair, PairContacts]:
    """Every pair's contacts: co-mention sentences plus quotations said by one to the other."""

    def _near(hit: Hit, starts: list[int]) -> bool:
        return any(abs(start - hit.start) <= cue_window for start in starts)

    mentions = SpanIndex(list(profile.mentions), lambda m: m.start)
    cue_index = SpanIndex(cues, lambda h: h.start)
    quotes = SpanIndex(list(profile.quotes), lambda q: q.start)
    pairs: dict[Pair, PairContacts] = {}

    def add(a: str, b: str, contact: Contact) -> None:
        key = pair_of(a, b)
        pairs.setdefault(key, PairContacts(key)).contacts.append(contact)

    for start, end in sentences:
        positions = _positions([m for m in mentions.within(start, end) if _meets(m, quotes.containing(m.start))])
        if len(positions) < 2:
            continue
        share = 1.0 / (len(positions) - 1)
        hits = cue_index.within(start, end)
        ordered = sorted(positions)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                near = (
                    hits
                    if len(positions) == 2
                    else [h for h in hits if _near(h, positions[a]) and _near(h, positions[b])]
                )
                add(a, b, Contact(start, end, "sentence", share, near))

    for quote in profile.quotes:
        if not quote.speaker:
            continue
        positions = _positions(mentions.within(quote.start, quote.end))
        hits = cue_index.within(quote.start, quote.end)
        for addressee in quote.addressees:
            if addressee and addressee != quote.speaker:
                share = 1.0 / len(quote.addressees)
                near = [
                    h
                    for h in hits
                    if _near(h, positions.get(quote.speaker, [])) and _near(h, positions.get(addressee, []))
                ]
                add(quote.speaker, addressee, Contact(quote.start, quote.end, "dialogue", share, near))
    for entry in pairs.values():
        entry.contacts = _drop_repeats(entry.contacts)
    return pairs


def _meets(mention: Mention, quote) -> bool:
    """In a quotation only its speaker and addressees meet; whoever it talks about does not."""
    return quote is None or mention.character == quote.speaker or mention.character in quote.addressees


def _positions(mentions: list[Mention]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for mention in mentions:
        found.setdefault(mention.character, []).append(mention.start)
    return found


def _drop_repeats(contacts: list[Contact]) -> list[Contact]:
    """A quotation inside a co-mention sentence is one contact, not two: keep the sentence (it
    holds the quotation's cues too) unless the quotation reaches beyond it."""
    sentences = SpanIndex([c for c in contacts if c.kind == "sentence"])
    kept = list(sentences)
    for contact in contacts:
        if contact.kind != "dialogue":
            continue
        sentence = sentences.started_by(contact.start)
        if sentence is None or sentence.end < contact.end:
            kept.append(contact)
    return sorted(kept, key=lambda c: c.start)
