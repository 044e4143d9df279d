"""Scoring a profile against LitBank: names, character clusters, pronouns, quote speakers.

LitBank (Bamman et al.) annotates ~2,000 words of 80-100 public-domain novels. We read two of its
layers, both keyed to the same tokenised text file:

* `coref/brat/<doc>.ann` — each mention appears twice, on two `T` lines with the same span: once
  with its category (`T12<TAB>PROP_PER 69 84<TAB>Lord Chancellor`) and once with its coreference
  chain as the "type" (`T384<TAB>Lord_Chancellor-2 69 84<TAB>Lord Chancellor`). We join the two
  by span. `R` lines join a copula or apposition attribute, which has a category but no chain,
  to another mention (`R1<TAB>appos Arg1:T100 Arg2:T99`); the attribute takes that chain.
* `quotations/tsv/<doc>.ann` — `QUOTE<TAB>id<TAB>sent<TAB>tok<TAB>sent<TAB>tok<TAB>text` with
  sentences = lines of the .txt and tokens = its space-separated words (end token inclusive),
  and `ATTRIB<TAB>id<TAB>chain` naming the speaker by the same chain labels as the coref layer.

The metric definitions are in docs/evaluation.md; this module is their executable form.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from ..errors import InputNotFound, UnreadableInput
from .harness import analyse_or_empty, profile_text_differs, read_gold_text
from .mapping import (
    Accuracy,
    QuoteFinder,
    first_character_by_span,
    fmt,
    map_by_shared_mentions,
    predicted_mentions,
    predicted_quotes,
    ratio,
)
from .split import in_split

log = logging.getLogger(__name__)

NAME = "PROP_PER"
PRONOUN = "PRON_PER"
_CATEGORY = re.compile(r"(PROP|NOM|PRON)_(PER|FAC|GPE|LOC|ORG|VEH)")
_SPAN = re.compile(r"(\S+) (\d+) (\d+)")

Span = tuple[int, int]


# ---------------------------------------------------------------------------------------------
# Gold data


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    category: str  # e.g. "PROP_PER", "PRON_PER", "NOM_FAC"
    entity: str | None  # the coreference chain label; None for a mention joined to no chain


@dataclass(frozen=True)
class GoldQuote:
    id: str
    start: int
    end: int
    speaker: str | None  # a chain label of the coref layer


@dataclass
class LitBankDoc:
    id: str
    txt_path: Path
    text: str
    mentions: list[GoldMention] = field(default_factory=list)
    quotes: list[GoldQuote] = field(default_factory=list)

    def of_category(self, category: str) -> list[GoldMention]:
        return [m for m in self.mentions if m.category == category]


def parse_coref_ann(ann: str, text: str, source: str) -> list[GoldMention]:
    """Mentions of a coref-layer brat file, each with its category and chain.

    A copula or apposition attribute ("the artist himself, [Basil Hallward]") is in no chain of
    its own, yet it names the same person as the mention it is joined to; it takes that
    mention's chain, so that naming a character there is not scored as a separate character.
    """
    categories: dict[Span, str] = {}
    chains: dict[Span, str] = {}
    spans_by_id: dict[str, Span] = {}
    links: list[tuple[str, str]] = []
    for number, line in enumerate(ann.splitlines(), 1):
        fields = line.split("\t")
        if line.startswith("R"):
            args = [a.split(":", 1)[-1] for a in fields[1].split(" ")[1:]] if len(fields) >= 2 else []
            if len(args) != 2:
                raise UnreadableInput(f"{source}:{number}: not a brat relation line: {line[:60]!r}")
            links.append((args[0], args[1]))
            continue
        if not line.startswith("T"):
            continue  # notes and anything else carry no mention
        match = _SPAN.fullmatch(fields[1]) if len(fields) >= 2 else None
        if match is None:
            raise UnreadableInput(f"{source}:{number}: not a brat text-bound line: {line[:60]!r}")
        label, start, end = match.group(1), int(match.group(2)), int(match.group(3))
        if not 0 <= start < end <= len(text):
            raise UnreadableInput(f"{source}:{number}: span {start}-{end} outside the {len(text)}-character text")
        spans_by_id[fields[0]] = (start, end)
        target = categories if _CATEGORY.fullmatch(label) else chains
        target.setdefault((start, end), label)  # one span, one category: the first line wins
    stray = set(chains) - set(categories)
    if stray:
        start, end = min(stray)
        raise UnreadableInput(f"{source}: chain mention at {start}-{end} has no category line")
    linked = [(spans_by_id[a], spans_by_id[b]) for a, b in links if a in spans_by_id and b in spans_by_id]
    changed = True
    while changed:  # attributes of attributes ("X, Y, Z") reach a chain in a few passes
        changed = False
        for first, second in linked:
            for attribute, anchor in ((first, second), (second, first)):
                if attribute not in chains and anchor in chains:
                    chains[attribute] = chains[anchor]
                    changed = True
    return [GoldMention(s, e, category, chains.get((s, e))) for (s, e), category in sorted(categories.items())]


def parse_quotations_tsv(tsv: str, text: str, source: str) -> list[GoldQuote]:
    """Quotations with speakers; token positions are turned into character offsets of `text`."""
    lines = text.split("\n")
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line) + 1)
    token_spans: dict[int, list[Span]] = {}

    def char_span(sentence: int, token: int, number: int) -> Span:
        if not 0 <= sentence < len(lines):
            raise UnreadableInput(f"{source}:{number}: sentence {sentence} not in the text ({len(lines)} lines)")
        if sentence not in token_spans:
            spans, offset = [], line_starts[sentence]
            for word in lines[sentence].split(" "):
                spans.append((offset, offset + len(word)))
                offset += len(word) + 1
            token_spans[sentence] = spans
        spans = token_spans[sentence]
        if not 0 <= token < len(spans):
            raise UnreadableInput(f"{source}:{number}: token {token} not in sentence {sentence}")
        return spans[token]

    quotes: dict[str, Span] = {}
    speakers: dict[str, str] = {}
    for number, line in enumerate(tsv.splitlines(), 1):
        fields = line.split("\t")
        try:
            if fields[0] == "QUOTE":
                s1, t1, s2, t2 = (int(f) for f in fields[2:6])
                quotes[fields[1]] = (char_span(s1, t1, number)[0], char_span(s2, t2, number)[1])
            elif fields[0] == "ATTRIB":
                speakers[fields[1]] = fields[2]
        except (IndexError, ValueError):
            raise UnreadableInput(f"{source}:{number}: malformed {fields[0]} line") from None
    return [
        GoldQuote(quote_id, start, end, speakers.get(quote_id))
        for quote_id, (start, end) in sorted(quotes.items(), key=lambda item: item[1])
    ]


def load_litbank(dir: Path) -> list[LitBankDoc]:
    """Every document of a LitBank root (`coref/brat/*.ann` + `.txt`, optional `quotations/tsv/`)."""
    root = Path(dir)
    brat = root / "coref" / "brat"
    if not root.exists():
        raise InputNotFound(f"{root}: no such directory")
    if not brat.is_dir():
        raise UnreadableInput(f"{root}: not a LitBank root (no coref/brat/ folder)")
    quotations = root / "quotations" / "tsv"
    if not quotations.is_dir():
        log.warning("%s: no quotations/tsv/ folder; quotation scores will be empty", root)
    docs = []
    for ann_path in sorted(brat.glob("*.ann")):
        txt_path = ann_path.with_suffix(".txt")
        if not txt_path.is_file():
            raise UnreadableInput(f"{ann_path}: no .txt beside it")
        text = read_gold_text(txt_path)
        doc = LitBankDoc(ann_path.stem, txt_path, text, parse_coref_ann(read_gold_text(ann_path), text, str(ann_path)))
        quote_path = quotations / ann_path.name
        if quote_path.is_file():
            doc.quotes = parse_quotations_tsv(read_gold_text(quote_path), text, str(quote_path))
        docs.append(doc)
    if not docs:
        raise UnreadableInput(f"{brat}: no .ann files")
    return docs


# ---------------------------------------------------------------------------------------------
# Scores


@dataclass
class PRF:
    """Exact-span detection counts."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0

    @property
    def precision(self) -> float | None:
        return ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float | None:
        return ratio(self.matched, self.gold)

    @property
    def f1(self) -> float | None:
        # 2TP/(P+G): the harmonic mean when both are defined, 0 when one side is empty.
        return ratio(2 * self.matched, self.predicted + self.gold)

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.gold + other.gold, self.predicted + other.predicted, self.matched + other.matched)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass
class B3:
    """Sums of per-mention B3 precision and recall, kept as sums so documents add up (micro)."""

    precision_sum: float = 0.0
    precision_mentions: int = 0
    recall_sum: float = 0.0
    recall_mentions: int = 0

    @property
    def precision(self) -> float | None:
        return ratio(self.precision_sum, self.precision_mentions)

    @property
    def recall(self) -> float | None:
        return ratio(self.recall_sum, self.recall_mentions)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None
        p, r = p or 0.0, r or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "B3") -> "B3":
        return B3(
            self.precision_sum + other.precision_sum,
            self.precision_mentions + other.precision_mentions,
            self.recall_sum + other.recall_sum,
            self.recall_mentions + other.recall_mentions,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "precision_mentions": self.precision_mentions,
            "recall_mentions": self.recall_mentions,
        }


