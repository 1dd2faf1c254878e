"""Hand-built catalogue and evidence logs for the scoring tests.

The catalogue is a small YAML string rather than the shipped qualities.yaml,
so these tests pin the arithmetic and wording rules without depending on
catalogue text that is still being written.
"""

from __future__ import annotations

from collections.abc import Mapping

from scoring.catalogue import Catalogue, parse_catalogue
from scoring.evidence import Decision, EndingReached, EvidenceLog, Offer

TINY_CATALOGUE_YAML = """
qualities:
  - id: calm
    label: Calm
    competency: manner
    definition: Keeps an even tone when the other professional is dismissive.
    briefing: ["Calm"]
    good: Pauses and sets out the concern in a level voice.
    pitfall: Sarcasm or a raised voice.
  - id: polite
    label: Polite
    competency: manner
    definition: Uses ordinary professional courtesy in every exchange.
    briefing: ["Polite"]
    good: Thanks the social worker for their time.
    pitfall: Curt emails.
  - id: factual
    label: Factual
    competency: substance
    definition: States what was seen and heard, with dates and sources.
    briefing: ["Factual"]
    good: Gives the three dates Jay arrived without breakfast.
    pitfall: General impressions.
  - id: evidence-based
    label: Evidence based
    competency: substance
    definition: Grounds the challenge in records and guidance.
    briefing: ["Evidence based"]
    good: Quotes the threshold document.
    pitfall: Preference.
  - id: line-manager
    label: Involves the line manager
    competency: process
    definition: Shares concerns with their line manager and uses supervision.
    briefing: ["Involves line manager i.e. supervision", "Share concerns with your line manager"]
    good: Talks the case through in supervision first.
    pitfall: Carrying it alone.
  - id: escalation-policy
    label: Uses the escalation policy
    competency: process
    definition: Knows the escalation policy and moves to its next stage when needed.
    briefing:
      - "More information about escalation and resolving professional disagreements can be found in our [WSP Escalation Policy](#)"
    good: Names the next stage of the policy.
    pitfall: "Saying 'well, I've told them'."
competencies:
  - id: manner
    label: Manner
    definition: How the challenge is delivered.
    bands: {strong: Calm throughout., secure: Mostly calm., developing: Slips under pressure., not-yet: Heated.}
  - id: substance
    label: Substance
    definition: What the challenge rests on.
    bands: {strong: Dated facts., secure: Some facts., developing: Mostly impressions., not-yet: Opinion only.}
  - id: process
    label: Process
    definition: Using the organisational routes.
    bands: {strong: Owns it., secure: Knows the route., developing: Unsure., not-yet: Leaves it.}
bands:
  - {id: strong, label: Strong, min: 80}
  - {id: secure, label: Secure, min: 60}
  - {id: developing, label: Developing, min: 40}
  - {id: not-yet, label: Not yet shown, min: 0}
"""


def tiny_catalogue() -> Catalogue:
    return parse_catalogue(TINY_CATALOGUE_YAML)


def decision(
    chosen: int,
    *evidence: Mapping[str, int],
    node_id: str = "node",
    prompt: str = "It doesn't meet threshold.",
    speaker: str = "Dan",
    texts: tuple[str, ...] = (),
    feedback: tuple[str, ...] = (),
    hint_used: bool = False,
) -> Decision:
    """A decision whose options carry ``evidence`` in order; option texts and
    feedback lines default to "option 1", "why 1" and so on."""
    offers = tuple(
        Offer(
            choice_id=f"c{number}",
            text=texts[number - 1] if number <= len(texts) else f"option {number}",
            evidence=dict(points),
            feedback=feedback[number - 1] if number <= len(feedback) else f"why {number}",
        )
        for number, points in enumerate(evidence, start=1)
    )
    return Decision(node_id=node_id, speaker=speaker, prompt=prompt, offers=offers,
                    chosen=chosen, hint_used=hint_used)


def attempt(*decisions: Decision, ending: EndingReached | None = None, rewinds: int = 0,
            learner: str = "Sam", title: str = "Below threshold?") -> EvidenceLog:
    return EvidenceLog(
        scenario_id="below-threshold",
        scenario_title=title,
        decisions=decisions,
        ending=ending,
        rewinds=rewinds,
        learner=learner,
    )


RESOLVED = EndingReached(
    node_id="agreed",
    outcome="resolved",
    title="Referral accepted for assessment",
    debrief="Dan agreed to look again.",
    impact="Mia was seen within the week.",
)


def mixed_path() -> EvidenceLog:
    """The path the hand-computed 62.5 rests on (see test_scorer)."""
    return attempt(
        decision(1, {"calm": 2}, {"calm": 0}, {"calm": -2}, node_id="d1"),
        decision(0, {"factual": 2, "calm": -1}, {"factual": -2, "calm": 1}, node_id="d2"),
        decision(1, {"line-manager": 2}, {"line-manager": 1}, {"line-manager": -2}, node_id="d3"),
        decision(1, {"polite": 1}, {"polite": 0}, {"polite": -1}, node_id="d4"),
        ending=RESOLVED,
    )
