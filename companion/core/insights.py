"""Day and week summaries, history series and the gentle rules of the end of the day.

Everything here is a pure function of journal records, dates and settings: no Qt,
no clock reads, no I/O. The reflection and history windows show what these return.
When the reflection opens by itself is decided elsewhere, once: the time by
`planner.reflection_time`, the moment (once, never in a session, not after a save or
skip) by `day.Day`; tests/test_reflection_timing.py walks a random month through both.

The rules, in one place (each has a test at its boundary):

* **Today at a glance**: sessions and heavy sessions come from the day's last
  `DaySummaryRecord`; for today the app may pass live counts, which win.
* **The weekly day** (`week_review_due`): the week section shows on the user's
  weekly review day. If that day passed with no reflection at all (a day off, no
  sessions) after a week with reflections, it comes with the next reflection
  before the following weekly day. A skipped reflection counts as an answer: the
  week is not carried over then.
* **The week** (`week_summary`): the seven days ending on the given day, so a
  Friday review covers Saturday to Friday; the check-in trend compares it with
  the seven days before.
* **History** (`history`): weeks start on Monday; the week view shows its seven
  days and, for the per-week charts, the eight weeks ending with it; the month
  view shows the calendar month and the weeks that touch it.
* **What helped** is no longer a mean fall in activation (it rewarded numbness):
  `companion.core.lookback.what_helped` reads it per starting state, over the
  `ACTIVATION_DAYS` (365) days up to the end of the view.
* **The pattern note** (`pattern_note`): patterns, not verdicts. It may show when
  "still with me" was 7 or more on at least 4 of the last 7 saved reflections (from
  the last 21 days, so an old stretch does not surface months later), or when two
  or more warning families were ticked on most days of the last seven: at least 3
  days and more than half of the days with a saved reflection. At most once in
  any 7 days: any `NoteShownRecord` in the last 7 days (today included) holds it back.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from companion.core.records import (
    DaySummaryRecord,
    GlimmerRecord,
    NoteShownRecord,
    OfferRecord,
    PracticeRecord,
    Record,
    ReflectionRecord,
)
from companion.i18n import _, ngettext

CHECKINS: tuple[str, ...] = ("still_with_me", "energy", "connected")
"""The three 0-10 check-in sliders, by `ReflectionRecord` field name."""

ACTIVATION_DAYS = 365
PATTERN_LAST = 7
PATTERN_HIGH = 7
PATTERN_MIN_HIGH = 4
PATTERN_HORIZON_DAYS = 21
WARNING_MIN_FAMILIES = 2
WARNING_MIN_DAYS = 3
NOTE_EVERY_DAYS = 7
HISTORY_WEEKS = 8

PeriodKind = Literal["week", "month"]


# --- small helpers --------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def days_between(start: date, end: date) -> list[date]:
    """Every date from `start` to `end`, both included."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _mean(values: Iterable[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else None


def saved_reflections(records: Iterable[Record]) -> dict[date, ReflectionRecord]:
    """The last saved (not skipped) reflection of each day."""
    out: dict[date, ReflectionRecord] = {}
    for r in sorted((r for r in records if isinstance(r, ReflectionRecord)), key=lambda r: r.at):
        if not r.skipped:
            out[r.on] = r
    return out


def day_counts(
    records: Iterable[Record],
    *,
    live: dict[date, tuple[int, int]] | None = None,
) -> dict[date, tuple[int, int]]:
    """(sessions, heavy) per day from each day's last `DaySummaryRecord`; `live` wins."""
    out: dict[date, tuple[int, int]] = {}
    for r in sorted((r for r in records if isinstance(r, DaySummaryRecord)), key=lambda r: r.at):
        out[r.on] = (r.sessions, r.heavy)
    if live:
        out.update(live)
    return out


def _live(
    today: date | None, sessions: int | None, heavy: int | None
) -> dict[date, tuple[int, int]]:
    if today is None or sessions is None:
        return {}
    return {today: (sessions, heavy or 0)}


# --- today at a glance -----------------------------------------------------------------------


@dataclass(frozen=True)
class DayGlance:
    day: date
    sessions: int | None  # None: nothing known for the day
    heavy: int | None
    offered: int
    taken: int
    practices: int
    practice_minutes: int
    glimmers: tuple[GlimmerRecord, ...]


