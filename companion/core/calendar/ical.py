"""iCalendar bytes -> Sessions for a range of local days, fast and private.

Speed. The raw text is indexed first without icalendar (`scan.py`); for a range, only
the time-zone blocks, the series still running and the events dated within a few days of
the range are handed to icalendar and recurring-ical-events. Daily and weekly series are
moved forward to near the range.

Safety. A feed is read as if hostile (`limits.py`): every repeat rule is bounded before
the libraries walk it (`guard.py`), a day with more events than any real day, or more
running series than any real calendar, is refused before parsing, and the whole read has
a time and memory ceiling. A refused read is one line; the caller keeps the last good plan.

Privacy. Titles, descriptions, locations and categories are read in memory to apply
the include/exclude/heavy keywords and then dropped. No error message ever carries an
event's text: messages are built from the source name, a line number and a fixed
description of what is wrong, never from a library's exception text.

Time zones. Windows and custom zone names are resolved by `zones.py` (NUL-padded
ones too); Google's X-WR-TIMEZONE is honoured, mapped exactly as a TZID is (a Windows
name, a zone the calendar defines), and an empty one is ignored. Floating times are
local. An event whose zone still cannot be resolved is skipped and counted, never
guessed: one bad event costs that event only (`Reading.skipped`, said by the tray and
`companion doctor` in one line without the event's text or its zone's name).

Repeat rules. A timed series whose UNTIL is a bare date (Google writes
`UNTIL=20211020`) runs through that whole day, as the calendar that wrote it means.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import warnings
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from functools import partial
from itertools import groupby
from typing import TYPE_CHECKING, Any

from companion.core.calendar.errors import SKIPPED_ZONE, CalendarError, skipped_total
from companion.core.calendar.scan import Index, IndexedCalendar, Span, clear_indexes, index_for
from companion.core.calendar.session import Session, day_bounds, dedupe, to_local
from companion.core.calendar.zones import all_standard, is_iana, windows_to_iana
from companion.core.settings import Settings
from companion.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from companion.core.calendar.limits import Ceiling, Limits, Overrun
    from companion.core.calendar.render import Skipped
    from companion.core.clock import Clock

# guard.py, limits.py and render.py are imported where a feed is read, not with this
# module: the idle tray app (which plans from the standing week or the cache) never needs
# them, and warm.warm_up loads them on the GUI thread before the first read.

__all__ = [
    "EventRules",
    "Reading",
    "clear_cache",
    "parse_sessions",
    "read_sessions",
    "windows_to_iana",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventRules:
    """Which events are sessions, and which sessions are heavy.

    Include/exclude keywords are matched (case-insensitive substring) against the title
    and categories only, so a word in a session's notes can never drop a session;
    heavy keywords also look at the description (marking heavy is the harmless side).
    """

    max_session_minutes: int = 180
    include_keywords: tuple[str, ...] = ()
    exclude_keywords: tuple[str, ...] = ()
    heavy_keywords: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("include_keywords", "exclude_keywords", "heavy_keywords"):
            words = tuple(w.strip().casefold() for w in getattr(self, name) if w.strip())
            object.__setattr__(self, name, words)

    @classmethod
    def from_settings(cls, settings: Settings) -> EventRules:
        return cls(
            max_session_minutes=settings.max_session_minutes,
            include_keywords=settings.include_keywords,
            exclude_keywords=settings.exclude_keywords,
            heavy_keywords=settings.heavy_keywords,
        )


@dataclass(frozen=True)
class Reading:
    """What one read of a feed found: the sessions, and the events it skipped, counted
    per reason (`errors.SKIP_REASONS`), never what they were."""

    sessions: tuple[Session, ...]
    skipped: Mapping[str, int] = field(default_factory=dict)

    @property
    def skipped_count(self) -> int:
        return skipped_total(self.skipped)


_LOCK = threading.Lock()
_RESULTS: OrderedDict[tuple[Any, ...], Reading] = OrderedDict()
_MAX_RESULTS = 64


def clear_cache() -> None:
    """Forget every scanned feed and result (tests; after a source is removed)."""
    clear_indexes()
    with _LOCK:
        _RESULTS.clear()


def _keep_for(rules: EventRules) -> frozenset[str]:
    from companion.core.calendar.render import KEEP, KEEP_TEXT, KEEP_TITLE

    if rules.heavy_keywords:
        return KEEP_TEXT
    if rules.include_keywords or rules.exclude_keywords:
        return KEEP_TITLE
    return KEEP


# --- expansion ---------------------------------------------------------------------------------


def _haystack(component: Any, *keys: str) -> str:
    parts: list[str] = []
    for key in keys:
        value = component.get(key)
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        for v in values:
            cats = getattr(v, "cats", None)
            if cats is not None:
                parts.extend(str(c) for c in cats)
            else:
                parts.append(str(v))
    return "\n".join(parts).casefold()


@dataclass
class _Tally:
    """What a read skipped, counted for the log (never what the events were)."""

    skipped: Skipped  # what rendering left out
    reversed_skipped: int = 0
    zone_skipped: int = 0  # events whose time zone cannot be resolved, near the range

    def add(self, other: _Tally) -> None:
        self.skipped.reversed += other.skipped.reversed
        self.skipped.spans |= other.skipped.spans
        self.reversed_skipped += other.reversed_skipped
        self.zone_skipped += other.zone_skipped


def _session_of(component: Any, rules: EventRules, tally: _Tally | None = None) -> Session | None:
    """The session an expanded event stands for, or None if it is not one."""
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        return None
    if str(component.get("TRANSP", "")).upper() == "TRANSPARENT":
        return None
    dtstart = component.get("DTSTART")
    if dtstart is None:
        return None
    start = dtstart.dt
    if not isinstance(start, datetime):
        return None  # all-day
    dtend = component.get("DTEND")
    if dtend is not None:
        end = dtend.dt
    elif component.get("DURATION") is not None:
        duration = component.get("DURATION").dt
        if not isinstance(duration, timedelta):
            return None
        end = start + duration
    else:
        return None  # no length: not a session
    if not isinstance(end, datetime):
        return None
    start, end = to_local(start), to_local(end)
    reversed_ = end < start
    if reversed_:
        start, end = end, start  # written end first: the calendar meant it the other way round
    length = (end - start).total_seconds() / 60
    if length <= 0 or length > rules.max_session_minutes:
        if reversed_ and tally is not None:
            tally.reversed_skipped += 1  # read either way, it is no session
        return None
    if rules.include_keywords or rules.exclude_keywords:
        title = _haystack(component, "SUMMARY", "CATEGORIES")
        if rules.include_keywords and not any(k in title for k in rules.include_keywords):
            return None
        if any(k in title for k in rules.exclude_keywords):
            return None
    heavy = False
    if rules.heavy_keywords:
        text = _haystack(component, "SUMMARY", "CATEGORIES", "DESCRIPTION")
        heavy = any(k in text for k in rules.heavy_keywords)
    return Session(start, end, heavy)


_ZONED = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")


def _values(prop: Any) -> list[Any]:
    """The date or date-time values of a property (a list for EXDATE and RDATE)."""
    dts = getattr(prop, "dts", None)
    if dts is not None:
        values = [getattr(d, "dt", None) for d in dts]
    else:
        values = [getattr(prop, "dt", None)]
    return [v[0] if isinstance(v, tuple) and v else v for v in values]  # an RDATE period


def _unresolved(event: Any) -> bool:
    """Whether a TZID of the event left a time naive: the libraries could not resolve it."""
    for key in _ZONED:
        found = event.get(key)
        if found is None:
            continue
        for prop in found if isinstance(found, list) else [found]:
            params = getattr(prop, "params", None)
            if params is None or not params.get("TZID"):
                continue
            if any(isinstance(v, datetime) and v.tzinfo is None for v in _values(prop)):
                return True
    return False


def _near(event: Any, first: date, last: date) -> bool:
    """Whether a skipped event could have touched the days [first, last]: a series always
    (it reached the parser because it is still running), a one-off when its wall-clock
    day is within a day of them (no zone is more than a day from another)."""
    if event.get("RRULE") is not None or event.get("RDATE") is not None:
        return True
    start = getattr(event.get("DTSTART"), "dt", None)
    day = start.date() if isinstance(start, datetime) else start
    if not isinstance(day, date):
        return True
    return first - timedelta(days=1) <= day <= last + timedelta(days=1)


def _drop_events(calendar: Any, drop: Callable[[Any], bool], first: date, last: date) -> int:
    """Leave out the calendar's events for which `drop` is true; how many of them could
    have touched the days [first, last] (the ones worth counting)."""
    kept: list[Any] = []
    counted = 0
    for component in calendar.subcomponents:
        if getattr(component, "name", "") == "VEVENT" and drop(component):
            counted += _near(component, first, last)
            continue
        kept.append(component)
    if len(kept) != len(calendar.subcomponents):
        calendar.subcomponents[:] = kept
    return counted


def _utc_series(event: Any) -> bool:
    """A series written in UTC: the calendar's X-WR-TIMEZONE says at which wall time it
    repeats, so without that zone its instances after a daylight-saving change would be
    an hour off."""
    if event.get("RRULE") is None and event.get("RDATE") is None:
        return False
    start = getattr(event.get("DTSTART"), "dt", None)
    return (
        isinstance(start, datetime)
        and start.utcoffset() == timedelta(0)
        and (str(start.tzname()).upper() == "UTC")
    )


def _zone_named(calendar: Any, name: str) -> Any:
    """The tzinfo an X-WR-TIMEZONE value names (already mapped by render.py): an IANA
    zone, or a zone the calendar defines; None if neither."""
    if is_iana(name):
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    for block in calendar.walk("VTIMEZONE"):
        if str(block.get("TZID", "")).strip() == name:
            try:
                return block.to_tz()
            except Exception:  # a definition the library cannot build: not resolvable
                return None
    return None


def _apply_header_zone(calendar: Any, tally: _Tally, first: date, last: date) -> Any:
    """Google's X-WR-TIMEZONE applied (UTC and floating times read in that zone), then
    removed so that no library applies it again. An unknown one is not guessed: the
    series that depend on it (written in UTC) are skipped and counted, and the rest,
    exact instants or local floating times, is read as written."""
    import x_wr_timezone

    value = calendar.get("X-WR-TIMEZONE")
    if value is None:
        return calendar
    del calendar["X-WR-TIMEZONE"]
    name = str(value).strip()
    zone = _zone_named(calendar, name) if name else None
    if zone is None:
        if name:
            tally.zone_skipped += _drop_events(calendar, _utc_series, first, last)
        return calendar
    return x_wr_timezone.to_standard(calendar, timezone=zone)


def _until_whole_day(calendar: Any) -> None:
    """A timed series whose UNTIL is a bare date runs through that day (Google writes
    `UNTIL=20211020` and means the 20th is the last day). The libraries read it as
    midnight, so the last instance was lost: it becomes 23:59:59 that day, in the
    series' own zone (UTC-written starts: the local zone; floating: floating)."""
    from icalendar import vRecur

    for event in calendar.walk("VEVENT"):
        rules = event.get("RRULE")
        start = getattr(event.get("DTSTART"), "dt", None)
        if rules is None or not isinstance(start, datetime):
            continue
        for rule in rules if isinstance(rules, list) else [rules]:
            if not isinstance(rule, vRecur):
                continue  # a rule that could not be read: the library says so, in its words
            until = rule.get("UNTIL")
            day = until[0] if isinstance(until, list) and until else None
            if not isinstance(day, date) or isinstance(day, datetime):
                continue
            end = datetime.combine(day, clock_time(23, 59, 59))
            if start.tzinfo is not None:
                utc = start.utcoffset() == timedelta(0) and str(start.tzname()).upper() == "UTC"
                end = (end.astimezone() if utc else end.replace(tzinfo=start.tzinfo)).astimezone(
                    UTC
                )
            rule["UNTIL"] = [end]


