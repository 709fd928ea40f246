"""Benchmark: plan a day and a week from a 5-6 MB iCalendar feed.

    .venv/bin/python bench/calendar.py [--events 16000] [--series 40] [--no-naive]

Generates a feed like a busy practice's export (40 weekly series running for years,
with moved and cancelled instances, plus 16,000 one-off events with long titles and
descriptions) into a temporary folder, then times `companion.core.calendar.ical.parse_sessions`:

* cold: the first call on the bytes (decode, scan, select, parse, expand);
* warm: another range on the same bytes (the scan is cached per content hash);
* repeat: the same range again (the result is cached).

It prints peak Python memory (tracemalloc) of a cold day and the process's peak RSS,
and, for comparison, the naive way: icalendar over the whole file, then
recurring-ical-events.

Then the hostile feeds of issue 14 (`--no-hostile` skips them): each one's time, peak
Python memory (tracemalloc) and outcome (refused in one line, or planned), beside what
it cost before the expansion guard and the read's ceiling. A benchmark prints figures;
it asserts nothing.
"""

from __future__ import annotations

import os
import sys

# This file is named like the standard library's `calendar`, which http.cookiejar and
# email import; drop the script's own folder from the path before anything imports it.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from companion.core.calendar import ical  # noqa: E402
from companion.core.calendar.errors import CalendarError  # noqa: E402
from companion.core.calendar.ical import EventRules, parse_sessions  # noqa: E402
from companion.core.calendar.session import day_bounds  # noqa: E402

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
X-LIC-LOCATION:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""

WORDS = (
    *("session", "follow-up", "intake", "review", "supervision", "consultation", "family"),
    *("couples", "group", "planning", "assessment", "notes", "insurance", "callback"),
    *("referral", "training", "workshop", "reading", "lunch", "walk", "errand", "dentist"),
    *("meeting", "peer", "team", "case", "conference", "parent", "school"),
)


def fold(line: str) -> str:
    """RFC 5545 folding at 75 octets (ASCII content here)."""
    out = [line[:75]]
    rest = line[75:]
    while rest:
        out.append(" " + rest[:74])
        rest = rest[74:]
    return "\r\n".join(out)


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def stamp(dt: datetime) -> str:
    return dt.strftime("%Y%m%dT%H%M%S")


def make_feed(series: int, events: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Bench//Grounding Companion//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Practice",
        "X-WR-TIMEZONE:Europe/Berlin",
        VTIMEZONE,
    ]
    first = datetime(2019, 1, 7)
    for i in range(series):
        weekday = i % 5
        hour = 8 + (i // 5) % 9
        start = first + timedelta(days=weekday, hours=hour)
        uid = f"series-{i}@bench"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamp(first)}Z",
            f"DTSTART;TZID=Europe/Berlin:{stamp(start)}",
            f"DTEND;TZID=Europe/Berlin:{stamp(start + timedelta(minutes=50))}",
            "RRULE:FREQ=WEEKLY",
            fold(f"SUMMARY:{text(rng, 6)} with client {i}"),
            fold(f"DESCRIPTION:{text(rng, 40)}"),
        ]
        cancelled = [start + timedelta(weeks=rng.randrange(20, 400)) for _ in range(6)]
        lines.append("EXDATE;TZID=Europe/Berlin:" + ",".join(stamp(c) for c in cancelled))
        lines.append("END:VEVENT")
        for _ in range(10):  # moved instances
            original = start + timedelta(weeks=rng.randrange(1, 400))
            moved = original + timedelta(hours=rng.choice((-2, -1, 1, 2, 24)))
            lines += [
                "BEGIN:VEVENT",
                f"UID:{uid}",
                f"DTSTAMP:{stamp(first)}Z",
                f"RECURRENCE-ID;TZID=Europe/Berlin:{stamp(original)}",
                f"DTSTART;TZID=Europe/Berlin:{stamp(moved)}",
                f"DTEND;TZID=Europe/Berlin:{stamp(moved + timedelta(minutes=50))}",
                fold(f"SUMMARY:{text(rng, 6)} (moved)"),
                "END:VEVENT",
            ]
        for _ in range(2):  # cancelled instances
            original = start + timedelta(weeks=rng.randrange(1, 400))
            lines += [
                "BEGIN:VEVENT",
                f"UID:{uid}",
                f"DTSTAMP:{stamp(first)}Z",
                f"RECURRENCE-ID;TZID=Europe/Berlin:{stamp(original)}",
                f"DTSTART;TZID=Europe/Berlin:{stamp(original)}",
                f"DTEND;TZID=Europe/Berlin:{stamp(original + timedelta(minutes=50))}",
                "STATUS:CANCELLED",
                "END:VEVENT",
            ]
    span_days = 8 * 365
    for n in range(events):
        start = datetime(2019, 1, 1, 7) + timedelta(
            days=rng.randrange(span_days), minutes=15 * rng.randrange(48)
        )
        length = rng.choice((30, 50, 90))
        lines += [
            "BEGIN:VEVENT",
            f"UID:one-off-{n}@bench",
            f"DTSTAMP:{stamp(first)}Z",
            f"DTSTART;TZID=Europe/Berlin:{stamp(start)}",
            f"DTEND;TZID=Europe/Berlin:{stamp(start + timedelta(minutes=length))}",
            fold(f"SUMMARY:{text(rng, 7)}"),
            fold(f"DESCRIPTION:{text(rng, 12)}"),
            fold(f"LOCATION:{text(rng, 1)}"),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return (time.perf_counter() - t0) * 1000, result


def naive(data: bytes, day: date, days: int) -> int:
    import icalendar
    import recurring_ical_events

    lo, hi = day_bounds(day, days)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calendar = icalendar.Calendar.from_ical(data)
        events = recurring_ical_events.of(calendar).between(lo, hi)
    return len(list(events))


# --- hostile feeds (issue 14) -------------------------------------------------------------


def _cal(*blocks: str) -> bytes:
    return (
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *blocks, "END:VCALENDAR"]) + "\r\n"
    ).encode()


