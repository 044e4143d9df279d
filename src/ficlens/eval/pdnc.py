"""Scoring quote attribution against PDNC, the Project Dialogism Novel Corpus.

PDNC annotates every quotation of whole novels with its speaker. Each novel is a folder of three
files; the corpus README calls them text.txt / quotations.csv, but the files are:

* `novel_text.txt` — the novel (the distributed files are ASCII, so the "byte" spans below are
  character offsets too; we read the file as UTF-8 and treat spans as character offsets);
* `quotation_info.csv` — one row per quotation: `quoteID`, `quoteByteSpans` (a list of
  [start, end) spans, one per sub-quotation when narration interrupts the quote), `speaker` (a
  character's main name *or one of its aliases*), `quoteType` (Explicit / Anaphoric / Implicit);
* `character_info.csv` — `Character ID`, `Main Name`, `Aliases` (a Python set or list literal),
  `Gender` (F / M / U unknown / X not annotated), `Category`.

The metric definitions are in docs/evaluation.md.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import logging
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from ..errors import InputNotFound, UnreadableInput
from .harness import analyse_or_empty, profile_text_differs, read_gold_text
from .mapping import (
    Accuracy,
    NamedCharacter,
    NameMatcher,
    QuoteFinder,
    fmt,
    normalise_name,
    predicted_characters,
    predicted_quotes,
)
from .split import in_split

log = logging.getLogger(__name__)

QUOTE_TYPES = ("Explicit", "Anaphoric", "Implicit")
UNKNOWN_TYPE = "Unknown"
_GENDERS = {"F": "female", "M": "male"}
_TEXT, _QUOTES, _CAST = "novel_text.txt", "quotation_info.csv", "character_info.csv"


# ---------------------------------------------------------------------------------------------
# Gold data


@dataclass(frozen=True)
class PDNCCharacter:
    id: str
    name: str
    aliases: tuple[str, ...]
    gender: str  # "female" | "male" | "unknown"
    category: str  # "major" | "intermediate" | "minor" (as annotated)

    def named(self) -> NamedCharacter:
        return NamedCharacter(self.id, (self.name, *self.aliases))


@dataclass(frozen=True)
class PDNCQuote:
    id: str
    spans: tuple[tuple[int, int], ...]
    speaker: str | None  # PDNCCharacter.id; None when the speaker name matches no character
    speaker_name: str
    type: str  # one of QUOTE_TYPES, or UNKNOWN_TYPE


@dataclass
class PDNCNovel:
    id: str
    text_path: Path
    text: str
    characters: list[PDNCCharacter] = field(default_factory=list)
    quotes: list[PDNCQuote] = field(default_factory=list)


def _read_utf8(path: Path) -> str:
    # utf-8-sig: a byte-order mark would otherwise become part of the first CSV column's name.
    return read_gold_text(path, encoding="utf-8-sig")


def _rows(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(_read_utf8(path), newline=""))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise UnreadableInput(f"{path}: missing column(s) {', '.join(missing)}")
    try:
        return list(reader)
    except csv.Error as exc:
        raise UnreadableInput(f"{path}: malformed CSV: {exc}") from None


def _literal(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        pass
    try:
        return ast.literal_eval(value)  # literals only: PDNC writes Python sets and lists
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def parse_characters(path: Path) -> list[PDNCCharacter]:
    characters = []
    for row in _rows(path, ("Character ID", "Main Name", "Aliases")):
        name = row["Main Name"].strip()
        raw_aliases = _literal(row["Aliases"] or "[]")
        if not isinstance(raw_aliases, (list, set, tuple)):
            log.warning("%s: character %s: unreadable aliases, ignored", path, name)
            raw_aliases = []
        aliases = tuple(sorted({str(a).strip() for a in raw_aliases} - {name, ""}))
        characters.append(
            PDNCCharacter(
                id=row["Character ID"].strip(),
                name=name,
                aliases=aliases,
                gender=_GENDERS.get((row.get("Gender") or "").strip().upper(), "unknown"),
                category=(row.get("Category") or "").strip(),
            )
        )
    return characters


def _speaker_index(characters: list[PDNCCharacter]) -> dict[str, str]:
    """Speaker string → character id: main names first, then aliases that name one character only.

    PDNC's `speaker` column holds the main name for most quotes but an alias for some ("Lucy").
    """
    index: dict[str, str] = {}
    for level in (
        lambda c: [c.name],
        lambda c: list(c.aliases),
        lambda c: [normalise_name(n) for n in (c.name, *c.aliases)],
    ):
        owners: dict[str, set[str]] = {}
        for character in characters:
            for key in level(character):
                owners.setdefault(key, set()).add(character.id)
        for key, ids in owners.items():
            if len(ids) == 1:
                index.setdefault(key, next(iter(ids)))
    return index


def parse_quotes(path: Path, characters: list[PDNCCharacter], text_length: int) -> list[PDNCQuote]:
    index = _speaker_index(characters)
    quotes = []
    for number, row in enumerate(_rows(path, ("quoteID", "quoteByteSpans", "speaker", "quoteType")), 2):
        spans = _literal(row["quoteByteSpans"])
        try:
            spans = tuple((int(s), int(e)) for s, e in spans)
        except (TypeError, ValueError):
            raise UnreadableInput(f"{path}: row {number}: quoteByteSpans is not a list of [start, end]") from None
        if not spans or any(not 0 <= s <= e <= text_length for s, e in spans):
            raise UnreadableInput(f"{path}: row {number}: quote span outside the {text_length}-character text")
        speaker_name = row["speaker"].strip()
        speaker = index.get(speaker_name) or index.get(normalise_name(speaker_name))
        quote_type = row["quoteType"].strip().capitalize()
        quotes.append(
            PDNCQuote(
                id=row["quoteID"],
                spans=spans,
                speaker=speaker,
                speaker_name=speaker_name,
                type=quote_type if quote_type in QUOTE_TYPES else UNKNOWN_TYPE,
            )
        )
    unresolved = Counter(q.speaker_name for q in quotes if q.speaker is None)
    if unresolved:
        count = sum(unresolved.values())
        log.warning("%s: %d quote(s) name a speaker not in the cast: %s", path, count, dict(unresolved))
    return quotes


def load_novel(folder: Path) -> PDNCNovel:
    for name in (_TEXT, _QUOTES, _CAST):
        if not (folder / name).is_file():
            raise UnreadableInput(f"{folder}: no {name}")
    text = _read_utf8(folder / _TEXT)
    characters = parse_characters(folder / _CAST)
    quotes = parse_quotes(folder / _QUOTES, characters, len(text))
    return PDNCNovel(folder.name, folder / _TEXT, text, characters, quotes)


def load_pdnc(dir: Path) -> list[PDNCNovel]:
    """Every novel under `dir`: a folder of novel folders, or one novel folder itself."""
    root = Path(dir)
    if not root.exists():
        raise InputNotFound(f"{root}: no such directory")
    if not root.is_dir():
        raise UnreadableInput(f"{root}: not a directory of PDNC novels")
    if (root / _TEXT).is_file():
        return [load_novel(root)]
    novels = [load_novel(folder) for folder in sorted(root.iterdir()) if (folder / _TEXT).is_file()]
    if not novels:
        raise UnreadableInput(f"{root}: no PDNC novel folders (folders holding {_TEXT})")
    return novels


def cast_yaml(novel: PDNCNovel) -> str:
    """The novel's cast as a ficlens cast file, so `--characters` runs start from the gold cast."""
    cast = {"characters": [{"name": c.name, "aliases": list(c.aliases), "gender": c.gender} for c in novel.characters]}
    return yaml.safe_dump(cast, sort_keys=False, allow_unicode=True, default_flow_style=None, width=10_000)