def _day_of(value: Any) -> date | None:
    """The day an event starts on, in its own zone (close enough to count a flood)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _flooded(name: str, day: date, most: int) -> CalendarError:
    return CalendarError(
        ngettext(
            "{name}: {day}: more than {most} event on one day; too many to plan from, "
            "so the calendar was not used (remove the extra events)",
            "{name}: {day}: more than {most} events on one day; too many to plan from, "
            "so the calendar was not used (remove the extra events)",
            most,
        ).format(name=name, day=day.isoformat(), most=most)
    )


def _occurrences(query: Any, first: date, last: date, ceiling: Ceiling, name: str) -> list[Any]:
    """The expanded events between two dates: one series at a time with the ceiling
    checked, and each day's count kept as they come, so that a rule filling every minute
    is stopped before a copy of the event is made for each."""
    most = ceiling.limits.events_per_day
    per_day: dict[date, int] = {}

    def count(start: Any) -> None:
        day = _day_of(start)
        if day is not None:
            per_day[day] = n = per_day.get(day, 0) + 1
            if n > most:
                raise _flooded(name, day, most)

    all_series = getattr(query, "series", None)
    if not isinstance(all_series, list):  # another recurring-ical-events: one call
        events = list(query.between(first, last))
        for event in events:
            count(getattr(event.get("DTSTART"), "dt", None))
        return events
    found = []
    for series in all_series:
        ceiling.check()  # within one series, the per-day cap and the watchdog bound the work
        for occurrence in series.between(first, last):
            count(getattr(occurrence, "start", None))
            found.append(occurrence)
    ceiling.check()
    return [occurrence.as_component(False) for occurrence in found]


def _expand(
    reduced: str,
    name: str,
    lo: datetime,
    hi: datetime,
    rules: EventRules,
    *,
    ceiling: Ceiling,
    tally: _Tally,
) -> list[Session]:
    # Lazy: these libraries cost start-up time and memory, and only parsing a feed needs them.
    import icalendar
    import recurring_ical_events

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calendar = icalendar.Calendar.from_ical(reduced)
        ceiling.check()
        first, last = lo.date(), (hi - timedelta(microseconds=1)).date()
        if not all_standard(reduced):  # before X-WR-TIMEZONE, which would "resolve" them
            tally.zone_skipped += _drop_events(calendar, _unresolved, first, last)
        calendar = _apply_header_zone(calendar, tally, first, last)
        _until_whole_day(calendar)
        query = recurring_ical_events.of(calendar)
        ceiling.check()
        # A day either side in dates: floating and zoned events compare cleanly, and the
        # exact overlap is decided below on aware local times.
        events = _occurrences(
            query, lo.date() - timedelta(days=1), hi.date() + timedelta(days=1), ceiling, name
        )
        sessions = []
        for event in events:
            session = _session_of(event, rules, tally)
            if session is not None and session.overlaps(lo, hi):
                sessions.append(session)
    return sessions


_LIBRARY_PROBLEMS = {
    "BadRuleStringFormat": N_("a repeat rule (RRULE) could not be read"),
    "PeriodEndBeforeStart": N_("an event ends before it starts"),
    "BrokenCalendarProperty": N_("a date, time or other value could not be read"),
    "IncompleteComponent": N_("an event is missing a start or an end"),
    "ZoneInfoNotFoundError": N_("unknown time zone"),
    "UnknownTimeZoneError": N_("unknown time zone"),
    "RecursionError": N_("the calendar is nested too deeply"),
}


def _problem(exc: BaseException) -> str:
    """What a library's exception means, in fixed words (never its text)."""
    kind = type(exc).__name__
    known = _LIBRARY_PROBLEMS.get(kind)
    return _(known) if known else _("an event could not be read ({kind})").format(kind=kind)


