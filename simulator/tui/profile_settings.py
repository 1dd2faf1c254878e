"""The local profile in the settings screen: the partnership's names, its
escalation stages with who and how long, and its routes. Each field is saved
when Enter is pressed, to the owner-only profile file beside the history file
(the same one ``rehearse profile`` shows), and used by plans and scenarios."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

FIELDS = (
    ("partnership", "Your safeguarding partnership's name"),
    ("escalation_policy", "Its escalation policy's name"),
    ("threshold_document", "The threshold document's name"),
    ("lado", "How to reach the LADO"),
    ("children_front_door", "The children's front door (MASH)"),
    ("adults_front_door", "The adults' front door"),
)


def stages_text(profile) -> str:
    return "; ".join(f"{s.who} = {s.working_days}" for s in profile.stages)


def parse_stages(text: str, before=()):
    """'Who = days; Who = days' as stages, or None if a part does not read. A
    stage named as one of ``before`` keeps what it says of how it is done."""
    from simulator.prepare.profile import EscalationStage

    how = {stage.who.casefold(): stage.how for stage in before}
    stages = []
    for number, part in enumerate((p for p in text.split(";") if p.strip()), start=1):
        who, sep, days = part.rpartition("=")
        if not sep or not who.strip() or not days.strip().isdigit() or not 0 < int(days) <= 90:
            return None
        stages.append(EscalationStage(number, who.strip(), how.get(who.strip().casefold(), ""), int(days)))
    return tuple(stages) or None


class ProfileSettings(Vertical):
    """The profile's fields; Enter in one saves it."""

    def compose(self) -> ComposeResult:
        profile = self.app.local_profile()
        yield Label("Your local profile (for plans and scenarios; Enter saves each)", classes="setting-label")
        for key, label in FIELDS:
            yield Label(label, classes="profile-label")
            yield Input(value=getattr(profile, key), id=f"profile-{key.replace('_', '-')}", classes="profile-field")
        yield Label("Escalation stages, in order:  who = working days; who = working days", classes="profile-label")
        yield Input(value=stages_text(profile), id="profile-stages", classes="profile-field")

    @on(Input.Submitted, ".profile-field")
    def _save(self, event: Input.Submitted) -> None:
        from simulator.prepare.profile import store_profile

        event.stop()
        profile = self.app.local_profile()
        key = (event.input.id or "").removeprefix("profile-").replace("-", "_")
        value = event.value.strip()
        if key == "stages":
            stages = parse_stages(value, profile.stages)
            if stages is None:
                self.app.notify("Write the stages as: Practitioner to practitioner = 2; Line managers = 3; …",
                                severity="error")
                return
            changed = replace(profile, stages=stages, is_default=False)
        elif not value:
            self.app.notify("Type a name, or leave it as it was.", severity="error")
            return
        else:
            changed = replace(profile, **{key: value}, is_default=False)
        try:
            path = store_profile(changed, self.app.profile_path())
        except OSError as exc:
            self.app.notify(f"The profile could not be saved: {exc.strerror or exc}", severity="error")
            return
        self.app.notify(f"Profile saved (readable only by you): {path.name}. Scenarios use it from the next start.")
