"""`ficlens duplicates` and corpus/duplicates.py: reposts, edited copies, containment, the LSH
index kept up to date as works are added, replaced and removed."""

from __future__ import annotations

import json
import random

import pytest

from corpus_helpers import cheap_corpus, cheap_records, run_cli
from ficlens import Corpus
from ficlens.corpus.duplicates import candidate_pairs, chunks, duplicate_index, duplicates_of, words
from ficlens.corpus.search import SearchError

VOCABULARY = [
    f"{a}{b}"
    for a in ("ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "zu")
    for b in ("ran", "mel", "tos", "dil", "fen", "gor", "has", "jun", "lek", "nop", "qua", "sib")
]


def prose(seed: int, n_words: int) -> str:
    """Paragraphs of random words: two such texts share (almost) no 5-word run."""
    rng = random.Random(seed)
    paragraphs = []
    while n_words > 0:
        size = min(n_words, rng.randint(40, 120))
        paragraphs.append(" ".join(rng.choice(VOCABULARY) for _ in range(size)).capitalize() + ".")
        n_words -= size
    return "\n\n".join(paragraphs)


def edited(text: str, rate: float, seed: int) -> str:
    rng = random.Random(seed)
    tokens = text.split(" ")
    for _ in range(int(rate * len(tokens) / 3)):
        at = rng.randrange(len(tokens) - 3)
        tokens[at : at + 3] = [rng.choice(VOCABULARY) for _ in range(3)]
    return " ".join(tokens)


def work(work_id: str, text: str) -> dict:
    return {"id": work_id, "title": work_id.title(), "text": text}


ORIGINAL = prose(1, 3000)
CHAPTER_SOURCE = prose(2, 4000)
CHAPTER = "\n\n".join(CHAPTER_SOURCE.split("\n\n")[10:25])  # ~1,200 words from its middle


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    works = [
        work("original", ORIGINAL),
        work("repost", "\n".join(ORIGINAL.replace(". ", ".\n").splitlines())),  # re-wrapped
        work("edited", edited(ORIGINAL, 0.15, 7)),
        work("source", CHAPTER_SOURCE),
        work("host", prose(3, 3000) + "\n\n" + CHAPTER + "\n\n" + prose(4, 3000)),
        *(work(f"other{n}", prose(100 + n, 1500 + 100 * n)) for n in range(12)),
    ]
    return cheap_corpus(tmp_path_factory.mktemp("dups") / "c.db", works)


def pairs_by_id(corpus: Corpus, groups) -> dict[frozenset, object]:
    name = {w.id: w.work_id for w in corpus.works()}
    return {frozenset((name[p.a], name[p.b])): p for g in groups for p in g.pairs}


def test_reposts_edited_copies_and_containment(db):
    with Corpus(db, readonly=True) as corpus:
        groups = corpus.duplicates()
        found = pairs_by_id(corpus, groups)
    assert set(found) == {
        frozenset(("original", "repost")),
        frozenset(("original", "edited")),
        frozenset(("repost", "edited")),
        frozenset(("source", "host")),
    }
    assert found[frozenset(("original", "repost"))].kind == "repost"
    assert found[frozenset(("original", "repost"))].jaccard == 1.0
    copy = found[frozenset(("original", "edited"))]
    assert copy.kind == "edited copy" and 0.3 < copy.jaccard < 0.9
    contained = found[frozenset(("source", "host"))]
    assert contained.kind == "containment" and contained.jaccard < 0.2
    assert 0.2 < contained.containment_a_in_b < 0.4 and contained.containment_b_in_a < 0.2
    assert sorted(len(g.works) for g in groups) == [2, 3]


def test_candidates_come_from_buckets_not_all_pairs(db):
    with Corpus(db, readonly=True) as corpus:
        candidates = candidate_pairs(corpus)
        n = len(corpus)
    assert len(candidates) < 10 < n * (n - 1) // 2  # 17 works: 136 pairs, a handful of candidates


def test_a_work_added_later_is_found_as_a_duplicate_of_an_older_one(tmp_path):
    path = cheap_corpus(tmp_path / "c.db", [work("old", ORIGINAL), work("x", prose(50, 2000))])
    with Corpus(path) as corpus:
        assert corpus.duplicates() == []
        corpus.add(cheap_records([work("new", edited(ORIGINAL, 0.1, 3))]))
        found = pairs_by_id(corpus, corpus.duplicates())
        assert set(found) == {frozenset(("old", "new"))}
        new = corpus.resolve("new")
        assert [(p.a, p.b) for p in duplicates_of(corpus, new)] == [(corpus.resolve("old"), new)]
        # re-indexed with other text under the same key, it is no longer a duplicate: its old bands are gone
        corpus.add(cheap_records([work("new", prose(60, 2000))]))
        assert corpus.duplicates() == []
        assert corpus.conn.execute("SELECT count(DISTINCT work) FROM lsh_bands").fetchone()[0] == 3


def test_content_defined_chunks_do_not_depend_on_position():
    passage = words(CHAPTER)
    alone = {tuple(passage[s:e]) for s, e in chunks(passage)}
    host = words(prose(9, 777)) + passage
    inside = {tuple(host[s:e]) for s, e in chunks(host)}
    assert len(alone & inside) >= len(alone) - 2  # all but the chunks at the passage's edges


def test_an_empty_story_collides_with_nothing():
    assert duplicate_index("") == (None, [])
    assert duplicate_index("... !!!") == (None, [])


def test_cli(db):
    code, out, _ = run_cli("duplicates", "--db", db)
    assert code == 0 and out.startswith("2 groups of works sharing text")
    assert "repost: Jaccard 1.00" in out and "containment" in out
    code, out, _ = run_cli("duplicates", "--db", db, "-f", "json")
    data = json.loads(out)
    assert len(data["groups"]) == 2 and {"a", "b", "jaccard", "kind"} <= set(data["groups"][0]["pairs"][0])
    code, out, _ = run_cli("duplicates", "--db", db, "-f", "csv")
    assert out.splitlines()[0] == "group,a,b,kind,jaccard,a_in_b,b_in_a,shared_shingles" and len(out.splitlines()) == 5
    code, out, _ = run_cli("duplicates", "--db", db, "--work", "host")
    assert code == 0 and "Source" in out and "Original" not in out


def test_bad_threshold(db):
    with Corpus(db, readonly=True) as corpus, pytest.raises(SearchError, match="between 0 and 1"):
        corpus.duplicates(threshold=1.5)
    code, _, err = run_cli("duplicates", "--db", db, "--threshold", "0")
    assert code == 2 and err.count("\n") == 1


def test_cjk_text_is_shingled_by_character(tmp_path):
    rng = random.Random(5)
    original = "".join(chr(rng.randrange(0x4E00, 0x9FA0)) + ("。" if rng.random() < 0.05 else "") for _ in range(3000))
    assert words("我住在东京。") == ["我", "住", "在", "东", "京"]
    path = cheap_corpus(
        tmp_path / "c.db",
        [
            work("zh", original),
            work("zh-copy", "\n\n".join(original.split("。"))),
            work("zh-other", "".join(chr(rng.randrange(0x4E00, 0x9FA0)) for _ in range(3000))),
        ],
    )
    with Corpus(path, readonly=True) as corpus:
        assert set(pairs_by_id(corpus, corpus.duplicates())) == {frozenset(("zh", "zh-copy"))}
