"""Whatever a learner types or pastes, the analyser answers and never raises,
and every span it quotes back lies inside the text and is those words."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.free_text import analyse, analyse_stream
from scoring.free_text.dates import find_dates
from scoring.free_text.phrases import compile_phrases
from scoring.free_text.text import quoted_spans

# Words the rules look for, so generated text reaches them and not only noise.
VOCABULARY = st.sampled_from([
    "I'm", "not", "worried", "with respect", "you", "clearly", "haven't", "read", "by Friday", "6 October",
    "the body map", "could we", "hold", "a strategy discussion", "?", ".", ",", "\"", "'", "escalate", "your manager",
    "fine", "leave it", "because", "Leo", "said", "\u201c", "\u201d", "\x1b[31m", "[bold]", "\u202e", "\n", "29th", "14/10",
])
TEXT = st.one_of(st.text(max_size=300), st.lists(VOCABULARY, max_size=40).map(" ".join))
CASE_FILE = {"bodymap-1": {"title": "Body map: bruises", "date": "2026-09-29", "source": "DSL", "text": "Four bruises."}}


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_gives_a_result_whose_spans_are_the_learners_words(text):
    result = analyse(text, CASE_FILE).as_dict()
    assert 0.0 <= result["politeness"] <= 1.0
    assert 1 <= len(result["feedback"]) <= 5
    for spans in result["spans"].values():
        for span in spans:
            assert 0 <= span["start"] < span["end"] <= len(result["text"])
            assert result["text"][span["start"]:span["end"]] == span["words"]
    assert "\x1b" not in json.dumps(result, ensure_ascii=False)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(max_size=120), max_size=8))
def test_any_bytes_give_one_json_line_per_line(chunks):
    data = b"\n".join(chunk.replace(b"\n", b" ").replace(b"\r", b" ") for chunk in chunks)
    sink = io.StringIO()
    count = analyse_stream(io.BytesIO(data), sink)
    expected = len(data.splitlines())  # as a file reads them: a final newline ends the last line
    assert count == expected
    assert len(sink.getvalue().splitlines()) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_dates_and_quotes_stay_inside_the_text(text):
    for mention in find_dates(text.lower()):
        assert 0 <= mention.start < mention.end <= len(text)
    for start, end in quoted_spans(text):
        assert 0 <= start < end <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abc []|{}*#~'", max_size=12), max_size=4))
def test_any_marker_phrase_compiles_or_is_refused_cleanly(phrases):
    try:
        pattern = compile_phrases(phrases)
    except KeyError:
        return  # a {class} that does not exist
    pattern.search("abc a b c")
