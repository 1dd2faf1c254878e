"""The analyser of typed challenge, as a learner meets it: what it finds in
their words, the words it quotes back, and the result the command line shows."""

from __future__ import annotations

import io
import json

from scoring.free_text import MAX_CHARACTERS, RESULT_ELEMENTS, analyse, analyse_stream, closest_option

# Plain data, as a scenario's case_file holds it (the analyser never imports the simulator).
CASE_FILE = {
    "disclosure-2": {
        "title": "Leo says Craig grabbed him",
        "date": "2026-10-06 (Tuesday)",
        "source": "CPOMS entry by Gemma Hart, teaching assistant",
        "text": "During reading group Leo said: \"Craig grabbed me hard 'cause I was too loud.\"",
    },
    "bodymap-1": {
        "title": "Body map: bruises to the left upper arm",
        "date": "2026-09-29 (Tuesday)",
        "source": "Body map completed by the DSL with Amara Reid",
        "text": "Four oval bruises, 1 to 1.5 cm, on the left upper arm.",
    },
    "bodymap-2": {
        "title": "Body map: mark to the back of the neck",
        "date": "2026-10-06 (Tuesday)",
        "source": "Body map completed by the DSL",
        "text": "A red mark, about 4 cm long, on the back of the neck.",
    },
}


def test_result_has_exactly_the_keys_the_command_line_shows():
    result = analyse("I'm worried about Leo. Could we hold a strategy discussion today?").as_dict()
    assert set(result) == {"text", "politeness", "respectful", "elements", "spans", "feedback"}
    assert list(result["elements"]) == list(RESULT_ELEMENTS)
    assert all(isinstance(value, bool) for value in result["elements"].values())
    assert set(result["spans"]) == set(RESULT_ELEMENTS)
    assert 0.0 <= result["politeness"] <= 1.0 and isinstance(result["respectful"], bool)
    assert all(isinstance(line, str) for line in result["feedback"])
    json.dumps(result)  # serialisable as it stands


def test_quoted_back_words_are_the_learners_own():
    typed = "I\u2019m really worried about Leo \u2014 could we hold a strategy discussion by Friday?"
    result = analyse(typed).as_dict()
    assert result["text"] == typed
    assert result["elements"]["concern"] and result["elements"]["ask"] and result["elements"]["timescale"]
    for spans in result["spans"].values():
        for span in spans:
            assert typed[span["start"]:span["end"]] == span["words"]
    assert result["spans"]["concern"][0]["words"] == "I\u2019m really worried"
    assert any("\u201cby Friday\u201d" in line for line in result["feedback"])


def test_negation_flips_concern_and_escalation():
    assert analyse("I'm worried about how quiet Jayden has been.").elements["concern"]
    assert not analyse("I'm not worried about how quiet Jayden has been.").elements["concern"]
    assert analyse("I'm not comfortable with closing the case.").elements["concern"]
    assert analyse("If we can't agree, I'll escalate it to your team manager.").elements["escalation"]
    assert not analyse("I'm not escalating this, I just want to understand.").elements["escalation"]
    assert not analyse("I was worried, but you've answered that, thanks.").elements["concern"]


def test_contrast_keeps_what_comes_after_but():
    result = analyse("I'm not saying she's lying, but I'm worried about the bruise.")
    assert result.elements["concern"]
    assert result.words(result.findings["concern"][0]) == "I'm worried"


def test_with_respect_followed_by_an_insult_is_blame_and_not_respectful():
    result = analyse("With respect, you clearly haven't read it.")
    assert result.elements["blame"]
    assert not result.respectful
    assert result.politeness <= 0.2  # the courtesy does not buy politeness back
    assert any("aimed at the person" in line for line in result.feedback)
    plain = analyse("With respect, I see it differently, and I'd like to say why.")
    assert not plain.elements["blame"] and plain.respectful


def test_disagreeing_bluntly_is_not_blame():
    result = analyse("I think the decision's wrong, and here's why.")
    assert result.elements["concern"] and not result.elements["blame"] and result.respectful


def test_accusing_question_is_blame_not_inquiry():
    accusing = analyse("Why did you ignore the body map?")
    assert accusing.elements["blame"] and not accusing.elements["inquiry"]
    genuine = analyse("What was the decision based on?")
    assert genuine.elements["inquiry"] and not genuine.elements["blame"]


def test_giving_way_with_a_reason_about_the_child_is_not_capitulation():
    assert analyse("Fair enough, you know best.").elements["capitulation"]
    changed = analyse("That changes things: if she's been seen by the GP this morning and her weight is up, I'm happy.")
    assert not changed.elements["capitulation"]
    kept = analyse("OK, I'll go with early help, as long as we review it at the core group on the 12th.")
    assert not kept.elements["capitulation"] and kept.elements["timescale"]


def test_a_date_in_evidence_is_not_a_timescale():
    told = analyse("On 14/10 she missed her third appointment.")
    assert told.elements["evidence"] and not told.elements["timescale"]
    bound = analyse("Could you let me know by 14/10?")
    assert bound.elements["timescale"] and not bound.elements["evidence"]


