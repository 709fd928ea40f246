"""The quick week: "Monday to Thursday, first session 09:15, last 16:15, 50 minutes, one
every hour, lunch 12:15-13:15" as the standing week's sessions, and back where it can be.

    spec = QuickWeek(days=frozenset({0, 1, 2, 3}), first="09:15", last="16:15",
                     minutes=50, every=60, gap=Gap("12:15", "13:15"))
    day_starts(spec)        -> ("09:15", "10:15", "11:15", "13:15", "14:15", "15:15", "16:15")
    build(spec, own_days)   -> the WeeklySessions, days set by hand (`own_days`) as they are
    from_week(week)         -> (spec, own_days) that build the same week again

The rules, so the person is never surprised:

- Sessions start at `first`, then every `every` minutes, as long as they end by the gap.
  After the gap they start again at its end (the person is back at 13:00: the next session
  is at 13:00), every `every` minutes. No session overlaps the gap.
- `last` is the start of the day's last session, so it must be one of those starts.
- A choice that cannot be meant is refused with one line (`QuickWeekError`, naming the
  field at fault, as `SettingsError` does): the last start before the first, a gap outside
  the day, sessions longer than their spacing (they would overlap), a day ending after
  midnight. Nothing is rounded or guessed.

Plain Python: the welcome window shows what this decides. Times are "HH:MM" strings, as
in the settings file; messages write them as the person reads times (`i18n.hm`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from companion.core.calendar.session import Session, to_local
from companion.core.planner import PRACTICE_MARGIN
from companion.core.settings import (
    MAX_WEEK_SESSIONS,
    RANGES,
    Settings,
    WeeklySession,
    format_hhmm,
    parse_hhmm,
)
from companion.i18n import _, hm, ngettext

DAY_MINUTES = 24 * 60
#: How far apart session starts may be, in minutes ("a session every 60 minutes").
EVERY_RANGE = (5, 360)
#: Whole weekdays, Monday = 0.
WEEK = frozenset(range(7))


class QuickWeekError(ValueError):
    """A quick week that cannot be meant; the message is one line for the person.

    `field` names the part at fault: "days", "first", "last", "minutes", "every" or "gap".
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Gap:
    """A time of day with no sessions (lunch, supervision), "HH:MM" to "HH:MM"."""

    start: str
    end: str


@dataclass(frozen=True)
class QuickWeek:
    """The same day on every weekday in `days` (0 = Monday)."""

    days: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    first: str = "09:00"
    last: str = "16:00"
    minutes: int = 50
    every: int = 60
    gap: Gap | None = field(default_factory=lambda: Gap("12:00", "13:00"))


# --- small helpers --------------------------------------------------------------------------


def _minute_of(value: str, name: str) -> int:
    try:
        t = parse_hhmm(value)
    except (TypeError, ValueError):
        raise QuickWeekError(
            _("{value!r} is not a time; use HH:MM (00:00-23:59)").format(value=value), name
        ) from None
    return t.hour * 60 + t.minute


