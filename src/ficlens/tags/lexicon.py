"""Word lists for the content tags, matched on story text in one regex pass per list.

Ratings and warnings are judged from vocabulary, so the vocabulary lives in data files
(`data/lexicons/*.yaml`) that a reviewer can read and argue with, not in code. A list names
*categories* ("explicit", "strong", "graphic"…), each holding terms by weight. A term is written
once in its base form and expanded here into its inflections, so a list says "stab~v" instead of
stab, stabs, stabbed, stabbing; placeholders such as `<obj>` expand to the pronouns, so
"held <obj> down" covers him, her, them…

Words that only *look* like hits ("a dead battery", "killing time", "cocked his head") are
listed under the category `ignore`. They sit in the same alternation as real terms, and since
longer alternatives are tried first at each position, the harmless phrase swallows the word and
the hit is dropped: false-positive guards cost no second pass over the text.
"""

from __future__ import annotations

import functools
import inspect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Container, Iterable, Iterator

import yaml

from ..errors import FiclensError
from ..evidence import EXCERPT_CHARS, MAX_EVIDENCE, evidence_around, first_apart, part_at
from ..model import Evidence

IGNORE = "ignore"

# Placeholders a term may use; each expands to every listed word.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "obj": ("him", "her", "them", "me", "you", "us"),
    "poss": ("his", "her", "their", "my", "your", "its", "our"),
    "self": ("himself", "herself", "themselves", "myself", "yourself"),
    "age": tuple(
        [str(n) for n in range(1, 18)]
        + "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen".split()
    ),
    "teen_age": tuple(
        [str(n) for n in range(10, 18)] + "ten eleven twelve thirteen fourteen fifteen sixteen seventeen".split()
    ),
    "teen_ordinal": tuple(
        "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth".split()
        + [f"{n}th" for n in range(10, 18)]
    ),
}

# Verbs whose past forms no suffix rule gives.
IRREGULAR_VERBS: dict[str, tuple[str, ...]] = {
    "make": ("made",),
    "have": ("has", "had", "having"),
    "sleep": ("slept",),
    "bleed": ("bled",),
    "beat": ("beaten",),
    "break": ("broke", "broken"),
    "tear": ("tore", "torn"),
    "hold": ("held",),
    "fight": ("fought",),
    "shoot": ("shot",),
    "slit": ("slit",),
    "cut": ("cut",),
    "hit": ("hit",),
    "come": ("came",),
    "take": ("took", "taken"),
    "go": ("goes", "went", "gone"),
    "lie": ("lay", "lain", "lying", "lies"),
    "die": ("dies", "died", "dying"),
    "spill": ("spilt",),
    "strike": ("struck", "stricken"),
    "thrust": ("thrust",),
    "burn": ("burnt",),
    "stick": ("stuck",),
    "bite": ("bit", "bitten"),
    "ride": ("rode", "ridden"),
    "grind": ("ground",),
    "undo": ("undid", "undone"),
    "blow": ("blew", "blown"),
    "give": ("gave", "given"),
    "rip": ("ripped", "ripping"),
    "slam": ("slammed", "slamming"),
    "stab": ("stabbed", "stabbing"),
    "strip": ("stripped", "stripping"),
    "grab": ("grabbed", "grabbing"),
    "pin": ("pinned", "pinning"),
    "rub": ("rubbed", "rubbing"),
}

_VOWELS = "aeiou"


class LexiconError(FiclensError):
    """A shipped or user lexicon file is malformed (a packaging bug, not bad input)."""