# ---------------------------------------------------------------------------------------------
# Scores


@dataclass
class PDNCNovelScore:
    novel_id: str
    quotes: Accuracy = field(default_factory=Accuracy)
    by_type: dict[str, Accuracy] = field(default_factory=dict)
    unresolved_speakers: int = 0  # gold quotes left out: their speaker is not in the cast
    mapped_characters: int = 0
    predicted_characters: int = 0
    text_mismatch: bool = False
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "novel": self.novel_id,
            "quotes": self.quotes.to_dict(),
            "by_type": {t: a.to_dict() for t, a in self.by_type.items()},
            "unresolved_speakers": self.unresolved_speakers,
            "mapped_characters": self.mapped_characters,
            "predicted_characters": self.predicted_characters,
            "text_mismatch": self.text_mismatch,
            "error": self.error,
        }


def score_pdnc_novel(novel: PDNCNovel, profile: dict[str, Any]) -> PDNCNovelScore:
    """Score one profile (offsets into novel.text) against one PDNC novel."""
    score = PDNCNovelScore(novel.id)
    score.text_mismatch = profile_text_differs(profile, novel.text, novel.id)
    characters = predicted_characters(profile)
    quotes_per_speaker = Counter(q.speaker for q in novel.quotes if q.speaker is not None)
    matcher = NameMatcher([c.named() for c in novel.characters], prominence=quotes_per_speaker)
    mapping = matcher.map_all(characters)
    score.predicted_characters = len(characters)
    score.mapped_characters = len(mapping)

    finder = QuoteFinder(predicted_quotes(profile))
    for quote in novel.quotes:
        if quote.speaker is None:
            score.unresolved_speakers += 1
            continue
        found = finder.best_overlap(quote.spans)
        right = found is not None and found.speaker is not None and mapping.get(found.speaker) == quote.speaker
        score.quotes.add(right, found is not None)
        score.by_type.setdefault(quote.type, Accuracy()).add(right, found is not None)
    return score


