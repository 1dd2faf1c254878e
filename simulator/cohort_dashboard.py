"""``rehearse dashboard --cohort NAME``: the facilitator's live view of a group session.

The cohort is looked up before Textual is imported, so a mistyped name gets
a plain message (and the list of cohorts) at once.
"""

from __future__ import annotations

from pathlib import Path

from simulator.cohorts import find_cohort
from simulator.store import default_path


def run_cli(args) -> int:
    path = Path(args.data) if args.data else default_path()
    cohort = find_cohort(path, args.cohort, "dashboard")
    if cohort is None:
        return 1
    from simulator.library import load_all
    from simulator.tui.dashboard_screen import DashboardApp

    scenarios = [result.scenario for result in load_all() if result.scenario is not None]
    DashboardApp(path, cohort, scenarios).run()
    return 0
