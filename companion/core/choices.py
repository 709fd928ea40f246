"""Which practices to offer right now, and how they read: the decisions behind the tray's
practice list and an offer card's choices.

Plain functions of what they are given: the time is always passed in, never read here.
A choice is a `Choice(id, label)`, which still unpacks as the `(id, label)` pair the tray
and the offer card take. The label states the minutes a practice really takes once fitted
("Coherent breathing · 3 min"), so two choices that would read the same are shown once.

The deadline for a practice is one rule with the planner's: inside a break window, the
window's practice end (the wrap-up margin included); never later than PRACTICE_MARGIN
before the next session, even one booked since the window was planned.

Direction, one rule with the planner's (`choose_for_window`, `moment_for`): after a heavy
session outward practices lead and the body scan and PMR come last; a decompression is
offered on a card only in a gap of 15 minutes or more after a run of heavy sessions, and
"leave it at the door" only on the day's closing card (after its last session). The
tray lists both whenever they fit, after the everyday practices (within its
MAX_PRACTICES): a person who opens the tray is choosing for themselves, and a long
decompression on a free afternoon is theirs to take; only the unasked-for suggestion
keeps to its moment. `for_state` orders the practices for how someone says they are:
wired, in between or flat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from companion.core.day import Offer
from companion.core.exercises import Exercise
from companion.core.fitting import INWARD_MOST, choose_for_window
from companion.core.planner import DECOMPRESSION, END_OF_DAY, PRACTICE_MARGIN, moment_for
from companion.i18n import _, ngettext

OPEN_ENDED_SECONDS = 15 * 60.0
"""With no session ahead today, the practices on offer take up to a quarter hour."""
MAX_PRACTICES = 8
"""The tray lists at most this many practices."""
MAX_OTHERS = 3
"""An offer card shows at most this many practices beside the suggested one."""

#: The one-tap check-in on a practice's first screen (records.PracticeRecord.state_before).
STATES = ("wired", "between", "flat")
#: For each state, the order of the practices' effects: settling for someone wired,
#: energising (then "either") for someone flat.
_EFFECT_ORDER = {
    "wired": ("settling", "either", "energising"),
    "flat": ("energising", "either", "settling"),
}

_LENGTH_IN_TITLE = re.compile(r",\s*\d+\s+minutes?$")


class Choice(NamedTuple):
    """A practice as a person picks it: its id and what the button or menu says."""

    id: str
    label: str


class OfferChoices(NamedTuple):
    """An offer card's choices: the suggested practice (None when nothing fits) and up to
    MAX_OTHERS others."""

    suggestion: Choice | None
    others: list[Choice]


# --- how long a practice may take -------------------------------------------------------------


def practice_deadline(*, next_start: datetime | None, window: Offer | None) -> datetime | None:
    """When a practice started now must be over, or None with no session ahead today.

    `next_start` is the next session's start today (`Day.status().next_start`), `window`
    the break window open now (`Day.window_at(now)`). Inside a window: its practice end;
    anywhere: PRACTICE_MARGIN before the next session, whichever comes first (a session
    booked since the window was planned may start before the window ends).
    """
    limits: list[datetime] = []
    if next_start is not None:
        limits.append(next_start - PRACTICE_MARGIN)
    if window is not None:
        limits.append(window.practice_end)
    return min(limits, default=None)


def seconds_left(deadline: datetime | None, now: datetime) -> float | None:
    """How long a practice started at `now` may take: None with no deadline, never below 0."""
    return None if deadline is None else _until(deadline, now)


# --- what is on offer -------------------------------------------------------------------------


def practices_now(
    library: Iterable[Exercise],
    seconds: float | None,
    favourites: Sequence[str] = (),
    *,
    day_done: bool = False,
) -> list[Choice]:
    """The tray's practices: those that fit in `seconds` (from `seconds_left`), best first,
    at most MAX_PRACTICES; with no session ahead (None) those up to OPEN_ENDED_SECONDS.

    Practices written for a moment (a decompression, "leave it at the door") are listed
    after the everyday ones; once the day's sessions are over (`day_done`, see
    `day_is_done`) "leave it at the door" leads.
    """
    if seconds is None:
        seconds = OPEN_ENDED_SECONDS
    fitting = choose_for_window(
        library,
        seconds,
        favourites=favourites,
        include=(END_OF_DAY, DECOMPRESSION),
        lead=END_OF_DAY if day_done else "",
    )
    return [_choice(ex) for ex in distinct(fitting)[:MAX_PRACTICES]]


def day_is_done(
    session_ends: Iterable[datetime], next_start: datetime | None, now: datetime
) -> bool:
    """Whether the day's sessions are over at `now`: there were some (`session_ends`, the
    ends of today's sessions), the last has ended and none is ahead (`next_start`)."""
    ends = list(session_ends)
    return bool(ends) and next_start is None and now >= max(ends)