def _unusable(source: str, exc: BaseException, line: int | None = None) -> CalendarError:
    if line is None:
        return CalendarError(_("{name}: {problem}").format(name=source, problem=_problem(exc)))
    return CalendarError(
        _("{name}: line {line}: {problem}").format(name=source, line=line, problem=_problem(exc))
    )


def _over_ceiling(source: str, exc: Overrun, limits: Limits) -> CalendarError:
    from companion.core.calendar.limits import MemoryOverrun

    if isinstance(exc, MemoryOverrun):
        size = _("{size:g} MB").format(size=round(limits.memory / (1024 * 1024), 1))
        return CalendarError(
            _(
                "{name}: reading the calendar needed more than {size} of memory, so it was "
                "stopped and not used"
            ).format(name=source, size=size)
        )
    return CalendarError(
        _(
            "{name}: reading the calendar took longer than {seconds:g} s, so it was stopped "
            "and not used (a repeating event may be too complex)"
        ).format(name=source, seconds=limits.seconds)
    )


def _blame(
    index: Index,
    cal: IndexedCalendar,
    spans: list[Span],
    *,
    first: int,
    lo: datetime,
    hi: datetime,
    rules: EventRules,
    ceiling: Ceiling,
    leave_out_zones: frozenset[Span] = frozenset(),
) -> Span | None:
    """Which single event fails on its own (to name its line), if any."""
    from companion.core.calendar.render import Skipped, reduced_text

    for span in spans:
        ceiling.check()
        try:
            reduced = reduced_text(
                index, cal, [span], first, _keep_for(rules), leave_out_zones=leave_out_zones
            )
            _expand(reduced, "", lo, hi, rules, ceiling=ceiling, tally=_Tally(Skipped()))
        except Exception:
            return span
    return None


