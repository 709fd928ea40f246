"""iCalendar bytes -> Sessions for a range of local days, fast and private.

Speed. The raw text is indexed first without icalendar (`scan.py`); for a range, only
the time-zone blocks, the series and the events dated within a few days of the range are
handed to icalendar and recurring-ical-events. Daily and weekly series are moved forward
to near the range, and a series too dense to walk is refused with a clear line.

Privacy. Titles, descriptions, locations and categories are read in memory to apply
the include/exclude/heavy keywords and then dropped. No error message ever carries an
event's text: messages are built from the source name, a line number and a fixed
description of what is wrong, never from a library's exception text.

Time zones. Windows and custom zone names are resolved by `zones.py`; Google's
X-WR-TIMEZONE is honoured (via recurring-ical-events' x-wr-timezone support). Floating
times are local.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
import warnings
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from companion.core.calendar.errors import CalendarError
from companion.core.calendar.scan import (
    Index,
    IndexedCalendar,
    Series,
    Span,
    clear_indexes,
    day_of,
    index_for,
    unfold,
)
from companion.core.calendar.session import Session, day_bounds, dedupe, to_local
from companion.core.calendar.zones import apply_renames, windows_to_iana, zone_renames
from companion.core.settings import Settings
from companion.i18n import N_, _

__all__ = ["EventRules", "clear_cache", "parse_sessions", "windows_to_iana"]


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


_NAME = re.compile(r"[A-Za-z0-9-]+")
_FREQ = re.compile(r"FREQ=([A-Z]+)", re.IGNORECASE)
_INTERVAL = re.compile(r"INTERVAL=(\d+)", re.IGNORECASE)
_COUNT = re.compile(r"COUNT=(\d+)", re.IGNORECASE)
_UNTIL = re.compile(r"UNTIL=(\d{8})", re.IGNORECASE)

#: Days either side of the asked range within which a one-off event is handed to the
#: parser: covers any zone difference (up to 26 h) plus the longest allowed session.
MARGIN_DAYS = 3
#: Beyond this many raw repetitions from its (effective) start, a series is refused
#: rather than expanded (a FREQ=MINUTELY rule from years ago would take minutes).
MAX_EXPANSION = 300_000
_PER_DAY = {"SECONDLY": 86400.0, "MINUTELY": 1440.0, "HOURLY": 24.0, "DAILY": 1.0, "WEEKLY": 1 / 7}

# The properties handed to icalendar: what recurrence expansion and the rules need.
# Attendees, locations, alarms, organisers and the like never reach the parser.
_KEEP = frozenset(
    {
        *("UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE"),
        *("RECURRENCE-ID", "SEQUENCE", "STATUS", "TRANSP"),
    }
)
_KEEP_TITLE = _KEEP | {"SUMMARY", "CATEGORIES"}
_KEEP_TEXT = _KEEP_TITLE | {"DESCRIPTION"}

_LOCK = threading.Lock()
_RESULTS: OrderedDict[tuple[Any, ...], list[Session]] = OrderedDict()
_MAX_RESULTS = 64


def clear_cache() -> None:
    """Forget every scanned feed and result (tests; after a source is removed)."""
    clear_indexes()
    with _LOCK:
        _RESULTS.clear()


# --- selection and rendering -----------------------------------------------------------------


def _select(cal: IndexedCalendar, first: int, last: int) -> list[Span]:
    lo = bisect_left(cal.days, first - MARGIN_DAYS)
    hi = bisect_right(cal.days, last + MARGIN_DAYS)
    spans = {span for _day, span in cal.dated[lo:hi]}
    spans.update(cal.always)
    return sorted(spans)


def _rule_number(pattern: re.Pattern[str], rule: str) -> int | None:
    m = pattern.search(rule)
    return int(m.group(1)) if m else None


def _shift_for(series: Series, first: int, x_wr_timezone: bool) -> int:
    """Days to move a DAILY/WEEKLY series' start forward without changing its instances
    near the range, so the expansion does not walk years of repetitions.

    The start moves by whole periods (INTERVAL days or weeks) to at least two weeks
    before the range: every instance from there on is the same; only instances before
    the new start (and the old start itself) disappear, and those are far from the range.
    Not done for COUNT rules (the count would change), date-only starts, or UTC starts
    in a calendar with X-WR-TIMEZONE (those are re-zoned after this point).
    """
    rule = series.rule.upper()
    freq = _FREQ.search(rule)
    if not freq or freq.group(1) not in ("DAILY", "WEEKLY") or "COUNT=" in rule:
        return 0
    value = series.dtstart.rsplit(":", 1)[-1].strip().upper()
    if "T" not in value or series.start_day is None:
        return 0
    if value.endswith("Z") and x_wr_timezone:
        return 0
    period = max(1, _rule_number(_INTERVAL, rule) or 1) * (7 if freq.group(1) == "WEEKLY" else 1)
    target = first - MARGIN_DAYS - 14
    if target <= series.start_day:
        return 0
    shift = (target - series.start_day) // period * period
    until = _UNTIL.search(rule)
    if until:
        until_day = day_of(until.group(1))
        if until_day is None or series.start_day + shift >= until_day - 1:
            return 0
    return shift


def _shift_value(line: str, days: int) -> str | None:
    head, _sep, value = line.rpartition(":")
    raw = value.strip()
    zulu = raw.upper().endswith("Z")
    core = raw[:-1] if zulu else raw
    try:
        moved = datetime.strptime(core, "%Y%m%dT%H%M%S") + timedelta(days=days)
    except ValueError:
        return None
    return f"{head}:{moved.strftime('%Y%m%dT%H%M%S')}{'Z' if zulu else ''}"


def _render_event(block: str, keep: frozenset[str], shift: int) -> str:
    """The event's own lines that the parser needs (nested alarms dropped), its start
    and end moved `shift` days when that is safe."""
    out: list[str] = []
    depth = 0
    starts: list[int] = []
    ends: list[int] = []
    for line in unfold(block).split("\n"):
        m = _NAME.match(line)
        name = m.group(0).upper() if m else ""
        if name == "BEGIN":
            depth += 1
            if depth == 1:
                out.append(line)
            continue
        if name == "END":
            if depth == 1:
                out.append(line)
            depth -= 1
            continue
        if depth == 1 and name in keep:
            if name == "DTSTART":
                starts.append(len(out))
            elif name == "DTEND":
                ends.append(len(out))
            out.append(line)
    if shift and len(starts) == 1 and len(ends) <= 1:
        start_line = out[starts[0]]
        params = start_line.rpartition(":")[0][len("DTSTART") :]
        shifted = _shift_value(start_line, shift)
        end_shifted: str | None = ""
        if ends:
            end_line = out[ends[0]]
            same_form = end_line.rpartition(":")[0][len("DTEND") :] == params and (
                end_line.strip().upper().endswith("Z") == start_line.strip().upper().endswith("Z")
            )
            end_shifted = _shift_value(end_line, shift) if same_form else None
        if shifted is not None and end_shifted is not None:
            out[starts[0]] = shifted
            if ends:
                out[ends[0]] = end_shifted
    return "\n".join(out)


def _keep_for(rules: EventRules) -> frozenset[str]:
    if rules.heavy_keywords:
        return _KEEP_TEXT
    if rules.include_keywords or rules.exclude_keywords:
        return _KEEP_TITLE
    return _KEEP


def _reduced_text(
    index: Index, cal: IndexedCalendar, spans: list[Span], first: int, rules: EventRules
) -> str:
    text = index.text
    keep = _keep_for(rules)
    renames = zone_renames(text, cal.timezones)
    parts = ["BEGIN:VCALENDAR", *cal.header]
    for start, end in cal.timezones:
        block = unfold(text[start:end])
        parts.append(apply_renames(block, renames, timezone_block=True) if renames else block)
    for span in spans:
        series = cal.series.get(span)
        shift = _shift_for(series, first, cal.x_wr_timezone) if series else 0
        block = _render_event(text[span[0] : span[1]], keep, shift)
        parts.append(apply_renames(block, renames, timezone_block=False) if renames else block)
    parts.append("END:VCALENDAR\n")
    return "\n".join(parts)


def _check_series(cal: IndexedCalendar, first: int, last: int, name: str, line_of: Any) -> None:
    """Refuse a series that would take too long to walk (a minutely rule from years ago)."""
    for series in cal.series.values():
        freq_match = _FREQ.search(series.rule)
        if not freq_match or series.start_day is None:
            continue
        freq = freq_match.group(1).upper()
        per_day = _PER_DAY.get(freq)
        if per_day is None:
            continue
        interval = max(1, _rule_number(_INTERVAL, series.rule) or 1)
        begin = series.start_day + _shift_for(series, first, cal.x_wr_timezone)
        stop = last + MARGIN_DAYS
        until = _UNTIL.search(series.rule)
        if until:
            until_day = day_of(until.group(1))
            if until_day is not None:
                stop = min(stop, until_day)
        estimate = max(0, stop - begin) * per_day / interval
        count = _rule_number(_COUNT, series.rule)
        if count is not None:
            estimate = min(estimate, float(count))
        if estimate > MAX_EXPANSION:
            message = _TOO_DENSE.get(freq, _TOO_DENSE["DAILY"])
            raise CalendarError(_(message).format(name=name, line=line_of(series.span[0])))


_TOO_DENSE = {
    "SECONDLY": N_(
        "{name}: line {line}: an event repeats every second over too long a time to expand; "
        "shorten or remove that series"
    ),
    "MINUTELY": N_(
        "{name}: line {line}: an event repeats every minute over too long a time to expand; "
        "shorten or remove that series"
    ),
    "HOURLY": N_(
        "{name}: line {line}: an event repeats every hour over too long a time to expand; "
        "shorten or remove that series"
    ),
    "DAILY": N_(
        "{name}: line {line}: an event repeats every day over too long a time to expand; "
        "shorten or remove that series"
    ),
}


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


def _session_of(component: Any, rules: EventRules) -> Session | None:
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
    length = (end - start).total_seconds() / 60
    if length <= 0 or length > rules.max_session_minutes:
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


def _check_zones(calendar: Any, name: str) -> None:
    """A TZID the libraries could not resolve leaves a naive time: say so, never guess."""
    for event in calendar.walk("VEVENT"):
        for key in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            prop = event.get(key)
            if prop is None or not hasattr(prop, "params"):
                continue
            tzid = prop.params.get("TZID")
            value = getattr(prop, "dt", None)
            if tzid and isinstance(value, datetime) and value.tzinfo is None:
                raise CalendarError(
                    _(
                        "{name}: unknown time zone {zone!r}; "
                        "export the calendar with standard time-zone names"
                    ).format(name=name, zone=str(tzid)[:60])
                )


def _expand(
    reduced: str, name: str, lo: datetime, hi: datetime, rules: EventRules
) -> list[Session]:
    # Lazy: these libraries cost start-up time and memory, and only parsing a feed needs them.
    import icalendar
    import recurring_ical_events

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calendar = icalendar.Calendar.from_ical(reduced)
        _check_zones(calendar, name)
        query = recurring_ical_events.of(calendar)
        # A day either side in dates: floating and zoned events compare cleanly, and the
        # exact overlap is decided below on aware local times.
        events = query.between(lo.date() - timedelta(days=1), hi.date() + timedelta(days=1))
        sessions = []
        for event in events:
            session = _session_of(event, rules)
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


def _blame(
    index: Index,
    cal: IndexedCalendar,
    spans: list[Span],
    *,
    first: int,
    lo: datetime,
    hi: datetime,
    rules: EventRules,
) -> Span | None:
    """Which single event fails on its own (to name its line), if any."""
    for span in spans:
        try:
            _expand(_reduced_text(index, cal, [span], first, rules), "", lo, hi, rules)
        except Exception:
            return span
    return None


def parse_sessions(
    data: bytes, source: str, first_day: date, days: int = 1, rules: EventRules | None = None
) -> list[Session]:
    """The sessions in an iCalendar document overlapping local days [first_day, +days).

    `source` names the source in error messages (a file path, or a masked URL). Raises
    CalendarError (one line, never an event's text) when the document cannot be used.
    Plain blocking code; safe to run in a worker thread.
    """
    rules = rules or EventRules()
    try:
        key, index = index_for(data, source)
    except CalendarError:
        raise
    except Exception as exc:  # a scan of odd bytes must never escape as a traceback
        raise _unusable(source, exc) from None
    lo, hi = day_bounds(first_day, days)
    # The local zone is part of the key: the same day elsewhere is another question.
    result_key = (key, lo, hi, rules, time.tzname, os.environ.get("TZ"))
    with _LOCK:
        hit = _RESULTS.get(result_key)
        if hit is not None:
            _RESULTS.move_to_end(result_key)
            return list(hit)
    first, last = first_day.toordinal(), (first_day + timedelta(days=days - 1)).toordinal()
    found: list[Session] = []
    try:
        for cal in index.calendars:
            found += _sessions_of_calendar(
                index, cal, source=source, first=first, last=last, lo=lo, hi=hi, rules=rules
            )
    except CalendarError:
        raise
    except Exception as exc:  # whatever an odd file provokes, it is one line, never a traceback
        raise _unusable(source, exc) from None
    sessions = dedupe(found)
    with _LOCK:
        _RESULTS[result_key] = sessions
        while len(_RESULTS) > _MAX_RESULTS:
            _RESULTS.popitem(last=False)
    return list(sessions)


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
) -> list[Session]:
    def line_of(start: int) -> int:
        return index.text.count("\n", 0, start)

    _check_series(cal, first, last, source, line_of)
    spans = _select(cal, first, last)
    if not spans:
        return []
    try:
        return _expand(_reduced_text(index, cal, spans, first, rules), source, lo, hi, rules)
    except CalendarError:
        raise
    except Exception as exc:
        culprit = None
        with contextlib.suppress(Exception):
            culprit = _blame(index, cal, spans, first=first, lo=lo, hi=hi, rules=rules)
        raise _unusable(source, exc, line_of(culprit[0]) if culprit else None) from None
