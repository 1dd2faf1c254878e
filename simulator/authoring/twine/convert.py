"""A Twine story as a draft scenario: the YAML text, and what could not be carried over.

Passages become nodes and links become the learner's options. What a scenario
needs and Twine has no place for (the briefing area, the learner's role, the
case file, evidence and feedback on every option, each ending's outcome and
debrief) is filled with marked placeholders, and what Twine has and a scenario
cannot hold (macros, variables, setter links, tags, the story format) is
listed at the top of the file (and, by the command, on stderr), so the
trainer knows what is left to do.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from simulator.authoring.twine.passages import IdMaker, find_code, read_passage, slug
from simulator.authoring.twine.story import Note, Passage, Story, StoryError
from simulator.authoring.twine.yaml_writer import Mapping, comment_lines, lines

# The placeholders a trainer must replace. "escalation" is the area about the
# process of disagreeing rather than its subject, so it presumes least;
# "unresolved" says neither that the child was kept safe nor left at risk.
PLACEHOLDER_AREA = "escalation"
PLACEHOLDER_OUTCOME = "unresolved"
OTHER_PROFESSIONAL = "other_professional"

# Passages that configure a story format or hold code, by name and by tag.
_SPECIAL_NAMES = {
    name: "settings or code for SugarCube or Twine 1"
    for name in ("StoryInit", "StoryCaption", "StoryMenu", "StoryBanner", "StorySubtitle", "StoryAuthor",
                 "StoryInterface", "StoryShare", "PassageReady", "PassageDone", "PassageHeader", "PassageFooter",
                 "StorySettings", "StoryIncludes", "StoryTitle", "StoryData")
}
_SPECIAL_TAGS = {
    "script": "the story's JavaScript", "stylesheet": "the story's stylesheet", "widget": "SugarCube widgets",
    "init": "SugarCube start-up code", "header": "a Harlowe header", "footer": "a Harlowe footer",
    "startup": "Harlowe start-up code", "debug-header": "a Harlowe debug header",
    "debug-footer": "a Harlowe debug footer", "debug-startup": "Harlowe debug start-up code",
    "Twine.image": "a Twine 1 image", "Twine.private": "private Twine 1 notes",
}


@dataclass(frozen=True)
class Imported:
    """A converted story: the scenario's YAML text and what could not be carried over."""

    text: str
    notes: tuple[Note, ...]
    passages: int  # in the story, special passages included
    nodes: int
    endings: int
    options: int


@dataclass
class _Option:
    id: str
    text: str
    next: str
    comments: list[str] = field(default_factory=list)


@dataclass
class _Node:
    id: str
    text: str
    comments: list[str]
    name: str = ""  # the passage's name in Twine
    line: int | None = None
    options: list[_Option] = field(default_factory=list)
    ending_title: str = ""
    outcome: str = ""  # set when the outcome came from a Twine tag
    placeholder: bool = False  # made by the importer, not from a passage


def convert(story: Story, source: str, scenario_id: str | None = None) -> Imported:
    """``story``, read from the file named ``source``, as scenario YAML.

    Raises ``StoryError`` when the story has no passages to import."""
    return _Converter(story, source).run(scenario_id)


