"""A day's plan: its sessions, the break windows between them, the end-of-day reflection.

A break window runs from a session's end plus the grace for closing notes to the next
session's start minus the wrap-up margin, and exists only when it is at least the
minimum gap long. Overlapping (or touching) sessions merge first, so back-to-back and
overlapping sessions leave no window. The suggested practice always ends at least
PRACTICE_MARGIN before the next session, even with no wrap-up margin.

After a heavy session outward practices (eyes open, the senses, the room, movement)
are suggested first, the body scan and PMR last (`after_heavy`; CONTENT.md, "Direction
after a heavy session"). After a run of three or more heavy sessions in a row the window
is also marked `longer`, and a gap of DECOMPRESSION_SECONDS or more there suggests a
decompression (`use = "decompression"`), which is suggested nowhere else.

The day's last session is followed by a closing window (`DayPlan.closing`): from its end
(plus the grace) until the reflection opens, at most CLOSING_SPAN, when that is at least
the minimum gap and a practice written for the end of the day (`use = "end-of-day"`,
"leave it at the door") fits; that practice is its suggestion and no between-sessions
window's. It is the last offer of the day: after the last client, before the day's
reflection, where a transition home belongs. It is kept apart from `breaks` (the gaps
between sessions).

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
from companion.core.exercises import Exercise
from companion.core.fitting import DECOMPRESSION_SECONDS, choose_for_window
from companion.core.settings import Settings, parse_hhmm

#: A practice ends at least this long before the next session starts.
PRACTICE_MARGIN = timedelta(minutes=1)
#: This many heavy sessions in a row earn a window marked `longer`.
HEAVY_RUN = 3
#: A gap between sessions that crosses midnight is a break up to this long (sessions
#: either side of midnight, as in a night's work); a longer one is the night.
NIGHT_GAP = timedelta(hours=3)
#: The closing window after the day's last session lasts at most this long.
CLOSING_SPAN = timedelta(minutes=15)
#: The `use` of the practices offered in the closing window and in a decompression gap.
END_OF_DAY = "end-of-day"
DECOMPRESSION = "decompression"


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
    #: The closing window after the day's last session (`DayPlan.closing`).
    closing: bool = False

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
    #: After the day's last session, before the reflection: the last offer of the day.
    closing: BreakWindow | None = None


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


def moment_for(seconds: float, *, heavy_run: bool, closing: bool = False) -> str:
    """The `use` whose moment a gap of `seconds` is, "" for an everyday gap: END_OF_DAY in
    the closing window, DECOMPRESSION in a gap of DECOMPRESSION_SECONDS or more after a
    run of HEAVY_RUN heavy sessions (`heavy_run`, a window marked `longer`)."""
    if closing:
        return END_OF_DAY
    if heavy_run and seconds >= DECOMPRESSION_SECONDS:
        return DECOMPRESSION
    return ""


def suggest(
    library: Iterable[Exercise] | None,
    seconds: float,
    settings: Settings,
    *,
    after_heavy: bool = False,
    heavy_run: bool = False,
    closing: bool = False,
    avoid: Sequence[str] = (),
) -> str | None:
    """The id of the best practice for `seconds`, or None if none fits: a practice whose
    moment this is (`moment_for`) if one fits, else an everyday one, outward first after
    a heavy session."""
    if library is None or seconds <= 0:
        return None
    found = choose_for_window(
        library,
        seconds,
        after_heavy=after_heavy,
        favourites=settings.favourite_practices,
        avoid=avoid,
        lead=moment_for(seconds, heavy_run=heavy_run, closing=closing),
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
            after_heavy=after_heavy or longer,
            heavy_run=longer,
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
    reflection_at = reflection_time(day_sessions, settings, day)
    return DayPlan(
        date=day,
        sessions=tuple(s.local() for s in day_sessions),
        breaks=tuple(breaks),
        reflection_at=reflection_at,
        closing=_closing(
            blocks,
            day,
            reflection_at=reflection_at,
            settings=settings,
            library=library,
            avoid=avoid,
        ),
    )


def _closing(
    blocks: Sequence[Session],
    day: date,
    *,
    reflection_at: datetime | None,
    settings: Settings,
    library: Iterable[Exercise] | None,
    avoid: Sequence[str],
) -> BreakWindow | None:
    """The closing window after the last block of sessions that starts on `day` (see the
    module docstring), or None: no session, a session still to come that is not across
    the night (that gap is a break), too short a time before the reflection, or no
    end-of-day practice that fits."""
    own = [b for b in blocks if to_local(b.start).date() == day]
    if not own or reflection_at is None or library is None:
        return None
    last = own[-1]
    later = [b for b in blocks if b.start >= last.end]
    if later and not _night_between(last.end, later[0].start):
        return None
    start = to_local(last.end + timedelta(minutes=settings.grace_minutes))
    end = min(to_local(reflection_at), start + CLOSING_SPAN)
    if later:
        end = min(end, to_local(later[0].start - timedelta(minutes=settings.wrapup_minutes)))
    if end - start < timedelta(minutes=settings.min_gap_minutes):
        return None
    seconds = (end - start).total_seconds()
    exercise = suggest(
        library, seconds, settings, after_heavy=last.heavy, closing=True, avoid=avoid
    )
    if exercise is None or not any(ex.id == exercise and ex.use == END_OF_DAY for ex in library):
        return None  # nothing written for the end of the day fits: no closing offer
    return BreakWindow(
        start=start,
        end=end,
        minutes=int(seconds // 60),
        exercise=exercise,
        after_heavy=last.heavy,
        closing=True,
    )


# --- heavy sessions that need care (Today's plan marks them) ------------------------------

#: Two heavy sessions are back to back when less than this lies between them, or when no
#: break is planned between them at all. It is the gap from which the planner offers a
#: decompression after a run of heavy sessions (`DECOMPRESSION_SECONDS`): a gap that
#: long is a real break; a shorter one (the 10 minutes of a therapy hour) is for notes and
#: a breath, not for setting the last session down.
BACK_TO_BACK = timedelta(seconds=DECOMPRESSION_SECONDS)


@dataclass(frozen=True)
class Marks:
    """What Today's plan marks on a heavy session (it shows them; this decides them)."""

    after_heavy: bool = False  # the session before it was heavy too: back to back
    no_break_after: bool = False  # another session follows with no break between

    def __bool__(self) -> bool:
        return self.after_heavy or self.no_break_after


def heavy_marks(sessions: Sequence[Session], breaks: Sequence[BreakWindow]) -> list[Marks]:
    """One `Marks` per session, in the order given. A heavy session is marked when it
    follows another heavy session back to back (less than BACK_TO_BACK between them, or
    no break planned between them), and when another session follows it with no break
    planned between them. The day's last session is not marked for what follows: the
    day ends there."""

    def planned_break(end: datetime, start: datetime) -> bool:
        return any(end <= b.start < start for b in breaks)

    order = sorted(range(len(sessions)), key=lambda i: sessions[i].start)
    out = [Marks()] * len(sessions)
    for pos, i in enumerate(order):
        s = sessions[i]
        if not s.heavy:
            continue
        before = sessions[order[pos - 1]] if pos else None
        after = sessions[order[pos + 1]] if pos + 1 < len(order) else None
        in_a_row = (
            before is not None
            and before.heavy
            and (s.start - before.end < BACK_TO_BACK or not planned_break(before.end, s.start))
        )
        no_break = after is not None and not planned_break(s.end, after.start)
        out[i] = Marks(after_heavy=in_a_row, no_break_after=no_break)
    return out
