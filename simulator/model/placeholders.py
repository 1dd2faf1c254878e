"""Placeholders in scenario text: ``{{partnership}}``, ``{{threshold_document}}``…

A trainer localises the library without editing scenario YAML: the text names
a placeholder, and the local profile (``rehearse profile``, or the app's
settings) gives its value when the scenario is loaded for showing. Until a
profile is set, the defaults below are used; they say what every partnership
has ("the local threshold document"), so a scenario reads naturally either way.

The names are fixed (the validator reports any other, located); ``stage_N``
and ``stage_N_days`` name escalation stage N (1 to 9) and its working days.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

PATTERN = re.compile(r"\{\{\s*([^{}\s]*)\s*\}\}")
_STAGE = re.compile(r"stage_([1-9])(_days)?")

DEFAULTS: dict[str, str] = {
    "partnership": "the local safeguarding partnership",
    "escalation_policy": "the partnership's escalation policy",
    "threshold_document": "the local threshold document",
    "immediate_risk": (
        "If a child or adult is at immediate risk, do not wait for the stages: call 999 for an emergency, "
        "or refer to the front door straight away, and tell your line manager or safeguarding lead."),
    "lado": "the Local Authority Designated Officer (LADO), through the local authority",
    "children_front_door": "children's social care (the front door or MASH)",
    "adults_front_door": "adult social care's safeguarding team",
}
DEFAULT_STAGES = (("Practitioner to practitioner", 2), ("Line managers", 3), ("Senior managers", 5),
                  ("The safeguarding partnership", 10))
NAMES = tuple(DEFAULTS) + ("stage_N", "stage_N_days")


def _defaults() -> dict[str, str]:
    values = dict(DEFAULTS)
    for number, (who, days) in enumerate(DEFAULT_STAGES, start=1):
        values[f"stage_{number}"] = who
        values[f"stage_{number}_days"] = str(days)
    return values


_values: dict[str, str] | None = _defaults()
# The profile is read only when some text has a placeholder to fill: most
# scenarios have none, and reading it costs a YAML parser.
_provider: Callable[[], Mapping[str, str] | None] | None = None


def is_known(name: str) -> bool:
    return name in DEFAULTS or _STAGE.fullmatch(name) is not None


def use(values: Mapping[str, str] | None) -> None:
    """Fill placeholders from ``values`` from now on in this process (the
    local profile's); None goes back to the defaults."""
    global _values, _provider
    _provider = None
    _values = _defaults() | dict(values or {})


def use_later(provider: Callable[[], Mapping[str, str] | None]) -> None:
    """``use(provider())``, called the first time a placeholder is filled."""
    global _values, _provider
    _provider, _values = provider, None


def current() -> dict[str, str]:
    if _values is None:
        provider = _provider
        use(provider() if provider is not None else None)
    return dict(_values)


def fill(text: str, values: Mapping[str, str] | None = None) -> str:
    """``text`` with each known placeholder replaced by its value. A stage the
    profile does not have reads "stage N of the escalation policy"; an unknown
    name is left as written (the validator has already reported it)."""
    if "{{" not in text:
        return text
    values = (_values if _values is not None else current()) if values is None else values

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        stage = _STAGE.fullmatch(name)
        if stage and not stage.group(2):
            return f"stage {stage.group(1)} of {values.get('escalation_policy', DEFAULTS['escalation_policy'])}"
        return match.group(0)

    return PATTERN.sub(one, text)


def unknown(text: str) -> list[tuple[int, str]]:
    """(offset, name) of each placeholder in ``text`` that is not a known name."""
    return [(m.start(), m.group(1)) for m in PATTERN.finditer(text) if not is_known(m.group(1))]


def fill_data(value):
    """A loaded YAML document with every string filled (keys left alone)."""
    if isinstance(value, str):
        return fill(value)
    if isinstance(value, dict):
        return {key: fill_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [fill_data(item) for item in value]
    return value
