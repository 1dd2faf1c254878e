"""`rehearse say`: the analyser at the command line, one result a line, and
nothing a user types able to stop it or act on the terminal."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli import main

KEYS = {"text", "politeness", "respectful", "elements", "spans", "feedback"}
ELEMENTS = {"concern", "impact", "evidence", "ask", "timescale", "inquiry", "escalation", "blame", "capitulation"}
# What must never reach a terminal raw: C0 and C1 controls (newline apart) and
# the bidirectional overrides that reorder what is shown.
ACTING = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run_say(monkeypatch, capsys, data: bytes, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    status = main(["say", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_one_utterance_as_json_has_exactly_the_six_keys(capsys):
    assert main(["say", "--format", "json", "I'm worried about the bruise. Could we meet today?"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == KEYS and set(result["elements"]) == ELEMENTS
    assert result["elements"]["concern"] and result["elements"]["ask"] and result["elements"]["timescale"]
    assert result["spans"]["concern"][0]["words"] == "I'm worried"
    assert 0 <= result["politeness"] <= 1 and result["respectful"] is True


def test_one_utterance_as_text_quotes_the_words_that_set_off_each_finding(capsys):
    assert main(["say", "With respect, you clearly haven't read the file."]) == 0
    out = capsys.readouterr().out
    blame = next(line for line in out.splitlines() if line.strip().startswith("blame (warning)"))
    assert "you clearly haven't read”" in blame  # the words quoted back, however far the span reaches
    assert "not respectful" in out
    assert "The briefing: “Being professionally challenged should not be seen as a criticism" in out


def test_standard_input_gives_one_result_a_line_in_order_empty_lines_included(monkeypatch, capsys):
    lines = ["I'm worried about Leo.", "", "Fine, leave it.", "Could we hold a strategy discussion today?"]
    status, out, _ = run_say(monkeypatch, capsys, ("\n".join(lines) + "\n").encode(), "--format", "json")
    results = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and [r["text"] for r in results] == lines
    assert all(set(r) == KEYS for r in results)
    assert results[1]["feedback"] == ["Nothing to read yet: type what you would say."]
    assert results[2]["elements"]["capitulation"]


def test_bytes_that_are_not_utf8_are_replaced_and_said_once(monkeypatch, capsys):
    status, out, err = run_say(monkeypatch, capsys, b"caf\xe9 talk\nfine\n\xff\xfe\n", "--format", "json")
    results = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and len(results) == 3
    assert results[0]["text"] == "caf\ufffd talk"
    assert "Some bytes were not valid UTF-8 and are shown as �." in results[0]["feedback"]
    assert err.count("not valid UTF-8") == 1 and "line 1" in err


def test_escapes_control_characters_and_markup_are_shown_not_obeyed(monkeypatch, capsys):
    typed = "[bold]I'm worried[/bold] \x1b[2J\x1b]8;;http://x\x07link\x00 [@click=app.quit]q\u202e"
    status, out, err = run_say(monkeypatch, capsys, typed.encode() + b"\n")
    assert status == 0
    assert not ACTING.search(out)
    assert "␛[2J" in out and "[bold]I'm worried[/bold]" in out and "[@click=app.quit]" in out
    assert "control characters are shown as symbols" in out
    assert err.count("control characters or terminal escapes") == 1


def test_a_20_kb_paste_is_read_to_its_first_1500_characters_and_says_so(monkeypatch, capsys):
    paste = ("On 6 October he told Gemma he was scared. " * 500)[:20_000]
    status, out, _ = run_say(monkeypatch, capsys, paste.encode() + b"\nI'm worried.\n", "--format", "json")
    first, second = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and len(first["text"]) == 1500
    assert "Only the first 1,500 of 20,000 characters were read." in first["feedback"]
    assert second["text"] == "I'm worried."


def test_a_line_longer_than_the_reading_limit_is_skipped_past_without_losing_the_next(monkeypatch, capsys):
    from simulator.cli.say import MAX_LINE_BYTES

    huge = "é" * MAX_LINE_BYTES  # two bytes each: the limit falls between characters' bytes or not
    status, out, err = run_say(monkeypatch, capsys, huge.encode() + b"\nI'm worried.\n", "--format", "json")
    first, second = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and second["text"] == "I'm worried."
    assert "\ufffd" not in first["text"] and "not valid UTF-8" not in err


def test_against_a_scenarios_case_file_a_wrong_date_is_flagged(capsys):
    assert main(["say", "--scenario", "dsl-mash-threshold",
                 "I'm worried about the body map from 28 September."]) == 0
    assert "“Body map: bruises to the left upper arm” is dated 29 September, not 28 September" in capsys.readouterr().out


def test_at_a_decision_the_closest_option_is_named_for_authors(capsys):
    from simulator.format.library import find

    node = find("dsl-mash-threshold").scenario.nodes["marcus-explains"]
    option = node.choices[1].text
    assert main(["say", "--scenario", "dsl-mash-threshold", "--at", "marcus-explains", "--format", "json", option]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == KEYS | {"closest"}
    assert result["closest"]["option"] == 2 and result["closest"]["choice_id"] == node.choices[1].id
    assert result["closest"]["score"] == 1.0
    assert main(["say", "--scenario", "dsl-mash-threshold", "--at", "marcus-explains", option]) == 0
    assert "closest at marcus-explains: option 2," in capsys.readouterr().out


@pytest.mark.parametrize("argv, status, said", [
    (["--at", "marcus-explains", "x"], 2, "--at NODE goes with --scenario ID"),
    (["--scenario", "dsl-mash-threshold", "--at", "nowhere", "x"], 2, "its decisions are: helen-checks-in"),
    (["--scenario", "dsl-mash-threshold", "--at", "opening", "x"], 2, "a node with no options at 'opening'"),
    (["--scenario", "no-such-scenario", "x"], 1, "no scenario file or library id 'no-such-scenario'"),
])
def test_a_mistake_in_the_options_is_explained_without_a_traceback(capsys, argv, status, said):
    assert main(["say", *argv]) == status
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600) | st.lists(st.sampled_from(
    [b"\n", b"\r\n", b"\x1b[31m", b"\xff", b"\xc3", b"\xe2\x80\xae", b"[bold]", b"\\[", b"I'm worried ", b"on 6 October ",
     b"you never listen ", b"\x00", b"\t", b"\xf0\x9f\x99\x82", b"?", b"\"", b"'"]), max_size=40).map(b"".join),
       form=st.sampled_from(["json", "text"]))
def test_any_bytes_on_standard_input_give_one_result_a_line_and_nothing_raw(monkeypatch, capsys, data, form):
    status, out, err = run_say(monkeypatch, capsys, data, "--format", form)
    assert status == 0 and "Traceback" not in err
    lines = data.split(b"\n")
    expected = len(lines) - 1 if lines[-1] == b"" else len(lines)
    assert not ACTING.search(out)
    if form == "json":
        results = [json.loads(line) for line in out.splitlines()]
        assert len(results) == expected
        assert all(set(r) == KEYS and set(r["elements"]) == ELEMENTS for r in results)
    else:
        assert out.count("\n  feedback\n") == expected


def test_a_stream_runs_in_one_process_and_flows_through_a_pipe():
    lines = "\n".join(["I'm worried about Leo.", "Fine, leave it.", ""] * 200) + "\n"
    result = subprocess.run([sys.executable, "-m", "simulator", "say", "--format", "json"], input=lines.encode(),
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert len(result.stdout.decode().splitlines()) == 600
