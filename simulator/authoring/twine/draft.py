"""The draft scenario as YAML a trainer reads: the header of what was not carried over, the
frame with its TODOs, the nodes, and the unreachable passages kept commented out at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from simulator.authoring.twine.passages import slug
from simulator.authoring.twine.story import Note, Story
from simulator.authoring.twine.yaml_writer import Mapping, comment_lines, lines
from simulator.model.vocabulary import areas, outcomes

# The placeholders a trainer must replace. "escalation" is the area about the
# process of disagreeing rather than its subject, so it presumes least;
# "unresolved" says neither that the child was kept safe nor left at risk.
PLACEHOLDER_AREA = "escalation"
PLACEHOLDER_OUTCOME = "unresolved"
OTHER_PROFESSIONAL = "other_professional"
SCHEMA = {"areas": areas(), "outcomes": outcomes()}


@dataclass
class DraftOption:
    id: str
    text: str
    next: str
    comments: list[str] = field(default_factory=list)


@dataclass
class DraftNode:
    id: str
    text: str
    comments: list[str]
    name: str = ""  # the passage's name in Twine
    line: int | None = None
    options: list[DraftOption] = field(default_factory=list)
    ending_title: str = ""
    outcome: str = ""  # set when the outcome came from a Twine tag
    placeholder: bool = False  # made by the importer, not from a passage


@dataclass
class Draft:
    story: Story
    source: str  # the story file's name
    warning: list[str] = field(default_factory=list)  # lines said first, when most of the story is missing


def header(draft: Draft, notes: tuple[Note, ...]) -> list[str]:
    story = draft.story
    described = ", ".join(part for part in (
        story.kind, f"story format {story.format_label}" if story.format_label else "",
        f"IFID {story.ifid}" if story.ifid else "") if part)
    out = [f"Imported from the Twine story {draft.source} ({described}) by `rehearse import`.",
           "",
           *draft.warning,
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
        out += [f"  - {located(note)}" for note in notes]
    else:
        out.append("Everything in the story was carried over.")
    return comment_lines("\n".join(out))


def document(draft: Draft, scenario_id: str | None, author: str, start_id: str, nodes: list[DraftNode]) -> Mapping:
    story, schema = draft.story, SCHEMA
    stem = Path(draft.source).stem
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
    doc.add("start", start_id)
    nodes_map = Mapping()
    for node in nodes:
        for comment in node.comments:
            nodes_map.note(comment)
        nodes_map.add(node.id, node_mapping(node))
    doc.add("nodes", nodes_map)
    return doc

def node_mapping(node: DraftNode) -> Mapping:
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
                    + ", ".join(SCHEMA["outcomes"]))
    ending.add("outcome", node.outcome or PLACEHOLDER_OUTCOME).add("title", node.ending_title)
    ending.add("debrief", "TODO: what happened and why, for the learner.")
    ending.add("impact", "TODO: what this ending meant for the child or adult at risk.")
    return mapping.add("ending", ending)

def left_out_lines(nodes: list[DraftNode]) -> list[str]:
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
        body.add(node.id, node_mapping(node))
        # "# " before the node's own indentation: deleting it puts the node back under nodes:.
        out += ["# " + line for line in lines(body, indent=2)]
    return out


def _option_mapping(option: DraftOption) -> Mapping:
    mapping = Mapping()
    for comment in option.comments:
        mapping.note(comment)
    return (mapping.add("text", option.text).add("next", option.next).add("id", option.id)
            .note("TODO evidence: which qualities does this option show?")
            .note("TODO feedback: one line on why it helps or hinders"))


def located(note: Note) -> str:
    return f"line {note.line}: {note.message}" if note.line else note.message


