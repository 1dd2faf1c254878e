"""Records (scoring.record) behave as the frozen dataclasses they replaced did
where a user could notice: fields by name, defaults, equality, no changes."""

from __future__ import annotations

import pytest

from scoring.record import record


@record
class Stage:
    """A stage of escalation."""

    number: int
    who: str
    working_days: int = 0

    @property
    def label(self) -> str:
        return f"Stage {self.number}: {self.who}"


def test_a_record_has_its_fields_defaults_methods_and_docstring():
    stage = Stage(2, "Line managers")
    assert (stage.number, stage.who, stage.working_days) == (2, "Line managers", 0)
    assert stage.label == "Stage 2: Line managers"
    assert Stage.__doc__ == "A stage of escalation."
    assert repr(stage) == "Stage(number=2, who='Line managers', working_days=0)"
    assert stage._replace(working_days=3) == Stage(2, "Line managers", 3)
    assert stage._asdict() == {"number": 2, "who": "Line managers", "working_days": 0}


def test_a_record_cannot_be_changed_or_given_new_attributes():
    stage = Stage(1, "Practitioner to practitioner")
    with pytest.raises(AttributeError):
        stage.who = "someone else"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        stage.note = "x"  # type: ignore[attr-defined]


def test_a_missing_field_is_refused_by_name():
    with pytest.raises(TypeError, match="who"):
        Stage(1)  # type: ignore[call-arg]


def test_a_field_without_a_default_after_one_with_is_refused_when_the_class_is_made():
    with pytest.raises(TypeError, match="without a default follows one with a default"):
        @record
        class Muddled:
            first: int = 0
            second: int
