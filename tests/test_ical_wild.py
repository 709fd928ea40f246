"""Calendars from the wild (issue 13, items 4-7): each failure has a minimal feed here.

Every feed is generated in the test. Each failed on the code before: a Windows zone name
or an empty value in X-WR-TIMEZONE, a TZID padded with NUL bytes (Outlook Web), one
event whose zone cannot be resolved (which blanked the days around it, or every day for
a series), and a timed series whose UNTIL is a bare date (which lost its last day).

Every event carries a marker in its SUMMARY, DESCRIPTION and LOCATION; no line, log,
doctor row or cache may ever hold it, nor the name of a zone that could not be resolved.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from companion.cli import main
from companion.core.calendar import ical, report
from companion.core.calendar.errors import CalendarError
from companion.core.calendar.ical import Reading, read_sessions
from companion.core.calendar.sources import sessions_for
from companion.core.clock import FakeClock
from companion.core.paths import Paths, resolve_paths
from companion.core.settings import CalendarSource, Settings, save_settings

MARK = "CLIENT-WILLOWBROOK-4417"
#: A zone name nobody knows, itself a marker: it must never be repeated either.
NOWHERE = "Willowbrook Practice Zone 4417"
BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2024, 3, 11)  # a Monday, before the change to summer time (31 March)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    ical.clear_cache()
    yield
    ical.clear_cache()


def feed(*blocks: str, header: tuple[str, ...] = ()) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//wild//EN", *header, *blocks]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def event(*lines: str, uid: str = "e1") -> str:
    text = [f"SUMMARY:{MARK} (intake)", f"DESCRIPTION:Notes on {MARK}", f"LOCATION:{MARK} Rd 5"]
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}@wild", *lines, *text, "END:VEVENT"])


def windows_zone(tzid: str) -> str:
    """A VTIMEZONE for W. Europe Standard Time as Outlook writes it, under `tzid`."""
    return "\r\n".join(
        [
            "BEGIN:VTIMEZONE",
            f"TZID:{tzid}",
            "BEGIN:STANDARD",
            "DTSTART:16010101T030000",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
            "END:STANDARD",
            "BEGIN:DAYLIGHT",
            "DTSTART:16010101T020000",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
            "END:DAYLIGHT",
            "END:VTIMEZONE",
        ]
    )


def read(data: bytes, day: date = DAY, days: int = 1, name: str = "wild.ics") -> Reading:
    return read_sessions(data, name, day, days)


def starts(reading: Reading, zone: ZoneInfo = BERLIN) -> list[str]:
    return [s.start.astimezone(zone).strftime("%m-%d %H:%M %z") for s in reading.sessions]


def no_secrets(*texts: str) -> None:
    for text in texts:
        assert MARK not in text and "Willowbrook" not in text and "4417" not in text, text


# --- 4. X-WR-TIMEZONE: a Windows name, or nothing ---------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "W. Europe Standard Time",
        '"W. Europe Standard Time"',
        "W. Europe Standard Time\0\0\0\0",
        "  W. Europe Standard Time ",
    ],
    ids=["plain", "quoted", "nul-padded", "spaced"],
)
def test_a_windows_zone_name_in_x_wr_timezone_is_mapped_like_a_tzid(
    local_tz: Callable[[str], None], value: str
) -> None:
    """Was: "line 5: unknown time zone", blaming an event. Now the header means Berlin:
    a series written in UTC keeps its wall time across the change to summer time (it
    would slide to 10:00 if the header were only ignored)."""
    local_tz("Europe/Berlin")
    data = feed(
        event("DTSTART:20240311T070000Z", "DTEND:20240311T075000Z", uid="one-off"),
        event("DTSTART:20240304T090000Z", "DTEND:20240304T095000Z", "RRULE:FREQ=WEEKLY"),
        header=(f"X-WR-TIMEZONE:{value}",),
    )
    assert starts(read(data)) == ["03-11 08:00 +0100", "03-11 10:00 +0100"]
    assert starts(read(data, date(2024, 4, 1))) == ["04-01 10:00 +0200"]


@pytest.mark.parametrize("value", ["", " ", "\0\0"], ids=["empty", "space", "nul"])
def test_an_empty_x_wr_timezone_is_ignored(local_tz: Callable[[str], None], value: str) -> None:
    """Was: "an event could not be read (ValueError)". Now the events are read as
    written (UTC is UTC)."""
    local_tz("Europe/Berlin")
    data = feed(
        event("DTSTART:20240311T080000Z", "DTEND:20240311T085000Z"),
        event("DTSTART:20240304T120000Z", "DTEND:20240304T125000Z", "RRULE:FREQ=WEEKLY", uid="s"),
        header=(f"X-WR-TIMEZONE:{value}",),
    )
    got = read(data)
    assert starts(got) == ["03-11 09:00 +0100", "03-11 13:00 +0100"] and not got.skipped


def test_x_wr_timezone_naming_a_zone_the_calendar_defines(local_tz: Callable[[str], None]) -> None:
    """Mapped as a TZID is: a custom VTIMEZONE of that name is the calendar's zone, so a
    floating time is read there (+03:00), not in this computer's zone."""
    local_tz("UTC")
    custom = "\r\n".join(
        [
            "BEGIN:VTIMEZONE",
            "TZID:Practice Time",
            "BEGIN:STANDARD",
            "DTSTART:16010101T000000",
            "TZOFFSETFROM:+0300",
            "TZOFFSETTO:+0300",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
    )
    data = feed(
        custom,
        event("DTSTART:20240311T090000", "DTEND:20240311T095000"),
        header=("X-WR-TIMEZONE:Practice Time",),
    )
    got = read(data)
    assert starts(got, ZoneInfo("UTC")) == ["03-11 06:00 +0000"] and not got.skipped


def test_an_unknown_x_wr_timezone_costs_only_the_series_that_depend_on_it(
    local_tz: Callable[[str], None],
) -> None:
    """An X-WR-TIMEZONE nobody knows is not guessed: a series written in UTC (which it
    would have kept at one wall time) is skipped and counted; an exact one-off stays."""
    local_tz("Europe/Berlin")
    data = feed(
        event("DTSTART:20240311T080000Z", "DTEND:20240311T085000Z"),
        event("DTSTART:20240304T120000Z", "DTEND:20240304T125000Z", "RRULE:FREQ=WEEKLY", uid="s"),
        header=(f"X-WR-TIMEZONE:{NOWHERE}",),
    )
    got = read(data)
    assert starts(got) == ["03-11 09:00 +0100"] and got.skipped == {"zone": 1}


# --- 5. a TZID padded with NUL bytes (Outlook Web) ----------------------------------------------


@pytest.mark.parametrize("quoted", [True, False], ids=["quoted", "bare"])
@pytest.mark.parametrize(
    "name", ["W. Europe Standard Time", "Europe/Berlin"], ids=["windows", "iana"]
)
def test_a_tzid_padded_with_nul_bytes_is_read(
    local_tz: Callable[[str], None], name: str, quoted: bool
) -> None:
    """Was: "an event could not be read (KeyError)" although the zone is defined."""
    local_tz("America/New_York")
    padded = name + "\0" * 26
    param = f'"{padded}"' if quoted else padded
    data = feed(
        windows_zone(padded),
        event(f"DTSTART;TZID={param}:20240311T090000", f"DTEND;TZID={param}:20240311T095000"),
        event(
            f"DTSTART;TZID={param}:20240304T140000",
            f"DTEND;TZID={param}:20240304T145000",
            "RRULE:FREQ=WEEKLY;BYDAY=MO",
            uid="series",
        ),
    )
    got = read(data)
    assert starts(got) == ["03-11 09:00 +0100", "03-11 14:00 +0100"] and not got.skipped
    assert starts(read(data, date(2024, 4, 1))) == ["04-01 14:00 +0200"]


# --- 6. one bad event costs that event only -------------------------------------------------------


GOOD = event("DTSTART:20240311T080000Z", "DTEND:20240311T085000Z", uid="good")


def bad_one_off(day: str, uid: str = "bad") -> str:
    return event(
        f"DTSTART;TZID={NOWHERE}:{day}T100000", f"DTEND;TZID={NOWHERE}:{day}T105000", uid=uid
    )


def test_a_one_off_in_an_unknown_zone_is_skipped_and_counted(
    local_tz: Callable[[str], None], caplog: pytest.LogCaptureFixture
) -> None:
    """Was: the whole read refused ("an event uses a time zone this computer does not
    know") for any day within three days of it."""
    local_tz("Europe/Berlin")
    data = feed(GOOD, bad_one_off("20240311"))
    with caplog.at_level(logging.DEBUG):
        got = read(data)
    assert starts(got) == ["03-11 09:00 +0100"] and got.skipped == {"zone": 1}
    no_secrets(caplog.text)


def test_a_bad_one_off_days_away_leaves_the_day_alone(local_tz: Callable[[str], None]) -> None:
    """Was: the day refused because the bad event was within the read's margin. Now the
    day is planned, and an event that could not have touched it is not counted."""
    local_tz("Europe/Berlin")
    got = read(feed(GOOD, bad_one_off("20240313")))
    assert starts(got) == ["03-11 09:00 +0100"] and got.skipped == {}


def test_a_running_series_in_an_unknown_zone_costs_only_itself(
    local_tz: Callable[[str], None],
) -> None:
    """Was: every day refused, for as long as the series runs."""
    local_tz("Europe/Berlin")
    series = event(
        f"DTSTART;TZID={NOWHERE}:20230102T150000",
        f"DTEND;TZID={NOWHERE}:20230102T155000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,WE",
        uid="series",
    )
    got = read(feed(GOOD, series), DAY, 7)
    assert starts(got) == ["03-11 09:00 +0100"] and got.skipped == {"zone": 1}


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;COUNT=10",
        "FREQ=DAILY;INTERVAL=2;COUNT=30",
        "FREQ=WEEKLY;UNTIL=20160101T000000Z",
    ],
    ids=["weekly-count", "daily-count", "until"],
)
def test_a_series_that_ended_years_ago_is_not_read_at_all(
    local_tz: Callable[[str], None], rule: str
) -> None:
    """Was (COUNT): every day refused by a series over since 2015. Now an ended series
    is not parsed, so it is not even counted."""
    local_tz("Europe/Berlin")
    old = event(
        f"DTSTART;TZID={NOWHERE}:20150302T150000",
        f"DTEND;TZID={NOWHERE}:20150302T155000",
        f"RRULE:{rule}",
        uid="old",
    )
    got = read(feed(GOOD, old))
    assert starts(got) == ["03-11 09:00 +0100"] and got.skipped == {}


