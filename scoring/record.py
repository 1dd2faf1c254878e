"""Immutable records that Python builds quickly: every command builds ~40 at start-up.

A record is written as a class with annotated fields (defaults last), methods
and a docstring, and is a ``collections.namedtuple`` underneath: fields by
name, ``_replace`` and ``_asdict``, equal and hashed by value, never changed.
``typing.NamedTuple`` does the same but compiles each field's annotation (a
string here, with ``from __future__ import annotations``), which took ~4 ms of
every start; ``dataclass(frozen=True)`` took ~20 ms.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")

_NOT_COPIED = ("__dict__", "__weakref__")


def record(cls: type[T]) -> type[T]:
    """``cls`` as an immutable record of its annotated fields."""
    body = cls.__dict__
    names = tuple(body.get("__annotations__", {}))
    defaults = [body[name] for name in names if name in body]
    first_default = next((i for i, name in enumerate(names) if name in body), len(names))
    if len(defaults) != len(names) - first_default:
        # namedtuple gives defaults to the last fields, so a gap would shift them.
        raise TypeError(f"{cls.__qualname__}: a field without a default follows one with a default")
    made = namedtuple(cls.__name__, names, defaults=defaults, module=cls.__module__)
    # The class's docstring, methods and properties go onto the namedtuple
    # itself: one class built per record rather than a second one on top
    # (~15 µs each, ~0.7 ms of a start). It keeps the namedtuple's __slots__ = ().
    for key, value in body.items():
        if key not in names and key not in _NOT_COPIED:
            setattr(made, key, value)
            set_name = getattr(type(value), "__set_name__", None)
            if set_name is not None:  # as class creation would call it
                set_name(value, made, key)
    return made
