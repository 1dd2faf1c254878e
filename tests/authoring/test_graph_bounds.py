"""The graph page stays in proportion to the story: loops back to the start
and very long words cost work in proportion to their size, not its square."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from simulator.authoring.graph.svg import draw, fit
from simulator.format.loader import load_text


def loop_heavy(nodes: int) -> str:
    """A chain of ``nodes`` passages in which every passage also links back to
    the start, as Twine stories often do; the last one is an ending."""
    out = ["id: loops", "title: Loops", "area: escalation", "situation: A call.",
           "role: {title: Social worker, agency: Northbridge Children's Services}", "setting: Office",
           "characters:", "  tm: {name: Pat Lee, role: Team manager, agency: Northbridge}",
           "difficulty: 1", "minutes: 5", "objectives: [Escalate]",
           "case_file:", "  note: {title: A note, text: Something was recorded.}", "start: n0", "nodes:"]
    for i in range(nodes):
        out += [f"  n{i}:", "    speaker: tm", f"    text: Passage {i}."]
        if i == nodes - 1:
            out.append("    ending: {outcome: resolved, title: The end, debrief: Done.}")
            continue
        out += ["    choices:",
                f"      - {{text: Go on., next: n{i + 1}, evidence: {{factual: 1}}, feedback: On.}}",
                "      - {text: Start again., next: n0, evidence: {factual: -1}, feedback: Again.}"]
    return "\n".join(out) + "\n"


def scenario(nodes: int):
    result = load_text(loop_heavy(nodes), "loops.yaml")
    assert result.ok, [d.format() for d in result.diagnostics if d.severity == "error"]
    return result.scenario


def test_links_back_to_the_start_cost_waypoints_in_proportion_to_the_story():
    found = {}
    for nodes in (100, 400):
        drawing = draw(scenario(nodes), {f"n{i}": f"a{i}" for i in range(nodes)}).drawing
        found[nodes] = sum(len(route.points) for route in drawing.routes)
    # Four times the passages: about four times the points to draw, never sixteen.
    assert found[400] < 5 * found[100], found


def test_a_long_link_back_never_runs_through_a_box():
    drawing = draw(scenario(30), {f"n{i}": f"a{i}" for i in range(30)}).drawing
    boxes = list(drawing.boxes.values())
    right = max(box.x + box.width / 2 for box in boxes)
    back = [route for route in drawing.routes if route.back and not route.self_loop]
    assert back and drawing.width > right
    for route in back:
        for (x0, y0), (x1, y1) in zip(route.points, route.points[1:]):
            for box in boxes:
                # Every piece is straight (along a lane, or across a gap between ranks), so checking
                # it against each box's interior is exact.
                inside_x = min(x0, x1) < box.x + box.width / 2 - 1 and max(x0, x1) > box.x - box.width / 2 + 1
                inside_y = min(y0, y1) < box.bottom - 1 and max(y0, y1) > box.y + 1
                if (abs(x0 - x1) < 0.5 or abs(y0 - y1) < 0.5) and inside_x and inside_y:
                    raise AssertionError((route.source, route.target, (x0, y0), (x1, y1), box))


def _seconds(code: str, limit: float) -> float | None:
    """How long ``code`` takes in a fresh interpreter, or None if it is still
    running after ``limit`` seconds (it is stopped)."""
    script = ("import time\nstarted = time.process_time()\n" + textwrap.dedent(code)
              + "\nprint(time.process_time() - started)\n")
    try:
        done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=limit,
                              check=True)
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout.strip().splitlines()[-1])


def test_the_page_of_a_thousand_passages_that_loop_back_takes_seconds_not_minutes():
    seconds = _seconds(f"""
        from simulator.authoring.graph.page import page
        from simulator.format.loader import load_text
        story = load_text({loop_heavy(1000)!r}, "loops.yaml").scenario
        started = time.process_time()
        page(story)
        """, limit=60)
    assert seconds is not None and seconds < 10, seconds


def test_a_megabyte_of_one_word_is_cut_in_one_pass():
    seconds = _seconds("""
        from simulator.authoring.graph.svg import fit
        started = time.process_time()
        fit("x" * (1 << 20), 200, "excerpt", 2)
        """, limit=30)
    assert seconds is not None and seconds < 3, seconds


def test_cutting_a_long_word_keeps_what_fits_and_ends_with_an_ellipsis():
    first, second = fit("x" * 5000, 200, "excerpt", 2)
    assert first and set(first) == {"x"} and second.endswith("\u2026")
    assert fit("short words only", 200, "excerpt", 2) == ["short words only"]


def test_a_long_chain_that_loops_back_stays_in_a_column_rather_than_drifting_across_the_page():
    widths = {nodes: draw(scenario(nodes), {f"n{i}": f"a{i}" for i in range(nodes)}).drawing.width
              for nodes in (100, 400)}
    assert widths[400] < 2.5 * widths[100], widths
