"""``rehearse say``: what the analyser finds in words typed in one's own voice.

With TEXT it reads that one utterance; without, standard input, one utterance
a line and one result a line, in one process (a stream of thousands of short
lines a second, so a trainer can run a whole set of replies through it).
``--scenario`` checks the dates, names and facts cited against that scenario's
case file; ``--at NODE`` also says which of that decision's options is
closest, so an author can see what the analyser sees in an option's words.

Standard input is read as bytes: bytes that are not UTF-8 are shown as �, and
the command says so once. Control characters and terminal escapes are shown
as symbols (ESC as ␛) and markup is printed as the characters it is made of;
nothing typed can act on the terminal, and no line stops the stream.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO

from simulator.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

# A line longer than this is read this far and the rest skipped: the analyser
# reads only its first 1,500 characters, and no paste may hold the whole
# stream in memory. 64 KiB is three times the 20 KB paste a test sends.
MAX_LINE_BYTES = 64 * 1024
LABEL_WIDTH = 12


def say(args) -> int:
    options = None
    case_file = None
    if args.at and not args.scenario:
        print("rehearse say: --at NODE goes with --scenario ID", file=sys.stderr)
        return EXIT_USAGE
    if args.scenario:
        from simulator.cli.scenarios import load_scenario
        from simulator.engine.say_first import case_file_data

        scenario = load_scenario(args.scenario)
        if scenario is None:
            return EXIT_PROBLEMS
        case_file = case_file_data(scenario)
        if args.at:
            options = _options_at(scenario, args.at)
            if options is None:
                return EXIT_USAGE

    from scoring.free_text.case_file import read_case_file

    reader = _Reader(read_case_file(case_file), options, args.at or "", args.format)
    out = sys.stdout
    if args.text is not None:
        from scoring.free_text.stream import decode_line

        text, replaced = decode_line(args.text)
        reader.warn_once(1, replaced, text, single=True)
        out.write(reader.result(text, replaced, 1))
        return EXIT_OK
    for number, (text, replaced) in enumerate(_lines(sys.stdin), start=1):
        reader.warn_once(number, replaced, text)
        out.write(reader.result(text, replaced, number))
    return EXIT_OK


def _options_at(scenario, node_id: str) -> list | None:
    from simulator.model.text import inert

    node = scenario.nodes.get(node_id)
    if node is None or not node.choices:
        decisions = [n.id for n in scenario.nodes.values() if n.choices]
        what = "no node" if node is None else "a node with no options at"
        print(f"rehearse say: {inert(scenario.id)} has {what} '{inert(node_id)}'; its decisions are: "
              f"{', '.join(inert(d) for d in decisions)}", file=sys.stderr)
        return None
    return list(node.choices)


def _lines(stdin: IO) -> Iterator[tuple[str, bool]]:
    """Each line of standard input as text, and whether any bytes had to be
    replaced; read as bytes, whatever the locale says."""
    from scoring.free_text.stream import decode_line

    raw = getattr(stdin, "buffer", stdin)
    while True:
        line = raw.readline(MAX_LINE_BYTES)
        if not line:
            return
        if isinstance(line, str):
            line = line.encode("utf-8", "surrogateescape")
        if len(line) == MAX_LINE_BYTES and not line.endswith(b"\n"):
            # Skip the rest of an enormous line, and do not count a character
            # cut in half at the limit as bytes that were not UTF-8.
            while (rest := raw.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            line = _whole_characters(line)
        yield decode_line(line)


def _whole_characters(data: bytes) -> bytes:
    """``data`` without a UTF-8 sequence cut off at its end."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return data
        if byte >= 0xC0:  # the lead byte of the last sequence
            needed = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data if back >= needed else data[:-back]
    return data


class _Reader:
    """One result per utterance, as JSON or as a readable block."""

    def __init__(self, case_file, options: list | None, node_id: str, format: str) -> None:
        self.case_file = case_file
        self.options = options
        self.node_id = node_id
        self.json = format == "json"
        self._warned: set[str] = set()
        encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        self.unicode_out = encoding in ("utf8", "utf8sig")

    def warn_once(self, number: int, replaced: bool, text: str, single: bool = False) -> None:
        """Say once on standard error what was done to the input, so that a
        script reading the results does not have to look for it."""
        from simulator.model.text import has_control

        where = "the text" if single else f"line {number}"
        if replaced and "utf8" not in self._warned:
            self._warned.add("utf8")
            more = "" if single else " (and any later line like it)"
            print(f"rehearse say: {where}{more} is not valid UTF-8: the bytes that are not are shown as �",
                  file=sys.stderr)
        if has_control(text) and "control" not in self._warned:
            self._warned.add("control")
            more = "" if single else " (and any later line like it)"
            print(f"rehearse say: {where}{more} has control characters or terminal escapes: they are shown as "
                  "symbols (ESC as ␛) and never sent to the terminal", file=sys.stderr)

    def result(self, text: str, replaced: bool, number: int) -> str:
        from scoring.free_text import analyse

        analysis = analyse(text, self.case_file, replaced_bytes=replaced)
        closest = self._closest(text) if self.options is not None else None
        if self.json:
            found = analysis.as_dict()
            if self.options is not None:
                found["closest"] = closest
            return json.dumps(found, ensure_ascii=not self.unicode_out) + "\n"
        return self._block(analysis, text, closest)

    def _closest(self, text: str) -> dict | None:
        from scoring.free_text import closest_option
        from scoring.free_text.text import prepare

        if not text.strip():
            return None
        match = closest_option(text, [c.text for c in self.options])
        if match is None:
            return None
        choice = self.options[match.index]
        return {"node": self.node_id, "option": match.index + 1, "choice_id": choice.id,
                "text": prepare(choice.text).text, "score": match.score, "shared_words": list(match.shared_words)}

    def _block(self, analysis, typed: str, closest: dict | None) -> str:
        from scoring.display import shorten
        from scoring.free_text.analyser import WARNINGS
        from simulator.model.text import has_control

        lines = [f"“{shorten(analysis.text, 300)}”" if analysis.text.strip() else "(an empty line)"]
        for element, present in analysis.elements.items():
            if present:
                quoted = ", ".join(f"“{shorten(analysis.words(f), 60)}”" for f in analysis.findings[element][:3])
                label = f"{element} (warning)" if element in WARNINGS else element
                lines.append(f"  {label:<{LABEL_WIDTH}} {quoted}")
        missing = [e for e, present in analysis.elements.items() if not present and e not in WARNINGS]
        if analysis.text.strip():
            lines.append(f"  {'missing':<{LABEL_WIDTH}} {', '.join(missing) or 'nothing'}")
            respect = "respectful" if analysis.respectful else "not respectful"
            lines.append(f"  {'politeness':<{LABEL_WIDTH}} {analysis.politeness:.2f} of 1 · {respect}")
        if has_control(typed):
            lines.append(f"  {'note':<{LABEL_WIDTH}} control characters are shown as symbols (ESC as ␛)")
        lines.append("  feedback")
        lines += [f"    {line}" for line in analysis.feedback]
        if self.options is not None:
            if closest is None:
                lines.append(f"  closest at {self.node_id}: none (nothing typed)")
            else:
                shared = f"; shared words: {', '.join(closest['shared_words'])}" if closest["shared_words"] else ""
                lines.append(f"  closest at {self.node_id}: option {closest['option']}, "
                             f"“{shorten(closest['text'], 70)}” ({closest['score']:.2f}{shared})")
        block = "\n".join(lines) + "\n\n"
        return block if self.unicode_out else block.encode("ascii", "backslashreplace").decode("ascii")
