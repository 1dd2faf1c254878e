"""Fuzzing the loader: whatever the input, it answers with a LoadResult, never an exception.

Three kinds of input, all starting from files that load cleanly:

(a) structural mutations of the parsed data (a key deleted, a value's type changed,
    a `next` or node id renamed, a list item duplicated, a list truncated), dumped back to YAML;
(b) the raw file truncated at a random point, with random bytes or characters inserted;
(c) random text, including text built from YAML's punctuation.

The property each time: ``load_text``/``load_bytes`` returns a ``LoadResult``; every
diagnostic has a line and a column >= 1; and there is a scenario exactly when there are no errors.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.format.loader import LoadResult, load_bytes, load_text

ROOT = Path(__file__).resolve().parents[2]
SEED_PATHS = [ROOT / "tests" / "fixtures" / "minimal.yaml", *sorted((ROOT / "scenarios").glob("*.yaml"))]
SEED_TEXTS = [path.read_text("utf-8") for path in SEED_PATHS]
SEED_DATA = [yaml.safe_load(text) for text in SEED_TEXTS]

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_result(result) -> None:
    assert isinstance(result, LoadResult)
    for diagnostic in result.diagnostics:
        assert diagnostic.line >= 1 and diagnostic.column >= 1, diagnostic
        assert diagnostic.severity in ("error", "warning"), diagnostic
        assert isinstance(diagnostic.message, str) and diagnostic.message, diagnostic
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert (result.scenario is None) == bool(errors), result.diagnostics


def test_seeds_load_cleanly():
    """The fuzzers start from valid files; if a seed breaks, the mutations prove nothing."""
    for path, text in zip(SEED_PATHS, SEED_TEXTS):
        result = load_text(text, str(path))
        assert result.ok, [d.format() for d in result.diagnostics]


# -- (a) structural mutations ---------------------------------------------------------------------

ANY_VALUE = st.one_of(
    st.integers(min_value=-10, max_value=10**6),
    st.text(max_size=20),
    st.lists(st.one_of(st.integers(), st.text(max_size=8)), max_size=3),
    st.dictionaries(st.text(max_size=8), st.one_of(st.integers(), st.text(max_size=8), st.none()), max_size=3),
    st.none(),
    st.booleans(),
)
NAMES = st.one_of(st.text(max_size=12), st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True))


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


def _get(data, path):
    for part in path:
        data = data[part]
    return data


def _delete_key(data, draw) -> None:
    keyed = [p for p in _paths(data) if p and isinstance(_get(data, p[:-1]), dict)]
    if keyed:
        path = draw(st.sampled_from(keyed))
        del _get(data, path[:-1])[path[-1]]


def _change_type(data, draw) -> None:
    paths = [p for p in _paths(data) if p]
    if paths:
        path = draw(st.sampled_from(paths))
        _get(data, path[:-1])[path[-1]] = draw(ANY_VALUE)


def _rename_target(data, draw) -> None:
    targets = [p for p in _paths(data) if p and p[-1] in ("next", "start")]
    if targets:
        path = draw(st.sampled_from(targets))
        nodes = data.get("nodes") if isinstance(data.get("nodes"), dict) else {}
        choices = [str(key) for key in nodes] or ["open"]
        _get(data, path[:-1])[path[-1]] = draw(st.one_of(st.sampled_from(choices), NAMES))


def _rename_node(data, draw) -> None:
    nodes = data.get("nodes")
    if isinstance(nodes, dict) and nodes:
        old = draw(st.sampled_from(list(nodes)))
        new = draw(NAMES)
        data["nodes"] = {(new if key == old else key): value for key, value in nodes.items()}


def _duplicate_item(data, draw) -> None:
    lists = [p for p in _paths(data) if isinstance(_get(data, p), list) and _get(data, p)]
    if lists:
        items = _get(data, draw(st.sampled_from(lists)))
        index = draw(st.integers(0, len(items) - 1))
        items.insert(index, copy.deepcopy(items[index]))


def _truncate_list(data, draw) -> None:
    lists = [p for p in _paths(data) if isinstance(_get(data, p), list) and _get(data, p)]
    if lists:
        items = _get(data, draw(st.sampled_from(lists)))
        del items[draw(st.integers(0, len(items) - 1)):]


MUTATIONS = [_delete_key, _change_type, _rename_target, _rename_node, _duplicate_item, _truncate_list]


@FUZZ
@given(seed=st.sampled_from(range(len(SEED_DATA))),
       mutations=st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4),
       flow=st.sampled_from([False, None, True]),
       data=st.data())
def test_structural_mutations_never_raise(seed, mutations, flow, data):
    document = copy.deepcopy(SEED_DATA[seed])
    for mutate in mutations:
        mutate(document, data.draw)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=flow)
    check_result(load_text(text, "fuzz.yaml"))


# -- (b) truncated and corrupted raw text --------------------------------------------------------

# Mostly printable insertions, so that many inputs get past the YAML reader into the schema and
# graph checks; arbitrary bytes and characters (invalid UTF-8, controls, surrogates) the rest of the time.
PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
INSERTED_BYTES = st.one_of(st.text(PRINTABLE, min_size=1, max_size=8).map(str.encode),
                           st.binary(min_size=1, max_size=8))
INSERTED_TEXT = st.one_of(st.text(PRINTABLE, min_size=1, max_size=8),
                          st.sampled_from([": ", "- ", "\n  ", "\n", "&a ", "*a", "!!str ", "---\n", "{", "]", "\t"]),
                          st.text(min_size=1, max_size=8))


@FUZZ
@given(seed=st.sampled_from(range(len(SEED_TEXTS))), data=st.data())
def test_truncated_and_corrupted_bytes_never_raise(seed, data):
    raw = SEED_TEXTS[seed].encode("utf-8")
    raw = raw[: data.draw(st.integers(0, len(raw)), label="cut")]
    for _ in range(data.draw(st.integers(0, 4), label="insertions")):
        at = data.draw(st.integers(0, len(raw)), label="at")
        raw = raw[:at] + data.draw(INSERTED_BYTES, label="bytes") + raw[at:]
    check_result(load_bytes(raw, "fuzz.yaml"))


@FUZZ
@given(seed=st.sampled_from(range(len(SEED_TEXTS))), data=st.data())
def test_truncated_and_corrupted_text_never_raises(seed, data):
    text = SEED_TEXTS[seed]
    raw = text.encode("utf-8")
    # cut at a byte position; a cut inside a multi-byte character drops that character
    text = raw[: data.draw(st.integers(0, len(raw)), label="cut")].decode("utf-8", "ignore")
    for _ in range(data.draw(st.integers(0, 4), label="insertions")):
        at = data.draw(st.integers(0, len(text)), label="at")
        text = text[:at] + data.draw(INSERTED_TEXT, label="chars") + text[at:]
    check_result(load_text(text, "fuzz.yaml"))


# -- (c) random text -----------------------------------------------------------------------------

YAML_TOKENS = list("abc01:-[]{}&*!|>'\"#%@`,? \n\t\\") + ["nodes", "next", "\u00e9", "\x1b", "\ufeff", "---\n"]
YAMLISH = st.lists(st.sampled_from(YAML_TOKENS), max_size=120).map("".join)


@FUZZ
@given(text=st.text(max_size=500))
def test_random_unicode_never_raises(text):
    check_result(load_text(text, "fuzz.yaml"))


@FUZZ
@given(text=YAMLISH)
def test_random_yaml_punctuation_never_raises(text):
    check_result(load_text(text, "fuzz.yaml"))


@pytest.mark.parametrize("text", ["", "\ufeff", "\x00", "\ud800", "- [", "? ", "!!binary x", "&a [*a]", "*a",
                                  ": :", "{? [a]: b}", "%YAML 1.1\n---\na: 1", "\t", "'", "nodes: {a: {next: *x}}"])
def test_small_hostile_inputs_never_raise(text):
    check_result(load_text(text, "fuzz.yaml"))
