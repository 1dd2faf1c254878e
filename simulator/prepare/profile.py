"""The local profile: a partnership's names, escalation stages and routes.

Every partnership publishes its own escalation policy, threshold document and
front doors. A practitioner (or a trainer, once for a whole team) writes them in
a small YAML file; plans use it for the fallback stage and its timescale, and
scenarios will use ``LocalProfile.placeholders`` to say the partnership's own
names without anyone editing scenario YAML.

The defaults follow the briefing's order of escalation: practitioner to
practitioner, then line managers, then senior managers, then the partnership;
immediate risk bypasses the stages. The working days are placeholders in the
range common partnership policies use, and the drafts say they are defaults
until a profile is set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from simulator.model.diagnostics import Diagnostic, did_you_mean, has_errors
from simulator.model.placeholders import DEFAULTS as PLACEHOLDER_DEFAULTS


@dataclass(frozen=True)
class EscalationStage:
    number: int
    who: str
    how: str = ""
    working_days: int = 0


DEFAULT_STAGES = (
    EscalationStage(1, "Practitioner to practitioner",
                    "Speak to the practitioner who made the decision, set out the concern and the evidence, "
                    "and agree a way forward. Tell your line manager or safeguarding lead.", 2),
    EscalationStage(2, "Line managers",
                    "Your line manager (or safeguarding lead) raises it with the other practitioner's line manager; "
                    "the outcome is confirmed in writing.", 3),
    EscalationStage(3, "Senior managers",
                    "Senior managers or named safeguarding professionals in each agency meet or speak and decide.", 5),
    EscalationStage(4, "The safeguarding partnership",
                    "Referred to the partnership's escalation lead, whose decision is final.", 10),
)


@dataclass(frozen=True)
class LocalProfile:
    # The defaults are the scenario placeholders' own, so a scenario and a plan say the same.
    partnership: str = PLACEHOLDER_DEFAULTS["partnership"]
    escalation_policy: str = PLACEHOLDER_DEFAULTS["escalation_policy"]
    threshold_document: str = PLACEHOLDER_DEFAULTS["threshold_document"]
    immediate_risk: str = PLACEHOLDER_DEFAULTS["immediate_risk"]
    lado: str = PLACEHOLDER_DEFAULTS["lado"]
    children_front_door: str = PLACEHOLDER_DEFAULTS["children_front_door"]
    adults_front_door: str = PLACEHOLDER_DEFAULTS["adults_front_door"]
    stages: tuple[EscalationStage, ...] = DEFAULT_STAGES
    is_default: bool = True
    source: str = ""

    def stage(self, number: int | None) -> EscalationStage | None:
        """Stage ``number`` (1-based), or None if the profile has no such stage."""
        if number is None or not 1 <= number <= len(self.stages):
            return None
        return self.stages[number - 1]

    def front_door(self, about: str) -> str:
        return self.children_front_door if about == "child" else self.adults_front_door

    def placeholders(self) -> dict[str, str]:
        """Values a scenario or draft may name by placeholder: ``partnership``,
        ``escalation_policy``, ``threshold_document``, ``immediate_risk``,
        ``lado``, ``children_front_door``, ``adults_front_door``, and for each
        stage ``stage_N`` (who) and ``stage_N_days``."""
        values = {
            "partnership": self.partnership,
            "escalation_policy": self.escalation_policy,
            "threshold_document": self.threshold_document,
            "immediate_risk": self.immediate_risk,
            "lado": self.lado,
            "children_front_door": self.children_front_door,
            "adults_front_door": self.adults_front_door,
        }
        for stage in self.stages:
            values[f"stage_{stage.number}"] = stage.who
            values[f"stage_{stage.number}_days"] = str(stage.working_days)
        return values

    def placeholder(self, name: str) -> str:
        """One placeholder's value; ``KeyError`` naming the nearest known name
        when ``name`` is not one (a trainer's typo should not pass silently)."""
        values = self.placeholders()
        if name not in values:
            suggestion = did_you_mean(name, values)
            raise KeyError(f"no placeholder '{name}'" + (f"; {suggestion}" if suggestion else ""))
        return values[name]


def default_profile() -> LocalProfile:
    """The profile used until a partnership's own is set: the briefing's stages."""
    return LocalProfile()


def load_profile(path: str | os.PathLike) -> tuple[LocalProfile | None, list[Diagnostic]]:
    """The profile in ``path`` (keys left out take the defaults), or None with
    located diagnostics. Never raises on bad input."""
    from simulator.prepare.checked_yaml import read_bytes

    source = str(path)
    raw, diagnostics = read_bytes(path, "profile")
    if raw is None:
        return None, diagnostics
    return parse_profile(raw, source)


def parse_profile(raw: bytes | str, source: str = "<profile>") -> tuple[LocalProfile | None, list[Diagnostic]]:
    # The YAML reader loads only when there is a profile to read: the app and
    # `rehearse play` ask for the defaults without one, and start faster.
    from simulator.prepare.checked_yaml import parse_checked

    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    try:
        checked, diagnostics = parse_checked(raw, source, "profile.schema.json", "profile")
    except (RecursionError, MemoryError, UnicodeError):
        return None, [Diagnostic(source, 1, 1, "error", "the file could not be read as a profile",
                                 "start from `rehearse prepare profile FILE`")]
    if checked is None or has_errors(diagnostics):
        return None, diagnostics
    data = checked.data
    base = default_profile()
    doors = data.get("front_door") or {}
    stages = base.stages
    if "stages" in data:
        stages = tuple(EscalationStage(number, item["who"], item.get("how", ""), item["working_days"])
                       for number, item in enumerate(data["stages"], start=1))
    profile = replace(
        base,
        partnership=data.get("partnership", base.partnership),
        escalation_policy=data.get("escalation_policy", base.escalation_policy),
        threshold_document=data.get("threshold_document", base.threshold_document),
        immediate_risk=data.get("immediate_risk", base.immediate_risk),
        lado=data.get("lado", base.lado),
        children_front_door=doors.get("children", base.children_front_door),
        adults_front_door=doors.get("adults", base.adults_front_door),
        stages=stages,
        is_default=False,
        source=source,
    )
    return profile, diagnostics


def profile_yaml(profile: LocalProfile) -> str:
    """The profile as a commented YAML file that ``load_profile`` reads back."""
    import yaml

    body = {
        "format": 1,
        "partnership": profile.partnership,
        "escalation_policy": profile.escalation_policy,
        "threshold_document": profile.threshold_document,
        "immediate_risk": profile.immediate_risk,
        "lado": profile.lado,
        "front_door": {"children": profile.children_front_door, "adults": profile.adults_front_door},
        "stages": [{"who": s.who, "how": s.how, "working_days": s.working_days} for s in profile.stages],
    }
    header = (
        "# A local profile for `rehearse prepare`: your partnership's names, escalation stages and routes.\n"
        "# Replace the defaults with what your partnership's escalation policy says; see docs/prepare.md.\n"
        "# Stages are in order (stage 1 first); working_days is how long a stage should take.\n"
    )
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)


