"""The bundled scenario library: every scenario plays end to end along its best
and its worst path to the ending pinned here, and the library as a whole meets
the bar set for content (size, branching, balance, coverage)."""

from functools import lru_cache

import pytest

from scoring.catalogue import load_catalogue
from simulator.analysis.balance import analyse
from simulator.cli import main
from simulator.format.library import load_all

# scenario id: (best path, its ending, worst path, its ending)
ROUTES = {
    "asc-care-home-safeguarding": ("2,1,2,4,2,4,3,3,2", "end-s42", "1,1,2,1", "end-adult-at-risk"),
    "asc-self-neglect-capacity": ("5,3,4,2,3,4,3,4", "end-plan-with-him", "4,4,5,1", "end-old-view-pressed"),
    "dsl-mash-threshold": ("1,3,1,3,3,1", "end-strategy-discussion", "3,1,3,2,1", "end-child-at-risk"),
    "ey-lado-allegation": ("3,2,2,4,3,2,4,3", "end-together", "2,1,1,2,2", "end-internal"),
    "eh-cin-plan-drift": ("3,1,2,2,2,1,2,2,2", "end-resolved", "1,2,3,4,1,1", "end-child-at-risk"),
    "gp-s47-infant-bruising": ("2,3,2,1,2,3", "end-s47", "3,1,1,2,3,2", "end-relationship-damaged"),
    "housing-interpreter-s42": ("2,2,3,3,3,2,1,3,2,4,5,2,2", "end-resolved", "1,3,1,2", "end-adult-at-risk"),
    "hv-gcp2-closure": ("5,2,3,3,3,3,1", "end-agreed-plan", "1,1,1,1", "end-child-at-risk"),
    "idva-marac-risk": ("4,2,3,4,4,3,1,3,5", "end-listed-and-raised", "1,1,2,1,2", "end-night-came-first"),
    "nqsw-supervision-gut-feeling": ("2,3,4,4,4,4", "end-strategy", "1,4,2,1", "end-child-at-risk"),
    "police-cce-missing-episodes": ("2,4,1,5,3,3,3,4,1,3", "end-reconvened", "1,1,1,1,1,1", "end-after-harm"),
    "school-nurse-camhs-decline": ("3,4,3,3,4,3,5,2", "end-resolved", "1,2,2,3,1", "end-child-at-risk"),
    "sen-disabled-child-injuries": ("2,1,3,3,1,2,1,4,3", "end-resolved", "1,2,4,2,1,3", "end-child-at-risk"),
    "sw-gp-information-sharing": ("2,4,3,3,1,2,3,4", "end-resolved", "3,2,3,1", "end-child-at-risk"),
    "tm-receiving-challenge": ("4,2,2,1,5,2", "end-resolved", "1,1,3,3,1", "end-child-at-risk"),
}
SIX_AREAS = {"criteria-for-referrals", "outcomes-of-assessments", "roles-and-responsibilities",
             "service-provision", "timeliness-of-interventions", "information-sharing"}


@lru_cache(maxsize=1)
def library():
    results = load_all()
    assert all(r.ok for r in results), [d.format() for r in results for d in r.diagnostics]
    return {r.scenario.id: r.scenario for r in results}


@lru_cache(maxsize=None)
def analysis(scenario_id):
    return analyse(library()[scenario_id])


def test_every_bundled_scenario_has_pinned_routes():
    assert set(library()) == set(ROUTES)


@pytest.mark.parametrize("scenario_id", sorted(ROUTES))
@pytest.mark.parametrize("route", ["best", "worst"])
def test_route_plays_end_to_end_to_its_pinned_ending(scenario_id, route, capsys):
    best, best_end, worst, worst_end = ROUTES[scenario_id]
    path, ending = (best, best_end) if route == "best" else (worst, worst_end)
    assert main(["play", scenario_id, "--choices", path]) == 0
    out = capsys.readouterr().out
    expected = library()[scenario_id].nodes[ending].ending
    assert f"Ended: {expected.outcome} — {expected.title}" in " ".join(out.split())


@pytest.mark.parametrize("scenario_id", sorted(ROUTES))
def test_best_route_is_the_analysed_best_and_reaches_the_top_band(scenario_id):
    result = analysis(scenario_id)
    assert result.best["overall"].score >= load_catalogue().bands[0].minimum
    assert ",".join(map(str, result.best["overall"].path)) == ROUTES[scenario_id][0]


@pytest.mark.parametrize("scenario_id", sorted(ROUTES))
def test_scenario_is_big_and_branching_enough(scenario_id):
    scenario = library()[scenario_id]
    result = analysis(scenario_id)
    assert len(scenario.nodes) >= 12
    assert result.decisions_per_path[0] >= 4, "every path needs at least four decisions"
    assert len({ending.outcome for ending in scenario.endings.values()}) >= 3
    assert all(count > 0 for _, count in result.endings.values()), "every ending is reachable"
    assert len(scenario.case_file) >= 6
    assert any(v.signal for v in scenario.variables.values()), "the other professional's reaction is tracked"


@pytest.mark.parametrize("scenario_id", sorted(ROUTES))
def test_no_test_wise_strategy_reaches_the_top_band(scenario_id):
    # Always first, longest, shortest, random, or by professional-sounding wording alone:
    # none may reach Strong in any bundled scenario (issue 14).
    assert analysis(scenario_id).warnings == ()


@pytest.mark.parametrize("scenario_id", sorted(ROUTES))
def test_better_options_cite_the_case_file(scenario_id):
    scenario = library()[scenario_id]
    cited = {fact for node in scenario.nodes.values() for choice in node.choices for fact in choice.cites}
    assert len(cited) >= len(scenario.case_file) // 2


def test_every_quality_is_evidenced_in_at_least_two_scenarios_and_every_area_has_one():
    counts = {q: sum(q in analysis(s).qualities for s in ROUTES) for q in load_catalogue().qualities}
    assert {q: n for q, n in counts.items() if n < 2} == {}
    assert SIX_AREAS <= {scenario.area for scenario in library().values()}


def test_coverage_table_is_printed(capsys):
    assert main(["analyse", "--library"]) == 0
    out = capsys.readouterr().out
    assert "Every quality is evidenced in at least two scenarios." in out
    assert "Each of the briefing's six areas has a scenario." in out


@pytest.mark.parametrize("scenario_id", sorted(ROUTES))
def test_every_bundled_scenario_warns_before_play(scenario_id):
    # A trainer warns the room from content_notes, and the app shows them before play:
    # a bundled scenario without them starts with no warning at all.
    notes = library()[scenario_id].content_notes
    assert notes, f"{scenario_id} has no content_notes"
    assert all(note.strip() for note in notes), f"{scenario_id} has a blank content note"
