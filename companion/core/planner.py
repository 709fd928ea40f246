"""A day's plan: its sessions, the break windows between them, the end-of-day reflection.

A break window runs from a session's end plus the grace for closing notes to the next
session's start minus the wrap-up margin, and exists only when it is at least the
minimum gap long. Overlapping (or touching) sessions merge first, so back-to-back and
overlapping sessions leave no window. The suggested practice always ends at least
PRACTICE_MARGIN before the next session, even with no wrap-up margin.

After a heavy session a longer, deeper practice is preferred (`after_heavy`); after a
run of three or more heavy sessions in a row the window is also marked `longer`, a
cue for the app to make more of it.

The reflection comes `reflection_delay_minutes` after the last session that starts on
the day, or at `reflection_time` when set (never before that last session has ended);
on a day with no sessions only if `reflection_on_free_days`.

Midnight. A gap between two sessions either side of midnight (a session ending 23:30,
the next at 00:30) is a break when it is at most `NIGHT_GAP` long; a longer one is the
night. Its window belongs to the day it starts on, and the day after lists it too,
marked `carried` (the same window, the same start: the Day state machine knows it by its
start and never offers it twice). To see such gaps, `plan_day` needs the sessions of the
day before and after as well: callers read `sessions_span(day)`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from companion.core.calendar.session import (
    Session,
    day_bounds,
    in_range,
    local_at,
    merge_overlapping,
    to_local,
)
from companion.core.exercises import Exercise, choose_for_window
from companion.core.settings import Settings, parse_hhmm

#: A practice ends at least this long before the next session starts.
PRACTICE_MARGIN = timedelta(minutes=1)
#: This many heavy sessions in a row earn a window marked `longer`.
HEAVY_RUN = 3
#: A gap between sessions that crosses midnight is a break up to this long (sessions
#: either side of midnight, as in a night's work); a longer one is the night.
NIGHT_GAP = timedelta(hours=3)


def sessions_span(day: date) -> tuple[date, int]:
    """The days whose sessions `plan_day` needs to plan `day`, as (first day, days): the
    day before and the day after too, for the breaks that cross midnight."""
    return day - timedelta(days=1), 3


@dataclass(frozen=True)
class BreakWindow:
    """A gap worth offering a practice in. `minutes` is its whole-minute length."""

    start: datetime
    end: datetime
    minutes: int
    exercise: str | None
    after_heavy: bool = False
    longer: bool = False
    #: When the session the window leads to starts (on the next day for a window that
    #: crosses midnight, where the day's own sessions do not show it).
    next_start: datetime | None = None
    #: The window began the day before (it crosses midnight) and was offered then: this
    #: day lists it so it knows the gap is open; it is the same window (same start).
    carried: bool = False

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class DayPlan:
    date: date
    sessions: tuple[Session, ...]
    breaks: tuple[BreakWindow, ...]
    reflection_at: datetime | None


def _night_between(before_end: datetime, after_start: datetime) -> bool:
    """Whether the gap between two sessions is the night: it crosses midnight and is
    longer than NIGHT_GAP."""
    crosses = to_local(before_end).date() != to_local(after_start).date()
    return crosses and after_start - before_end > NIGHT_GAP


def _heavy_runs(sessions: Sequence[Session]) -> dict[Session, int]:
    """For each session: how many heavy sessions in a row end with it (0 if light); a
    night between two sessions ends a run."""
    runs: dict[Session, int] = {}
    run = 0
    last_end: datetime | None = None
    for s in sessions:
        if last_end is not None and _night_between(last_end, s.start):
            run = 0
        run = run + 1 if s.heavy else 0
        runs[s] = run
        last_end = s.end if last_end is None else max(last_end, s.end)
    return runs


def practice_seconds(window: BreakWindow, next_start: datetime) -> float:
    """The time a practice may take in `window` before a session at `next_start`."""
    end = min(window.end, next_start - PRACTICE_MARGIN)
    return max(0.0, (end - window.start).total_seconds())


def suggest(
    library: Iterable[Exercise] | None,
    seconds: float,
    settings: Settings,
    *,
    prefer_long: bool = False,
    avoid: Sequence[str] = (),
) -> str | None:
    """The id of the best practice for `seconds`, or None if none fits."""
    if library is None or seconds <= 0:
        return None
    found = choose_for_window(
        library,
        seconds,
        prefer_long=prefer_long,
        favourites=settings.favourite_practices,
        avoid=avoid,
    )
    return found[0].id if found else None


def reflection_time(sessions: Sequence[Session], settings: Settings, day: date) -> datetime | None:
    """When the end-of-day reflection opens on `day` (see the module docstring)."""
    own = [s for s in sessions if to_local(s.start).date() == day]
    fixed = (
        local_at(day, parse_hhmm(settings.reflection_time)) if settings.reflection_time else None
    )
    if not own:
        if not settings.reflection_on_free_days:
            return None
        return fixed or local_at(day, parse_hhmm(settings.working_end))
    last_end = max(s.end for s in own)
    after = to_local(last_end + timedelta(minutes=settings.reflection_delay_minutes))
    if fixed is not None and fixed >= last_end:
        return fixed
    return after


def plan_day(
    sessions: Iterable[Session],
    settings: Settings,
    day: date,
    library: Iterable[Exercise] | None,
    *,
    avoid: Sequence[str] = (),
) -> DayPlan:
    """The plan for local `day` from `sessions` (any range; those overlapping `day` are
    the day's sessions, and those of the days either side give the breaks that cross
    midnight: pass the days of `sessions_span(day)`).

    `library` is the practices library (None plans windows without suggestions);
    `avoid` is passed on to the practice choice (e.g. the practice just done).
    """
    everything = sorted(sessions)
    day_sessions = in_range(everything, day)
    lo, hi = day_bounds(day)
    # The sessions near the day: a gap that crosses midnight is at most NIGHT_GAP long.
    near = [s for s in everything if s.overlaps(lo - NIGHT_GAP, hi + NIGHT_GAP)]
    runs = _heavy_runs(everything)  # a run may begin before the sessions near the day
    blocks = merge_overlapping(near)
    grace = timedelta(minutes=settings.grace_minutes)
    wrapup = timedelta(minutes=settings.wrapup_minutes)
    min_gap = timedelta(minutes=settings.min_gap_minutes)

    breaks: list[BreakWindow] = []
    recent: list[str] = []  # the last two suggestions: vary the day rather than repeat one
    for before, after in itertools.pairwise(blocks):
        start = to_local(before.end + grace)
        end = to_local(after.start - wrapup)
        if end - start < min_gap or _night_between(before.end, after.start):
            continue
        carried = start < lo < end  # begun the day before, still open when this day starts
        if not (lo <= start < hi or carried):
            continue  # another day's window
        last_before = max(
            (s for s in near if before.start <= s.start and s.end <= before.end),
            key=lambda s: (s.end, s.start),
        )
        after_heavy = before.heavy
        longer = runs.get(last_before, 0) >= HEAVY_RUN
        window = BreakWindow(
            start=start,
            end=end,
            minutes=int((end - start).total_seconds() // 60),
            exercise=None,
            after_heavy=after_heavy,
            longer=longer,
        )
        exercise = suggest(
            library,
            practice_seconds(window, after.start),
            settings,
            prefer_long=after_heavy or longer,
            avoid=(*avoid, *recent),
        )
        if exercise is not None:
            recent = [*recent, exercise][-2:]
        breaks.append(
            BreakWindow(
                start=start,
                end=end,
                minutes=window.minutes,
                exercise=exercise,
                after_heavy=after_heavy,
                longer=longer,
                next_start=to_local(after.start),
                carried=carried,
            )
        )
    return DayPlan(
        date=day,
        sessions=tuple(s.local() for s in day_sessions),
        breaks=tuple(breaks),
        reflection_at=reflection_time(day_sessions, settings, day),
    )
