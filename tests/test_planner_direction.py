"""The planner's suggestions after heavy sessions and at the end of the day (issue 12):
outward first after a heavy session; a decompression in a long gap after three heavy
sessions in a row, and nowhere else; "leave it at the door" after the day's last session."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from companion.core.calendar.week import week_sessions
from companion.core.clock import FakeClock
from companion.core.day import Day, OpenReflection, ShowOffer
from companion.core.exercises import Library
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.planner import DayPlan, plan_day
from companion.core.settings import Settings, WeeklySession
from tests.direction_library import direction_library

DAY = date(2024, 6, 10)  # a Monday
DEEP = {"body-scan-10", "body-scan-5", "pmr-7"}


@pytest.fixture
def library() -> Library:
    return direction_library()


def at(h: int, m: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, h, m).astimezone()


def week(*sessions: tuple[str, bool], **settings: object) -> Settings:
    """Settings whose Monday holds `sessions` ("HH:MM", heavy), 50 minutes each."""
    slots = tuple(WeeklySession(weekday=0, start=t, heavy=heavy) for t, heavy in sessions)
    return Settings(week=slots, **settings)  # type: ignore[arg-type]


def plan(settings: Settings, library: Library) -> DayPlan:
    return plan_day(week_sessions(settings, DAY), settings, DAY, library)


def suggestions(p: DayPlan) -> list[tuple[str, str | None]]:
    return [(f"{b.start:%H:%M}", b.exercise) for b in p.breaks]


def test_after_a_heavy_session_the_first_suggestion_is_an_outward_practice(
    library: Library,
) -> None:
    settings = week(("09:00", True), ("10:02", False), ("11:00", True), ("12:30", False))
    p = plan(settings, library)
    assert [b.after_heavy for b in p.breaks] == [True, False, True]
    first = p.breaks[0]  # 09:50-10:01: eleven minutes, room for a body scan
    assert first.exercise is not None
    assert library[first.exercise].direction == "outward", first.exercise
    for b in p.breaks:
        if b.after_heavy:
            assert b.exercise is not None and library[b.exercise].direction == "outward"
            assert b.exercise not in DEEP
    # the same gap after a light session may well be a body scan: the best fit
    light = plan(week(("09:00", False), ("10:02", False)), library)
    assert light.breaks[0].exercise == "body-scan-10"


def test_a_twenty_minute_gap_after_three_heavy_sessions_offers_the_decompression(
    library: Library,
) -> None:
    settings = week(("09:00", True), ("10:00", True), ("11:00", True), ("12:10", False))
    p = plan(settings, library)
    assert [(b.minutes, b.longer) for b in p.breaks] == [(9, False), (9, False), (19, True)]
    assert p.breaks[-1].exercise == "decompression"
    assert "decompression" not in [b.exercise for b in p.breaks[:-1]]


def test_two_heavy_sessions_or_a_shorter_gap_never_bring_the_decompression(
    library: Library,
) -> None:
    two = plan(week(("09:00", False), ("10:00", True), ("11:00", True), ("12:10", False)), library)
    assert not two.breaks[-1].longer
    assert two.breaks[-1].exercise is not None
    assert two.breaks[-1].exercise != "decompression"
    assert library[two.breaks[-1].exercise].direction == "outward"  # still after a heavy one
    short = plan(week(("09:00", True), ("10:00", True), ("11:00", True), ("12:05", False)), library)
    assert short.breaks[-1].longer and short.breaks[-1].minutes == 14
    assert short.breaks[-1].exercise != "decompression"
    # a free afternoon after an ordinary morning: a long gap, no decompression either
    free = plan(week(("09:00", False), ("15:00", False)), library)
    assert [b.exercise for b in free.breaks] != ["decompression"]
    assert all(b.exercise != "decompression" for b in free.breaks)


def test_the_last_offer_of_the_day_is_leave_it_at_the_door(library: Library) -> None:
    settings = week(("09:00", False), ("10:00", False), ("11:00", True), ("13:00", False))
    p = plan(settings, library)
    # between sessions it is never the suggestion
    assert "door" not in [b.exercise for b in p.breaks]
    closing = p.closing
    assert closing is not None and closing.closing
    # from the last session's end until the reflection opens (10 minutes later)
    assert (closing.start, closing.end, closing.exercise) == (at(13, 50), at(14, 0), "door")
    assert p.reflection_at == closing.end
    assert closing not in p.breaks  # the gaps between sessions are as they were


def test_no_closing_offer_without_room_before_the_reflection_or_a_practice_for_it(
    library: Library,
) -> None:
    soon = week(("09:00", False), ("10:00", False), reflection_delay_minutes=2)
    assert plan(soon, library).closing is None  # under the minimum gap: the reflection comes
    no_door = Library([ex for ex in library if ex.use != "end-of-day"])
    assert plan(week(("09:00", False)), no_door).closing is None
    assert plan(week(("09:00", False)), library).closing is not None
    assert plan_day([], Settings(), DAY, library).closing is None
    late = week(("09:00", False), reflection_time="20:00")
    capped = plan(late, library).closing
    assert capped is not None and (capped.start, capped.end) == (at(9, 50), at(10, 5))


def test_the_day_offers_the_closing_window_after_the_last_session_then_the_reflection(
    tmp_path: Path, library: Library
) -> None:
    settings = week(("09:00", False), ("10:00", True))
    clock = FakeClock(at(8, 30))
    journal = Journal(resolve_paths(tmp_path / "d"), clock).open()
    day = Day(
        clock=clock,
        journal=journal,
        settings=settings,
        plan_for=lambda d: plan_day(week_sessions(settings, d), settings, d, library),
    )
    day.replan()
    seen: list[tuple[str, object]] = []
    for _ in range(100):
        for action in day.tick():
            seen.append((f"{clock.now():%H:%M}", action))
        nxt = day.next_wakeup()
        if nxt is None or nxt > at(12, 0):
            break
        clock.advance(max(0.0, (nxt - clock.now()).total_seconds()))
    shown = [(t, a.offer) for t, a in seen if isinstance(a, ShowOffer)]
    assert [(t, o.exercise, o.closing) for t, o in shown][-1] == ("10:50", "door", True)
    assert shown[-1][1].next_session is None
    assert [t for t, a in seen if isinstance(a, OpenReflection)] == ["11:00"]


def test_the_shipped_practices_follow_the_same_direction() -> None:
    """The real library: outward first after a heavy session, the decompression after
    three heavy sessions and twenty minutes, "leave it at the door" at the end."""
    from companion.core.choices import offer_choices
    from companion.core.day import Offer
    from companion.core.exercises import load_library

    shipped = load_library()
    assert not shipped.problems
    heavy_run = week(
        ("09:00", True), ("10:00", True), ("11:00", True), ("12:10", False), ("13:10", False)
    )
    p = plan(heavy_run, shipped)
    assert p.breaks[0].exercise is not None
    assert shipped[p.breaks[0].exercise].direction == "outward"
    assert [b.exercise == "decompression" for b in p.breaks] == [False, False, True, False]
    assert p.closing is not None and p.closing.exercise == "leave-it-at-the-door"
    assert "leave-it-at-the-door" not in [b.exercise for b in p.breaks]
    two = plan(week(("09:00", False), ("10:00", True), ("11:00", True), ("12:10", False)), shipped)
    assert "decompression" not in [b.exercise for b in two.breaks]
    assert two.breaks[-1].exercise is not None
    assert shipped[two.breaks[-1].exercise].direction == "outward"
    # an offer card after a heavy session with twelve minutes: outward first, and the
    # body scan or PMR still there to choose
    start = at(10, 0)
    card = offer_choices(
        shipped,
        Offer("k", start, at(10, 12), None, True, False, at(10, 13)),
        start,
    )
    assert card.suggestion is not None
    assert shipped[card.suggestion.id].direction == "outward"
    assert shipped[card.others[-1].id].kind in ("body-scan", "pmr")
