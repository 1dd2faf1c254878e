"""Plans for the prepare tests, written as a practitioner would write them."""

from __future__ import annotations

from datetime import date

from simulator.prepare.loader import read_plan
from simulator.prepare.starter import starter_text

# The tests fix "today" so that dates in the worked example never go stale.
TODAY = date(2026, 12, 4)


def example_plan():
    plan, diagnostics = read_plan(starter_text("example.yaml", example=True), "example.yaml", TODAY)
    assert plan is not None, [d.format() for d in diagnostics]
    return plan


def template_plan():
    plan, diagnostics = read_plan(starter_text("plan.yaml"), "plan.yaml", TODAY)
    assert plan is not None, [d.format() for d in diagnostics]
    return plan


MINIMAL = """\
about: adult
area: service-provision
decision:
  what: Discharge home tomorrow with a package of care
concern: Mrs K. fell three times on the ward and lives alone.
"""