class _Converter:
    def __init__(self, story: Story, source: str) -> None:
        self.story = story
        self.source = source
        self.notes: list[Note] = list(story.notes)
        self.ids = IdMaker("passage")
        self.node_ids: dict[str, str] = {}
        self.missing: dict[str, str] = {}  # link target with no passage -> its placeholder node's id
        self.folded: dict[str, str] | None = None  # passage names by casefold, for "did you mean"
        self.schema = _schema_choices()

    def run(self, scenario_id: str | None) -> Imported:
        story = self.story
        if story.format_label:
            self.note(None, f"story format {story.format_label}: Rehearse runs no story format, so its macros, "
                      "markup and variables stay as plain text")
        if story.has_layout:
            self.note(None, "the story map's layout (passage positions and sizes, tag colours, zoom)")
        author, passages = self._story_passages()
        if not passages:
            raise StoryError("the story has no passages to import" +
                             (" (only special passages, which hold code or settings)" if story.passages else ""))
        by_name = {passage.name: passage for passage in passages}
        start = self._start(passages, by_name)
        texts = {passage.name: read_passage(_tidy(passage.text)) for passage in passages}
        reachable = _reachable(start.name, texts, by_name)
        for passage in passages:
            self.node_ids[passage.name] = self.ids.make(passage.name)

        ordered = [start] + [p for p in passages if p.name in reachable and p is not start]
        nodes = [self._node(passage, texts[passage.name], by_name) for passage in ordered]
        nodes += [self._missing_node(target, node_id) for target, node_id in self.missing.items()]
        self._end_loops(nodes)
        unreachable = [p for p in passages if p.name not in reachable]
        for passage in unreachable:
            self.note(passage.line, f"passage \"{passage.name}\" cannot be reached from the start passage, "
                      "so it is kept commented out at the end of the file")
        left_out = [self._node(p, texts[p.name], by_name, quiet=True) for p in unreachable]
        endings = [node for node in nodes if not node.options]
        placeholder_endings = [node for node in endings if not node.outcome and not node.placeholder]
        if placeholder_endings:
            count = len(placeholder_endings)
            self.note(None, f"{count} passage{'s' * (count != 1)} without links became "
                      f"{'endings' if count != 1 else 'an ending'} with the placeholder outcome "
                      f"\"{PLACEHOLDER_OUTCOME}\" ({', '.join(node.id for node in placeholder_endings)}): "
                      "choose each ending's outcome, debrief and impact")
        notes = tuple(sorted(self.notes, key=lambda note: (note.line is not None, note.line or 0)))
        document = self._document(scenario_id, author, start, nodes)
        text = "\n".join([*self._header(notes), "", *lines(document), *self._left_out_lines(left_out)]) + "\n"
        return Imported(text, notes, len(story.passages), len(nodes), len(endings),
                        sum(len(node.options) for node in nodes))

    def note(self, line: int | None, message: str) -> None:
        self.notes.append(Note(line, message))

    # -- which passages, starting where ---------------------------------------

    def _story_passages(self) -> tuple[str, list[Passage]]:
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
                self.note(passage.line, "passage \"StoryAuthor\" became the scenario's author")
            else:
                self.note(passage.line, f"passage \"{passage.name}\" holds {why}, not the story, "
                          "and was not imported")
        return author, passages

    def _start(self, passages: list[Passage], by_name: dict[str, Passage]) -> Passage:
        named = self.story.start
        if named in by_name:
            return by_name[named]
        where = "StoryData \"start\"" if self.story.kind.startswith("Twee") else "startnode"
        fallback = by_name.get("Start") or passages[0]
        how = "the passage named \"Start\"" if fallback.name == "Start" else f"the first passage, \"{fallback.name}\""
        if named:
            self.note(self.story.start_line, f"the start passage \"{named}\" ({where}) is not a passage of the story; "
                      f"the scenario starts at {how}")
        else:
            self.note(None, f"the story names no start passage ({where}); the scenario starts at {how}")
        return fallback

    # -- nodes -------------------------------------------------------------------

    def _node(self, passage: Passage, text, by_name: dict[str, Passage], quiet: bool = False) -> _Node:
        node_id = self.node_ids[passage.name]
        where = f"passage \"{passage.name}\""
        comments = [f"From Twine passage \"{passage.name}\" (line {passage.line})"]
        if passage.tags:
            comments.append("Twine tags: " + " ".join(passage.tags))
        node = _Node(node_id, text.text or "TODO: in Twine this passage has only links. Say what happens here.",
                     comments, passage.name, passage.line)
        outcome = next((tag for tag in passage.tags if tag in self.schema["outcomes"]), "")
        if not quiet:
            self._note_text(passage, text, node_id)
        option_ids = IdMaker("option")
        for link in text.links:
            if link.target in by_name:
                target = self.node_ids[link.target]
            elif quiet:
                target = self.missing.get(link.target) or slug(link.target) or "passage"
            else:
                target = self._missing_target(link.target, passage, by_name)
            option = _Option(option_ids.make(slug(link.text, 40) or target), link.text, target)
            if link.setter:
                option.comments.append(f"Twine setter not carried over: [{link.setter}] (use set: or add: "
                                       "with variables declared under variables:)")
                if not quiet:
                    self.note(passage.line, f"{where}: the setter [{link.setter}] on the link to \"{link.target}\" "
                              "was not carried over; it is kept as a comment on the option")
            node.options.append(option)
        if not node.options:
            node.ending_title = passage.name
            node.outcome = outcome
        return node

    def _note_text(self, passage: Passage, text, node_id: str) -> None:
        where = f"passage \"{passage.name}\""
        for code in find_code(text.text):
            self.note(passage.line, f"{where}: {code.kind} {', '.join(code.items)} kept as text")
            if code.navigation:
                self.note(passage.line, f"{where}: {', '.join(code.navigation)} moves to another passage, which the "
                          "importer cannot follow: add the option by hand")
        for markup in text.external:
            self.note(passage.line, f"{where}: the link to a web address {markup} is kept as text")
        for markup in text.broken:
            self.note(passage.line, f"{where}: {markup} names no passage and is kept as text")
        # A tag naming an outcome on a passage without links becomes the ending's outcome.
        kept = [tag for tag in passage.tags if text.links or tag not in self.schema["outcomes"]]
        if kept:
            self.note(passage.line, f"{where}: Twine tag{'s' * (len(kept) != 1)} {', '.join(kept)} kept as a "
                      f"comment above node '{node_id}'")

    def _missing_target(self, target: str, passage: Passage, by_name: dict[str, Passage]) -> str:
        known = target in self.missing
        if not known:
            self.missing[target] = self.ids.make(target)
        if self.folded is None:
            self.folded = {}
            for name in by_name:
                self.folded.setdefault(name.casefold(), name)
        close = self.folded.get(target.casefold())
        hint = f" (did you mean \"{close}\"? Twine names are case-sensitive)" if close else ""
        self.note(passage.line, f"passage \"{passage.name}\" links to \"{target}\", which is not a passage{hint}: "
                  f"the option leads to a placeholder ending '{self.missing[target]}'")
        return self.missing[target]

    def _missing_node(self, target: str, node_id: str) -> _Node:
        return _Node(node_id, f"TODO: the Twine story links to \"{target}\" but has no passage of that name. "
                     "Write what happens here, or point the option at another node.",
                     [f"Placeholder: the Twine story has no passage \"{target}\""], ending_title=f"TODO: {target}",
                     placeholder=True)

    def _end_loops(self, nodes: list[_Node]) -> None:
        """Give every loop with no way out an option to a placeholder ending: Rehearse needs one on every path."""
        by_id = {node.id: node for node in nodes}
        exit_node: _Node | None = None
        while True:
            can_end = _can_end(by_id)
            stuck = [node for node in nodes if node.id not in can_end]
            if not stuck:
                return
            if exit_node is None:
                exit_node = _Node(self.ids.make("end-of-twine-loop"),
                                  "TODO: in Twine the story loops here with no ending. Write how the conversation "
                                  "ends, or lead this option somewhere else.",
                                  ["Placeholder: added on import so that every path can reach an ending"],
                                  ending_title="TODO: the conversation ends", placeholder=True)
                nodes.append(exit_node)
                by_id[exit_node.id] = exit_node
            node = stuck[0]
            option_ids = IdMaker("option")
            option_ids.taken.update(option.id for option in node.options)
            node.options.append(_Option(option_ids.make(exit_node.id),
                                        "TODO: (added on import) end the conversation here", exit_node.id))
            self.note(node.line, f"passage \"{node.name}\": no ending can be reached from it in Twine "
                      f"(its links loop back); added an option to the placeholder ending '{exit_node.id}'")

    # -- writing ------------------------------------------------------------------

    def _header(self, notes: tuple[Note, ...]) -> list[str]:
        story = self.story
        described = ", ".join(part for part in (
            story.kind, f"story format {story.format_label}" if story.format_label else "",
            f"IFID {story.ifid}" if story.ifid else "") if part)
        out = [f"Imported from the Twine story {self.source} ({described}) by `rehearse import`.",
               "",
               "This scenario plays and validates, but it is a draft. Before learners use it:",
               "  - replace every TODO: the area, situation, the learner's role, the other",
               "    professional, the case file, the objectives, and each ending's outcome,",
               "    debrief and impact;",
               "  - give every option evidence and feedback (`rehearse validate FILE` lists",
               "    the options still without them);",
               "  - change `speaker: narrator` to the character on nodes where they speak.",
               "See docs/twine-import.md and docs/scenario-format.md.",
               ""]
        if notes:
            out.append(f"Not carried over from Twine ({len(notes)}), also printed when importing:")
            out += [f"  - {_located(note)}" for note in notes]
        else:
            out.append("Everything in the story was carried over.")
        return comment_lines("\n".join(out))

    def _document(self, scenario_id: str | None, author: str, start: Passage, nodes: list[_Node]) -> Mapping:
        story, schema = self.story, self.schema
        stem = Path(self.source).stem
        title = story.title or stem or "Imported Twine story"
        if len(title) > 120:
            title = title[:117].rstrip() + "..."
        area = next((tag for tag in story.tags if tag in schema["areas"]), PLACEHOLDER_AREA)
        doc = Mapping().add("format", 1)
        doc.add("id", scenario_id or slug(story.title, 80) or slug(stem, 80) or "imported-twine-story")
        doc.add("title", title)
        if area == PLACEHOLDER_AREA:
            doc.note("TODO area: where the disagreement arises; one of\n  " + ", ".join(schema["areas"]))
        doc.add("area", area)
        doc.add("situation", "TODO: one paragraph: what has happened, and why this conversation is taking place.")
        doc.add("role", Mapping().add("title", "TODO: the learner's job title")
                .add("agency", "TODO: the learner's agency"))
        doc.add("setting", "TODO: where and how the conversation happens, e.g. phone call to the MASH, Tuesday 10:15")
        doc.add("characters", Mapping()
                .note("TODO: the professional the learner challenges, and anyone else who speaks.\n"
                      "Every node was imported with `speaker: narrator`; where a node is what\n"
                      f"this person says, make it `speaker: {OTHER_PROFESSIONAL}` (or the id you choose).")
                .add(OTHER_PROFESSIONAL, Mapping().add("name", "TODO: their full name")
                     .add("role", "TODO: their role").add("agency", "TODO: their agency")))
        doc.note("TODO difficulty: 1 introductory, 2, or 3 demanding")
        doc.add("difficulty", 2)
        doc.note("TODO minutes: how long one play takes (a guess: a minute a node)")
        doc.add("minutes", max(5, min(60, len(nodes))))
        doc.add("objectives", ["TODO: what the learner practises, e.g. cite dated evidence when challenging a "
                               "threshold decision"])
        if story.tags:
            doc.add("tags", list(story.tags))
        if author:
            doc.add("author", author)
        doc.add("case_file", Mapping()
                .note("TODO case file: the facts the learner can open and cite during play (dated\n"
                      "observations, records, decisions). Options name them in `cites: [id]`.")
                .add("fact-1", Mapping().add("title", "TODO: short title").add("date", "TODO: when")
                     .add("text", "TODO: the fact: what was seen, said or decided")))
        doc.add("start", self.node_ids[start.name])
        nodes_map = Mapping()
        for node in nodes:
            for comment in node.comments:
                nodes_map.note(comment)
            nodes_map.add(node.id, self._node_mapping(node))
        doc.add("nodes", nodes_map)
        return doc

    def _node_mapping(self, node: _Node) -> Mapping:
        mapping = Mapping().add("speaker", "narrator").add("text", node.text)
        if node.options:
            if len(node.options) == 1:
                mapping.note(f"One option: if the learner has nothing to decide here, replace `choices:` with "
                             f"`next: {node.options[0].next}`.")
            mapping.add("choices", [_option_mapping(option) for option in node.options])
            return mapping
        ending = Mapping()
        if node.outcome:
            ending.note(f"outcome from the passage's Twine tag \"{node.outcome}\"")
        else:
            ending.note(f"TODO outcome: \"{PLACEHOLDER_OUTCOME}\" is a placeholder; one of\n  "
                        + ", ".join(self.schema["outcomes"]))
        ending.add("outcome", node.outcome or PLACEHOLDER_OUTCOME).add("title", node.ending_title)
        ending.add("debrief", "TODO: what happened and why, for the learner.")
        ending.add("impact", "TODO: what this ending meant for the child or adult at risk.")
        return mapping.add("ending", ending)

    def _left_out_lines(self, nodes: list[_Node]) -> list[str]:
        if not nodes:
            return []
        out = ["", *comment_lines(
            "-" * 76 + "\n"
            "Twine passages that cannot be reached from the start passage. A scenario may\n"
            "not have nodes nobody can reach, so they are kept here, commented out: to use\n"
            "one, uncomment it (it belongs under nodes:) and lead an option or next: to it.\n")]
        for node in nodes:
            body = Mapping()
            for comment in node.comments:
                body.note(comment)
            body.add(node.id, self._node_mapping(node))
            # "# " before the node's own indentation: deleting it puts the node back under nodes:.
            out += ["# " + line for line in lines(body, indent=2)]
        return out