def b3(gold: Mapping[Span, Any], predicted: Mapping[Span, Any]) -> B3:
    """B3 of two clusterings given as span → cluster label (Bagga & Baldwin, CoNLL-scorer style).

    Precision averages over predicted mentions, recall over gold mentions; a mention missing
    from the other side ("twinless") has an empty cluster there and scores 0. With both sides
    restricted to the same mentions this is plain B3.
    """
    both = Counter((gold[s], predicted[s]) for s in gold.keys() & predicted.keys())
    gold_sizes = Counter(gold.values())
    predicted_sizes = Counter(predicted.values())
    score = B3(precision_mentions=len(predicted), recall_mentions=len(gold))
    for (g, p), shared in both.items():
        # each of the `shared` mentions contributes shared/|its cluster| on each side
        score.precision_sum += shared * shared / predicted_sizes[p]
        score.recall_sum += shared * shared / gold_sizes[g]
    return score


@dataclass
class LitBankDocScore:
    doc_id: str
    names: PRF = field(default_factory=PRF)
    b3_matched: B3 = field(default_factory=B3)  # over gold ∩ predicted name mentions
    b3_all: B3 = field(default_factory=B3)  # over all gold and all predicted name mentions
    pronouns: Accuracy = field(default_factory=Accuracy)
    quotes: Accuracy = field(default_factory=Accuracy)
    # the quotes whose speaker has a name in the document: the only ones the mapping can reach
    quotes_named: Accuracy = field(default_factory=Accuracy)
    mapped_characters: int = 0
    text_mismatch: bool = False
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc_id,
            "names": self.names.to_dict(),
            "b3_matched": self.b3_matched.to_dict(),
            "b3_all": self.b3_all.to_dict(),
            "pronouns": self.pronouns.to_dict(),
            "quotes": self.quotes.to_dict(),
            "quotes_named_speaker": self.quotes_named.to_dict(),
            "mapped_characters": self.mapped_characters,
            "text_mismatch": self.text_mismatch,
            "error": self.error,
        }