def day_glance(
    records: Iterable[Record],
    day: date,
    *,
    live_sessions: int | None = None,
    live_heavy: int | None = None,
) -> DayGlance:
    """The day's sessions, breaks, practice and glimmers (records of other days ignored)."""
    items = [r for r in records if r.on == day]
    counts = day_counts(items, live=_live(day, live_sessions, live_heavy))
    sessions, heavy = counts.get(day, (None, None))
    offers = [r for r in items if isinstance(r, OfferRecord)]
    practices = [r for r in items if isinstance(r, PracticeRecord)]
    glimmers = sorted((r for r in items if isinstance(r, GlimmerRecord)), key=lambda g: g.at)
    seconds = sum(p.actual_seconds for p in practices)
    return DayGlance(
        day=day,
        sessions=sessions,
        heavy=heavy,
        offered=len(offers),
        taken=sum(1 for o in offers if o.outcome == "taken"),
        practices=len(practices),
        practice_minutes=round(seconds / 60),
        glimmers=tuple(glimmers),
    )


# --- the week ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """One check-in slider over the week: its daily values, mean, and last week's mean."""

    key: str
    values: tuple[int | None, ...]
    mean: float | None
    previous: float | None


@dataclass(frozen=True)
class WeekSummary:
    start: date
    end: date
    sessions: int
    heavy: int
    heavy_share: float | None  # percent, 0-100; None without sessions
    limit_percent: int
    offered: int
    taken: int
    practices: int
    practice_minutes: int
    glimmers: int
    reflections: int
    trends: tuple[Trend, ...]

    @property
    def over_limit(self) -> bool:
        return self.heavy_share is not None and self.heavy_share > self.limit_percent


def week_summary(
    records: Iterable[Record],
    end: date,
    limit_percent: int,
    *,
    live_sessions: int | None = None,
    live_heavy: int | None = None,
) -> WeekSummary:
    """The seven days ending on `end` (pass records from `end - 13` on, for the trend).

    Live counts, when given, are `end`'s sessions and heavy sessions.
    """
    start = end - timedelta(days=6)
    items = list(records)
    this_week = [r for r in items if start <= r.on <= end]
    counts = day_counts(items, live=_live(end, live_sessions, live_heavy))
    week_counts = [c for d, c in counts.items() if start <= d <= end]
    sessions = sum(c[0] for c in week_counts)
    heavy = sum(c[1] for c in week_counts)
    offers = [r for r in this_week if isinstance(r, OfferRecord)]
    practices = [r for r in this_week if isinstance(r, PracticeRecord)]
    reflections = saved_reflections(items)
    days = days_between(start, end)
    before = days_between(start - timedelta(days=7), start - timedelta(days=1))
    trends = []
    for key in CHECKINS:
        values = tuple(_checkin(reflections.get(d), key) for d in days)
        previous = _mean(_checkin(reflections.get(d), key) for d in before)
        trends.append(Trend(key=key, values=values, mean=_mean(values), previous=previous))
    return WeekSummary(
        start=start,
        end=end,
        sessions=sessions,
        heavy=heavy,
        heavy_share=100.0 * heavy / sessions if sessions else None,
        limit_percent=limit_percent,
        offered=len(offers),
        taken=sum(1 for o in offers if o.outcome == "taken"),
        practices=len(practices),
        practice_minutes=round(sum(p.actual_seconds for p in practices) / 60),
        glimmers=sum(1 for r in this_week if isinstance(r, GlimmerRecord)),
        reflections=sum(1 for d in days if d in reflections),
        trends=tuple(trends),
    )


def _checkin(reflection: ReflectionRecord | None, key: str) -> int | None:
    if reflection is None:
        return None
    value = getattr(reflection, key)
    return value if isinstance(value, int) else None


def last_weekly_day(day: date, weekly_review_day: int) -> date:
    """The most recent weekly review day on or before `day`."""
    return day - timedelta(days=(day.weekday() - weekly_review_day) % 7)


def is_weekly_day(day: date, weekly_review_day: int) -> bool:
    return day.weekday() == weekly_review_day


def week_review_due(
    day: date, weekly_review_day: int, reflections: Iterable[ReflectionRecord]
) -> bool:
    """Does `day`'s reflection include the week?

    Yes on the weekly day. On a later day only if no reflection (saved or skipped)
    was recorded from the last weekly day up to yesterday, while the week before it
    had one: the week waits for the next reflection rather than being lost to a day
    off, and someone who just started is not handed a week they did not reflect on.
    """
    anchor = last_weekly_day(day, weekly_review_day)
    if anchor == day:
        return True
    days = [r.on for r in reflections]
    missed = not any(anchor <= d < day for d in days)
    return missed and any(anchor - timedelta(days=6) <= d < anchor for d in days)


# --- the pattern note -----------------------------------------------------------------------


