"""`rehearse play` for scripts and screen readers, and `rehearse graph`."""

import io
import json
from pathlib import Path

from simulator.cli import main
from simulator.engine.plain import run_interactive
from simulator.engine.session import Session


def test_fixed_path_prints_the_transcript_and_the_ending(minimal_path, capsys):
    assert main(["play", str(minimal_path), "--choices", "1,1"]) == 0
    out = capsys.readouterr().out
    assert "Sam Ward (Social worker, MASH): The referral was below threshold." in out
    assert "You: On 3 October Mia told us she was hit." in out
    assert "Ended: resolved — Strategy discussion" in out


def test_numbers_left_over_after_an_ending_still_show_the_transcript_and_the_ending(minimal_path, capsys):
    # A route longer than the scenario: the trainer sees where it ended, and a script sees exit 1.
    assert main(["play", str(minimal_path), "--choices", "1,1,2,1"]) == 1
    out = capsys.readouterr().out
    assert "You: On 3 October Mia told us she was hit." in out
    assert "Ended: resolved — Strategy discussion" in out
    assert "The scenario ended before choice 3 (2): 2 of the 4 numbers were not used." in out
    assert out.index("numbers were not used") < out.index("Debrief\nOutcome: Resolved")


def test_a_number_not_on_offer_exits_non_zero_and_lists_what_was(minimal_path, capsys):
    assert main(["play", str(minimal_path), "--choices", "2,3"]) == 1
    out = capsys.readouterr().out
    assert "Choice 2: there is no option 3 here (1-2 are on offer)" in out
    assert "1. I will escalate to your team manager in writing today." in out


def test_choices_that_are_not_numbers_are_a_usage_error(minimal_path, capsys):
    assert main(["play", str(minimal_path), "--choices", "one,two"]) == 2


def test_report_is_written_in_the_format_its_suffix_names(minimal_path, tmp_path, capsys):
    target = tmp_path / "debrief.json"
    assert main(["play", str(minimal_path), "--choices", "1,1", "--report", str(target), "--learner", "Asha"]) == 0
    report = json.loads(target.read_text())
    assert report["scenario"]["id"] == "test-minimal" and report["learner"] == "Asha"
    assert report["ending"]["outcome"] == "resolved" and round(report["overall"]["score"], 1) == 86.7
    html = tmp_path / "debrief.html"
    assert main(["play", str(minimal_path), "--choices", "1,1", "--report", str(html)]) == 0
    assert html.read_text().lstrip().lower().startswith("<!doctype html>")


def test_plain_play_at_a_prompt_with_case_file_hint_undo_and_quit(minimal):
    answers = iter(["c", "h", "2", "u", "1", "9", "1"])
    out = io.StringIO()
    status = run_interactive(Session(minimal), lambda prompt: next(answers), out)
    text = out.getvalue()
    assert status == 0
    assert "Case file:" in text and "Disclosure (2026-10-03): Mia said she was hit." in text
    assert "Rewound to your last decision" in text
    assert "there is no option 9 here" in text
    assert "Ended: resolved" in text


def test_locked_options_are_shown_with_their_reason(minimal):
    answers = iter(["2", "q"])
    out = io.StringIO()
    run_interactive(Session(minimal), lambda prompt: next(answers), out)
    text = " ".join(out.getvalue().split())
    assert "(not open to you yet: Sam is not open enough yet.) Would you take it to a strategy discussion?" in text