def score_litbank_doc(doc: LitBankDoc, profile: dict[str, Any]) -> LitBankDocScore:
    """Score one profile (offsets into doc.text) against one LitBank document."""
    score = LitBankDocScore(doc.id)
    score.text_mismatch = profile_text_differs(profile, doc.text, doc.id)
    mentions = predicted_mentions(profile)
    predicted_names = first_character_by_span(mentions, "name")
    predicted_pronouns = first_character_by_span(mentions, "pronoun")

    gold_names = {(m.start, m.end): m for m in doc.of_category(NAME)}
    # A name outside every chain is a cluster of its own.
    gold_clusters = {span: m.entity if m.entity is not None else ("singleton", span) for span, m in gold_names.items()}
    matched = gold_names.keys() & predicted_names.keys()
    score.names = PRF(len(gold_names), len(predicted_names), len(matched))
    # A name mention the pipeline gave no character is likewise a cluster of its own.
    predicted_clusters = {span: c if c is not None else ("unlinked", span) for span, c in predicted_names.items()}
    score.b3_all = b3(gold_clusters, predicted_clusters)
    score.b3_matched = b3({s: gold_clusters[s] for s in matched}, {s: predicted_clusters[s] for s in matched})

    entity_names = Counter(m.entity for m in gold_names.values() if m.entity is not None)
    shared = ((predicted_names[s], gold_names[s].entity) for s in sorted(matched))
    mapping = map_by_shared_mentions(((c, e) for c, e in shared if e is not None), entity_names)
    score.mapped_characters = len(mapping)

    for mention in doc.of_category(PRONOUN):
        if mention.entity not in entity_names:
            continue  # only pronouns of named characters can be judged through the name mapping
        span = (mention.start, mention.end)
        detected = span in predicted_pronouns
        character = predicted_pronouns.get(span)
        score.pronouns.add(detected and character is not None and mapping.get(character) == mention.entity, detected)

    finder = QuoteFinder(predicted_quotes(profile))
    for quote in doc.quotes:
        if quote.speaker is None:
            continue
        found = finder.best_overlap([(quote.start, quote.end)])
        right = found is not None and found.speaker is not None and mapping.get(found.speaker) == quote.speaker
        score.quotes.add(right, found is not None)
        if quote.speaker in entity_names:
            score.quotes_named.add(right, found is not None)
    return score


