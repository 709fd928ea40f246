"""Break windows, suggested practices and the reflection time for a day."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from companion.core.calendar.session import Session
from companion.core.calendar.week import week_sessions
from companion.core.exercises import Library, load_library
from companion.core.planner import PRACTICE_MARGIN, BreakWindow, plan_day
from companion.core.settings import OneOff, Settings

DAY = date(2024, 6, 10)  # a Monday


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def at(h: int, m: int = 0, d: date = DAY) -> datetime:
    return datetime(d.year, d.month, d.day, h, m).astimezone()


def s(h: int, m: int, minutes: int = 50, heavy: bool = False, d: date = DAY) -> Session:
    start = at(h, m, d)
    return Session(start, (start + timedelta(minutes=minutes)).astimezone(), heavy)


def windows(breaks: tuple[BreakWindow, ...]) -> list[str]:
    return [f"{b.start:%H:%M}-{b.end:%H:%M} {b.minutes}" for b in breaks]


def test_windows_between_sessions_with_grace_and_wrapup(library: Library) -> None:
    sessions = [s(9, 0), s(10, 0), s(11, 0), s(13, 0)]
    plan = plan_day(sessions, Settings(), DAY, library)
    assert windows(plan.breaks) == ["09:50-09:59 9", "10:50-10:59 9", "11:50-12:59 69"]
    assert all(b.exercise in library for b in plan.breaks)
    graced = plan_day(sessions, Settings(grace_minutes=3, wrapup_minutes=2), DAY, library)
    assert windows(graced.breaks)[0] == "09:53-09:58 5"


def test_back_to_back_overlapping_and_short_gaps_give_no_window(library: Library) -> None:
    sessions = [
        s(9, 0),
        s(9, 50),  # back to back with the first
        s(10, 30, 60),  # overlaps the one before; the block runs to 11:30
        s(11, 0, 20),  # inside the one before
        s(11, 34),  # window 11:30-11:33: 3 minutes, under the minimum of 4
        s(12, 29),  # window 12:24-12:28: exactly the minimum
    ]
    plan = plan_day(sessions, Settings(), DAY, library)
    assert windows(plan.breaks) == ["12:24-12:28 4"]
    assert len(plan.sessions) == 6  # the plan still lists every session


def test_the_practice_ends_a_minute_before_the_next_session_even_with_no_wrapup(
    library: Library,
) -> None:
    sessions = [s(9, 0), s(9, 55)]  # five minutes between
    plan = plan_day(sessions, Settings(wrapup_minutes=0), DAY, library)
    (window,) = plan.breaks
    assert window.end == at(9, 55) and window.minutes == 5
    assert window.exercise is not None
    fitted = library[window.exercise]
    from companion.core.exercises import fit

    chosen = fit(fitted, (at(9, 55) - PRACTICE_MARGIN - at(9, 50)).total_seconds())
    assert chosen is not None
    assert at(9, 50) + timedelta(seconds=chosen.total_seconds) <= at(9, 55) - PRACTICE_MARGIN
    # A window where no practice fits is still a window, with no suggestion.
    bare = plan_day(sessions, Settings(wrapup_minutes=0), DAY, Library([]))
    assert [(b.minutes, b.exercise) for b in bare.breaks] == [(5, None)]


def test_heavy_sessions_change_the_suggestion_and_three_in_a_row_are_marked(
    library: Library,
) -> None:
    sessions = [
        s(9, 0, heavy=True),
        s(10, 0, heavy=True),
        s(11, 0, heavy=True),
        s(12, 0),
        s(13, 0),
    ]
    plan = plan_day(sessions, Settings(), DAY, library)
    flags = [(b.after_heavy, b.longer) for b in plan.breaks]
    assert flags == [(True, False), (True, False), (True, True), (False, False)]
    light = plan_day([x for x in sessions if not x.heavy] + [s(14, 0)], Settings(), DAY, library)
    assert not any(b.after_heavy or b.longer for b in light.breaks)
    # After a heavy session the suggestion is the after-heavy choice for the window: never
    # the body scan or PMR (issue 12: outward first), which an ordinary gap may suggest.
    from companion.core.exercises import choose_for_window

    differs = 0
    for gap in range(10, 60):
        after = [s(9, 0, heavy=True), s(10, gap - 10)]
        before = [s(9, 0), s(10, gap - 10)]
        seconds = (gap - 1) * 60.0  # wrap-up 1 minute
        heavy_pick = plan_day(after, Settings(), DAY, library).breaks[0].exercise
        light_pick = plan_day(before, Settings(), DAY, library).breaks[0].exercise
        assert heavy_pick == choose_for_window(library, seconds, after_heavy=True)[0].id
        assert light_pick == choose_for_window(library, seconds)[0].id
        assert heavy_pick is not None
        assert library[heavy_pick].kind not in ("body-scan", "pmr"), gap
        differs += heavy_pick != light_pick
    assert differs > 0


def test_favourites_come_first(library: Library) -> None:
    favourite = sorted(e.id for e in library if e.total_seconds <= 4 * 60)[0]
    plan = plan_day([s(9, 0), s(10, 0)], Settings(favourite_practices=(favourite,)), DAY, library)
    assert plan.breaks[0].exercise == favourite


def test_reflection_time() -> None:
    sessions = [s(9, 0), s(16, 0)]
    assert plan_day(sessions, Settings(), DAY, None).reflection_at == at(17, 0)
    fixed = Settings(reflection_time="18:30")
    assert plan_day(sessions, fixed, DAY, None).reflection_at == at(18, 30)
    # A fixed time before the day's last session ends never opens during it.
    late = [s(9, 0), s(18, 0)]
    assert plan_day(late, fixed, DAY, None).reflection_at == at(19, 0)


def test_an_empty_day(library: Library) -> None:
    plan = plan_day([], Settings(), DAY, library)
    assert plan.sessions == () and plan.breaks == () and plan.reflection_at is None
    wanted = Settings(reflection_on_free_days=True)
    assert plan_day([], wanted, DAY, library).reflection_at == at(18, 30)  # end of working hours
    wanted_at = Settings(reflection_on_free_days=True, reflection_time="17:15")
    assert plan_day([], wanted_at, DAY, library).reflection_at == at(17, 15)
    one = plan_day([s(9, 0)], Settings(), DAY, library)
    assert one.breaks == () and one.reflection_at == at(10, 0)


def test_a_session_across_midnight(library: Library) -> None:
    tuesday = DAY + timedelta(days=1)
    sessions = [s(22, 0), s(23, 30), s(0, 40, d=tuesday), s(9, 0, d=tuesday)]
    monday = plan_day(sessions, Settings(), DAY, library)
    assert windows(monday.breaks) == ["22:50-23:29 39"]
    assert monday.reflection_at == at(0, 30, tuesday)  # after the last session that starts Monday
    plan = plan_day(sessions, Settings(), tuesday, library)
    assert [f"{x.start:%H:%M}" for x in plan.sessions] == ["23:30", "00:40", "09:00"]
    assert windows(plan.breaks)[0] == "00:20-00:39 19"
    assert plan.reflection_at == at(10, 0, tuesday)


def test_daylight_saving_day(local_tz: Callable[[str], None], library: Library) -> None:
    local_tz("Europe/Berlin")
    change = date(2024, 3, 31)  # a Sunday, 02:00 -> 03:00
    settings = Settings(
        week=tuple(w for w in Settings().week if w.weekday == 0),  # Monday's sessions...
        one_offs=(
            OneOff(date="2024-03-31", start="01:30"),
            OneOff(date="2024-03-31", start="03:30"),
        ),
    )
    plan = plan_day(week_sessions(settings, change), settings, change, library)
    (window,) = plan.breaks
    # 01:30 + 50 min of real time is 03:20 summer time; the window runs to 03:29.
    assert windows(plan.breaks) == ["03:20-03:29 9"]
    assert window.start.utcoffset() == timedelta(hours=2)


def test_a_simulated_month_never_puts_a_window_inside_a_session(
    local_tz: Callable[[str], None], library: Library
) -> None:
    local_tz("America/New_York")
    rng = random.Random(5)
    first = date(2024, 10, 20)  # spans the November change
    sessions: list[Session] = []
    for offset in range(35):
        d = first + timedelta(days=offset)
        t = at(7, rng.choice((0, 15, 30)), d)
        for _ in range(rng.randint(0, 9)):
            length = rng.choice((30, 45, 50, 60, 90))
            sessions.append(
                Session(t, (t + timedelta(minutes=length)).astimezone(), rng.random() < 0.3)
            )
            if length == 90 and rng.random() < 0.5:  # a short call inside a long block
                inner = (t + timedelta(minutes=20)).astimezone()
                sessions.append(Session(inner, (inner + timedelta(minutes=15)).astimezone()))
            t = (
                t + timedelta(minutes=length + rng.choice((-20, 0, 0, 3, 4, 5, 10, 15, 60)))
            ).astimezone()
        if rng.random() < 0.2:  # a late one across midnight
            late = at(23, 30, d)
            sessions.append(Session(late, (late + timedelta(minutes=50)).astimezone()))
    settings = Settings(grace_minutes=1)
    seen = 0
    for offset in range(35):
        d = first + timedelta(days=offset)
        plan = plan_day(sessions, settings, d, library)
        for b in plan.breaks:
            seen += 1
            assert b.end - b.start >= timedelta(minutes=settings.min_gap_minutes)
            assert (
                b.start.date() == d or b.carried or any(x.start.date() < d for x in plan.sessions)
            )
            for x in sessions:
                assert not (x.start < b.end and b.start < x.end), (d, b, x)
            nxt = min(x.start for x in sessions if x.start >= b.end)
            if b.exercise is not None:
                practice = library[b.exercise]
                from companion.core.exercises import fit

                fitted = fit(
                    practice, (min(b.end, nxt - PRACTICE_MARGIN) - b.start).total_seconds()
                )
                assert fitted is not None
                assert b.start + timedelta(seconds=fitted.total_seconds) <= nxt - PRACTICE_MARGIN
        if plan.reflection_at is not None:
            for x in sessions:
                assert not (x.start <= plan.reflection_at < x.end)
    assert seen > 60


def test_the_day_varies_its_suggestions(library: Library) -> None:
    """Six alike gaps should not all suggest the same practice: no two in a row repeat."""
    plan = plan_day(week_sessions(Settings(), DAY), Settings(), DAY, library)
    suggested = [b.exercise for b in plan.breaks]
    assert len(suggested) == 6 and all(suggested)
    assert all(a != b for a, b in itertools.pairwise(suggested))
    assert len(set(suggested)) >= 3


# --- a break that crosses midnight (issue 13, item 8) ----------------------------------------


def test_a_break_across_midnight_is_planned_on_the_day_it_starts(library: Library) -> None:
    """A session ending 23:30 and the next at 00:30: the gap is offered on the day it
    starts, and the day after lists the same window (same start), marked `carried`."""
    tuesday = DAY + timedelta(days=1)
    sessions = [s(21, 40), s(22, 40), s(0, 30, d=tuesday), s(9, 0, d=tuesday)]
    monday = plan_day(sessions, Settings(), DAY, library)
    assert windows(monday.breaks) == ["22:30-22:39 9", "23:30-00:29 59"]
    late = monday.breaks[-1]
    assert not late.carried and late.next_start == at(0, 30, tuesday)
    assert late.exercise in library
    # The session after it is Tuesday's: Monday's own sessions stay Monday's.
    assert [f"{x.start:%H:%M}" for x in monday.sessions] == ["21:40", "22:40"]

    after = plan_day(sessions, Settings(), tuesday, library)
    carried, *rest = after.breaks
    assert (carried.start, carried.end, carried.carried) == (late.start, late.end, True)
    assert windows(tuple(rest)) == ["01:20-08:59 459"]  # Tuesday's own, as before
    assert not any(b.carried for b in rest)


def test_a_night_between_sessions_is_no_break(library: Library) -> None:
    """A gap across midnight longer than NIGHT_GAP is the night, on either side."""
    from companion.core.planner import NIGHT_GAP

    tuesday = DAY + timedelta(days=1)
    sessions = [s(20, 0), s(23, 20, 10), s(2, 31, d=tuesday)]  # 23:30 -> 02:31
    gap = sessions[2].start - sessions[1].end
    assert gap > NIGHT_GAP
    assert windows(plan_day(sessions, Settings(), DAY, library).breaks) == ["20:50-23:19 149"]
    assert plan_day(sessions, Settings(), tuesday, library).breaks == ()
    evening = [s(17, 0), s(8, 0, d=tuesday)]  # an ordinary evening and morning
    assert plan_day(evening, Settings(), DAY, library).breaks == ()
    assert plan_day(evening, Settings(), tuesday, library).breaks == ()


def test_a_window_after_midnight_from_a_session_before_it_is_the_next_days(
    library: Library,
) -> None:
    """With grace, a session ending 23:58 opens its window after midnight: it is
    Tuesday's own window (offered then), not Monday's."""
    tuesday = DAY + timedelta(days=1)
    sessions = [s(23, 8), s(0, 40, d=tuesday)]  # ends 23:58
    settings = Settings(grace_minutes=5)
    assert plan_day(sessions, settings, DAY, library).breaks == ()
    (own,) = plan_day(sessions, settings, tuesday, library).breaks
    assert windows((own,)) == ["00:03-00:39 36"] and not own.carried


def test_a_heavy_run_does_not_last_through_the_night(library: Library) -> None:
    monday = [s(15, 0, heavy=True), s(16, 0, heavy=True), s(17, 0, heavy=True)]
    tuesday = DAY + timedelta(days=1)
    next_day = [s(9, 0, heavy=True, d=tuesday), s(10, 0, d=tuesday)]
    plan = plan_day(monday + next_day, Settings(), tuesday, library)
    assert [b.longer for b in plan.breaks] == [False]
    across = [*monday, s(23, 0, heavy=True), s(0, 20, heavy=True, d=tuesday), s(1, 20, d=tuesday)]
    night = plan_day(across, Settings(), tuesday, library)
    assert [(b.carried, b.longer) for b in night.breaks] == [(True, True), (False, True)]