def test_a_zone_definition_the_library_cannot_build_costs_only_its_events(
    local_tz: Callable[[str], None],
) -> None:
    """Was: "an event could not be read (ValueError)" for the whole calendar."""
    local_tz("Europe/Berlin")
    broken = "\r\n".join(["BEGIN:VTIMEZONE", f"TZID:{NOWHERE}", "END:VTIMEZONE"])
    got = read(feed(broken, GOOD, bad_one_off("20240311")))
    assert starts(got) == ["03-11 09:00 +0100"] and got.skipped == {"zone": 1}


def test_a_moved_instance_in_an_unknown_zone_is_skipped_not_the_series(
    local_tz: Callable[[str], None],
) -> None:
    local_tz("Europe/Berlin")
    series = event(
        "DTSTART;TZID=Europe/Berlin:20240304T110000",
        "DTEND;TZID=Europe/Berlin:20240304T115000",
        "RRULE:FREQ=WEEKLY",
        uid="s",
    )
    moved = event(
        "RECURRENCE-ID;TZID=Europe/Berlin:20240311T110000",
        f"DTSTART;TZID={NOWHERE}:20240311T160000",
        f"DTEND;TZID={NOWHERE}:20240311T165000",
        uid="s",
    )
    got = read(feed(series, moved), DAY, 8)
    # The moved one cannot be placed: its original time stays busy (the safe side).
    assert starts(got) == ["03-11 11:00 +0100", "03-18 11:00 +0100"]
    assert got.skipped == {"zone": 1}


