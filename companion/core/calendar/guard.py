"""The expansion guard: every repeat rule is bounded before a library walks it.

recurring-ical-events and icalendar walk repeat rules with dateutil, which has no limit
of its own. `RRULE:FREQ=DAILY;INTERVAL=0` repeats one instant forever; full BYMONTHDAY,
BYHOUR and BYMINUTE lists make 44,640 instances a month; a VTIMEZONE rule that repeats
every minute is expanded to 2038 as the zone is built; a rule that can never happen
(30 February) is walked to the year 9999 looking for its first instance. So each rule (an
event's RRULEs, a time-zone block's) is read here first and the steps the library would
take are estimated: the periods from its start to the last day asked (or its UNTIL, or
COUNT), times the instances each period's BY... lists make. A rule over the bound refuses
the feed in one line that names its line; a rule that can never happen is left out.

Messages carry the source, a line and fixed words, never the rule's or an event's text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from companion.core.calendar.errors import CalendarError
from companion.core.calendar.limits import MAX_EXPANSION, MAX_ZONE_CHANGES
from companion.core.calendar.scan import Span, day_of, unfold
from companion.i18n import N_, _

#: Periods a day, per frequency.
PER_DAY = {
    "SECONDLY": 86400.0,
    "MINUTELY": 1440.0,
    "HOURLY": 24.0,
    "DAILY": 1.0,
    "WEEKLY": 1 / 7,
    "MONTHLY": 12 / 365.25,
    "YEARLY": 1 / 365.25,
}
_RANK = {f: i for i, f in enumerate(PER_DAY)}  # SECONDLY 0 ... YEARLY 6
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February at its longest
#: icalendar expands a time-zone rule without UNTIL or COUNT to the end of 2038.
_ZONE_HORIZON = date(2038, 12, 31).toordinal()


@dataclass(frozen=True)
class Rule:
    """What the guard needs of one RRULE value."""

    freq: str | None
    interval: int | None  # None: not a positive whole number
    count: int | None = None
    until_day: int | None = None
    by: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def moves_on(self) -> bool:
        return self.interval is not None

    def never_happens(self) -> bool:
        """True when BYMONTH and BYMONTHDAY admit no date at all (30 February)."""
        days = self.by.get("BYMONTHDAY")
        if not days or self.freq not in PER_DAY:
            return False
        months = _numbers(self.by.get("BYMONTH", ())) or set(range(1, 13))
        wanted = _numbers(days)
        if not wanted or not months <= set(range(1, 13)) or len(wanted) < len(days):
            return False  # something the library will refuse, or read, itself
        return all(not any(1 <= abs(d) <= _DAYS_IN_MONTH[m - 1] for d in wanted) for m in months)

    def per_period(self) -> float:
        """At most how many instances one period of the rule makes (at least 1)."""
        freq = self.freq or "DAILY"
        by = self.by

        def n(key: str, most: int) -> int:
            return min(len(set(by[key])), most) if by.get(key) else 0

        months, monthdays, yeardays, weeknos = (
            n("BYMONTH", 12),
            n("BYMONTHDAY", 62),
            n("BYYEARDAY", 732),
            n("BYWEEKNO", 106),
        )
        weekdays = {d.strip().upper() for d in by.get("BYDAY", ())}
        plain = sum(1 for d in weekdays if len(d) == 2)
        nth = len(weekdays) - plain
        days = 1
        if freq == "YEARLY":
            limits = []
            if monthdays:
                limits.append(monthdays * (months or 12))
            if yeardays:
                limits.append(yeardays)
            if weeknos:
                limits.append(7 * weeknos)
            if weekdays:
                limits.append((5 * plain + nth) * months if months else 53 * plain + nth)
            days = min([*limits, 31 * months if months else 366]) if limits else max(months, 1)
        elif freq == "MONTHLY":
            limits = [v for v in (monthdays, yeardays, 7 * weeknos, 5 * plain + nth) if v]
            days = min([*limits, 31]) if limits else 1
        elif freq == "WEEKLY":
            days = min(len(weekdays), 7) or 1
        rank = _RANK.get(freq, _RANK["DAILY"])
        times = 1
        if rank > _RANK["HOURLY"]:
            times *= n("BYHOUR", 24) or 1
        if rank > _RANK["MINUTELY"]:
            times *= n("BYMINUTE", 60) or 1
        if rank > _RANK["SECONDLY"]:
            times *= n("BYSECOND", 61) or 1
        return float(max(days, 1) * times)

    def last_day(self, begin: int) -> int | None:
        """A day no instance of the rule comes after, when its UNTIL or COUNT bounds it
        for sure (`begin`: the day ordinal of its start); None when that cannot be known
        cheaply. A COUNT bounds it only where every period is sure to make an instance:
        no BY... lists (WEEKLY: plain weekdays), a month day every month has."""
        if self.until_day is not None:
            return self.until_day
        if self.count is None or self.interval is None:
            return None
        keys = set(self.by)
        if self.freq == "WEEKLY" and keys == {"BYDAY"}:
            if any(len(d.strip()) != 2 for d in self.by["BYDAY"]):
                return None
        elif keys:
            return None
        day = date.fromordinal(begin) if 0 < begin <= date.max.toordinal() else None
        span = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}.get(self.freq or "")
        if day is None or span is None:
            return None
        if (self.freq == "MONTHLY" and day.day > 28) or (
            self.freq == "YEARLY" and (day.month, day.day) == (2, 29)
        ):
            return None  # months or years without that day make no instance
        return begin + (self.count + 1) * self.interval * span

    def steps(self, begin: int, stop: int) -> float:
        """About how many instances the library makes walking from day `begin` to `stop`."""
        per_day = PER_DAY.get(self.freq or "")
        if per_day is None or self.interval is None:
            return 0.0
        if self.until_day is not None:
            stop = min(stop, self.until_day)
        periods = max(0, stop - begin) * per_day / self.interval + 1
        each = self.per_period()
        estimate = periods * each
        if self.count is not None:
            # COUNT instances end the walk; with BYSETPOS each kept one may cost a period.
            estimate = min(estimate, self.count * (each if "BYSETPOS" in self.by else 1.0))
        return estimate


def _numbers(values: tuple[str, ...]) -> set[int]:
    return {int(v) for v in map(str.strip, values) if re.fullmatch(r"[+-]?\d{1,3}", v)}


@lru_cache(maxsize=4096)
def read_rule(line: str) -> Rule:
    """The rule in an RRULE line's value (what follows "RRULE", e.g. ":FREQ=DAILY").
    Kept per text: a feed's series mostly share a few rules. Do not change what it returns."""
    value = line.split(":", 1)[1] if ":" in line else line
    parts: dict[str, str] = {}
    for item in value.strip().split(";"):
        key, sep, val = item.partition("=")
        if sep:
            parts.setdefault(key.strip().upper(), val.strip())
    freq = parts.get("FREQ", "").upper() or None
    raw_interval = parts.get("INTERVAL") or "1"
    interval: int | None = 1  # not a number: the library refuses the rule itself
    if re.fullmatch(r"[+-]?\d+", raw_interval):
        digits = raw_interval.lstrip("+-").lstrip("0")
        if raw_interval.startswith("-") or not digits:
            interval = None  # zero or negative: it never moves on
        else:
            interval = int(digits) if len(digits) <= 12 else 10**12
    count = parts.get("COUNT", "")
    until = parts.get("UNTIL")
    return Rule(
        freq=freq,
        interval=interval,
        count=int(count) if count.isdigit() and len(count) <= 12 else None,
        until_day=day_of(until) if until else None,
        by={k: tuple(v.split(",")) for k, v in parts.items() if k.startswith("BY") and v},
    )