def _event(*lines: str, uid: str = "e") -> str:
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", *lines, "END:VEVENT"])


def _zone(freq: str) -> str:
    subs = []
    for kind, start, offsets in (
        ("STANDARD", "19700101T000000", ("+0100", "+0000")),
        ("DAYLIGHT", "19700101T000030", ("+0000", "+0100")),
    ):
        subs += [
            f"BEGIN:{kind}",
            f"DTSTART:{start}",
            f"TZOFFSETFROM:{offsets[0]}",
            f"TZOFFSETTO:{offsets[1]}",
            f"RRULE:FREQ={freq}",
            f"END:{kind}",
        ]
    return "\r\n".join(["BEGIN:VTIMEZONE", "TZID:Evil/Zone", *subs, "END:VTIMEZONE"])


def _lists(*parts: tuple[str, range]) -> str:
    return ";".join(f"{key}=" + ",".join(map(str, values)) for key, values in parts)


FULL = _lists(("BYMONTHDAY", range(1, 32)), ("BYHOUR", range(24)), ("BYMINUTE", range(60)))
ZONED = ("DTSTART;TZID=Evil/Zone:20240610T090000", "DTEND;TZID=Evil/Zone:20240610T095000")

#: name -> (how to make it, what it cost before: issue 14's figures and this machine's)
HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "RRULE INTERVAL=0": (
        lambda: _cal(
            _event("DTSTART:20240101T090000Z", "DURATION:PT50M", "RRULE:FREQ=DAILY;INTERVAL=0")
        ),
        "until killed: 100 % CPU, +18 MB/s (here: 78 s, 2.9 GB, MemoryError)",
    ),
    "VTIMEZONE every minute": (
        lambda: _cal(_zone("MINUTELY"), _event(*ZONED)),
        "hangs (here: killed after 120 s)",
    ),
    "VTIMEZONE every second": (
        lambda: _cal(_zone("SECONDLY"), _event(*ZONED)),
        "hangs (here: killed after 120 s)",
    ),
    "MONTHLY, full BY lists": (
        lambda: _cal(
            _event("DTSTART:20230101T000000Z", "DURATION:PT1M", f"RRULE:FREQ=MONTHLY;{FULL}")
        ),
        "13-18 s, 1.1 GB",
    ),
    "YEARLY, full BY lists, 1900": (
        lambda: _cal(
            _event(
                "DTSTART:19000101T000000Z",
                "DURATION:PT1M",
                f"RRULE:FREQ=YEARLY;{_lists(('BYMONTH', range(1, 13)))};{FULL}",
            )
        ),
        "13-18 s, 1.1 GB (here: 20 s, 2.9 GB, MemoryError)",
    ),
    "a rule that never happens": (
        lambda: _cal(
            _event(
                "DTSTART:20240101T090000Z",
                "DURATION:PT50M",
                "RRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30",
            )
        ),
        "here: 5 s (a walk to the year 9999)",
    ),
    "100,000 events on one day": (
        lambda: _cal(
            *(
                _event(
                    f"DTSTART:20240612T{9 + i % 8:02d}{i % 60:02d}00Z",
                    "DURATION:PT50M",
                    uid=f"f{i}",
                )
                for i in range(100_000)
            )
        ),
        "47 s, 830 MB (here: 25 s, 846 MB RSS)",
    ),
    "20,000 weekly series": (
        lambda: _cal(
            *(
                _event(
                    f"DTSTART:20200106T{8 + i % 9:02d}{i % 60:02d}00Z",
                    "DURATION:PT50M",
                    "RRULE:FREQ=WEEKLY",
                    uid=f"s{i}",
                )
                for i in range(20_000)
            )
        ),
        "93 s, 1 GB (here, one day: 7.3 s, 398 MB RSS)",
    ),
}


