"""The quick week of the welcome window: days, first and last start at any minute, session
length and spacing, a gap such as lunch, and days that differ, as the standing week's
sessions; odd choices refused with one line; and a saved week read back as a quick week."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, datetime, time

import pytest

from companion import i18n
from companion.core.calendar.session import local_at
from companion.core.calendar.week import week_sessions
from companion.core.planner import plan_day
from companion.core.quick_week import (
    Gap,
    QuickWeek,
    QuickWeekError,
    build,
    coming_day,
    day_starts,
    days_that_differ,
    from_week,
    practice_minutes,
    sessions_on,
    typical_gap,
)
from companion.core.settings import Settings, WeeklySession, default_week

MON_THU = frozenset({0, 1, 2, 3})
#: The issue's example: a clinician whose sessions start at a quarter past.
QUARTER_PAST = QuickWeek(
    days=MON_THU, first="09:15", last="16:15", minutes=50, every=60, gap=Gap("12:15", "13:15")
)
EXPECTED = ("09:15", "10:15", "11:15", "13:15", "14:15", "15:15", "16:15")


@pytest.fixture(autouse=True)
def _plain_times() -> Iterator[None]:
    """Messages write times as HH:MM here, whatever another test installed."""
    i18n.set_time_format(None)
    yield
    i18n.set_time_format(None)


def test_a_quarter_past_week_gives_exactly_those_starts() -> None:
    week = build(QUARTER_PAST)
    assert day_starts(QUARTER_PAST) == EXPECTED
    for day in range(4):
        assert tuple(s.start for s in sessions_on(week, day)) == EXPECTED
    for day in (4, 5, 6):
        assert sessions_on(week, day) == ()
    assert {s.minutes for s in week} == {50}
    assert not any(s.heavy for s in week)
    assert len(week) == 4 * 7
    assert list(week) == sorted(week, key=lambda s: (s.weekday, s.start))


def test_after_the_gap_sessions_start_again_at_its_end() -> None:
    """Back from lunch at 12:45: the next session is at 12:45, then every hour."""
    spec = QuickWeek(first="09:00", last="15:45", gap=Gap("12:00", "12:45"))
    assert day_starts(spec) == ("09:00", "10:00", "11:00", "12:45", "13:45", "14:45", "15:45")


def test_a_session_that_would_run_into_the_gap_is_left_out() -> None:
    spec = QuickWeek(first="09:15", last="16:00", minutes=50, gap=Gap("12:00", "13:00"))
    # 11:15 would end at 12:05, inside the lunch that begins at 12:00.
    assert day_starts(spec) == ("09:15", "10:15", "13:00", "14:00", "15:00", "16:00")


def test_without_a_gap_and_with_any_spacing() -> None:
    spec = QuickWeek(first="08:40", last="12:10", minutes=45, every=70, gap=None)
    assert day_starts(spec) == ("08:40", "09:50", "11:00", "12:10")
    assert day_starts(dataclasses.replace(spec, last="08:40")) == ("08:40",)
    back_to_back = QuickWeek(first="09:00", last="11:00", minutes=60, every=60, gap=None)
    assert day_starts(back_to_back) == ("09:00", "10:00", "11:00")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"last": "09:00"}, "last", "before the first"),
        ({"gap": Gap("18:00", "19:00")}, "gap", "outside the day"),
        ({"gap": Gap("07:00", "08:00")}, "gap", "outside the day"),
        ({"gap": Gap("09:30", "10:30")}, "gap", "outside the day"),  # the first session runs in
        ({"gap": Gap("13:15", "12:15")}, "gap", "ends before it starts"),
        ({"minutes": 70}, "minutes", "would overlap"),
        ({"last": "16:00"}, "last", "No session starts at 16:00"),
        ({"last": "23:15", "gap": None}, "last", "after midnight"),
        ({"first": "9.15"}, "first", "not a time"),
        ({"minutes": 2}, "minutes", "not allowed"),
        ({"every": 0}, "every", "not allowed"),
    ],
)
def test_odd_choices_are_refused_with_one_line(
    change: dict[str, object], field: str, words: str
) -> None:
    spec = dataclasses.replace(QUARTER_PAST, **change)  # type: ignore[arg-type]
    with pytest.raises(QuickWeekError) as caught:
        build(spec)
    assert caught.value.field == field
    message = str(caught.value)
    assert words in message
    assert "\n" not in message


def test_the_refusal_names_the_starts_that_would_work() -> None:
    with pytest.raises(QuickWeekError) as caught:
        day_starts(dataclasses.replace(QUARTER_PAST, last="16:00"))
    assert "15:15" in str(caught.value)
    assert "16:15" in str(caught.value)


def test_no_day_at_all_and_too_many_sessions_are_refused() -> None:
    with pytest.raises(QuickWeekError) as caught:
        build(dataclasses.replace(QUARTER_PAST, days=frozenset()))
    assert caught.value.field == "days"
    dense = QuickWeek(days=frozenset(range(7)), first="06:00", last="21:00", minutes=5, every=5)
    with pytest.raises(QuickWeekError) as caught:
        build(dataclasses.replace(dense, gap=None))
    assert caught.value.field == "every"


def test_days_that_differ_are_kept_as_set_by_hand() -> None:
    friday = (WeeklySession(4, "10:00", 90, heavy=True),)
    week = build(QUARTER_PAST, {4: friday, 1: ()})
    assert sessions_on(week, 4) == friday
    assert sessions_on(week, 1) == ()  # Tuesday set by hand to no sessions
    assert tuple(s.start for s in sessions_on(week, 0)) == EXPECTED
    # A day set by hand is taken as given even when the quick week cannot be meant, as
    # long as the quick week is not needed for any other day.
    broken = dataclasses.replace(QUARTER_PAST, days=frozenset({4}), minutes=90)
    assert build(broken, {4: friday}) == friday
    with pytest.raises(QuickWeekError):
        build(dataclasses.replace(broken, days=frozenset({3, 4})), {4: friday})


@pytest.mark.parametrize(
    "week",
    [
        default_week(),
        build(QUARTER_PAST),
        build(QUARTER_PAST, {4: (WeeklySession(4, "10:00", 90),)}),
        build(QUARTER_PAST, {2: (WeeklySession(2, "09:15", 50, heavy=True),)}),
        (WeeklySession(0, "09:00"), WeeklySession(0, "10:30"), WeeklySession(0, "11:00")),
        (WeeklySession(5, "10:00", 120),),
    ],
)
def test_a_saved_week_reads_back_as_a_quick_week_and_days_that_differ(
    week: tuple[WeeklySession, ...],
) -> None:
    spec, own = from_week(week)
    assert build(spec, own) == tuple(sorted(week, key=lambda s: (s.weekday, s.start)))


def test_reading_back_finds_the_quick_week_most_days_share() -> None:
    assert from_week(default_week()) == (QuickWeek(), {})
    assert from_week(build(QUARTER_PAST)) == (QUARTER_PAST, {})
    friday = (WeeklySession(4, "10:00", 90),)
    spec, own = from_week(build(QUARTER_PAST, {4: friday}))
    assert spec == QUARTER_PAST
    assert own == {4: friday}
    uneven = (WeeklySession(0, "09:00"), WeeklySession(0, "10:30"), WeeklySession(0, "11:00"))
    spec, own = from_week(uneven)
    assert spec.days == frozenset()
    assert own == {0: uneven}
    assert from_week(()) == (QuickWeek(), {})


def test_days_that_differ_from_what_the_quick_week_made() -> None:
    made = build(QUARTER_PAST)
    edited = [s for s in made if not (s.weekday == 2 and s.start == "16:15")]
    edited.append(WeeklySession(5, "10:00"))
    differ = days_that_differ(edited, made)
    assert set(differ) == {2, 5}
    assert differ[5] == (WeeklySession(5, "10:00"),)
    assert build(QUARTER_PAST, differ) == tuple(sorted(edited, key=lambda s: (s.weekday, s.start)))


def test_time_for_notes_leaves_what_the_planner_leaves() -> None:
    settings = Settings(grace_minutes=5, wrapup_minutes=1, min_gap_minutes=4)
    assert typical_gap(QUARTER_PAST) == 10
    assert practice_minutes(10, settings) == 4
    assert practice_minutes(10, settings.with_changes(grace_minutes=6)) == 0
    assert practice_minutes(60, settings) == 54
    # The same as the planner's break after a 50-minute session with 10 minutes to spare.
    week = Settings(week=build(QUARTER_PAST), grace_minutes=5)
    day = date(2026, 11, 23)  # a Monday
    plan = plan_day(week_sessions(week, day), week, day, None)
    first = plan.breaks[0]
    assert (first.start.time(), first.end.time()) == (time(10, 10), time(10, 14))
    assert first.minutes == 4


def test_the_coming_day_is_the_next_day_with_a_session_still_to_start() -> None:
    settings = Settings(week=build(QUARTER_PAST))
    monday = date(2026, 11, 23)
    sessions = week_sessions(settings, monday, 8)
    at = lambda d, h, m: local_at(d, time(h, m))  # noqa: E731
    assert coming_day(sessions, at(monday, 8, 0)) == monday
    assert coming_day(sessions, at(monday, 16, 20)) == date(2026, 11, 24)
    thursday = date(2026, 11, 26)
    assert coming_day(sessions, at(thursday, 17, 0)) == date(2026, 11, 30)  # next Monday
    assert coming_day([], datetime(2026, 11, 23, 8, 0).astimezone()) is None