def parse_sessions(
    data: bytes,
    source: str,
    first_day: date,
    days: int = 1,
    rules: EventRules | None = None,
    *,
    limits: Limits | None = None,
    clock: Clock | None = None,
) -> list[Session]:
    """The sessions of `read_sessions`, without what it skipped."""
    reading = read_sessions(data, source, first_day, days, rules, limits=limits, clock=clock)
    return list(reading.sessions)


def read_sessions(
    data: bytes,
    source: str,
    first_day: date,
    days: int = 1,
    rules: EventRules | None = None,
    *,
    limits: Limits | None = None,
    clock: Clock | None = None,
) -> Reading:
    """The sessions in an iCalendar document overlapping local days [first_day, +days),
    and the events skipped on the way (an event whose time zone cannot be resolved
    costs that event only), counted per reason.

    `source` names the source in error messages (a file path, or a masked URL). Raises
    CalendarError (one line, never an event's text) when the document cannot be used,
    including when it is over `limits` (a day or the series flooded, a rule too dense to
    walk, the read too long or too big; `clock` times the read's own checks). Plain
    blocking code; safe to run in a worker thread.
    """
    from companion.core.calendar.limits import Ceiling, Limits, Overrun
    from companion.core.calendar.render import MARGIN_DAYS, Skipped

    rules = rules or EventRules()
    limits = limits or Limits()
    try:
        key, index = index_for(data, source)
    except CalendarError:
        raise
    except Exception as exc:  # a scan of odd bytes must never escape as a traceback
        raise _unusable(source, exc) from None
    try:
        lo, hi = day_bounds(first_day, days)
        first, last = first_day.toordinal(), (first_day + timedelta(days=days - 1)).toordinal()
        date.fromordinal(first - MARGIN_DAYS - 1)
        date.fromordinal(last + MARGIN_DAYS + 1)
    except (OverflowError, ValueError):
        raise CalendarError(
            _("{name}: cannot plan {day}; it is too near the first or last date there is").format(
                name=source, day=first_day.isoformat()
            )
        ) from None
    # The local zone is part of the key: the same day elsewhere is another question.
    result_key = (key, lo, hi, rules, time.tzname, os.environ.get("TZ"))
    with _LOCK:
        hit = _RESULTS.get(result_key)
        if hit is not None:
            _RESULTS.move_to_end(result_key)
            return hit
    found: list[Session] = []
    tally = _Tally(Skipped())
    try:
        with Ceiling(limits, clock) as ceiling:
            for cal in index.calendars:
                found += _sessions_of_calendar(
                    index,
                    cal,
                    source=source,
                    first=first,
                    last=last,
                    lo=lo,
                    hi=hi,
                    rules=rules,
                    ceiling=ceiling,
                    tally=tally,
                )
    except CalendarError:
        raise
    except Overrun as exc:
        raise _over_ceiling(source, exc, limits) from None
    except Exception as exc:  # whatever an odd file provokes, it is one line, never a traceback
        raise _unusable(source, exc) from None
    skipped = tally.reversed_skipped + tally.skipped.reversed
    if skipped:
        log.info("%s: %d event(s) end long before they start; skipped", source, skipped)
    if tally.zone_skipped:
        log.info(
            "%s: %d event(s) in a time zone that cannot be resolved; skipped",
            source,
            tally.zone_skipped,
        )
    reading = Reading(
        tuple(dedupe(found)),
        {SKIPPED_ZONE: tally.zone_skipped} if tally.zone_skipped else {},
    )
    with _LOCK:
        _RESULTS[result_key] = reading
        while len(_RESULTS) > _MAX_RESULTS:
            _RESULTS.popitem(last=False)
    return reading


