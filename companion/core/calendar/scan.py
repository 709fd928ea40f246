"""The raw-text pre-scan of an iCalendar document: an index built without icalendar.

Parsing a 5 MB feed whole with icalendar and expanding it takes seconds, and a
clinician's feed is mostly years of one-off events nobody needs today. So the raw text
is scanned first (one regular-expression pass, no icalendar objects) into an index:

* the calendar's own properties (X-WR-TIMEZONE, CALSCALE, ...) and its VTIMEZONE blocks;
* "always" events: recurring series (RRULE/RDATE) and anything the scan cannot date;
* dated events: one-offs by their DTSTART day, and moved or cancelled instances
  (RECURRENCE-ID) by both their original and their new day.

The index is kept per content hash, so planning the same feed again skips the scan.
`ical.py` picks from it what a range of days needs. Messages name the source and a
line, never an event's text.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from companion.core.calendar.errors import CalendarError
from companion.i18n import _

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


# A block is (start offset, end offset) into "\n" + document, so the line a block starts
# on is the count of "\n" before it.
Span = tuple[int, int]


@dataclass(frozen=True)
class Series:
    span: Span
    rule: str  # the RRULE line after its name, e.g. ":FREQ=WEEKLY;BYDAY=MO"
    dtstart: str  # the DTSTART line after its name, e.g. ";TZID=Europe/Berlin:20190107T080000"
    start_day: int | None
    more_rules: tuple[str, ...] = ()  # further RRULE lines of the same event (rare)
    has_rdate: bool = False

    @property
    def rules(self) -> tuple[str, ...]:
        return (self.rule, *self.more_rules)


@dataclass
class IndexedCalendar:
    """The index of one VCALENDAR in the text."""

    header: list[str] = field(default_factory=list)
    timezones: list[Span] = field(default_factory=list)
    always: list[Span] = field(default_factory=list)
    dated: list[tuple[int, Span]] = field(default_factory=list)  # (day ordinal, block)
    days: list[int] = field(default_factory=list)  # sorted ordinals, parallel to dated
    series: dict[Span, Series] = field(default_factory=dict)
    x_wr_timezone: bool = False


@dataclass
class Index:
    text: str
    calendars: list[IndexedCalendar]


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def normalise(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            text = text.replace("\r", "\n")
    return text


def unfold(text: str) -> str:
    """Normalised line ends and unfolded lines, in as few passes over the text as can be."""
    if "\r" in text:
        text = text.replace("\r\n ", "")
        if "\r\n\t" in text:
            text = text.replace("\r\n\t", "")
        text = normalise(text)
    if "\n " in text:
        text = text.replace("\n ", "")
    if "\n\t" in text:
        text = text.replace("\n\t", "")
    return text


def day_of(value: str) -> int | None:
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


def sniff(text: str, name: str) -> None:
    """Refuse what is plainly not a calendar, with a message that says what it is."""
    head = text.lstrip()[:512].lower()
    if not head:
        raise CalendarError(_("{name}: the calendar is empty").format(name=name))
    if head.startswith(("<!doctype html", "<html", "<head", "<body")) or (
        head.startswith("<") and "<html" in head
    ):
        raise CalendarError(
            _(
                "{name}: got a web page instead of a calendar (the link may have expired, "
                "be wrong, or need a login)"
            ).format(name=name)
        )
    if "begin:vcalendar" not in text[:65536].lower():
        raise CalendarError(
            _("{name}: not an iCalendar file (no BEGIN:VCALENDAR)").format(name=name)
        )


def scan(text: str, name: str) -> Index:
    """Index `text` ("\n" + the decoded document + "\n")."""
    calendars: list[IndexedCalendar] = []
    cal = IndexedCalendar()
    stack: list[str] = []
    in_event = False
    gap_start = 0
    block_start = 0
    props: dict[str, str] = {}
    more_rules: list[str] = []

    for m in _SCAN.finditer(text):
        keyword, comp, prop, rest = m.groups()
        if keyword is None:
            if in_event:
                key = prop.upper()
                value = unfold(rest) if "\n" in rest else rest
                if key == "RRULE" and key in props:
                    more_rules.append(value)
                else:
                    props.setdefault(key, value)
            continue
        comp = comp.upper()
        if keyword.upper() == "BEGIN":
            depth = len(stack)
            if depth == 0:
                if comp != "VCALENDAR":
                    line = text.count("\n", 0, m.start() + 1)
                    raise CalendarError(
                        _("{name}: line {line}: BEGIN:{component} outside a calendar").format(
                            name=name, line=line, component=comp
                        )
                    )
                cal = IndexedCalendar()
                calendars.append(cal)
                gap_start = m.end()
            elif depth == 1:
                _add_header(cal, text[gap_start : m.start()])
                block_start = m.start() + 1
                props = {}
                more_rules = []
                in_event = comp == "VEVENT"
            else:
                in_event = False
            stack.append(comp)
            continue
        if not stack or stack[-1] != comp:
            line = text.count("\n", 0, m.start() + 1)
            if stack:
                message = _("{name}: line {line}: END:{component} where END:{open} was expected")
            else:
                message = _("{name}: line {line}: END:{component} where nothing was expected")
            opened = stack[-1] if stack else ""
            raise CalendarError(message.format(name=name, line=line, component=comp, open=opened))
        stack.pop()
        depth = len(stack)
        if depth == 0:
            _add_header(cal, text[gap_start : m.start()])
        elif depth == 1:
            span = (block_start, m.end())
            if comp == "VTIMEZONE":
                cal.timezones.append(span)
            elif comp == "VEVENT":
                _classify(cal, span, props, more_rules)
            gap_start = m.end()
            in_event = False
        elif depth == 2:
            in_event = stack[1] == "VEVENT"
    if stack or not calendars:
        raise CalendarError(
            _(
                "{name}: the calendar is cut off (no END:VCALENDAR); the file or download "
                "may be incomplete"
            ).format(name=name)
        )
    for c in calendars:
        c.dated.sort(key=lambda item: item[0])
        c.days = [d for d, _span in c.dated]
        c.x_wr_timezone = any(_header_zone_given(h) for h in c.header)
    return Index(text, calendars)


_X_WR_TIMEZONE = re.compile(r"^X-WR-TIMEZONE(?:;[^:\n]*)?:([^\n]*)$", re.MULTILINE | re.IGNORECASE)


def _header_zone_given(chunk: str) -> bool:
    """Whether calendar properties hold an X-WR-TIMEZONE that is not empty (an empty one,
    or one of only spaces, quotes or NUL bytes, is ignored)."""
    if "X-WR-TIMEZONE" not in chunk.upper():
        return False
    return any(m.group(1).strip(' \t"\x00') for m in _X_WR_TIMEZONE.finditer(unfold(chunk)))


def _add_header(cal: IndexedCalendar, gap: str) -> None:
    gap = normalise(gap).strip()
    if gap:
        cal.header.append(gap)


def _classify(
    cal: IndexedCalendar, span: Span, props: dict[str, str], more_rules: list[str]
) -> None:
    if "DTSTART" not in props:
        return  # no start: never a session (and the expansion library cannot take it)
    start_day = day_of(props["DTSTART"])
    if "RRULE" in props or "RDATE" in props:
        cal.always.append(span)
        if "RRULE" in props:
            cal.series[span] = Series(
                span,
                props["RRULE"],
                props["DTSTART"],
                start_day,
                tuple(more_rules),
                "RDATE" in props,
            )
        return
    if "RECURRENCE-ID" in props:
        recid = props["RECURRENCE-ID"]
        params = recid.rsplit(":", 1)[0].upper()
        original_day = day_of(recid)
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

_LOCK = threading.Lock()
_INDEXES: OrderedDict[bytes, Index] = OrderedDict()
_MAX_INDEXES = 3


def index_for(data: bytes, name: str) -> tuple[bytes, Index]:
    """The index of `data` and its content key: scanned once, then kept per content hash
    (the last few feeds). Raises CalendarError for what is plainly not a calendar."""
    import hashlib  # lazy: hashlib loads OpenSSL (_hashlib), which the idle app does without

    key = hashlib.blake2b(data, digest_size=16).digest()
    with _LOCK:
        cached = _INDEXES.get(key)
        if cached is not None:
            _INDEXES.move_to_end(key)
            return key, cached
    text = decode(data)
    sniff(text, name)
    if "\n" not in text:
        text = normalise(text)  # classic Mac line ends (CR only)
    index = scan("\n" + text + "\n", name)
    del text
    with _LOCK:
        _INDEXES[key] = index
        while len(_INDEXES) > _MAX_INDEXES:
            _INDEXES.popitem(last=False)
    return key, index


def clear_indexes() -> None:
    """Forget every scanned feed."""
    with _LOCK:
        _INDEXES.clear()
