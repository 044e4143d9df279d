"""Near-duplicates: MinHash over word shingles, with LSH bands stored in the corpus database.

A signature is computed once per work when it is indexed (in the worker); its band hashes go to
`lsh_bands`, so a new work's candidates are the works sharing a bucket — an index lookup, not a
comparison with every other work.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SHINGLE_WORDS = 5
BANDS = 32  # 32 bands x 4 rows: candidates from Jaccard ≈ 0.4 up
ROWS = NUM_PERM // BANDS
SEED = 1

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Overlapping runs of `size` lower-cased words: robust to re-wrapping and re-encoding."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8", "surrogatepass")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8", "surrogatepass") for i in range(len(words) - size + 1)}


def minhash_signature(text: str) -> tuple[int, bytes]:
    """(number of distinct shingles, NUM_PERM uint64 little-endian) for a text."""
    grams = shingles(text)
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    if grams:
        minhash.update_batch(list(grams))
    return len(grams), minhash.hashvalues.astype("<u8").tobytes()


def signature_values(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u8")


def lsh_bands(signature: bytes) -> list[tuple[int, bytes]]:
    values = signature_values(signature)
    return [
        (band, hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8).digest())
        for band in range(BANDS)
    ]
