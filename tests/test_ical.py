"""iCalendar feeds turned into sessions: recurrence, time zones, rules, errors, speed tricks."""

from __future__ import annotations

import logging
import random
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from companion.core.calendar import ical
from companion.core.calendar.errors import CalendarError
from companion.core.calendar.ical import EventRules, parse_sessions
from companion.core.calendar.session import Session, day_bounds, dedupe

UTC = ZoneInfo("UTC")
NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    ical.clear_cache()
    yield
    ical.clear_cache()


def cal(*events: str, header: str = "", zones: str = "") -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    if header:
        body.append(header)
    if zones:
        body.append(zones)
    body += events
    body.append("END:VCALENDAR")
    return ("\r\n".join(body) + "\r\n").encode()


def event(*lines: str, uid: str = "e1") -> str:
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", *lines, "END:VEVENT"])


def spans(sessions: list[Session], zone: ZoneInfo) -> list[tuple[str, str]]:
    return [
        (s.start.astimezone(zone).strftime("%m-%d %H:%M"), s.end.astimezone(zone).strftime("%H:%M"))
        for s in sessions
    ]


VTIMEZONE_NY = """BEGIN:VTIMEZONE
TZID:Eastern Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE""".replace("\n", "\r\n")


# --- recurrence ---------------------------------------------------------------------------------


def test_weekly_series_with_a_moved_and_a_cancelled_instance(
    local_tz: Callable[[str], None],
) -> None:
    local_tz("Europe/Berlin")
    data = cal(
        event(
            "DTSTART;TZID=Europe/Berlin:20240304T090000",
            "DTEND;TZID=Europe/Berlin:20240304T095000",
            "RRULE:FREQ=WEEKLY;BYDAY=MO",
            "EXDATE;TZID=Europe/Berlin:20240318T090000",
            "SUMMARY:Client",
            uid="s1",
        ),
        event(  # the 11th moves to 14:00
            "RECURRENCE-ID;TZID=Europe/Berlin:20240311T090000",
            "DTSTART;TZID=Europe/Berlin:20240311T140000",
            "DTEND;TZID=Europe/Berlin:20240311T145000",
            "SUMMARY:Client",
            uid="s1",
        ),
        event(  # the 25th is cancelled
            "RECURRENCE-ID;TZID=Europe/Berlin:20240325T090000",
            "DTSTART;TZID=Europe/Berlin:20240325T090000",
            "DTEND;TZID=Europe/Berlin:20240325T095000",
            "STATUS:CANCELLED",
            uid="s1",
        ),
    )
    got = parse_sessions(data, "t.ics", date(2024, 3, 4), 28)
    assert spans(got, BERLIN) == [
        ("03-04 09:00", "09:50"),
        ("03-11 14:00", "14:50"),  # moved, not also at 09:00
        # 18th: EXDATE; 25th: cancelled
    ]
    # The moved instance is found when only its new day is asked for, and not on the old slot.
    assert spans(parse_sessions(data, "t.ics", date(2024, 3, 11)), BERLIN) == [
        ("03-11 14:00", "14:50")
    ]


def test_series_far_from_its_start_with_interval_and_until(local_tz: Callable[[str], None]) -> None:
    """The expansion starts near the asked dates (a speed trick); instances must not move."""
    local_tz("Europe/Berlin")
    data = cal(
        event(  # every other week, Tuesday and Thursday, since 2015
            "DTSTART;TZID=Europe/Berlin:20150106T100000",
            "DTEND;TZID=Europe/Berlin:20150106T105000",
            "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
            uid="a",
        ),
        event(  # started on a Monday that the rule does not produce: only that day counts
            "DTSTART;TZID=Europe/Berlin:20150105T120000",
            "DTEND;TZID=Europe/Berlin:20150105T125000",
            "RRULE:FREQ=WEEKLY;BYDAY=WE",
            uid="b",
        ),
        event(  # ended long ago
            "DTSTART;TZID=Europe/Berlin:20150105T150000",
            "DTEND;TZID=Europe/Berlin:20150105T155000",
            "RRULE:FREQ=DAILY;UNTIL=20160101T000000Z",
            uid="c",
        ),
        event(  # a count: must never be shortened or lengthened
            "DTSTART;TZID=Europe/Berlin:20240101T080000",
            "DTEND;TZID=Europe/Berlin:20240101T083000",
            "RRULE:FREQ=DAILY;COUNT=70",
            uid="d",
        ),
    )
    got = parse_sessions(data, "t.ics", date(2024, 3, 4), 21)
    # Weeks since 2015-01-05 (a Monday): 2024-03-04 is week 478, an even week.
    assert [s for s in spans(got, BERLIN) if s[0].endswith("10:00")] == [
        ("03-05 10:00", "10:50"),
        ("03-07 10:00", "10:50"),
        ("03-19 10:00", "10:50"),
        ("03-21 10:00", "10:50"),
    ]
    assert [s for s in spans(got, BERLIN) if s[0].endswith("12:00")] == [
        ("03-06 12:00", "12:50"),
        ("03-13 12:00", "12:50"),
        ("03-20 12:00", "12:50"),
    ]
    assert not [s for s in spans(got, BERLIN) if s[0].endswith("15:00")]
    eights = [s for s in spans(got, BERLIN) if s[0].endswith("08:00")]
    assert eights[0] == ("03-04 08:00", "08:30") and eights[-1] == ("03-10 08:00", "08:30")
    assert len(eights) == 7  # the 70th instance is 10 March


