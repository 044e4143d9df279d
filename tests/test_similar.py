"""`ficlens similar` and corpus/similar.py: text, characters/relationships and tags each count,
and every hit says what it shares."""

from __future__ import annotations

import json
import random

import pytest

from corpus_helpers import cheap_corpus, run_cli
from ficlens import Corpus
from ficlens.corpus import CorpusError

COMMON = "the a and of to in was she he it that with on for at her his as had by but not".split()
SEA = "harbour lighthouse tide boat gull anchor mast sail keeper lantern fog shore".split()
DESERT = "dune camel oasis sand caravan mirage scorpion nomad tent cactus canyon drought".split()
CITY = "subway taxi tower office elevator traffic neon alley rooftop subwaycar billboard".split()


def text(topic: list[str], seed: int, n: int = 600) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(topic) if rng.random() < 0.3 else rng.choice(COMMON) for _ in range(n)) + "."


WORKS = [
    {
        "id": "sea1",
        "title": "Gull Head",
        "fandom": "Lighthouse Tales",
        "characters": ["Ivy Marsh", "Tom Penrose"],
        "relationships": ["Ivy Marsh/Tom Penrose"],
        "tags": ["Slow Burn", "Angst"],
        "text": text(SEA, 1),
    },
    {
        "id": "sea2",
        "title": "Fog Bell",
        "fandom": "Lighthouse Tales",
        "characters": ["Ivy Marsh", "Tom Penrose"],
        "relationships": ["Tom Penrose/Ivy Marsh"],
        "tags": ["Slow Burn"],
        "text": text(SEA, 2),
    },
    {
        "id": "sea3",
        "title": "Low Tide",
        "fandom": "Harbour Stories",
        "characters": ["Edwin Rowe"],
        "tags": ["Angst"],
        "text": text(SEA, 3),
    },
    {
        "id": "desert",
        "title": "Dry Wells",
        "fandom": "Lighthouse Tales",
        "characters": ["Ivy Marsh"],
        "tags": ["Fluff"],
        "text": text(DESERT, 4),
    },
    *(
        {
            "id": f"city{n}",
            "title": f"City {n}",
            "fandom": "Metro",
            "characters": [f"Pat {n}"],
            "tags": ["Angst"],
            "text": text(CITY, 10 + n),
        }
        for n in range(8)
    ),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return cheap_corpus(tmp_path_factory.mktemp("similar") / "c.db", WORKS)


def test_ranking_combines_text_characters_and_tags(db):
    with Corpus(db, readonly=True) as corpus:
        hits = corpus.similar("sea1", k=5)
        order = [corpus.work(h.work).work_id for h in hits]
    assert order[0] == "sea2"  # same text topic, characters, relationship, fandom and tag
    assert set(order[1:3]) == {"sea3", "desert"}  # one shares the topic, the other the cast and fandom
    best = hits[0]
    assert best.shared_characters == ["Tom Penrose", "Ivy Marsh"]  # rarest first (Ivy is also in "desert")
    assert best.shared_relationships == ["Ivy Marsh/Tom Penrose"]  # the same pairing, written either way round
    assert "Lighthouse Tales" in best.shared_tags and "Slow Burn" in best.shared_tags
    assert best.text_similarity > 0.3 and set(best.shared_words) <= set(SEA)
    assert all(0 <= h.score <= 1 for h in hits) and [h.score for h in hits] == sorted(
        (h.score for h in hits), reverse=True
    )


def test_each_part_counts_on_its_own(db):
    with Corpus(db, readonly=True) as corpus:
        hits = {corpus.work(h.work).work_id: h for h in corpus.similar("sea1", k=11)}
    assert hits["sea3"].text_similarity > hits["desert"].text_similarity  # the sea topic
    assert hits["desert"].character_similarity > hits["sea3"].character_similarity == 0  # Ivy Marsh
    assert hits["sea3"].shared_tags == ["Angst"] and hits["city0"].shared_tags == ["Angst"]
    # "Angst" is on 10 of 12 works: sharing it says little
    assert hits["city0"].tag_similarity < hits["sea2"].tag_similarity
    assert "sea1" not in hits


def test_reasons_are_readable(db):
    with Corpus(db, readonly=True) as corpus:
        reasons = corpus.similar("sea1", k=1)[0].reasons()
    assert reasons[0].startswith("text ")
    assert any(r.startswith("characters: ") for r in reasons) and any(r.startswith("tags: ") for r in reasons)


def test_cli(db):
    code, out, _ = run_cli("similar", "sea1", "--db", db, "-k", "3")
    assert code == 0 and out.startswith("Works like [1] Gull Head:")
    assert "[2] Fog Bell" in out and "relationships: Ivy Marsh/Tom Penrose" in out
    code, out, _ = run_cli("similar", "1", "--db", db, "-k", "2", "-f", "json")
    data = json.loads(out)
    assert data["work"] == 1 and len(data["similar"]) == 2 and "shared_characters" in data["similar"][0]
    code, _, err = run_cli("similar", "nosuch", "--db", db)
    assert code == CorpusError.exit_code and "no work 'nosuch'" in err and err.count("\n") == 1
    code, _, err = run_cli("similar", "1", "--db", db, "-k", "0")
    assert code == 2
