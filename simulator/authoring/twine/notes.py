"""What could not be carried over, said once per cause rather than once per passage.

A real story has hundreds of passages: "148 passages reached only through
macros whose target is a variable" tells a trainer what happened; 148 lines
saying "cannot be reached" do not. Each cause gathers its passages as the
importer meets them and becomes one note, naming the first few passages with
their lines. What belongs to one passage is also written above its node.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.authoring.twine.reach import NO_WAY_IN, ONLY_FROM_MENU, ONLY_FROM_UNREACHABLE, ONLY_VIA_VARIABLES
from simulator.authoring.twine.story import Note

SHOWN = 8  # passages named in one note before "and N more"


@dataclass(frozen=True)
class Entry:
    passage: str
    line: int | None
    detail: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else ""
        inside = "; ".join(part for part in (where, self.detail) if part)
        return f"\"{self.passage}\"" + (f" ({inside})" if inside else "")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _listed(entries: list[Entry]) -> str:
    shown = ", ".join(str(entry) for entry in entries[:SHOWN])
    more = len(entries) - SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


# cause -> how to say it, given the number of entries; the passages follow a colon.
_SAID = {
    "special": lambda n: f"{_plural(n, 'special passage')} {'holds' if n == 1 else 'hold'} code, settings or a "
                         "menu, not the story, and "
                         f"{'was' if n == 1 else 'were'} not imported",
    "external": lambda n: f"{_plural(n, 'link')} to a web or email address {'is' if n == 1 else 'are'} kept as text",
    "broken": lambda n: f"{_plural(n, 'link or embed')} naming no passage {'is' if n == 1 else 'are'} kept as text",
    "setter": lambda n: f"{_plural(n, 'setter')} on links ({'it is' if n == 1 else 'each is'} kept as a comment on "
                        "its option; use set: or add: with variables declared under variables:)",
    "tags": lambda n: f"Twine tags on {_plural(n, 'passage')} are kept as comments above "
                      f"{'its node' if n == 1 else 'their nodes'}",
    "missing": lambda n: f"{_plural(n, 'link')} {'leads' if n == 1 else 'lead'} to a passage that does not exist; "
                         f"{'it' if n == 1 else 'each'} became an option to a placeholder ending named after the missing "
                         "passage",
    "automatic": lambda n: f"{_plural(n, 'move')} ((goto:), <<goto>>, story.show()) "
                           f"{'happens' if n == 1 else 'happen'} without the reader choosing; "
                           f"{'it' if n == 1 else 'each'} became an option whose text begins \"TODO:\": write what "
                           "the learner says or does there",
    "embedded": lambda n: f"{_plural(n, 'passage')} {'is' if n == 1 else 'are'} only shown inside others "
                          "({embed passage:}, (display:), <<include>>), so "
                          f"{'its' if n == 1 else 'their'} text and links are part of those nodes",
    "back": lambda n: f"{_plural(n, 'link')} back to the previous passage ({{back link}}, <<back>>, (undo:)) "
                      f"became {'an option' if n == 1 else 'options'} to the one passage that leads there",
    "back-kept": lambda n: f"{_plural(n, 'link')} back to the previous passage {'is' if n == 1 else 'are'} kept as "
                           "text: more than one passage (or none) leads there, so \"back\" has no single target",
    "restart": lambda n: f"{_plural(n, 'link')} that start the story again ({{restart link}}) "
                         f"{'is' if n == 1 else 'are'} kept as text: Rehearse offers its own try-again",
    "comments": lambda n: f"comments (/* */, <!-- -->, /% %/) in {_plural(n, 'passage')} are not shown to the "
                          "learner; they are kept as comments above their nodes, and links inside them are not options",
    ONLY_VIA_VARIABLES: lambda n: f"{_plural(n, 'passage')} can be reached only through macros whose target is a "
                                  "variable (no link or literal target leads there), so "
                                  f"{'it is' if n == 1 else 'they are'} kept commented out at the end of the file",
    NO_WAY_IN: lambda n: f"{_plural(n, 'passage')} no link or macro leads to {'is' if n == 1 else 'are'} kept "
                         "commented out at the end of the file",
    ONLY_FROM_MENU: lambda n: f"{_plural(n, 'passage')} reached only from a menu or header (StoryMenu, "
                              "PassageHeader, a header-tagged passage), whose links Twine shows on every page and a "
                              f"scenario has no place for, {'is' if n == 1 else 'are'} kept commented out at the end "
                              "of the file",
    ONLY_FROM_UNREACHABLE: lambda n: f"{_plural(n, 'passage')} reached only from passages that cannot be reached "
                                     f"themselves {'is' if n == 1 else 'are'} kept commented out at the end of the file",
}


class Findings:
    """Entries by cause, in the order met; ``notes()`` gives one note for each cause."""

    def __init__(self) -> None:
        self.by_cause: dict[str, list[Entry]] = {}
        self.single: list[Note] = []  # notes that are about one place, such as a variable target

    def add(self, cause: str, passage: str, line: int | None, detail: str = "") -> None:
        self.by_cause.setdefault(cause, []).append(Entry(passage, line, detail))

    def one(self, line: int | None, message: str) -> None:
        self.single.append(Note(line, message))

    def count(self, cause: str) -> int:
        return len(self.by_cause.get(cause, ()))

    def notes(self) -> list[Note]:
        out = list(self.single)
        for cause, entries in self.by_cause.items():
            if cause.startswith("code:"):
                kinds = list(dict.fromkeys(item for entry in entries for item in entry.detail.split(", ")))
                shown = ", ".join(kinds[:12]) + (f" and {len(kinds) - 12} more" if len(kinds) > 12 else "")
                passages = _listed([Entry(entry.passage, entry.line) for entry in entries])
                out.append(Note(None, f"{cause[5:]} {shown} kept as text in {_plural(len(entries), 'passage')} "
                                f"(each node's comment lists its own): {passages}"))
            else:
                out.append(Note(None, f"{_SAID[cause](len(entries))}: {_listed(entries)}"))
        return out