def test_daylight_saving_both_ways_for_a_zoned_series(local_tz: Callable[[str], None]) -> None:
    local_tz("America/New_York")
    data = cal(
        event(
            "DTSTART;TZID=America/New_York:20240301T090000",
            "DTEND;TZID=America/New_York:20240301T095000",
            "RRULE:FREQ=DAILY",
        )
    )
    for day in (date(2024, 3, 9), date(2024, 3, 10), date(2024, 11, 2), date(2024, 11, 3)):
        (s,) = parse_sessions(data, "t.ics", day)
        assert (s.start.hour, s.start.minute, s.minutes) == (9, 0, 50)
    assert parse_sessions(data, "t.ics", date(2024, 3, 9))[0].start.utcoffset() == timedelta(
        hours=-5
    )
    assert parse_sessions(data, "t.ics", date(2024, 3, 10))[0].start.utcoffset() == timedelta(
        hours=-4
    )
    # Seen from Berlin, whose change comes three weeks later, the session moves an hour.
    local_tz("Europe/Berlin")
    assert [s.start.hour for s in parse_sessions(data, "t.ics", date(2024, 3, 8), 3)] == [
        15,
        15,
        14,
    ]


# --- time zones -----------------------------------------------------------------------------


def test_google_x_wr_timezone_with_a_utc_written_series(local_tz: Callable[[str], None]) -> None:
    """Google writes some series in UTC and means the calendar's zone: 09:00 New York stays
    09:00 New York after the change, it does not slide to 10:00."""
    local_tz("America/New_York")
    data = cal(
        event("DTSTART:20240301T140000Z", "DTEND:20240301T145000Z", "RRULE:FREQ=WEEKLY"),
        header="X-WR-TIMEZONE:America/New_York",
    )
    got = parse_sessions(data, "t.ics", date(2024, 3, 1), 15)
    assert [s.start.strftime("%d %H:%M") for s in got] == ["01 09:00", "08 09:00", "15 09:00"]


def test_x_wr_timezone_on_single_events(local_tz: Callable[[str], None]) -> None:
    local_tz("Europe/Berlin")
    data = cal(
        event("DTSTART:20240710T070000Z", "DTEND:20240710T075000Z"),
        header="X-WR-TIMEZONE:Europe/Berlin",
    )
    assert spans(parse_sessions(data, "t.ics", date(2024, 7, 10)), BERLIN) == [
        ("07-10 09:00", "09:50")
    ]


@pytest.mark.parametrize("with_block", [True, False], ids=["with-vtimezone", "without-vtimezone"])
def test_outlook_windows_zone_names(local_tz: Callable[[str], None], with_block: bool) -> None:
    local_tz("Europe/London")
    data = cal(
        event(
            'DTSTART;TZID="Eastern Standard Time":20240308T090000',
            'DTEND;TZID="Eastern Standard Time":20240308T095000',
            "RRULE:FREQ=WEEKLY",
        ),
        zones=VTIMEZONE_NY if with_block else "",
    )
    got = parse_sessions(data, "t.ics", date(2024, 3, 8), 8)
    assert [s.start.astimezone(NY).strftime("%d %H:%M %z") for s in got] == [
        "08 09:00 -0500",
        "15 09:00 -0400",
    ]
    assert ical.windows_to_iana("W. Europe Standard Time") == "Europe/Berlin"


