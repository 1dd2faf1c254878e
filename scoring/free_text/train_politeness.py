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
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from typing import NamedTuple
from pathlib import Path

from scoring.free_text.politeness import feature_vector, strategy_tables

CORPUS_FILE = "stack-exchange.annotated.csv"
DEFAULT_FOLDER = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "politeness"
WEIGHTS = Path(__file__).resolve().parent / "politeness_weights.json"
# Inverse regularisation strength, chosen for cross-community accuracy (train
# without Stack Overflow, test on it) among 0.1, 0.3 and 1: 0.1 was best
# (60.0% against 59.3% and 58.7%), and in-domain accuracy barely moves with it.
C = 0.1
DIGITS = 4
HELD_OUT_COMMUNITY = "Stack Overflow"


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


def matrix(labelled: list[tuple[Request, int]]) -> tuple[list[list[float]], list[int]]:
    return [feature_vector(r.text) for r, _ in labelled], [label for _, label in labelled]


def fit(features: list[list[float]], labels: list[int], c: float = C):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="liblinear", max_iter=1000, tol=1e-8)
    model.fit(features, labels)
    return model


def accuracy(model, features, labels) -> float:
    predicted = model.predict(features)
    return sum(int(p == y) for p, y in zip(predicted, labels)) / len(labels)


def in_domain(requests: list[Request], folds: int = 10, c: float = C) -> float:
    """Accuracy of ten-fold cross-validation on the whole corpus's quartile task
    (folds by position after a fixed shuffle, seed 0)."""
    import random

    labelled = quartile_task(requests)
    order = list(range(len(labelled)))
    random.Random(0).shuffle(order)
    correct = 0
    for fold in range(folds):
        test = [labelled[i] for i in order[fold::folds]]
        train = [labelled[i] for k, i in enumerate(order) if k % folds != fold]
        model = fit(*matrix(train), c=c)
        x, y = matrix(test)
        correct += round(accuracy(model, x, y) * len(y))
    return correct / len(labelled)


def across(train: list[Request], test: list[Request], c: float = C) -> tuple[float, int]:
    """Train on one set, test on another; each set's quartiles are its own."""
    model = fit(*matrix(quartile_task(train)), c=c)
    x, y = matrix(quartile_task(test))
    return accuracy(model, x, y), len(y)


def without_stack_overflow(requests: list[Request], c: float = C) -> tuple[float, int]:
    rest = [r for r in requests if r.community != HELD_OUT_COMMUNITY]
    held = [r for r in requests if r.community == HELD_OUT_COMMUNITY]
    return across(rest, held, c)


def leave_one_community_out(requests: list[Request], c: float = C) -> dict[str, tuple[float, int]]:
    communities = sorted({r.community for r in requests})
    return {
        name: across([r for r in requests if r.community != name],
                     [r for r in requests if r.community == name], c)
        for name in communities
    }


def weights_document(requests: list[Request]) -> str:
    labelled = quartile_task(requests)
    model = fit(*matrix(labelled))
    names = strategy_tables().names
    document = {
        "about": ("Logistic-regression weights of the politeness strategies in politeness_markers.json, "
                  "trained by train_politeness.py on the quartile task of the Stack Exchange part of the "
                  "Stanford Politeness Corpus (Apache-2.0; see POLITENESS-NOTICE.txt). A positive weight "
                  "makes an utterance more polite. Do not edit by hand: run the script."),
        "corpus": CORPUS_FILE,
        "requests": len(requests),
        "trained_on": len(labelled),
        "C": C,
        "intercept": round(float(model.intercept_[0]), DIGITS),
        "weights": {name: round(float(w), DIGITS) for name, w in zip(names, model.coef_[0])},
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