def test_escape_sequences_in_scenario_text_are_printed_inert(minimal_path, tmp_path, capsys):
    text = minimal_path.read_text().replace("The referral was below threshold.", '"Below \\e[31mthreshold\\e]8;;http://x\\a."')
    path = tmp_path / "escape.yaml"
    path.write_text(text)
    assert main(["play", str(path), "--choices", "1,1"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[31m" in out


def test_graph_marks_endings_by_outcome_and_labels_guarded_choices(minimal_path, capsys):
    assert main(["graph", str(minimal_path)]) == 0
    mermaid = capsys.readouterr().out
    assert mermaid.startswith("flowchart TD")
    assert ':::child_at_risk' in mermaid and "if trust &gt;= 3" in mermaid
    assert main(["graph", str(minimal_path), "--format", "dot"]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith("digraph scenario {") and '"listen" -> "agreed"' in dot and "[if trust >= 3]" in dot


def test_unknown_library_id_suggests_the_nearest(capsys):
    assert main(["play", "dsl-mash-treshold", "--choices", "1"]) == 1
    assert "did you mean 'dsl-mash-threshold'?" in capsys.readouterr().err


def test_folded_text_keeps_no_trailing_newline_in_lines_or_options(tmp_path, capsys):
    # `>` blocks end with a newline; shown raw it put a space before the
    # narrator's closing bracket and a blank line under the option.
    text = (Path(__file__).parents[1] / "fixtures" / "minimal.yaml").read_text()
    text = text.replace("    text: Sam agrees.", "    text: >\n      Sam agrees to a strategy\n      discussion.")
    text = text.replace("      - text: Fine, leave it.", "      - text: >\n          Fine, leave it.")
    path = tmp_path / "folded.yaml"
    path.write_text(text)
    from simulator.format.loader import load_file

    scenario = load_file(path).scenario
    assert scenario.nodes["agreed"].text == "Sam agrees to a strategy discussion."
    assert scenario.nodes["listen"].choices[2].text == "Fine, leave it."
    assert main(["play", str(path), "--choices", "1,1"]) == 0
    assert "[Sam agrees to a strategy discussion.]" in capsys.readouterr().out


# -- saying it first ------------------------------------------------------------------

SAID = "On 3 October Mia told us she was hit. I'm worried. Can we hold a strategy discussion today?"


def test_say_first_at_the_prompt_gives_feedback_then_marks_the_closest_option(minimal):
    answers = iter([SAID, "1", "", "2"])
    out = io.StringIO()
    session = Session(minimal)
    assert run_interactive(session, lambda prompt: next(answers), out, say_first=True) == 0
    text = " ".join(out.getvalue().split())
    assert "From the case file you cited the 3 October record “Disclosure”." in text
    assert "1. (closest to what you said) On 3 October Mia told us she was hit." in text
    assert "Nothing said: the options follow." in text
    assert [m.own_words for m in session.moves] == [SAID, ""]


def test_s_at_any_decision_asks_for_the_words_without_say_first(minimal):
    prompts = []
    answers = iter(["s", "I'll tell my manager first.", "3", "q"])

    def read(prompt):
        prompts.append(prompt)
        return next(answers)

    session = Session(minimal)
    run_interactive(session, read, io.StringIO())
    assert prompts[1].startswith("Say it first, in your own words")
    assert session.moves[0].own_words == "I'll tell my manager first."


def test_words_said_before_an_undo_are_not_kept_for_the_retaken_decision(minimal):
    # Say it and choose; skip at the next decision and rewind; take the first
    # decision again without saying anything.
    answers = iter([SAID, "1", "", "u", "", "2", "", "2"])
    session = Session(minimal)
    run_interactive(session, lambda prompt: next(answers), io.StringIO(), say_first=True)
    assert [(m.choice_id, m.own_words) for m in session.moves] == [("2", ""), ("3", "")]


def test_input_ending_at_the_say_prompt_ends_play_quietly(minimal):
    def read(prompt):
        raise EOFError

    out = io.StringIO()
    assert run_interactive(Session(minimal), read, out, say_first=True) == 0
    assert "Input ended; nothing more was chosen." in out.getvalue()


def test_a_fixed_path_with_words_from_standard_input_puts_them_in_the_report(minimal_path, tmp_path, monkeypatch,
                                                                             capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(SAID + "\n\n"))
    target = tmp_path / "debrief.json"
    assert main(["play", str(minimal_path), "--choices", "1,1", "--say-first", "--report", str(target)]) == 0
    out = capsys.readouterr().out
    assert "You said: “On 3 October Mia told us" in out and "(closest to what you said)" in out
    report = json.loads(target.read_text())
    assert [d["own_words"] for d in report["decisions"]] == [SAID, None]
