"""iCalendar bytes -> Sessions for a range of local days, fast and private.

Speed. Parsing a 5 MB feed whole with icalendar and expanding it takes seconds, and a
clinician's feed is mostly years of one-off events nobody needs today. So the raw text
is scanned first (one regular-expression pass, no icalendar objects) into an index:

* the calendar's own properties (X-WR-TIMEZONE, CALSCALE, ...) and its VTIMEZONE blocks;
* "always" events: recurring series (RRULE/RDATE) and anything the scan cannot date;
* dated events: one-offs by their DTSTART day, and moved or cancelled instances
  (RECURRENCE-ID) by both their original and their new day.

For a range, only the time-zone blocks, the series and the events dated within a few
days of the range are handed to icalendar and recurring-ical-events. The index is
kept per content hash, so planning the same feed again skips the scan.

Privacy. Titles, descriptions, locations and categories are read in memory to apply
the include/exclude/heavy keywords and then dropped. No error message ever carries an
event's text: messages are built from the source name, a line number and a fixed
description of what is wrong, never from a library's exception text.

Time zones. Outlook's Windows zone names ("Eastern Standard Time") are mapped to IANA
zones, with or without a VTIMEZONE block. Other non-IANA VTIMEZONE blocks (Outlook's
"Customized Time Zone") are renamed per definition, because icalendar caches custom
zones process-wide by name. Google's X-WR-TIMEZONE is honoured (via
recurring-ical-events' x-wr-timezone support). Floating times are local.
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
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from companion.core.calendar.errors import CalendarError
from companion.core.calendar.session import Session, day_bounds, dedupe, to_local
from companion.core.settings import Settings


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


# --- the raw-text scan ---------------------------------------------------------------------

# One pass over "\n" + the document as it is (folded, CRLF or LF): component boundaries
# and the four properties the index needs (with their continuation lines). A literal
# "\n" first lets the regex engine jump from line to line; the character classes make
# it case-insensitive without the cost of re.IGNORECASE. No copy of the text is made.
_SCAN = re.compile(
    r"\n(?:([Bb][Ee][Gg][Ii][Nn]|[Ee][Nn][Dd]):([A-Za-z0-9-]+)[ \t]*\r?"
    r"|([Dd][Tt][Ss][Tt][Aa][Rr][Tt]|[Rr][Rr][Uu][Ll][Ee]|[Rr][Dd][Aa][Tt][Ee]"
    r"|[Rr][Ee][Cc][Uu][Rr][Rr][Ee][Nn][Cc][Ee]-[Ii][Dd])"
    r"([;:][^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)\r?)(?=\n)"
)
_NAME = re.compile(r"[A-Za-z0-9-]+")
_TZID_LINE = re.compile(r"^TZID[;:][^\n]*$", re.MULTILINE | re.IGNORECASE)
_TZID_PARAM = re.compile(r";TZID=(\"[^\"\n]*\"|[^;:\n]*)", re.IGNORECASE)
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

# A block is (start offset, end offset) into "\n" + document, so the line a block starts
# on is the count of "\n" before it.
Span = tuple[int, int]


@dataclass(frozen=True)
class _Series:
    span: Span
    rule: str  # the RRULE line after its name, e.g. ":FREQ=WEEKLY;BYDAY=MO"
    dtstart: str  # the DTSTART line after its name, e.g. ";TZID=Europe/Berlin:20190107T080000"
    start_day: int | None


@dataclass
class _Calendar:
    """The index of one VCALENDAR in the text."""

    header: list[str] = field(default_factory=list)
    timezones: list[Span] = field(default_factory=list)
    always: list[Span] = field(default_factory=list)
    dated: list[tuple[int, Span]] = field(default_factory=list)  # (day ordinal, block)
    days: list[int] = field(default_factory=list)  # sorted ordinals, parallel to dated
    series: dict[Span, _Series] = field(default_factory=dict)
    x_wr_timezone: bool = False


@dataclass
class _Index:
    text: str
    calendars: list[_Calendar]


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def _normalise(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            text = text.replace("\r", "\n")
    return text


def _unfold(text: str) -> str:
    """Normalised line ends and unfolded lines, in as few passes over the text as can be."""
    if "\r" in text:
        text = text.replace("\r\n ", "")
        if "\r\n\t" in text:
            text = text.replace("\r\n\t", "")
        text = _normalise(text)
    if "\n " in text:
        text = text.replace("\n ", "")
    if "\n\t" in text:
        text = text.replace("\n\t", "")
    return text


def _day_of(value: str) -> int | None:
    """The day ordinal of an iCalendar date or date-time value ("20240301T090000Z")."""
    raw = value.rsplit(":", 1)[-1].strip()
    return _ordinal(raw[:8]) if len(raw) >= 8 else None


@lru_cache(maxsize=8192)
def _ordinal(digits: str) -> int | None:
    if not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])).toordinal()
    except ValueError:
        return None


def _sniff(text: str, name: str) -> None:
    """Refuse what is plainly not a calendar, with a message that says what it is."""
    head = text.lstrip()[:512].lower()
    if not head:
        raise CalendarError(f"{name}: the calendar is empty")
    if head.startswith(("<!doctype html", "<html", "<head", "<body")) or (
        head.startswith("<") and "<html" in head
    ):
        raise CalendarError(
            f"{name}: got a web page instead of a calendar (the link may have expired, "
            "be wrong, or need a login)"
        )
    if "begin:vcalendar" not in text[:65536].lower():
        raise CalendarError(f"{name}: not an iCalendar file (no BEGIN:VCALENDAR)")


def _scan(text: str, name: str) -> _Index:
    """Index `text` ("\n" + the decoded document + "\n")."""
    calendars: list[_Calendar] = []
    cal = _Calendar()
    stack: list[str] = []
    in_event = False
    gap_start = 0
    block_start = 0
    props: dict[str, str] = {}

    for m in _SCAN.finditer(text):
        keyword, comp, prop, rest = m.groups()
        if keyword is None:
            if in_event:
                props.setdefault(prop.upper(), _unfold(rest) if "\n" in rest else rest)
            continue
        comp = comp.upper()
        if keyword.upper() == "BEGIN":
            depth = len(stack)
            if depth == 0:
                if comp != "VCALENDAR":
                    line = text.count("\n", 0, m.start() + 1)
                    raise CalendarError(f"{name}: line {line}: BEGIN:{comp} outside a calendar")
                cal = _Calendar()
                calendars.append(cal)
                gap_start = m.end()
            elif depth == 1:
                _add_header(cal, text[gap_start : m.start()])
                block_start = m.start() + 1
                props = {}
                in_event = comp == "VEVENT"
            else:
                in_event = False
            stack.append(comp)
            continue
        if not stack or stack[-1] != comp:
            expected = f"END:{stack[-1]}" if stack else "nothing"
            line = text.count("\n", 0, m.start() + 1)
            raise CalendarError(f"{name}: line {line}: END:{comp} where {expected} was expected")
        stack.pop()
        depth = len(stack)
        if depth == 0:
            _add_header(cal, text[gap_start : m.start()])
        elif depth == 1:
            span = (block_start, m.end())
            if comp == "VTIMEZONE":
                cal.timezones.append(span)
            elif comp == "VEVENT":
                _classify(cal, span, props)
            gap_start = m.end()
            in_event = False
        elif depth == 2:
            in_event = stack[1] == "VEVENT"
    if stack or not calendars:
        raise CalendarError(
            f"{name}: the calendar is cut off (no END:VCALENDAR); the file or download "
            "may be incomplete"
        )
    for c in calendars:
        c.dated.sort(key=lambda item: item[0])
        c.days = [d for d, _span in c.dated]
        c.x_wr_timezone = any("X-WR-TIMEZONE" in h.upper() for h in c.header)
    return _Index(text, calendars)


def _add_header(cal: _Calendar, gap: str) -> None:
    gap = _normalise(gap).strip()
    if gap:
        cal.header.append(gap)


def _classify(cal: _Calendar, span: Span, props: dict[str, str]) -> None:
    if "DTSTART" not in props:
        return  # no start: never a session (and the expansion library cannot take it)
    start_day = _day_of(props["DTSTART"])
    if "RRULE" in props or "RDATE" in props:
        cal.always.append(span)
        if "RRULE" in props:
            cal.series[span] = _Series(span, props["RRULE"], props["DTSTART"], start_day)
        return
    if "RECURRENCE-ID" in props:
        recid = props["RECURRENCE-ID"]
        params = recid.rsplit(":", 1)[0].upper()
        original_day = _day_of(recid)
        if "THISANDFUTURE" in params or original_day is None or start_day is None:
            cal.always.append(span)
            return
        cal.dated.append((original_day, span))
        if start_day != original_day:
            cal.dated.append((start_day, span))
        return
    if start_day is None:
        cal.always.append(span)
    else:
        cal.dated.append((start_day, span))


# --- the index cache ---------------------------------------------------------------------

_CACHE_LOCK = threading.Lock()
_INDEXES: OrderedDict[bytes, _Index] = OrderedDict()
_RESULTS: OrderedDict[tuple[Any, ...], list[Session]] = OrderedDict()
_MAX_INDEXES = 3
_MAX_RESULTS = 64


def _index_for(data: bytes, name: str) -> tuple[bytes, _Index]:
    import hashlib  # lazy: hashlib loads OpenSSL (_hashlib), which the idle app does without

    key = hashlib.blake2b(data, digest_size=16).digest()
    with _CACHE_LOCK:
        cached = _INDEXES.get(key)
        if cached is not None:
            _INDEXES.move_to_end(key)
            return key, cached
    text = _decode(data)
    _sniff(text, name)
    if "\n" not in text:
        text = _normalise(text)  # classic Mac line ends (CR only)
    index = _scan("\n" + text + "\n", name)
    del text
    with _CACHE_LOCK:
        _INDEXES[key] = index
        while len(_INDEXES) > _MAX_INDEXES:
            _INDEXES.popitem(last=False)
    return key, index


def clear_cache() -> None:
    """Forget every scanned feed and result (tests; after a source is removed)."""
    with _CACHE_LOCK:
        _INDEXES.clear()
        _RESULTS.clear()


# --- time-zone names ---------------------------------------------------------------------


@lru_cache(maxsize=512)
def _is_iana(name: str) -> bool:
    from zoneinfo import ZoneInfo  # lazy, like icalendar: only parsing a feed needs it

    try:
        ZoneInfo(name)
    except Exception:
        return False
    return True


@lru_cache(maxsize=1)
def _windows_zones() -> dict[str, str]:
    try:  # icalendar stays lazy: it is only loaded to parse a feed (start-up time, memory)
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # pragma: no cover - icalendar always ships it today
        return dict(_FALLBACK_WINDOWS)
    return {**_FALLBACK_WINDOWS, **WINDOWS_TO_OLSON}


# The common ones, should icalendar ever stop shipping its table.
_FALLBACK_WINDOWS = {
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles",
    "GMT Standard Time": "Europe/London",
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest",
    "AUS Eastern Standard Time": "Australia/Sydney",
}


def windows_to_iana(name: str) -> str | None:
    """The IANA zone for an Outlook/Windows zone name, e.g. "Eastern Standard Time"."""
    return _windows_zones().get(name.strip().strip('"'))


def _tzid_value(line: str) -> str:
    return line.split(":", 1)[1].strip() if ":" in line else ""


def _quote(name: str) -> str:
    return f'"{name}"' if any(c in name for c in ':;,"') else name


def _zone_renames(text: str, blocks: list[Span]) -> dict[str, str]:
    """TZID renames: Windows names -> IANA; other non-IANA definitions -> a name per content."""
    import hashlib  # lazy: see _index_for

    renames: dict[str, str] = {}
    for start, end in blocks:
        block = _unfold(text[start:end])
        m = _TZID_LINE.search(block)
        if not m:
            continue
        tzid = _tzid_value(m.group(0)).strip('"')
        if not tzid or tzid in renames or _is_iana(tzid):
            continue
        iana = windows_to_iana(tzid)
        if iana:
            renames[tzid] = iana
        else:
            digest = hashlib.blake2b(block.encode(), digest_size=5).hexdigest()
            renames[tzid] = f"{tzid} ~{digest}"
    return renames


def _apply_renames(chunk: str, renames: dict[str, str], *, timezone_block: bool) -> str:
    def param(m: re.Match[str]) -> str:
        tzid = m.group(1).strip('"')
        new = renames.get(tzid)
        return f";TZID={_quote(new)}" if new else m.group(0)

    out = _TZID_PARAM.sub(param, chunk)
    if timezone_block:

        def line(m: re.Match[str]) -> str:
            tzid = _tzid_value(m.group(0)).strip('"')
            new = renames.get(tzid)
            return f"TZID:{new}" if new else m.group(0)

        out = _TZID_LINE.sub(line, out)
    return out


# --- selection and rendering -----------------------------------------------------------------


def _select(cal: _Calendar, first: int, last: int) -> list[Span]:
    lo = bisect_left(cal.days, first - MARGIN_DAYS)
    hi = bisect_right(cal.days, last + MARGIN_DAYS)
    spans = {span for _day, span in cal.dated[lo:hi]}
    spans.update(cal.always)
    return sorted(spans)


def _rule_number(pattern: re.Pattern[str], rule: str) -> int | None:
    m = pattern.search(rule)
    return int(m.group(1)) if m else None


def _shift_for(series: _Series, first: int, x_wr_timezone: bool) -> int:
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
        until_day = _day_of(until.group(1))
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
    for line in _unfold(block).split("\n"):
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
    index: _Index, cal: _Calendar, spans: list[Span], first: int, rules: EventRules
) -> str:
    text = index.text
    keep = _keep_for(rules)
    renames = _zone_renames(text, cal.timezones)
    parts = ["BEGIN:VCALENDAR", *cal.header]
    for start, end in cal.timezones:
        block = _unfold(text[start:end])
        parts.append(_apply_renames(block, renames, timezone_block=True) if renames else block)
    for span in spans:
        series = cal.series.get(span)
        shift = _shift_for(series, first, cal.x_wr_timezone) if series else 0
        block = _render_event(text[span[0] : span[1]], keep, shift)
        parts.append(_apply_renames(block, renames, timezone_block=False) if renames else block)
    parts.append("END:VCALENDAR\n")
    return "\n".join(parts)


def _check_series(cal: _Calendar, first: int, last: int, name: str, line_of: Any) -> None:
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
            until_day = _day_of(until.group(1))
            if until_day is not None:
                stop = min(stop, until_day)
        estimate = max(0, stop - begin) * per_day / interval
        count = _rule_number(_COUNT, series.rule)
        if count is not None:
            estimate = min(estimate, float(count))
        if estimate > MAX_EXPANSION:
            every = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}.get(freq, "day")
            raise CalendarError(
                f"{name}: line {line_of(series.span[0])}: an event repeats every {every} "
                "over too long a time to expand; shorten or remove that series"
            )


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
                    f"{name}: unknown time zone {str(tzid)[:60]!r}; "
                    "export the calendar with standard time-zone names"
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
    "BadRuleStringFormat": "a repeat rule (RRULE) could not be read",
    "PeriodEndBeforeStart": "an event ends before it starts",
    "BrokenCalendarProperty": "a date, time or other value could not be read",
    "IncompleteComponent": "an event is missing a start or an end",
    "ZoneInfoNotFoundError": "unknown time zone",
    "UnknownTimeZoneError": "unknown time zone",
    "RecursionError": "the calendar is nested too deeply",
}


def _problem(exc: BaseException) -> str:
    kind = type(exc).__name__
    return _LIBRARY_PROBLEMS.get(kind, f"an event could not be read ({kind})")


def _blame(
    index: _Index,
    cal: _Calendar,
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
        key, index = _index_for(data, source)
    except CalendarError:
        raise
    except Exception as exc:  # a scan of odd bytes must never escape as a traceback
        raise CalendarError(f"{source}: {_problem(exc)}") from None
    lo, hi = day_bounds(first_day, days)
    # The local zone is part of the key: the same day elsewhere is another question.
    result_key = (key, lo, hi, rules, time.tzname, os.environ.get("TZ"))
    with _CACHE_LOCK:
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
        raise CalendarError(f"{source}: {_problem(exc)}") from None
    sessions = dedupe(found)
    with _CACHE_LOCK:
        _RESULTS[result_key] = sessions
        while len(_RESULTS) > _MAX_RESULTS:
            _RESULTS.popitem(last=False)
    return list(sessions)


def _sessions_of_calendar(
    index: _Index,
    cal: _Calendar,
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
        problem = _problem(exc)
        culprit = None
        with contextlib.suppress(Exception):
            culprit = _blame(index, cal, spans, first=first, lo=lo, hi=hi, rules=rules)
        where = f"line {line_of(culprit[0])}: " if culprit else ""
        raise CalendarError(f"{source}: {where}{problem}") from None
