"""A test-wise learner who reads only the options' words.

Some learners learn what a "good answer" sounds like: a date, a quotation,
thanks, "record", "stage", a policy's name; and what a weak one sounds like:
hedges ("just", "honestly", "I suppose") and heat ("complaint", "ridiculous").
This strategy picks, at every decision, the option whose words score highest
on that lexicon, never reading the case or the evidence. If it reaches the
top band, the scenario rewards sounding professional rather than judgement:
``rehearse analyse`` reports it beside the other strategies, and the lint
rule ``wording-wins`` warns.

Light on purpose: the lint runs on every load.
"""

from __future__ import annotations

import re
from typing import Mapping

from simulator.analysis.best_paths import TooLarge, _StateGraph
from simulator.model.scenario import Scenario

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"

# Each cue: (pattern, weight). Counted once per option however often it appears.
CUES: tuple[tuple[re.Pattern[str], int], ...] = tuple((re.compile(pattern, re.IGNORECASE), weight) for pattern, weight in (
    # dates and times: "3 October", "12/05", "on Tuesday", "by Friday", "today", "within 24 hours"
    (rf"\b\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})\b|\b\d{{1,2}}/\d{{1,2}}\b|\b({_DAYS})\b", 2),
    (r"\b(today|this afternoon|by the end of the day|within \d+ (hours|days|working days))\b", 1),
    # quotation: the other person's or the child's own words
    (r"[\"“‘]\s*\w[^\"”’]{3,}[\"”’]", 2),
    # courtesy
    (r"\bthank(s| you)\b|\bi appreciate\b", 1),
    # recording and writing it down
    (r"\brecord(ed|ing|s)?\b|\bin writing\b|\bwrite (it|this) (up|down)\b|\bchronology\b|\bminute(d|s)\b", 2),
    # escalation stages and procedures
    (r"\bstage (1|2|3|one|two|three)\b|\bnext stage\b|\bescalat\w*\b|\bresolution (policy|protocol)\b", 2),
    (r"\bpolicy\b|\bprotocol\b|\bprocedures?\b|\bthreshold (document|guidance)\b|\bcontinuum of need\b", 1),
    # guidance and legal frameworks a learner may recognise without knowing the case
    (r"\bworking together\b|\bkcsie\b|\bcare act\b|\bsection (17|47|42)\b|\bs(17|47|42)\b|\bmental capacity\b|"
     r"\bmarac\b|\blado\b|\bgraded care profile\b|\bgcp2?\b|\bstrategy (discussion|meeting)\b|\bsupervision\b|"
     r"\bline manager\b|\bdesignated safeguarding lead\b|\bdsl\b", 2),
))
HEDGES: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\bjust\b", r"\bhonestly\b|\bto be honest\b", r"\bmaybe\b|\bperhaps\b", r"\bi suppose\b|\bi guess\b",
    r"\bsort of\b|\bkind of\b", r"\bprobably\b", r"\bi'?m (not sure|sorry)\b", r"\bfine\b", r"\bleave it\b",
))
HEAT: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\bcomplain\w*\b", r"\bridiculous\b|\bunacceptable\b|\bdisgrace\w*\b|\bshocking\b", r"\bfrankly\b",
    r"\bsimply wrong\b|\bnot good enough\b", r"\bobviously\b", r"!", r"\byou (always|never)\b",
))


def wording_score(text: str) -> int:
    """How professional ``text`` sounds to a learner who knows the cues but
    not the case: cues add their weight, each hedge or heat word takes 2."""
    gained = sum(weight for pattern, weight in CUES if pattern.search(text))
    lost = 2 * sum(1 for pattern in (*HEDGES, *HEAT) if pattern.search(text))
    return gained - lost


def pick_by_wording(texts: list[str]) -> int:
    """The index of the option that sounds best; the first on a tie."""
    scores = [wording_score(text) for text in texts]
    return scores.index(max(scores))


def pick_plainest(texts: list[str]) -> int:
    """The index of the option that sounds least professional; the first on a tie.
    A learner who has noticed that the best is often the plain reply (because
    the cue-laden one repeats what was just said) would pick this one."""
    scores = [wording_score(text) for text in texts]
    return scores.index(min(scores))


def wording_route(scenario: Scenario, competency_of: Mapping[str, str], max_states: int) -> tuple[float | None, int]:
    """The overall score (0-100) of the route the wording strategy takes, as
    the scorer would give it (None when nothing on it is scored), and the
    number of decisions on it. Raises ``TooLarge`` beyond ``max_states`` states."""
    graph = _StateGraph(scenario, competency_of, max_states)
    overall = len(graph.keys) - 1
    gained = possible = decisions = 0
    state = 0
    for _ in range(len(graph.all_edges) + 1):  # a route that loops never reaches an ending
        out = graph.all_edges[state]
        if not out:
            break
        choices = scenario.nodes[graph.node_of[state]].choices
        pick = pick_by_wording([choices[number].text for number in graph.offered[state]])
        state, points, can = out[pick]
        gained += points[overall]
        possible += can[overall]
        decisions += 1
    return (100 * gained / possible if possible else None), decisions


__all__ = ["TooLarge", "pick_by_wording", "wording_route", "wording_score"]
