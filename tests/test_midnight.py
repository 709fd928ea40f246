"""A break across midnight, from the planner through the day state machine (issue 13, item 8).

A session ends 23:30 and the next starts 00:30: the gap is offered once, on the day it
starts, and the day after knows it (its plan lists the same window, `carried`), so the
card on screen at midnight stays, and nothing is offered twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from companion.core.calendar.session import Session
from companion.core.clock import FakeClock
from companion.core.day import Day, HideOffer, ShowOffer, window_key
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.planner import plan_day, sessions_span
from companion.core.records import OfferRecord
from companion.core.settings import Settings

MONDAY = date(2024, 6, 10)
TUESDAY = MONDAY + timedelta(days=1)
# A night's work: reminders on around the clock.
SETTINGS = Settings(schedule_confirmed=True, working_start="00:00", working_end="23:59")


def at(d: date, h: int, m: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, h, m).astimezone()


def session(d: date, h: int, m: int) -> Session:
    start = at(d, h, m)
    return Session(start, (start + timedelta(minutes=50)).astimezone())


def plan_for(day: date):  # type: ignore[no-untyped-def]
    """As the app plans a day: the sessions of `sessions_span(day)` (times are made in
    the test's zone, hence here and not at import)."""
    every = [session(MONDAY, 22, 40), session(TUESDAY, 0, 30), session(TUESDAY, 9, 0)]
    first, days = sessions_span(day)
    wanted = [s for s in every if first <= s.start.date() < first + timedelta(days=days)]
    return plan_day(wanted, SETTINGS, day, None)


def new_day(tmp_path: Path, clock: FakeClock) -> Day:
    journal = Journal(resolve_paths(tmp_path / "d"), clock).open()
    day = Day(clock=clock, journal=journal, settings=SETTINGS, plan_for=plan_for)
    day.replan()
    return day


def walk(day: Day, until: datetime) -> list[tuple[datetime, object]]:
    clock: FakeClock = day.clock  # type: ignore[assignment]
    seen: list[tuple[datetime, object]] = []
    while clock.now() < until:
        seen += [(clock.now(), a) for a in day.tick()]
        clock.advance(30)
    return seen


@pytest.fixture(autouse=True)
def _berlin(local_tz: Callable[[str], None]) -> None:
    local_tz("Europe/Berlin")


def test_the_plan_of_each_day(tmp_path: Path) -> None:
    monday, tuesday = plan_for(MONDAY), plan_for(TUESDAY)
    (late,) = monday.breaks
    assert (late.start, late.end, late.carried) == (at(MONDAY, 23, 30), at(TUESDAY, 0, 29), False)
    carried, _morning = tuesday.breaks
    assert carried.carried and window_key(carried.start) == window_key(late.start)


def test_the_card_shown_before_midnight_stays_after_it_and_comes_once(tmp_path: Path) -> None:
    clock = FakeClock(at(MONDAY, 23, 0))
    day = new_day(tmp_path, clock)
    seen = walk(day, at(TUESDAY, 0, 40))
    shown = [(t, a) for t, a in seen if isinstance(a, ShowOffer)]
    hidden = [(t, a) for t, a in seen if isinstance(a, HideOffer)]
    assert [(t, a.offer.key) for t, a in shown] == [
        (at(MONDAY, 23, 30), window_key(at(MONDAY, 23, 30)))
    ]
    # It goes when no practice fits before 00:30, not at midnight.
    assert len(hidden) == 1 and hidden[0][0] > at(TUESDAY, 0, 20)
    outcomes = [r.outcome for r in day.journal.query(OfferRecord, MONDAY, TUESDAY)]
    assert outcomes == ["ignored"]


def test_opened_after_midnight_it_is_offered_then(tmp_path: Path) -> None:
    """The app was not running at 23:30: the gap is still open at 00:05, so it is
    offered then (once)."""
    clock = FakeClock(at(TUESDAY, 0, 5))
    day = new_day(tmp_path, clock)
    seen = walk(day, at(TUESDAY, 0, 40))
    assert [t for t, a in seen if isinstance(a, ShowOffer)] == [at(TUESDAY, 0, 5)]


def test_a_restart_after_midnight_does_not_offer_it_again(tmp_path: Path) -> None:
    clock = FakeClock(at(MONDAY, 23, 0))
    day = new_day(tmp_path, clock)
    walk(day, at(MONDAY, 23, 35))
    day.skipped(window_key(at(MONDAY, 23, 30)))  # answered on Monday
    clock.advance((at(TUESDAY, 0, 5) - clock.now()).total_seconds())
    again = new_day(tmp_path, clock)  # the app restarts after midnight
    seen = walk(again, at(TUESDAY, 0, 40))
    assert not [a for _t, a in seen if isinstance(a, ShowOffer)]
