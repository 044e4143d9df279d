"""Works like a given one: similar text, the same characters and relationships, the same tags.

Each of the three parts is a figure in [0, 1], and the ranking is their weighted sum:

- text: "more like this" over the full-text index. The work's most distinctive words (TF-IDF,
  document frequencies from the FTS5 vocabulary) become one OR query; a candidate's BM25 score
  for it, divided by the work's own score, is its text similarity. This uses the index search
  already has, so it costs one query, not a pass over every text.
- characters: shared characters (ficlens's cast and the character tags) and relationships,
  as an IDF-weighted Jaccard: sharing "Elizabeth Bennet" says more than sharing "John".
- tags: shared fandom, additional, warning and category tags, IDF-weighted the same way, so a tag
  on half the corpus ("No Archive Warnings Apply") counts for almost nothing.

Every hit carries what it shares, so a reader sees why it was ranked.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..characters.find import NARRATOR_ID, READER_ID
from .fts import display_text

if TYPE_CHECKING:
    from . import Corpus

WEIGHTS = {"text": 0.5, "characters": 0.3, "tags": 0.2}
QUERY_TERMS = 30  # distinctive words in the "more like this" query
TEXT_CANDIDATES = 200
MAX_ITEM_WORKS = 2000  # a character or tag on more works than this does not nominate candidates
TAG_KINDS = ("fandom", "additional", "warning", "category")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# the narrator and the reader are in every first- and second-person work: not shared characters
_NAMED = f"is_reader = 0 AND character NOT IN ('{NARRATOR_ID}', '{READER_ID}')"
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")  # "Harry Potter (Harry Potter)" → "harry potter"


@dataclass
class SimilarWork:
    work: int
    title: str | None
    authors: list[str]
    score: float  # weighted sum of the three parts, in [0, 1]
    text_similarity: float
    character_similarity: float
    tag_similarity: float
    shared_characters: list[str] = field(default_factory=list)
    shared_relationships: list[str] = field(default_factory=list)
    shared_tags: list[str] = field(default_factory=list)
    shared_words: list[str] = field(default_factory=list)  # distinctive words of the work found in this one

    def reasons(self) -> list[str]:
        """Why this work was ranked, in words a reader can check."""
        why = [f"text {self.text_similarity:.2f}"]
        if self.shared_words:
            why[0] += f" ({', '.join(self.shared_words[:6])})"
        if self.shared_characters:
            why.append("characters: " + ", ".join(self.shared_characters))
        if self.shared_relationships:
            why.append("relationships: " + ", ".join(self.shared_relationships))
        if self.shared_tags:
            why.append("tags: " + ", ".join(self.shared_tags))
        return why


def _fold(text: str) -> str:
    """Lower case without accents, as the unicode61 tokenizer (remove_diacritics) indexes words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _name_key(name: str) -> str:
    return " ".join(_fold(_PAREN.sub("", name)).split())


def _relationship_key(tag: str) -> str:
    sep = "/" if "/" in tag else "&"
    return sep.join(sorted(_name_key(p) for p in tag.split(sep)))


def _items(corpus: "Corpus", work: int) -> dict[str, dict[str, str]]:
    """{"characters": key → shown name, "relationships": ..., "tags": ...} of one work."""
    conn = corpus.conn
    chars: dict[str, str] = {}
    rels: dict[str, str] = {}
    tags: dict[str, str] = {}
    for (name,) in conn.execute(f"SELECT name FROM characters WHERE work = ? AND {_NAMED} AND mentions >= 2", (work,)):
        chars.setdefault(_name_key(name), name)
    for (tag,) in conn.execute("SELECT tag FROM relationships WHERE work = ?", (work,)):
        rels.setdefault(_relationship_key(tag), tag)
    for kind, tag in conn.execute("SELECT DISTINCT kind, tag FROM tags WHERE work = ?", (work,)):
        if kind == "character":
            chars.setdefault(_name_key(tag), _PAREN.sub("", tag))
        elif kind == "relationship":
            rels.setdefault(_relationship_key(tag), tag)
        elif kind in TAG_KINDS:
            tags.setdefault(f"{kind}:{tag.casefold()}", tag)
    return {"characters": chars, "relationships": rels, "tags": tags}