def _check_counts(
    cal: IndexedCalendar, running: list[Span], *, first: int, last: int, source: str, limits: Limits
) -> None:
    """Refuse a flood before any of it is parsed: a day over the cap, or too many series."""
    from companion.core.calendar.render import MARGIN_DAYS

    if len(running) > limits.series:
        raise CalendarError(
            ngettext(
                "{name}: more than {most} repeating event that is still running; too many to "
                "plan from, so the calendar was not used (end or remove old series)",
                "{name}: more than {most} repeating events that are still running; too many to "
                "plan from, so the calendar was not used (end or remove old series)",
                limits.series,
            ).format(name=source, most=limits.series)
        )
    lo = bisect_left(cal.days, first - MARGIN_DAYS)
    hi = bisect_right(cal.days, last + MARGIN_DAYS)
    if hi - lo <= limits.events_per_day:
        return
    for day, same in groupby(cal.days[lo:hi]):
        if sum(1 for _ in same) > limits.events_per_day:
            raise _flooded(source, date.fromordinal(day), limits.events_per_day)


def _check_rules(
    cal: IndexedCalendar,
    running: list[Span],
    *,
    first: int,
    last: int,
    source: str,
    line_of: Callable[[int], int],
) -> None:
    """Refuse a repeat rule the libraries could not walk in bounded time."""
    from companion.core.calendar import guard
    from companion.core.calendar.render import MARGIN_DAYS, shift_for

    for span in running:
        series = cal.series.get(span)
        if series is None:
            continue
        begin = None
        if series.start_day is not None:
            begin = series.start_day + shift_for(series, first, cal.x_wr_timezone)
        for line in series.rules:
            rule = guard.read_rule(line)
            if begin is None and rule.moves_on:
                continue  # an event the library cannot date refuses itself
            guard.check_event_rule(
                rule,
                begin=begin or 0,
                stop=last + MARGIN_DAYS,
                name=source,
                line_of=partial(line_of, span[0]),
            )


