"""``rehearse new``: a commented starter scenario that validates.

A trainer's first file should already play, so they learn the format by
changing something that works. The template is a real scenario file
(``starter_template.yaml``) with a few placeholders filled in here.
"""

from __future__ import annotations

import re
import sys
from importlib.resources import files
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DEFAULT_AREA = "criteria-for-referrals"


def schema_path() -> Path:
    return Path(str(files("simulator") / "schema" / "scenario.schema.json")).resolve()


def areas() -> list[str]:
    import json

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return list(schema["properties"]["area"]["enum"])


def starter_text(scenario_id: str, area: str, file_name: str) -> str:
    template = (files("simulator") / "starter_template.yaml").read_text(encoding="utf-8")
    # The modeline needs a path the editor can open: the installed schema's.
    return (template.replace("@SCHEMA@", schema_path().as_uri())
            .replace("@ID@", scenario_id).replace("@AREA@", area).replace("@FILE@", file_name))


def run_cli(args) -> int:
    from simulator.text import inert

    if not ID_PATTERN.match(args.id):
        print(f"rehearse new: '{inert(args.id)}' is not a scenario id: use lower-case letters, digits and hyphens, "
              "e.g. hv-weight-faltering", file=sys.stderr)
        return EXIT_USAGE
    area = args.area or DEFAULT_AREA
    known = areas()
    if area not in known:
        print(f"rehearse new: unknown area '{inert(area)}'; choose one of: {', '.join(known)}", file=sys.stderr)
        return EXIT_USAGE
    folder = Path(args.out)
    path = folder / f"{args.id}.yaml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # "x" mode: never overwrite a trainer's work, even if the file appears
        # between a check and the write.
        with open(path, "x", encoding="utf-8") as out:
            out.write(starter_text(args.id, area, str(path)))
    except FileExistsError:
        print(f"rehearse new: {inert(str(path))} already exists; choose another id or --out folder", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"rehearse new: cannot write {inert(str(path))}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Wrote {inert(str(path))}. Next:\n"
          f"  rehearse preview {inert(str(path))} --watch   # play it; reloads when you save\n"
          f"  rehearse validate {inert(str(path))}")
    return EXIT_OK
