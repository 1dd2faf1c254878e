"""A Twine story as a draft scenario: the YAML text, and what could not be carried over.

Passages become nodes; links, and navigation macros whose target is a literal
passage name, become the learner's options. What a scenario needs and Twine has
no place for (the briefing area, the learner's role, the case file, evidence
and feedback on every option, each ending's outcome and debrief) is filled with
marked placeholders, and what Twine has and a scenario cannot hold (macros,
variables, setter links, tags, targets held in variables) is listed by cause at
the top of the file (and, by the command, on stderr), so the trainer knows
what is left to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from simulator.authoring.twine.draft import (PLACEHOLDER_OUTCOME, SCHEMA, Draft, DraftNode, DraftOption, document,
                                             header, left_out_lines)
from simulator.authoring.twine.notes import Findings
from simulator.authoring.twine.passages import IdMaker, Move, PassageText, find_code, read_passage, slug
from simulator.authoring.twine.reach import CAUSES, all_moves, loops_without_exit, predecessors, reach
from simulator.authoring.twine.story import Note, Passage, Story, StoryError
from simulator.authoring.twine.yaml_writer import lines

# Passages that configure a story format or hold code, by name and by tag.
_SPECIAL_NAMES = {
    name: "settings or code for SugarCube or Twine 1"
    for name in ("StoryInit", "StoryCaption", "StoryMenu", "StoryBanner", "StorySubtitle", "StoryAuthor",
                 "StoryInterface", "StoryShare", "PassageReady", "PassageDone", "PassageHeader", "PassageFooter",
                 "StorySettings", "StoryIncludes", "StoryTitle", "StoryData")
} | {"Twee2Settings": "Twee 2 compiler settings"}
_SPECIAL_TAGS = {
    "script": "the story's JavaScript", "stylesheet": "the story's stylesheet", "widget": "SugarCube widgets",
    "init": "SugarCube start-up code", "header": "a Harlowe header", "footer": "a Harlowe footer",
    "startup": "Harlowe start-up code", "debug-header": "a Harlowe debug header",
    "debug-footer": "a Harlowe debug footer", "debug-startup": "Harlowe debug start-up code",
    "Twine.image": "a Twine 1 image", "Twine.private": "private Twine 1 notes", "twee2": "Twee 2 compiler settings",
}
# Passages whose links Twine shows on every page: a scenario has no menu, but they explain a missing passage.
_MENU_NAMES = {"StoryMenu", "StoryCaption", "StoryBanner", "StorySubtitle", "PassageHeader", "PassageFooter"}
_MENU_TAGS = {"header", "footer"}
_EMBED_DEPTH = 12  # passages shown inside passages shown inside …: deeper than any real story goes


@dataclass(frozen=True)
class Imported:
    """A converted story: the scenario's YAML text, what could not be carried over, and the figures."""

    text: str
    notes: tuple[Note, ...]
    passages: int  # in the story, special passages included
    nodes: int
    endings: int
    options: int
    story_passages: int = 0  # passages that tell the story (not code, settings or menus)
    unreachable: dict[str, tuple[str, ...]] = field(default_factory=dict)  # cause -> passages
    embedded_only: tuple[str, ...] = ()  # passages shown only inside others
    placeholders: int = 0  # endings made for link targets that are not passages
    loop_exits: int = 0  # options added so that a loop can end
    back_options: int = 0  # options made from links back to the previous passage

    @property
    def unreachable_count(self) -> int:
        return sum(len(names) for names in self.unreachable.values())

    @property
    def mostly_unreachable(self) -> bool:
        """More than half of the story's passages cannot be reached: the draft is not the story."""
        return self.unreachable_count * 2 > self.story_passages


def convert(story: Story, source: str, scenario_id: str | None = None) -> Imported:
    """``story``, read from the file named ``source``, as scenario YAML.

    Raises ``StoryError`` when the story has no passages to import."""
    return _Converter(story, source).run(scenario_id)


