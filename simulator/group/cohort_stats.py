"""A cohort at a glance, for the facilitator's dashboard and the group debrief.

From the attempts recorded in a group session this works out who has joined
and where each participant is now, what the room chose at every decision, the
room's average competency profile, and the weaker choices most people made
with the better option on offer and the briefing line that says why.

Counting rules (the dashboard's help repeats them):

- Each participant counts once per scenario, with their *first* attempt at it.
  A retry comes after the debrief has shown the better options, so counting
  it would tilt the room's figures towards the answers.
- Within an attempt, a decision taken back by a rewind is not counted; the
  choice kept is. The first choice recorded at a decision is kept apart as the
  participant's "first instinct", which is often the better thing to discuss.

Nothing here imports Textual: the dashboard draws a ``CohortSummary``; tests
check the figures directly.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean

from scoring.catalogue import Catalogue, load_catalogue
from scoring.display import shorten
from scoring.feedback import DecisionReview, build_feedback
from scoring.scorer import score
from simulator.engine.session import CompiledScenario, Session

# ParticipantStatus and where are read from here too, by the dashboard and its tests.
from simulator.group.cohort_participants import (  # noqa: F401
    ParticipantStatus,
    attempt_order,
    participant_key,
    participants_now,
    where,
)
from simulator.model.scenario import Scenario
from simulator.records.store import Attempt, Member

OPTION_TEXT = 60  # characters of an option's words shown beside its count
PROMPT_TEXT = 70


@dataclass(frozen=True)
class OptionCount:
    choice_id: str
    text: str  # the option's words, on one line and shortened
    kept: int  # participants whose kept decision was this option
    first: int  # participants whose first instinct here was this option


@dataclass(frozen=True)
class NodeDistribution:
    """What the room chose at one decision."""

    node_id: str
    speaker: str
    prompt: str  # shortened
    options: tuple[OptionCount, ...]  # in the scenario's order
    answered: int  # kept decisions counted here
    changed: int  # participants whose kept choice differs from their first instinct
    here_now: int  # participants whose latest attempt is waiting at this decision
    # Kept decisions where the participant said it in their own words first.
    # Only the count: a room's dashboard is often on a projector, and the
    # words themselves are each participant's own (they are in the exports).
    said_first: int = 0

    @property
    def first_instincts_differ(self) -> bool:
        return any(option.first != option.kept for option in self.options)


@dataclass(frozen=True)
class CommonMoment:
    """A weaker choice several participants made, with the better option on offer."""

    node_id: str
    speaker: str
    chosen_id: str
    chosen_text: str
    better_id: str
    better_text: str
    better_feedback: str  # the scenario author's line on why it helps
    quality_label: str  # the quality on which the better option differs most
    briefing: str  # that quality's briefing line, verbatim
    count: int  # participants who made this choice here
    answered: int  # participants who answered this decision
    gap: int  # points the better option would have added


@dataclass(frozen=True)
class ScenarioSummary:
    scenario_id: str
    title: str
    known: bool  # False: not in the library, so choices show as ids and no moments are built
    participants: int  # counted first attempts
    finished: int
    outcomes: tuple[tuple[str, int], ...]  # outcome id and count, most common first
    nodes: tuple[NodeDistribution, ...]  # decisions anyone reached, in the scenario's order
    moments: tuple[CommonMoment, ...]  # most common first
    unreadable: int  # attempts whose saved path no longer fits the scenario


@dataclass(frozen=True)
class CompetencyAverage:
    id: str
    label: str
    mean: float | None  # over finished first attempts that assessed it
    band: str  # the band label of the mean; "" when not assessed
    assessed: int  # attempts the mean is over


@dataclass(frozen=True)
class CohortSummary:
    participants: tuple[ParticipantStatus, ...]  # in the order they joined
    scenarios: tuple[ScenarioSummary, ...]  # most participants first
    competencies: tuple[CompetencyAverage, ...]  # catalogue order
    overall: CompetencyAverage  # the overall score, averaged the same way
    finished: int  # finished first attempts the averages are over

    @property
    def playing(self) -> int:
        return sum(1 for p in self.participants if p.started and not p.finished)

    @property
    def not_started(self) -> int:
        """Joined (their code was accepted) but no attempt yet: reading, choosing, or gone."""
        return sum(1 for p in self.participants if not p.started)

    @property
    def done(self) -> int:
        """Participants whose latest attempt is finished."""
        return sum(1 for p in self.participants if p.finished)


def first_attempts(attempts: Iterable[Attempt]) -> list[Attempt]:
    """Each participant's first attempt at each scenario, oldest first."""
    firsts: dict[tuple[str, str], Attempt] = {}
    for attempt in sorted(attempts, key=attempt_order):
        firsts.setdefault((participant_key(attempt), attempt.scenario_id), attempt)
    return list(firsts.values())


