"""A group session's record as Markdown, a print-friendly HTML page and JSON,
written for an organisation's training records.

Scenario text is untrusted: Markdown escapes it with the debrief's own
``escape``, HTML with ``html.escape`` after control characters are made
visible, and JSON keeps it as written (``json.dumps`` escapes it). The page is
self-contained: inline styles, no scripts, nothing fetched.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from scoring.catalogue import Catalogue
from scoring.debrief import Debrief, prepare_debrief
from scoring.display import format_score, one_line
from scoring.html_style import BASE_CSS, escaped
from scoring.json_report import as_dict as debrief_as_dict
from scoring.markdown_report import escape
from scoring.private_files import write_private_files
from simulator.group.facilitation import GroupSession, Round

SCHEMA = "rehearse.group-session"
SCHEMA_VERSION = 1
FORMATS = (".md", ".html", ".json")


def _when(stamp: str) -> str:
    """An ISO time as people read it in a record: ``2026-10-14 10:15``."""
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def _span(record: GroupSession) -> str:
    start, end = _when(record.started_at), _when(record.finished_at)
    if start[:10] == end[:10]:
        return f"{start}–{end[11:]}"
    return f"{start} – {end}"


def _countdown(record: GroupSession) -> str:
    return f"{record.countdown} s per decision" if record.countdown else "none"


# -- JSON ------------------------------------------------------------------------


def as_dict(record: GroupSession, debrief: Debrief) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "scenario": {"id": record.scenario_id, "title": record.scenario_title},
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "countdown_seconds": record.countdown,
        "decisions": [_round_dict(r) for r in record.rounds],
        "ties": record.ties,
        "votes_skipped": record.skipped,
        "closing_discuss": list(record.closing_discuss),
        # The path's scorecard, feedback and ending, in the solo debrief's own
        # shape, so one reader handles both.
        "debrief": debrief_as_dict(debrief),
    }


def _round_dict(r: Round) -> dict[str, Any]:
    shares = r.percentages
    return {
        "number": r.number,
        "node_id": r.node_id,
        "speaker": r.speaker,
        "line": r.line,
        "discuss": list(r.discuss),
        "options": [
            {
                "letter": option.letter,
                "choice_id": option.choice_id,
                "text": option.text,
                "hands": None if r.hands is None else r.hands[i],
                "percent": None if r.hands is None else shares[i],
            }
            for i, option in enumerate(r.options)
        ],
        "total_hands": None if r.hands is None else r.total,
        "decided_by": r.decided_by,
        "tied": [r.options[i].letter for i in r.tied],
        "chosen": {"letter": r.choice.letter, "choice_id": r.choice.choice_id, "text": r.choice.text},
        "countdown_ran_out": r.countdown_ran_out,
    }


def render_json(record: GroupSession, debrief: Debrief) -> str:
    return json.dumps(as_dict(record, debrief), indent=2, ensure_ascii=False) + "\n"


# -- Markdown ----------------------------------------------------------------------


def render_markdown(record: GroupSession, debrief: Debrief) -> str:
    card, feedback = debrief.scorecard, debrief.feedback
    lines = [
        f"# Group session: {escape(record.scenario_title)}",
        "",
        f"Scenario: {escape(record.scenario_id)} · {_span(record)} · "
        f"{len(record.rounds)} decisions · countdown: {_countdown(record)} · "
        f"ties: {record.ties} · votes skipped: {record.skipped}",
        "",
        f"**{escape(card.ending_line)}**",
        "",
    ]
    if card.ending is not None:
        lines += [escape(card.ending.debrief), ""]
    lines += ["## The room's path", ""]
    for r in record.rounds:
        lines += [f"### Decision {r.number}: {escape(r.speaker)}", "", f"> “{escape(r.line)}”", ""]
        if r.discuss:
            lines += ["Discussed:", "", *[f"- {escape(q)}" for q in r.discuss], ""]
        lines += ["| Option | Said | Hands | Share |", "| --- | --- | ---: | ---: |"]
        for i, option in enumerate(r.options):
            mark = "**" if i == r.chosen else ""
            hands = "—" if r.hands is None else str(r.hands[i])
            share = "—" if r.hands is None else f"{r.percentages[i]}%"
            chosen = " (chosen)" if i == r.chosen else ""
            lines.append(f"| {mark}{option.letter}{chosen}{mark} | {escape(option.text)} | {hands} | {share} |")
        lines += ["", escape(r.how()) + (" The countdown ran out." if r.countdown_ran_out else ""), ""]
    lines += ["## Scores of this path", ""]
    if card.overall is None:
        lines += ["Nothing on this path was scored.", ""]
    else:
        lines += [f"Overall: **{format_score(card.overall)}** out of 100 — {escape(card.overall_band.label)}.", ""]
    lines += ["| Competency | Score | Band |", "| --- | ---: | --- |"]
    for competency in card.competencies:
        band = escape(competency.band.label) if competency.band else "not assessed on this path"
        score = "—" if competency.score is None else format_score(competency.score)
        lines.append(f"| {escape(competency.label)} | {score} | {band} |")
    lines.append("")
    if record.closing_discuss:
        lines += ["## Questions for the room", "", *[f"- {escape(q)}" for q in record.closing_discuss], ""]
    lines += ["## Questions to reflect on", ""]
    lines += [f"{n}. {escape(q)}" for n, q in enumerate(feedback.questions, start=1)]
    return "\n".join(lines).rstrip() + "\n"


# -- HTML ------------------------------------------------------------------------------

_CSS = BASE_CSS + """
main { max-width: 56rem; }
.round { border: 1px solid #d0d4d9; border-radius: 4px; padding: .5rem .9rem; margin: .75rem 0; }
.line { margin: .3rem 0; padding: .2rem .8rem; border-left: 4px solid #6b7178; }
.discuss { color: #33383d; margin: .3rem 0; }
td.letter { font-weight: bold; width: 2.5rem; }
tr.chosen td { background: #eef3f8; font-weight: 600; }
.bar { display: inline-block; width: 6rem; height: .8rem; border: 1px solid #6b7178; background: #f3f4f6;
       vertical-align: middle; margin-left: .4rem; }
.how { margin: .4rem 0 .2rem; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .round, tr { break-inside: avoid; }
  .bar, .fill, .outcome, tr.chosen td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


_text = escaped


def _line(value: str) -> str:
    return _text(one_line(value))


def _bar(percent: int) -> str:
    # The width comes from a number, never from scenario text.
    width = max(0, min(100, percent))
    return f'<span class="bar" aria-hidden="true"><span class="fill" style="width: {width}%"></span></span>'


def render_html(record: GroupSession, debrief: Debrief) -> str:
    card, feedback = debrief.scorecard, debrief.feedback
    title = f"Group session: {one_line(record.scenario_title)}"
    body = [
        "<header>",
        f"<h1>{_text(title)}</h1>",
        f'<p class="meta">Scenario: {_line(record.scenario_id)} · {_text(_span(record))} · '
        f"{len(record.rounds)} decisions · countdown: {_text(_countdown(record))} · "
        f"ties: {record.ties} · votes skipped: {record.skipped}</p>",
        "</header>",
        '<section class="outcome" aria-label="How it ended">',
        f"<p><strong>{_line(card.ending_line)}</strong></p>",
    ]
    if card.ending is not None and card.ending.debrief.strip():
        body.append(f"<p>{_line(card.ending.debrief)}</p>")
    body += ["</section>", "<section>", "<h2>The room’s path</h2>"]
    for r in record.rounds:
        body += _round_html(r)
    body += ["</section>", "<section>", "<h2>Scores of this path</h2>"]
    if card.overall is None:
        body.append("<p>Nothing on this path was scored.</p>")
    else:
        body.append(f"<p>Overall: <strong>{format_score(card.overall)}</strong> out of 100 — "
                    f"{_text(card.overall_band.label)}.</p>")
    body += ["<table>", "<thead><tr><th>Competency</th><th>Score</th><th>Band</th></tr></thead>", "<tbody>"]
    for competency in card.competencies:
        if competency.score is None:
            body.append(f'<tr><td>{_text(competency.label)}</td><td class="number">—</td>'
                        '<td class="not-assessed">not assessed</td></tr>')
        else:
            body.append(f"<tr><td>{_text(competency.label)}</td>"
                        f'<td class="number">{format_score(competency.score)}{_bar(round(competency.score))}</td>'
                        f"<td>{_text(competency.band.label)}</td></tr>")
    body += ["</tbody>", "</table>", "</section>"]
    if record.closing_discuss:
        body += ["<section>", "<h2>Questions for the room</h2>", "<ul>",
                 *[f"<li>{_line(q)}</li>" for q in record.closing_discuss], "</ul>", "</section>"]
    body += ["<section>", "<h2>Questions to reflect on</h2>", "<ol>",
             *[f"<li>{_line(q)}</li>" for q in feedback.questions], "</ol>", "</section>",
             "<footer><p>Each decision is scored by placing the room’s choice between the weakest (0) and "
             "strongest (100) option on offer there; qualities this path never offered are not assessed.</p>"
             "</footer>"]
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", "<main>",
        *body, "</main>", "</body>", "</html>", "",
    ])


def _round_html(r: Round) -> list[str]:
    parts = [
        '<article class="round">',
        f"<h3>Decision {r.number}: {_line(r.speaker)}</h3>",
        f'<p class="line">“{_line(r.line)}”</p>',
    ]
    if r.discuss:
        parts += ['<p class="discuss"><strong>Discussed:</strong></p>', "<ul>",
                  *[f"<li>{_line(q)}</li>" for q in r.discuss], "</ul>"]
    parts += ["<table>", "<thead><tr><th>Option</th><th>Said</th><th>Hands</th><th>Share</th></tr></thead>", "<tbody>"]
    for i, option in enumerate(r.options):
        chosen = ' class="chosen"' if i == r.chosen else ""
        mark = " ✓" if i == r.chosen else ""
        if r.hands is None:
            hands, share = "—", "—"
        else:
            hands, share = str(r.hands[i]), f"{r.percentages[i]}%{_bar(r.percentages[i])}"
        parts.append(f'<tr{chosen}><td class="letter">{_text(option.letter)}{mark}</td><td>{_line(option.text)}</td>'
                     f'<td class="number">{hands}</td><td class="number">{share}</td></tr>')
    parts += ["</tbody>", "</table>",
              f'<p class="how">{_text(r.how())}' + (" The countdown ran out." if r.countdown_ran_out else "") + "</p>",
              "</article>"]
    return parts


# -- files -------------------------------------------------------------------------------

_RENDERERS: dict[str, Callable[[GroupSession, Debrief], str]] = {
    ".md": render_markdown, ".html": render_html, ".json": render_json,
}


def debrief_for(record: GroupSession, catalogue: Catalogue | None = None) -> Debrief:
    """The scored debrief of the room's path."""
    return prepare_debrief(record.log, catalogue)


def write_record(record: GroupSession, folder: str | os.PathLike[str], debrief: Debrief | None = None,
                 formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write the record in every format to ``folder`` (created if need be) and
    return the paths. Files are owner-only and never overwrite anything: when a
    name is taken, every file of this export gets the same ``-2``, ``-3`` …"""
    debrief = debrief or debrief_for(record)
    texts = {suffix: _RENDERERS[suffix](record, debrief) for suffix in formats}
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _when(record.finished_at).replace(" ", "-").replace(":", "")
    # The name already says when the session ended, so a second export of it
    # is numbered; the one writer keeps the three files under one name.
    return write_private_files(folder / f"rehearse-group-{record.scenario_id}-{stamp}", texts, taken="number")