class _Converter:
    def __init__(self, story: Story, source: str) -> None:
        self.story = story
        self.source = source
        self.findings = Findings()
        self.ids = IdMaker("passage")
        self.node_ids: dict[str, str] = {}
        self.missing: dict[str, str] = {}  # link target with no passage -> its placeholder node's id
        self.folded: dict[str, str] | None = None  # passage names by casefold, for "did you mean"
        self.back_options = 0
        self.body_offset = 1 if story.kind.startswith("Twee") else 0  # Twee text starts below its header

    def run(self, scenario_id: str | None) -> Imported:
        story, notes = self.story, list(self.story.notes)
        if story.format_label:
            notes.append(Note(None, f"story format {story.format_label}: Rehearse runs no story format, so its "
                              "macros, markup and variables stay as plain text"))
        if story.has_layout:
            notes.append(Note(None, "the story map's layout (passage positions and sizes, tag colours, zoom)"))
        author, passages = self._story_passages(notes)
        if not passages:
            raise StoryError("the story has no passages to import" +
                             (" (only special passages, which hold code or settings)" if story.passages else ""))
        by_name = {passage.name: passage for passage in passages}
        start = self._start(passages, by_name, notes)
        texts = self._read_all(passages)
        menus = [p for p in story.passages if p.name in _MENU_NAMES or _MENU_TAGS & set(p.tags)]
        from_menus = frozenset(move.target for menu in menus for move in read_passage(menu.text, by_name).moves)
        found = reach(start.name, [p.name for p in passages], texts, from_menus)
        for passage in passages:
            self.node_ids[passage.name] = self.ids.make(passage.name)
        moves = {name: all_moves(name, texts) for name in found.pages}
        before = predecessors(found.pages, moves)
        nodes = [self._node(by_name[name], texts[name], moves[name], before) for name in found.pages]
        for name in found.shown_in:
            self._note_text(by_name[name], texts[name])
        nodes += [self._missing_node(target, node_id) for target, node_id in self.missing.items()]
        loop_exits = self._end_loops(nodes, notes)
        for name, shown_by in found.shown_in.items():
            self.findings.add("embedded", name, self._line(by_name[name]),
                              "in " + ", ".join(f"\"{page}\"" for page in shown_by))
        unreachable = {cause: found.unreachable[cause] for cause in CAUSES if cause in found.unreachable}
        for cause, names in unreachable.items():
            for name in names:
                self.findings.add(cause, name, by_name[name].line)
        left_out = [self._node(by_name[name], texts[name], all_moves(name, texts), {}, quiet=True)
                    for names in unreachable.values() for name in names]
        endings = [node for node in nodes if not node.options]
        placeholder_endings = [node for node in endings if not node.outcome and not node.placeholder]
        notes += self.findings.notes()
        if placeholder_endings:
            count = len(placeholder_endings)
            notes.append(Note(None, f"{count} passage{'s' * (count != 1)} without links became "
                              f"{'endings' if count != 1 else 'an ending'} with the placeholder outcome "
                              f"\"{PLACEHOLDER_OUTCOME}\" ({', '.join(node.id for node in placeholder_endings)}): "
                              "choose each ending's outcome, debrief and impact"))
        notes = sorted(notes, key=lambda note: (note.line is not None, note.line or 0))
        imported = Imported("", tuple(notes), len(story.passages), len(nodes), len(endings),
                            sum(len(node.options) for node in nodes), len(passages),
                            {cause: tuple(names) for cause, names in unreachable.items()}, tuple(found.shown_in),
                            len(self.missing), loop_exits, self.back_options)
        draft = Draft(story, self.source, _warning(imported))
        body = document(draft, scenario_id, author, self.node_ids[start.name], nodes)
        text = "\n".join([*header(draft, imported.notes), "", *lines(body), *left_out_lines(left_out)]) + "\n"
        return replace(imported, text=text)

    # -- which passages, starting where ---------------------------------------

    def _story_passages(self, notes: list[Note]) -> tuple[str, list[Passage]]:
        author, passages = "", []
        for passage in self.story.passages:
            why = _SPECIAL_NAMES.get(passage.name) or next(
                (_SPECIAL_TAGS[tag] for tag in passage.tags if tag in _SPECIAL_TAGS), "")
            if not why:
                passages.append(passage)
                continue
            name = passage.text.strip()
            if passage.name == "StoryAuthor" and "\n" not in name and 0 < len(name) <= 120:
                author = name
                notes.append(Note(passage.line, "passage \"StoryAuthor\" became the scenario's author"))
            else:
                self.findings.add("special", passage.name, passage.line, why)
        return author, passages

    def _start(self, passages: list[Passage], by_name: dict[str, Passage], notes: list[Note]) -> Passage:
        named = self.story.start
        if named in by_name:
            return by_name[named]
        where = "StoryData \"start\"" if self.story.kind.startswith("Twee") else "startnode"
        fallback = by_name.get("Start") or passages[0]
        how = "the passage named \"Start\"" if fallback.name == "Start" else f"the first passage, \"{fallback.name}\""
        if named:
            notes.append(Note(self.story.start_line, f"the start passage \"{named}\" ({where}) is not a passage of "
                              f"the story; the scenario starts at {how}"))
        else:
            notes.append(Note(None, f"the story names no start passage ({where}); the scenario starts at {how}"))
        return fallback

    def _read_all(self, passages: list[Passage]) -> dict[str, PassageText]:
        """Every passage read, each embed replaced by the shown passage's own text."""
        raw = {passage.name: _tidy(passage.text) for passage in passages}
        texts: dict[str, PassageText] = {}
        reading: list[str] = []

        def shown(name: str) -> str:
            # A passage that shows itself, directly or round a circle, is shown once.
            if name in reading or len(reading) > _EMBED_DEPTH:
                return ""
            return text_of(name).text

        def text_of(name: str) -> PassageText:
            if name not in texts:
                reading.append(name)
                texts[name] = read_passage(raw[name], raw, shown)
                reading.pop()
            return texts[name]

        for name in raw:
            text_of(name)
        return texts

    # -- nodes -------------------------------------------------------------------

    def _line(self, passage: Passage, offset: int | None = None) -> int:
        return passage.line if offset is None else passage.line + self.body_offset + offset

    def _node(self, passage: Passage, text: PassageText, moves: list[Move], before: dict[str, list[str]],
              quiet: bool = False) -> DraftNode:
        node_id = self.node_ids[passage.name]
        comments = [f"From Twine passage \"{passage.name}\" (line {passage.line})"]
        if passage.tags:
            comments.append("Twine tags: " + " ".join(passage.tags))
        codes = find_code(text.text)
        if codes:
            comments.append("Kept as text: " + "; ".join(f"{code.kind} {', '.join(code.items)}" for code in codes))
        comments += [f"Twine comment: {' '.join(comment.split())[:300]}" for comment in text.comments]
        node = DraftNode(node_id, text.text or _no_text(passage, moves), comments, passage.name, passage.line)
        if not quiet:
            self._note_text(passage, text)
        option_ids = IdMaker("option")
        for move in moves:
            option = self._option(passage, move, option_ids, quiet)
            node.options.append(option)
        for label, offset in text.back:
            came_from = before.get(passage.name, [])
            if len(came_from) == 1:
                target = self.node_ids[came_from[0]]
                node.options.append(DraftOption(option_ids.make(slug(label or "go back", 40) or target),
                                                label or "Go back", target))
                self.back_options += not quiet
                cause, detail = "back", f"to \"{came_from[0]}\""
            else:
                cause = "back-kept"
                detail = "reached from " + ", ".join(f"\"{name}\"" for name in came_from) if came_from else ""
            if not quiet:
                self.findings.add(cause, passage.name, self._line(passage, offset), detail)
        if not quiet and text.restarts:
            self.findings.add("restart", passage.name, passage.line)
        if not node.options:
            node.ending_title = passage.name
            node.outcome = next((tag for tag in passage.tags if tag in SCHEMA["outcomes"]), "")
        return node

    def _option(self, passage: Passage, move: Move, option_ids: IdMaker, quiet: bool) -> DraftOption:
        line = self._line(passage, move.line)
        if move.target in self.node_ids:
            target = self.node_ids[move.target]
        elif quiet:
            target = self.missing.get(move.target) or slug(move.target) or "passage"
        else:
            target = self._missing_target(move.target, passage, line)
        text = move.text
        if move.automatic:
            text = f"TODO: (in Twine the story moves on to \"{move.target}\" by itself) what the learner says or does"
            if not quiet:
                self.findings.add("automatic", passage.name, line, move.kind)
        option = DraftOption(option_ids.make(slug(move.text, 40) or target), text, target)
        if move.setter:
            option.comments.append(f"Twine setter not carried over: [{move.setter}] (use set: or add: "
                                   "with variables declared under variables:)")
            if not quiet:
                self.findings.add("setter", passage.name, line, f"[{move.setter}] on the link to \"{move.target}\"")
        return option

    def _note_text(self, passage: Passage, text: PassageText) -> None:
        for code in find_code(text.text):
            self.findings.add(f"code:{code.kind}", passage.name, passage.line, ", ".join(code.items))
        for markup in text.external:
            self.findings.add("external", passage.name, passage.line, _short(markup))
        for markup in text.broken:
            self.findings.add("broken", passage.name, passage.line, _short(markup))
        if text.unfollowed:
            first = text.unfollowed[0]
            more = len(text.unfollowed) - 1
            self.findings.one(self._line(passage, first.line), f"passage \"{passage.name}\": {_short(first.markup)} "
                              "moves to a passage named by a variable or an expression, which can be known only "
                              "while the story runs: add the option by hand"
                              + (f" ({more} more such move{'s' * (more != 1)} in this passage)" if more else ""))
        if text.comments:
            self.findings.add("comments", passage.name, passage.line,
                              f"{text.links_in_comments} link{'s' * (text.links_in_comments != 1)} inside"
                              if text.links_in_comments else "")
        # A tag naming an outcome on a passage without links becomes the ending's outcome.
        kept = [tag for tag in passage.tags if text.moves or tag not in SCHEMA["outcomes"]]
        if kept:
            self.findings.add("tags", passage.name, passage.line, " ".join(kept))

    def _missing_target(self, target: str, passage: Passage, line: int) -> str:
        if target not in self.missing:
            self.missing[target] = self.ids.make(target)
        if self.folded is None:
            self.folded = {}
            for name in self.node_ids:
                self.folded.setdefault(name.casefold(), name)
        close = self.folded.get(target.casefold())
        hint = f"; did you mean \"{close}\"? Twine names are case-sensitive" if close else ""
        self.findings.add("missing", passage.name, line, f"to \"{target}\", ending '{self.missing[target]}'{hint}")
        return self.missing[target]

    def _missing_node(self, target: str, node_id: str) -> DraftNode:
        return DraftNode(node_id, f"TODO: the Twine story links to \"{target}\" but has no passage of that name. "
                         "Write what happens here, or point the option at another node.",
                         [f"Placeholder: the Twine story has no passage \"{target}\""], ending_title=f"TODO: {target}",
                         placeholder=True)

    def _end_loops(self, nodes: list[DraftNode], notes: list[Note]) -> int:
        """Give each loop with no way out one option to a placeholder ending: Rehearse needs one on every path."""
        by_id = {node.id: node for node in nodes}
        stuck = loops_without_exit({node.id: [o.next for o in node.options] for node in nodes}, nodes[0].id)
        if not stuck:
            return 0
        exit_node = DraftNode(self.ids.make("end-of-twine-loop"),
                              "TODO: in Twine the story loops here with no ending. Write how the conversation "
                              "ends, or lead this option somewhere else.",
                              ["Placeholder: added on import so that every path can reach an ending"],
                              ending_title="TODO: the conversation ends", placeholder=True)
        nodes.append(exit_node)
        for node_id in stuck:
            node = by_id[node_id]
            option_ids = IdMaker("option")
            option_ids.taken.update(option.id for option in node.options)
            node.options.append(DraftOption(option_ids.make(exit_node.id),
                                            "TODO: (added on import) end the conversation here", exit_node.id))
            notes.append(Note(node.line, f"passage \"{node.name}\": no ending can be reached from it in Twine "
                              f"(its links loop back); added an option to the placeholder ending '{exit_node.id}'"))
        return len(stuck)


