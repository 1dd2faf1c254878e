"""Reading a Twine story: Twee (1, 2 or 3) source or a Twine 2 published HTML file.

Both become a ``Story``: its passages in file order, the start passage's name,
the story format, and notes on whatever was odd but readable. Nothing in the
file is ever run: HTML is read with the standard library's parser, which never
executes scripts, and passage text stays text.

Input that cannot be a story at all raises ``StoryError`` with a line where
there is one, so the command can print one clear line and exit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from simulator.model.text import undecodable_at

# A published story carries its story format's engine (Harlowe is about
# 600 KB), so this is roomier than the 8 MB limit on scenario files.
MAX_BYTES = 16 * 1024 * 1024


class StoryError(Exception):
    """The file cannot be read as a Twine story."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Note:
    """Something the trainer should know about: where in the story, and what."""

    line: int | None
    message: str


@dataclass(frozen=True)
class Passage:
    name: str
    tags: tuple[str, ...]
    text: str
    line: int


@dataclass
class Story:
    kind: str  # "Twee 3", "Twee 2", "Twee 1", "Twee without StoryData" or "Twine 2 HTML"
    title: str = ""
    start: str | None = None  # the start passage's name, as the file gives it
    start_line: int | None = None
    format: str = ""
    format_version: str = ""
    ifid: str = ""
    tags: tuple[str, ...] = ()
    passages: list[Passage] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    has_layout: bool = False  # passage positions, tag colours or zoom from the story map

    @property
    def format_label(self) -> str:
        return " ".join(part for part in (self.format, self.format_version) if part)


def read_story(path: str | Path) -> Story:
    """The story in the file at ``path``; raises ``StoryError`` when there is none."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise StoryError(f"the file is {size / 1048576:.1f} MB; stories are limited to "
                             f"{MAX_BYTES // 1048576} MB for import")
        raw = path.read_bytes()
    except OSError as exc:
        raise StoryError(f"cannot read the file: {exc.strerror or exc}") from None
    return parse_story(raw)


def parse_story(raw: bytes) -> Story:
    """The story in a file's bytes, whichever of the two forms it is in."""
    if len(raw) > MAX_BYTES:
        raise StoryError(f"the story is larger than {MAX_BYTES // 1048576} MB")
    text = _decode(raw)
    if not text.strip():
        raise StoryError("the file is empty: expected a Twee 3 story or a Twine 2 published HTML file")
    # Markup first: a published story's stylesheet may have lines starting
    # with "::" (CSS pseudo-elements), and a Twee passage may quote markup.
    if text.lstrip().startswith("<"):
        return parse_html(text)
    if re.search(r"^::", text, re.MULTILINE):
        return parse_twee(text)
    if re.search(r"<tw-storydata\b", text, re.IGNORECASE):
        return parse_html(text)
    raise StoryError("this is neither a Twee 3 story (no line begins with '::') nor a Twine 2 published "
                     "HTML file (no <tw-storydata> element); in Twine, use Build > Export as Twee, or Publish to File")


def _decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = undecodable_at(raw, exc)
        raise StoryError(f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be decoded); "
                         "save or export it as UTF-8", line, column) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# -- Twee 3 ---------------------------------------------------------------------

_TWEE2_POSITION = re.compile(r"\s*<\s*-?\d+(?:\.\d+)?\s*,\s*-?\d+(?:\.\d+)?\s*>\s*$")
# Passages that configure a compiler or the story map rather than tell the story.
_STORY_TITLE, _STORY_DATA = "StoryTitle", "StoryData"


def parse_twee(text: str) -> Story:
    """A story from Twee source: Twee 3, Dan Q's Twee 2 (``<x,y>`` positions) or Twine 1's Twee."""
    story = Story(kind="Twee 3")
    lines = text.split("\n")
    headers = [index for index, line in enumerate(lines) if line.startswith("::")]
    preamble = [line for line in lines[: headers[0]] if line.strip()]
    if preamble:
        story.notes.append(Note(1, f"text before the first passage header (lines 1-{headers[0]}) was ignored"))
    passages: dict[str, Passage] = {}
    repeated: dict[str, list[int]] = {}
    signs = _VersionSigns()
    for position, index in enumerate(headers):
        end = headers[position + 1] if position + 1 < len(headers) else len(lines)
        line_number = index + 1
        header = _parse_header(lines[index][2:], line_number, story, signs)
        if header is None:
            continue
        name, tags = header
        body = "\n".join(lines[index + 1:end]).rstrip()
        signs.passage(name, tags)
        if name == _STORY_TITLE:
            story.title = " ".join(body.split())
        elif name == _STORY_DATA:
            signs.story_data = True
            _read_story_data(body, line_number, story)
        elif name in _TWINE1_METADATA:
            pass  # Twine 1's own settings (zoom, IFID), with nothing for a scenario
        else:
            if name in passages:
                repeated.setdefault(name, [passages[name].line]).append(line_number)
                del passages[name]  # the last one wins, in its own place, as Tweego builds the story
            passages[name] = Passage(name, tags, body, line_number)
    story.passages = list(passages.values())
    story.kind = signs.kind()
    _note_repeated(story, repeated)
    return story