@dataclass(frozen=True)
class PatternNote:
    still_with_me_high: int  # of the last `considered` reflections, how many were 7+
    considered: int
    warning_days: int  # days in the last seven with 2+ warning families ticked
    reflected_days: int  # days in the last seven with a saved reflection

    @property
    def still_with_me(self) -> bool:
        return self.still_with_me_high >= PATTERN_MIN_HIGH

    @property
    def warning_signs(self) -> bool:
        return _most_days(self.warning_days, self.reflected_days)

    @property
    def summary(self) -> str:
        """One plain line, kept in the journal when the note is shown (in the language it
        was shown in)."""
        parts = []
        if self.still_with_me:
            parts.append(
                ngettext(
                    "client material stayed with you (7 or more) on {high} "
                    "of your last {n} reflection",
                    "client material stayed with you (7 or more) on {high} "
                    "of your last {n} reflections",
                    self.considered,
                ).format(high=self.still_with_me_high, n=self.considered)
            )
        if self.warning_signs:
            parts.append(
                ngettext(
                    "two or more warning signs were ticked on {flagged} of {n} day this week",
                    "two or more warning signs were ticked on {flagged} of {n} days this week",
                    self.reflected_days,
                ).format(flagged=self.warning_days, n=self.reflected_days)
            )
        if len(parts) == 2:
            return _("{first}; {second}").format(first=parts[0], second=parts[1])
        return parts[0] if parts else ""


def _most_days(flagged: int, reflected: int) -> bool:
    return flagged >= WARNING_MIN_DAYS and 2 * flagged > reflected


def note_allowed(notes: Iterable[NoteShownRecord], today: date) -> bool:
    """No note shown in the last `NOTE_EVERY_DAYS` days, today included."""
    since = today - timedelta(days=NOTE_EVERY_DAYS - 1)
    return not any(since <= n.on <= today for n in notes)


def pattern_signals(reflections: Iterable[ReflectionRecord], today: date) -> PatternNote:
    """The counts behind the note, whether or not it would show."""
    by_day = saved_reflections(r for r in reflections if r.on <= today)
    horizon = today - timedelta(days=PATTERN_HORIZON_DAYS - 1)
    recent = [by_day[d] for d in sorted(by_day) if d >= horizon][-PATTERN_LAST:]
    high = sum(1 for r in recent if r.still_with_me is not None and r.still_with_me >= PATTERN_HIGH)
    week = [r for d, r in by_day.items() if d > today - timedelta(days=7)]
    warning_days = sum(1 for r in week if len(set(r.warning_signs)) >= WARNING_MIN_FAMILIES)
    return PatternNote(
        still_with_me_high=high,
        considered=len(recent),
        warning_days=warning_days,
        reflected_days=len(week),
    )


def pattern_note(
    reflections: Iterable[ReflectionRecord],
    notes: Iterable[NoteShownRecord],
    today: date,
) -> PatternNote | None:
    """The note to show today, or None (no pattern, or one was shown this week)."""
    if not note_allowed(notes, today):
        return None
    signals = pattern_signals(reflections, today)
    return signals if signals.still_with_me or signals.warning_signs else None


def first_of_the_month(reflections: Iterable[ReflectionRecord], today: date) -> bool:
    """Is today's the month's first reflection? The monthly "what keeps you in this
    work?" and the opt-in ProQOL line show then, and so once a month: a reflection saved
    or skipped on an earlier day of this month holds them back (today's, reopened, not)."""
    start = today.replace(day=1)
    return not any(start <= r.on < today for r in reflections)


# --- the glimmer jar ------------------------------------------------------------------------


def pick_reminder(
    glimmers: Sequence[GlimmerRecord], today: date, rng: random.Random | None = None
) -> GlimmerRecord | None:
    """One older glimmer to show in the reflection: from before today, at least a week
    old when there are any that old (so it is a memory, not yesterday again)."""
    rng = rng or random.Random()  # noqa: S311 (a reminder, not a secret)
    before = [g for g in glimmers if g.on < today and g.text.strip()]
    older = [g for g in before if g.on <= today - timedelta(days=7)]
    pool = older or before
    return rng.choice(pool) if pool else None


def search_glimmers(glimmers: Iterable[GlimmerRecord], text: str) -> list[GlimmerRecord]:
    """Newest first; every word of `text` must appear (case-insensitive) in the glimmer
    or where it was felt."""
    words = text.casefold().split()
    found = [
        g for g in glimmers if all(w in f"{g.text} {' '.join(g.felt_in)}".casefold() for w in words)
    ]
    found.sort(key=lambda g: g.at, reverse=True)
    return found


