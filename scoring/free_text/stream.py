"""The streaming form of the analyser, for the command line: one utterance per
input line in, one JSON object per line out.

Bytes that are not UTF-8 are replaced (U+FFFD) as each line is decoded, and
that line's feedback says so; nothing a learner types can stop the stream.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import IO

from scoring.free_text.analyser import analyse
from scoring.free_text.case_file import read_case_file


def decode_line(line: bytes | str) -> tuple[str, bool]:
    """A line as text without its line ending, and whether any bytes had to be
    replaced. A ``str`` read with ``errors="surrogateescape"`` (as Python reads
    standard input on some systems) is treated like the bytes it came from."""
    if isinstance(line, str):
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            line = line.encode("utf-8", "surrogateescape") if _only_escapes(line) else line.encode("utf-8", "replace")
    if isinstance(line, (bytes, bytearray)):
        try:
            text, replaced = bytes(line).decode("utf-8"), False
        except UnicodeDecodeError:
            text, replaced = bytes(line).decode("utf-8", "replace"), True
    else:
        text, replaced = line, False
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):
        text = text[:-1]
    return text, replaced


def _only_escapes(text: str) -> bool:
    try:
        text.encode("utf-8", "surrogateescape")
        return True
    except UnicodeEncodeError:
        return False


def analyse_lines(lines: Iterable[bytes | str], case_file: Mapping | None = None) -> Iterable[dict]:
    """A result (``Analysis.as_dict()``) for each line, in order, as it is read."""
    index = read_case_file(case_file)
    for line in lines:
        text, replaced = decode_line(line)
        yield analyse(text, index, replaced_bytes=replaced).as_dict()


def analyse_stream(source: IO, sink: IO[str], case_file: Mapping | None = None) -> int:
    """Read ``source`` (a binary or text stream; a text stream with a binary
    buffer, such as standard input, is read as bytes) line by line and write
    one JSON line per input line to ``sink``. Returns the number of lines."""
    raw = getattr(source, "buffer", source)
    count = 0
    for result in analyse_lines(raw, case_file):
        sink.write(json.dumps(result, ensure_ascii=False) + "\n")
        count += 1
    return count
