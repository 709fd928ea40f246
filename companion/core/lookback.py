"""Look back in words: a period's facts (`period_facts`) and the few sentences that say
them (`summary_sentences`), and what helped, per starting state (`what_helped`).

Pure functions of journal records: no Qt, no clock reads, no I/O. The Look back window
(`companion.ui.history`) reads the records in a worker and shows what these return.

**The week in words.** "This week: 23 sessions, 6 heavy (26 %, your limit 50 %). You took
9 of 17 offered breaks. You practised for 75 min on 5 days. 4 glimmers noted." Sessions
and heavy sessions come from each day's last `DaySummaryRecord` (today's live counts win,
as in `insights.day_counts`); a week with sessions and none heavy says 0 %. Counts only,
no verdict: the limit is said beside the share, never "too many". A percent is written
as the rest of the app writes it (the reflection's week line, the supervision summary):
"26 %", a space before the sign.

**What helped, per state.** The one-tap check-in (`PracticeRecord.state_before` /
`state_after`: "wired", "between", "flat") has a direction for each start: from wired,
a practice helped when it ended "between"; from flat, when it ended "between" too. Ending
flat after starting wired (or anywhere lower than "between") is never counted as help,
nor is a flat start that stayed flat: lower is not better. A start "between" has nowhere
to go and is not scored.

The 0-10 activation scale (old records, and the "scale" check-in style) cannot tell calm
from numb: "0" may be either. So it is read only where it has a direction: a start of
`SCALE_ACTIVATED` (6) or more is read like "wired", and the practice helped when the
rating came down by `SCALE_NOTICEABLE` (2) points or more, about the smallest change
people tend to notice on a 0-10 self-rating. A start of 5 or less is not scored at all,
so a fall from 3 to 0 is never shown as settling. These scale readings join the "wired"
ones of the same practice; the card says how each counts.

A practice is listed from `MIN_STARTS` (5) scored starts in a state, so one good
afternoon does not crown it; fewer are "still gathering", with their count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from companion.core.insights import Period, day_counts
from companion.core.records import (
    DaySummaryRecord,
    GlimmerRecord,
    OfferRecord,
    PracticeRecord,
    Record,
)
from companion.i18n import _, ngettext

State = Literal["wired", "between", "flat"]
STATES: tuple[State, ...] = ("wired", "between", "flat")
#: The starts that have a direction, and the state each is helped towards.
DIRECTED: tuple[State, ...] = ("wired", "flat")
TOWARDS: State = "between"
SCALE_ACTIVATED = 6  # a 0-10 start this high or higher reads like "wired"
SCALE_NOTICEABLE = 2  # ... and it helped when the rating came down this much or more
MIN_STARTS = 5


# --- the period in words -------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodFacts:
    """What a period held, counted for the summary above the charts."""

    period: Period
    current: bool  # the period holds today ("This week"), else a past one ("That week")
    limit_percent: int
    sessions: int | None  # None: no sessions counted (no day summary in the period)
    heavy: int
    offered: int
    taken: int
    practice_minutes: int
    practice_days: int
    glimmers: int

    @property
    def heavy_share(self) -> int | None:
        """Whole percent of sessions that were heavy; None without sessions."""
        if not self.sessions:
            return None
        return round(100 * self.heavy / self.sessions)

    @property
    def is_empty(self) -> bool:
        return not (self.sessions or self.offered or self.practice_minutes or self.glimmers)


def period_facts(
    records: Iterable[Record],
    period: Period,
    limit_percent: int,
    *,
    today: date | None = None,
    live_sessions: int | None = None,
    live_heavy: int | None = None,
) -> PeriodFacts:
    """The facts of `period` from records covering it (others are ignored)."""
    items = [r for r in records if period.contains(r.on)]
    live = {}
    if today is not None and live_sessions is not None and period.contains(today):
        live = {today: (live_sessions, live_heavy or 0)}
    counts = day_counts(items, live=live)
    known = any(isinstance(r, DaySummaryRecord) for r in items) or bool(live)
    offers = [r for r in items if isinstance(r, OfferRecord)]
    seconds: dict[date, int] = defaultdict(int)
    for r in items:
        if isinstance(r, PracticeRecord):
            seconds[r.on] += r.actual_seconds
    return PeriodFacts(
        period=period,
        current=today is not None and period.contains(today),
        limit_percent=limit_percent,
        sessions=sum(s for s, _h in counts.values()) if known else None,
        heavy=sum(h for _s, h in counts.values()),
        offered=len(offers),
        taken=sum(1 for o in offers if o.outcome == "taken"),
        practice_minutes=round(sum(seconds.values()) / 60),
        practice_days=sum(1 for v in seconds.values() if v),
        glimmers=sum(1 for r in items if isinstance(r, GlimmerRecord)),
    )


def _opening(f: PeriodFacts) -> str:
    week = f.period.kind == "week"
    if f.current:
        return _("This week") if week else _("This month")
    return _("That week") if week else _("That month")


def summary_sentences(f: PeriodFacts) -> list[str]:
    """The period in a few short sentences, counts only and no verdict."""
    if f.is_empty:
        if f.period.kind == "week":
            return [_("Nothing recorded in this week yet. The charts fill in as the days go by.")]
        return [_("Nothing recorded in this month yet. The charts fill in as the days go by.")]
    opening = _opening(f)
    out: list[str] = []
    share = f.heavy_share
    if share is None:
        # Translators: "This week: no sessions counted."
        out.append(_("{opening}: no sessions counted.").format(opening=opening))
    else:
        sessions = ngettext("{n} session", "{n} sessions", f.sessions or 0).format(n=f.sessions)
        if f.heavy:
            # Translators: "6 heavy" after "23 sessions"; the plural follows the heavy count.
            heavy = ngettext("{n} heavy", "{n} heavy", f.heavy).format(n=f.heavy)
        else:
            heavy = _("none heavy")
        # Translators: "This week: 23 sessions, 6 heavy (26 %, your limit 50 %)." Write the
        # percent as your language does (the reflection and the supervision summary too).
        out.append(
            _("{opening}: {sessions}, {heavy} ({share} %, your limit {limit} %).").format(
                opening=opening, sessions=sessions, heavy=heavy, share=share, limit=f.limit_percent
            )
        )
    if f.offered:
        out.append(
            ngettext(
                "You took {taken} of {offered} offered break.",
                "You took {taken} of {offered} offered breaks.",
                f.offered,
            ).format(taken=f.taken, offered=f.offered)
        )
    if f.practice_minutes:
        out.append(
            _("You practised for {minutes} on {days}.").format(
                minutes=ngettext("{n} min", "{n} min", f.practice_minutes).format(
                    n=f.practice_minutes
                ),
                days=ngettext("{n} day", "{n} days", f.practice_days).format(n=f.practice_days),
            )
        )
    if f.glimmers:
        out.append(
            ngettext("{n} glimmer noted.", "{n} glimmers noted.", f.glimmers).format(n=f.glimmers)
        )
    return out


# --- what helped, per state ------------------------------------------------------------------


@dataclass(frozen=True)
class Helped:
    """One practice from one starting state: how often it was started so, how often it
    helped (reached "between"; on the 0-10 scale, came down 2 or more from 6 or more)."""

    exercise: str
    started: int
    helped: int

    @property
    def percent(self) -> float:
        return 100.0 * self.helped / self.started if self.started else 0.0


@dataclass(frozen=True)
class WhatHelped:
    """By starting state ("wired", "flat"): practices with `MIN_STARTS` or more scored
    starts (most often helpful first), and those still gathering (exercise, starts)."""

    shown: dict[State, tuple[Helped, ...]]
    pending: dict[State, tuple[tuple[str, int], ...]]
    from_scale: int  # 0-10 ratings read as an activated start (6 or more)
    low_scale: int  # 0-10 ratings that started at 5 or less: not scored

    def any_for(self, state: State) -> bool:
        return bool(self.shown.get(state) or self.pending.get(state))


def scored(p: PracticeRecord) -> tuple[State, bool] | None:
    """(the starting state, whether the practice helped), or None when the record has no
    direction to score (no answer after, a start "between", a low 0-10 start)."""
    if p.state_before is not None:
        if p.state_before not in DIRECTED or p.state_after not in STATES:
            return None
        return p.state_before, p.state_after == TOWARDS
    if p.rating_before is None or p.rating_after is None:
        return None
    if p.rating_before < SCALE_ACTIVATED:
        return None  # calm or numb: the scale cannot tell, so it is not scored
    return "wired", p.rating_before - p.rating_after >= SCALE_NOTICEABLE


def what_helped(practices: Iterable[PracticeRecord], *, min_starts: int = MIN_STARTS) -> WhatHelped:
    tally: dict[State, dict[str, list[bool]]] = {s: defaultdict(list) for s in DIRECTED}
    from_scale = low_scale = 0
    for p in practices:
        got = scored(p)
        if p.state_before is None and p.rating_before is not None and p.rating_after is not None:
            if got is None:
                low_scale += 1
            else:
                from_scale += 1
        if got is None:
            continue
        state, helped = got
        tally[state][p.exercise].append(helped)
    shown: dict[State, tuple[Helped, ...]] = {}
    pending: dict[State, tuple[tuple[str, int], ...]] = {}
    for state, by_exercise in tally.items():
        rows = [Helped(ex, len(v), sum(v)) for ex, v in by_exercise.items() if len(v) >= min_starts]
        rows.sort(key=lambda h: (-h.percent, -h.started, h.exercise))
        shown[state] = tuple(rows)
        pending[state] = tuple(
            sorted((ex, len(v)) for ex, v in by_exercise.items() if len(v) < min_starts)
        )
    return WhatHelped(shown=shown, pending=pending, from_scale=from_scale, low_scale=low_scale)