# --- history ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # included

    @property
    def days(self) -> list[date]:
        return days_between(self.start, self.end)

    def shifted(self, steps: int) -> Period:
        """The period `steps` weeks or months later (earlier when negative)."""
        if self.kind == "week":
            return period_containing("week", self.start + timedelta(weeks=steps))
        month = self.start.month - 1 + steps
        return period_containing("month", date(self.start.year + month // 12, month % 12 + 1, 1))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period_containing(kind: PeriodKind, day: date) -> Period:
    if kind == "week":
        start = monday_of(day)
        return Period("week", start, start + timedelta(days=6))
    start = day.replace(day=1)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return Period("month", start, following - timedelta(days=1))


def period_weeks(period: Period) -> list[date]:
    """The Mondays of the weeks the per-week charts show for `period`."""
    if period.kind == "week":
        return [period.start - timedelta(weeks=n) for n in range(HISTORY_WEEKS - 1, -1, -1)]
    first = monday_of(period.start)
    return [first + timedelta(weeks=n) for n in range((period.end - first).days // 7 + 1)]


def history_range(period: Period) -> tuple[date, date]:
    """The dates whose records `history` needs (what helped reads `ACTIVATION_DAYS`)."""
    return min(period.start, period_weeks(period)[0]), period.end


@dataclass(frozen=True)
class History:
    period: Period
    limit_percent: int
    days: tuple[date, ...]
    practice_minutes: tuple[float, ...]  # per day
    checkins: dict[str, tuple[float | None, ...]]  # per day, by CHECKINS key
    glimmers_per_day: tuple[int, ...]
    weeks: tuple[date, ...]  # Mondays
    glimmers_per_week: tuple[int, ...]
    heavy_share_per_week: tuple[float | None, ...]  # percent; None without sessions
    sessions_per_week: tuple[int, ...]
    break_labels: tuple[date, ...]  # days in the week view, Mondays in the month view
    breaks_offered: tuple[int, ...]
    breaks_taken: tuple[int, ...]

    @property
    def is_empty(self) -> bool:
        return not (
            any(self.practice_minutes)
            or any(v is not None for vs in self.checkins.values() for v in vs)
            or any(self.glimmers_per_week)
            or any(self.sessions_per_week)
            or any(self.breaks_offered)
        )


def history(
    records: Iterable[Record],
    period: Period,
    limit_percent: int,
    *,
    today: date | None = None,
    live_sessions: int | None = None,
    live_heavy: int | None = None,
) -> History:
    """The chart series for `period` from records covering `history_range(period)`."""
    items = list(records)
    days = period.days
    weeks = period_weeks(period)
    per_day_seconds: dict[date, int] = defaultdict(int)
    glimmers: dict[date, int] = defaultdict(int)
    glimmer_days: dict[date, int] = defaultdict(int)
    offered: dict[date, int] = defaultdict(int)
    taken: dict[date, int] = defaultdict(int)
    for r in items:
        if isinstance(r, PracticeRecord):
            per_day_seconds[r.on] += r.actual_seconds
        elif isinstance(r, GlimmerRecord):
            glimmers[monday_of(r.on)] += 1
            glimmer_days[r.on] += 1
        elif isinstance(r, OfferRecord):
            offered[r.on] += 1
            if r.outcome == "taken":
                taken[r.on] += 1
    reflections = saved_reflections(items)
    counts = day_counts(items, live=_live(today, live_sessions, live_heavy))
    week_sessions: dict[date, int] = defaultdict(int)
    week_heavy: dict[date, int] = defaultdict(int)
    for d, (s, h) in counts.items():
        week_sessions[monday_of(d)] += s
        week_heavy[monday_of(d)] += h

    if period.kind == "week":
        labels = days
        off = [offered[d] for d in days]
        tak = [taken[d] for d in days]
    else:
        labels = weeks
        off = [sum(offered[w + timedelta(days=n)] for n in range(7)) for w in weeks]
        tak = [sum(taken[w + timedelta(days=n)] for n in range(7)) for w in weeks]

    return History(
        period=period,
        limit_percent=limit_percent,
        days=tuple(days),
        practice_minutes=tuple(per_day_seconds[d] / 60 for d in days),
        checkins={
            key: tuple(_as_float(_checkin(reflections.get(d), key)) for d in days)
            for key in CHECKINS
        },
        glimmers_per_day=tuple(glimmer_days[d] for d in days),
        weeks=tuple(weeks),
        glimmers_per_week=tuple(glimmers[w] for w in weeks),
        heavy_share_per_week=tuple(
            100.0 * week_heavy[w] / week_sessions[w] if week_sessions[w] else None for w in weeks
        ),
        sessions_per_week=tuple(week_sessions[w] for w in weeks),
        break_labels=tuple(labels),
        breaks_offered=tuple(off),
        breaks_taken=tuple(tak),
    )


def _as_float(value: int | None) -> float | None:
    return None if value is None else float(value)