class Replays:
    """Sessions rebuilt from saved attempts, with the key moments of each.

    Kept by the dashboard from one read to the next, so only an attempt that
    changed since is replayed and scored again:
    with thirty participants that is the difference between a read costing a
    fifth of a second and a few milliseconds. One machine is compiled per
    scenario and shared by its sessions."""

    def __init__(self) -> None:
        self._compiled: dict[str, CompiledScenario] = {}
        self._done: dict[int, tuple[tuple, Session | None, tuple[DecisionReview, ...]]] = {}

    def analyse(
        self, attempt: Attempt, scenario: Scenario | None, catalogue: Catalogue
    ) -> tuple[Session | None, tuple[DecisionReview, ...]]:
        """The attempt's session (None if the scenario is missing or the saved
        path no longer fits it) and its key moments."""
        # Times are kept to the second, and two clicks can share one: the
        # decisions themselves (rewound flags included) tell a change for sure.
        version = (attempt.updated_at, attempt.finished_at, attempt.decisions)
        done = self._done.get(attempt.id)
        if done is not None and done[0] == version:
            return done[1], done[2]
        session = self._session(attempt, scenario)
        moments: tuple[DecisionReview, ...] = ()
        if session is not None and session.moves:
            log = session.evidence_log()
            moments = build_feedback(log, score(log, catalogue), catalogue).key_moments
        self._done[attempt.id] = (version, session, moments)
        return session, moments

    def _session(self, attempt: Attempt, scenario: Scenario | None) -> Session | None:
        if scenario is None:
            return None
        compiled = self._compiled.get(scenario.id)
        if compiled is None or compiled.scenario is not scenario:
            compiled = self._compiled[scenario.id] = CompiledScenario(scenario)
        if attempt.session_json is None:
            return Session(scenario, compiled, learner=attempt.learner)
        try:
            return Session.from_json(scenario, attempt.session_json, compiled)
        except (ValueError, KeyError, TypeError):
            return None


def summarise(
    attempts: Sequence[Attempt],
    scenarios: Iterable[Scenario],
    catalogue: Catalogue | None = None,
    replays: Replays | None = None,
    members: Sequence[Member] = (),
) -> CohortSummary:
    """The cohort's figures from its attempts (``Store.cohort_attempts``) and
    the scenarios they were played on. Attempts at a scenario missing from
    ``scenarios`` are still counted, with choices shown by their ids. Pass the
    same ``replays`` to successive calls to reuse the work on unchanged attempts.
    ``members`` (``Store.cohort_members``) adds those who joined but have not
    started an attempt."""
    catalogue = catalogue or load_catalogue()
    replays = replays or Replays()
    library = {s.id: s for s in scenarios}
    analysed = {a.id: replays.analyse(a, library.get(a.scenario_id), catalogue) for a in attempts}
    sessions = {attempt_id: session for attempt_id, (session, _) in analysed.items()}
    moments = {attempt_id: found for attempt_id, (_, found) in analysed.items()}
    participants = participants_now(attempts, sessions, members)
    firsts = first_attempts(attempts)
    by_scenario: dict[str, list[Attempt]] = defaultdict(list)
    for attempt in firsts:
        by_scenario[attempt.scenario_id].append(attempt)
    here_now: dict[str, Counter] = defaultdict(Counter)
    for participant in participants:
        if not participant.finished and participant.node_id is not None:
            here_now[participant.scenario_id][participant.node_id] += 1
    summaries = [
        _scenario_summary(scenario_id, group, library.get(scenario_id), sessions, moments, here_now[scenario_id])
        for scenario_id, group in by_scenario.items()
    ]
    summaries.sort(key=lambda s: -s.participants)  # stable: ties keep the order joined
    finished = [a for a in firsts if a.finished and a.scorecard]
    return CohortSummary(
        participants=tuple(participants),
        scenarios=tuple(summaries),
        competencies=tuple(
            _average(c.id, c.label, [a.scorecard.get("competencies", {}).get(c.id) for a in finished], catalogue)
            for c in catalogue.competencies
        ),
        overall=_average("overall", "Overall", [a.scorecard.get("overall") for a in finished], catalogue),
        finished=len(finished),
    )


def _average(id_: str, label: str, values: list[float | None], catalogue: Catalogue) -> CompetencyAverage:
    assessed = [v for v in values if v is not None]
    mean = fmean(assessed) if assessed else None
    band = catalogue.band_for(mean).label if mean is not None else ""
    return CompetencyAverage(id_, label, mean, band, len(assessed))


# -- one scenario ------------------------------------------------------------------

