"""Train the politeness weights from the Stanford Politeness Corpus.

    python -m scoring.free_text.train_politeness [CORPUS.csv | FOLDER] [--out FILE] [--check]

Reads the Stack Exchange half of the corpus (``stack-exchange.annotated.csv``)
from the path given, or from ``../shared/data/politeness/`` beside the
repository, and writes ``politeness_weights.json`` beside this module. The
run is deterministic (fixed features in sorted order, a deterministic solver,
weights rounded), so running it again on the same corpus rewrites the shipped
file byte for byte; ``--check`` compares instead of writing and exits 1 on any
difference.

Needs the ``train`` extra (scikit-learn); the application never imports this
module. The corpus itself is never shipped: only the weights and the licence
notice (``POLITENESS-NOTICE.txt``).

The task is the paper's: within one corpus, requests in the top quartile of
the normalised score are polite, those in the bottom quartile impolite, and the
middle half is left out.

Two choices, each measured by ``benchmarks/bench_say.py``:

- **Features**: the politeness strategies of ``politeness_markers.json``, and
  the everyday words used in at least ten of the 25 communities (words of one
  site's subject, such as "php" or "tyre", cannot carry across to another), each
  present or absent, all under the same regularisation.
- **Which communities to learn from**: in most of the smaller communities of
  this release the ratings do not follow the words at all (raters agree with one
  another, but "Why the hell was this migrated?" is rated polite by all five and
  "Thank you … could you help me, please?" impolite), as if each request's
  ratings belonged to another request. A community is learned from only when its
  ratings track its words: a strategies-only model trained on Stack Overflow,
  the largest community, ranks its requests in the order of their ratings
  (Spearman's rho above 0, two-sided p below 0.05). ``rating_check`` reports it
  for every community.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from scoring.free_text.politeness import feature_vector, strategy_tables, word_set

CORPUS_FILE = "stack-exchange.annotated.csv"
DEFAULT_FOLDER = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "politeness"
WEIGHTS = Path(__file__).resolve().parent / "politeness_weights.json"
# Inverse regularisation strength, the same for strategies and words. Chosen by
# leave-one-community-out over the communities whose ratings track their words,
# among 0.03, 0.05, 0.1, 0.2 and 0.5 (67.8%, 69.0%, 70.0%, 70.6%, 69.0%): 0.1
# and 0.2 are level within noise, and 0.1 generalised better from Stack Overflow
# to the others (70.1% against 68.8%).
C = 0.1
DIGITS = 4
HELD_OUT_COMMUNITY = "Stack Overflow"
ANCHOR_COMMUNITY = "Stack Overflow"
# A word (of two letters or more) is a feature when at least this many requests
# and communities use it.
MIN_REQUESTS = 5
MIN_COMMUNITIES = 10
# The rating check: Spearman's rho above 0 with a two-sided p below this.
CHECK_P = 0.05


class Request(NamedTuple):
    community: str
    text: str
    score: float


class CorpusMissing(Exception):
    pass


def corpus_path(argument: str | None) -> Path:
    path = Path(argument) if argument else DEFAULT_FOLDER
    if path.is_dir():
        path = path / CORPUS_FILE
    if not path.is_file():
        raise CorpusMissing(
            f"The politeness corpus is not at {path}. Put the Stack Exchange part of the Stanford "
            f"Politeness Corpus ({CORPUS_FILE}) there, or give its path: "
            "python -m scoring.free_text.train_politeness PATH"
        )
    return path


def read_corpus(path: Path) -> list[Request]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # "092011 Stack Overflow" -> "Stack Overflow": the prefix is the crawl date.
    return [
        Request(row["Community"].split(" ", 1)[-1], row["Request"], float(row["Normalized Score"]))
        for row in rows
    ]


def quartile_task(requests: list[Request]) -> list[tuple[Request, int]]:
    """The top quartile as polite (1) and the bottom as impolite (0), within
    ``requests``; the middle half is left out."""
    scores = [r.score for r in requests]
    low, _, high = statistics.quantiles(scores, n=4, method="inclusive")
    return [(r, 1 if r.score >= high else 0) for r in requests if r.score >= high or r.score <= low]


def vocabulary(requests: list[Request]) -> tuple[str, ...]:
    """The everyday words: used by at least MIN_REQUESTS requests in at least
    MIN_COMMUNITIES communities, sorted."""
    requests_using: dict[str, int] = {}
    communities_using: dict[str, set[str]] = {}
    for request in requests:
        for word in _words(request.text):
            requests_using[word] = requests_using.get(word, 0) + 1
            communities_using.setdefault(word, set()).add(request.community)
    # One-letter words are mostly variables from code and formulas ("x", "e").
    return tuple(sorted(w for w, n in requests_using.items()
                        if len(w) > 1 and n >= MIN_REQUESTS and len(communities_using[w]) >= MIN_COMMUNITIES))


@lru_cache(maxsize=None)
def _strategies(text: str) -> tuple[float, ...]:
    return tuple(feature_vector(text))


@lru_cache(maxsize=None)
def _words(text: str) -> frozenset[str]:
    return word_set(text)


def matrix(labelled: list[tuple[Request, int]], words: tuple[str, ...] = ()) -> tuple[list[list[float]], list[int]]:
    """Strategies, then one column per word of ``words`` (1.0 when used)."""
    rows = []
    for request, _ in labelled:
        present = _words(request.text)
        rows.append(list(_strategies(request.text)) + [1.0 if word in present else 0.0 for word in words])
    return rows, [label for _, label in labelled]


def fit(features: list[list[float]], labels: list[int], c: float = C):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="liblinear", max_iter=1000, tol=1e-8)
    model.fit(features, labels)
    return model


def accuracy(model, features, labels) -> float:
    predicted = model.predict(features)
    return sum(int(p == y) for p, y in zip(predicted, labels)) / len(labels)


# -- which communities to learn from ----------------------------------------------------

class CommunityCheck(NamedTuple):
    community: str
    requests: int
    rho: float  # Spearman's rho between the anchor model's score and the raters' score
    p: float  # two-sided
    learned_from: bool


def rating_check(requests: list[Request]) -> list[CommunityCheck]:
    """For every community, whether its ratings track its words: a
    strategies-only model trained on the anchor community (Stack Overflow)
    scores its requests, and their order is compared with the ratings'. The
    anchor itself is learned from."""
    from scipy.stats import spearmanr

    anchor = [r for r in requests if r.community == ANCHOR_COMMUNITY]
    model = fit(*matrix(quartile_task(anchor)))
    checks = []
    for community in sorted({r.community for r in requests}):
        members = [r for r in requests if r.community == community]
        if community == ANCHOR_COMMUNITY:
            checks.append(CommunityCheck(community, len(members), 1.0, 0.0, True))
            continue
        predicted = model.decision_function([list(_strategies(r.text)) for r in members])
        rho, p = spearmanr(predicted, [r.score for r in members])
        rho, p = float(rho), float(p)
        checks.append(CommunityCheck(community, len(members), rho, p, rho > 0 and p < CHECK_P))
    return checks


def trusted(requests: list[Request]) -> frozenset[str]:
    return frozenset(check.community for check in rating_check(requests) if check.learned_from)


# -- measuring ---------------------------------------------------------------------------

def _train(requests: list[Request], communities: frozenset[str], words: tuple[str, ...], c: float):
    chosen = [r for r in requests if r.community in communities]
    return fit(*matrix(quartile_task(chosen), words), c=c)


def in_domain(requests: list[Request], folds: int = 10, c: float = C, communities: frozenset[str] | None = None) -> float:
    """Accuracy of ten-fold cross-validation on the whole corpus's quartile task
    (folds by position after a fixed shuffle, seed 0), training on the folds'
    requests from the communities learned from (every community if None)."""
    words = vocabulary(requests)
    labelled = quartile_task(requests)
    order = list(range(len(labelled)))
    random.Random(0).shuffle(order)
    correct = 0
    for fold in range(folds):
        test = [labelled[i] for i in order[fold::folds]]
        train = [labelled[i] for k, i in enumerate(order) if k % folds != fold
                 and (communities is None or labelled[i][0].community in communities)]
        model = fit(*matrix(train, words), c=c)
        x, y = matrix(test, words)
        correct += round(accuracy(model, x, y) * len(y))
    return correct / len(labelled)


def across(train: list[Request], test: list[Request], c: float = C, communities: frozenset[str] | None = None,
           words: tuple[str, ...] = ()) -> tuple[float, int]:
    """Train on one set, test on another; each set's quartiles are its own."""
    if communities is not None:
        train = [r for r in train if r.community in communities]
    model = fit(*matrix(quartile_task(train), words), c=c)
    x, y = matrix(quartile_task(test), words)
    return accuracy(model, x, y), len(y)