def test_where_the_count_travels_sources_cache_doctor_and_never_the_text(
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    local_tz: Callable[[str], None],
) -> None:
    """`DaySchedule.skipped` / `skipped_lines` (the tray's line), the cache's per-source
    `skipped`, and a doctor row: the count and why, never the event's text or zone."""
    local_tz("Europe/Berlin")
    paths: Paths = resolve_paths().ensure()
    work = tmp_path / "work.ics"
    work.write_bytes(feed(GOOD, bad_one_off("20240311"), bad_one_off("20240312", uid="bad2")))
    settings = Settings(
        schedule_source="calendar",
        schedule_confirmed=True,
        calendars=(CalendarSource(id="c1", kind="file", path=str(work)),),
    )
    save_settings(paths.settings, settings)
    clock = FakeClock(datetime(2024, 3, 11, 7).astimezone())

    with caplog.at_level(logging.DEBUG):
        got = sessions_for(settings, DAY, paths=paths, clock=clock)
        assert got.ok and len(got.sessions) == 1  # a skipped event is no problem line
        assert got.skipped == 2
        assert got.skipped_lines == (
            f"{work}: 2 events skipped (their time zone is not one this computer knows)",
        )
        stored = json.loads(paths.calendar_cache.read_text())["sources"]["c1"]
        assert stored["skipped"] == {"zone": 2}

        # Planning from the cache alone (the tray between refreshes) says it too.
        offline = sessions_for(settings, DAY, paths=paths, clock=clock, refresh=False)
        assert offline.skipped == 2 and offline.skipped_lines == got.skipped_lines

        rows = report.doctor_report(paths, settings)
        assert [ok for ok, _detail, _fix in rows] == [True, False]
        assert rows[1][1] == got.skipped_lines[0] and "time-zone names" in rows[1][2]
        code = main(["doctor"])
        out, err = capsys.readouterr()
        assert code == 0 and "2 events skipped" in out

        # A refresh that fails keeps the last good sessions, and what they left out.
        work.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n")
        clock.advance(900)
        failed = sessions_for(settings, DAY, paths=paths, clock=clock)
        assert failed.problems and failed.skipped == 2

    for text in (
        *got.skipped_lines,
        *failed.problems,
        *(d + f for _ok, d, f in rows),
        out,
        err,
        caplog.text,
        paths.calendar_cache.read_text(),
    ):
        no_secrets(text)

    # Fixed: nothing skipped any more, and doctor says nothing about it.
    work.write_bytes(feed(GOOD))
    fixed = sessions_for(settings, DAY, paths=paths, clock=clock)
    assert fixed.skipped == 0 and fixed.skipped_lines == ()
    assert [ok for ok, _detail, _fix in report.doctor_report(paths, settings)] == [True]


