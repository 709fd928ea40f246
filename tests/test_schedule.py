"""Sessions from the standing week and from calendar sources, with the offline cache."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from companion.core.calendar import cache as calcache
from companion.core.calendar import ical, report
from companion.core.calendar.session import Session, local_zone_name, merge_overlapping
from companion.core.calendar.sources import sessions_for
from companion.core.calendar.week import week_sessions
from companion.core.clock import FakeClock
from companion.core.files import mode_of
from companion.core.paths import Paths, resolve_paths
from companion.core.settings import CalendarSource, OneOff, Settings, WeeklySession


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    ical.clear_cache()
    return resolve_paths().ensure()


def at(d: date, h: int, m: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, h, m).astimezone()


def hm(sessions: list[Session]) -> list[str]:
    return [f"{s.start:%H:%M}-{s.end:%H:%M}" for s in sessions]


# --- Session ------------------------------------------------------------------------------


def test_a_session_is_aware_and_ends_after_it_starts() -> None:
    d = date(2024, 6, 10)
    with pytest.raises(ValueError, match="aware"):
        Session(datetime(2024, 6, 10, 9), datetime(2024, 6, 10, 10))
    with pytest.raises(ValueError, match="end after"):
        Session(at(d, 10), at(d, 9))


def test_overlapping_and_touching_sessions_merge_for_gaps() -> None:
    d = date(2024, 6, 10)
    merged = merge_overlapping(
        [
            Session(at(d, 9), at(d, 9, 50)),
            Session(at(d, 9, 30), at(d, 10, 20), heavy=True),
            Session(at(d, 10, 20), at(d, 11)),
            Session(at(d, 13), at(d, 13, 50)),
        ]
    )
    assert [(f"{s.start:%H:%M}-{s.end:%H:%M}", s.heavy) for s in merged] == [
        ("09:00-11:00", True),
        ("13:00-13:50", False),
    ]


# --- the standing week ---------------------------------------------------------------------


def test_the_default_week() -> None:
    monday = date(2024, 6, 10)
    assert hm(week_sessions(Settings(), monday)) == [
        "09:00-09:50",
        "10:00-10:50",
        "11:00-11:50",
        "13:00-13:50",
        "14:00-14:50",
        "15:00-15:50",
        "16:00-16:50",
    ]
    assert week_sessions(Settings(), date(2024, 6, 15)) == []  # Saturday
    assert len(week_sessions(Settings(), monday, 7)) == 35


def test_one_offs_cancel_and_add() -> None:
    monday = date(2024, 6, 10)
    settings = Settings(
        one_offs=(
            OneOff(date="2024-06-10", start="10:00", cancel=True),
            OneOff(date="2024-06-10", start="17:30", minutes=45, heavy=True),
            OneOff(date="2024-06-11", start="09:00", cancel=True),
        )
    )
    got = week_sessions(settings, monday)
    assert "10:00-10:50" not in hm(got)
    assert got[-1].start.strftime("%H:%M") == "17:30" and got[-1].heavy and got[-1].minutes == 45
    assert hm(week_sessions(settings, monday + timedelta(days=1)))[0] == "10:00-10:50"


@pytest.mark.parametrize(
    ("day", "offset_before", "offset_after"),
    [(date(2024, 3, 10), -5, -4), (date(2024, 11, 3), -4, -5)],
    ids=["spring-forward", "fall-back"],
)
def test_daylight_saving_days_keep_wall_times(
    local_tz: Callable[[str], None], day: date, offset_before: int, offset_after: int
) -> None:
    local_tz("America/New_York")
    settings = Settings(
        week=(
            WeeklySession(weekday=6, start="01:30", minutes=60),  # across the change
            WeeklySession(weekday=6, start="09:00", minutes=50),
        )
    )
    early, nine = week_sessions(settings, day)
    assert (nine.start.hour, nine.start.minute, nine.minutes) == (9, 0, 50)
    assert nine.start.utcoffset() == timedelta(hours=offset_after)
    assert early.minutes == 60  # an hour of real time, whatever the clocks do
    saturday = week_sessions(Settings(week=(WeeklySession(5, "09:00"),)), day - timedelta(days=1))
    assert saturday[0].start.utcoffset() == timedelta(hours=offset_before)
    assert saturday[0].start.hour == 9


def test_a_session_across_midnight_belongs_to_both_days() -> None:
    settings = Settings(week=(WeeklySession(weekday=0, start="23:30", minutes=50),))
    monday = date(2024, 6, 10)
    assert hm(week_sessions(settings, monday)) == ["23:30-00:20"]
    assert hm(week_sessions(settings, monday + timedelta(days=1))) == ["23:30-00:20"]
    assert week_sessions(settings, monday + timedelta(days=2)) == []


def test_zone_name(local_tz: Callable[[str], None]) -> None:
    local_tz("America/New_York")
    assert local_zone_name(at(date(2024, 6, 10), 9)) == "America/New_York"
    local_tz("EST+5")  # a POSIX rule, not an IANA name: the abbreviation
    assert local_zone_name(at(date(2024, 6, 10), 9)) == "EST"


# --- calendar sources and the cache ----------------------------------------------------------

MARKER = "ZQX-CLIENT-NAME"


def write_feed(path: Path, day: date, hours: list[int]) -> None:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0"]
    for h in hours:
        start = at(day, h).astimezone()
        end = start + timedelta(minutes=50)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{day}-{h}",
            f"DTSTART:{start:%Y%m%dT%H%M%S}",
            f"DTEND:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{MARKER} session",
            f"DESCRIPTION:{MARKER} notes",
            f"LOCATION:{MARKER} room",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def calendar_settings(path: Path) -> Settings:
    return Settings(
        schedule_source="calendar",
        calendars=(CalendarSource(id="c1", kind="file", path=str(path)),),
    )


def test_a_refresh_caches_14_days_and_a_broken_source_falls_back(
    tmp_path: Path, paths: Paths
) -> None:
    today = date(2024, 6, 10)
    clock = FakeClock(at(today, 8))
    feed = tmp_path / "work.ics"
    write_feed(feed, today + timedelta(days=3), [9, 11])
    settings = calendar_settings(feed)

    got = sessions_for(settings, today + timedelta(days=3), paths=paths, clock=clock)
    assert got.ok and hm(list(got.sessions)) == ["09:00-09:50", "11:00-11:50"]
    assert mode_of(paths.calendar_cache) == 0o600
    cache = json.loads(paths.calendar_cache.read_text())
    entry = cache["sources"]["c1"]
    # 14 days from today, and the day before (a break across midnight needs it)
    assert entry["first_day"] == "2024-06-09" and entry["days"] == 15 and entry["error"] is None
    assert len(entry["sessions"]) == 2 and set(map(len, entry["sessions"])) == {3}

    feed.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n")  # cut off
    clock.advance(900)
    got = sessions_for(settings, today + timedelta(days=3), paths=paths, clock=clock)
    assert hm(list(got.sessions)) == ["09:00-09:50", "11:00-11:50"]
    assert got.from_cache == (str(feed),)
    (problem,) = got.problems
    assert problem.startswith(f"{feed}: the calendar is cut off")
    assert "using the sessions cached 2024-06-10 08:00" in problem
    assert calcache.last_errors(paths.calendar_cache) == {"c1": problem.split("; using")[0]}

    rows = report.doctor_report(paths, settings)
    assert [ok for ok, _detail, _fix in rows] == [False]
    assert "cut off" in rows[0][1] and "2 sessions cached" in rows[0][2]

    # A day the cache does not cover: the problem, and no invented free day.
    got = sessions_for(settings, today + timedelta(days=20), paths=paths, clock=clock)
    assert got.sessions == () and got.from_cache == ()
    assert got.problems and "cut off" in got.problems[0]

    # Fixed again: fresh sessions, the error is cleared.
    write_feed(feed, today + timedelta(days=3), [10])
    got = sessions_for(settings, today + timedelta(days=3), paths=paths, clock=clock)
    assert got.ok and hm(list(got.sessions)) == ["10:00-10:50"]
    assert calcache.last_errors(paths.calendar_cache) == {}
    assert report.doctor_report(paths, settings)[0][0] is True


def test_offline_planning_reads_only_the_cache(tmp_path: Path, paths: Paths) -> None:
    today = date(2024, 6, 10)
    clock = FakeClock(at(today, 8))
    feed = tmp_path / "work.ics"
    write_feed(feed, today, [9])
    settings = calendar_settings(feed)
    sessions_for(settings, today, paths=paths, clock=clock)
    feed.unlink()
    got = sessions_for(settings, today, paths=paths, clock=clock, refresh=False)
    assert got.ok and hm(list(got.sessions)) == ["09:00-09:50"]
    assert calcache.last_errors(paths.calendar_cache) == {}  # nothing was tried


def test_the_cache_holds_no_event_text_and_survives_damage(tmp_path: Path, paths: Paths) -> None:
    today = date(2024, 6, 10)
    clock = FakeClock(at(today, 8))
    feed = tmp_path / "work.ics"
    write_feed(feed, today, [9, 10])
    settings = calendar_settings(feed).with_changes(heavy_keywords=("notes",))
    got = sessions_for(settings, today, paths=paths, clock=clock)
    assert all(s.heavy for s in got.sessions)  # the keyword was read in memory ...
    for path in paths.data.rglob("*"):
        if path.is_file():
            assert MARKER.encode() not in path.read_bytes(), path  # ... and kept nowhere
    paths.calendar_cache.write_text("{not json")
    assert calcache.load(paths.calendar_cache) == {}
    feed.unlink()
    got = sessions_for(settings, today, paths=paths, clock=clock)
    assert got.sessions == () and "file not found" in got.problems[0]


def test_removed_sources_are_pruned_and_week_mode_ignores_calendars(
    tmp_path: Path, paths: Paths
) -> None:
    today = date(2024, 6, 10)
    clock = FakeClock(at(today, 8))
    feed = tmp_path / "a.ics"
    write_feed(feed, today, [9])
    sessions_for(calendar_settings(feed), today, paths=paths, clock=clock)
    other = Settings(
        schedule_source="calendar",
        calendars=(CalendarSource(id="c2", kind="file", path=str(feed)),),
    )
    sessions_for(other, today, paths=paths, clock=clock)
    assert set(calcache.load(paths.calendar_cache)) == {"c2"}
    week = sessions_for(Settings(), today, paths=paths, clock=clock)
    assert len(week.sessions) == 7 and week.ok
    assert report.doctor_report(paths, Settings())[0][0] is True


def test_a_pipe_or_device_given_as_calendar_is_refused_not_read(tmp_path: Path) -> None:
    """Reading a FIFO would block the calendar worker forever, and quitting with it."""
    import os

    from companion.core.calendar.errors import CalendarError
    from companion.core.calendar.sources import read_file

    fifo = tmp_path / "feed.ics"
    os.mkfifo(fifo)
    with pytest.raises(CalendarError, match=r"feed\.ics: not a regular file"):
        read_file(fifo, "feed.ics")
