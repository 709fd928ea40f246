"""Calendars that would hang, flood or leak: each is refused in one line, or planned, fast.

Anyone who can send the clinician an invitation can put one of these into their feed. Every
feed here is generated in the test (a few hundred bytes for most). Each must be answered
within a couple of seconds and with one line that names the source and never an event's
text; and a refused refresh keeps the last good plan.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from companion.core.calendar import ical, limits
from companion.core.calendar.errors import CalendarError
from companion.core.calendar.ical import parse_sessions
from companion.core.calendar.sources import sessions_for
from companion.core.clock import FakeClock
from companion.core.paths import Paths, resolve_paths
from companion.core.settings import CalendarSource, Settings

SECRET = "MRS-QUILLFEATHER-7731"
DAY = date(2024, 6, 10)  # a Monday
#: What "fast" means here: the read is refused or planned within this many seconds.
FAST = 2.0


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    ical.clear_cache()
    yield
    ical.clear_cache()


def cal(*blocks: str) -> bytes:
    return (
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *blocks])
        + "\r\nEND:VCALENDAR\r\n"
    ).encode()


def event(*lines: str, uid: str = "e1") -> str:
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", *lines, f"SUMMARY:{SECRET}", "END:VEVENT"])


def zone(rule: str, tzid: str = "Evil/Zone") -> str:
    """A VTIMEZONE whose two sub-rules both follow `rule`."""
    return "\r\n".join(
        [
            "BEGIN:VTIMEZONE",
            f"TZID:{tzid}",
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0000",
            f"RRULE:{rule}",
            "END:STANDARD",
            "BEGIN:DAYLIGHT",
            "DTSTART:19700101T000030",
            "TZOFFSETFROM:+0000",
            "TZOFFSETTO:+0100",
            f"RRULE:{rule}",
            "END:DAYLIGHT",
            "END:VTIMEZONE",
        ]
    )


def every(key: str, values: range) -> str:
    return f"{key}=" + ",".join(str(v) for v in values)


FULL_LISTS = ";".join(
    [every("BYMONTHDAY", range(1, 32)), every("BYHOUR", range(24)), every("BYMINUTE", range(60))]
)
ONE_SESSION = event("DTSTART:20240610T090000Z", "DTEND:20240610T095000Z", uid="ok")


def refused(data: bytes, *, day: date = DAY, days: int = 1, **kw: object) -> str:
    """The one line a hostile feed is refused with, checked for speed and privacy."""
    started = time.perf_counter()
    with pytest.raises(CalendarError) as caught:
        parse_sessions(data, "evil.ics", day, days, **kw)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    message = str(caught.value)
    assert elapsed < FAST, f"took {elapsed:.1f} s: {message}"
    assert message.startswith("evil.ics: ") and "\n" not in message and len(message) < 300
    assert SECRET not in message and "Evil/Zone" not in message
    return message


# --- every repeat rule is bounded ----------------------------------------------------------


@pytest.mark.parametrize("interval", ["0", "-1"])
def test_a_rule_that_never_moves_on_is_refused(interval: str) -> None:
    """INTERVAL=0 repeated one instant forever: 100 % CPU and +18 MB/s until killed."""
    data = cal(
        ONE_SESSION,
        event(
            "DTSTART:20240101T090000Z", "DURATION:PT50M", f"RRULE:FREQ=DAILY;INTERVAL={interval}"
        ),
    )
    assert "line 10: a repeat rule has an INTERVAL of 0 or less" in refused(data)


@pytest.mark.parametrize("freq", ["MINUTELY", "SECONDLY"])
def test_a_time_zone_that_changes_every_minute_or_second_is_refused(freq: str) -> None:
    data = cal(
        zone(f"FREQ={freq}"),
        event("DTSTART;TZID=Evil/Zone:20240610T090000", "DTEND;TZID=Evil/Zone:20240610T095000"),
    )
    message = refused(data)
    assert "line 4: a time-zone definition changes more often than any real time zone" in message


@pytest.mark.parametrize(
    ("rule", "start"),
    [
        (f"FREQ=MONTHLY;{FULL_LISTS}", "20230101T000000Z"),
        (f"FREQ=YEARLY;{FULL_LISTS}", "20200101T000000Z"),
        (f"FREQ=YEARLY;{every('BYMONTH', range(1, 13))};{FULL_LISTS}", "19000101T000000Z"),
        (
            "FREQ=HOURLY;" + every("BYMINUTE", range(60)) + ";" + every("BYSECOND", range(60)),
            "20240101T000000Z",
        ),
    ],
    ids=["monthly", "yearly", "yearly-since-1900", "hourly-every-second"],
)
def test_full_by_lists_are_counted_and_refused(rule: str, start: str) -> None:
    """A 500-byte rule with every day, hour and minute listed took 13-18 s and 1.1 GB."""
    data = cal(ONE_SESSION, event(f"DTSTART:{start}", "DURATION:PT1M", f"RRULE:{rule}"))
    message = refused(data, days=14)
    assert "line 10: an event repeats" in message and "too" in message


def test_a_dense_rule_inside_the_asked_days_is_capped_per_day() -> None:
    """Started this month, the full lists are little to walk but 1,440 events a day."""
    data = cal(
        ONE_SESSION,
        event("DTSTART:20240610T000000Z", "DURATION:PT1M", f"RRULE:FREQ=MONTHLY;{FULL_LISTS}"),
    )
    message = refused(data)
    assert f"more than {limits.MAX_EVENTS_PER_DAY} events on one day" in message
    assert "2024-06-" in message


def test_a_rule_that_can_never_happen_is_not_walked_for_8000_years() -> None:
    """FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30 has no instance: the library would walk to 9999."""
    data = cal(
        ONE_SESSION,
        event(
            "DTSTART:20240101T090000Z",
            "DURATION:PT50M",
            "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30,31",
            uid="never",
        ),
    )
    started = time.perf_counter()
    sessions = parse_sessions(data, "odd.ics", DAY)
    assert time.perf_counter() - started < FAST
    assert len(sessions) == 1


def test_the_time_ceiling_stops_a_rule_no_bound_foresaw() -> None:
    """The net under the rule checks: a read stopped at its deadline, in one line."""
    data = cal(
        ONE_SESSION,
        # Day 1 of the year is never in February: no instance, a walk to the year 9999.
        event(
            "DTSTART:20240101T090000Z", "DURATION:PT50M", "RRULE:FREQ=HOURLY;BYMONTH=2;BYYEARDAY=1"
        ),
    )
    message = refused(data, limits=limits.Limits(seconds=0.3))
    assert "took longer than 0.3 s" in message


def test_the_memory_ceiling_stops_a_read_that_grows_too_much() -> None:
    """Run in a fresh interpreter: memory freed by earlier tests would hide the growth."""
    code = (
        "from datetime import date\n"
        "from companion.core.calendar.ical import parse_sessions\n"
        "from companion.core.calendar.limits import Limits\n"
        "from companion.core.calendar.errors import CalendarError\n"
        "lines = ['BEGIN:VCALENDAR', 'VERSION:2.0']\n"
        "for i in range(2800):\n"
        "    start = f'DTSTART:202406{10 + i % 14}T0900{i % 60:02d}Z'\n"
        "    lines += ['BEGIN:VEVENT', f'UID:{i}', start,\n"
        "              'DURATION:PT50M', 'SUMMARY:' + 'x' * 200, 'END:VEVENT']\n"
        "data = ('\\r\\n'.join([*lines, 'END:VCALENDAR']) + '\\r\\n').encode()\n"
        "low = Limits(memory=4 << 20)\n"
        "try:\n"
        "    parse_sessions(data, 'big.ics', date(2024, 6, 10), 14, limits=low)\n"
        "except CalendarError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=60
    )
    assert out.stderr == ""
    assert out.stdout.strip() == (
        "big.ics: reading the calendar needed more than 4 MB of memory, "
        "so it was stopped and not used"
    )


@pytest.mark.parametrize("day", [date.min, date(1, 1, 3), date.max])
def test_the_first_and_last_days_there_are_give_one_line(day: date) -> None:
    with pytest.raises(CalendarError, match=r"^t\.ics: cannot plan "):
        parse_sessions(cal(ONE_SESSION), "t.ics", day)


# --- floods: events on one day, series --------------------------------------------------------


def test_a_day_flooded_with_events_is_refused_before_parsing() -> None:
    """100,000 events on one day took 47 s and 830 MB."""
    flood = [
        event(f"DTSTART:20240612T{9 + i % 8:02d}{i % 60:02d}00Z", "DURATION:PT50M", uid=f"f{i}")
        for i in range(100_000)
    ]
    data = cal(ONE_SESSION, *flood)
    message = refused(data, days=14)
    assert f"2024-06-12: more than {limits.MAX_EVENTS_PER_DAY} events on one day" in message


def test_twenty_thousand_weekly_series_are_refused() -> None:
    """20,000 weekly series took 93 s and 1 GB."""
    series = [
        event(
            f"DTSTART:20200106T{8 + i % 9:02d}{i % 60:02d}00Z",
            "DURATION:PT50M",
            "RRULE:FREQ=WEEKLY",
            uid=f"s{i}",
        )
        for i in range(20_000)
    ]
    message = refused(cal(ONE_SESSION, *series), days=14)
    assert f"more than {limits.MAX_SERIES} repeating events" in message


def test_a_busy_real_calendar_stays_well_inside_the_caps() -> None:
    """Forty weekly clients, a full day of one-offs, and years of ended series: planned."""
    blocks = [ONE_SESSION]
    for i in range(40):  # this year's clients, Monday to Friday
        start = datetime(2024, 1, 1 + i % 5, 8 + i // 5)
        blocks.append(
            event(
                f"DTSTART:{start:%Y%m%dT%H%M%S}Z",
                "DURATION:PT50M",
                "RRULE:FREQ=WEEKLY",
                uid=f"w{i}",
            )
        )
    for i in range(3000):  # long-ended series, more than the cap on live ones
        blocks.append(
            event(
                "DTSTART:20100104T070000Z",
                "DURATION:PT50M",
                "RRULE:FREQ=WEEKLY;UNTIL=20150101T000000Z",
                uid=f"old{i}",
            )
        )
    for i in range(60):  # a crowded day
        blocks.append(
            event(
                f"DTSTART:20240611T{7 + i // 6:02d}{i % 6 * 10:02d}00Z",
                "DURATION:PT10M",
                uid=f"d{i}",
            )
        )
    data = cal(*blocks)
    started = time.perf_counter()
    sessions = parse_sessions(data, "busy.ics", DAY, 14)
    assert time.perf_counter() - started < FAST
    assert len([s for s in sessions if s.start.date() == date(2024, 6, 11)]) >= 60


# --- a refused read keeps the last good plan -------------------------------------------------


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    return resolve_paths().ensure()


def test_a_refused_refresh_keeps_the_last_good_plan(tmp_path: Path, paths: Paths) -> None:
    feed = tmp_path / "work.ics"
    feed.write_bytes(cal(ONE_SESSION))
    settings = Settings(
        schedule_source="calendar",
        calendars=(CalendarSource(id="c1", kind="file", path=str(feed)),),
    )
    clock = FakeClock(datetime(2024, 6, 10, 8).astimezone())
    first = sessions_for(settings, DAY, paths=paths, clock=clock)
    assert first.ok and len(first.sessions) == 1
    cached = json.loads(paths.calendar_cache.read_text())["sources"]["c1"]["sessions"]

    feed.write_bytes(
        cal(
            ONE_SESSION,
            event("DTSTART:20240101T090000Z", "DURATION:PT50M", "RRULE:FREQ=DAILY;INTERVAL=0"),
        )
    )
    clock.advance(900)
    started = time.perf_counter()
    again = sessions_for(settings, DAY, paths=paths, clock=clock)
    assert time.perf_counter() - started < FAST
    assert again.sessions == first.sessions and again.from_cache == (str(feed),)
    (problem,) = again.problems
    assert "INTERVAL of 0" in problem and "using the sessions cached 2024-06-10 08:00" in problem
    stored = json.loads(paths.calendar_cache.read_text())["sources"]["c1"]
    assert stored["sessions"] == cached  # the refused read overwrote nothing
    assert SECRET not in paths.calendar_cache.read_text()


# --- no event text in any message: a TZID is event text ----------------------------------------


def test_an_unknown_time_zone_name_is_never_repeated(
    tmp_path: Path, paths: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    """Such an event is skipped and counted (issue 13, item 6); neither its text nor the
    zone's name reaches a line, the log or the cache."""
    tzid = f"{SECRET} Office Zone"
    data = cal(
        event(f"DTSTART;TZID={tzid}:20240610T090000", f"DTEND;TZID={tzid}:20240610T095000"),
        ONE_SESSION,
    )
    feed = tmp_path / "work.ics"
    feed.write_bytes(data)
    settings = Settings(
        schedule_source="calendar",
        calendars=(CalendarSource(id="c1", kind="file", path=str(feed)),),
    )
    with caplog.at_level(logging.DEBUG):
        got = sessions_for(
            settings, DAY, paths=paths, clock=FakeClock(datetime(2024, 6, 10, 8).astimezone())
        )
    assert len(got.sessions) == 1 and got.ok and got.skipped == 1
    (line,) = got.skipped_lines
    assert "1 event skipped" in line and "time zone" in line
    for text in (line, caplog.text, paths.calendar_cache.read_text()):
        assert SECRET not in text and "Office" not in text