def _no_text(passage: Passage, moves: list[Move]) -> str:
    # Say what the passage really held, so the TODO is not a false description of it.
    if not passage.text.strip():
        return "TODO: in Twine this passage is empty. Say what happens here."
    if moves:
        return "TODO: in Twine this passage has only links. Say what happens here."
    return "TODO: in Twine this passage shows no text (only code or comments). Say what happens here."


def _warning(imported: Imported) -> list[str]:
    if not imported.mostly_unreachable:
        return []
    return ["WARNING: most of this story did not come across. " + most_unreachable_summary(imported),
            "This draft is not the story yet: see the notes below, then lead options to the passages kept",
            "commented out at the end of the file.", ""]


def most_unreachable_summary(imported: Imported) -> str:
    """One sentence: how much of the story the draft holds, and why the rest is missing."""
    why = {"only_via_variable_targets": "only through macros whose target is a variable",
           "only_from_menu": "only from a menu or header",
           "no_incoming_link": "with no link or macro leading to them",
           "only_from_unreachable": "only from passages that cannot be reached themselves"}
    causes = "; ".join(f"{len(names)} {why[cause]}" for cause, names in imported.unreachable.items())
    reached = imported.story_passages - imported.unreachable_count
    return (f"Only {reached} of the story's {imported.story_passages} passages can be reached from the start "
            f"passage; {imported.unreachable_count} cannot ({causes}).")


def _short(markup: str, limit: int = 60) -> str:
    flat = " ".join(markup.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def _tidy(text: str) -> str:
    # Trailing spaces mean nothing in Twine and would force quoted text here.
    return "\n".join(line.rstrip() for line in text.split("\n"))
