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

Time zones. Windows and custom zone names are resolved by `zones.py`; Google's
X-WR-TIMEZONE is honoured (via recurring-ical-events' x-wr-timezone support). Floating
times are local.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import warnings
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from itertools import groupby
from typing import TYPE_CHECKING, Any

from companion.core.calendar.errors import CalendarError
from companion.core.calendar.scan import Index, IndexedCalendar, Span, clear_indexes, index_for
from companion.core.calendar.session import Session, day_bounds, dedupe, to_local
from companion.core.calendar.zones import all_standard, windows_to_iana
from companion.core.settings import Settings
from companion.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from companion.core.calendar.limits import Ceiling, Limits, Overrun
    from companion.core.calendar.render import Skipped
    from companion.core.clock import Clock

# guard.py, limits.py and render.py are imported where a feed is read, not with this
# module: the idle tray app (which plans from the standing week or the cache) never needs
# them, and warm.warm_up loads them on the GUI thread before the first read.

__all__ = ["EventRules", "clear_cache", "parse_sessions", "windows_to_iana"]

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


_LOCK = threading.Lock()
_RESULTS: OrderedDict[tuple[Any, ...], list[Session]] = OrderedDict()
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


def _check_zones(calendar: Any, name: str, line_of_event: Callable[[int], int | None]) -> None:
    """A TZID the libraries could not resolve leaves a naive time: say so, never guess.

    `line_of_event(i)` is the line of the i-th event handed to the parser. The zone's
    name is never repeated: it is the event's text, like its title.
    """
    for i, event in enumerate(calendar.walk("VEVENT")):
        for key in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            prop = event.get(key)
            if prop is None or not hasattr(prop, "params"):
                continue
            tzid = prop.params.get("TZID")
            value = getattr(prop, "dt", None)
            if tzid and isinstance(value, datetime) and value.tzinfo is None:
                line = line_of_event(i)
                message = _(
                    "{name}: line {line}: an event uses a time zone this computer does not "
                    "know; export the calendar with standard time-zone names"
                )
                if line is None:
                    message = _(
                        "{name}: an event uses a time zone this computer does not know; "
                        "export the calendar with standard time-zone names"
                    )
                raise CalendarError(message.format(name=name, line=line))


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
    line_of_event: Callable[[int], int | None],
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
        if not all_standard(reduced):
            _check_zones(calendar, name, line_of_event)
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
) -> Span | None:
    """Which single event fails on its own (to name its line), if any."""
    from companion.core.calendar.render import Skipped, reduced_text

    for span in spans:
        ceiling.check()
        try:
            reduced = reduced_text(index, cal, [span], first, _keep_for(rules))
            _expand(
                reduced,
                "",
                lo,
                hi,
                rules,
                line_of_event=lambda _i: None,
                ceiling=ceiling,
                tally=_Tally(Skipped()),
            )
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
    """The sessions in an iCalendar document overlapping local days [first_day, +days).

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
            return list(hit)
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
    sessions = dedupe(found)
    with _LOCK:
        _RESULTS[result_key] = sessions
        while len(_RESULTS) > _MAX_RESULTS:
            _RESULTS.popitem(last=False)
    return list(sessions)


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
    from companion.core.calendar.render import reduced_text, select

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
    try:
        reduced = reduced_text(
            index,
            cal,
            spans,
            first,
            _keep_for(rules),
            longest=rules.max_session_minutes,
            skipped=tally.skipped,
        )

        def line_of_event(i: int) -> int | None:  # only asked when a line must be named
            kept = [span for span in spans if span not in tally.skipped.spans]
            return line_of(kept[i][0]) if i < len(kept) else None

        return _expand(
            reduced,
            source,
            lo,
            hi,
            rules,
            line_of_event=line_of_event,
            ceiling=ceiling,
            tally=tally,
        )
    except (CalendarError, Overrun):
        raise
    except Exception as exc:
        culprit = None
        try:
            culprit = _blame(
                index, cal, spans, first=first, lo=lo, hi=hi, rules=rules, ceiling=ceiling
            )
        except (Exception, Overrun):  # no time left to find the line: say what is wrong
            culprit = None
        raise _unusable(source, exc, line_of(culprit[0]) if culprit else None) from None