def for_state(
    library: Iterable[Exercise],
    seconds: float | None,
    state: str,
    *,
    favourites: Sequence[str] = (),
    after_heavy: bool = False,
) -> list[Exercise]:
    """The everyday practices that fit in `seconds` (None: up to OPEN_ENDED_SECONDS),
    fitted, best first for someone who says they are `state` (one of STATES): "wired",
    settling practices first, then "either", then energising; "flat", energising first,
    then "either", then settling; "between", the usual order. Within each group, and for
    "between", the order of `choose_for_window` (favourites first; with `after_heavy`,
    outward first). One version per family, deterministic."""
    if state not in STATES:
        raise ValueError(f"state must be one of {STATES}, not {state!r}")
    fitting = choose_for_window(
        library,
        OPEN_ENDED_SECONDS if seconds is None else seconds,
        after_heavy=after_heavy,
        favourites=favourites,
    )
    order = _EFFECT_ORDER.get(state)
    if order is None:
        return fitting
    return sorted(fitting, key=lambda ex: order.index(ex.effect) if ex.effect in order else 1)


def offer_choices(
    library: Iterable[Exercise], offer: Offer, now: datetime, favourites: Sequence[str] = ()
) -> OfferChoices:
    """An offer card's choices at `now`, fitted to what is left before its practice end.

    The offer's own practice stays the suggestion while it still fits as planned; else
    the best that fits takes its place. After a heavy session outward practices come
    first and the body scan and PMR last. A decompression is on offer only while 15
    minutes or more are left in a window after a run of heavy sessions, and then leads;
    "leave it at the door" only on the day's closing card, where it leads.
    """
    seconds = _until(offer.practice_end, now)
    lead = moment_for(seconds, heavy_run=offer.longer, closing=offer.closing)
    fitting = distinct(
        choose_for_window(
            library,
            seconds,
            after_heavy=offer.after_heavy or offer.longer,
            favourites=favourites,
            lead=lead,
        )
    )
    suggested = next((ex for ex in fitting if ex.id == offer.exercise), None)
    if suggested is None and fitting:
        suggested = fitting[0]
    others = [ex for ex in fitting if suggested is None or ex.id != suggested.id]
    shown = others[:MAX_OTHERS]
    if offer.after_heavy or offer.longer:
        # Outward first, yet the body scan and PMR stay among the choices: the best of
        # them that fits takes the last place if none is shown.
        deep = next((ex for ex in others if ex.kind in INWARD_MOST), None)
        if deep is not None and deep not in shown:  # then `shown` is full
            shown[-1] = deep
    return OfferChoices(
        _choice(suggested) if suggested is not None else None,
        [_choice(ex) for ex in shown],
    )


def heavy_note(offer: Offer) -> str:
    """The offer card's word after a heavy session, "" after any other: start outward; on
    the closing card, set the day down; in a long gap after a run of heavy sessions,
    take the longer pause the card suggests."""
    if not offer.after_heavy:
        return ""
    if offer.closing:
        return _("That was a heavy one. You might set it down before you go.")
    seconds = _until(offer.practice_end, offer.start)
    if moment_for(seconds, heavy_run=offer.longer) == DECOMPRESSION:
        return _("Several heavy ones in a row. You might give yourself the longer pause.")
    return _("That was a heavy one. You might start with the room around you.")


# --- how a practice reads ---------------------------------------------------------------------


def label_for(exercise: Exercise) -> str:
    """ "Coherent breathing · 3 min": the minutes it will really take once fitted, and not
    a second, contradicting length from a short variant's title ("…, 5 minutes")."""
    minutes = max(1, round(exercise.total_seconds / 60))
    title = _LENGTH_IN_TITLE.sub("", exercise.title)
    return ngettext("{title} · {minutes} min", "{title} · {minutes} min", minutes).format(
        title=title, minutes=minutes
    )


def distinct(exercises: Iterable[Exercise]) -> list[Exercise]:
    """One practice per label, the first kept: a practice and its short variant fitted to
    the same minutes would read the same."""
    seen: set[str] = set()
    out: list[Exercise] = []
    for ex in exercises:
        if (label := label_for(ex)) not in seen:
            seen.add(label)
            out.append(ex)
    return out


def _until(deadline: datetime, now: datetime) -> float:
    return max(0.0, (deadline - now).total_seconds())


def _choice(exercise: Exercise) -> Choice:
    return Choice(exercise.id, label_for(exercise))
