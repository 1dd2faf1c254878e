"""``rehearse prepare new FILE [--example]``: a plan to fill in, or a worked one.

The template is every key with a note beside it and nothing filled in, so
``check`` immediately lists what is missing; the example is a finished,
fictional plan (a school nurse challenging a CAMHS decline) using the default
profile. Both start with a modeline so an editor with the YAML language server
checks and completes the file against the installed schema.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from simulator.prepare.checked_yaml import schema_path
from simulator.prepare.outputs import write_output


def starter_text(file_name: str, example: bool = False) -> str:
    """The template (or the worked example) with its modeline and commands filled in."""
    name = "plan_example.yaml" if example else "plan_template.yaml"
    text = resources.files("simulator.prepare").joinpath(name).read_text("utf-8")
    return text.replace("@SCHEMA@", schema_path("plan.schema.json").as_uri()).replace("@FILE@", file_name)


def write_starter(path: str | os.PathLike, example: bool = False) -> Path:
    """Write a new plan file, owner-only, and return its path.
    Raises ``FileExistsError`` rather than overwrite anything."""
    return write_output(path, starter_text(str(path), example))
