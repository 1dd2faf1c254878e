"""``rehearse new``: a commented starter scenario that validates.

A trainer's first file should already play, so they learn the format by
changing something that works. The template is a real scenario file
(``starter_template.yaml``) with a few placeholders filled in here.
"""

from __future__ import annotations

import os
import re
from importlib.resources import files
from pathlib import Path

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The schema's maxLength for an id: a longer one makes a starter that does not validate.
MAX_ID = 80
DEFAULT_AREA = "criteria-for-referrals"


def schema_path() -> Path:
    return Path(str(files("simulator") / "schema" / "scenario.schema.json")).resolve()


def schema_reference(folder: Path) -> str:
    """The installed schema as the modeline of a file in ``folder`` names it:
    the path from that folder (as the library's own files do, e.g.
    ``../simulator/schema/scenario.schema.json``), or a ``file://`` address
    where there is no relative path (another drive on Windows)."""
    try:
        return Path(os.path.relpath(schema_path(), folder.resolve())).as_posix()
    except ValueError:
        return schema_path().as_uri()


def starter_text(scenario_id: str, area: str, file_name: str) -> str:
    template = (files("simulator.authoring") / "starter_template.yaml").read_text(encoding="utf-8")
    return (template.replace("@SCHEMA@", schema_reference(Path(file_name).parent))
            .replace("@ID@", scenario_id).replace("@AREA@", area).replace("@FILE@", file_name))
