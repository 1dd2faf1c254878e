"""The debrief as one self-contained, print-friendly HTML page.

The page must open offline and leak nothing: no scripts, no external fonts,
images or stylesheets, so every style is inline. Every piece of text (from the
scenario, the learner or the catalogue) goes through ``_text``, which shows
control characters as symbols and then escapes it with ``html.escape``.
"""

from __future__ import annotations

from scoring.debrief import Debrief
from scoring.display import count, one_line, shorten
from scoring.feedback import DecisionReview, GoodExample
from scoring.html_style import BASE_CSS, escaped
from scoring.standing import ALL_BEST, RULE, Row

_CSS = BASE_CSS + """
.outcome p { white-space: pre-line; }
.overall { font-size: 1.1rem; }
.standing caption { text-align: left; font-weight: 600; margin-bottom: .3rem; }
.standing tr.competency th, .standing tr.competency td { background: #eef3f8; font-weight: 600; border-top: 2px solid #9aa3ad; }
.standing tr.quality td:first-child { padding-left: 1.5rem; }
.standing tr.one-chance td:nth-child(3) { font-style: italic; }
.bar-col { width: 9rem; }
.bar { height: .9rem; border: 1px solid #6b7178; border-radius: 2px; background: #f3f4f6; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.note { color: #4a4f55; font-size: .9rem; }
.moment { border: 1px solid #d0d4d9; border-radius: 4px; padding: .5rem .9rem; margin: .75rem 0; }
.said, .offered { margin: .3rem 0; }
.said.own { border-left: 4px solid #28527a; padding-left: .5rem; }
.why { margin: .1rem 0 .4rem 1.25rem; color: #33383d; }
blockquote { margin: .4rem 0; padding: .2rem .8rem; border-left: 4px solid #b58900; background: #fbf7ea; }
@media (max-width: 40rem) { .bar-col { display: none; } }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .moment, tbody, tr, blockquote { break-inside: avoid; }
  /* Bars carry meaning, so keep their fill even when backgrounds are off. */
  .bar, .fill, .outcome, blockquote { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .outcome { border: 1px solid #28527a; border-left-width: 6px; }
}
"""


_text = escaped


def _line(value: str) -> str:
    return _text(one_line(value))


