"""The plan as one self-contained page to print and take into the meeting.

The page loads nothing: no script, every style inline, and a
Content-Security-Policy that forbids fetching anything even if something
slipped in. Every text from the plan goes through ``escaped`` (control
characters shown as symbols, then HTML-escaped). The plan is laid out to fit
one A4 sheet; the drafts, when asked for, start on the pages after it.
"""

from __future__ import annotations

from datetime import date

from scoring.html_style import BASE_CSS, escaped
from simulator.prepare.drafts import BLANK, Draft, opening_statement, post_meeting_record, stage_two_email
from simulator.prepare.plan import Plan
from simulator.prepare.profile import LocalProfile
from simulator.prepare.rehearsal import opening_check
from simulator.prepare.sheet import PRIVACY, PlanSheet, Section, build_sheet, identifier_warning

# The same policy as the scenario graph page: the page needs no fetch at all.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"

_CSS = BASE_CSS + """
main { max-width: 60rem; }
h1 { font-size: 1.45rem; }
h2 { font-size: 1rem; margin: .7rem 0 .25rem; padding-bottom: .1rem; border-bottom-width: 1px; }
.meta { margin: .1rem 0; }
.warning { border: 2px solid #a4262c; background: #fdf3f4; color: #6e1a1f; padding: .4rem .7rem; margin: .5rem 0;
           font-weight: 600; }
.privacy { border-left: 4px solid #6b7178; padding: .1rem .6rem; color: #33383d; font-size: .85rem; margin: .4rem 0; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.4rem; }
.wide { grid-column: 1 / -1; }
section p, section ul { margin: .15rem 0; }
section ul { padding-left: 1.1rem; }
.label { font-weight: 600; }
.note { color: #4a4f55; font-size: .85em; }
.missing { color: #8a4b08; font-style: italic; }
.words { font-style: italic; }
table { margin: .2rem 0; font-size: .92rem; }
th, td { padding: .15rem .4rem; }
td.when { white-space: nowrap; width: 9.5rem; }
.risk { border: 1px solid #28527a; background: #eef3f8; padding: .3rem .6rem; margin: .6rem 0 .2rem; font-size: .9rem; }
.gaps { font-size: .88rem; }
.gaps li { margin: .1rem 0; }
.draft { break-before: page; }
.draft p { white-space: pre-line; margin: .55rem 0; }
footer { margin-top: .6rem; font-size: .8rem; }
@page { size: A4; margin: 11mm 12mm; }
@media print {
  /* Sizes above are in rem, so setting the root scales the whole sheet to A4. */
  html { font-size: 9.2pt; }
  body { font-size: 1rem; line-height: 1.28; }
  h1 { font-size: 1.45rem; }
  h2 { font-size: 1.05rem; margin: .5rem 0 .15rem; }
  td.when { width: 7rem; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  section, tr { break-inside: avoid; }
  .warning, .risk { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

_text = escaped


def render_html(plan: Plan, profile: LocalProfile, *, with_drafts: bool = False, today: date | None = None) -> str:
    """The plan as an HTML5 document; ``with_drafts`` adds the opening
    statement, the stage-2 email and the post-meeting record on later pages."""
    sheet = build_sheet(plan, profile, today)
    body = _plan(sheet)
    if with_drafts:
        body += _draft(opening_statement(plan, profile), opening_check(plan, profile))
        body += _draft(stage_two_email(plan, profile, today))
        body += _record(plan, profile)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex">',
        f"<title>{_text(sheet.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
        "",
    ])


def _plan(sheet: PlanSheet) -> list[str]:
    lines = [f"<h1>{_text(sheet.title)}</h1>"]
    warning = identifier_warning(sheet)
    if warning:
        lines.append(f'<p class="warning" role="alert">{_text(warning)}</p>')
    meta = [f"About {'a child' if sheet.about == 'child' else 'an adult'}", sheet.area]
    lines.append(f'<p class="meta">{_text(" · ".join(meta))}</p>')
    if sheet.role:
        lines.append(f'<p class="meta"><span class="label">Me:</span> {_text(sheet.role)}</p>')
    if sheet.meeting:
        lines.append(f'<p class="meta"><span class="label">Meeting:</span> {_text(sheet.meeting)}</p>')
    lines.append(f'<p class="privacy">{_text(PRIVACY)}</p>')
    sections = {section.key: section for section in sheet.sections}
    lines.append('<div class="grid">')
    for key in ("decision", "concern"):
        lines += _section(sections[key])
    lines += _section(sections["facts"], wide=True)
    for key in ("their_words", "grounds", "ask", "safety", "told", "fallback"):
        lines += _section(sections[key])
    lines += _section(sections["record"], wide=True)
    lines.append("</div>")
    lines.append(f'<p class="risk"><span class="label">Immediate risk:</span> {_text(sheet.immediate_risk)}</p>')
    if sheet.gaps:
        lines.append('<section class="gaps"><h2>Still to do</h2><ul>')
        for gap in sheet.gaps:
            lines.append(f"<li>{_text(gap.message[:1].upper() + gap.message[1:])}. {_text(gap.suggestion)} "
                         f'<span class="note">Briefing: \u201c{_text(gap.briefing)}\u201d</span></li>')
        lines.append("</ul></section>")
    lines.append(f"<footer>{_text(sheet.profile_note)} Prepared with Rehearse.</footer>")
    return lines


def _section(section: Section, wide: bool = False) -> list[str]:
    css = ' class="wide"' if wide else ""
    lines = [f"<section{css}>", f"<h2>{_text(section.heading)}</h2>"]
    if section.empty:
        lines.append(f'<p class="missing">Not written yet: {_text(section.missing)}.</p>')
    elif section.key == "facts":
        lines.append("<table><thead><tr><th>Date</th><th>Fact</th><th>Source</th></tr></thead><tbody>")
        for entry in section.entries:
            lines.append(f'<tr><td class="when">{_text(entry.label)}</td><td>{_text(entry.text)}</td>'
                         f"<td>{_text(entry.note) or '—'}</td></tr>")
        lines.append("</tbody></table>")
    else:
        for entry in section.entries:
            text = _text(entry.text)
            if section.key == "their_words":
                text = f'<span class="words">\u201c{text}\u201d</span>'
            label = f'<span class="label">{_text(entry.label)}:</span> ' if entry.label else ""
            note = f' <span class="note">({_text(entry.note)})</span>' if entry.note else ""
            lines.append(f"<p>{label}{text}{note}</p>")
    lines.append("</section>")
    return lines


def _draft(draft: Draft, checked: list[str] | tuple[str, ...] = ()) -> list[str]:
    lines = ['<section class="draft">', f"<h2>{_text(draft.title)}</h2>"]
    lines += [f'<p class="note">{_text(" ".join(checked))}</p>'] if checked else []
    lines += [f"<p>{_text(paragraph)}</p>" for paragraph in draft.paragraphs]
    lines.append("</section>")
    return lines


def _record(plan: Plan, profile: LocalProfile) -> list[str]:
    lines = ['<section class="draft">', "<h2>Post-meeting record</h2>", "<table><tbody>"]
    for entry in post_meeting_record(plan, profile):
        lines.append(f'<tr><th scope="row">{_text(entry.label)}</th><td>{_text(entry.value) or BLANK}</td></tr>')
    lines += ["</tbody></table>", "</section>"]
    return lines