def test_the_line_named_is_right_when_an_earlier_event_was_left_out() -> None:
    data = cal(
        event("DTSTART:20240610T150000Z", "DTEND:20240607T150000Z", uid="reversed"),  # line 4
        event("DTSTART:2024061xT090000", "DURATION:PT50M", uid="z"),  # line 10
    )
    assert "evil.ics: line 10: " in refused(data)


# --- an event that ends before it starts ----------------------------------------------------------


def test_an_event_written_end_first_is_shown_swapped(
    local_tz: Callable[[str], None], caplog: pytest.LogCaptureFixture
) -> None:
    """DTEND before DTSTART: the calendar that wrote it meant the other way round."""
    local_tz("America/New_York")
    data = cal(
        # 10:00 New York (14:00Z), written to end at 09:10 local time
        event("DTSTART:20240610T140000Z", "DTEND:20240610T091000", uid="swapped"),
        # ends three days before it starts: no reading of it is a session
        event("DTSTART:20240610T150000Z", "DTEND:20240607T150000Z", uid="insane"),
        event("DTSTART:20240610T170000Z", "DTEND:20240610T175000Z", uid="plain"),
    )
    with caplog.at_level(logging.INFO):
        sessions = parse_sessions(data, "t.ics", DAY)
    got = [(f"{s.start:%H:%M}", f"{s.end:%H:%M}") for s in sessions]
    assert got == [("09:10", "10:00"), ("13:00", "13:50")]
    assert "t.ics: 1 event(s) end long before they start; skipped" in caplog.text
    assert SECRET not in caplog.text
