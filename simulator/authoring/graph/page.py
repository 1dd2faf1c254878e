"""``rehearse graph SCENARIO --format html``: one self-contained page for trainers.

The graph (inline SVG from ``graph_svg``) comes first, with a key; then the
same scenario as text, node by node, for screen readers and for print. The
page loads nothing from anywhere: there is no script, every style is inline,
and its Content-Security-Policy forbids fetching even if something slipped
in. Scenario text is untrusted and goes through ``esc``.
"""

from __future__ import annotations

from pathlib import PurePath

from scoring.display import count, one_line, outcome_label
from simulator.authoring.graph.svg import (
    BACK_COLOUR,
    SVG_CSS,
    changes,
    draw,
    esc,
    option_title,
    outcome_colour,
    quality_label,
    signed,
    tint,
)
from simulator.model.gc_pause import gc_paused
from simulator.model.scenario import Choice, Node, Scenario
from simulator.model.vocabulary import outcomes

# Forbid every fetch (scripts, styles, fonts, images, frames, forms): the page
# needs none, and a policy stops a mistake here becoming a leak.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"

_CSS = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1b1b1b; background: #fff; margin: 0; }
.page { max-width: 56rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #d0d4d9; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .3rem; }
h3 code { font-size: 1em; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; color: #4a4f55; margin: 0; }
.meta { color: #4a4f55; margin: .15rem 0; }
.skip { position: absolute; left: -999px; }
.skip:focus { position: static; }
.key { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .2rem 1.5rem;
       list-style: none; padding: 0; margin: .5rem 0; font-size: .92rem; }
.key li { display: flex; gap: .5rem; align-items: center; }
.key .absent { color: #6b7178; }
.swatch { flex: none; display: inline-block; width: 1.6rem; height: 1rem; border: 2px solid; border-radius: 3px; }
.line { flex: none; display: inline-block; width: 1.6rem; border-top: 2px solid #56616b; }
.line.back { border-top: 2px dashed """ + BACK_COLOUR + """; }
.plus { color: #1b5e20; } .minus { color: #b71c1c; } .zero { color: #5f6b76; }
.cond { color: #4b2c82; font-style: italic; }
.note { color: #4a4f55; font-size: .92rem; }
details { margin: .5rem 0; font-size: .92rem; }
details dl { columns: 2 18rem; margin: .4rem 0; }
dt { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85rem; break-after: avoid; }
dd { margin: 0 0 .3rem 1rem; break-inside: avoid; }
.graph-area { padding: 0 1rem; }
.graph-area > p { max-width: 56rem; margin: .2rem auto; }
.fit { font-size: .95rem; }
.graph-wrap { overflow-x: auto; border-top: 1px solid #d0d4d9; border-bottom: 1px solid #d0d4d9; margin-top: .4rem; }
.graph { margin: 0; }
.graph svg { display: block; margin: 0 auto; }
/* Without script: a checkbox that scales the drawing to fit the window, for an overview. */
.graph-area:has(#fit:checked) svg { width: 100%; height: 92vh; }
table { border-collapse: collapse; margin: .4rem 0; font-size: .92rem; }
th, td { border: 1px solid #d0d4d9; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
.node { border: 1px solid #d0d4d9; border-radius: 6px; padding: .6rem .9rem; margin: .8rem 0; }
.node.ending { border-left: 8px solid var(--outcome); background: var(--outcome-tint); }
.node:target { outline: 3px solid #d35400; }
.node h3, .node code, td code { overflow-wrap: anywhere; }
.direction { font-style: italic; color: #4a4f55; margin: .2rem 0; }
.said { margin: .2rem 0; white-space: pre-line; }
.badge { font-size: .75rem; font-weight: 700; letter-spacing: .06em; color: #fff; background: #28527a;
         border-radius: 1rem; padding: .05rem .5rem; vertical-align: middle; }
.choices { padding-left: 1.4rem; margin: .4rem 0; }
.choices > li { margin: .5rem 0; padding-left: .2rem; }
.choices > li:target { outline: 3px solid #d35400; }
.choices p, .node p { margin: .15rem 0; }
.label { font-weight: 600; }
footer { margin: 2rem 0 1rem; color: #4a4f55; font-size: .9rem; }
@media print {
  body { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  .skip, .fit, #graph-caption { display: none; }
  .graph-wrap { overflow: visible; border: none; }
  .graph svg { width: 100%; height: auto; max-height: 25cm; }
  h2 { break-after: avoid; }
  .node, .choices > li, tr { break-inside: avoid; }
  .swatch, .node.ending, .graph svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""


def outcome_kinds() -> list[str]:
    """Every kind of ending the format allows, in the schema's order."""
    return outcomes()


def page(scenario: Scenario) -> str:
    """The whole page as an HTML5 document."""
    anchors = {node_id: f"node-{i}" for i, node_id in enumerate(scenario.nodes)}
    # The drawing makes hundreds of thousands of small objects, none in a
    # cycle: the collector scanning them again and again made a 10,000-node
    # page cost 14 times a 1,000-node one instead of 10 (see gc_pause).
    with gc_paused():
        graph = draw(scenario, anchors)
    body = [
        '<a class="skip" href="#listing">Skip the graph: the scenario as text</a>',
        '<div class="page">',
        *_header(scenario),
        *_key(scenario),
        "</div>",
        '<div class="graph-area">',
        '<p class="note" id="graph-caption">The scenario as a graph, read from the start at the top. '
        "Hover over a box for its full text; click it to go to its entry in the text below, "
        '<a href="#listing">the same scenario as text</a>.</p>',
        '<p class="fit"><label><input type="checkbox" id="fit"> Fit the whole graph in the window</label></p>',
        '<div class="graph-wrap">',
        '<figure class="graph">',
        graph.svg,
        "</figure>",
        "</div>",
        "</div>",
        '<div class="page">',
        *_variables(scenario),
        *_listing(scenario, anchors),
        f'<footer>Drawn by <code>rehearse graph --format html</code> from {esc(_file_name(scenario))}.</footer>',
        "</div>",
    ]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Scenario graph: {esc(one_line(scenario.title))}</title>",
        f"<style>{_CSS}{SVG_CSS}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ])


def _file_name(scenario: Scenario) -> str:
    """Where the scenario came from, without the folders: a shared page should
    not show the author's home directory."""
    return PurePath(scenario.source).name if scenario.source else scenario.id


def _header(scenario: Scenario) -> list[str]:
    decisions = [node for node in scenario.nodes.values() if node.choices]
    options = sum(len(node.choices) for node in decisions)
    endings = scenario.endings
    out = [
        "<header>",
        '<p class="kicker">Scenario graph</p>',
        f"<h1>{esc(one_line(scenario.title))}</h1>",
        f'<p class="meta"><code>{esc(scenario.id)}</code> \u00b7 area: {esc(scenario.area)} \u00b7 '
        f"difficulty {esc(scenario.difficulty)} \u00b7 about {esc(scenario.minutes)} minutes</p>",
        f'<p class="meta">The learner is the {esc(one_line(scenario.role_title))}, '
        f"{esc(one_line(scenario.role_agency))}. {esc(one_line(scenario.setting))}</p>",
        f'<p class="meta">{count(len(scenario.nodes), "node")}: {count(len(decisions), "decision")} '
        f"offering {count(options, 'option')}, {count(len(endings), 'ending')}.</p>",
        "</header>",
    ]
    return out


def _variables(scenario: Scenario) -> list[str]:
    out: list[str] = []
    if scenario.variables:
        out += ["<h2>Variables</h2>", '<table><tr><th scope="col">Name</th><th scope="col">Starts at</th>'
                '<th scope="col">Range</th><th scope="col">Meaning</th></tr>']
        for name, variable in scenario.variables.items():
            start = ("true" if variable.initial else "false") if variable.is_flag else str(variable.initial)
            limits = f"{variable.minimum} to {variable.maximum}" if variable.minimum is not None else ""
            out.append(f"<tr><td><code>{esc(name)}</code></td><td>{esc(start)}</td><td>{esc(limits)}</td>"
                       f"<td>{esc(one_line(variable.description))}</td></tr>")
        out.append("</table>")
    return out


def _key(scenario: Scenario) -> list[str]:
    used: dict[str, int] = {}
    for ending in scenario.endings.values():
        used[ending.outcome] = used.get(ending.outcome, 0) + 1
    out = ["<h2>Key</h2>", '<ul class="key">']
    for kind in [*outcome_kinds(), *(k for k in used if k not in outcome_kinds())]:
        colour = outcome_colour(kind)
        here = count(used[kind], "ending") if kind in used else "none here"
        absent = "" if kind in used else ' class="absent"'
        out.append(f'<li{absent}><span class="swatch" aria-hidden="true" '
                   f'style="background:{tint(colour)};border-color:{colour}"></span>'
                   f"Ending: {esc(outcome_label(kind))} ({here})</li>")
    out += [
        '<li><span class="line" aria-hidden="true"></span>leads to (solid arrow)</li>',
        '<li><span class="line back" aria-hidden="true"></span>goes back to an earlier node: a loop</li>',
        '<li><span class="swatch" aria-hidden="true" style="background:#f4f5f6;border:2px dashed #56616b"></span>'
        "narration: no choice, the story continues</li>",
        '<li><span class="swatch" aria-hidden="true" style="background:#fbfbf7;border:2px dashed #4b2c82"></span>'
        '<span>option with a condition (<span class="cond">if \u2026</span>)</span></li>',
        "</ul>",
        '<p class="note">Each small box is an option: its number, its id if it has one, its condition, the evidence it '
        f'gives (<span class="plus">+2 shown</span>, <span class="minus">{signed(-1)} missed</span>, by quality id) and '
        "the variables it changes. Options are numbered as they are written; a learner is offered only those whose "
        "condition holds (a locked one is shown greyed out if it has a reason), numbered from 1.</p>",
    ]
    qualities = sorted({q for node in scenario.nodes.values() for c in node.choices for q in c.evidence})
    if qualities:
        out.append(f"<details><summary>The {count(len(qualities), 'quality', 'qualities')} "
                   "this scenario gives evidence for</summary><dl>")
        out += [f"<dt>{esc(q)}</dt><dd>{esc(quality_label(q))}</dd>" for q in qualities]
        out.append("</dl></details>")
    return out


# -- the text listing ------------------------------------------------------------


def _listing(scenario: Scenario, anchors: dict[str, str]) -> list[str]:
    sources: dict[str, list[str]] = {node_id: [] for node_id in scenario.nodes}
    for node_id, node in scenario.nodes.items():
        for number, choice in enumerate(node.choices, start=1):
            if choice.next in sources:
                sources[choice.next].append(f"{_link(node_id, anchors)} option {number}")
        if node.next in sources:
            sources[node.next].append(_link(node_id, anchors))
    out = [
        '<section id="listing" aria-labelledby="listing-heading">',
        '<h2 id="listing-heading">The scenario as text</h2>',
        f'<p class="note">Every node in the order of the file. It starts at {_link(scenario.start, anchors)}.</p>',
    ]
    for node_id, node in scenario.nodes.items():
        out += _node_entry(scenario, node, anchors, sources[node_id])
    out.append("</section>")
    return out


def _link(node_id: str, anchors: dict[str, str]) -> str:
    if node_id in anchors:
        return f'<a href="#{anchors[node_id]}"><code>{esc(node_id)}</code></a>'
    return f"<code>{esc(node_id)}</code> (no such node)"


def _node_entry(scenario: Scenario, node: Node, anchors: dict[str, str], sources: list[str]) -> list[str]:
    anchor = anchors[node.id]
    speaker = esc(one_line(scenario.speaker_name(node.speaker)))
    if node.ending:
        colour = outcome_colour(node.ending.outcome)
        out = [f'<article class="node ending" id="{anchor}" style="--outcome:{colour};--outcome-tint:{tint(colour, 0.92)}">']
    else:
        out = [f'<article class="node" id="{anchor}">']
    start = ' <span class="badge">START</span>' if node.id == scenario.start else ""
    out.append(f"<h3><code>{esc(node.id)}</code> \u00b7 {speaker}{start}</h3>")
    if node.direction:
        out.append(f'<p class="direction">{esc(one_line(node.direction))}</p>')
    out.append(f'<p class="said">{esc(node.text)}</p>')
    if node.ending:
        ending = node.ending
        out.append(f'<p><span class="label">Ending: {esc(outcome_label(ending.outcome))}</span> \u2014 '
                   f"{esc(one_line(ending.title))}</p>")
        out.append(f'<p class="said"><span class="label">Debrief:</span> {esc(ending.debrief)}</p>')
        if ending.impact:
            out.append(f'<p class="said"><span class="label">Impact:</span> {esc(ending.impact)}</p>')
    if node.choices:
        out.append('<ol class="choices">')
        for number, choice in enumerate(node.choices, start=1):
            out += _choice_entry(scenario, choice, number, f"{anchor}-option-{number}", anchors)
        out.append("</ol>")
    if node.next:
        out.append(f'<p><span class="label">Next:</span> {_link(node.next, anchors)}</p>')
    if sources:
        out.append(f'<p class="note">Reached from {", ".join(sources)}.</p>')
    out.append("</article>")
    return out


def _choice_entry(scenario: Scenario, choice: Choice, number: int, anchor: str, anchors: dict[str, str]) -> list[str]:
    out = [f'<li id="{anchor}">', f'<p><span class="label">{esc(option_title(choice, number))}:</span> '
           f"\u201c{esc(one_line(choice.text))}\u201d</p>"]
    if choice.condition:
        otherwise = (f"otherwise shown locked: \u201c{esc(one_line(choice.locked_reason))}\u201d"
                     if choice.locked_reason else "otherwise not shown")
        out.append(f'<p><span class="label">Only if</span> <code class="cond">{esc(choice.condition)}</code>; '
                   f"{otherwise}.</p>")
    if choice.evidence:
        terms = [f'<span class="{_sign_class(value)}">{esc(signed(value))} {esc(quality_label(quality))}</span> '
                 f"(<code>{esc(quality)}</code>)" for quality, value in choice.evidence.items()]
        out.append(f'<p><span class="label">Evidence:</span> {", ".join(terms)}</p>')
    else:
        out.append('<p><span class="label">Evidence:</span> none</p>')
    if changes(choice):
        out.append(f'<p><span class="label">Changes:</span> {esc(", ".join(changes(choice)))}</p>')
    if choice.cites:
        cited = [f"<code>{esc(fact)}</code>" + (f" ({esc(one_line(scenario.case_file[fact].title))})"
                                                 if fact in scenario.case_file else "") for fact in choice.cites]
        out.append(f'<p><span class="label">Cites:</span> {", ".join(cited)}</p>')
    if choice.feedback:
        out.append(f'<p><span class="label">Feedback:</span> {esc(one_line(choice.feedback))}</p>')
    if choice.hint:
        out.append(f'<p><span class="label">Hint:</span> {esc(one_line(choice.hint))}</p>')
    out.append(f'<p><span class="label">Next:</span> {_link(choice.next, anchors)}</p>')
    out.append("</li>")
    return out


def _sign_class(value: int) -> str:
    return "plus" if value > 0 else "minus" if value < 0 else "zero"
