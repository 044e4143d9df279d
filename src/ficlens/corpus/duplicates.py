"""Near-duplicates: reposts, copies with edits, and text of one work contained in another.

Index time (in the worker, `duplicate_index`): the story's words (lower case, accents folded, so
re-wrapping, re-encoding and punctuation changes do not matter) are cut into 5-word shingles.

- One MinHash over all of them (`minhashes`) with 64 LSH bands of 2 rows: two works whose
  shingle sets have Jaccard 0.2 share a bucket with probability 0.93, at 0.3 with 0.998, while
  unrelated works (Jaccard < 0.01) almost never do. This finds reposts and edited copies.
- A small MinHash per content-defined chunk (~250 words; a boundary falls where a 3-word hash
  says so, so the same passage yields the same chunks wherever it stands), whose 8 bands of 4
  rows go to `lsh_bands` as bands CHUNK_BAND_BASE + b. A chapter copied into another work has
  a tiny Jaccard with it as a whole, but its chunks are the same chunks: this finds containment.

Query time (`find_duplicates`): candidate pairs are works sharing a bucket — one GROUP BY over
the index, not a comparison of all pairs — and each candidate pair is then verified exactly on
the stored texts. Because the bands are written with each work, a work indexed later is found as
a duplicate of an older one without rebuilding anything.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

import numpy as np

from .fts import fts_text

if TYPE_CHECKING:
    from . import Corpus

NUM_PERM = 128
SHINGLE_WORDS = 5
BANDS = 64  # 64 bands x 2 rows: candidates from Jaccard ≈ 0.12 up (the S-curve's midpoint)
ROWS = NUM_PERM // BANDS
SEED = 1

CHUNK_MIN_WORDS = 100
CHUNK_DIVISOR = 150  # a boundary after at least CHUNK_MIN_WORDS where crc32(3 words) % 150 == 0
CHUNK_MAX_WORDS = 1000
CHUNK_PERM = 32
CHUNK_BANDS = 8  # 8 x 4: identical chunks always collide, a chunk with 20 % edits usually does
CHUNK_BAND_BASE = 1000  # band numbers of chunk bands in lsh_bands

DEFAULT_THRESHOLD = 0.1  # share of the smaller work's shingles found in the other
MIN_SHARED = 50  # shingles two works must share at least (≈ 50 words of one passage)
REPOST_JACCARD = 0.9
SPREAD_BINS = 10  # an edited copy shares text in (nearly) every tenth of both works
EDITED_SPREAD = 0.8
MAX_BUCKET = 200  # a bucket shared by more works is boilerplate, not duplication

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_ROLL = np.uint64(0x100000001B3)  # multiplier of the rolling shingle hash (FNV prime)


@dataclass
class DuplicatePair:
    a: int  # database ids, a < b
    b: int
    jaccard: float  # shared shingles over all shingles of the two
    containment_a_in_b: float  # share of a's shingles found in b
    containment_b_in_a: float
    shared_shingles: int
    kind: str  # repost | edited copy | containment


@dataclass
class DuplicateGroup:
    works: list[int]
    pairs: list[DuplicatePair] = field(default_factory=list)
    titles: dict[int, str | None] = field(default_factory=dict)


# --- index time ---------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded words: what survives re-wrapping, re-encoding and punctuation edits."""
    folded = text.casefold()
    if not folded.isascii():
        # CJK has no spaces: one word per character (fts_text's split), so shingles are 5-grams
        folded = fts_text(_COMBINING.sub("", unicodedata.normalize("NFKD", folded)))
    return _WORD.findall(folded)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Overlapping runs of `size` words."""
    return set(_shingle_list(words(text), size))


def _shingle_list(tokens: list[str], size: int = SHINGLE_WORDS) -> list[bytes]:
    if len(tokens) < size:
        return [" ".join(tokens).encode("utf-8", "surrogatepass")] if tokens else []
    return [" ".join(tokens[i : i + size]).encode("utf-8", "surrogatepass") for i in range(len(tokens) - size + 1)]


def _minhash(grams: Iterable[bytes], num_perm: int) -> np.ndarray:
    from datasketch import (
        MinHash,
    )  # here, not at the top: it imports scipy (~1 s), and every `ficlens` start imported it

    minhash = MinHash(num_perm=num_perm, seed=SEED)
    minhash.update_batch(list(grams))
    hashes: np.ndarray = minhash.hashvalues.astype("<u8")
    return hashes


def minhash_signature(text: str) -> tuple[int, bytes]:
    """(number of distinct shingles, NUM_PERM uint64 little-endian) for a text."""
    grams = shingles(text)
    values = _minhash(grams, NUM_PERM)
    return len(grams), values.tobytes()


def signature_values(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u8")


def _band_hashes(values: np.ndarray, bands: int, base: int = 0) -> list[tuple[int, bytes]]:
    rows = len(values) // bands
    return [
        (base + band, hashlib.blake2b(values[band * rows : (band + 1) * rows].tobytes(), digest_size=8).digest())
        for band in range(bands)
    ]


def lsh_bands(signature: bytes) -> list[tuple[int, bytes]]:
    """The whole-work bands of a signature."""
    return _band_hashes(signature_values(signature), BANDS)


def chunks(tokens: list[str]) -> list[tuple[int, int]]:
    """Content-defined (start, end) word ranges: the same passage gives the same chunks anywhere."""
    out = []
    start = 0
    n = len(tokens)
    for i in range(n):
        length = i + 1 - start
        if length < CHUNK_MIN_WORDS:
            continue
        key = " ".join(tokens[max(0, i - 2) : i + 1]).encode("utf-8", "surrogatepass")
        if zlib.crc32(key) % CHUNK_DIVISOR == 0 or length >= CHUNK_MAX_WORDS:
            out.append((start, i + 1))
            start = i + 1
    if n - start >= CHUNK_MIN_WORDS // 2 or (not out and n):
        out.append((start, n))
    return out


def duplicate_index(story: str) -> tuple[tuple[int, bytes] | None, list[tuple[int, bytes]]]:
    """What a work adds to the duplicate index: (shingle count, signature) and its band hashes.

    A story without words gets neither (an empty signature would collide with every other).
    """
    tokens = words(story)
    grams = set(_shingle_list(tokens))
    if not grams:
        return None, []
    values = _minhash(grams, NUM_PERM)
    bands = _band_hashes(values, BANDS)
    chunk_list = chunks(tokens)
    if len(chunk_list) > 1:  # one chunk is the whole work, which the whole-work bands cover
        for start, end in chunk_list:
            chunk_grams = set(_shingle_list(tokens[start:end]))
            bands += _band_hashes(_minhash(chunk_grams, CHUNK_PERM), CHUNK_BANDS, CHUNK_BAND_BASE)
    return (len(grams), values.tobytes()), sorted(set(bands))


# --- query time ---------------------------------------------------------------------------


def shingle_hashes(text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """64-bit hashes of the text's shingles in text order, computed with numpy (a rolling hash
    of word hashes): exact comparison of two works without building millions of strings.
    hash() of a str is stable within one process, which is all a comparison needs."""
    tokens = words(text)
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    word_hashes = np.fromiter(map(hash, tokens), dtype=np.int64, count=len(tokens)).view(np.uint64)
    if len(tokens) < size:
        return np.array([np.bitwise_xor.reduce(word_hashes)], dtype=np.uint64)
    n = len(tokens) - size + 1
    out = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(size):
            out = out * _ROLL + word_hashes[k : k + n]
    return out


class _Shingles:
    """Exact shingle hashes of stored stories, a bounded number kept at a time."""

    def __init__(self, corpus: "Corpus", keep: int = 512):
        self.corpus = corpus
        self.keep = keep
        self.cache: OrderedDict[int, np.ndarray] = OrderedDict()

    def __call__(self, work: int) -> np.ndarray:
        if work in self.cache:
            self.cache.move_to_end(work)
            return self.cache[work]
        from .fts import display_text

        row = self.corpus.conn.execute("SELECT text FROM texts WHERE rowid = ?", (work * 2,)).fetchone()
        values = shingle_hashes(display_text(row[0])) if row else np.zeros(0, dtype=np.uint64)
        self.cache[work] = values
        if len(self.cache) > self.keep:
            self.cache.popitem(last=False)
        return values


def _spread(positions_shared: np.ndarray) -> float:
    """The share of a work's tenths that hold shared shingles."""
    n = len(positions_shared)
    if not n:
        return 0.0
    bins = np.array_split(positions_shared, min(SPREAD_BINS, n))
    return sum(1 for b in bins if b.any()) / len(bins)