def test_cited_fact_is_named_from_the_case_file():
    result = analyse("The 6 October body map shows a 4 cm mark on his neck.", CASE_FILE)
    assert any(c.status == "cited" and c.fact_id == "bodymap-2" for c in result.citations)
    assert any("6 October" in line and "mark to the back of the neck" in line for line in result.feedback)


def test_wrong_date_is_flagged_with_the_right_one():
    result = analyse("The body map on 28 September showed four bruises.", CASE_FILE)
    wrong = [c for c in result.citations if c.status == "wrong date"]
    assert wrong and wrong[0].fact_id == "bodymap-1" and wrong[0].right == "29 September"
    line = next(line for line in result.feedback if line.startswith("Check the date"))
    assert "29 September" in line and "28 September" in line


def test_wrong_name_is_flagged_with_the_right_one():
    result = analyse("On 6 October Leo told Amara that Craig grabbed him.", CASE_FILE)
    wrong = [c for c in result.citations if c.status == "wrong name"]
    assert wrong and wrong[0].said == "Amara" and wrong[0].right == "Gemma Hart"


def test_no_case_file_or_a_malformed_one_still_gives_feedback():
    for case_file in (None, {}, {"x": "not a mapping"}, {"x": {"date": 12, "title": None}}, ["a", "list"]):
        result = analyse("The body map on 28 September showed four bruises.", case_file)
        assert result.feedback and not [c for c in result.citations if c.status != "cited"]


def test_hostile_input_is_inert_in_every_output():
    typed = "\x1b[2J\x1b]0;owned\x07[bold red]hi[/] \x9b31m \u202egnp.exe\u202c I'm worried"
    result = analyse(typed).as_dict()
    rendered = json.dumps(result, ensure_ascii=False)
    for dangerous in ("\x1b", "\x07", "\x9b", "\u202e", "\u202c"):
        assert dangerous not in rendered
        assert all(dangerous not in line for line in result["feedback"])
    assert "\u241b[2J" in result["text"]  # shown as the ESC symbol, in place
    assert len(result["text"]) == len(typed)  # so offsets still point at the learner's words
    assert "[bold red]hi[/]" in result["text"]  # markup is kept as text, never interpreted


def test_markup_safe_shows_markup_as_written():
    from rich.text import Text

    from scoring.free_text import markup_safe

    for typed in ("[bold red]hi[/]", "[@click=app.quit]x[/]", "a\\[b]", "ends with \\", "\\[b]"):
        assert Text.from_markup(markup_safe(typed)).plain == typed


def test_long_paste_is_read_to_a_bound_and_says_so():
    paste = "I'm worried about Leo. " * 900  # about 20 KB
    result = analyse(paste)
    assert len(result.text) == MAX_CHARACTERS
    assert result.feedback[0].startswith(f"Only the first {MAX_CHARACTERS:,} of {len(paste):,} characters")
    assert result.elements["concern"]


def test_empty_line_asks_for_words():
    result = analyse("   ").as_dict()
    assert not any(result["elements"].values())
    assert result["feedback"] == ["Nothing to read yet: type what you would say."]


def test_stream_writes_one_json_line_per_input_line_and_reports_bad_bytes():
    source = io.BytesIO(b"I'm worried about Leo.\r\n\n\xff\xfe not UTF-8\nlast line without newline")
    sink = io.StringIO()
    assert analyse_stream(source, sink) == 4
    lines = sink.getvalue().splitlines()
    assert len(lines) == 4
    results = [json.loads(line) for line in lines]
    assert results[0]["text"] == "I'm worried about Leo." and results[0]["elements"]["concern"]
    assert results[1]["text"] == ""
    assert results[2]["text"].startswith("\ufffd\ufffd")
    assert any("not valid UTF-8" in line for line in results[2]["feedback"])
    assert not any("not valid UTF-8" in line for line in results[0]["feedback"])


def test_stream_reads_a_text_stream_too():
    sink = io.StringIO()
    assert analyse_stream(io.StringIO("Fine, leave it.\nWhat am I missing?\n"), sink, CASE_FILE) == 2
    first, second = (json.loads(line) for line in sink.getvalue().splitlines())
    assert first["elements"]["capitulation"] and second["elements"]["inquiry"]


def test_closest_option_is_the_one_that_says_what_the_learner_said():
    options = [
        "Fair enough, I'll leave it with you.",
        "I'm worried about the bruises on Leo's arm; could we hold a strategy discussion today?",
        "Why did you ignore the body map?",
    ]
    match = closest_option("I think we need a strategy discussion today about Leo's bruises", options)
    assert match.index == 1 and 0 < match.score <= 1
    assert "strategy" in match.shared_words
    assert closest_option("OK, leave it with you then.", options).index == 0
    assert closest_option("anything", []) is None


def test_feedback_is_short_and_kind():
    for typed in ("", "Pathetic.", "I'm worried.", "I'm worried about Leo; on 6 October he said Craig grabbed him. "
                  "If he goes home tonight he could be hurt again. What was the decision based on? Could we hold a "
                  "strategy discussion by 3pm? If not, I'll take it to your team manager."):
        assert 1 <= len(analyse(typed, CASE_FILE).feedback) <= 5
