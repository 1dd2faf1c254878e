"""Scoring the analyser against the labelled utterances (tests/data/utterances/).

The dev set is split once, by id, so that rules are written on one part and
checked on another: every utterance whose id number is a multiple of 5 is
**dev-held** and is never read while writing rules; the rest is **dev-tune**.
**practice** (practice.jsonl) was written later, by another hand, as more
development data in other agencies' words and other sentence shapes. The
held-out sets (heldout.jsonl, and every .jsonl file in heldout2/, written
independently) are only ever scored, never read.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.free_text import RESULT_ELEMENTS, analyse  # noqa: E402

DATA = ROOT / "tests" / "data" / "utterances"


def load(name: str) -> list[dict]:
    path = DATA / f"{name}.jsonl"
    if not path.is_file():
        return []
    return _read(path)


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_folder(name: str) -> list[dict]:
    """Every labelled record in the .jsonl files of a folder of DATA (sorted by
    file name); records without element labels are left out."""
    folder = DATA / name
    if not folder.is_dir():
        return []
    return [item for path in sorted(folder.glob("*.jsonl")) for item in _read(path)
            if isinstance(item.get("elements"), dict)]


def is_dev_held(item: dict) -> bool:
    digits = re.sub(r"\D", "", str(item.get("id", "")))
    return bool(digits) and int(digits) % 5 == 0


HELD_OUT = ("heldout", "heldout2")


def slices(held_out: bool = True) -> dict[str, list[dict]]:
    """The labelled sets by name; without ``held_out`` the never-read sets are
    left out, so a development run cannot show them even by accident."""
    dev = load("dev")
    parts = {
        "dev-tune": [i for i in dev if not is_dev_held(i)],
        "dev-held": [i for i in dev if is_dev_held(i)],
        "practice": load("practice"),
    }
    if held_out:
        parts["heldout"] = load("heldout")
        # Written from the definitions alone by a labeller who never saw the
        # analyser or the other sets: the truest figure we have.
        parts["heldout2"] = load_folder("heldout2") or load("heldout2")
    return parts


def score(items: list[dict]) -> dict:
    """Per-element precision, recall and F1, macro-F1, respectful accuracy and
    politeness agreement (within 0.2 of the label, as labellers agree)."""
    counts = {e: [0, 0, 0] for e in RESULT_ELEMENTS}  # true positives, false positives, false negatives
    respectful_right = politeness_close = politeness_items = 0
    errors = []
    for item in items:
        result = analyse(item["text"])
        found = result.elements
        for element in RESULT_ELEMENTS:
            want = bool(item["elements"][element])
            got = found[element]
            if got and want:
                counts[element][0] += 1
            elif got:
                counts[element][1] += 1
                errors.append((element, "false positive", item, result))
            elif want:
                counts[element][2] += 1
                errors.append((element, "missed", item, result))
        if "respectful" in item:
            respectful_right += result.respectful == bool(item["respectful"])
        if item.get("politeness") is not None:
            politeness_items += 1
            politeness_close += abs(result.politeness - float(item["politeness"])) <= 0.2 + 1e-9
    per_element = {}
    for element, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_element[element] = (precision, recall, f1, tp + fn)
    return {
        "n": len(items),
        "elements": per_element,
        "macro_f1": sum(v[2] for v in per_element.values()) / len(per_element),
        "respectful": respectful_right / len(items) if items else 0.0,
        "politeness_within_0_2": politeness_close / politeness_items if politeness_items else 0.0,
        "errors": errors,
    }


def fit_politeness_scale(items: list[dict]) -> tuple[float, float, int]:
    """The straight line (intercept, slope) that puts the model's probability
    of "polite" on the labellers' 0-1 scale: least squares over the utterances
    labelled respectful (blame and contempt have their own ceilings)."""
    from scoring.free_text.analyser import _muted
    from scoring.free_text.elements import find_all
    from scoring.free_text.politeness import politeness
    from scoring.free_text.text import prepare

    xs, ys = [], []
    for item in items:
        if not item.get("respectful", True) or item.get("politeness") is None:
            continue
        utterance = prepare(item["text"])
        findings, _ = find_all(utterance)
        xs.append(politeness(utterance, _muted(utterance, findings)).score)
        ys.append(float(item["politeness"]))
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
    return mean_y - slope * mean_x, slope, len(xs)


def print_scores(name: str, scored: dict) -> None:
    print(f"\n{name}: {scored['n']} utterances")
    print(f"  {'element':<14}{'precision':>10}{'recall':>8}{'F1':>7}{'true':>6}")
    for element, (p, r, f, support) in scored["elements"].items():
        print(f"  {element:<14}{p:>10.2f}{r:>8.2f}{f:>7.2f}{support:>6}")
    print(f"  macro-F1 {scored['macro_f1']:.3f}; respectful accuracy {scored['respectful']:.1%}; "
          f"politeness within 0.2 of the label {scored['politeness_within_0_2']:.1%}")


if __name__ == "__main__":
    # Development aid: scores and, for the sets that may be read (dev-tune and
    # practice), the disagreements. The held-out sets are not loaded at all.
    wanted = [a for a in sys.argv[1:] if not a.startswith("--")] or ["dev-tune"]
    parts = slices(held_out=False)
    if "--fit-scale" in sys.argv:
        # The line in analyser.py (SCALE_INTERCEPT, SCALE_SLOPE) is fitted on dev-tune and practice.
        intercept, slope, count = fit_politeness_scale(parts["dev-tune"] + parts["practice"])
        print(f"politeness scale: {intercept:.3f} + {slope:.3f} x probability, fitted on {count} utterances")
        sys.exit(0)
    for name in wanted:
        if name not in parts:
            sys.exit(f"{name}: not a development set (choose from {', '.join(parts)})")
        scored = score(parts[name])
        print_scores(name, scored)
        if name in ("dev-tune", "practice") and "--quiet" not in sys.argv:
            for element, kind, item, result in scored["errors"]:
                spans = [result.text[f.start:f.end] for f in result.findings[element]]
                print(f"[{element} {kind}] {item['id']}: {item['text'][:300]}  -> {spans}")