def _option_mapping(option: _Option) -> Mapping:
    mapping = Mapping()
    for comment in option.comments:
        mapping.note(comment)
    return (mapping.add("text", option.text).add("next", option.next).add("id", option.id)
            .note("TODO evidence: which qualities does this option show?")
            .note("TODO feedback: one line on why it helps or hinders"))


def _located(note: Note) -> str:
    return f"line {note.line}: {note.message}" if note.line else note.message


def _tidy(text: str) -> str:
    # Trailing spaces mean nothing in Twine and would force quoted text here.
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _reachable(start: str, texts: dict, by_name: dict) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for link in texts[queue.popleft()].links:
            if link.target in by_name and link.target not in seen:
                seen.add(link.target)
                queue.append(link.target)
    return seen


def _can_end(by_id: dict[str, _Node]) -> set[str]:
    """Ids of the nodes from which some ending can be reached."""
    predecessors: dict[str, list[str]] = {node_id: [] for node_id in by_id}
    for node in by_id.values():
        for option in node.options:
            predecessors.setdefault(option.next, []).append(node.id)
    done = {node.id for node in by_id.values() if not node.options}
    queue = deque(done)
    while queue:
        for previous in predecessors.get(queue.popleft(), ()):
            if previous not in done:
                done.add(previous)
                queue.append(previous)
    return done


def _schema_choices() -> dict[str, list[str]]:
    from simulator.model.vocabulary import areas, outcomes

    return {"areas": areas(), "outcomes": outcomes()}
