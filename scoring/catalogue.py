"""The qualities catalogue: ``qualities.yaml`` read into immutable records.

``qualities.yaml`` is the one place qualities, competencies and bands are
defined; everything else (validator, scorer, reports) asks this module.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from scoring.record import record

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import Any


@record
class Quality:
    """A quality of effective challenge, with the briefing lines it rests on."""

    id: str
    label: str
    competency: str
    definition: str
    briefing: tuple[str, ...]
    good: str
    pitfall: str
    merged: str = ""
    # The briefing's own sentence for this quality, verbatim; a debrief quotes
    # it under a key moment. Falls back to the longest ``briefing`` line.
    sentence: str = ""
    example_for: str = ""  # "child" or "adult": the kind of case ``good`` is about; "" for either

    @property
    def briefing_sentence(self) -> str:
        """The words of the briefing a debrief quotes for this quality."""
        return self.sentence or max(self.briefing, key=len, default="")

    def example_fits(self, person: str) -> bool:
        """Whether ``good`` may be shown in a case about ``person`` ("child",
        "adult", or "" when unknown: then only an example that fits either)."""
        return bool(self.good.strip()) and (not self.example_for or self.example_for == person)


@record
class Band:
    """A band a 0-100 score falls in, from its lowest score."""

    id: str
    label: str
    minimum: int


@record
class Competency:
    """A group of qualities scored together, with what each band means for it."""

    id: str
    label: str
    definition: str
    qualities: tuple[str, ...]
    descriptors: tuple[tuple[str, str], ...]

    def descriptor(self, band_id: str) -> str:
        return dict(self.descriptors).get(band_id, "")


@record
class Catalogue:
    """Every quality, competency and band, as qualities.yaml defines them."""

    qualities: dict[str, Quality]
    competencies: tuple[Competency, ...]
    bands: tuple[Band, ...]

    def band_for(self, score: float) -> Band:
        """The band a 0-100 score falls in (bands are held highest first)."""
        for band in self.bands:
            if score >= band.minimum:
                return band
        return self.bands[-1]

    def competency_of(self, quality_id: str) -> Competency:
        wanted = self.qualities[quality_id].competency
        return next(c for c in self.competencies if c.id == wanted)


def _read_bytes() -> bytes:
    shipped = Path(__file__).with_name("qualities.yaml")
    try:
        return shipped.read_bytes()
    except OSError:
        # Installed somewhere without real files beside the code (a zip).
        from importlib import resources

        return resources.files("scoring").joinpath("qualities.yaml").read_bytes()


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The shipped catalogue, read once per process (from a kept JSON copy
    while the YAML is unchanged: see ``scoring.catalogue_cache``)."""
    from scoring.catalogue_cache import catalogue_data

    raw = _read_bytes()
    try:
        return catalogue_from(catalogue_data(raw))
    except (KeyError, TypeError, ValueError, AttributeError):
        # A kept copy that is JSON but not a catalogue: read the YAML itself.
        return catalogue_from(catalogue_data(raw, use_kept=False))


def parse_catalogue(text: str) -> Catalogue:
    """A catalogue from its YAML text."""
    import yaml

    return catalogue_from(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def catalogue_from(raw: dict[str, Any]) -> Catalogue:
    """A catalogue from the YAML's data, parsed or kept."""
    qualities = {
        entry["id"]: Quality(
            id=entry["id"],
            label=entry["label"],
            competency=entry["competency"],
            definition=entry.get("definition", ""),
            briefing=tuple(entry.get("briefing", ())),
            good=entry.get("good", ""),
            pitfall=entry.get("pitfall", ""),
            merged=entry.get("merged", ""),
            sentence=entry.get("sentence", ""),
            example_for=entry.get("example_for", ""),
        )
        for entry in raw["qualities"]
    }
    competencies = tuple(
        Competency(
            id=entry["id"],
            label=entry["label"],
            definition=entry.get("definition", ""),
            qualities=tuple(q for q, quality in qualities.items() if quality.competency == entry["id"]),
            descriptors=tuple((band, text) for band, text in (entry.get("bands") or {}).items()),
        )
        for entry in raw["competencies"]
    )
    bands = tuple(
        sorted(
            (Band(entry["id"], entry["label"], int(entry["min"])) for entry in raw["bands"]),
            key=lambda band: band.minimum,
            reverse=True,
        )
    )
    return Catalogue(qualities=qualities, competencies=competencies, bands=bands)


def quality_ids() -> frozenset[str]:
    """Every quality id a scenario may give evidence for."""
    return frozenset(load_catalogue().qualities)


# What trainers call a quality in everyday practice, where it is not the id.
# Used only to suggest the id when a scenario names an unknown quality.
PRACTICE_TERMS = {
    "voice-of-the-child": "service-user-voice",
    "child-voice": "service-user-voice",
    "childs-voice": "service-user-voice",
    "voice": "service-user-voice",
    "child-focus": "child-centred",
    "child-focused": "child-centred",
    "child-centered": "child-centred",
    "professional-curiosity": "not-face-value",
    "curiosity": "not-face-value",
    "escalation": "escalation-policy",
    "escalate": "escalation-policy",
    "supervision": "line-manager",
    "manager": "line-manager",
    "recording": "good-recording",
    "record-keeping": "good-recording",
    "evidence": "evidence-based",
    "facts": "factual",
    "respect": "respectful",
    "timeliness": "resolve-quickly",
    "assertive": "assertion",
    "assertiveness": "assertion",
    "openness": "open-mind",
}


def practice_term(word: str) -> str | None:
    """The quality id a trainer most likely meant by ``word``, if it is a
    common name for one (``voice-of-the-child`` -> ``service-user-voice``)."""
    key = word.strip().lower().replace("_", "-").replace(" ", "-").replace("'", "")
    return PRACTICE_TERMS.get(key)
