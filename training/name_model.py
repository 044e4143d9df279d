"""Train the person-name model (src/ficlens/data/models/person_name.json) on LitBank.

One command, deterministic (no random numbers anywhere):

    python training/name_model.py [--litbank ../shared/eval/litbank] [--cache /tmp/ficlens-name-cache]

1. Every LitBank document is read and parsed exactly as `ficlens eval litbank` reads it, up to the
   name evidence (`ficlens.characters.find.person_evidence`); the evidence is cached as a pickle,
   keyed by the code that produced it, so that a second run takes seconds.
2. A sample is one candidate form in one document. Its target is the share of its occurrences
   whose span is a gold PROP_PER mention (a soft label), its weight the number of occurrences:
   the name F1 counts mentions, not forms.
3. Only the tune part (ficlens.eval.split) is used: k-fold cross-validation by document chooses
   the L2 strength and reports mention-level P/R/F1 next to the hand-set rule; the final model is
   fitted on the whole tune part. The check part is never read here.
4. Writes the weights and docs/name-model.md (the figures of this run).

LitBank: Bamman, Popat & Shen (2019) and Bamman, Lewke & Mansoor (2020), CC BY 4.0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = REPO_ROOT / "src" / "ficlens" / "data" / "models" / "person_name.json"
DEFAULT_DOC = REPO_ROOT / "docs" / "name-model.md"
FOLDS = 5
L2_GRID = (0.3, 1.0, 3.0, 10.0)
# Weights that start from a belief rather than from 0 (the L2 pulls them towards it): LitBank
# has almost no capitalised interjection among its candidates, so the list's word ("Hullo" is
# seldom a name) stands until the data says otherwise, as it must where the word speaks ("said
# Pooh", several times) — the list is a feature, not a veto.
PRIORS = {"interjection": -2.0}
# docs/name-model.md is rewritten from here on each run, except what follows this line (the
# `ficlens eval` figures, measured separately).
KEPT_MARKER = "<!-- written by hand below: kept when training/name_model.py rewrites the rest -->\n"
THRESHOLDS = tuple(round(0.2 + 0.025 * i, 3) for i in range(25))  # 0.2 … 0.8

log = logging.getLogger("name_model")


@dataclass
class DocSamples:
    doc_id: str
    split: str
    forms: list[str]
    features: list[dict[str, float]]
    counts: list[int]  # occurrences of each form
    matched: list[int]  # occurrences whose span is a gold PROP_PER mention
    rule: list[bool]  # the hand-set decision (mentions.is_person)
    gold: int  # gold PROP_PER mentions in the document
    # mentions of the forms decided outside the model (knowledge-base characters): kept by both
    fixed_matched: int = 0
    fixed_count: int = 0


# ---------------------------------------------------------------------------------------------
# Evidence extraction (slow: spaCy), cached


def _code_key(litbank: Path) -> str:
    """A hash of the code that makes the evidence and of the LitBank file list."""
    digest = hashlib.sha256()
    src = REPO_ROOT / "src" / "ficlens"
    code = [p for p in sorted(src.glob("characters/*.py")) if p.name != "name_model.py"]  # features: not cached
    for path in code + [src / "nlp.py", src / "quotes" / "detect.py"]:
        digest.update(path.read_bytes())
    for path in sorted((litbank / "coref" / "brat").glob("*")):
        digest.update(path.name.encode())
    return digest.hexdigest()[:16]


def extract(litbank: Path, cache_dir: Path) -> list[tuple[str, str, dict, dict, set]]:
    """(doc id, split, evidence, knowledge-base kind per form, gold PROP_PER spans) per document."""
    cache = cache_dir / f"litbank-evidence-{_code_key(litbank)}.pickle"
    if cache.is_file():
        log.info("evidence from %s", cache)
        return pickle.loads(cache.read_bytes())
    from ficlens.characters.find import person_evidence
    from ficlens.eval.litbank import NAME, load_litbank
    from ficlens.eval.split import split_of
    from ficlens.model import Profile
    from ficlens.analysis import Analysis
    from ficlens.pipeline import Pipeline
    from ficlens.read import read

    pipeline = Pipeline()
    at = pipeline.names.index("characters")
    before, characters = pipeline.steps[:at], pipeline.steps[at]
    rows = []
    started = time.perf_counter()
    for doc in load_litbank(litbank):
        work = read(doc.txt_path)
        analysis = Analysis(work, Profile(work=work), pipeline.config, pipeline.resources)
        for step in before:
            step(analysis)
        evidence = dict(person_evidence(analysis, characters.settings))
        index = analysis.layers.kb_index
        kinds = {form: index.kind(form) for form in evidence} if index else {}
        gold = {(m.start, m.end) for m in doc.of_category(NAME)}
        rows.append((doc.id, split_of(doc.id), evidence, kinds, gold))
        log.info("%s: %d forms (%.0f s)", doc.id, len(evidence), time.perf_counter() - started)
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(rows))
    return rows


def samples(rows) -> list[DocSamples]:
    from ficlens.characters.mentions import is_person
    from ficlens.characters.name_model import evidence_features

    docs = []
    for doc_id, split, evidence, kinds, gold in rows:
        evidence = {f: ev for f, ev in evidence.items() if ev.count}
        features = evidence_features(evidence)
        d = DocSamples(doc_id, split, [], [], [], [], [], len(gold))
        for form, ev in evidence.items():
            if any(o.title_only for o in ev.occurrences):
                continue  # "the General": a role, scored as a nominal, not a name
            if kinds.get(form) is not None:  # decided outside the model (NameModel.person_forms)
                if kinds[form] == "character":
                    d.fixed_matched += sum((o.start, o.end) in gold for o in ev.occurrences)
                    d.fixed_count += ev.count
                continue
            d.forms.append(form)
            d.features.append(features[form])
            d.counts.append(ev.count)
            d.matched.append(sum((o.start, o.end) in gold for o in ev.occurrences))
            d.rule.append(is_person(ev))
        docs.append(d)
    return docs


# ---------------------------------------------------------------------------------------------
# Logistic regression (weighted, soft targets, L2, Newton's method)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float, names: list[str]) -> np.ndarray:
    """Weights minimising sum w·CE(y, σ(xβ)) + l2/2·|β - prior|² (the bias, column 0, free)."""
    prior = np.array([PRIORS.get(n, 0.0) for n in names])
    beta = prior.copy()
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -30, 30)))
        grad = x.T @ (w * (p - y)) + penalty * (beta - prior)
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta


def matrix(docs: list[DocSamples], names: list[str]):
    """Features, soft targets and sample weights. The weight is √occurrences: the F1 counts
    mentions, yet one frequent form (a narrator's "Mars" said 9 times) should not outweigh ten
    rare ones (count, 1 and log weights were within half a point of F1 in cross-validation)."""
    rows = [f for d in docs for f in d.features]
    x = np.array([[f.get(n, 0.0) for n in names] for f in rows]) if rows else np.zeros((0, len(names)))
    counts = np.array([c for d in docs for c in d.counts], dtype=float)
    matched = np.array([m for d in docs for m in d.matched], dtype=float)
    return x, matched / np.maximum(counts, 1), np.sqrt(counts)


@dataclass
class PRF:
    tp: float = 0.0
    predicted: float = 0.0
    gold: float = 0.0

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def p(self) -> float:
        return 100 * self.tp / self.predicted if self.predicted else 0.0

    @property
    def r(self) -> float:
        return 100 * self.tp / self.gold if self.gold else 0.0

    @property
    def f(self) -> float:
        return 200 * self.tp / (self.predicted + self.gold) if self.predicted + self.gold else 0.0

    def line(self) -> str:
        return f"P {self.p:5.1f}  R {self.r:5.1f}  F1 {self.f:5.1f}"


def score(docs: list[DocSamples], chosen: list[np.ndarray]) -> PRF:
    """Mention-level name scores when each document keeps the forms in `chosen` (bool arrays).
    Gold mentions no candidate covers count as misses, as in `ficlens eval litbank`."""
    total = PRF()
    for d, keep in zip(docs, chosen):
        counts, matched = np.array(d.counts, dtype=float), np.array(d.matched, dtype=float)
        tp, predicted = float(matched[keep].sum()) + d.fixed_matched, float(counts[keep].sum()) + d.fixed_count
        total.add(PRF(tp, predicted, float(d.gold)))
    return total


def probabilities(docs: list[DocSamples], names: list[str], beta: np.ndarray) -> list[np.ndarray]:
    out = []
    for d in docs:
        x, _, _ = matrix([d], names)
        out.append(1.0 / (1.0 + np.exp(-np.clip(x @ beta, -30, 30))) if len(x) else np.zeros(0))
    return out


def best_threshold(docs: list[DocSamples], probs: list[np.ndarray]) -> float:
    return max(THRESHOLDS, key=lambda t: (score(docs, [p >= t for p in probs]).f, -abs(t - 0.5)))


def folds(docs: list[DocSamples], k: int) -> list[list[int]]:
    """Documents dealt to k folds in id order: deterministic and balanced in size."""
    order = sorted(range(len(docs)), key=lambda i: docs[i].doc_id)
    return [[i for j, i in enumerate(order) if j % k == fold] for fold in range(k)]


def cross_validate(docs: list[DocSamples], names: list[str], l2: float, k: int):
    """Out-of-fold scores of the model (threshold chosen on each training part) and the rule."""
    model, rule, per_fold = PRF(), PRF(), []
    for held in folds(docs, k):
        train = [d for i, d in enumerate(docs) if i not in held]
        test = [docs[i] for i in held]
        x, y, w = matrix(train, names)
        beta = fit(x, y, w, l2, names)
        threshold = best_threshold(train, probabilities(train, names, beta))
        m = score(test, [p >= threshold for p in probabilities(test, names, beta)])
        r = score(test, [np.array(d.rule, dtype=bool) for d in test])
        model.add(m)
        rule.add(r)
        per_fold.append((len(test), threshold, m, r))
    return model, rule, per_fold


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--litbank", type=Path, default=REPO_ROOT.parent / "shared" / "eval" / "litbank")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ficlens-name-cache"))
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--doc", type=Path, default=DEFAULT_DOC)
    parser.add_argument("--folds", type=int, default=FOLDS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not (args.litbank / "coref" / "brat").is_dir():
        print(f"{args.litbank}: not a LitBank root (no coref/brat/)", file=sys.stderr)
        return 2

    docs = [d for d in samples(extract(args.litbank, args.cache)) if d.split == "tune"]
    names = sorted({n for d in docs for f in d.features for n in f}, key=lambda n: (n != "bias", n))
    log.info("%d tune documents, %d forms, %d features", len(docs), sum(len(d.forms) for d in docs), len(names))

    grid = {l2: cross_validate(docs, names, l2, args.folds) for l2 in L2_GRID}
    for l2, (model, rule, _) in grid.items():
        log.info("L2 %-5g model %s | rule %s", l2, model.line(), rule.line())
    l2 = max(L2_GRID, key=lambda value: grid[value][0].f)

    x, y, w = matrix(docs, names)
    beta = fit(x, y, w, l2, names)
    threshold = best_threshold(docs, probabilities(docs, names, beta))
    weights = {n: round(float(b), 5) for n, b in zip(names, beta)}
    args.model.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "about": "ficlens person-name model: logistic regression over name-form features "
        "(ficlens.characters.name_model), trained by training/name_model.py on the tune part "
        "of LitBank (Bamman et al., CC BY 4.0).",
        "l2": l2,
        "threshold": threshold,
        "training_forms": int(len(y)),
        "weights": weights,
    }
    args.model.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    kept = args.doc.read_text(encoding="utf-8").partition(KEPT_MARKER)[2] if args.doc.is_file() else ""
    text = report(docs, grid, l2, threshold, weights, args.folds)
    args.doc.write_text(text + "\n" + KEPT_MARKER + (kept or "\n"), encoding="utf-8")
    log.info("wrote %s (threshold %.3f, L2 %g) and %s", args.model, threshold, l2, args.doc)
    return 0


def report(docs, grid, l2, threshold, weights, k) -> str:
    model, rule, per_fold = grid[l2]
    lines = [
        "# The person-name model",
        "",
        "Which capitalised forms of a work are people's names is decided by a small logistic",
        "regression (`src/ficlens/characters/name_model.py`, weights in",
        "`src/ficlens/data/models/person_name.json`), not by hand-set votes alone. Its features are",
        "per form and per work: the share of occurrences with each cue (a title, spaCy's PERSON or",
        "other label, sentence-initial capitals, inside a quote, subject of a speech verb, vocative,",
        "possessor of a face or a father, after an article or a place preposition, a `!` or `,`",
        "after it…), how often the work spells the form in lower case, the US first-name counts,",
        "and list membership (the interjection list `INTERJECTIONS`, `NOT_NAMES`, place heads,",
        "place-like endings) as features, not vetoes; the hand-set votes are three more features.",
        "A lone capitalised interjection is now a candidate like any word; LitBank has almost none,",
        "so its weight starts from a prior of -2 (the L2 pulls it there), and it is not set for a",
        'form the work tags as a speaker with the name after the verb ("said Pooh"). The',
        "knowledge base outranks the model (which never saw a fandom): a KB character is a person,",
        'a KB place is not. Title-only forms ("the General") keep the rule.',
        "",
        "Trained with one command (deterministic; parses LitBank once, then caches):",
        "",
        "    python training/name_model.py --litbank ../shared/eval/litbank",
        "",
        "## Data",
        "",
        "LitBank (David Bamman, Sejal Popat and Sheng Shen 2019, *An Annotated Dataset of Literary",
        "Entities*; David Bamman, Olivia Lewke and Anya Mansoor 2020, *An Annotated Dataset of",
        "Coreference in English Literature*), licensed CC BY 4.0. Only its **tune** part",
        f"(`ficlens.eval.split`) is used: {len(docs)} documents, {sum(len(d.forms) for d in docs)} candidate",
        "forms. A sample is one form in one document; its target is the share of its occurrences",
        "that are gold PROP_PER spans (exact span, as the scorer counts), its weight √occurrences",
        "(the F1 counts mentions; weights by count, 1 and log were within half a point). The check",
        "part is never trained on or read; only `ficlens eval` totals on it are reported below.",
        "",
        f"## Cross-validation ({k}-fold by document, tune part only)",
        "",
        "Mention-level name scores of the candidate forms kept (gold mentions that no candidate",
        "covers count as misses), out of fold; each fold's threshold is chosen on its training",
        "part. The rule is the hand-set `is_person` on the same folds and candidates (it reproduces",
        "`ficlens eval litbank --split tune` at the baseline, 84.6, except for one lone interjection",
        "that is a candidate now). With 42 documents, differences under a point are noise.",
        "",
        "| L2 | model P / R / F1 | rule P / R / F1 |",
        "|---|---|---|",
    ]
    for value, (m, r, _) in grid.items():
        mark = " (chosen)" if value == l2 else ""
        lines.append(f"| {value:g}{mark} | {m.p:.1f} / {m.r:.1f} / {m.f:.1f} | {r.p:.1f} / {r.r:.1f} / {r.f:.1f} |")
    lines += [
        "",
        f"Per fold at L2 {l2:g}:",
        "",
        "| fold | docs | threshold | model F1 | rule F1 |",
        "|---|---|---|---|---|",
    ]
    for i, (n, t, m, r) in enumerate(per_fold, 1):
        lines.append(f"| {i} | {n} | {t:.3f} | {m.f:.1f} | {r.f:.1f} |")
    top = sorted(weights.items(), key=lambda kv: -abs(kv[1]))[:15]
    lines += [
        "",
        f"Final model: fitted on the whole tune part, L2 {l2:g}, threshold {threshold:.3f}, "
        f"{len(weights)} weights. The largest:",
        "",
        ", ".join(f"`{n}` {v:+.2f}" for n, v in top),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