def hostile(day: date) -> None:
    print("hostile feeds (issue 14), 14 days from", day, "(the refresh window);")
    print("time untraced, then peak Python memory (tracemalloc) in a second, traced read:")

    def read(data: bytes) -> str:
        ical.clear_cache()
        try:
            return f"planned, {len(parse_sessions(data, 'hostile.ics', day, 14))} sessions"
        except CalendarError as exc:
            return "refused: " + str(exc).split(": ", 1)[1][:70]

    for label, (make, before) in HOSTILE.items():
        data = make()
        started = time.perf_counter()
        outcome = read(data)
        ms = (time.perf_counter() - started) * 1000
        tracemalloc.start()
        read(data)
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = f"{len(data) / 1e3:8.1f} KB"
        print(f"  {label:28s} {size} {ms:8.1f} ms {peak / 2**20:6.1f} MiB  {outcome}")
        print(f"  {'':28s} before: {before}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=16_000)
    parser.add_argument("--series", type=int, default=40)
    parser.add_argument("--day", default="2024-03-13", help="the day to plan (YYYY-MM-DD)")
    parser.add_argument("--no-naive", action="store_true", help="skip the slow naive parse")
    parser.add_argument("--no-hostile", action="store_true", help="skip the hostile feeds")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "practice.ics"
        path.write_bytes(make_feed(args.series, args.events))
        data = path.read_bytes()
    print(f"feed: {len(data) / 1e6:.2f} MB, {args.series} weekly series, {args.events} one-offs")
    rules = EventRules(heavy_keywords=("supervision",), exclude_keywords=("lunch",))
    day = date.fromisoformat(args.day)
    # Import time is not the planner's cost: the app imports these once, in warm_up.
    import ctypes  # noqa: F401  (the read's watchdog)

    import icalendar  # noqa: F401
    import recurring_ical_events  # noqa: F401

    from companion.core.calendar import guard, limits, render  # noqa: F401

    rows: list[tuple[str, float, int]] = []

    def run(label: str, first: date, days: int) -> None:
        ms, sessions = timed(lambda: parse_sessions(data, "bench.ics", first, days, rules))
        assert isinstance(sessions, list)
        rows.append((label, ms, len(sessions)))

    ical.clear_cache()
    run("day, cold (scan + parse)", day, 1)
    run("day, warm (another day)", day + timedelta(days=1), 1)
    run("day, repeat (same day)", day + timedelta(days=1), 1)
    ical.clear_cache()
    run("week, cold", day, 7)
    run("week, warm (another week)", day + timedelta(days=7), 7)
    run("14 days, warm (cache window)", day, 14)
    for label, ms, count in rows:
        print(f"  {label:32s} {ms:8.1f} ms  ({count} sessions)")

    ical.clear_cache()
    tracemalloc.start()
    parse_sessions(data, "bench.ics", day, 1, rules)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak Python memory, cold day (tracemalloc): {peak / 2**20:.1f} MiB")
    print(f"peak RSS of this process so far (ru_maxrss): {rss:.0f} MiB")

    if not args.no_naive:
        ms, count = timed(lambda: naive(data, day, 1))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"naive full parse + expand, one day: {ms:8.0f} ms  ({count} events)")
        print(f"peak RSS after the naive parse (ru_maxrss): {rss:.0f} MiB")

    if not args.no_hostile:
        hostile(date(2024, 6, 10))


if __name__ == "__main__":
    main()
