"""`rehearse serve` end to end: a real server on loopback, participants in headless Chromium.

The app is drawn by xterm.js on a canvas, so the test types as a participant
would and reads what happened from the shared store (and, for messages, from
the terminal output the page receives over its websocket).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from serve_support import screen_text, start_server
from serve_support import wait_for as _wait_for

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (`apt-get install chromium`; "
                                                         ".ci/run installs it)")

# Chromium as the house rules want it: no sandbox (root in CI), no GPU, and
# nothing that would phone home.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCENARIO = "hv-gcp2-closure"
COHORT = "Health visiting challenge, morning group"
KEY_DELAY_MS = 40  # a quick typist; keys typed faster than a screen can change focus are not a real participant


def expected_path(scenario_id: str, pick: int) -> tuple[list[str], str]:
    """The option numbers a participant who always takes option ``pick`` (wrapping) presses, and the outcome."""
    from simulator.engine.session import Session
    from simulator.format.library import load_all

    scenario = next(r.scenario for r in load_all() if r.scenario and r.scenario.id == scenario_id)
    session, keys = Session(scenario), []
    while not session.finished:
        offered = session.choices()
        number = pick % len(offered)
        keys.append(str(number + 1))
        session.choose(offered[number].id)
    return keys, session.outcome


def cohort_results(data: Path, cohort: str) -> dict[str, dict]:
    """What the shared store holds for ``cohort``, by learner name: the part of
    the check a dashboard must agree with."""
    from simulator.records.store import Store

    with Store(data) as store:
        return {
            a.learner: {
                "participant": a.participant,
                "cohort": a.cohort,
                "decisions": len([d for d in a.decisions if not d.rewound]),
                "finished": a.finished,
                "outcome": a.outcome,
            }
            for a in store.cohort_attempts(cohort)
        }


_pages: list = []


def wait_for(condition, what: str, timeout: float = 30):
    """Poll while letting Playwright deliver the pages' events (websocket frames arrive only then)."""
    def sleep(seconds: float) -> None:
        if _pages:
            _pages[-1].wait_for_timeout(seconds * 1000)
        else:
            time.sleep(seconds)

    return _wait_for(condition, timeout=timeout, what=what, sleep=sleep)


@dataclass
class Participant:
    """One browser tab of one participant, and what its websocket has received."""

    page: object
    name: str
    received: list[bytes] = field(default_factory=list)

    def screen(self) -> str:
        return screen_text(b"".join(self.received))

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=KEY_DELAY_MS)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Debian's chromium, never a browser Playwright would download; launch()
        # gives it a fresh temporary profile (--user-data-dir) of its own.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def server(tmp_path):
    # Two participants, two apps started ahead: the browsers take them from the warm pool,
    # and a loaded CI machine is not also starting six apps nobody uses.
    running = start_server(tmp_path / "room.db", COHORT, "--scenario", SCENARIO, "--warm", "2")
    yield running
    _pages.clear()
    assert running.stop(), "Ctrl+C should end the server and every participant's app promptly"


def open_participant(browser, url: str, name: str, requests: list[str]) -> Participant:
    # A context each: no cookies or storage shared, as on separate laptops.
    context = browser.new_context(viewport={"width": 1100, "height": 700}, accept_downloads=True)
    page = context.new_page()
    participant = Participant(page, name)
    _pages.append(page)
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: participant.received.append(
        payload if isinstance(payload, bytes) else payload.encode())))
    page.goto(url)
    wait_for(lambda: "join the group session" in participant.screen(), what=f"{name}'s join screen")
    # The page puts the keyboard in the app by itself: a participant who types
    # the code straight away, without clicking, must not lose it.
    wait_for(lambda: page.evaluate("document.activeElement && document.activeElement.className")
             == "xterm-helper-textarea", what=f"{name}'s keyboard to be in the app")
    return participant


def settle(participant: Participant, quiet_ms: int = 300) -> None:
    """Wait until the app has drawn the last keys' effect: output arrives, then stops for ``quiet_ms``.
    (Keys typed before a focus change is drawn would land in the old field, as they would for a person.)"""
    before = len(participant.received)
    wait_for(lambda: len(participant.received) > before, what=f"{participant.name}'s screen to change")
    while True:
        count = len(participant.received)
        participant.page.wait_for_timeout(quiet_ms)
        if len(participant.received) == count:
            return


def join(participant: Participant, code: str) -> None:
    participant.type(code)
    participant.press("Enter")
    settle(participant)  # focus has moved to the name field
    participant.type(participant.name)
    participant.press("Enter")


def dashboard_view(data: Path, cohort: str) -> tuple[str, dict[str, dict[str, int]], list[str]]:
    """Open the facilitator's dashboard on the store the browsers wrote to and
    return what it shows: the status line, the room's kept choices per
    decision (node id -> choice id -> count) and the participants' names."""
    import asyncio

    from textual.widgets import DataTable, Static

    from simulator.format.library import find
    from simulator.records.store import Store
    from simulator.tui.group.dashboard_screen import DashboardApp

    with Store(data) as store:
        found = store.cohort(cohort)

    async def look():
        app = DashboardApp(data, found, [find(SCENARIO).scenario], poll_seconds=3600)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.dashboard
            status = screen.query_one("#cohort-status", Static).visual.plain
            counts = {node.node_id: {o.choice_id: o.kept for o in node.options}
                      for s in screen.summary.scenarios for node in s.nodes}
            table = screen.query_one("#participants", DataTable)
            names = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
            return status, counts, names

    # Playwright's sync API keeps an event loop running in this thread.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, look()).result(timeout=120)