def _sessions_of_calendar(
    index: Index,
    cal: IndexedCalendar,
    *,
    source: str,
    first: int,
    last: int,
    lo: datetime,
    hi: datetime,
    rules: EventRules,
    ceiling: Ceiling,
    tally: _Tally,
) -> list[Session]:
    from companion.core.calendar import guard
    from companion.core.calendar.limits import Overrun
    from companion.core.calendar.render import Skipped, reduced_text, select

    def line_of(start: int) -> int:
        return index.text.count("\n", 0, start)

    dated, running = select(cal, first, last)
    _check_counts(cal, running, first=first, last=last, source=source, limits=ceiling.limits)
    _check_rules(cal, running, first=first, last=last, source=source, line_of=line_of)
    guard.check_zones(index.text, cal.timezones, source, line_of)
    spans = sorted([*dated, *running])
    if not spans:
        return []
    ceiling.check()

    def attempt(leave_out: frozenset[Span]) -> list[Session]:
        mine = _Tally(Skipped())  # a failed attempt counts nothing
        reduced = reduced_text(
            index,
            cal,
            spans,
            first,
            _keep_for(rules),
            longest=rules.max_session_minutes,
            skipped=mine.skipped,
            leave_out_zones=leave_out,
        )
        found = _expand(reduced, source, lo, hi, rules, ceiling=ceiling, tally=mine)
        tally.add(mine)
        return found

    broken: frozenset[Span] = frozenset()
    try:
        return attempt(broken)
    except (CalendarError, Overrun):
        raise
    except Exception as exc:
        failure: Exception = exc
    # A time-zone block the library cannot build fails the whole parse: leave it out, so
    # that only the events that use it are skipped (as for a zone that is not there).
    broken = _broken_zones(index, cal, ceiling)
    if broken:
        try:
            return attempt(broken)
        except (CalendarError, Overrun):
            raise
        except Exception as exc:
            failure = exc
    culprit = None
    try:
        culprit = _blame(
            index,
            cal,
            spans,
            first=first,
            lo=lo,
            hi=hi,
            rules=rules,
            ceiling=ceiling,
            leave_out_zones=broken,
        )
    except (Exception, Overrun):  # no time left to find the line: say what is wrong
        culprit = None
    raise _unusable(source, failure, line_of(culprit[0]) if culprit else None) from None


def _broken_zones(index: Index, cal: IndexedCalendar, ceiling: Ceiling) -> frozenset[Span]:
    """The calendar's time-zone blocks the library cannot build on their own."""
    import icalendar

    from companion.core.calendar.render import zone_block

    broken = set()
    for span in cal.timezones:
        ceiling.check()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                icalendar.Calendar.from_ical(
                    f"BEGIN:VCALENDAR\n{zone_block(index, cal, span)}\nEND:VCALENDAR\n"
                )
        except Exception:
            broken.add(span)
    return frozenset(broken)