# ---------------------------------------------------------------------------------------------
# Whole runs


def _micro_total(score_name: str, zero: Callable[[], Any]) -> property:
    """A run's total of one document score: the documents' counts summed (micro-averaged), so
    that a document weighs by how much gold it holds, not one document one vote."""
    return property(lambda report: sum((getattr(doc, score_name) for doc in report.docs), zero()))


@dataclass
class LitBankReport:
    docs: list[LitBankDocScore] = field(default_factory=list)

    names = _micro_total("names", PRF)
    b3_matched = _micro_total("b3_matched", B3)
    b3_all = _micro_total("b3_all", B3)
    pronouns = _micro_total("pronouns", Accuracy)
    quotes = _micro_total("quotes", Accuracy)
    quotes_named = _micro_total("quotes_named", Accuracy)

    def to_dict(self) -> dict[str, Any]:
        return {
            "benchmark": "litbank",
            "documents": len(self.docs),
            "failed": [{"doc": d.doc_id, "error": d.error} for d in self.docs if d.error],
            "totals": {
                "names": self.names.to_dict(),
                "b3_matched": self.b3_matched.to_dict(),
                "b3_all": self.b3_all.to_dict(),
                "pronouns": self.pronouns.to_dict(),
                "quotes": self.quotes.to_dict(),
                "quotes_named_speaker": self.quotes_named.to_dict(),
            },
            "docs": [d.to_dict() for d in self.docs],
        }

    def to_text(self) -> str:
        header = (
            f"{'document':<32} {'nameP':>6} {'nameR':>6} {'nameF':>6} {'B3P':>6} {'B3R':>6} {'B3F':>6} "
            f"{'B3F*':>6} {'pron':>6} {'n':>5} {'qSpk':>6} {'qNam':>6} {'qDet':>6} {'n':>5}"
        )
        rows = ["LitBank: characters, pronouns and quote speakers (scores in %)", header, "-" * len(header)]

        def row(label: str, s: Any) -> str:
            return (
                f"{label:<32} {fmt(s.names.precision)} {fmt(s.names.recall)} {fmt(s.names.f1)} "
                f"{fmt(s.b3_matched.precision)} {fmt(s.b3_matched.recall)} {fmt(s.b3_matched.f1)} "
                f"{fmt(s.b3_all.f1)} {fmt(s.pronouns.accuracy)} {s.pronouns.total:>5} "
                f"{fmt(s.quotes.accuracy)} {fmt(s.quotes_named.accuracy)} {fmt(s.quotes.detection)} "
                f"{s.quotes.total:>5}"
            )

        for doc in self.docs:
            label = doc.doc_id.removesuffix("_brat")
            label = label if len(label) <= 31 else label[:30] + "…"
            rows.append(row(label + ("!" if doc.error else ""), doc))
        rows.append("-" * len(header))
        rows.append(row(f"TOTAL (micro, {len(self.docs)} docs)", self))
        rows += [
            "name = PROP_PER mentions, exact span; B3 = clusters over the name mentions both sides found;",
            "B3F* = B3 over all gold and predicted name mentions; pron = pronouns of named characters;",
            "qSpk = quote speaker accuracy; qNam = the same over quotes whose speaker has a name in the",
            "document; qDet = quotes overlapped by a predicted quote. See docs/evaluation.md.",
        ]
        for doc in self.docs:
            if doc.error:
                rows.append(f"! {doc.doc_id}: {doc.error}")
        return "\n".join(rows) + "\n"


def evaluate_litbank(
    dir: Path, analyze: Callable[[Path], dict[str, Any]], limit: int | None = None, split: str | None = None
) -> LitBankReport:
    """Analyse each LitBank text with `analyze` and score it.

    A document that `analyze` cannot handle (a FiclensError) is scored as an empty prediction
    and flagged, so that totals never look better for the documents that failed.
    """
    docs = [doc for doc in load_litbank(dir) if in_split(doc.id, split)]  # tune / check: eval/split.py
    if limit is not None:
        docs = docs[: max(limit, 0)]
    report = LitBankReport()
    for doc in docs:
        profile, error = analyse_or_empty(analyze, doc.id, doc.txt_path)
        score = score_litbank_doc(doc, profile)
        score.error = error
        report.docs.append(score)
    return report