def compare(a_values: np.ndarray, b_values: np.ndarray) -> tuple[int, float, float, float, str]:
    """(shared, jaccard, a in b, b in a, kind) from two works' shingle hashes."""
    set_a = np.unique(a_values)
    set_b = np.unique(b_values)
    if not len(set_a) or not len(set_b):
        return 0, 0.0, 0.0, 0.0, "containment"
    shared = len(np.intersect1d(set_a, set_b, assume_unique=True))
    jaccard = shared / (len(set_a) + len(set_b) - shared)
    a_in_b = shared / len(set_a)
    b_in_a = shared / len(set_b)
    if jaccard >= REPOST_JACCARD:
        kind = "repost"
    elif max(a_in_b, b_in_a) >= REPOST_JACCARD and abs(a_in_b - b_in_a) >= 0.1:
        kind = "containment"  # one nearly all inside the other, which has more: a truncated copy
    elif min(_spread(np.isin(a_values, set_b)), _spread(np.isin(b_values, set_a))) >= EDITED_SPREAD:
        kind = "edited copy"  # shared text all through both: the same work, edited
    else:
        kind = "containment"  # one work (truncated) or a passage of it inside the other
    return shared, jaccard, a_in_b, b_in_a, kind


def is_duplicate(shared: int, a_in_b: float, b_in_a: float, threshold: float) -> bool:
    return shared >= MIN_SHARED and max(a_in_b, b_in_a) >= threshold