_TWINE1_METADATA = {"StorySettings"}


class _VersionSigns:
    """What a Twee file shows of the version it was written in; StoryData is Twee 3's own passage."""

    def __init__(self) -> None:
        self.story_data = self.metadata = self.positions = self.twee2 = self.twine1 = False

    def passage(self, name: str, tags: tuple[str, ...]) -> None:
        self.twee2 = self.twee2 or name == "Twee2Settings" or "twee2" in tags
        self.twine1 = self.twine1 or name in _TWINE1_METADATA or any(tag.startswith("Twine.") for tag in tags)

    def kind(self) -> str:
        if self.story_data or self.metadata:
            return "Twee 3"
        if self.positions or self.twee2:
            return "Twee 2"
        if self.twine1:
            return "Twee 1"
        return "Twee without StoryData (Twee 1, or Twee 3 without its StoryData passage)"


def _note_repeated(story: Story, repeated: dict[str, list[int]]) -> None:
    for name, at in repeated.items():
        story.notes.append(Note(at[-1], f"{len(at)} passages are named \"{name}\" (lines "
                                f"{', '.join(map(str, at))}): the last is used and the others were left out, "
                                "as Tweego does when it builds the story; rename one if both are wanted"))


def _parse_header(rest: str, line: int, story: Story,
                  signs: _VersionSigns) -> tuple[str, tuple[str, ...]] | None:
    """Name and tags of a passage header (the text after ``::``), or None to skip it."""
    if _TWEE2_POSITION.search(rest):
        rest = _TWEE2_POSITION.sub("", rest)
        story.has_layout = signs.positions = True
    name, index = _read_escaped(rest, 0, stop="[{")
    name = name.strip()
    tags: tuple[str, ...] = ()
    if index < len(rest) and rest[index] == "[":
        block, index = _read_escaped(rest, index + 1, stop="]")
        if index >= len(rest):
            story.notes.append(Note(line, "the tag block has no closing ']'; read to the end of the line"))
        index += 1
        tags = tuple(block.split())
    remainder = rest[index:].strip()
    if remainder.startswith("{"):
        try:
            metadata = json.loads(remainder)
        except ValueError:
            story.notes.append(Note(line, "the passage metadata is not valid JSON and was ignored"))
        else:
            story.has_layout = story.has_layout or isinstance(metadata, dict)
            signs.metadata = True
    elif remainder:
        story.notes.append(Note(line, f"unexpected text after the passage name was ignored: {remainder[:40]}"))
    if not name:
        story.notes.append(Note(line, "a passage header with no name was ignored, with its text"))
        return None
    return name, tags


def _read_escaped(text: str, index: int, stop: str) -> tuple[str, int]:
    """Text from ``index`` up to the first unescaped character in ``stop``, unescaped.

    Twee 3 escapes ``[ ] { }`` and backslash with a backslash; any escaped
    character decodes to itself."""
    out = []
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            out.append(text[index + 1])
            index += 2
            continue
        if char in stop:
            break
        out.append(char)
        index += 1
    return "".join(out), index


def _read_story_data(body: str, line: int, story: Story) -> None:
    try:
        data = json.loads(body) if body.strip() else {}
    except ValueError as exc:
        where = line + getattr(exc, "lineno", 0)
        story.notes.append(Note(where, "StoryData is not valid JSON and was ignored (no start passage, "
                                "format or IFID from it)"))
        return
    if not isinstance(data, dict):
        story.notes.append(Note(line, "StoryData is not a JSON object and was ignored"))
        return
    start = data.get("start")
    if isinstance(start, str) and start.strip():
        story.start, story.start_line = start.strip(), line
    story.format = _text(data.get("format"))
    story.format_version = _text(data.get("format-version"))
    story.ifid = _text(data.get("ifid"))
    story.has_layout = story.has_layout or "zoom" in data or "tag-colors" in data


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


