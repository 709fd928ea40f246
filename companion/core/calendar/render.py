"""What of a feed the parser sees: the events near the asked days, reduced and moved.

`ical.py` hands icalendar only the text a range needs (`reduced_text`): the calendar's
header and time-zone blocks, the repeating events still running, and the events dated
within `MARGIN_DAYS` of the range; of each event only the properties expansion and the
keyword rules need. Daily and weekly series are moved forward to near the range, so the
expansion does not walk years of repetitions. A repeat rule that can never happen is left
out (the library would walk to the year 9999 looking for it), and an end written in
another form than its start (one floating, one not) is rewritten in the start's form,
floating meaning local time as everywhere here.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from companion.core.calendar import guard
from companion.core.calendar.scan import Index, IndexedCalendar, Series, Span, day_of, unfold
from companion.core.calendar.zones import apply_renames, map_header, needs_renames, zone_renames

_NAME = re.compile(r"[A-Za-z0-9-]+")
_FREQ = re.compile(r"FREQ=([A-Z]+)", re.IGNORECASE)
_INTERVAL = re.compile(r"INTERVAL=(\d+)", re.IGNORECASE)
_UNTIL = re.compile(r"UNTIL=(\d{8})", re.IGNORECASE)

#: Days either side of the asked range within which a one-off event is handed to the
#: parser: covers any zone difference (up to 26 h) plus the longest allowed session.
MARGIN_DAYS = 3

# The properties handed to icalendar: what recurrence expansion and the rules need.
# Attendees, locations, alarms, organisers and the like never reach the parser.
KEEP = frozenset(
    {
        *("UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE"),
        *("RECURRENCE-ID", "SEQUENCE", "STATUS", "TRANSP"),
    }
)
KEEP_TITLE = KEEP | {"SUMMARY", "CATEGORIES"}
KEEP_TEXT = KEEP_TITLE | {"DESCRIPTION"}


def select(cal: IndexedCalendar, first: int, last: int) -> tuple[list[Span], list[Span]]:
    """The events dated near [first, last], and the repeating ones still running then."""
    lo = bisect_left(cal.days, first - MARGIN_DAYS)
    hi = bisect_right(cal.days, last + MARGIN_DAYS)
    dated = {span for _day, span in cal.dated[lo:hi]}
    running = [s for s in cal.always if _running(cal.series.get(s), first)]
    dated.difference_update(running)
    return sorted(dated), running


def _running(series: Series | None, first: int) -> bool:
    """False for a series whose every rule ended (UNTIL, or a COUNT that surely ran out)
    well before `first`: none of its instances can reach the range, and years of ended
    series need not be parsed (nor one in a zone that cannot be resolved counted)."""
    if series is None or series.has_rdate:
        return True
    for line in series.rules:
        rule = guard.read_rule(line)
        until = rule.until_day if series.start_day is None else rule.last_day(series.start_day)
        if until is None or until >= first - MARGIN_DAYS:
            return True
    return False


def _rule_number(pattern: re.Pattern[str], rule: str) -> int | None:
    m = pattern.search(rule)
    if not m:
        return None
    digits = m.group(1)
    return int(digits) if len(digits) <= 12 else 10**12  # int() refuses 4,300 digits and more


def shift_for(series: Series, first: int, x_wr_timezone: bool) -> int:
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
    if series.more_rules:
        return 0  # one shift cannot keep the instances of two rules
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


def _floating(line: str) -> bool | None:
    """Whether a DTSTART/DTEND line holds a floating date-time (None: a date, or unreadable)."""
    head, _sep, value = line.rpartition(":")
    value = value.strip().upper()
    if len(value) < 15 or value[8] != "T":
        return None
    return "TZID=" not in head.upper() and not value.endswith("Z")


def _end_in_start_form(start_line: str, end_line: str) -> str:
    """DTEND rewritten in DTSTART's form when one is floating and the other UTC.

    The recurrence library compares such a pair as if the floating time were UTC, which
    can turn an end written before its start (swapped, as some calendars write it) into
    a five-hour event. Floating means local time here, as everywhere in this package.
    """
    start_head, _s, start_value = start_line.rpartition(":")
    end_head, _e, end_value = end_line.rpartition(":")
    if start_head[len("DTSTART") :] == end_head[len("DTEND") :] and (
        start_value[-1:].upper() == end_value[-1:].upper()
    ):
        return end_line  # the same form: nothing to rewrite
    start_floating, end_floating = _floating(start_line), _floating(end_line)
    if start_floating is None or end_floating is None or start_floating == end_floating:
        return end_line
    head, _sep, value = end_line.rpartition(":")
    value = value.strip().upper()
    try:
        if end_floating:  # local wall time -> UTC, like the start
            local = datetime.strptime(value, "%Y%m%dT%H%M%S").astimezone()
            return f"DTEND:{local.astimezone(UTC):%Y%m%dT%H%M%S}Z"
        if value.endswith("Z") and "TZID=" not in head.upper():  # UTC -> local wall time
            utc = datetime.strptime(value[:-1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            return f"DTEND:{utc.astimezone():%Y%m%dT%H%M%S}"
    except (ValueError, OverflowError):
        pass
    return end_line


@dataclass
class Skipped:
    """What rendering left out, counted (never what the events were)."""

    reversed: int = 0  # ends before it starts by more than a session can last
    spans: set[Span] = field(default_factory=set)  # the events left out


def _minutes_reversed(start_line: str, end_line: str) -> float | None:
    """By how many minutes an end written in the start's form comes before the start."""
    start_head, _s, start = start_line.rpartition(":")
    end_head, _e, end = end_line.rpartition(":")
    start, end = start.strip().upper(), end.strip().upper()
    if end >= start or len(start) != len(end):  # same form: the text sorts like the time
        return None
    if start_head[len("DTSTART") :] != end_head[len("DTEND") :]:
        return None
    try:
        a = datetime.strptime(start.rstrip("Z"), "%Y%m%dT%H%M%S")
        b = datetime.strptime(end.rstrip("Z"), "%Y%m%dT%H%M%S")
    except ValueError:
        return None
    return (a - b).total_seconds() / 60


