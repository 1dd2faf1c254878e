"""``qualities.yaml`` kept as JSON, so a run need not load the YAML reader to score.

Every recorded play, debrief and report reads the catalogue; parsing it means
importing PyYAML, a fifth of a short command's start-up. The parsed data is
kept as plain JSON in Rehearse's cache folder (beside the compiled scenarios,
``scoring.private_files.cache_folder``), under a name made of a hash of the
YAML's exact bytes: an edited catalogue, or another version of Rehearse with
another catalogue, never meets an old copy.

As with the compiled scenarios, the copy is a convenience and trusted no
further than its owner: only a regular file of ours that no one else may write
is read, only JSON is read back, and anything doubtful (corrupt, foreign, from
another format, a folder that cannot be written, a full disk) means the YAML is
read again, quietly.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from scoring.content_hash import content_hash
from scoring.private_files import cache_folder, read_own, write_private

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import Any

FORMAT = 1
PREFIX = "qualities-"


def entry_path(raw: bytes) -> Path:
    digest = content_hash(f"catalogue {FORMAT}\0".encode())
    digest.update(raw)
    return cache_folder() / f"{PREFIX}{digest.hexdigest()}.json"


def catalogue_data(raw: bytes, use_kept: bool = True) -> dict[str, Any]:
    """The catalogue YAML ``raw`` as plain data: from the kept copy when there
    is a sound one (and ``use_kept``), else parsed, and a copy kept for the next run."""
    entry = entry_path(raw)
    kept = _lookup(entry) if use_kept else None
    if kept is not None:
        return kept
    import yaml  # only when the catalogue has changed, or nothing is kept yet

    data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    _remember(entry, data)
    return data


def _lookup(entry: Path) -> dict[str, Any] | None:
    found = read_own(entry)
    if found is None:
        return None
    try:
        kept = json.loads(found.decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(kept, dict) or kept.get("format") != FORMAT or not isinstance(kept.get("data"), dict):
        return None
    return kept["data"]


def _remember(entry: Path, data: Any) -> None:
    try:
        text = json.dumps({"format": FORMAT, "data": data}, ensure_ascii=False)
    except (TypeError, ValueError):
        return  # something JSON cannot hold: read the YAML each time instead
    if json.loads(text)["data"] != data:
        return  # a date or a number key would come back as something else
    temporary = entry.with_name(f".{entry.stem}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(temporary, text, taken="refuse")
        # Atomic: a reader sees the whole copy or none.
        os.replace(temporary, entry)
    except OSError:
        # A full disk, a read-only folder, a leftover from a killed run: the
        # next run reads the YAML again.
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