def _items_of(corpus: "Corpus", works: list[int]) -> dict[int, dict[str, dict[str, str]]]:
    return {w: _items(corpus, w) for w in works}


def _people(items: dict[str, dict[str, str]]) -> dict[str, str]:
    """Characters and relationships as one set: sharing either says the works are about the same people."""
    return {**items["characters"], **{"rel:" + k: v for k, v in items["relationships"].items()}}


def _document_frequencies(
    corpus: "Corpus", items: dict[str, dict[str, str]]
) -> dict[tuple[str, str], tuple[int, set[int]]]:
    """(part, key) → (how many works have it, which works, when fewer than MAX_ITEM_WORKS)."""
    conn = corpus.conn
    found: dict[tuple[str, str], set[int]] = {}
    char_keys = set(items["characters"])
    rel_keys = set(items["relationships"])
    if char_keys:
        for w, name in conn.execute(f"SELECT work, name FROM characters WHERE {_NAMED} AND mentions >= 2"):
            key = _name_key(name)
            if key in char_keys:
                found.setdefault(("characters", key), set()).add(w)
    if rel_keys:
        for w, tag in conn.execute("SELECT work, tag FROM relationships"):
            key = _relationship_key(tag)
            if key in rel_keys:
                found.setdefault(("relationships", key), set()).add(w)
    for part, shown in items.items():
        for key, name in shown.items():
            if part == "tags":
                kind = key.split(":", 1)[0]
                rows = conn.execute("SELECT DISTINCT work FROM tags WHERE kind = ? AND tag = ?", (kind, name))
            elif part == "characters":
                rows = conn.execute(
                    "SELECT DISTINCT work FROM tags WHERE kind = 'character' AND tag LIKE ? || '%'", (name,)
                )
            else:
                rows = conn.execute("SELECT DISTINCT work FROM tags WHERE kind = 'relationship' AND tag = ?", (name,))
            found.setdefault((part, key), set()).update(r[0] for r in rows)
    return {k: (len(v), v if len(v) <= MAX_ITEM_WORKS else set()) for k, v in found.items()}


def _weighted_jaccard(a: dict[str, str], b: dict[str, str], idf: dict[str, float]) -> tuple[float, list[str]]:
    union = set(a) | set(b)
    if not union:
        return 0.0, []
    shared = sorted(set(a) & set(b), key=lambda k: -idf.get(k, 0.0))
    total = sum(idf.get(k, 1.0) for k in union)
    return (sum(idf.get(k, 1.0) for k in shared) / total if total else 0.0), [a[k] for k in shared]


def _story(corpus: "Corpus", work: int) -> str:
    row = corpus.conn.execute("SELECT text FROM texts WHERE rowid = ?", (work * 2,)).fetchone()
    return display_text(row[0]) if row else ""


def _distinctive_words(corpus: "Corpus", work: int, n_works: int) -> list[tuple[str, float]]:
    """The work's words by TF-IDF, highest first (document frequencies from the FTS vocabulary)."""
    conn = corpus.conn
    counts = Counter(_WORD.findall(_fold(_story(corpus, work))))
    if not counts:
        return []
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.ficlens_vocab USING fts5vocab(main, texts, row)")
    frequent = [w for w, _ in counts.most_common(400)]
    marks = ", ".join("?" * len(frequent))
    df = dict(conn.execute(f"SELECT term, doc FROM temp.ficlens_vocab WHERE term IN ({marks})", frequent))
    scored = []
    for word in frequent:
        docs = df.get(word)
        if not docs or docs < 2 or docs > n_works * 0.5:
            continue  # a word of this work alone cannot make another like it; one in most works says nothing
        scored.append((word, (1 + math.log(counts[word])) * math.log(n_works / docs)))
    scored.sort(key=lambda ws: -ws[1])
    return scored[:QUERY_TERMS]


