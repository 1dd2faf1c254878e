"""Record what the commands print on the bundled library, and compare two recordings.

For a change that must not change behaviour (a reorganisation, a refactor):
record before, record after, compare. Byte for byte: stdout, stderr and the exit
status of `rehearse validate --no-cache`, `rehearse analyse --format json`, and
for every bundled scenario `rehearse graph ID --format html` and `rehearse play
ID --choices …` on its best overall path, on "always 1" and on "always 2".

    python tests/tools/same_outputs.py record /tmp/before
    python tests/tools/same_outputs.py record /tmp/after
    python tests/tools/same_outputs.py compare /tmp/before /tmp/after
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], env: dict[str, str]) -> bytes:
    done = subprocess.run([sys.executable, "-m", "simulator", *args], cwd=ROOT, env=env, capture_output=True)
    return b"exit %d\n--- stdout\n%s\n--- stderr\n%s" % (done.returncode, done.stdout, done.stderr)


def record(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        # A private history and cache: nothing read from or written to the user's.
        env = dict(os.environ, REHEARSE_DATA=f"{scratch}/history.db", REHEARSE_CACHE=f"{scratch}/cache",
                   PYTHONHASHSEED="0")
        outputs = {
            "validate": _run(["validate", "--no-cache"], env),
            "analyse": _run(["analyse", "--format", "json"], env),
        }
        analysis = json.loads(outputs["analyse"].split(b"--- stdout\n", 1)[1].rsplit(b"\n--- stderr", 1)[0])
        for entry in analysis["scenarios"]:
            scenario_id = entry["scenario_id"]
            outputs[f"graph-{scenario_id}"] = _run(["graph", scenario_id, "--format", "html"], env)
            routes = {"best": entry["best"]["overall"]["path"], "ones": [1] * 30, "twos": [2] * 30}
            for name, path in routes.items():
                choices = ",".join(str(n) for n in path)
                outputs[f"play-{scenario_id}-{name}"] = _run(["play", scenario_id, "--choices", choices], env)
    for name, output in outputs.items():
        (folder / f"{name}.txt").write_bytes(output)
    print(f"recorded {len(outputs)} outputs in {folder}")
    return 0


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.glob("*.txt")} | {p.name for p in after.glob("*.txt")})
    differ = [n for n in names if not (before / n).exists() or not (after / n).exists()
              or (before / n).read_bytes() != (after / n).read_bytes()]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} of {len(names)} outputs byte-identical")
    return 1 if differ else 0


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["record", folder]:
            sys.exit(record(Path(folder)))
        case ["compare", before, after]:
            sys.exit(compare(Path(before), Path(after)))
        case _:
            print(__doc__, file=sys.stderr)
            sys.exit(2)