def test_a_test_read_says_what_it_skipped(tmp_path: Path, local_tz: Callable[[str], None]) -> None:
    """`schedule_from_specs` (Settings' Test, `plan --ics`): the same count and line."""
    from companion.core.calendar.sources import schedule_from_specs, sessions_from_specs

    local_tz("Europe/Berlin")
    work = tmp_path / "work.ics"
    work.write_bytes(feed(GOOD, bad_one_off("20240311")))
    got = schedule_from_specs([str(work)], Settings(), DAY)
    assert len(got.sessions) == 1 and got.skipped == 1
    assert got.skipped_lines == (
        f"{work}: 1 event skipped (its time zone is not one this computer knows)",
    )
    assert sessions_from_specs([str(work)], Settings(), DAY) == list(got.sessions)


def test_an_old_cache_without_skipped_counts_reads_as_none(
    data_dir: Path, local_tz: Callable[[str], None]
) -> None:
    from companion.core.calendar import cache

    paths: Paths = resolve_paths().ensure()
    start = datetime(2024, 3, 11, 9).astimezone()
    paths.calendar_cache.write_text(
        json.dumps(
            {
                "version": 1,
                "sources": {
                    "c1": {
                        "refreshed_at": start.isoformat(),
                        "first_day": "2024-03-11",
                        "days": 14,
                        "sessions": [
                            [start.isoformat(), (start + timedelta(minutes=50)).isoformat(), False]
                        ],
                        "error": None,
                    },
                    "c2": {"first_day": None, "sessions": [], "skipped": {"zone": "many", "x": -1}},
                },
            }
        )
    )
    entries = cache.load(paths.calendar_cache)
    assert entries["c1"].skipped == {} and entries["c2"].skipped == {}