def kept_choices(data: Path, cohort: str) -> dict[str, dict[str, int]]:
    """The same tally straight from the store's decision rows."""
    from collections import Counter, defaultdict

    from simulator.records.store import Store

    tally: dict[str, Counter] = defaultdict(Counter)
    with Store(data) as store:
        for attempt in store.cohort_attempts(cohort):
            for decision in attempt.decisions:
                if not decision.rewound:
                    tally[decision.node_id][decision.choice_id] += 1
    return {node: dict(counter) for node, counter in tally.items()}


def decisions_of(data: Path, name: str) -> int:
    found = cohort_results(data, COHORT).get(name)
    return -1 if found is None else found["decisions"]


def test_three_participants_play_a_scenario_to_the_end_in_chromium(browser, server):
    requests: list[str] = []
    names = ["Asha", "Ben", "Chidi"]
    paths = {name: expected_path(SCENARIO, pick) for pick, name in enumerate(names)}
    people = [open_participant(browser, server.url, name, requests) for name in names]

    for person in people:
        join(person, server.join_code)
        # A cohort with a scenario goes straight to its briefing.
        wait_for(lambda: "The situation" in person.screen(), what=f"{person.name}'s briefing")
        person.press("Enter")
        wait_for(lambda: decisions_of(server.data, person.name) == 0, what=f"{person.name}'s attempt to start")

    # Round by round, as a room plays: everyone's decisions interleave in the one file.
    for step in range(max(len(keys) for keys, _ in paths.values())):
        for person in people:
            keys, _ = paths[person.name]
            if step < len(keys):
                person.press(keys[step])
                wait_for(lambda: decisions_of(server.data, person.name) == step + 1,
                         what=f"{person.name}'s decision {step + 1}")

    wait_for(lambda: all(r["finished"] for r in cohort_results(server.data, COHORT).values()),
             what="every attempt to finish")
    results = cohort_results(server.data, COHORT)
    assert sorted(results) == names
    assert len({r["participant"] for r in results.values()}) == 3, "each join is its own participant"
    for name, (keys, outcome) in paths.items():
        assert results[name]["cohort"] == COHORT
        assert results[name]["participant"].startswith("p-")
        assert results[name]["decisions"] == len(keys)
        assert results[name]["outcome"] == outcome
    # The facilitator's dashboard agrees with the store: three joined and
    # finished, and at every decision the same counts the decision rows give.
    status, shown_counts, shown_names = dashboard_view(server.data, COHORT)
    assert "3 joined, 0 playing, 3 finished" in status
    assert sorted(shown_names) == names
    stored = kept_choices(server.data, COHORT)
    assert stored, "the participants' decisions are in the store"
    for node_id, by_choice in stored.items():
        assert {c: n for c, n in shown_counts[node_id].items() if n} == by_choice, node_id
    assert sum(sum(c.values()) for c in shown_counts.values()) == sum(len(k) for k, _ in paths.values())

    # Each browser shows its own debrief.
    for person in people:
        wait_for(lambda: "Competencies" in person.screen(), what=f"{person.name}'s debrief")

    # An exported debrief downloads to the participant's browser, not to the facilitator's disk.
    asha = people[0]
    asha.press("e")
    wait_for(lambda: "Export the debrief" in asha.screen(), what="the export choices")
    with asha.page.expect_download() as download:
        asha.press("h")
    report = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename.startswith(f"rehearse-{SCENARIO}-")
    assert "<html" in report.lower() and "Asha" in report

    # A room without internet works: the page asked nothing of anyone but this server.
    assert requests, "the pages made no requests at all"
    outside = [url for url in requests if not url.startswith(server.url + "/") and not url.startswith("data:")]
    assert outside == []


def test_a_wrong_join_code_is_refused_and_the_right_one_lets_them_in(browser, server):
    requests: list[str] = []
    person = open_participant(browser, server.url, "Dami", requests)
    wrong = "ZZZZZZ" if server.join_code != "ZZZZZZ" else "YYYYYY"
    join(person, wrong)
    wait_for(lambda: "That join code is not right" in person.screen(), what="the refusal")
    assert cohort_results(server.data, COHORT) == {}, "a refused participant records nothing"

    person.page.wait_for_timeout(1200)  # the form rests for a second after a wrong code
    person.received.clear()
    # The cursor is back in the code field, and the name is kept.
    person.type(server.join_code.lower())  # case does not matter
    person.press("Enter")
    wait_for(lambda: "The situation" in person.screen(), what="the briefing after the right code")
    person.press("Enter")
    wait_for(lambda: decisions_of(server.data, "Dami") == 0, what="Dami's attempt to start")
    assert cohort_results(server.data, COHORT)["Dami"]["cohort"] == COHORT