def test_a_custom_zone_block_is_used_and_not_confused_with_another_file(
    local_tz: Callable[[str], None],
) -> None:
    """Outlook's "Customized Time Zone" means something different in every file."""
    local_tz("UTC")

    def custom(offset: str) -> str:
        return "\r\n".join(
            [
                "BEGIN:VTIMEZONE",
                "TZID:Customized Time Zone",
                "BEGIN:STANDARD",
                "DTSTART:16010101T000000",
                f"TZOFFSETFROM:{offset}",
                f"TZOFFSETTO:{offset}",
                "END:STANDARD",
                "END:VTIMEZONE",
            ]
        )

    def feed(offset: str) -> bytes:
        return cal(
            event(
                'DTSTART;TZID="Customized Time Zone":20240610T090000',
                'DTEND;TZID="Customized Time Zone":20240610T095000',
            ),
            zones=custom(offset),
        )

    (a,) = parse_sessions(feed("+0300"), "a.ics", date(2024, 6, 10))
    (b,) = parse_sessions(feed("-0200"), "b.ics", date(2024, 6, 10))
    assert a.start.hour == 6 and b.start.hour == 11


def test_floating_times_are_local(local_tz: Callable[[str], None]) -> None:
    data = cal(event("DTSTART:20240610T090000", "DTEND:20240610T095000"))
    local_tz("Asia/Tokyo")
    (s,) = parse_sessions(data, "t.ics", date(2024, 6, 10))
    assert (s.start.hour, s.start.utcoffset()) == (9, timedelta(hours=9))
    local_tz("America/Los_Angeles")
    ical.clear_cache()
    (s,) = parse_sessions(data, "t.ics", date(2024, 6, 10))
    assert (s.start.hour, s.start.utcoffset()) == (9, timedelta(hours=-7))