def without_stack_overflow(requests: list[Request], c: float = C, communities: frozenset[str] | None = None) -> tuple[float, int]:
    rest = [r for r in requests if r.community != HELD_OUT_COMMUNITY]
    held = [r for r in requests if r.community == HELD_OUT_COMMUNITY]
    return across(rest, held, c, communities, vocabulary(requests))


def leave_one_community_out(requests: list[Request], c: float = C, communities: frozenset[str] | None = None,
                            only: frozenset[str] | None = None) -> dict[str, tuple[float, int]]:
    """Accuracy on each community (or each of ``only``), trained on the others
    (those learned from, when ``communities`` is given)."""
    words = vocabulary(requests)
    return {
        name: across([r for r in requests if r.community != name],
                     [r for r in requests if r.community == name], c, communities, words)
        for name in sorted({r.community for r in requests}) if only is None or name in only
    }


def weights_document(requests: list[Request]) -> str:
    communities = trusted(requests)
    words = vocabulary(requests)
    chosen = [r for r in requests if r.community in communities]
    labelled = quartile_task(chosen)
    model = fit(*matrix(labelled, words))
    names = strategy_tables().names
    coefficients = [float(w) for w in model.coef_[0]]
    document = {
        "about": ("Logistic-regression weights of the politeness strategies in politeness_markers.json and of "
                  "everyday words, trained by train_politeness.py on the quartile task of the Stack Exchange part "
                  "of the Stanford Politeness Corpus (Apache-2.0; see POLITENESS-NOTICE.txt), learning only from "
                  "the communities whose ratings track their words. A positive weight makes an utterance more "
                  "polite. Do not edit by hand: run the script."),
        "corpus": CORPUS_FILE,
        "requests": len(requests),
        "learned_from": sorted(communities),
        "trained_on": len(labelled),
        "C": C,
        "words_rule": f"used by at least {MIN_REQUESTS} requests in at least {MIN_COMMUNITIES} communities",
        "intercept": round(float(model.intercept_[0]), DIGITS),
        "weights": {name: round(w, DIGITS) for name, w in zip(names, coefficients)},
        "words": {word: round(w, DIGITS) for word, w in zip(words, coefficients[len(names):])},
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the politeness weights from the Stanford Politeness Corpus.")
    parser.add_argument("corpus", nargs="?", help=f"{CORPUS_FILE} or the folder holding it")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = parser.parse_args(argv)
    try:
        path = corpus_path(args.corpus)
    except CorpusMissing as missing:
        print(missing, file=sys.stderr)
        return 2
    document = weights_document(read_corpus(path))
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == document
        print(f"{args.out}: {'matches' if same else 'differs from'} a fresh training run")
        return 0 if same else 1
    args.out.write_text(document, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
