"""The analyser of typed challenge: prints figures, asserts nothing.

    python benchmarks/bench_say.py [--skip-politeness] [--no-held-out]

1. Politeness on the paper's quartile task (top quartile polite, bottom
   impolite) of the Stack Exchange corpus in ../shared/data/politeness/:
   first, for each community, whether its ratings track its words at all
   (in most small communities of this release they do not); then ten-fold
   cross-validation in domain; trained without Stack Overflow and tested on
   it; and leave-one-community-out, over all 25 communities and over those
   whose ratings track their words — learning from those communities only
   (the shipped model) and, for comparison, from every community.
   Needs the train extra (scikit-learn) and the corpus; says so if either is
   missing. (Published: cross-domain 75.4%, humans 86.7%, on Wikipedia.)
2. Elements on our labelled utterances: precision, recall and F1 per element
   and macro-F1, on dev-tune (rules were written reading it), dev-held (ids
   that are multiples of 5, never read), practice (more development data, read),
   heldout (never read, phrased differently on purpose) and heldout2 (the
   .jsonl files of heldout2/, labelled independently, never read) — separately;
   respectful accuracy; politeness within 0.2 of the labellers' score.
   --no-held-out leaves heldout and heldout2 out, for development runs.
3. Case-file citations, when tests/data/utterances/case_matching.jsonl exists.
4. Import time of the analyser (fresh interpreters, median) and utterances per
   second through the streaming API; the latency of one utterance.

Goals measured later by others: >= 80% on another community's quartile task;
macro-F1 >= 0.85 over the elements.
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from say_eval import DATA, load, print_scores, score, slices  # noqa: E402

from scoring.free_text import analyse, analyse_stream  # noqa: E402


def politeness_figures() -> None:
    print("== Politeness: quartile task, Stanford Politeness Corpus (Stack Exchange) ==")
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("  skipped: scikit-learn is not installed (pip install -e '.[train]')")
        return
    from scoring.free_text import train_politeness as training

    try:
        requests = training.read_corpus(training.corpus_path(None))
    except training.CorpusMissing as missing:
        print(f"  skipped: {missing}")
        return
    checks = training.rating_check(requests)
    kept = frozenset(c.community for c in checks if c.learned_from)
    print(f"  {len(requests)} requests in {len(checks)} communities; C = {training.C}; "
          f"{len(training.vocabulary(requests))} everyday words")
    print("  Do the ratings track the words? Spearman's rho between a strategies-only model trained on "
          f"{training.ANCHOR_COMMUNITY} and each community's ratings:")
    for check in sorted(checks, key=lambda c: -c.rho):
        print(f"    {check.community:<30} {check.requests:>5} requests  rho {check.rho:+.2f}  p {check.p:.3f}"
              f"{'  learned from' if check.learned_from else ''}")
    for label, communities in (("learning from the communities whose ratings track their words", kept),
                               ("learning from every community (as before)", None)):
        print(f"  {label}:")
        print(f"    in domain, ten-fold cross-validation:        "
              f"{training.in_domain(requests, communities=communities):.1%}")
        accuracy, count = training.without_stack_overflow(requests, communities=communities)
        print(f"    trained without Stack Overflow, tested on it: {accuracy:.1%} ({count} requests)")
        per_community = training.leave_one_community_out(requests, communities=communities)
        _print_loco("leave one community out, all", per_community)
        _print_loco("leave one community out, those learned from", {k: v for k, v in per_community.items() if k in kept})


def _print_loco(label: str, per_community: dict[str, tuple[float, int]]) -> None:
    mean = statistics.mean(a for a, _ in per_community.values())
    pooled = sum(a * n for a, n in per_community.values()) / sum(n for _, n in per_community.values())
    low = min(per_community.items(), key=lambda item: item[1][0])
    high = max(per_community.items(), key=lambda item: item[1][0])
    print(f"    {label} ({len(per_community)}): mean {mean:.1%} (pooled {pooled:.1%}; "
          f"lowest {low[0]} {low[1][0]:.0%}, highest {high[0]} {high[1][0]:.0%})")


def element_figures(held_out: bool = True) -> None:
    print("\n== Elements on the labelled utterances ==")
    parts = slices(held_out=held_out)
    for name in ("dev-tune", "dev-held", "practice", "heldout", "heldout2"):
        if name not in parts:
            print(f"\n{name}: not shown (--no-held-out)")
        elif parts[name]:
            print_scores(name, score(parts[name]))
        else:
            print(f"\n{name}: not available")


def case_file_of(scenario: str) -> dict:
    import yaml

    path = ROOT / "scenarios" / f"{scenario}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("case_file") or {}


def citation_scores(items: list[dict]) -> dict:
    """Per utterance: the facts cited rightly and the facts misquoted (a wrong
    date, name, number or detail), each compared with the labels."""
    files: dict[str, dict] = {}
    counts = {"cites": [0, 0, 0], "misquotes": [0, 0, 0]}
    exact = 0
    for item in items:
        case_file = files.setdefault(item["scenario"], case_file_of(item["scenario"]))
        result = analyse(item["text"], case_file)
        wrong = {c.fact_id for c in result.citations if c.status != "cited"}
        got = {"cites": {c.fact_id for c in result.citations if c.status == "cited"} - wrong, "misquotes": wrong}
        want = {"cites": set(item["cites"]), "misquotes": {m["fact"] for m in item["misquotes"]}}
        for kind in counts:
            counts[kind][0] += len(got[kind] & want[kind])
            counts[kind][1] += len(got[kind] - want[kind])
            counts[kind][2] += len(want[kind] - got[kind])
        exact += got == want
    figures = {"n": len(items), "exact": exact}
    for kind, (tp, fp, fn) in counts.items():
        figures[kind] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0, tp + fn)
    return figures


def citation_figures() -> None:
    print("\n== Case-file citations (tests/data/utterances/case_matching.jsonl) ==")
    items = load("case_matching")
    if not items:
        print(f"  skipped: no {DATA / 'case_matching.jsonl'} yet")
        return
    figures = citation_scores(items)
    print(f"  {figures['exact']} of {figures['n']} utterances with exactly the labelled cited and misquoted facts "
          f"({figures['exact'] / figures['n']:.1%})")
    for kind in ("cites", "misquotes"):
        precision, recall, support = figures[kind]
        print(f"  {kind:<10} precision {precision:.2f}, recall {recall:.2f} ({support} labelled)")


def import_time(runs: int = 7) -> None:
    code = ("import time; start, cpu = time.perf_counter(), time.process_time(); import scoring.free_text; "
            "print((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000)")
    times, cpu_times = [], []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
        wall, cpu = result.stdout.split()
        times.append(float(wall))
        cpu_times.append(float(cpu))
    first = ("import time, scoring.free_text as f; start = time.perf_counter(); f.analyse('I am worried.'); "
             "print((time.perf_counter() - start) * 1000)")
    first_times = [float(subprocess.run([sys.executable, "-c", first], capture_output=True, text=True,
                                        check=True, cwd=ROOT).stdout) for _ in range(3)]
    print("\n== Speed ==")
    print(f"  import scoring.free_text: median {statistics.median(cpu_times):.1f} ms CPU, "
          f"{statistics.median(times):.1f} ms by the wall clock, over {runs} fresh interpreters "
          f"(wall min {min(times):.1f}, max {max(times):.1f}); budget 50 ms")
    print(f"  first analysis in a process (marker tables compiled once): median {statistics.median(first_times):.0f} ms")


def throughput() -> None:
    lines = [item["text"].replace("\n", " ") for item in load("dev")] or ["I'm worried about Leo."]
    corpus = ("\n".join(lines) + "\n").encode("utf-8")
    repeats = max(1, 3000 // len(lines))
    data = corpus * repeats
    for text in lines:
        analyse(text)  # every marker pattern compiled once, as in a long session
    # CPU time of this process, so that other work on a shared machine does not
    # count against the analyser; wall-clock time is printed beside it.
    start, wall = time.process_time(), time.perf_counter()
    count = analyse_stream(io.BytesIO(data), io.StringIO())
    elapsed, wall = time.process_time() - start, time.perf_counter() - wall
    mean_chars = sum(map(len, lines)) / len(lines)
    print(f"  streaming API: {count} lines (dev utterances, mean {mean_chars:.0f} characters) in {elapsed:.2f} s CPU "
          f"= {count / elapsed:,.0f} lines per second ({count / wall:,.0f} by the wall clock)")
    short = [text for text in lines if len(text) <= 80]
    short_data = ("\n".join(short) + "\n").encode("utf-8") * max(1, 3000 // max(1, len(short)))
    start = time.process_time()
    short_count = analyse_stream(io.BytesIO(short_data), io.StringIO())
    print(f"  streaming API, lines of at most 80 characters: {short_count / (time.process_time() - start):,.0f} "
          "lines per second (CPU)")
    per = []
    for text in lines:
        start = time.process_time()
        analyse(text)
        per.append((time.process_time() - start) * 1000)
    per.sort()
    print(f"  one utterance (CPU): median {statistics.median(per):.2f} ms, mean {statistics.mean(per):.2f} ms, "
          f"99th percentile {per[int(len(per) * 0.99)]:.2f} ms, slowest {per[-1]:.2f} ms; budget 5 ms")
    paste = "I'm worried about Leo; on 6 October he said Craig grabbed him. " * 330
    analyse(paste)
    start = time.process_time()
    for _ in range(20):
        analyse(paste)
    print(f"  a {len(paste) / 1024:.0f} KB paste (read to its first 1,500 characters): "
          f"{(time.process_time() - start) / 20 * 1000:.2f} ms CPU")


if __name__ == "__main__":
    if "--skip-politeness" not in sys.argv:
        politeness_figures()
    element_figures(held_out="--no-held-out" not in sys.argv)
    citation_figures()
    import_time()
    throughput()
    print(json.dumps({"note": "figures from a shared 2-core machine; speed varies with load"}))