def _hhmm(minute: int) -> str:
    return format_hhmm(time(minute // 60, minute % 60))


def _shown(minute: int) -> str:
    """A minute of the day as the person reads times ("09:15", or "9:15 AM")."""
    return hm(time(minute // 60, minute % 60))


def _check_range(value: int, lo: int, hi: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise QuickWeekError(
            _("{value!r} minutes is not allowed; use a whole number {lo}-{hi}").format(
                value=value, lo=lo, hi=hi
            ),
            name,
        )


# --- one day ---------------------------------------------------------------------------------


def day_starts(spec: QuickWeek) -> tuple[str, ...]:
    """The start times of one day of `spec`, "HH:MM", in order; QuickWeekError if the day
    cannot be meant (see the module docstring)."""
    return tuple(_hhmm(m) for m in _starts(spec))


def _starts(spec: QuickWeek) -> list[int]:
    lo, hi = RANGES["session_minutes"]
    _check_range(spec.minutes, lo, hi, "minutes")
    _check_range(spec.every, *EVERY_RANGE, "every")
    first = _minute_of(spec.first, "first")
    last = _minute_of(spec.last, "last")
    length, every = spec.minutes, spec.every
    if last < first:
        raise QuickWeekError(
            _("The last session starts before the first; make it {first} or later.").format(
                first=_shown(first)
            ),
            "last",
        )
    if length > every:
        raise QuickWeekError(
            ngettext(
                "Sessions of {minutes} min starting every {every} min would overlap; "
                "make them shorter or start them further apart.",
                "Sessions of {minutes} min starting every {every} min would overlap; "
                "make them shorter or start them further apart.",
                every,
            ).format(minutes=length, every=every),
            "minutes",
        )
    if last + length > DAY_MINUTES:
        raise QuickWeekError(
            _("The last session would end after midnight; start it earlier."),
            "last",
        )

    starts: list[int] = []
    if spec.gap is None:
        t = first
        while t <= last:
            starts.append(t)
            t += every
        restart = first
    else:
        gap_start = _minute_of(spec.gap.start, "gap")
        gap_end = _minute_of(spec.gap.end, "gap")
        if gap_end <= gap_start:
            raise QuickWeekError(
                _("The gap ends before it starts; let it end after {start}.").format(
                    start=_shown(gap_start)
                ),
                "gap",
            )
        if gap_start < first + length or gap_end > last:
            raise QuickWeekError(
                _(
                    "The gap ({start}–{end}) is outside the day: it must begin after the "
                    "first session ends ({first_end}) and end by the last start ({last})."
                ).format(
                    start=_shown(gap_start),
                    end=_shown(gap_end),
                    first_end=_shown(first + length),
                    last=_shown(last),
                ),
                "gap",
            )
        t = first
        while t + length <= gap_start:
            starts.append(t)
            t += every
        t = restart = gap_end
        while t <= last:
            starts.append(t)
            t += every
    if starts[-1] != last:
        before = starts[-1]
        raise QuickWeekError(
            _(
                "No session starts at {last}: from {start} they start every {every} min, "
                "so the last could be {before} or {after}."
            ).format(
                last=_shown(last),
                start=_shown(restart),
                every=every,
                before=_shown(before),
                after=_shown(before + every) if before + every + length <= DAY_MINUTES else "—",
            ),
            "last",
        )
    return starts


# --- the week ----------------------------------------------------------------------------------


def build(
    spec: QuickWeek, own_days: Mapping[int, Sequence[WeeklySession]] | None = None
) -> tuple[WeeklySession, ...]:
    """The standing week: `spec` on its days, and each day in `own_days` (set by hand; an
    empty sequence is a day with no sessions) exactly as given. Sorted by day and time.

    QuickWeekError when `spec` is needed (a day of it is not set by hand) and cannot be
    meant, when the week would have no session at all, or more than the settings allow.
    """
    own = dict(own_days or {})
    quick_days = sorted(d for d in spec.days if d in WEEK and d not in own)
    starts = day_starts(spec) if quick_days else ()
    week: list[WeeklySession] = []
    for day in range(7):
        if day in own:
            week += [
                WeeklySession(weekday=day, start=s.start, minutes=s.minutes, heavy=s.heavy)
                for s in own[day]
            ]
        elif day in quick_days:
            week += [WeeklySession(weekday=day, start=s, minutes=spec.minutes) for s in starts]
    if not week:
        raise QuickWeekError(_("Choose at least one day with sessions."), "days")
    if len(week) > MAX_WEEK_SESSIONS:
        raise QuickWeekError(
            _("That is {n} sessions a week; at most {most} can be planned.").format(
                n=len(week), most=MAX_WEEK_SESSIONS
            ),
            "every",
        )
    return tuple(sorted(week, key=lambda w: (w.weekday, w.start)))


def sessions_on(week: Iterable[WeeklySession], day: int) -> tuple[WeeklySession, ...]:
    """The sessions of weekday `day` in `week`, by start time."""
    return tuple(sorted((w for w in week if w.weekday == day), key=lambda w: w.start))


def days_that_differ(
    week: Sequence[WeeklySession], generated: Sequence[WeeklySession]
) -> dict[int, tuple[WeeklySession, ...]]:
    """The days of `week` that are not as the quick week made them (`generated`), with
    their sessions as they are: what `build` needs as `own_days` to give `week` back."""
    out: dict[int, tuple[WeeklySession, ...]] = {}
    for day in range(7):
        mine = sessions_on(week, day)
        if _pattern(mine) != _pattern(sessions_on(generated, day)):
            out[day] = mine
    return out


def _pattern(sessions: Sequence[WeeklySession]) -> tuple[tuple[str, int, bool], ...]:
    return tuple(sorted((s.start, s.minutes, s.heavy) for s in sessions))


def _spec_for_day(sessions: Sequence[WeeklySession]) -> QuickWeek | None:
    """A quick week (days left empty) whose day is exactly `sessions`, or None."""
    if not sessions or any(s.heavy for s in sessions):
        return None
    lengths = {s.minutes for s in sessions}
    if len(lengths) != 1:
        return None
    length = lengths.pop()
    starts = sorted(_minute_of(s.start, "first") for s in sessions)
    diffs = [b - a for a, b in itertools.pairwise(starts)]
    gap: Gap | None = None
    if not diffs:
        every = max(60, length)
    else:
        every = min(diffs)
        wider = [i for i, d in enumerate(diffs) if d != every]
        if len(wider) > 1:
            return None
        if wider:
            i = wider[0]
            gap = Gap(_hhmm(starts[i] + every), _hhmm(starts[i + 1]))
    if not EVERY_RANGE[0] <= every <= EVERY_RANGE[1]:
        return None
    spec = QuickWeek(
        days=frozenset(),
        first=_hhmm(starts[0]),
        last=_hhmm(starts[-1]),
        minutes=length,
        every=every,
        gap=gap,
    )
    try:
        made = _starts(spec)
    except QuickWeekError:
        return None
    return spec if made == starts else None


def from_week(
    week: Sequence[WeeklySession],
) -> tuple[QuickWeek, dict[int, tuple[WeeklySession, ...]]]:
    """A quick week and the days set by hand that together give `week` back:
    `build(*from_week(week)) == sorted(week)` for any week with a session.

    The quick week is the one most days share; the other days (and days whose sessions
    no quick week can describe: uneven spacing, mixed lengths, heavy sessions) are set by
    hand. A week with no sessions gives the default quick week.
    """
    by_day = {d: sessions_on(week, d) for d in range(7)}
    candidates: dict[QuickWeek, list[int]] = {}
    for day, sessions in by_day.items():
        spec = _spec_for_day(sessions)
        if spec is not None:
            candidates.setdefault(spec, []).append(day)
    if not any(by_day.values()):
        return QuickWeek(), {}
    if not candidates:
        return QuickWeek(days=frozenset()), {d: s for d, s in by_day.items() if s}
    best, days = max(candidates.items(), key=lambda item: (len(item[1]), -min(item[1])))
    spec = QuickWeek(
        days=frozenset(days),
        first=best.first,
        last=best.last,
        minutes=best.minutes,
        every=best.every,
        gap=best.gap,
    )
    own = {d: s for d, s in by_day.items() if d not in days and s}
    return spec, own


# --- what it means for the day ---------------------------------------------------------------


def typical_gap(spec: QuickWeek) -> int:
    """The minutes between one session's end and the next start in `spec`."""
    return max(0, spec.every - spec.minutes)


def practice_minutes(gap_minutes: int, settings: Settings) -> int:
    """How long a practice may be in a gap of `gap_minutes` between two sessions, after
    the time for notes (`grace_minutes`) and before the wrap-up margin, as the planner
    plans it; 0 when no break is planned there."""
    window = gap_minutes - settings.grace_minutes - settings.wrapup_minutes
    if window < settings.min_gap_minutes:
        return 0
    margin = int(PRACTICE_MARGIN.total_seconds() // 60)
    return max(0, min(window, gap_minutes - settings.grace_minutes - margin))


def coming_day(sessions: Iterable[Session], now: datetime) -> date | None:
    """The local day of the first session that starts after `now` (the coming working
    day), or None when none does."""
    later = [s.start for s in sessions if s.start > now]
    return to_local(min(later)).date() if later else None