def save_profile(profile: LocalProfile, path: str | os.PathLike) -> None:
    """Write the profile to a new file, readable by its owner only.
    Raises ``FileExistsError`` rather than replace an existing file."""
    from simulator.prepare.outputs import write_output

    write_output(path, profile_yaml(profile))


def profile_beside(history: str | os.PathLike) -> Path:
    """Where the local profile lives: beside the history file, named after it
    (``rehearse.db`` → ``rehearse-profile.yaml``), so each history has its own."""
    history = Path(history)
    return history.with_name(f"{history.stem}-profile.yaml")


def local_profile(path: str | os.PathLike) -> tuple[LocalProfile, list[Diagnostic]]:
    """The profile stored at ``path``, or the defaults when there is none yet;
    a profile that does not load gives the defaults and says why, located."""
    if not os.path.lexists(path):
        return default_profile(), []
    profile, diagnostics = load_profile(path)
    return (profile if profile is not None else default_profile()), diagnostics


def store_profile(profile: LocalProfile, path: str | os.PathLike) -> Path:
    """Replace the stored profile with ``profile``, owner-only: written whole
    to a new file beside it first, then renamed over it (a rename replaces a
    link planted at ``path`` rather than following it), so a crash leaves the
    old profile or the new one, never half of either."""
    from scoring.private_files import write_private

    target = Path(path)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fresh = write_private(target.with_name(target.name + ".new"), profile_yaml(profile), taken="rename")
    os.replace(fresh, target)
    return target
