"""What the scenario format allows, read from its one JSON Schema.

The schema (``simulator/schema/scenario.schema.json``) is the single list of
briefing areas and ending outcomes: the checker enforces it, and the parts that
show or write those words (analysis reports, the graph page, the starter, the
Twine importer) read them from here instead of keeping copies.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


def schema_text() -> str:
    return resources.files("simulator.schema").joinpath("scenario.schema.json").read_text("utf-8")


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(schema_text())


def areas() -> list[str]:
    """Briefing area ids in the schema's order: the briefing's six, then the others."""
    return list(schema()["properties"]["area"]["enum"])


def outcomes() -> list[str]:
    """Every kind of ending the format allows, in the schema's order."""
    return list(schema()["$defs"]["ending"]["properties"]["outcome"]["enum"])
