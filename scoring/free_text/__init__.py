"""The analyser of typed challenge: what a learner says in their own words,
read against the briefing (docs/free-text.md).

    from scoring.free_text import analyse, analyse_stream, closest_option

- ``analyse(text, case_file=None)`` → ``Analysis``; ``.as_dict()`` is the result
  with exactly the keys ``text``, ``politeness``, ``respectful``, ``elements``,
  ``spans`` and ``feedback``.
- ``analyse_stream(source, sink, case_file=None)`` reads lines and writes one
  JSON line per input line; ``analyse_lines`` yields the dicts instead.
- ``closest_option(typed, options)`` → the option nearest what was typed, with
  its score, for "say it first" play.
- ``markup_safe(text)`` escapes a string for a Rich or Textual markup parser.

Every string in a result is plain text with control characters shown as
symbols; none is markup. Pure standard library at run time: the marker tables
and learned weights are JSON files beside this module.
"""

from scoring.free_text.analyser import RESULT_ELEMENTS, Analysis, analyse
from scoring.free_text.options import OptionMatch, closest_option, rank_options
from scoring.free_text.stream import analyse_lines, analyse_stream
from scoring.free_text.text import MAX_CHARACTERS


def markup_safe(text: str) -> str:
    """``text`` with every "[" escaped, so a Rich or Textual markup parser
    shows it as written instead of reading "[bold]" or "[@click=…]" as markup
    (backslashes just before a "[" are doubled, as those parsers expect)."""
    out = []
    run = 0
    for char in text:
        if char == "\\":
            run += 1
            continue
        if char == "[":
            out.append("\\" * (2 * run) + "\\[")
        else:
            out.append("\\" * run + char)
        run = 0
    out.append("\\" * run)
    return "".join(out)


__all__ = [
    "Analysis", "MAX_CHARACTERS", "OptionMatch", "RESULT_ELEMENTS", "analyse", "analyse_lines",
    "analyse_stream", "closest_option", "markup_safe", "rank_options",
]