def _render_event(
    block: str, keep: frozenset[str], shift: int, longest: float, skipped: Skipped
) -> str:
    """The event's own lines that the parser needs (nested alarms dropped), its start
    and end moved `shift` days when that is safe; "" for an event written end first by
    more than `longest` minutes (read either way, it is no session)."""
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
            if name == "RRULE" and guard.read_rule(line[len(name) :]).never_happens():
                continue  # no instance ever: the library would walk to the year 9999
            if name == "DTSTART":
                starts.append(len(out))
            elif name == "DTEND":
                ends.append(len(out))
            out.append(line)
    if len(starts) == 1 and len(ends) == 1:
        out[ends[0]] = _end_in_start_form(out[starts[0]], out[ends[0]])
        back = _minutes_reversed(out[starts[0]], out[ends[0]])
        if back is not None and back > longest:
            skipped.reversed += 1
            return ""
        # A shorter one is read swapped, as the calendar that wrote it meant it.
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


def _zone_block(text: str, span: Span, renames: dict[str, str]) -> str:
    block = unfold(text[span[0] : span[1]])
    if needs_renames(block, renames):
        block = apply_renames(block, renames, timezone_block=True)
    return block.replace("\x00", "") if "\x00" in block else block


def zone_block(index: Index, cal: IndexedCalendar, span: Span) -> str:
    """One time-zone block as the parser gets it (renamed like the whole calendar)."""
    return _zone_block(index.text, span, zone_renames(index.text, cal.timezones))


def reduced_text(
    index: Index,
    cal: IndexedCalendar,
    spans: list[Span],
    first: int,
    keep: frozenset[str],
    *,
    longest: float = float("inf"),
    skipped: Skipped | None = None,
    leave_out_zones: frozenset[Span] = frozenset(),
) -> str:
    """The calendar the parser gets: header, time zones (but `leave_out_zones`), and the
    events at `spans` with only the properties in `keep` (an event written end first by
    more than `longest` minutes left out and counted in `skipped`)."""
    skipped = skipped if skipped is not None else Skipped()
    text = index.text
    renames = zone_renames(text, cal.timezones)
    parts = ["BEGIN:VCALENDAR"]
    for chunk in cal.header:  # X-WR-TIMEZONE mapped as a TZID is, or left out when empty
        mapped = map_header(unfold(chunk), renames) if "X-WR-TIMEZONE" in chunk.upper() else chunk
        if mapped:
            parts.append(mapped)
    for span in cal.timezones:
        if span not in leave_out_zones:
            parts.append(_zone_block(text, span, renames))
    for span in spans:
        series = cal.series.get(span)
        shift = shift_for(series, first, cal.x_wr_timezone) if series else 0
        block = _render_event(text[span[0] : span[1]], keep, shift, longest, skipped)
        if not block:
            skipped.spans.add(span)
            continue
        if needs_renames(block, renames):
            block = apply_renames(block, renames, timezone_block=False)
        parts.append(block)
    parts.append("END:VCALENDAR\n")
    out = "\n".join(parts)
    # NUL is never iCalendar text (Outlook Web pads names with it); icalendar drops a
    # property that holds one, so it goes here, once the zone names have been read.
    return out.replace("\x00", "") if "\x00" in out else out