# -- Twine 2 published HTML -----------------------------------------------------

class _TwineHTML(HTMLParser):
    """Collects the first <tw-storydata> and its <tw-passagedata> children.

    Script and style contents (the story format's engine) are raw text to
    this parser, so a ``<tw-storydata`` string inside them is never mistaken
    for the story."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.story_attrs: dict[str, str] | None = None
        self.story_line = 1
        self.other_stories = 0
        self.in_story = False
        self.passages: list[tuple[dict[str, str], int, str]] = []
        self.current: tuple[dict[str, str], int] | None = None
        self.chunks: list[str] = []
        self.has_tag_colours = False

    def handle_starttag(self, tag, attrs):
        if self.current is not None:
            # Passage text should be escaped; keep stray markup as written.
            self.chunks.append(self.get_starttag_text() or "")
            return
        values = {name: value or "" for name, value in attrs}
        if tag == "tw-storydata":
            if self.story_attrs is None:
                self.story_attrs, self.story_line, self.in_story = values, self.getpos()[0], True
            else:
                self.other_stories += 1
        elif tag == "tw-passagedata" and self.in_story:
            self.current, self.chunks = (values, self.getpos()[0]), []
        elif tag == "tw-tag" and self.in_story:
            self.has_tag_colours = True

    def handle_startendtag(self, tag, attrs):
        if tag == "tw-passagedata" and self.in_story and self.current is None:
            self.passages.append(({name: value or "" for name, value in attrs}, self.getpos()[0], ""))
        elif self.current is not None:
            self.chunks.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        if tag == "tw-passagedata" and self.current is not None:
            self.finish_passage()
        elif self.current is not None:
            self.chunks.append(f"</{tag}>")
        elif tag == "tw-storydata":
            self.in_story = False

    def handle_data(self, data):
        if self.current is not None:
            self.chunks.append(data)

    def finish_passage(self) -> None:
        attrs, line = self.current
        self.passages.append((attrs, line, "".join(self.chunks)))
        self.current, self.chunks = None, []


def parse_html(text: str) -> Story:
    """A story from a Twine 2 published (or archive) HTML file."""
    parser = _TwineHTML()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as exc:  # html.parser's own complaints about broken markup
        raise StoryError(f"the HTML cannot be read: {exc}") from None
    if parser.current is not None:
        parser.finish_passage()
    if parser.story_attrs is None:
        if re.search(r"<div[^>]*\bid=[\"']?storeArea", text, re.IGNORECASE):
            raise StoryError("this is a Twine 1 story (its passages are in a storeArea, not a <tw-storydata> "
                             "element); export it as Twee from Twine 1, or import it into Twine 2 (Library > "
                             "Import) and publish it from there")
        raise StoryError("no <tw-storydata> element: this HTML file is not a published Twine 2 story")
    attrs = parser.story_attrs
    story = Story(kind="Twine 2 HTML", title=" ".join(attrs.get("name", "").split()),
                  format=attrs.get("format", "").strip(), format_version=attrs.get("format-version", "").strip(),
                  ifid=attrs.get("ifid", "").strip(), tags=tuple(attrs.get("tags", "").split()),
                  has_layout=parser.has_tag_colours or "zoom" in attrs)
    if parser.other_stories:
        story.notes.append(Note(parser.story_line, f"the file holds {parser.other_stories + 1} stories (a Twine "
                                f"archive); only the first, \"{story.title}\", was imported"))
    by_pid: dict[str, str] = {}
    passages: dict[str, Passage] = {}
    repeated: dict[str, list[int]] = {}
    for passage_attrs, line, body in parser.passages:
        name = passage_attrs.get("name", "").strip()
        story.has_layout = story.has_layout or "position" in passage_attrs
        if not name:
            story.notes.append(Note(line, "a passage with no name was ignored, with its text"))
            continue
        if name in passages:
            repeated.setdefault(name, [passages[name].line]).append(line)
            del passages[name]  # the last one wins, as for Twee
        by_pid.setdefault(passage_attrs.get("pid", "").strip(), name)
        passages[name] = Passage(name, tuple(passage_attrs.get("tags", "").split()),
                                 body.replace("\r\n", "\n").rstrip(), line)
    story.passages = list(passages.values())
    _note_repeated(story, repeated)
    startnode = attrs.get("startnode", "").strip()
    if startnode:
        if startnode in by_pid:
            story.start, story.start_line = by_pid[startnode], parser.story_line
        else:
            story.notes.append(Note(parser.story_line, f"startnode=\"{startnode}\" names no passage"))
    return story
