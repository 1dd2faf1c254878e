"""The scenario graph as inline SVG: a card per node, a small box per option.

Each option is a box of its own between its decision and the node it leads
to, so the evidence, condition and variable changes written on it can never
overlap another edge's. The layout is ``graph_layout``'s; this module decides
what each box says and how big it is, and draws it.

Scenario text is untrusted: everything goes through ``esc``, and scenario ids
never become attribute values (anchors are numbered).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from scoring.catalogue import load_catalogue
from scoring.display import one_line, outcome_label, visible
from simulator.authoring.graph.layout import Box, Drawing, layout
from simulator.authoring.graph.text_formats import OUTCOME_COLOURS
from simulator.model.scenario import Choice, Node, Scenario

NODE_WIDTH = 236
OPTION_MAX_WIDTH = 216
PADDING = 9
MINUS = "\u2212"
BACK_COLOUR = "#00796b"
EDGE_COLOUR = "#56616b"
OTHER_OUTCOME = "#5f6b76"

# Sizes in px; SVG_CSS below must agree, because text is measured here.
_SIZES = {"id": 13.0, "speaker": 11.5, "excerpt": 12.0, "outcome": 12.0, "option": 11.5, "optid": 11.5, "condition": 11.5,
          "plus": 11.5, "minus": 11.5, "zero": 11.5, "change": 11.0, "loop": 11.0, "muted": 11.0}
_BOLD = {"id", "outcome", "option"}

SVG_CSS = f"""
.graph svg {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }}
.graph text {{ fill: #1b1b1b; }}
.graph .id {{ font-size: 13px; font-weight: 700; }}
.graph .speaker {{ font-size: 11.5px; font-style: italic; fill: #4a4f55; }}
.graph .excerpt {{ font-size: 12px; }}
.graph .outcome {{ font-size: 12px; font-weight: 700; }}
.graph .option {{ font-size: 11.5px; font-weight: 700; }}
.graph .optid {{ font-size: 11.5px; }}
.graph .condition {{ font-size: 11.5px; font-style: italic; fill: #4b2c82; }}
.graph .plus {{ font-size: 11.5px; fill: #1b5e20; }}
.graph .minus {{ font-size: 11.5px; fill: #b71c1c; }}
.graph .zero, .graph .muted {{ font-size: 11.5px; fill: #5f6b76; }}
.graph .muted {{ font-size: 11px; font-style: italic; }}
.graph .change {{ font-size: 11px; fill: #37474f; }}
.graph .loop {{ font-size: 11px; font-weight: 700; fill: {BACK_COLOUR}; }}
.graph .start-badge {{ font-size: 11px; font-weight: 700; fill: #fff; letter-spacing: .06em; }}
.graph .edge {{ fill: none; stroke: {EDGE_COLOUR}; stroke-width: 1.4; }}
.graph .edge.back {{ stroke: {BACK_COLOUR}; stroke-width: 1.8; stroke-dasharray: 6 4; }}
.graph .card rect.frame {{ fill: #fff; stroke: #56616b; stroke-width: 1.3; }}
.graph .card.narration rect.frame {{ fill: #f4f5f6; stroke-dasharray: 4 3; }}
.graph .option-box rect.frame {{ fill: #fbfbf7; stroke: #9aa3ab; stroke-width: 1; }}
.graph .option-box.guarded rect.frame {{ stroke: #4b2c82; stroke-width: 1.4; stroke-dasharray: 5 3; }}
.graph .scene:hover .edge, .graph .choice:hover .edge {{ stroke: #d35400; stroke-width: 2.6; }}
.graph .scene:hover .card rect.frame, .graph .choice:hover rect.frame {{ stroke: #d35400; stroke-width: 2.6; }}
.graph a:focus rect.frame {{ stroke: #d35400; stroke-width: 3; }}
"""

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def esc(value: object) -> str:
    """Untrusted text for HTML or SVG: controls shown as symbols, then escaped."""
    return html.escape(visible(_SURROGATE.sub("\ufffd", str(value))), quote=True)


def outcome_colour(outcome: str) -> str:
    return OUTCOME_COLOURS.get(outcome, OTHER_OUTCOME)


def tint(colour: str, white: float = 0.86) -> str:
    """``colour`` mixed with white, for a fill that dark text reads well on."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * white):02x}" for c in (red, green, blue))


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else f"{MINUS}{-value}" if value < 0 else "\u00b10"


def quality_label(quality_id: str) -> str:
    quality = load_catalogue().qualities.get(quality_id)
    return quality.label if quality else quality_id


def option_title(choice: Choice, number: int) -> str:
    """``Option 2 · leo-words``; the id only where the author wrote one."""
    return f"Option {number}" + (f" \u00b7 {choice.id}" if choice.id != str(number) else "")


def changes(choice: Choice) -> list[str]:
    """The variable changes an option makes, as ``trust +1`` and ``told = true``."""
    out = [f"{name} = {'true' if value is True else 'false' if value is False else value}"
           for name, value in choice.set.items()]
    out += [f"{name} {signed(value)}" for name, value in choice.add.items()]
    return out


# -- measuring text -------------------------------------------------------------------
# No font metrics offline, so widths are estimated from DejaVu Sans, wider than
# the usual system fonts: text measured this way fits wherever the page opens.

_EM = {**dict.fromkeys("ijlI.,:;'!|`", 0.3), **dict.fromkeys("frt -()[]/\\\"", 0.42),
       **dict.fromkeys("mwMW@%\u2014", 0.98)}


def _em(ch: str) -> int:
    """A character's width in hundredths of an em (DejaVu Sans, roughly):
    whole numbers, so a line's width adds up exactly however it is summed."""
    if ch in _EM:
        return round(_EM[ch] * 100)
    if ch.isupper():
        return 74
    if ch.isdigit():
        return 64
    if ch.islower():
        return 62
    return 100 if unicodedata.east_asian_width(ch) in "WF" else 70


def text_width(text: str, size: float, bold: bool = False) -> float:
    return sum(_em(ch) for ch in text) / 100 * size * (1.1 if bold else 1.0)


def fit(text: str, width: float, style: str, lines: int = 1) -> list[str]:
    """``text`` on one line, wrapped at spaces into at most ``lines`` lines of
    ``width`` px; an ellipsis ends the last one if it had to be cut.

    Linear in the length of the text: widths are added up as the lines grow,
    never measured again from the start, and no more is read once there is
    a line more than will be shown (a megabyte of one word costs one pass)."""
    size, bold = _SIZES[style], style in _BOLD
    limit = 100 * width / (size * (1.1 if bold else 1.0))  # in hundredths of an em
    space = _em(" ")
    out: list[str] = []
    line, used = "", 0
    for word in one_line(text).split(" "):
        if len(out) > lines:
            break
        needed = sum(_em(ch) for ch in word)
        if line and used + space + needed <= limit:
            line, used = f"{line} {word}", used + space + needed
            continue
        if not line and needed <= limit:
            line, used = word, needed
            continue
        if line:
            out.append(line)
        line, used = word, needed
        if needed > limit:  # a word longer than the line: break it
            start, used = 0, 0
            for i, ch in enumerate(word):
                em = _em(ch)
                if i > start and used + em > limit:
                    out.append(word[start:i])
                    if len(out) > lines:
                        break
                    start, used = i, 0
                used += em
            line = word[start:]
    if line and len(out) <= lines:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = _with_ellipsis(out[-1], limit)
    return out or [""]


def _with_ellipsis(line: str, limit: float) -> str:
    """``line`` cut so that it and an ellipsis fit in ``limit`` ems."""
    room = limit - _em("\u2026")
    used, cut = 0, 0
    for cut, ch in enumerate(line):
        if used + _em(ch) > room:
            break
        used += _em(ch)
    else:
        cut = len(line)
    return line[:cut].rstrip(" ,;:.") + "\u2026"


# -- cards ------------------------------------------------------------------------------


@dataclass
class Card:
    """What one box says: lines of (text, style) runs, and a tooltip."""

    kind: str  # "scene", "narration", "ending", "option"
    width: float
    lines: list[list[tuple[str, str]]] = field(default_factory=list)
    tooltip: str = ""
    colour: str = ""
    anchor: str = ""
    guarded: bool = False

    @property
    def height(self) -> float:
        return 2 * PADDING + sum(_line_height(line) for line in self.lines) + (5 if self.kind == "ending" else 0)


def _line_height(line: list[tuple[str, str]]) -> float:
    return 1.32 * max(_SIZES[style] for _, style in line)


def node_card(scenario: Scenario, node: Node, anchor: str) -> Card:
    inner = NODE_WIDTH - 2 * PADDING
    speaker = scenario.speaker_name(node.speaker)
    tip = [f"{node.id} \u2014 {speaker}"]
    if node.direction:
        tip.append(node.direction)
    tip.append(node.text)
    lines = [[(line, "id")] for line in fit(node.id, inner, "id")]
    if node.ending:
        outcome = outcome_label(node.ending.outcome)
        tip += [f"Ending: {outcome} \u2014 {node.ending.title}", node.ending.debrief]
        if node.ending.impact:
            tip.append(node.ending.impact)
        lines.append([(fit(f"Ending: {outcome}", inner, "outcome")[0], "outcome")])
        lines += [[(line, "excerpt")] for line in fit(node.ending.title, inner, "excerpt", 2)]
        return Card("ending", NODE_WIDTH, lines, "\n".join(tip), outcome_colour(node.ending.outcome), anchor)
    lines.append([(fit(speaker, inner, "speaker")[0], "speaker")])
    lines += [[(line, "excerpt")] for line in fit(node.text, inner, "excerpt", 2)]
    kind = "scene" if node.choices else "narration"
    return Card(kind, NODE_WIDTH, lines, "\n".join(tip), anchor=anchor)


def option_card(scenario: Scenario, choice: Choice, number: int, anchor: str, loops_back: bool) -> Card:
    inner = OPTION_MAX_WIDTH - 2 * PADDING
    lines = _title_lines(choice, number, inner)
    tip = [f"{option_title(choice, number)} \u2192 {choice.next}", f"\u201c{choice.text}\u201d"]
    if choice.condition:
        lines += [[(line, "condition")] for line in fit(f"if {choice.condition}", inner, "condition", 2)]
        tip.append(f"Only if: {choice.condition}" +
                   (f" (otherwise shown locked: {choice.locked_reason})" if choice.locked_reason else " (otherwise not shown)"))
    terms = [(f"{signed(value)} {quality}", "plus" if value > 0 else "minus" if value < 0 else "zero")
             for quality, value in choice.evidence.items()]
    lines += _packed(terms, inner) if terms else [[("no evidence", "muted")]]
    if choice.evidence:
        tip.append("Evidence: " + ", ".join(f"{signed(v)} {quality_label(q)}" for q, v in choice.evidence.items()))
    if changes(choice):
        lines += _packed([(change, "change") for change in changes(choice)], inner)
        tip.append("Changes: " + ", ".join(changes(choice)))
    if loops_back:
        lines += [[(line, "loop")] for line in fit(f"\u21a9 back to {choice.next}", inner, "loop")]
    if choice.feedback:
        tip.append(f"Feedback: {choice.feedback}")
    width = max(sum(text_width(text, _SIZES[s], s in _BOLD) for text, s in line) for line in lines) + 2 * PADDING
    return Card("option", min(OPTION_MAX_WIDTH, max(96.0, width + 2)), lines, "\n".join(tip), anchor=anchor,
                guarded=bool(choice.condition))


def _title_lines(choice: Choice, number: int, width: float) -> list[list[tuple[str, str]]]:
    """``Option 2`` in bold, then the author's id for it, on the same line if it fits."""
    heading = (f"Option {number}", "option")
    if choice.id == str(number):
        return [[heading]]
    named = f" \u00b7 {one_line(choice.id)}"
    if text_width(heading[0], _SIZES["option"], True) + text_width(named, _SIZES["optid"]) <= width:
        return [[heading, (named, "optid")]]
    return [[heading], [(fit(choice.id, width, "optid")[0], "optid")]]


def _packed(terms: list[tuple[str, str]], width: float) -> list[list[tuple[str, str]]]:
    """Comma-separated runs, as many to a line as fit."""
    lines: list[list[tuple[str, str]]] = []
    line: list[tuple[str, str]] = []
    used = 0.0
    for i, (text, style) in enumerate(terms):
        text = one_line(text) + ("," if i < len(terms) - 1 else "")
        piece = (" " if line else "") + text
        need = text_width(piece, _SIZES[style], style in _BOLD)
        if line and used + need > width:
            lines.append(line)
            line, used, piece = [], 0.0, text
            need = text_width(piece, _SIZES[style], style in _BOLD)
        if need > width:  # one term wider than the box
            piece = fit(piece, width, style)[0]
            need = width
        line.append((piece, style))
        used += need
    if line:
        lines.append(line)
    return lines


# -- the drawing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Graph:
    """The SVG and what the page says about it."""

    svg: str
    drawing: Drawing
    loops: int


def draw(scenario: Scenario, anchors: dict[str, str]) -> Graph:
    """The scenario as an ``<svg>`` element; ``anchors`` maps node ids to the
    listing's element ids, which each card links to."""
    cards: dict[tuple, Card] = {}
    boxes: dict[tuple, Box] = {}
    edges: list[tuple[tuple, tuple]] = []
    kinds: list[tuple] = []  # (node id, option index or None, segment) per edge
    loops = _loop_edges(scenario)
    for node_id, node in scenario.nodes.items():
        key = ("node", node_id)
        cards[key] = node_card(scenario, node, anchors[node_id])
        boxes[key] = Box(cards[key].width, cards[key].height)
    for node_id, node in scenario.nodes.items():
        for number, choice in enumerate(node.choices, start=1):
            key = ("option", node_id, number)
            cards[key] = option_card(scenario, choice, number, f"{anchors[node_id]}-option-{number}",
                                     (node_id, choice.next) in loops)
            boxes[key] = Box(cards[key].width, cards[key].height, group=node_id)
            edges.append((("node", node_id), key))
            kinds.append((node_id, number, "to-option"))
            if choice.next in scenario.nodes:
                edges.append((key, ("node", choice.next)))
                kinds.append((node_id, number, "from-option"))
        if node.next and node.next in scenario.nodes:
            edges.append((("node", node_id), ("node", node.next)))
            kinds.append((node_id, None, "continue"))
    drawing = layout(boxes, edges, [("node", scenario.start)], margin=30)

    per_node: dict[str, list[str]] = {node_id: [] for node_id in scenario.nodes}
    per_option: dict[tuple[str, int], list[str]] = {}
    for route in drawing.routes:
        node_id, number, segment = kinds[route.index]
        back = route.back and segment != "to-option"
        classes = "edge back" if back else "edge"
        marker = "" if segment == "to-option" else f' marker-end="url(#{"arrow-back" if back else "arrow"})"'
        path = f'<path class="{classes}" d="{route.path()}"{marker}/>'
        if number is None:
            per_node[node_id].append(path)
        else:
            per_option.setdefault((node_id, number), []).append(path)

    out = [
        f'<svg width="{drawing.width:.0f}" height="{drawing.height:.0f}"'
        f' viewBox="0 0 {drawing.width:.0f} {drawing.height:.0f}" role="img" aria-labelledby="graph-caption">',
        "<defs>",
        _marker("arrow", EDGE_COLOUR),
        _marker("arrow-back", BACK_COLOUR),
        "</defs>",
    ]
    # Nodes rank by rank, so a later card never hides an earlier card's edges.
    order = sorted(scenario.nodes, key=lambda n: (drawing.boxes[("node", n)].rank, drawing.boxes[("node", n)].x))
    for node_id in order:
        node = scenario.nodes[node_id]
        out.append('<g class="scene">')
        for number in range(1, len(node.choices) + 1):
            key = ("option", node_id, number)
            out.append('<g class="choice">')
            out += per_option.get((node_id, number), [])
            out.append(_card(cards[key], drawing.boxes[key]))
            out.append("</g>")
        out += per_node[node_id]
        key = ("node", node_id)
        if node_id == scenario.start:
            out.append(_start_badge(drawing.boxes[key]))
        out.append(_card(cards[key], drawing.boxes[key]))
        out.append("</g>")
    out.append("</svg>")
    return Graph("\n".join(out), drawing, len(loops))


def _loop_edges(scenario: Scenario) -> set[tuple[str, str]]:
    """(from, to) for the options that lead back to a node already on the way
    there from the start: "try again" loops."""
    nodes = scenario.nodes
    state: dict[str, int] = {}
    loops: set[tuple[str, str]] = set()
    for root in [scenario.start, *nodes]:
        if root not in nodes or root in state:
            continue
        state[root] = 1
        stack = [(root, iter(nodes[root].targets()))]
        while stack:
            node_id, todo = stack[-1]
            for target in todo:
                if target not in nodes:
                    continue
                if state.get(target) == 1:
                    loops.add((node_id, target))
                elif target not in state:
                    state[target] = 1
                    stack.append((target, iter(nodes[target].targets())))
                    break
            else:
                state[node_id] = 2
                stack.pop()
    return loops


def _marker(name: str, colour: str) -> str:
    return (f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8"'
            f' markerUnits="userSpaceOnUse" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="{colour}"/></marker>')


def _start_badge(box) -> str:
    left, top = box.x - box.width / 2, box.y - 22
    return (f'<g aria-hidden="true"><rect x="{left:.1f}" y="{top:.1f}" width="52" height="17" rx="8" fill="#28527a"/>'
            f'<text class="start-badge" x="{left + 26:.1f}" y="{top + 12.5:.1f}" text-anchor="middle">START</text></g>')


def _card(card: Card, box) -> str:
    left, top = box.x - box.width / 2, box.y
    classes = {"option": "option-box", "ending": "card ending", "scene": "card", "narration": "card narration"}[card.kind]
    if card.guarded:
        classes += " guarded"
    out = [f'<a href="#{card.anchor}" tabindex="-1"><g class="{classes}">', f"<title>{esc(card.tooltip)}</title>"]
    if card.kind == "ending":
        out.append(f'<rect class="frame" x="{left:.1f}" y="{top:.1f}" width="{box.width:.1f}" height="{box.height:.1f}"'
                   f' rx="6" style="fill:{tint(card.colour)};stroke:{card.colour};stroke-width:2.5"/>')
        out.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{box.width:.1f}" height="7" rx="3" fill="{card.colour}"/>')
    else:
        radius = 4 if card.kind == "option" else 6
        out.append(f'<rect class="frame" x="{left:.1f}" y="{top:.1f}" width="{box.width:.1f}" height="{box.height:.1f}"'
                   f' rx="{radius}"/>')
    y = top + PADDING + (5 if card.kind == "ending" else 0)
    for line in card.lines:
        height = _line_height(line)
        baseline = y + height * 0.78
        runs = "".join(f'<tspan class="{style}">{esc(text)}</tspan>' for text, style in line)
        out.append(f'<text x="{left + PADDING:.1f}" y="{baseline:.1f}">{runs}</text>')
        y += height
    out.append("</g></a>")
    return "".join(out)