@dataclass
class PDNCReport:
    novels: list[PDNCNovelScore] = field(default_factory=list)
    with_cast: bool = False

    @property
    def quotes(self) -> Accuracy:
        return sum((n.quotes for n in self.novels), Accuracy())

    @property
    def macro_accuracy(self) -> float | None:
        accuracies = [n.quotes.accuracy for n in self.novels if n.quotes.accuracy is not None]
        return sum(accuracies) / len(accuracies) if accuracies else None

    @property
    def by_type(self) -> dict[str, Accuracy]:
        totals: dict[str, Accuracy] = {}
        for novel in self.novels:
            for quote_type, accuracy in novel.by_type.items():
                totals[quote_type] = totals.get(quote_type, Accuracy()) + accuracy
        order = {t: i for i, t in enumerate((*QUOTE_TYPES, UNKNOWN_TYPE))}
        return dict(sorted(totals.items(), key=lambda item: order.get(item[0], len(order))))

    def to_dict(self) -> dict[str, Any]:
        quotes = self.quotes
        return {
            "benchmark": "pdnc",
            "with_cast": self.with_cast,
            "novels": len(self.novels),
            "failed": [{"novel": n.novel_id, "error": n.error} for n in self.novels if n.error],
            "totals": {
                "micro_accuracy": quotes.accuracy,
                "macro_accuracy": self.macro_accuracy,
                "detection_recall": quotes.detection,
                "quotes": quotes.to_dict(),
                "by_type": {t: a.to_dict() for t, a in self.by_type.items()},
                "unresolved_speakers": sum(n.unresolved_speakers for n in self.novels),
            },
            "per_novel": [n.to_dict() for n in self.novels],
        }

    def to_text(self) -> str:
        types = [t for t in (*QUOTE_TYPES, UNKNOWN_TYPE) if t in self.by_type or t in QUOTE_TYPES]
        header = f"{'novel':<26} {'quotes':>6} {'acc':>6} {'det':>6} " + " ".join(f"{t[:8]:>8}" for t in types)
        header += f" {'chars':>9}"
        mode = "with gold cast" if self.with_cast else "without cast"
        rows = [f"PDNC quote attribution, {mode} (scores in %)", header, "-" * len(header)]

        def row(label: str, quotes: Accuracy, by_type: Mapping[str, Accuracy], chars: str) -> str:
            cells = " ".join(f"{fmt(by_type[t].accuracy if t in by_type else None, 8)}" for t in types)
            return f"{label:<26} {quotes.total:>6} {fmt(quotes.accuracy)} {fmt(quotes.detection)} {cells} {chars:>9}"

        for novel in self.novels:
            label = novel.novel_id if len(novel.novel_id) <= 25 else novel.novel_id[:24] + "…"
            chars = f"{novel.mapped_characters}/{novel.predicted_characters}"
            rows.append(row(label + ("!" if novel.error else ""), novel.quotes, novel.by_type, chars))
        rows.append("-" * len(header))
        rows.append(row("TOTAL (micro)", self.quotes, self.by_type, ""))
        rows.append(f"{'macro accuracy':<26} {'':>6} {fmt(self.macro_accuracy)}")
        rows.append("chars = predicted characters mapped to a PDNC character / all predicted characters")
        for novel in self.novels:
            if novel.error:
                rows.append(f"! {novel.novel_id}: {novel.error}")
        return "\n".join(rows) + "\n"


def evaluate_pdnc(
    dir: Path,
    analyze: Callable[[Path, Path | None], dict[str, Any]],
    with_cast: bool,
    limit: int | None = None,
    split: str | None = None,
) -> PDNCReport:
    """Analyse each novel with `analyze` (given the gold cast file when `with_cast`) and score it.

    A novel that `analyze` cannot handle (a FiclensError) is scored as an empty prediction and
    flagged, so that totals never look better for the novels that failed.
    """
    novels = [novel for novel in load_pdnc(dir) if in_split(novel.id, split)]  # tune / check: eval/split.py
    if limit is not None:
        novels = novels[: max(limit, 0)]
    report = PDNCReport(with_cast=with_cast)
    with tempfile.TemporaryDirectory(prefix="ficlens-pdnc-") as scratch:
        for novel in novels:
            cast_path = None
            if with_cast:
                cast_path = Path(scratch) / f"{novel.id}.cast.yaml"
                cast_path.write_text(cast_yaml(novel), encoding="utf-8")
            profile, error = analyse_or_empty(analyze, novel.id, novel.text_path, cast_path)
            score = score_pdnc_novel(novel, profile)
            score.error = error
            report.novels.append(score)
    return report
