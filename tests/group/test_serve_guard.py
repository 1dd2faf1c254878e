"""The rules `rehearse serve` refuses by, on their own: sizes, connections, join attempts, origins, headers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from simulator.group.serve import TEMPLATES
from simulator.group.serve_guard import (
    MAX_COLUMNS,
    MAX_ROWS,
    MIN_COLUMNS,
    MIN_ROWS,
    ConnectionCap,
    JoinLimiter,
    clamp_size,
    origin_allowed,
    security_headers,
)


def test_a_huge_size_is_clamped_to_what_a_screen_can_show():
    assert clamp_size(12000, 12000) == (MAX_COLUMNS, MAX_ROWS)
    assert clamp_size("12000", "12000") == (MAX_COLUMNS, MAX_ROWS)
    assert clamp_size(0, -5) == (MIN_COLUMNS, MIN_ROWS)
    assert clamp_size(132, 43) == (132, 43), "a real browser's size is kept"


@given(st.one_of(st.integers(), st.floats(), st.text(), st.none(), st.booleans(), st.lists(st.integers())),
       st.one_of(st.integers(), st.floats(), st.text(), st.none(), st.booleans(), st.dictionaries(st.text(), st.text())))
def test_whatever_a_browser_sends_becomes_a_bounded_size(width, height):
    columns, rows = clamp_size(width, height)
    assert type(columns) is int and type(rows) is int
    assert MIN_COLUMNS <= columns <= MAX_COLUMNS and MIN_ROWS <= rows <= MAX_ROWS


def test_the_cap_refuses_past_its_limit_and_frees_a_place_when_one_leaves():
    cap = ConnectionCap(2)
    assert cap.enter() and cap.enter()
    assert not cap.enter() and cap.full
    cap.leave()
    assert cap.enter()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_codes_lock_an_address_for_the_window_and_right_codes_cost_nothing():
    clock = Clock()
    limiter = JoinLimiter(per_address=3, overall=100, window=600, clock=clock)
    for _ in range(20):  # a room behind one address, all typing the right code
        assert limiter.ask("10.0.0.5").allowed
        limiter.right("10.0.0.5")
    for _ in range(3):
        assert limiter.ask("10.0.0.9").allowed
        limiter.wrong("10.0.0.9")  # never refunded
    refused = limiter.ask("10.0.0.9")
    assert not refused.allowed and 1 <= refused.wait_seconds <= 600
    assert "3 wrong join codes from 10.0.0.9" in refused.reason
    assert limiter.ask("10.0.0.5").allowed, "another address is not locked"
    clock.now += 601
    assert limiter.ask("10.0.0.9").allowed, "the lock ends with the window"


def test_attempts_in_flight_count_before_their_answer():
    limiter = JoinLimiter(per_address=2, overall=100, clock=Clock())
    assert limiter.ask("a").allowed and limiter.ask("a").allowed
    waiting = limiter.ask("a")
    assert not waiting.allowed, "twenty tabs asking at once get only the limit between them"
    assert waiting.busy, "refused for now because two answers are still due, not locked out"


def test_a_room_behind_one_address_all_gets_in_as_right_answers_come_back():
    limiter = JoinLimiter(per_address=2, overall=100, clock=Clock())
    admitted = 0
    for _ in range(30):  # thirty people behind one network address, each asked in turn
        verdict = limiter.ask("room")
        while verdict.busy:  # what the server does: wait for an answer due, then ask again
            limiter.right("room")
            admitted += 1
            verdict = limiter.ask("room")
        assert verdict.allowed
    limiter.right("room"), limiter.right("room")
    assert admitted == 28 and limiter.locked("room").allowed


def test_wrong_answers_turn_the_wait_into_a_lock_out():
    limiter = JoinLimiter(per_address=2, overall=100, clock=Clock())
    limiter.ask("a"), limiter.ask("a")
    assert limiter.ask("a").busy
    limiter.wrong("a")
    limiter.wrong("a")
    locked = limiter.ask("a")
    assert not locked.allowed and not locked.busy and locked.wait_seconds > 1 and "wrong" in locked.reason


def test_the_overall_limit_holds_against_many_addresses():
    limiter = JoinLimiter(per_address=10, overall=5, clock=Clock())
    for n in range(5):
        assert limiter.ask(f"10.0.0.{n}").allowed
        limiter.wrong(f"10.0.0.{n}")
    refused = limiter.ask("10.0.0.200")
    assert not refused.allowed and not refused.busy and "in all" in refused.reason


def test_only_the_servers_own_page_may_open_the_websocket():
    assert origin_allowed("http://127.0.0.1:8000", "http", "127.0.0.1:8000", None)
    assert origin_allowed("https://rehearse.example.org", "http", "10.0.0.2:8000", "https://rehearse.example.org")
    assert not origin_allowed("http://evil.example", "http", "127.0.0.1:8000", "http://127.0.0.1:8000")
    assert not origin_allowed("null", "http", "127.0.0.1:8000", None)
    assert origin_allowed(None, "http", "127.0.0.1:8000", None)


def test_the_page_policy_lets_only_the_pages_own_scripts_run():
    headers = security_headers((TEMPLATES / "app_index.html").read_text(encoding="utf-8"))
    policy = headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert policy.count("'sha256-") == 2, "one hash per inline script of the page"
    assert "frame-ancestors 'none'" in policy and headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"
    assert headers["Server"] == "Rehearse"
    assert "onclick" not in (TEMPLATES / "app_index.html").read_text(encoding="utf-8"), "inline handlers would not run"