def _text_scores(corpus: "Corpus", work: int, terms: list[tuple[str, float]]) -> dict[int, float]:
    """Each candidate's BM25 score for the work's distinctive words, over the work's own score."""
    if not terms:
        return {}
    expression = " OR ".join(f'"{w}"' for w, _ in terms)
    rows = corpus.conn.execute(
        "SELECT rowid >> 1, -bm25(texts) FROM texts WHERE texts MATCH ? AND (rowid & 1) = 0 ORDER BY rank LIMIT ?",
        (expression, TEXT_CANDIDATES + 1),
    ).fetchall()
    scores = dict(rows)
    own = scores.pop(work, None)
    if own is None:  # the work itself ranks outside the candidates only in degenerate cases
        row = corpus.conn.execute(
            "SELECT -bm25(texts) FROM texts WHERE texts MATCH ? AND rowid = ?", (expression, work * 2)
        ).fetchone()
        own = row[0] if row else max(scores.values(), default=1.0)
    return {w: min(1.0, s / own) if own > 0 else 0.0 for w, s in scores.items()}


def similar(corpus: "Corpus", work: int | str, *, k: int = 10) -> list[SimilarWork]:
    """The `k` works most like `work`, best first, each with what it shares with it."""
    import json

    target = corpus.resolve(work)
    conn = corpus.conn
    n_works = max(1, len(corpus))
    terms = _distinctive_words(corpus, target, n_works)
    text = _text_scores(corpus, target, terms)
    mine = _items(corpus, target)
    frequencies = _document_frequencies(corpus, mine)
    idf: dict[str, dict[str, float]] = {part: {} for part in mine}
    nominated: dict[int, float] = {}
    for (part, key), (docs, works) in frequencies.items():
        idf[part][key] = math.log(1 + n_works / max(1, docs))
        for w in works:
            nominated[w] = nominated.get(w, 0.0) + idf[part][key]
    nominated.pop(target, None)
    candidates = set(text) | set(sorted(nominated, key=lambda w: (-nominated[w], w))[:TEXT_CANDIDATES])
    candidates.discard(target)
    theirs = _items_of(corpus, sorted(candidates))
    people_idf = {**idf["characters"], **{"rel:" + k: v for k, v in idf["relationships"].items()}}
    hits = []
    for w in candidates:
        other = theirs[w]
        char_sim, _ = _weighted_jaccard(_people(mine), _people(other), people_idf)
        tag_sim, shared_tags = _weighted_jaccard(mine["tags"], other["tags"], idf["tags"])
        text_sim = text.get(w, 0.0)
        score = WEIGHTS["text"] * text_sim + WEIGHTS["characters"] * char_sim + WEIGHTS["tags"] * tag_sim
        hits.append((score, w, text_sim, char_sim, tag_sim, shared_tags, other))
    hits.sort(key=lambda h: (-h[0], h[1]))
    info = {r[0]: r[1:] for r in conn.execute(
        "SELECT id, title, authors FROM works WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps([h[1] for h in hits[:k]]),))}  # fmt: skip
    result = []
    for score, w, text_sim, char_sim, tag_sim, shared_tags, other in hits[:k]:
        shared_words = [t for t, _ in terms if _has_word(corpus, w, t)] if text_sim > 0 else []
        title, authors = info[w]
        result.append(SimilarWork(
            work=w, title=title, authors=json.loads(authors), score=round(score, 3),
            text_similarity=round(text_sim, 3), character_similarity=round(char_sim, 3),
            tag_similarity=round(tag_sim, 3),
            shared_characters=[mine["characters"][c] for c in sorted(set(mine["characters"]) & set(other["characters"]),
                                                                       key=lambda c: (-idf["characters"].get(c, 0), c))],
            shared_relationships=[mine["relationships"][r] for r in sorted(set(mine["relationships"]) & set(other["relationships"]))],
            shared_tags=shared_tags, shared_words=shared_words,
        ))  # fmt: skip
    return result


def _has_word(corpus: "Corpus", work: int, word: str) -> bool:
    row = corpus.conn.execute(
        "SELECT 1 FROM texts WHERE texts MATCH ? AND rowid = ?", (f'"{word}"', work * 2)
    ).fetchone()
    return row is not None