def candidate_pairs(corpus: "Corpus", work: int | None = None) -> set[tuple[int, int]]:
    """Pairs of works sharing an LSH bucket (all of them, or those with `work`)."""
    conn = corpus.conn
    pairs: set[tuple[int, int]] = set()
    if work is not None:
        rows = conn.execute(
            "SELECT DISTINCT o.work FROM lsh_bands m JOIN lsh_bands o ON o.band = m.band AND o.bucket = m.bucket "
            "WHERE m.work = ? AND o.work != ?",
            (work, work),
        )
        return {(min(work, w), max(work, w)) for (w,) in rows}
    # one pass over the covering bucket index, grouped by SQLite; only shared buckets come back
    rows = conn.execute(
        "SELECT group_concat(work) FROM lsh_bands GROUP BY band, bucket HAVING count(*) > 1 AND count(*) <= ?",
        (MAX_BUCKET,),
    )
    for (members,) in rows:
        _add_pairs(pairs, {int(m) for m in members.split(",")})
    return pairs


def _add_pairs(pairs: set[tuple[int, int]], members: set[int]) -> None:
    if len(members) > 1:  # (a bucket shared by more than MAX_BUCKET works is boilerplate, not duplication)
        ids = sorted(members)
        for i, a in enumerate(ids):
            pairs.update((a, b) for b in ids[i + 1 :])


def verify(corpus: "Corpus", pairs: Iterable[tuple[int, int]], threshold: float) -> list[DuplicatePair]:
    """The candidate pairs that really share text, measured exactly on the stored stories."""
    texts = _Shingles(corpus)
    found = []
    for a, b in sorted(pairs):
        shared, jaccard, a_in_b, b_in_a, kind = compare(texts(a), texts(b))
        if is_duplicate(shared, a_in_b, b_in_a, threshold):
            found.append(DuplicatePair(a, b, round(jaccard, 3), round(a_in_b, 3), round(b_in_a, 3), shared, kind))
    return found


def _groups(pairs: list[DuplicatePair]) -> list[DuplicateGroup]:
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[root(pair.a)] = root(pair.b)
    groups: dict[int, DuplicateGroup] = {}
    for pair in pairs:
        group = groups.setdefault(root(pair.a), DuplicateGroup(works=[]))
        group.pairs.append(pair)
    for group in groups.values():
        group.works = sorted({w for p in group.pairs for w in (p.a, p.b)})
    return sorted(groups.values(), key=lambda g: g.works[0])


def _check_threshold(threshold: float) -> None:
    from .search import SearchError

    if not 0 < threshold <= 1:
        raise SearchError(f"--threshold {threshold}: give a share between 0 and 1 (default {DEFAULT_THRESHOLD})")


def find_duplicates(corpus: "Corpus", *, threshold: float = DEFAULT_THRESHOLD) -> list[DuplicateGroup]:
    """Groups of works that share text: each pair says how much and of which kind.

    `threshold` is the share of the smaller work's 5-word shingles that must be found in the
    other (0.1 = a tenth of it: a chapter of a ten-chapter work copied whole counts).
    """
    _check_threshold(threshold)
    groups = _groups(verify(corpus, candidate_pairs(corpus), threshold))
    _add_titles(corpus, groups)
    return groups


def duplicates_of(corpus: "Corpus", work: int | str, *, threshold: float = DEFAULT_THRESHOLD) -> list[DuplicatePair]:
    """The works sharing text with one work (an index lookup of its buckets, then verified)."""
    _check_threshold(threshold)
    target = corpus.resolve(work)
    return verify(corpus, candidate_pairs(corpus, target), threshold)


def _add_titles(corpus: "Corpus", groups: list[DuplicateGroup]) -> None:
    import json

    ids = sorted({w for g in groups for w in g.works})
    titles = dict(corpus.conn.execute(
        "SELECT id, title FROM works WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)))  # fmt: skip
    for group in groups:
        group.titles = {w: titles.get(w) for w in group.works}
