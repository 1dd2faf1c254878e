"""`rehearse import`: Twine stories (Twee 3 and published HTML) become scenarios that validate."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.authoring.twine.convert import convert
from simulator.authoring.twine.story import MAX_BYTES, StoryError, parse_story
from simulator.authoring.twine.yaml_writer import Mapping, dump
from simulator.cli import main
from simulator.format.loader import load_file, load_text

FIXTURES = Path(__file__).parent / "fixtures" / "twine"
MAIN_STORY = FIXTURES / "mash-step-down.twee"
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# What an imported file may still be warned about: the trainer's work to do.
# An imported draft is a starting point: besides the evidence and feedback
# left to the trainer, Twine passages often run long, and the placeholder
# case-file fact is not cited yet. The lint says so, as it should.
EXPECTED_WARNINGS = ("has no evidence", "has no feedback", "carries the same evidence",
                     "[long-line]", "[uncited-fact]", "[single-option]", "[only-positive-evidence]", "[todo-left]")


def run_import(capsys, story: Path, *extra: str) -> tuple[int, str, str]:
    status = main(["import", str(story), *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def imported(text: str, name: str = "story.twee"):
    return convert(parse_story(text.encode("utf-8")), name)


def scenario_of(text: str, name: str = "story.twee") -> dict:
    return yaml.safe_load(imported(text, name).text)


def messages(result) -> list[str]:
    return [note.message for note in result.notes]


def options(data: dict, node: str) -> list[tuple[str, str]]:
    return [(choice["text"], choice["next"]) for choice in data["nodes"][node]["choices"]]


def assert_validates(text: str, also_expected: tuple[str, ...] = ()) -> None:
    result = load_text(text, "imported.yaml")
    errors = [d.format() for d in result.diagnostics if d.severity == "error"]
    assert result.ok and not errors, errors
    expected = EXPECTED_WARNINGS + also_expected
    unexpected = [d.message for d in result.diagnostics if not any(w in d.message for w in expected)]
    assert not unexpected


# -- the main example --------------------------------------------------------------

def test_the_safeguarding_story_imports_to_a_scenario_that_validates(tmp_path, capsys):
    out = tmp_path / "mash.yaml"
    status, stdout, _ = run_import(capsys, MAIN_STORY, "--out", str(out))
    assert status == 0
    assert f"wrote {out}: 11 nodes (4 endings) and 16 options from 12 Twine passages" in stdout
    result = load_file(out)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert_validates(out.read_text("utf-8"))
    assert main(["validate", str(out)]) == 0


def test_story_title_and_storydata_start_are_used_even_when_start_is_not_the_first_passage():
    data = yaml.safe_load(MAIN_STORY.read_text("utf-8") and imported(MAIN_STORY.read_text("utf-8")).text)
    assert data["title"] == "Below threshold? A DSL challenges a MASH step-down"
    assert data["id"] == "below-threshold-a-dsl-challenges-a-mash-step-down"
    assert data["start"] == "the-call-back"
    assert next(iter(data["nodes"])) == "the-call-back"


def test_passages_become_nodes_and_links_become_the_learners_options():
    data = yaml.safe_load(imported(MAIN_STORY.read_text("utf-8")).text)
    assert options(data, "the-call-back") == [
        ("Ask what the decision was based on", "ask-for-the-rationale"),
        ("Tell her what Kacper said yesterday", "new-disclosure"),
        ("Thank her and accept the step-down", "accept-the-step-down"),
        ("Ask to speak to her manager", "ask-to-speak-to-her-manager"),
    ]
    opening = data["nodes"]["the-call-back"]["text"]
    assert opening.startswith("Wednesday 4 March, 9:40. Priya Raman")
    assert "[[" not in opening and "Ask what the decision" not in opening
    assert all(node["speaker"] == "narrator" for node in data["nodes"].values())


def test_passages_without_links_become_endings_with_the_neutral_outcome_unless_a_tag_names_one():
    result = imported(MAIN_STORY.read_text("utf-8"))
    nodes = yaml.safe_load(result.text)["nodes"]
    assert nodes["accept-the-step-down"]["ending"]["outcome"] == "unresolved"
    assert nodes["accept-the-step-down"]["ending"]["title"] == "Accept the step-down"
    assert nodes["reconsideration"]["ending"]["outcome"] == "resolved"
    assert nodes["relationship-damaged"]["ending"]["outcome"] == "relationship-damaged"
    assert '# TODO outcome: "unresolved" is a placeholder' in result.text
    assert any('placeholder outcome "unresolved" (accept-the-step-down)' in m for m in messages(result))


def test_a_link_to_a_missing_passage_leads_to_a_placeholder_ending():
    result = imported(MAIN_STORY.read_text("utf-8"))
    nodes = yaml.safe_load(result.text)["nodes"]
    assert ("No reply after two working days", "stage-3-escalation") in options({"nodes": nodes}, "written-escalation")
    placeholder = nodes["stage-3-escalation"]
    assert placeholder["ending"]["outcome"] == "unresolved"
    assert 'links to "Stage 3 escalation" but has no passage' in placeholder["text"]
    assert ("1 link leads to a passage that does not exist; it became an option to a placeholder ending named "
            "after the missing passage: \"Written escalation\" (line 84; to \"Stage 3 escalation\", ending "
            "'stage-3-escalation')") in messages(result)


def test_unreachable_and_special_passages_are_reported_and_the_unreachable_kept_commented_out():
    result = imported(MAIN_STORY.read_text("utf-8"))
    data = yaml.safe_load(result.text)
    assert "notes-for-facilitators" not in data["nodes"] and "setup" not in data["nodes"]
    assert "#     text: |-\n#       Kacper Nowak (8, Year 4) lives with his mother" in result.text
    notes = messages(result)
    assert ('1 passage no link or macro leads to is kept commented out at the end of the file: '
            '"Notes for facilitators" (line 18)') in notes
    assert ('1 special passage holds code, settings or a menu, not the story, and was not imported: '
            '"Setup" (line 26; Harlowe start-up code)') in notes
    # Uncommented, the kept passage is a node under nodes: again.
    block = result.text.split("#   # From Twine passage \"Notes for facilitators\"")[1]
    uncommented = "\n".join(line[2:] for line in block.splitlines()[1:])
    assert "notes-for-facilitators" in yaml.safe_load("nodes:\n" + uncommented)["nodes"]


def test_tags_are_kept_as_comments_above_their_node_and_listed():
    result = imported(MAIN_STORY.read_text("utf-8"))
    assert ('# From Twine passage "Standoff" (line 59)\n  # Twine tags: tense\n'
            '  # Kept as text: Harlowe macros (set:); story variables $trust\n  standoff:') in result.text
    tags = next(m for m in messages(result) if m.startswith("Twine tags on 6 passages are kept as comments"))
    assert '"Standoff" (line 59; tense)' in tags


def test_harlowe_code_in_the_story_is_kept_as_text_and_listed_by_passage():
    result = imported(MAIN_STORY.read_text("utf-8"))
    nodes = yaml.safe_load(result.text)["nodes"]
    assert nodes["standoff"]["text"].startswith("(set: $trust to it - 1)\"With respect")
    notes = messages(result)
    # Said once for the story, by kind, naming the passages; each node's comment says what is in it.
    assert ('Harlowe macros (set:), (if:), (else:) kept as text in 4 passages (each node\'s comment lists its own): '
            '"Ask for the rationale" (line 41), "New disclosure" (line 50), "Standoff" (line 59), '
            '"Manager call" (line 73)') in notes
    assert "  # Kept as text: Harlowe macros (if:), (else:); story variables $trust\n  new-disclosure:" in result.text
    assert notes[0].startswith("story format Harlowe 3.3.8: Rehearse runs no story format")


def test_the_header_and_stderr_list_the_same_things(tmp_path, capsys):
    out = tmp_path / "mash.yaml"
    _, _, stderr = run_import(capsys, MAIN_STORY, "--out", str(out))
    printed = [line.split(": not carried over: ", 1)[1] for line in stderr.splitlines()]
    header = out.read_text("utf-8").split("\n\nformat: 1")[0]
    listed = " ".join(line.lstrip("# ").strip() for line in header.split("Not carried over from Twine")[1].splitlines())
    items = [" ".join(item.split()) for item in re.split(r" - (?:line \d+: )?", listed)[1:]]
    assert items == [" ".join(message.split()) for message in printed]
    assert len(printed) == 9
    assert stderr.splitlines()[2].startswith(f"{MAIN_STORY}: not carried over: 1 special passage holds code")


def test_the_yaml_is_written_for_a_trainer_to_read():
    text = imported(MAIN_STORY.read_text("utf-8")).text
    body = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    top_keys = [line.split(":")[0] for line in body if re.match(r"[a-z_]+:", line)]
    assert top_keys == ["format", "id", "title", "area", "situation", "role", "setting", "characters", "difficulty",
                        "minutes", "objectives", "case_file", "start", "nodes"]
    assert not any(node.flow_style for node in _collections(yaml.compose(text)))  # block style throughout
    assert "    text: |-\n      Wednesday 4 March, 9:40." in text
    assert "    text: >-\n      \"Gareth's in a strategy meeting until two." in text
    assert "        # TODO evidence: which qualities does this option show?\n" in text
    # The importer's own comments are wrapped; the passage text it keeps is not.
    notes = text.split("\n\nformat: 1")[0].splitlines() + [line for line in text.splitlines() if "# TODO" in line]
    assert all(len(line) <= 88 for line in notes)


def _collections(node):
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        yield node
        for child in node.value:
            for part in child if isinstance(child, tuple) else (child,):
                yield from _collections(part)


# -- link forms, names, macros -------------------------------------------------------

def test_every_link_form_becomes_an_option():
    result = imported((FIXTURES / "link-forms.twee").read_text("utf-8"))
    data = yaml.safe_load(result.text)
    assert options(data, "start") == [
        ("ask what the decision was based on", "rationale"),  # inline [[text->target]]
        ("Share the new disclosure", "disclosure"),  # [[text->target]]
        ("Ask for her manager", "manager"),  # [[target<-text]]
        ("Put it in writing", "written-challenge"),  # [[text|target]]
        ("Disclosure", "disclosure"),  # [[target]]
        ("Record it and move on", "record"),  # [[text|target][setter]]
    ]
    ids = [choice["id"] for choice in data["nodes"]["start"]["choices"]]
    assert ids[:3] == ["ask-what-the-decision-was-based-on", "share-the-new-disclosure", "ask-for-her-manager"]
    text = data["nodes"]["start"]["text"]
    assert "You could ask what the decision was based on before anything else." in text
    assert "* " not in text  # lines that only listed links are gone: the options say them now
    assert "See [[the threshold document->https://example.org/threshold.pdf]] for the criteria." in text
    assert_validates(result.text)


def test_a_setter_link_keeps_its_setter_as_a_comment_and_is_reported():
    result = imported((FIXTURES / "link-forms.twee").read_text("utf-8"))
    assert "      # Twine setter not carried over: [$accepted to true]" in result.text
    assert ('1 setter on links (it is kept as a comment on its option; use set: or add: with variables declared '
            'under variables:): "Start" (line 21; [$accepted to true] on the link to "Record")') in messages(result)
    assert any(m.startswith("1 link to a web or email address is kept as text") and
               '"Start" (line 13; [[the threshold document->' in m for m in messages(result))


def test_escaped_characters_in_twee_names_and_tags_are_decoded():
    result = imported((FIXTURES / "escaped-names.twee").read_text("utf-8"))
    data = yaml.safe_load(result.text)
    assert data["start"] == "call-1"
    assert options(data, "call-1") == [("Ask about the strategy discussion", "strategy-discussion-requested"),
                                       ("Ask for the notes", "notes-drafts")]
    assert data["nodes"]["strategy-discussion-requested"]["ending"]["title"] == "Strategy discussion {requested}"
    assert data["nodes"]["notes-drafts"]["ending"]["title"] == "Notes \\ drafts"
    assert "# Twine tags: phone first]call" in result.text
    assert any(m.endswith('at the end of the file: "Draft [not linked]" (line 26)') for m in messages(result))
    assert_validates(result.text)


def test_code_is_kept_as_text_and_navigation_macros_with_literal_targets_become_options():
    result = imported((FIXTURES / "macros.twee").read_text("utf-8"))
    data = yaml.safe_load(result.text)
    nodes = data["nodes"]
    assert "(if: $trust > 2)[The police sergeant nods at you.](else:)[Nobody looks up.]" in \
        nodes["harlowe-strategy-meeting"]["text"]
    assert "<<if $trust gte 3>>" in nodes["sugarcube-follow-up"]["text"]
    # (link-goto:) and <<link "…">><<goto "…">><</link>> are followed: their lines are options now.
    assert options(data, "harlowe-strategy-meeting") == [("Interrupt the chair", "interrupt"),
                                                         ("Raise the bruising", "sugarcube-follow-up")]
    assert options(data, "sugarcube-follow-up") == [("Ask for the minutes", "minutes")]
    assert "link-goto" not in nodes["harlowe-strategy-meeting"]["text"]
    assert "<<link" not in nodes["sugarcube-follow-up"]["text"]
    notes = messages(result)
    assert not any("cannot follow" in m or "moves to another passage" in m for m in notes)
    assert ('SugarCube macros <<if>>, <<else>>, <<set>>, <<print>> kept as text in 1 passage (each node\'s comment '
            'lists its own): "SugarCube follow-up" (line 29)') in notes
    assert ('temporary variables _late, _awkward kept as text in 2 passages (each node\'s comment lists its own): '
            '"Harlowe strategy meeting" (line 19), "SugarCube follow-up" (line 29)') in notes
    assert any(m.startswith("1 special passage") and '"StoryInit" (line 14;' in m for m in notes)
    assert_validates(result.text)


def _story(*passages: str, fmt: str = "Harlowe", start: str = "Start") -> str:
    data = f':: StoryData\n{{"ifid": "X", "format": "{fmt}", "format-version": "3", "start": "{start}"}}\n\n'
    return data + "\n\n".join(passages) + "\n"


@pytest.mark.parametrize(("markup", "text"), [
    ('(link-goto: "Ask for the minutes", "Minutes")', "Ask for the minutes"),
    ('(link-goto: "Minutes")', "Minutes"),
    ('(click-goto: "the minutes", "Minutes")', "the minutes"),
    ('(link-reveal-goto: "Ask for the minutes", "Minutes")[You ask.]', "Ask for the minutes"),
    ('(link: "Ask for the minutes")[(set: $asked to true)(goto: "Minutes")]', "Ask for the minutes"),
    ('<<link "Ask for the minutes" "Minutes">><</link>>', "Ask for the minutes"),
    ("<<button 'Ask for the minutes' 'Minutes'>><</button>>", "Ask for the minutes"),
    ('<<link "Ask for the minutes">><<set $asked to true>><<goto "Minutes">><</link>>', "Ask for the minutes"),
    ("<<link [[Ask for the minutes|Minutes]]>><</link>>", "Ask for the minutes"),
    ("{link to: 'Minutes', label: 'Ask for the minutes'}", "Ask for the minutes"),
    ("{link to: 'Minutes'}", "Minutes"),
    ('<a data-passage="Minutes">Ask for <em>the</em> minutes</a>', "Ask for the minutes"),
])
def test_navigation_macros_with_a_literal_target_become_options_with_the_links_text(markup, text):
    result = imported(_story(f":: Start\nThe chair moves on.\n{markup}", ":: Minutes\nThe minutes arrive."))
    data = yaml.safe_load(result.text)
    assert options(data, "start") == [(text, "minutes")]
    assert data["nodes"]["start"]["text"] == "The chair moves on."  # the line that only moved on is gone
    assert_validates(result.text)


@pytest.mark.parametrize("markup", ['(goto: "Minutes")', '<<goto "Minutes">>', "<<goto [[Minutes]]>>",
                                    "<% story.show('Minutes') %>"])
def test_a_move_with_no_text_to_click_becomes_an_option_marked_todo(markup):
    result = imported(_story(f":: Start\nThe chair moves on. {markup}", ":: Minutes\nThe minutes arrive."))
    data = yaml.safe_load(result.text)
    [(text, target)] = options(data, "start")
    assert target == "minutes"
    assert text == 'TODO: (in Twine the story moves on to "Minutes" by itself) what the learner says or does'
    assert any(m.startswith("1 move ((goto:), <<goto>>, story.show()) happens without the reader choosing")
               for m in messages(result))


def test_a_link_macro_that_only_runs_code_is_not_called_a_move():
    result = imported(_story(':: Start\nYou finish the call.\n<<link "Save your notes">><<run Save.slots.save(0)>>'
                             "<</link>>", fmt="SugarCube"))
    data = yaml.safe_load(result.text)
    assert "ending" in data["nodes"]["start"]
    assert not any("move" in m for m in messages(result))
    assert any(m.startswith("SugarCube macros <<link>>, <<run>> kept as text") for m in messages(result))


def test_a_target_held_in_a_variable_is_said_once_per_passage_with_its_line_and_what_it_leaves_unreachable():
    story = _story(":: Start\n(set: $next to \"Tuesday\")\n(link-goto: \"Next day\", $next)\n(goto: $later)",
                   ":: Tuesday\nTuesday.", ":: Wednesday\nWednesday.")
    result = imported(story)
    notes = messages(result)
    [said] = [n for n in result.notes if "named by a variable" in n.message]
    assert said.line == 6  # the line of the first such macro in the file
    assert said.message == ('passage "Start": (link-goto: "Next day", $next) moves to a passage named by a variable '
                            "or an expression, which can be known only while the story runs: add the option by hand "
                            "(1 more such move in this passage)")
    assert ('2 passages can be reached only through macros whose target is a variable (no link or literal target '
            'leads there), so they are kept commented out at the end of the file: "Tuesday" (line 9), '
            '"Wednesday" (line 12)') in notes
    assert result.unreachable == {"only_via_variable_targets": ("Tuesday", "Wednesday")}
    assert result.mostly_unreachable


def test_an_embedded_passages_links_are_the_embedders_options_and_its_text_is_shown_there():
    story = _story(":: Start\nThe registrar says the injury fits.\n\n{embed passage: 'Menu'}",
                   ":: Menu\nWhat do you do?\n[[Ask for the survey->Survey]]", ":: Survey\nNo survey was done.",
                   fmt="Chapbook")
    result = imported(story)
    data = yaml.safe_load(result.text)
    assert list(data["nodes"]) == ["start", "survey"]
    assert data["nodes"]["start"]["text"] == "The registrar says the injury fits.\n\nWhat do you do?"
    assert options(data, "start") == [("Ask for the survey", "survey")]
    assert result.embedded_only == ("Menu",)
    assert any('only shown inside others' in m and '"Menu" (line 9; in "Start")' in m for m in messages(result))


def test_links_in_comments_are_not_options_and_the_comments_are_not_shown_to_the_learner():
    story = _story(":: Start\nThe chair moves on.\n/* [[Old idea]] */\n<!-- [[Another old idea]] -->\n"
                   "/% <<goto \"Old idea\">> %/\n[[Object->Objection]]", ":: Objection\nYou object.",
                   ":: Old idea\nDraft.", fmt="SugarCube")
    result = imported(story)
    data = yaml.safe_load(result.text)
    assert options(data, "start") == [("Object", "objection")]
    assert data["nodes"]["start"]["text"] == "The chair moves on."
    assert "# Twine comment: /* [[Old idea]] */" in result.text
    assert not any("does not exist" in m for m in messages(result))
    assert any(m.startswith("comments (/* */, <!-- -->, /% %/) in 1 passage") and "3 links inside" in m
               for m in messages(result))


@pytest.mark.parametrize("address", ["mailto:dsl@example.org", "tel:+441632960000", "https://example.org/policy",
                                     "http://example.org"])
def test_links_to_addresses_stay_text(address):
    result = imported(_story(f":: Start\nContact the DSL: [[email or ring->{address}]].\n[[Done]]", ":: Done\nOK."))
    data = yaml.safe_load(result.text)
    assert options(data, "start") == [("Done", "done")]
    assert f"[[email or ring->{address}]]" in data["nodes"]["start"]["text"]


def test_a_passage_named_like_an_address_is_still_a_passage():
    result = imported(_story(":: Start\n[[Note: read first]]", ":: Note: read first\nRead this."))
    assert options(yaml.safe_load(result.text), "start") == [("Note: read first", "note-read-first")]


def test_duplicate_passages_keep_the_last_as_tweego_does_with_a_note():
    result = imported(":: Start\n[[Next]]\n\n:: Next\nFirst draft.\n\n:: Next\nSecond draft.\n")
    assert yaml.safe_load(result.text)["nodes"]["next"]["text"] == "Second draft."
    note = next(n for n in result.notes if "are named" in n.message)
    assert note.line == 7
    assert note.message == ('2 passages are named "Next" (lines 4, 7): the last is used and the others were left out, '
                            "as Tweego does when it builds the story; rename one if both are wanted")


@pytest.mark.parametrize(("story", "label"), [
    (':: StoryData\n{"ifid": "X"}\n\n:: Start\nA.\n', "Twee 3"),
    (':: Start {"position":"10,10"}\nA.\n', "Twee 3"),
    ("::Start <10,10>\nA.\n", "Twee 2"),
    ("::Twee2Settings [twee2]\n@story_format = 'Harlowe'\n\n::Start\nA.\n", "Twee 2"),
    (":: StorySettings\nundo:on\n\n:: Start\nA.\n", "Twee 1"),
    (":: Start\nA.\n", "Twee without StoryData"),
])
def test_the_header_names_the_twee_version_the_file_shows(story, label):
    first = imported(story).text.splitlines()[0] + imported(story).text.splitlines()[1]
    assert f"story.twee ({label}" in first


def test_an_empty_passage_says_it_is_empty_not_that_it_has_only_links():
    result = imported(":: Start\n[[Go->Empty]]\n\n:: Empty\n\n")
    assert yaml.safe_load(result.text)["nodes"]["empty"]["text"] == ("TODO: in Twine this passage is empty. "
                                                                      "Say what happens here.")


def test_a_loop_exit_goes_on_the_loop_not_on_the_passage_that_leads_into_it():
    story = ":: Start\nIntro.\n[[In->Ask]]\n\n:: Ask\nAsk.\n[[Again->Reply]]\n\n:: Reply\nNo.\n[[Back->Ask]]\n"
    result = imported(story)
    data = yaml.safe_load(result.text)
    assert options(data, "start") == [("In", "ask")]
    assert options(data, "ask")[-1] == ("TODO: (added on import) end the conversation here", "end-of-twine-loop")
    assert options(data, "reply") == [("Back", "ask")]
    assert result.loop_exits == 1
    assert_validates(result.text)


def test_a_twine_1_html_file_is_refused_with_what_to_do():
    html = '<html><body><div id="storeArea"><div tiddler="Start">Hello</div></div></body></html>'
    with pytest.raises(StoryError, match="this is a Twine 1 story"):
        imported(html, "old.html")


def test_story_author_becomes_the_author_and_code_passages_are_left_out():
    result = imported(":: StoryAuthor\nJo Bloggs, safeguarding trainer\n\n:: Styles [stylesheet]\nbody {}\n\n"
                      ":: Start\n[[Ask->Answer]]\n\n:: Answer\nDone.\n")
    data = yaml.safe_load(result.text)
    assert data["author"] == "Jo Bloggs, safeguarding trainer"
    assert list(data["nodes"]) == ["start", "answer"]
    assert data["nodes"]["start"]["text"] == "TODO: in Twine this passage has only links. Say what happens here."
    assert ('1 special passage holds code, settings or a menu, not the story, and was not imported: '
            '"Styles" (line 4; the story\'s stylesheet)' in messages(result))
    assert_validates(result.text)


def test_plain_prose_is_not_reported_as_code():
    result = imported(":: Start\nShe said (quietly): \"It's 5 o'clock\" & costs $5 <3.\n")
    assert messages(result) == ["the story names no start passage (StoryData \"start\"); the scenario starts at "
                                "the passage named \"Start\"",
                                '1 passage without links became an ending with the placeholder outcome "unresolved" '
                                "(start): choose each ending's outcome, debrief and impact"]


# -- published HTML -------------------------------------------------------------------

def test_a_published_html_story_imports_from_its_startnode_with_text_unescaped():
    result = imported((FIXTURES / "mash-step-down.html").read_text("utf-8"), "mash-step-down.html")
    data = yaml.safe_load(result.text)
    assert data["title"] == "Health visitor: a closed referral"
    assert data["start"] == "duty-call"  # startnode="2", not the first passage
    assert data["area"] == "information-sharing"  # a story tag that names an area
    assert data["tags"] == ["information-sharing", "health-visiting"]
    text = data["nodes"]["duty-call"]["text"]
    assert text.startswith("<<set $trust to 2>>You ring children's social care.")
    assert '"no further action"' in text
    assert options(data, "duty-call") == [("Ask what information the decision was based on", "decision-basis"),
                                          ("Say the decision is unsafe", "unsafe")]
    assert "nursery & nursery" in data["nodes"]["decision-basis"]["text"]
    assert data["nodes"]["reopened"]["ending"]["outcome"] == "resolved"
    assert "decoy" not in result.text
    assert set(data["nodes"]) == {"duty-call", "decision-basis", "unsafe", "reopened"}
    assert any(m.startswith("SugarCube macros <<set>> kept as text in 1 passage") and '"Duty call"' in m
               for m in messages(result))
    assert_validates(result.text)


def test_html_with_a_startnode_that_names_no_passage_starts_at_the_first():
    html = ('<tw-storydata name="S" startnode="9"><tw-passagedata pid="1" name="One">[[Two]]</tw-passagedata>'
            '<tw-passagedata pid="2" name="Two">End.</tw-passagedata></tw-storydata>')
    result = imported(html, "s.html")
    assert yaml.safe_load(result.text)["start"] == "one"
    assert 'startnode="9" names no passage' in messages(result)
    assert any('the scenario starts at the first passage, "One"' in m for m in messages(result))


# -- start, ids, loops ------------------------------------------------------------------

def test_without_storydata_start_the_passage_named_start_is_used_then_the_first():
    named = imported(":: Intro\nHello.\n[[Start]]\n\n:: Start\nBegin.\n[[Intro]]\n")
    assert yaml.safe_load(named.text)["start"] == "start"
    assert any('starts at the passage named "Start"' in m for m in messages(named))
    first = imported(":: Intro\nHello.\n[[Next]]\n\n:: Next\nEnd.\n")
    assert yaml.safe_load(first.text)["start"] == "intro"
    assert any('starts at the first passage, "Intro"' in m for m in messages(first))


def test_a_storydata_start_that_names_no_passage_is_reported_with_its_line():
    result = imported(':: StoryData\n{"ifid": "X", "start": "Opening"}\n\n:: Start\nBegin.\n')
    note = next(n for n in result.notes if "Opening" in n.message)
    assert note.line == 1
    assert note.message == ('the start passage "Opening" (StoryData "start") is not a passage of the story; '
                            'the scenario starts at the passage named "Start"')


def test_node_and_option_ids_are_valid_unique_and_deterministic():
    story = (":: Start\n[[Go->start!]]\n[[Go->Встреча]]\n[[Go|???]]\n\n"
             ":: start!\nA.\n\n:: Встреча\nB.\n\n"
             ":: ???\nC.\n\n:: " + "Very long passage name " * 6 + "\nD.\n[[Start]]\n")
    first, second = imported(story), imported(story)
    assert first.text == second.text
    data = yaml.safe_load(first.text)
    assert list(data["nodes"]) == ["start", "start-2", "passage", "passage-2"]
    assert [choice["id"] for choice in data["nodes"]["start"]["choices"]] == ["go", "go-2", "go-3"]
    assert "#   # From Twine passage \"Very long passage name" in first.text
    assert all(ID.fullmatch(node_id) for node_id in data["nodes"])
    assert_validates(first.text)


def test_a_loop_with_no_ending_gets_an_option_to_a_placeholder_ending():
    result = imported(":: Start\nAsk again.\n[[Again->Repeat]]\n\n:: Repeat\nStill no.\n[[Back->Start]]\n")
    data = yaml.safe_load(result.text)
    assert options(data, "start")[-1] == ("TODO: (added on import) end the conversation here", "end-of-twine-loop")
    assert data["nodes"]["end-of-twine-loop"]["ending"]["outcome"] == "unresolved"
    assert options(data, "repeat") == [("Back", "start")]
    assert any("no ending can be reached from it in Twine" in m for m in messages(result))
    assert_validates(result.text)


def test_text_that_yaml_cannot_hold_in_a_block_is_quoted_and_reads_back_exactly():
    odd = "  leading spaces\n\x1b[31mred\x1b[0m\ttab\u2028next\n"
    result = imported(f":: Start\n{odd}")
    assert yaml.safe_load(result.text)["nodes"]["start"]["text"] == odd.rstrip("\n")
    assert load_text(result.text).ok


# -- the command --------------------------------------------------------------------------

def test_import_validate_and_play_from_the_command_line(tmp_path, capsys):
    story = tmp_path / "mash-step-down.twee"
    shutil.copy(MAIN_STORY, story)
    status, stdout, _ = run_import(capsys, story)
    out = tmp_path / "mash-step-down.yaml"  # default: beside the story
    assert status == 0 and out.is_file()
    assert f"rehearse validate {out}" in stdout
    assert main(["validate", str(out)]) == 0
    assert "0 errors" in capsys.readouterr().out
    assert main(["play", str(out), "--choices", "1,1,1"]) == 0
    transcript = capsys.readouterr().out
    assert "You: Ask what the decision was based on" in transcript
    assert "You: Tell her what Kacper said yesterday" in transcript
    assert "Ended: resolved — Reconsideration" in transcript


def test_the_id_option_names_the_scenario_and_a_bad_id_is_refused(tmp_path, capsys):
    out = tmp_path / "a.yaml"
    assert run_import(capsys, MAIN_STORY, "--out", str(out), "--id", "dsl-mash-step-down")[0] == 0
    assert yaml.safe_load(out.read_text("utf-8"))["id"] == "dsl-mash-step-down"
    status, _, stderr = run_import(capsys, MAIN_STORY, "--out", str(tmp_path / "b.yaml"), "--id", "DSL Step Down")
    assert status == 2 and "is not a scenario id" in stderr
    assert not (tmp_path / "b.yaml").exists()


def test_an_existing_file_is_never_overwritten(tmp_path, capsys):
    out = tmp_path / "mine.yaml"
    out.write_text("my own scenario\n", encoding="utf-8")
    status, _, stderr = run_import(capsys, MAIN_STORY, "--out", str(out))
    assert status == 2
    assert stderr.strip() == (f"rehearse import: {out} already exists; nothing was written "
                              "(choose another file with --out, or move that one away)")
    assert out.read_text("utf-8") == "my own scenario\n"


def test_a_missing_story_file_is_a_usage_error(tmp_path, capsys):
    status, _, stderr = run_import(capsys, tmp_path / "nope.twee")
    assert status == 2 and stderr.strip() == f"rehearse import: {tmp_path / 'nope.twee'} does not exist"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b":: Start\nCaf\xe9 au lait\n", ":2:4: error: the file is not UTF-8 text (byte 0xe9 cannot be decoded)"),
    (b"Once upon a time.\n[[Next]]\n", "this is neither a Twee 3 story"),
    (b"<html><body><p>Hello</p></body></html>", "no <tw-storydata> element"),
    (b':: StoryData\n{"ifid": "X"}\n', "the story has no passages to import"),
    (b":: StoryInit\n<<set $x to 1>>\n", "the story has no passages to import (only special passages"),
    (b"\x00\x01\x02\xff\xfe", "the file is not UTF-8 text"),
])
def test_bad_input_gets_one_clear_line_and_exit_1(tmp_path, capsys, content, message):
    story = tmp_path / "bad.twee"
    story.write_bytes(content)
    status, stdout, stderr = run_import(capsys, story)
    assert status == 1 and stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith(str(story))
    assert message in stderr
    assert not (tmp_path / "bad.yaml").exists()


def test_a_huge_file_is_refused_before_it_is_read(tmp_path, capsys):
    story = tmp_path / "huge.html"
    with open(story, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: no time or disk spent
    status, _, stderr = run_import(capsys, story)
    assert status == 1
    assert stderr.strip() == f"{story}: error: the file is 16.0 MB; stories are limited to 16 MB for import"



# -- never a traceback ------------------------------------------------------------------------

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TWEE_PIECES = st.sampled_from([
    ":: ", "::Start", ":: Start [a b]", ':: X {"position":"1,1"}', ":: StoryData\n", '{"start": "B"}', ":: B\n",
    "[[", "]]", "->", "<-", "|", "][", "$x", "(if: $x)[", "<<set $y>>", "\\", "\\[", "{", "}", "\n", "\n\n",
    "Start", "B", "text ", "\t", "\x1b", "\u2028", "é", "<tw-storydata", "<tw-passagedata name='B'>", "&amp;", "#",
    ": ", "'", '"', "- ", "yes", "1e3", "2024-01-01",
])


@FUZZ
@given(st.text(max_size=300))
def test_random_text_never_raises_anything_but_a_story_error(text):
    try:
        result = imported(text)
    except StoryError as exc:
        assert exc.message
    else:
        assert isinstance(result.text, str)


@FUZZ
@given(st.lists(TWEE_PIECES, min_size=1, max_size=40).map("".join))
def test_whatever_twee_like_text_imports_to_validates(text):
    try:
        result = imported(text)
    except StoryError:
        return
    # A story's own control or invisible characters are carried over and
    # named by the validator's warnings, never an error.
    assert_validates(result.text, also_expected=("control character", "invisible character"))


@FUZZ
@given(st.text(max_size=200))
def test_any_text_is_written_so_it_reads_back_exactly(text):
    document = Mapping().add("text", text).add("list", [text]).note(text)
    assert yaml.safe_load(dump(document)) == {"text": text, "list": [text]}


def test_import_says_so_last_and_exits_1_when_most_of_the_story_cannot_be_reached(tmp_path, capsys):
    story = Path(__file__).parent / "fixtures" / "twine-corpus" / "ours-harlowe-variable-targets.twee"
    out = tmp_path / "rota.yaml"
    status, stdout, stderr = run_import(capsys, story, "--out", str(out))
    assert status == 1
    assert out.is_file() and load_file(out).ok  # written all the same: the trainer may still want it
    assert "wrote" in stdout and "next:" not in stdout
    assert stderr.splitlines()[-1] == (
        "rehearse import: WARNING: most of ours-harlowe-variable-targets.twee did not come across. Only 1 of the "
        "story's 7 passages can be reached from the start passage; 6 cannot (6 only through macros whose target "
        "is a variable). The file was written, but it is not the story yet: see the notes above.")
    top = out.read_text("utf-8").splitlines()[:6]  # said before anything else in the file
    assert any(line.startswith("# WARNING: most of this story did not come across. Only 1 of") for line in top)


@pytest.mark.parametrize("piece", ['(goto: "', '(link: "x")[', '<<link "a">>', "{link to: ",
                                   '(link-goto: "a", "Next") ', '<<link "a" "Next">></link>>\n'])
def test_thousands_of_macros_open_or_closed_do_not_hang_the_import(piece):
    import time

    began = time.perf_counter()
    result = imported(":: Start\n" + piece * 20000 + "\n\n:: Next\nDone.\n")
    assert time.perf_counter() - began < 10  # under a second here; quadratic searching took minutes
    assert load_text(result.text).ok
