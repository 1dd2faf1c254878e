"""Every piece of text in a scenario file, checked for characters that are
not what they seem: terminal escapes and other control characters, and the
invisible ones (right-to-left overrides, zero-width spaces and joiners).

The file's data is walked rather than the Scenario, so a field added to the
format later is covered without anyone remembering to add it here.
"""

from __future__ import annotations

from typing import Any, Iterator

from simulator.model.diagnostics import Diagnostic
from simulator.model.text import has_control, invisible_at
from simulator.format.yaml_source import Positions


def _strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def check(data: Any, positions: Positions, source: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for path, text in _strings(data):
        line, column = positions.of_value(path)
        if has_control(text):
            found.append(Diagnostic(source, line + 1, column + 1, "warning",
                                    "text contains a control character (such as an ANSI or OSC escape sequence)",
                                    "it will be shown literally, as harmless text; remove it unless you meant it"))
        at = invisible_at(text)
        if at is not None:
            found.append(Diagnostic(source, line + 1, column + 1, "warning",
                                    f"text contains an invisible character, U+{ord(text[at]):04X}, at character "
                                    f"{at + 1} (a right-to-left override or a zero-width character can make "
                                    "the text read differently from what is in the file)",
                                    "it will be shown as a \\u code; delete it (retype the words around it)"))
    return found
