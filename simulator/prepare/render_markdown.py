"""The plan as Markdown, for the practitioner's own notes or the case record.

Every text from the plan goes through the debrief's Markdown escaper
(``scoring.markdown_report.escape``): a plan is data, so a "#" cannot become a
heading, "](javascript:…)" cannot become a link and a pipe cannot split a table.
"""

from __future__ import annotations

from datetime import date

from scoring.markdown_report import escape
from simulator.prepare.drafts import BLANK, Draft, opening_statement, post_meeting_record, stage_two_email
from simulator.prepare.plan import Plan
from simulator.prepare.profile import LocalProfile
from simulator.prepare.rehearsal import opening_check
from simulator.prepare.sheet import PRIVACY, PlanSheet, build_sheet, identifier_warning


def render_markdown(plan: Plan, profile: LocalProfile, *, with_drafts: bool = True,
                    today: date | None = None) -> str:
    """The plan (and, unless ``with_drafts`` is false, the opening statement,
    the stage-2 email and the post-meeting record) as one Markdown document."""
    sheet = build_sheet(plan, profile, today)
    lines = _plan(sheet)
    if with_drafts:
        lines += _draft(opening_statement(plan, profile), opening_check(plan, profile))
        lines += _draft(stage_two_email(plan, profile, today))
        lines += _record(plan, profile)
    return "\n".join(lines).rstrip() + "\n"


def _plan(sheet: PlanSheet) -> list[str]:
    lines = [f"# {escape(sheet.title)}", ""]
    warning = identifier_warning(sheet)
    if warning:
        lines += [f"> **Warning:** {escape(warning)}", ""]
    lines += [f"*{escape(PRIVACY)}*", ""]
    about = [f"About: {escape('a child' if sheet.about == 'child' else 'an adult')}", f"Area: {escape(sheet.area)}"]
    if sheet.role:
        about.append(f"Me: {escape(sheet.role)}")
    if sheet.meeting:
        about.append(f"Meeting: {escape(sheet.meeting)}")
    lines += ["  \n".join(about), ""]
    for section in sheet.sections:
        lines += [f"## {escape(section.heading)}", ""]
        if section.empty:
            lines += [f"*Not written yet: {escape(section.missing)}.*", ""]
            continue
        if section.key == "facts":
            lines += ["| Date | Fact | Source |", "| --- | --- | --- |"]
            lines += [f"| {escape(e.label)} | {escape(e.text)} | {escape(e.note) or '—'} |" for e in section.entries]
            lines.append("")
            continue
        for entry in section.entries:
            text = f"\u201c{escape(entry.text)}\u201d" if section.key == "their_words" else escape(entry.text)
            label = f"**{escape(entry.label)}:** " if entry.label else ""
            note = f" *({escape(entry.note)})*" if entry.note else ""
            lines.append(f"- {label}{text}{note}")
        lines.append("")
    lines += [f"**Immediate risk:** {escape(sheet.immediate_risk)}", "", f"*{escape(sheet.profile_note)}*", ""]
    if sheet.gaps:
        lines += ["## Still to do", ""]
        for gap in sheet.gaps:
            lines.append(f"- {escape(gap.message[:1].upper() + gap.message[1:])}. {escape(gap.suggestion)} "
                         f"*Briefing: \u201c{escape(gap.briefing)}\u201d*")
        lines.append("")
    return lines


def _draft(draft: Draft, checked: list[str] | tuple[str, ...] = ()) -> list[str]:
    lines = ["---", "", f"## {escape(draft.title)}", ""]
    lines += [f"*{escape(' '.join(checked))}*", ""] if checked else []
    for paragraph in draft.paragraphs:
        parts = paragraph.split("\n")
        bullets = [part for part in parts[1:] if part.startswith("- ")]
        if bullets and len(bullets) == len(parts) - 1:
            lines += [escape(parts[0]), "", *(f"- {escape(part[2:])}" for part in bullets), ""]
        else:
            lines += ["  \n".join(escape(part) for part in parts), ""]
    return lines


def _record(plan: Plan, profile: LocalProfile) -> list[str]:
    lines = ["---", "", "## Post-meeting record", "", "| | |", "| --- | --- |"]
    for entry in post_meeting_record(plan, profile):
        lines.append(f"| {escape(entry.label)} | {escape(entry.value) or BLANK} |")
    return lines + [""]
