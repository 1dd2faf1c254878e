"""Finding a cohort in a history file, for the commands that read one
(``rehearse dashboard`` and ``rehearse export --cohort``).

A mistyped name is the common mistake, so the answer lists the cohorts the
file does have. Nothing here creates a file: reading a cohort from a --data
path that does not exist must not leave an empty history behind.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from simulator.store import Cohort, Store, StoreError
from simulator.text import inert


def find_cohort(path: Path, name: str, command: str, err: TextIO | None = None) -> Cohort | None:
    """The cohort ``name`` in the history file at ``path``; None after telling
    the user why not (on ``err``, default stderr) and which cohorts there are."""
    err = err or sys.stderr
    shown_path, shown_name = inert(str(path)), inert(name)
    if not path.exists():
        print(f"rehearse {command}: there is no history file at {shown_path}, so no cohort '{shown_name}'.\n"
              "Give the file the group session uses with --data PATH.", file=err)
        return None
    try:
        with Store(path) as store:
            cohort, known = store.cohort(name), store.cohorts()
    except StoreError as exc:
        print(f"rehearse {command}: {inert(str(exc))}", file=err)
        return None
    if cohort is not None:
        return cohort
    if not known:
        print(f"rehearse {command}: {shown_path} has no cohorts yet.\n"
              "A group session creates one: rehearse serve --cohort NAME", file=err)
        return None
    print(f"rehearse {command}: there is no cohort '{shown_name}' in {shown_path}. The cohorts there are:", file=err)
    for other in known:
        scenario = f"plays {inert(other.scenario_id)}" if other.scenario_id else "participants choose the scenario"
        print(f"  {inert(other.name):24} {scenario}, created {other.created_at[:10]}", file=err)
    return None