# --- events ---------------------------------------------------------------------------------------


def check_event_rule(
    rule: Rule, *, begin: int, stop: int, name: str, line_of: Callable[[], int]
) -> None:
    """Refuse one event's rule the library could not walk in bounded time (`line_of()`:
    the event's line, asked only then)."""
    if not rule.moves_on:
        raise CalendarError(
            _(
                "{name}: line {line}: a repeat rule has an INTERVAL of 0 or less, so it would "
                "repeat without end; fix or remove that event"
            ).format(name=name, line=line_of())
        )
    if rule.steps(begin, stop) <= MAX_EXPANSION:
        return
    line = line_of()
    lists = rule.per_period() > 1
    message = _TOO_MANY if lists else _TOO_DENSE.get(rule.freq or "DAILY", _TOO_MANY)
    raise CalendarError(_(message).format(name=name, line=line))


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
_TOO_MANY = N_(
    "{name}: line {line}: an event repeats too many times (its rule lists too many days, "
    "hours or minutes) to expand; shorten or remove that series"
)


# --- time-zone blocks -------------------------------------------------------------------------

_SUB = re.compile(
    r"^BEGIN:(STANDARD|DAYLIGHT)[ \t]*$(.*?)^END:\1[ \t]*$",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)
_LINE = re.compile(r"^(DTSTART|RRULE)([;:][^\n]*)$", re.IGNORECASE | re.MULTILINE)


def check_zones(text: str, blocks: list[Span], name: str, line_of: Callable[[int], int]) -> None:
    """Refuse a VTIMEZONE whose rules change more often than any real zone does.

    `blocks` are spans of `text`; `line_of(offset)` is the line an offset is on.
    """
    for start, end in blocks:
        block = unfold(text[start:end])
        for sub in _SUB.finditer(block):
            begin: int | None = None
            rules: list[Rule] = []
            for m in _LINE.finditer(sub.group(2)):
                if m.group(1).upper() == "DTSTART":
                    begin = day_of(m.group(2)) if begin is None else begin
                else:
                    rules.append(read_rule(m.group(2)))
            for rule in rules:
                if _zone_rule_ok(rule, begin):
                    continue
                line = line_of(start)
                raise CalendarError(
                    _(
                        "{name}: line {line}: a time-zone definition changes more often than "
                        "any real time zone; fix or remove that time zone"
                    ).format(name=name, line=line)
                )


def _zone_rule_ok(rule: Rule, begin: int | None) -> bool:
    if not rule.moves_on or rule.never_happens():
        return False
    if begin is None or rule.freq not in PER_DAY:
        return True  # the library refuses those itself, quickly
    stop = _ZONE_HORIZON if rule.until_day is None and rule.count is None else 3_652_059
    return rule.steps(begin, stop) <= MAX_ZONE_CHANGES