def render_html(debrief: Debrief) -> str:
    """The whole debrief as an HTML5 document."""
    title = f"Debrief: {one_line(debrief.log.scenario_title)}"
    body = [
        *_header(debrief),
        *_scores(debrief),
        *_strengths(debrief),
        *_key_moments(debrief),
        *_own_words(debrief),
        *_questions(debrief),
        *_every_decision(debrief),
        *_footer(debrief),
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en-GB">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_text(title)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _header(debrief: Debrief) -> list[str]:
    log, card = debrief.log, debrief.scorecard
    about = [f"Scenario: {_line(log.scenario_id)}"]
    if log.learner.strip():
        about.append(f"Learner: {_line(log.learner)}")
    parts = [
        "<header>",
        f"<h1>Debrief: {_line(log.scenario_title)}</h1>",
        f'<p class="meta">{" · ".join(about)}</p>',
        "</header>",
        # The ending stands on its own, apart from every number.
        '<section class="outcome" aria-label="How it ended">',
        f"<p><strong>{_line(card.ending_line)}</strong></p>",
    ]
    if card.ending is not None and card.ending.debrief.strip():
        parts.append(f"<p>{_text(card.ending.debrief.strip())}</p>")
    parts.append("</section>")
    return parts


def _scores(debrief: Debrief) -> list[str]:
    card, ranked = debrief.scorecard, debrief.standing
    parts = ["<section>", "<h2>Scores</h2>"]
    if ranked.overall is None:
        parts.append(
            '<p class="overall">No decision on this route offered a choice between stronger and '
            "weaker options, so nothing was scored.</p>"
        )
    else:
        parts.append(
            f'<p class="overall">Overall: <strong>{ranked.overall}</strong> out of 100 — '
            f"{_text(ranked.overall_band)}, from {count(card.decision_count, 'decision')}.</p>"
        )
    if ranked.competencies:
        parts += [
            '<table class="standing">',
            "<caption>Competencies, weakest first, each with its qualities</caption>",
            '<thead><tr><th scope="col">Competency and its qualities</th><th scope="col">Score</th>'
            '<th scope="col">Band</th><th scope="col">Chances</th><th scope="col" class="bar-col">'
            "<span class=\"visually-hidden\">Bar</span></th></tr></thead>",
        ]
        for competency in ranked.competencies:
            parts.append("<tbody>")
            parts.append(_row(competency, "competency"))
            parts += [_row(quality, "quality") for quality in competency.qualities]
            parts.append("</tbody>")
        parts.append("</table>")
    if ranked.not_assessed:
        parts.append(f'<p class="not-assessed">Not assessed on this route: {_text(", ".join(ranked.not_assessed))}.</p>')
    parts.append("</section>")
    return parts


def _row(row: Row, kind: str) -> str:
    # The width is computed from a whole number, never from scenario text.
    bar = (f'<div class="bar" role="img" aria-label="{row.score} out of 100">'
           f'<span class="fill" style="width: {max(0, min(100, row.score))}%"></span></div>')
    name = f'<th scope="rowgroup">{_text(row.label)}</th>' if kind == "competency" else f"<td>{_text(row.label)}</td>"
    return (f'<tr class="{kind} {row.band_id}">{name}<td class="number">{row.score}</td><td>{_text(row.band)}</td>'
            f'<td class="number">{row.chances}</td><td class="bar-col">{bar}</td></tr>')


def _strengths(debrief: Debrief) -> list[str]:
    feedback, catalogue = debrief.feedback, debrief.catalogue
    rows = {row.id: row for competency in debrief.standing.competencies for row in competency.qualities}
    parts: list[str] = []
    if feedback.strengths:
        parts += ["<section>", "<h2>Strengths</h2>", "<ul>"]
        for quality in feedback.strengths:
            note = catalogue.qualities[quality.id].definition.strip()
            parts.append(f"<li><strong>{_text(quality.label)}</strong> — {_text(rows[quality.id].standing)}."
                         + (f" {_line(note)}" if note else "") + "</li>")
        parts += ["</ul>", "</section>"]
    if feedback.work_ons:
        parts += ["<section>", "<h2>Things to work on</h2>", "<ul>"]
        for quality in feedback.work_ons:
            parts.append(f"<li><strong>{_text(quality.label)}</strong> — {_text(rows[quality.id].standing)}."
                         + _example(feedback.examples.get(quality.id)) + "</li>")
        parts += ["</ul>", "</section>"]
    return parts


def _example(example: GoodExample | None) -> str:
    if example is None:
        return ""
    where = f"at decision {example.decision}" if example.from_case else "for example"
    said = f'<p class="offered">What good looks like, {where}: “{_line(example.words)}”</p>'
    return said + "".join(f'<p class="why">It rests on: {_line(fact.line())}</p>' for fact in example.rests_on)


def _key_moments(debrief: Debrief) -> list[str]:
    moments = debrief.feedback.key_moments
    parts = ["<section>", "<h2>Key moments</h2>"]
    if not moments:
        parts.append(f"<p>{ALL_BEST}</p>")
    else:
        parts.append(f"<p>The {count(len(moments), 'decision')} where you did not choose an option best on "
                     "offer, the largest gap first.</p>")
    for place, moment in enumerate(moments, start=1):
        better = moment.better
        parts += [
            '<article class="moment">',
            f"<h3>{place}. Decision {moment.number}: {_line(moment.speaker)} — "
            f"“{_text(shorten(moment.prompt, 80))}”</h3>",
            *_said_and_chose(moment),
        ]
        if moment.feedback.strip():
            parts.append(f'<p class="why">{_line(moment.feedback)}</p>')
        parts.append(f'<p class="offered"><strong>Best on offer:</strong> “{_line(better.text)}”</p>')
        parts += [f'<p class="why">It rests on: {_line(fact.line())}</p>' for fact in better.rests_on]
        if better.feedback.strip():
            parts.append(f'<p class="why">{_line(better.feedback)}</p>')
        if better.briefing:
            parts.append(
                f"<blockquote><p>“{_line(better.briefing)}”</p>"
                f"<p>— the briefing, on {_text(better.quality_label)}</p></blockquote>"
            )
        parts.append("</article>")
    parts.append("</section>")
    return parts


def _said_and_chose(review: DecisionReview) -> list[str]:
    """"You said …" for an option chosen; "you said … / you chose …" where
    the learner typed their own words first."""
    if not review.own_words.strip():
        return [f'<p class="said"><strong>You said:</strong> “{_line(review.said)}”</p>']
    return [f'<p class="said own"><strong>You said:</strong> “{_line(review.own_words)}”</p>',
            f'<p class="said"><strong>You chose:</strong> “{_line(review.said)}”</p>']


def _own_words(debrief: Debrief) -> list[str]:
    from scoring.own_words import read_own_words

    typed = [review for review in debrief.feedback.reviews if review.own_words.strip()]
    if not typed:
        return []
    parts = ["<section>", "<h2>In your own words</h2>",
             '<p class="note">Where you said it first in your own words, before the options were shown.</p>']
    for review in typed:
        parts += [
            '<article class="moment">',
            f"<h3>Decision {review.number}: {_line(review.speaker)} — “{_text(shorten(review.prompt, 80))}”</h3>",
            *_said_and_chose(review),
        ]
        reading = read_own_words(review.own_words)
        if reading is not None and reading.line:
            parts.append(f'<p class="why">{_line(reading.line)}</p>')
        parts.append("</article>")
    parts.append("</section>")
    return parts


def _questions(debrief: Debrief) -> list[str]:
    items = [f"<li>{_line(question)}</li>" for question in debrief.feedback.questions]
    return ["<section>", "<h2>Questions to reflect on</h2>", "<ol>", *items, "</ol>", "</section>"]


def _every_decision(debrief: Debrief) -> list[str]:
    reviews = debrief.feedback.reviews
    if not reviews:
        return []
    parts = [
        "<section>",
        "<h2>Every decision</h2>",
        "<table>",
        "<thead><tr><th>#</th><th>Who spoke</th><th>What they said</th><th>You said</th>"
        "<th>Evidence</th><th>Best on offer?</th></tr></thead>",
        "<tbody>",
    ]
    parts += [_decision_row(review) for review in reviews]
    parts += ["</tbody>", "</table>", "</section>"]
    return parts


def _decision_row(review: DecisionReview) -> str:
    evidence = ", ".join(f"{_text(note.label)} {note.points:+d}" for note in review.evidence) or "—"
    verdict = "Yes" if review.best_available else "No"
    if review.hint_used:
        verdict += " (hint used)"
    said = f"“{_line(review.said)}”"
    if review.own_words.strip():
        said = f"You said “{_line(review.own_words)}”<br>You chose {said}"
    if review.feedback.strip():
        said += f'<br><span class="note">{_line(review.feedback)}</span>'
    return (
        f'<tr><td class="number">{review.number}</td><td>{_line(review.speaker)}</td>'
        f"<td>{_line(review.prompt)}</td><td>{said}</td><td>{evidence}</td><td>{verdict}</td></tr>"
    )


def _footer(debrief: Debrief) -> list[str]:
    card = debrief.scorecard
    return [
        "<footer>",
        f"<p>Decisions: {card.decision_count} · Hints used: {card.hints_used} · Rewinds: {card.rewinds}</p>",
        f"<p>{_text(RULE)}</p>",
        "</footer>",
    ]
