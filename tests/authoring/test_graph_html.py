"""`rehearse graph --format html`: one self-contained page a trainer can open
offline, with every node and option on it, endings coloured by outcome,
evidence on every option, and scenario text treated as words, never markup."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from scoring.display import one_line
from simulator.authoring.graph.layout import Box, layout
from simulator.authoring.graph.page import outcome_kinds, page
from simulator.authoring.graph.text_formats import OUTCOME_COLOURS
from simulator.cli import main
from simulator.format.library import find, load_all
from simulator.model.scenario import from_document


class Page(HTMLParser):
    """The parsed page: every start tag with its attributes, the text, and the
    text inside each element that has an id or a link (for looking things up)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self.by_id: dict[str, str] = {}  # element id -> its text
        self.by_link: dict[str, str] = {}  # href of an <a> -> the text inside it
        self._open: list[list] = []  # [tag, key, collected text]
        self._in_style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        self._in_style = tag == "style"
        key = ("id", attributes["id"]) if "id" in attributes else ("href", attributes["href"]) if tag == "a" and "href" in attributes else None
        self._open.append([tag, key, []])

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        self._in_style = False
        while self._open:
            name, key, collected = self._open.pop()
            text = "".join(collected)
            if key and key[0] == "id":
                self.by_id[key[1]] = text
            elif key:
                self.by_link[key[1]] = self.by_link.get(key[1], "") + text
            if self._open:
                self._open[-1][2].append(text)
            if name == tag:
                break

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)
            return
        self.text.append(data)
        if self._open:
            self._open[-1][2].append(data)

    def attribute_values(self) -> list[str]:
        return [value for _, attributes in self.tags for value in attributes.values()]


def node_anchors(scenario) -> dict[str, str]:
    return {node_id: f"node-{i}" for i, node_id in enumerate(scenario.nodes)}


@pytest.fixture(scope="module")
def dsl():
    result = find("dsl-mash-threshold")
    assert result.ok
    return result.scenario


@pytest.fixture(scope="module")
def dsl_page(dsl):
    return Page(page(dsl))


# -- nothing is fetched ----------------------------------------------------------