def test_an_unknown_zone_is_skipped_and_counted_not_guessed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One event whose zone cannot be resolved costs that event only (issue 13, item 6):
    it is not guessed into a time, and it does not take the calendar down with it."""
    data = cal(
        event(
            "DTSTART;TZID=Mars/Olympus:20240610T090000", "DTEND;TZID=Mars/Olympus:20240610T095000"
        ),
        event("DTSTART:20240610T130000Z", "DTEND:20240610T135000Z", uid="e2"),
    )
    with caplog.at_level(logging.INFO):
        got = ical.read_sessions(data, "t.ics", date(2024, 6, 10))
    assert [s.start.astimezone(UTC).strftime("%H:%M") for s in got.sessions] == ["13:00"]
    assert got.skipped == {"zone": 1} and got.skipped_count == 1
    # The zone's name is the event's text: it is never repeated (issue 14, item 11).
    assert "Mars" not in caplog.text and "Olympus" not in caplog.text


# --- which events are sessions -----------------------------------------------------------


def test_the_event_rules(local_tz: Callable[[str], None]) -> None:
    local_tz("Europe/Berlin")
    day = "20240610"

    def ev(uid: str, start: str, end: str, *extra: str) -> str:
        return event(
            f"DTSTART;TZID=Europe/Berlin:{day}T{start}00",
            f"DTEND;TZID=Europe/Berlin:{day}T{end}00",
            *extra,
            uid=uid,
        )

    data = cal(
        ev("ok", "0800", "0850", "SUMMARY:Client A"),
        ev("cancelled", "0900", "0950", "STATUS:CANCELLED", "SUMMARY:Client B"),
        ev("free", "1000", "1050", "TRANSP:TRANSPARENT", "SUMMARY:Reminder"),
        ev("long", "1100", "1500", "SUMMARY:Workshop"),
        ev("lunch", "1200", "1245", "SUMMARY:Team lunch"),
        ev("heavy", "1300", "1350", "SUMMARY:Client C", "CATEGORIES:Trauma,Adults"),
        ev("heavy2", "1400", "1450", "SUMMARY:Client D", "DESCRIPTION:EMDR processing"),
        event(
            f"DTSTART;VALUE=DATE:{day}",
            "DTEND;VALUE=DATE:20240611",
            "SUMMARY:All day",
            uid="allday",
        ),
        event(f"DTSTART;TZID=Europe/Berlin:{day}T160000", "SUMMARY:No end", uid="noend"),
    )
    rules = EventRules(
        max_session_minutes=180,
        exclude_keywords=("lunch",),
        heavy_keywords=("Trauma", "EMDR"),
    )
    got = parse_sessions(data, "t.ics", date(2024, 6, 10), 1, rules)
    assert [(s.start.strftime("%H:%M"), s.heavy) for s in got] == [
        ("08:00", False),
        ("13:00", True),
        ("14:00", True),
    ]
    only = EventRules(include_keywords=("client",))
    assert [s.start.hour for s in parse_sessions(data, "t.ics", date(2024, 6, 10), 1, only)] == [
        8,
        13,
        14,
    ]


def test_overlapping_duplicates_and_sessions_across_midnight(
    local_tz: Callable[[str], None],
) -> None:
    local_tz("Europe/Berlin")
    data = cal(
        event("DTSTART:20240610T233000", "DTEND:20240611T002000", uid="late"),
        event("DTSTART:20240611T090000", "DTEND:20240611T095000", uid="x1"),
        event("DTSTART:20240611T090000", "DTEND:20240611T095000", uid="x2"),  # same slot twice
    )
    assert spans(parse_sessions(data, "t.ics", date(2024, 6, 10)), BERLIN) == [
        ("06-10 23:30", "00:20")
    ]
    assert spans(parse_sessions(data, "t.ics", date(2024, 6, 11)), BERLIN) == [
        ("06-10 23:30", "00:20"),
        ("06-11 09:00", "09:50"),
    ]


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the calendar is empty"),
        (b"   \r\n\r\n", "the calendar is empty"),
        (
            b"<!DOCTYPE html><html><body>Sign in</body></html>",
            "got a web page instead of a calendar",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an iCalendar file"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20240610T090000\r\n", "cut off"),
        (
            b"BEGIN:VEVENT\r\nEND:VEVENT\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            "line 1: BEGIN:VEVENT outside",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20240610T090000\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
            "line 4: END:VTODO where END:VEVENT was expected",
        ),
    ],
)
def test_bad_input_gives_one_line_naming_the_source(data: bytes, message: str) -> None:
    with pytest.raises(CalendarError) as caught:
        parse_sessions(data, "work.ics", date(2024, 6, 10))
    text = str(caught.value)
    assert text.startswith("work.ics: ") and message in text
    assert "\n" not in text


def test_a_broken_value_is_reported_with_its_line_and_never_the_event_text() -> None:
    data = cal(
        event(
            "DTSTART:20240610T090000", "DTEND:20240610T095000", "SUMMARY:Mrs Secretname", uid="ok"
        ),
        event(
            "DTSTART:2024061xT090000", "DTEND:20240610T105000", "SUMMARY:Mr Secretname", uid="bad"
        ),
    )
    with pytest.raises(CalendarError) as caught:
        parse_sessions(data, "work.ics", date(2024, 6, 10))
    text = str(caught.value)
    assert text.startswith("work.ics: line 10: ")
    assert "Secretname" not in text and "2024061x" not in text


def test_exceptions_inside_the_libraries_become_calendar_errors() -> None:
    data = cal(
        event("DTSTART:20240610T090000", "DTEND:20240610T095000", "RRULE:FREQ=SOMETIMES;BYDAY=XX")
    )
    with pytest.raises(CalendarError, match=r"^t\.ics: line \d+: "):
        parse_sessions(data, "t.ics", date(2024, 6, 10))


def test_a_rule_too_dense_to_walk_is_refused_quickly() -> None:
    data = cal(event("DTSTART:20000101T000000Z", "DURATION:PT1S", "RRULE:FREQ=SECONDLY"))
    started = time.perf_counter()
    with pytest.raises(CalendarError, match="repeats every second"):
        parse_sessions(data, "t.ics", date(2024, 6, 10))
    assert time.perf_counter() - started < 5


# --- the scan-and-select design gives what a full parse gives ---------------------------------


def _feed(rng: random.Random, series: int, one_offs: int) -> bytes:
    events = []
    for i in range(series):
        start = datetime(2021, 1, 4, 8 + i % 9) + timedelta(days=i % 5)
        rule = rng.choice(
            [
                "FREQ=WEEKLY",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR",
                "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20230601T000000Z",
                "FREQ=DAILY;INTERVAL=3",
                "FREQ=WEEKLY;COUNT=90",
            ]
        )
        events.append(
            event(
                f"DTSTART;TZID=Europe/Berlin:{start:%Y%m%dT%H%M%S}",
                f"DTEND;TZID=Europe/Berlin:{start + timedelta(minutes=50):%Y%m%dT%H%M%S}",
                f"RRULE:{rule}",
                uid=f"s{i}",
            )
        )
        for _ in range(4):
            original = start + timedelta(weeks=rng.randrange(1, 150))
            if "DAILY" in rule:
                original = start + timedelta(days=3 * rng.randrange(1, 300))
            moved = original + timedelta(hours=rng.choice((-3, 2, 26)))
            events.append(
                event(
                    f"RECURRENCE-ID;TZID=Europe/Berlin:{original:%Y%m%dT%H%M%S}",
                    f"DTSTART;TZID=Europe/Berlin:{moved:%Y%m%dT%H%M%S}",
                    f"DTEND;TZID=Europe/Berlin:{moved + timedelta(minutes=50):%Y%m%dT%H%M%S}",
                    uid=f"s{i}",
                )
            )
    for n in range(one_offs):
        start = datetime(2021, 1, 1, 7) + timedelta(
            days=rng.randrange(1100), minutes=15 * rng.randrange(50)
        )
        stamp = f"{start:%Y%m%dT%H%M%S}"
        zone = rng.choice(["TZID=Europe/Berlin:", "TZID=America/New_York:", "", "Z"])
        if zone == "Z":
            lines = [f"DTSTART:{stamp}Z", f"DTEND:{start + timedelta(minutes=45):%Y%m%dT%H%M%S}Z"]
        elif zone:
            lines = [
                f"DTSTART;{zone}{stamp}",
                f"DTEND;{zone}{start + timedelta(minutes=45):%Y%m%dT%H%M%S}",
            ]
        else:
            lines = [f"DTSTART:{stamp}", f"DTEND:{start + timedelta(minutes=45):%Y%m%dT%H%M%S}"]
        events.append(event(*lines, f"SUMMARY:{'x' * rng.randrange(120)}", uid=f"o{n}"))
    return cal(*events)


def _full_parse(data: bytes) -> Callable[[date, int], list[Session]]:
    """The naive way: the whole file through icalendar and recurring-ical-events."""
    import icalendar
    import recurring_ical_events

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        query = recurring_ical_events.of(icalendar.Calendar.from_ical(data))

    def sessions(day: date, days: int) -> list[Session]:
        lo, hi = day_bounds(day, days)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = query.between(lo.date() - timedelta(1), hi.date() + timedelta(1))
            got = [ical._session_of(e, EventRules()) for e in found]
        return dedupe(s for s in got if s is not None and s.overlaps(lo, hi))

    return sessions


def test_selecting_near_events_gives_the_same_sessions_as_a_full_parse(
    local_tz: Callable[[str], None],
) -> None:
    local_tz("America/Chicago")
    rng = random.Random(11)
    data = _feed(rng, series=12, one_offs=1500)
    full = _full_parse(data)
    for _ in range(12):
        day = date(2021, 1, 1) + timedelta(days=rng.randrange(1200))
        days = rng.choice((1, 7, 14))
        assert parse_sessions(data, "t.ics", day, days) == full(day, days), day


@pytest.mark.usefixtures("pseudo_locale")
def test_a_calendar_error_is_marked_and_names_its_source() -> None:
    from companion import i18n

    with pytest.raises(CalendarError) as caught:
        parse_sessions(b"<html><body>Log in</body></html>", "work.ics", date(2026, 3, 2))
    message = str(caught.value)
    assert message.startswith(i18n.OPEN) and "work.ics" in message
    assert "web page" not in message  # the words are translated; the source name is not


def test_the_warm_up_reaches_every_import_a_first_read_makes() -> None:
    """A first import inside a worker thread can crash PySide6, so warm_up (run on the GUI
    thread) must reach what a calendar with a custom time-zone block imports too."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from companion.core.calendar import warm\n"
        "warm.warm_up()\n"
        "print([m for m in ('dateutil.parser', 'decimal', 'icalendar', 'recurring_ical_events')"
        " if m not in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_settings_item_of_the_wrong_shape_is_not_repeated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A calendar link saved under a wrong key must not be echoed by the error line."""
    from companion.core.settings import SettingsError, load_settings

    path = tmp_path / "settings.json"
    path.write_text(
        '{"version": 3, "calendars": [{"id": "a", "kind": "url", '
        '"url": "https://calendar.example.org/private-TOKEN123/basic.ics"}]}',
        encoding="utf-8",
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert "TOKEN123" not in str(caught.value)
    assert "calendars[0]" in str(caught.value)