def _scenario_summary(
    scenario_id: str,
    group: list[Attempt],
    scenario: Scenario | None,
    sessions: dict[int, Session | None],
    moments: dict[int, tuple[DecisionReview, ...]],
    here_now: Counter,
) -> ScenarioSummary:
    kept: dict[str, Counter] = defaultdict(Counter)
    first: dict[str, Counter] = defaultdict(Counter)
    changed: Counter = Counter()
    said_first: Counter = Counter()
    seen_nodes: dict[str, None] = {}  # in the order first met, for scenarios not in the library
    for attempt in group:
        firsts_here: dict[str, str] = {}
        kept_here: dict[str, str] = {}
        for decision in attempt.decisions:  # in the order they were recorded
            seen_nodes.setdefault(decision.node_id)
            firsts_here.setdefault(decision.node_id, decision.choice_id)
            if not decision.rewound:
                kept[decision.node_id][decision.choice_id] += 1
                kept_here.setdefault(decision.node_id, decision.choice_id)
                said_first[decision.node_id] += bool(decision.own_words.strip())
        for node_id, choice_id in firsts_here.items():
            first[node_id][choice_id] += 1
            if node_id in kept_here and kept_here[node_id] != choice_id:
                changed[node_id] += 1
    for node_id in here_now:
        seen_nodes.setdefault(node_id)

    if scenario is not None:
        order = [n for n in scenario.nodes if n in seen_nodes and scenario.nodes[n].is_decision]
    else:
        order = list(seen_nodes)
    nodes = tuple(
        _distribution(node_id, scenario, kept[node_id], first[node_id], changed[node_id], here_now[node_id],
                      said_first[node_id])
        for node_id in order
    )
    answered = {node.node_id: node.answered for node in nodes}
    unreadable = sum(1 for a in group if scenario is not None and sessions.get(a.id) is None)
    outcomes = Counter(a.outcome for a in group if a.finished and a.outcome)
    return ScenarioSummary(
        scenario_id=scenario_id,
        title=scenario.title if scenario else group[0].title,
        known=scenario is not None,
        participants=len(group),
        finished=sum(1 for a in group if a.finished),
        outcomes=tuple(outcomes.most_common()),
        nodes=nodes,
        moments=_common_moments(group, moments, answered, order) if scenario else (),
        unreadable=unreadable,
    )


def _distribution(
    node_id: str, scenario: Scenario | None, kept: Counter, first: Counter, changed: int, here_now: int,
    said_first: int = 0,
) -> NodeDistribution:
    node = scenario.nodes.get(node_id) if scenario else None
    if node is not None:
        listed = [(c.id, shorten(c.text, OPTION_TEXT)) for c in node.choices]
        speaker = scenario.speaker_name(node.speaker)
        prompt = shorten(node.text, PROMPT_TEXT)
    else:
        listed, speaker, prompt = [], "", node_id
    # A choice recorded that the scenario no longer has (it was edited after
    # the session) still counts, under its id, after the scenario's own.
    known = {choice_id for choice_id, _ in listed}
    for choice_id in [*kept, *first]:
        if choice_id not in known:
            known.add(choice_id)
            listed.append((choice_id, choice_id))
    return NodeDistribution(
        node_id=node_id,
        speaker=speaker,
        prompt=prompt,
        options=tuple(OptionCount(cid, text, kept[cid], first[cid]) for cid, text in listed),
        answered=sum(kept.values()),
        changed=changed,
        here_now=here_now,
        said_first=said_first,
    )


def _common_moments(
    group: list[Attempt],
    moments: dict[int, tuple[DecisionReview, ...]],
    answered: dict[str, int],
    order: list[str],
) -> tuple[CommonMoment, ...]:
    """Key moments (a better option was on offer) pooled across participants.

    Unfinished attempts count too, so the material builds up while the room
    plays. Moments are grouped by decision, choice made and better option: the
    better option can differ for the same choice when conditions changed what
    was on offer."""
    counts: Counter = Counter()
    example: dict[tuple[str, str, str], DecisionReview] = {}
    for attempt in group:
        for review in moments.get(attempt.id, ()):
            key = (review.node_id, review.choice_id, review.better.choice_id)
            counts[key] += 1
            example.setdefault(key, review)
    position = {node_id: index for index, node_id in enumerate(order)}
    ranked = sorted(
        counts,
        key=lambda k: (-counts[k], -example[k].better.gap, position.get(k[0], len(position)), k),
    )
    moments = []
    for key in ranked:
        review = example[key]
        better = review.better
        moments.append(CommonMoment(
            node_id=review.node_id,
            speaker=review.speaker,
            chosen_id=review.choice_id,
            chosen_text=shorten(review.said, OPTION_TEXT + 30),
            better_id=better.choice_id,
            better_text=shorten(better.text, OPTION_TEXT + 30),
            better_feedback=shorten(better.feedback, 140),
            quality_label=better.quality_label,
            briefing=better.briefing,
            count=counts[key],
            answered=answered.get(review.node_id, counts[key]),
            gap=better.gap,
        ))
    return tuple(moments)