def test_the_page_loads_nothing_and_runs_no_script(dsl_page):
    tags = [tag for tag, _ in dsl_page.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    for tag, attributes in dsl_page.tags:
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "href", "xlink:href", "style"):
                assert not re.search(r"https?:|//", value), (tag, name, value)
                assert not value.startswith(("javascript:", "data:")), (tag, name, value)
    css = "".join(dsl_page.styles) + "".join(a.get("style", "") for _, a in dsl_page.tags)
    assert "@import" not in css and "@font-face" not in css
    for reference in re.findall(r"url\(([^)]*)\)", css):
        assert reference.startswith("#"), reference
    for tag, attributes in dsl_page.tags:
        for value in attributes.values():
            for reference in re.findall(r"url\(([^)]*)\)", value):
                assert reference.startswith("#"), (tag, value)
    policy = next(a["content"] for t, a in dsl_page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "script-src" not in policy


def test_links_on_the_page_all_point_within_it(dsl_page):
    ids = {a["id"] for _, a in dsl_page.tags if "id" in a}
    hrefs = [a["href"] for t, a in dsl_page.tags if t == "a"]
    assert hrefs and all(href.startswith("#") and href[1:] in ids for href in hrefs)


# -- everything is on it -----------------------------------------------------------


@pytest.mark.parametrize("result", load_all(), ids=lambda r: r.scenario.id)
def test_every_node_and_every_option_is_drawn_and_listed(result):
    scenario = result.scenario
    parsed = Page(page(scenario))
    anchors = node_anchors(scenario)
    for node_id, node in scenario.nodes.items():
        anchor = anchors[node_id]
        assert node_id in parsed.by_link[f"#{anchor}"], f"{node_id} has no box in the graph"
        assert node_id in parsed.by_id[anchor] and one_line(node.text) in one_line(parsed.by_id[anchor])
        for number, choice in enumerate(node.choices, start=1):
            option = f"{anchor}-option-{number}"
            assert f"Option {number}" in parsed.by_link[f"#{option}"], f"{node_id} option {number} is not drawn"
            listed = parsed.by_id[option]
            assert one_line(choice.text) in one_line(listed)
            assert f"#{anchors[choice.next]}" in _links_inside(parsed, option)


def _links_inside(parsed: Page, element_id: str) -> list[str]:
    inside, links = False, []
    for tag, attributes in parsed.tags:
        if attributes.get("id") == element_id:
            inside = True
        elif inside and tag == "li":
            break
        elif inside and tag == "a":
            links.append(attributes.get("href", ""))
    return links


def test_long_node_text_is_cut_in_the_box_and_whole_in_its_tooltip(dsl, dsl_page):
    node = dsl.nodes["marcus-explains"]
    box = one_line(dsl_page.by_link[f"#{node_anchors(dsl)['marcus-explains']}"])
    assert "\u2026" in box and one_line(node.text) in box  # the <title> inside the box holds it all
    assert box.count("Okay. I read Leo's words") == 2  # once in the tooltip, once as the excerpt


# -- endings by outcome ----------------------------------------------------------------


def test_endings_are_coloured_by_their_outcome(dsl, dsl_page):
    anchors = node_anchors(dsl)
    seen = set()
    for node_id, ending in dsl.endings.items():
        colour = OUTCOME_COLOURS[ending.outcome]
        box = _tags_inside_link(dsl_page, f"#{anchors[node_id]}")
        frame = next(a for t, a in box if t == "rect" and "frame" in a.get("class", ""))
        assert f"stroke:{colour}" in frame["style"], (node_id, ending.outcome)
        seen.add(colour)
        assert ending.outcome.replace("-", " ").capitalize() in dsl_page.by_link[f"#{anchors[node_id]}"]
    assert len(seen) >= 4  # resolved, escalated, unresolved, child at risk, relationship damaged look different


def _tags_inside_link(parsed: Page, href: str) -> list[tuple[str, dict]]:
    out, inside = [], False
    for tag, attributes in parsed.tags:
        if tag == "a":
            inside = attributes.get("href") == href
        elif inside:
            out.append((tag, attributes))
    return out


def test_every_outcome_kind_in_the_schema_has_a_colour_of_its_own_in_the_key(dsl_page):
    kinds = outcome_kinds()
    assert "child-at-risk" in kinds and "resolved" in kinds
    assert all(kind in OUTCOME_COLOURS for kind in kinds)
    key = " ".join(dsl_page.text)
    for kind in kinds:
        assert f"Ending: {kind.replace('-', ' ').capitalize()}" in key


# -- evidence, conditions and changes on the options ----------------------------------


def test_options_carry_their_evidence_condition_and_changes(dsl, dsl_page):
    anchor = node_anchors(dsl)["marcus-explains"]
    leo_words = dsl_page.by_link[f"#{anchor}-option-1"]
    for term in ["Option 1", "closure-reason", "+2 not-face-value", "+2 enquire-further", "+1 factual",
                 "+1 respectful", "trust +1"]:
        assert term in leo_words, term
    assert "if " not in leo_words.split("\u201d")[-1]  # not guarded
    repair = dsl_page.by_link[f"#{anchor}-option-4"]
    assert "if trust <= 1" in repair and "trust +2" in repair and "+2 reflective" in repair
    shouted = dsl_page.by_link[f"#{node_anchors(dsl)['call-connects']}-option-2"]
    for term in ["\u22121 respectful", "\u22122 diplomatic", "+1 assertion", "trust \u22122"]:
        assert term in shouted, term
    told = dsl_page.by_link[f"#{node_anchors(dsl)['helen-checks-in']}-option-1"]
    assert "head_informed = true" in told


def test_evidence_is_coloured_by_sign_in_the_graph(dsl):
    html_text = page(dsl)
    assert re.search('<tspan class="minus"> ?\u22122 diplomatic,</tspan>', html_text)
    assert re.search('<tspan class="plus"> ?\\+1 assertion</tspan>', html_text)


def test_the_listing_names_qualities_in_words_and_says_when_a_locked_option_shows(dsl, dsl_page):
    anchor = node_anchors(dsl)["marcus-explains"]
    listed = one_line(dsl_page.by_id[f"{anchor}-option-2"])
    assert "+1 Factual (factual)" in listed
    assert "+1 Considers the voice of the child or service user (service-user-voice)" in listed
    assert "Next: marcus-considers" in listed
    school = one_line(dsl_page.by_id[f"{node_anchors(dsl)['marcus-closes-down']}-option-3"])
    assert "Only if head_informed; otherwise shown locked" in school
    repair = one_line(dsl_page.by_id[f"{anchor}-option-4"])
    assert "Only if trust <= 1; otherwise not shown" in repair


# -- loops -------------------------------------------------------------------------------


def _document(**overrides) -> dict:
    doc = {
        "id": "loop", "title": "Try again", "area": "escalation", "situation": "A call.",
        "role": {"title": "Social worker", "agency": "Northbridge Children's Services"},
        "setting": "Office", "difficulty": 1, "minutes": 5, "objectives": ["Escalate"],
        "characters": {"tm": {"name": "Pat Lee", "role": "Team manager", "agency": "Northbridge"}},
        "case_file": {"fact": {"title": "A fact", "text": "Recorded."}},
        "variables": {"tries": {"initial": 0, "min": 0, "max": 3}},
        "start": "ask",
        "nodes": {
            "ask": {"speaker": "tm", "text": "What do you want?", "choices": [
                {"text": "I'd like a strategy discussion.", "next": "done", "evidence": {"clear-rationale": 2}},
                {"text": "Um.", "next": "retry", "evidence": {"confident": -1}, "add": {"tries": 1}},
            ]},
            "retry": {"speaker": "narrator", "text": "You lose your thread.", "choices": [
                {"text": "Try again", "next": "ask", "evidence": {"reflective": 1}},
                {"text": "Stay here", "next": "retry", "evidence": {"reflective": -1}},
                {"text": "Give up", "next": "gave-up", "evidence": {"owns-cases": -2}},
            ]},
            "done": {"speaker": "narrator", "text": "Agreed.",
                     "ending": {"outcome": "resolved", "title": "Agreed", "debrief": "Good."}},
            "gave-up": {"speaker": "narrator", "text": "Nothing happens.",
                        "ending": {"outcome": "child-at-risk", "title": "Dropped", "debrief": "Not pursued."}},
        },
    }
    doc.update(overrides)
    return doc


def test_options_that_loop_back_are_drawn_differently_and_say_where_they_go():
    scenario = from_document(_document())
    html_text = page(scenario)
    parsed = Page(html_text)
    back = [a for t, a in parsed.tags if t == "path" and "back" in a.get("class", "").split()]
    assert len(back) == 2  # "Try again" and "Stay here"
    assert all(a["marker-end"] == "url(#arrow-back)" for a in back)
    retry = node_anchors(scenario)["retry"]
    assert "back to ask" in parsed.by_link[f"#{retry}-option-1"]
    assert "back to retry" in parsed.by_link[f"#{retry}-option-2"]
    assert "back to" not in parsed.by_link[f"#{retry}-option-3"]
    forward = [a for t, a in parsed.tags if t == "path" and a.get("class") == "edge"]
    assert forward and all("back" not in a.get("marker-end", "") for a in forward)


# -- hostile text ------------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script> & \"q\" 'a' ]]> <!-- x --> \x1b[31m\x00\x07\x9b end"


def _hostile_scenario():
    doc = _document(title=f"Title {HOSTILE}", start=f"ask{HOSTILE}", situation=HOSTILE, setting=HOSTILE)
    nodes = doc["nodes"]
    ask = nodes.pop("ask")
    ask["text"] = f"Text {HOSTILE}"
    ask["direction"] = f"Direction {HOSTILE}"
    ask["choices"][0]["text"] = f"Choice {HOSTILE}"
    ask["choices"][0]["condition"] = f"tries < 3 and '{HOSTILE}'"
    ask["choices"][0]["locked_reason"] = f"Locked {HOSTILE}"
    ask["choices"][0]["id"] = f"id{HOSTILE}"
    ask["choices"][0]["evidence"] = {f"q{HOSTILE}": 2}
    ask["choices"][0]["feedback"] = f"Feedback {HOSTILE}"
    ask["choices"][0]["set"] = {f"v{HOSTILE}": True}
    nodes[f"ask{HOSTILE}"] = ask
    nodes["retry"]["choices"][0]["next"] = f"ask{HOSTILE}"
    nodes["done"]["ending"]["title"] = f"Ending {HOSTILE}"
    nodes["done"]["ending"]["outcome"] = f"<b>{HOSTILE}"
    doc["characters"]["tm"]["name"] = f"Pat {HOSTILE}"
    doc["variables"][f"v{HOSTILE}"] = {"initial": False, "description": HOSTILE}
    return from_document(doc)


def test_hostile_scenario_text_is_shown_as_words_never_markup():
    html_text = page(_hostile_scenario())
    parsed = Page(html_text)
    assert "script" not in [tag for tag, _ in parsed.tags]
    assert "b" not in [tag for tag, _ in parsed.tags]
    # No control character reaches the file; each is shown as a symbol.
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", html_text)
    assert "\u241b[31m\u2400\u2407\ufffd" in "".join(parsed.text)
    # Scenario text never becomes an attribute, so quotes cannot break out of one.
    for value in parsed.attribute_values():
        assert "alert" not in value and "<" not in value
    text = "".join(parsed.text)
    for shown in ["Title <script>alert(1)</script> & \"q\" 'a' ]]> <!-- x -->", "Text <script>", "Choice <script>",
                  "Ending <script>", "Pat <script>", "tries < 3 and '<script>"]:
        assert shown in text, shown
    assert "<!-- x -->" in text  # a comment in the text stays text, not a comment


def test_the_hostile_page_is_well_formed_enough_that_every_element_closes():
    html_text = page(_hostile_scenario())
    parsed = Page(html_text)
    assert parsed.tags[-1][0] != "script"
    assert html_text.rstrip().endswith("</html>")
    assert html_text.count("<svg") == html_text.count("</svg>") == 1


def test_unpaired_surrogates_do_not_stop_the_page_being_written(tmp_path):
    scenario = from_document(_document(title="Broken \ud800 title"))
    path = tmp_path / "graph.html"
    path.write_text(page(scenario), encoding="utf-8")
    assert "Broken \ufffd title" in path.read_text(encoding="utf-8")


# -- the command ---------------------------------------------------------------------------


def test_the_command_writes_the_page_to_the_file_asked_for(tmp_path, capsys):
    out = tmp_path / "dsl.html"
    assert main(["graph", "dsl-mash-threshold", "--format", "html", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<title>Scenario graph: Below threshold? Challenging a MASH decision</title>" in text
    assert "marcus-explains" in text


def test_the_command_prints_the_page_without_out(minimal_path, capsys):
    assert main(["graph", str(minimal_path), "--format", "html"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("<!DOCTYPE html>") and "test-minimal" in printed


def test_making_the_page_does_not_load_textual(tmp_path):
    code = ("import sys\nfrom simulator.cli import main\n"
            "main(['graph', 'dsl-mash-threshold', '--format', 'html', '--out', sys.argv[1]])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "g.html")], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]" and (tmp_path / "g.html").exists()


# -- the layout ----------------------------------------------------------------------------


@pytest.mark.parametrize("result", load_all(), ids=lambda r: r.scenario.id)
def test_no_two_boxes_overlap_and_the_options_of_a_decision_keep_their_order(result):
    from simulator.authoring.graph.svg import draw

    scenario = result.scenario
    drawing = draw(scenario, node_anchors(scenario)).drawing
    placed = sorted(drawing.boxes.items(), key=lambda item: (item[1].y, item[1].x))
    for i, (key_a, a) in enumerate(placed):
        for key_b, b in placed[i + 1:]:
            apart = (abs(a.x - b.x) >= (a.width + b.width) / 2 or a.y >= b.bottom or b.y >= a.bottom)
            assert apart, (key_a, key_b)
    for node_id, node in scenario.nodes.items():
        xs = [drawing.boxes[("option", node_id, n)].x for n in range(1, len(node.choices) + 1)]
        assert xs == sorted(xs), node_id
        for n in range(1, len(node.choices) + 1):
            assert drawing.boxes[("option", node_id, n)].y > drawing.boxes[("node", node_id)].bottom
    assert all(0 <= box.x - box.width / 2 and box.x + box.width / 2 <= drawing.width for box in drawing.boxes.values())


def test_ordering_sweeps_leave_fewer_crossings_than_the_first_guess():
    # A small graph whose depth-first first guess crosses twice, with long edges.
    edges = [("a", "b"), ("a", "c"), ("a", "e"), ("a", "g"), ("b", "d"), ("c", "e"), ("d", "e"), ("d", "g"), ("e", "f")]
    boxes = {key: Box(40, 20) for key in "abcdefg"}
    assert layout(boxes, edges, ["a"], sweeps=0).crossings == 2
    assert layout(boxes, edges, ["a"]).crossings == 0


def test_long_edges_are_routed_between_boxes_not_through_them():
    boxes = {key: Box(100, 30) for key in ["top", "middle-1", "middle-2", "bottom"]}
    edges = [("top", "middle-1"), ("middle-1", "middle-2"), ("middle-2", "bottom"), ("top", "bottom")]
    drawing = layout(boxes, edges, ["top"])
    long_edge = next(route for route in drawing.routes if (route.source, route.target) == ("top", "bottom"))
    for key in ["middle-1", "middle-2"]:
        box = drawing.boxes[key]
        for x, y in long_edge.points:
            inside = abs(x - box.x) < box.width / 2 and box.y < y < box.bottom
            assert not inside, (key, x, y)
