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
    assert ('passage "Written escalation" links to "Stage 3 escalation", which is not a passage: '
            "the option leads to a placeholder ending 'stage-3-escalation'") in messages(result)


def test_unreachable_and_special_passages_are_reported_and_the_unreachable_kept_commented_out():
    result = imported(MAIN_STORY.read_text("utf-8"))
    data = yaml.safe_load(result.text)
    assert "notes-for-facilitators" not in data["nodes"] and "setup" not in data["nodes"]
    assert "#     text: |-\n#       Kacper Nowak (8, Year 4) lives with his mother" in result.text
    notes = messages(result)
    assert any('"Notes for facilitators" cannot be reached from the start passage' in m for m in notes)
    assert 'passage "Setup" holds Harlowe start-up code, not the story, and was not imported' in notes
    # Uncommented, the kept passage is a node under nodes: again.
    block = result.text.split("#   # From Twine passage \"Notes for facilitators\"")[1]
    uncommented = "\n".join(line[2:] for line in block.splitlines()[1:])
    assert "notes-for-facilitators" in yaml.safe_load("nodes:\n" + uncommented)["nodes"]


def test_tags_are_kept_as_comments_above_their_node_and_listed():
    result = imported(MAIN_STORY.read_text("utf-8"))
    assert '# From Twine passage "Standoff" (line 59)\n  # Twine tags: tense\n  standoff:' in result.text
    assert "passage \"Standoff\": Twine tag tense kept as a comment above node 'standoff'" in messages(result)


def test_harlowe_code_in_the_story_is_kept_as_text_and_listed_by_passage():
    result = imported(MAIN_STORY.read_text("utf-8"))
    nodes = yaml.safe_load(result.text)["nodes"]
    assert nodes["standoff"]["text"].startswith("(set: $trust to it - 1)\"With respect")
    notes = messages(result)
    assert 'passage "New disclosure": Harlowe macros (if:), (else:) kept as text' in notes
    assert 'passage "Manager call": story variables $escalated kept as text' in notes
    assert notes[0].startswith("story format Harlowe 3.3.8: Rehearse runs no story format")


def test_the_header_and_stderr_list_the_same_things(tmp_path, capsys):
    out = tmp_path / "mash.yaml"
    _, _, stderr = run_import(capsys, MAIN_STORY, "--out", str(out))
    printed = [line.split(": not carried over: ", 1)[1] for line in stderr.splitlines()]
    header = out.read_text("utf-8").split("\n\nformat: 1")[0]
    listed = " ".join(line.lstrip("# ").strip() for line in header.split("Not carried over from Twine")[1].splitlines())
    items = [" ".join(item.split()) for item in re.split(r" - (?:line \d+: )?", listed)[1:]]
    assert items == [" ".join(message.split()) for message in printed]
    assert len(printed) == 20
    assert stderr.splitlines()[4].startswith(f"{MAIN_STORY}:26: not carried over: passage \"Setup\"")


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
    assert ('passage "Start": the setter [$accepted to true] on the link to "Record" was not carried over; '
            "it is kept as a comment on the option") in messages(result)
    assert any("link to a web address [[the threshold document->" in m for m in messages(result))


def test_escaped_characters_in_twee_names_and_tags_are_decoded():
    result = imported((FIXTURES / "escaped-names.twee").read_text("utf-8"))
    data = yaml.safe_load(result.text)
    assert data["start"] == "call-1"
    assert options(data, "call-1") == [("Ask about the strategy discussion", "strategy-discussion-requested"),
                                       ("Ask for the notes", "notes-drafts")]
    assert data["nodes"]["strategy-discussion-requested"]["ending"]["title"] == "Strategy discussion {requested}"
    assert data["nodes"]["notes-drafts"]["ending"]["title"] == "Notes \\ drafts"
    assert "# Twine tags: phone first]call" in result.text
    assert any('"Draft [not linked]" cannot be reached' in m for m in messages(result))
    assert_validates(result.text)


def test_harlowe_and_sugarcube_macros_are_kept_as_text_with_a_warning_naming_the_passage():
    result = imported((FIXTURES / "macros.twee").read_text("utf-8"))
    nodes = yaml.safe_load(result.text)["nodes"]
    assert "(if: $trust > 2)[The police sergeant nods at you.](else:)[Nobody looks up.]" in \
        nodes["harlowe-strategy-meeting"]["text"]
    assert "<<if $trust gte 3>>" in nodes["sugarcube-follow-up"]["text"]
    notes = messages(result)
    harlowe, sugarcube = 'passage "Harlowe strategy meeting": ', 'passage "SugarCube follow-up": '
    assert harlowe + "Harlowe macros (set:), (if:), (else:), (link-goto:) kept as text" in notes
    assert harlowe + "temporary variables _late kept as text" in notes
    assert harlowe + "HTML tags <span> kept as text" in notes
    assert harlowe + ("(link-goto:) moves to another passage, which the importer cannot follow: "
                      "add the option by hand") in notes
    assert sugarcube + "SugarCube macros <<if>>, <<else>>, <<set>>, <<link>>, <<goto>>, <<print>> kept as text" in notes
    assert sugarcube + "story variables $trust, $managerTold kept as text" in notes
    assert sugarcube + "temporary variables _awkward kept as text" in notes
    assert ('passage "StoryInit" holds settings or code for SugarCube or Twine 1, not the story, '
            "and was not imported") in notes
    assert_validates(result.text)


def test_story_author_becomes_the_author_and_code_passages_are_left_out():
    result = imported(":: StoryAuthor\nJo Bloggs, safeguarding trainer\n\n:: Styles [stylesheet]\nbody {}\n\n"
                      ":: Start\n[[Ask->Answer]]\n\n:: Answer\nDone.\n")
    data = yaml.safe_load(result.text)
    assert data["author"] == "Jo Bloggs, safeguarding trainer"
    assert list(data["nodes"]) == ["start", "answer"]
    assert data["nodes"]["start"]["text"] == "TODO: in Twine this passage has only links. Say what happens here."
    assert ('passage "Styles" holds the story\'s stylesheet, not the story, and was not imported'
            in messages(result))
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
    assert 'passage "Duty call": SugarCube macros <<set>> kept as text' in messages(result)
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
    assert_validates(result.text, also_expected=("control character",))


@FUZZ
@given(st.text(max_size=200))
def test_any_text_is_written_so_it_reads_back_exactly(text):
    document = Mapping().add("text", text).add("list", [text]).note(text)
    assert yaml.safe_load(dump(document)) == {"text": text, "list": [text]}