# --- 7. UNTIL written as a bare date ------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "zone"),
    [
        (";TZID=Europe/Berlin:20211006T09{m}00", BERLIN),
        (";TZID=W. Europe Standard Time:20211006T09{m}00", BERLIN),
        (":20211006T09{m}00", BERLIN),  # floating: local (Berlin here)
        (":20211006T07{m}00Z", BERLIN),  # UTC: the last day in the local zone
        (";TZID=Pacific/Auckland:20211006T09{m}00", ZoneInfo("Pacific/Auckland")),
        (";TZID=America/Los_Angeles:20211006T19{m}00", ZoneInfo("America/Los_Angeles")),
    ],
    ids=["tzid", "windows", "floating", "utc", "east-of-utc", "evening-west-of-utc"],
)
def test_a_bare_date_until_includes_its_last_day(
    local_tz: Callable[[str], None], when: str, zone: ZoneInfo
) -> None:
    """`UNTIL=20211020` (as Google writes it) on a timed weekly series: the 20th is the
    last day, and nothing comes after it. Was: the 20th was lost."""
    local_tz("Europe/Berlin")
    start, end = f"DTSTART{when.format(m='00')}", f"DTEND{when.format(m='50')}"
    data = feed(event(start, end, "RRULE:FREQ=WEEKLY;UNTIL=20211020"))
    got = read(data, date(2021, 10, 4), 28)
    local_days = [s.start.astimezone(zone).strftime("%m-%d") for s in got.sessions]
    assert local_days == ["10-06", "10-13", "10-20"]


def test_a_bare_date_until_on_a_daily_series(local_tz: Callable[[str], None]) -> None:
    local_tz("Europe/Berlin")
    data = feed(
        event(
            "DTSTART;TZID=Europe/Berlin:20211018T170000",
            "DTEND;TZID=Europe/Berlin:20211018T175000",
            "RRULE:FREQ=DAILY;UNTIL=20211020",
        )
    )
    got = read(data, date(2021, 10, 20), 2)
    assert starts(got) == ["10-20 17:00 +0200"]


# --- errors stay one line without the event's text ---------------------------------------------


def test_a_broken_feed_still_says_one_line_without_the_text() -> None:
    with pytest.raises(CalendarError) as caught:
        read(feed(event("DTSTART:2024031xT090000", "DTEND:20240311T095000")))
    message = str(caught.value)
    assert message.startswith("wild.ics: line ") and "\n" not in message
    no_secrets(message)


def test_utc_is_utc() -> None:
    """A guard for the helpers above: UTC events need no zone at all."""
    got = read(feed(GOOD))
    assert [s.start.astimezone(UTC).strftime("%H:%M") for s in got.sessions] == ["08:00"]
