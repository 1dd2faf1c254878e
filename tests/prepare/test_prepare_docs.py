"""docs/prepare.md stays true to the plan format, the profile and the bank."""

from __future__ import annotations

import re
from pathlib import Path

from simulator.prepare.checked_yaml import schema
from simulator.prepare.profile import parse_profile
from simulator.prepare.pushbacks import load_pushbacks

GUIDE = (Path(__file__).resolve().parents[2] / "docs" / "prepare.md").read_text("utf-8")


def test_the_reference_table_names_every_key_of_the_plan_format():
    reference = GUIDE.split("## Plan format reference", 1)[1]
    for key, rule in schema("plan.schema.json")["properties"].items():
        assert f"`{key}" in reference, key
        for inner in rule.get("properties", {}) or rule.get("items", {}).get("properties", {}):
            assert re.search(rf"`[.\w\[\]:, /`]*{inner}", reference), f"{key}.{inner}"


def test_the_profile_example_in_the_guide_loads_cleanly():
    block = GUIDE.split("## Your local profile", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    profile, diagnostics = parse_profile(block, "docs/prepare.md")
    assert diagnostics == [] and profile.stage(2).who == "Team managers"


def test_the_guide_gives_the_banks_true_size():
    assert f"a bank of {len(load_pushbacks())}" in GUIDE
