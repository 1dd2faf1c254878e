"""Read a plan or profile file and check it against its JSON Schema, with every
problem located at a line and column.

Reading, parsing and checking are the scenario format's (``simulator.format``:
``yaml_source`` reads safe types only, reports duplicate keys and is bounded;
``schema_check`` locates every departure from a schema), given the plan's or
profile's own schema.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from simulator.format import schema_check, yaml_source
from simulator.format.yaml_source import Positions
from simulator.model.diagnostics import Diagnostic

# A plan is a page of text; anything this large is the wrong file.
MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class CheckedYaml:
    data: Any
    positions: Positions
    text: str


def schema_path(name: str) -> Path:
    """Where the installed schema is, for an editor's modeline."""
    return Path(str(resources.files("simulator.prepare").joinpath(name))).resolve()


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    return json.loads(resources.files("simulator.prepare").joinpath(name).read_text("utf-8"))


def read_bytes(path: str | os.PathLike, kind: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, or a diagnostic saying why they could not be read."""
    where = str(path)
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None, [Diagnostic(where, 1, 1, "error", f"no {kind} file here",
                                 "check the path, or start one with `rehearse prepare new FILE`")]
    except IsADirectoryError:
        return None, [Diagnostic(where, 1, 1, "error", "this is a folder, not a file", f"name the {kind} file itself")]
    except OSError as exc:
        return None, [Diagnostic(where, 1, 1, "error", f"cannot read the file: {exc.strerror or exc}",
                                 "check that the file exists and that you can read it")]
    return raw, []


def parse_checked(raw: bytes, source: str, schema_name: str, kind: str) -> tuple[CheckedYaml | None, list[Diagnostic]]:
    """Decode, parse and schema-check ``raw``; None with diagnostics if it cannot be used."""
    if len(raw) > MAX_BYTES:
        return None, [Diagnostic(source, 1, 1, "error",
                                 f"the file is over {MAX_BYTES // 1024} KB; a {kind} is a page or two of text",
                                 "check that this is the file you meant")]
    text, diagnostics = yaml_source.decode(raw, source)
    if text is None:
        return None, diagnostics
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return None, [Diagnostic(source, 1, 1, "error", f"the {kind} is empty",
                                 "start from `rehearse prepare new FILE`, or see docs/prepare.md")]
    document, diagnostics = yaml_source.parse(text, source)
    if document is None:
        return None, diagnostics
    if not isinstance(document.data, dict):
        return None, diagnostics + [Diagnostic(
            source, 1, 1, "error", f"a {kind} is a set of 'key: value' lines, not {_kind(document.data)}",
            "start from `rehearse prepare new FILE`, or see docs/prepare.md")]
    diagnostics = diagnostics + schema_check.check(document.data, document.positions, source, schema(schema_name))
    return CheckedYaml(document.data, document.positions, text), diagnostics


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return "a single value"