def inflect_verb(base: str) -> tuple[str, ...]:
    """Regular inflections of an English verb plus any irregular forms we list."""
    forms = {base}
    if base.endswith("e") and not base.endswith("ee"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith("y") and len(base) > 2 and base[-2] not in _VOWELS:
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {base + "es", base + "ed", base + "ing"}
    else:
        forms |= {base + "s", base + "ed", base + "ing"}
    forms |= set(IRREGULAR_VERBS.get(base, ()))
    return tuple(sorted(forms))


def inflect_noun(base: str) -> tuple[str, ...]:
    if base.endswith(("s", "x", "z", "ch", "sh")):
        return (base, base + "es")
    if base.endswith("y") and len(base) > 2 and base[-2] not in _VOWELS:
        return (base, base[:-1] + "ies")
    return (base, base + "s")


def expand_term(term: str) -> list[str]:
    """Every surface form of a lexicon term: inflections (`word~v`, `word~n`) × placeholders."""
    variants: list[list[str]] = [[]]
    for word in term.split():
        if word.endswith("~v"):
            options = inflect_verb(word[:-2])
        elif word.endswith("~n"):
            options = inflect_noun(word[:-2])
        elif word.startswith("<") and word.endswith(">"):
            key = word[1:-1]
            if key not in PLACEHOLDERS:
                raise LexiconError(f"unknown placeholder {word} in lexicon term {term!r}")
            options = PLACEHOLDERS[key]
        else:
            options = (word,)
        variants = [v + [o] for v in variants for o in options]
    return [" ".join(v).lower() for v in variants]


def normalize(surface: str) -> str:
    """The key a matched surface form is looked up by: lower case, single spaces, plain apostrophes."""
    return " ".join(surface.replace("’", "'").lower().split())


@dataclass(frozen=True)
class Term:
    """One lexicon entry after expansion: the category it counts for and how much."""

    text: str  # the term as written in the data file, e.g. "stab~v"
    category: str
    weight: float
    lowercase_only: bool = False  # "dick" the word, not Dick Grayson


@dataclass(frozen=True)
class Hit:
    """One occurrence of a lexicon term in `Work.text`."""

    start: int
    end: int
    term: Term

    @property
    def category(self) -> str:
        return self.term.category

    @property
    def weight(self) -> float:
        return self.term.weight


@dataclass
class Lexicon:
    name: str
    forms: dict[str, Term]  # normalized surface form → term
    pattern: re.Pattern

    def find(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Hits in text[start:end], offsets into `text`; guards (`ignore`) are consumed, not yielded."""
        for m in self.pattern.finditer(text, start, len(text) if end is None else end):
            term = self.forms.get(normalize(m.group()))
            if term is None or term.category == IGNORE:
                continue
            if term.lowercase_only and not m.group().islower():
                continue
            yield Hit(m.start(), m.end(), term)


_SEPARATOR = r"(?:\s*,\s*|[\s\-]+)"  # between words: spaces, a hyphen ("sixteen-year-old"), a comma ("no, stop")


def _char_regex(ch: str) -> str:
    if ch == " ":
        return _SEPARATOR
    if ch == "'":
        return "['’]"
    return re.escape(ch)


def trie_regex(forms: list[str]) -> str:
    """One regex matching any of `forms`, with shared prefixes factored out.

    A flat alternation of a thousand phrases is tried phrase by phrase at every character of the
    text; the trie tries each distinct prefix once, which makes a scan of a novel take tenths of a
    second instead of seconds. Quantifiers are greedy, so at a given start the longest form that
    fits wins, as the guards need."""
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        terminal = "" in node
        branches = [_char_regex(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if terminal:
            return "(?:" + body + ")?"
        return body

    return emit(trie)


def build_lexicon(name: str, data: dict) -> Lexicon:
    """A lexicon from its parsed YAML: {categories: {category: {weight: [terms]}}, lowercase_only: [...]}."""
    categories = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(categories, dict):
        raise LexiconError(f"lexicon {name!r}: missing 'categories' mapping")
    lowercase_only = {t.lower() for t in data.get("lowercase_only", [])}
    forms: dict[str, Term] = {}
    for category, by_weight in categories.items():
        if not isinstance(by_weight, dict):
            raise LexiconError(f"lexicon {name!r}: category {category!r} must map weights to term lists")
        for weight, terms in by_weight.items():
            for text in terms or []:
                term = Term(str(text), str(category), float(weight), str(text).lower() in lowercase_only)
                for form in expand_term(str(text)):
                    key = normalize(form)
                    # A guard always wins; otherwise the heavier reading of a form is kept.
                    old = forms.get(key)
                    if old is None or term.category == IGNORE or (old.category != IGNORE and term.weight > old.weight):
                        forms[key] = term
    if not forms:
        raise LexiconError(f"lexicon {name!r} has no terms")
    pattern = re.compile(r"(?<!\w)(?:" + trie_regex(list(forms)) + r")(?!\w)", re.IGNORECASE)
    return Lexicon(name=name, forms=forms, pattern=pattern)


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> Lexicon:
    """The shipped lexicon `data/lexicons/<name>.yaml` (cached: lexicons are immutable)."""
    resource = resources.files("ficlens") / "data" / "lexicons" / f"{name}.yaml"
    try:
        data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LexiconError(f"no shipped lexicon named {name!r}") from None
    except yaml.YAMLError as exc:
        raise LexiconError(f"lexicon {name!r} is not valid YAML: {exc}") from None
    return build_lexicon(name, data)


# --- matching lexicons on a work's story ---------------------------------------------------------

LEXICON_NAMES = ("sexual", "profanity", "violence", "death", "noncon", "underage")


@dataclass
class StoryScan:
    """Every lexicon hit in the story parts of one work, computed once and shared by the tag
    components (so rating and warnings together still make one regex pass per lexicon)."""

    text: str
    words: int
    hits: dict[str, list[Hit]]
    part_bounds: list[tuple[int, int]]  # (start, end) of each story part, in order
    quote_index: Container[int] | None = None  # quotes.detect.QuoteIndex, when the quotes step ran
    # Judgements several components ask of the same story (see `memoised_on_scan`).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def in_dialogue(self, offset: int) -> bool:
        return self.quote_index is not None and offset in self.quote_index

    def evidence(self, start: int, end: int, limit: int = EXCERPT_CHARS) -> Evidence:
        """`Evidence` around text[start:end], kept inside its story part."""
        return evidence_around(self.text, start, end, part_at(self.part_bounds, start, len(self.text)), limit)

    def evidence_for(self, spans: Iterable[Any], count: int = MAX_EVIDENCE) -> list[Evidence]:
        """Evidence for the first `count` of `spans` (hits or signals, best first) whose excerpts
        do not overlap."""
        return first_apart((self.evidence(s.start, s.end) for s in spans), count)


def memoised_on_scan(judge):
    """Compute `judge(scan, *settings)` once per scan and settings: rating, warnings,
    relationships and additional tags all ask how sexual or violent the same story is. The
    arguments after the scan must be hashable (frozen settings); a call that leaves them to their
    defaults shares the result of one that passes the same values. The result is shared, so
    treat it as read-only."""
    signature = inspect.signature(judge)

    @functools.wraps(judge)
    def once(scan: StoryScan, *args):
        bound = signature.bind(scan, *args)
        bound.apply_defaults()
        key = (judge.__qualname__, *list(bound.arguments.values())[1:])
        if key not in scan.memo:
            scan.memo[key] = judge(*bound.args)
        return scan.memo[key]

    return once


def scan_work(work, quote_index=None, words: int | None = None) -> StoryScan:
    """Run every tag lexicon over the story parts of `work` (notes and summaries never count)."""
    bounds = [(p.start, p.end) for p in work.story_parts()]
    if words is None or words <= 0:
        words = sum(len(re.findall(r"\w+", work.text[s:e])) for s, e in bounds)
    hits: dict[str, list[Hit]] = {}
    for name in LEXICON_NAMES:
        lexicon = load_lexicon(name)
        hits[name] = [hit for start, end in bounds for hit in lexicon.find(work.text, start, end)]
    return StoryScan(text=work.text, words=words, hits=hits, part_bounds=bounds, quote_index=quote_index)


def story_scan(analysis) -> StoryScan:
    """The scan of `analysis.work`, made on first use and kept in `analysis.layers.tag_scan`."""
    scan = analysis.layers.tag_scan
    if scan is None:
        quote_index = analysis.layers.quote_index if analysis.layers.has("quote_index") else None
        scan = scan_work(analysis.work, quote_index, getattr(analysis.profile.stats, "words", None))
        analysis.layers.tag_scan = scan
    return scan
