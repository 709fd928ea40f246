"""Which practices to offer right now, and how they read: the decisions behind the tray's
practice list and an offer card's choices.

Plain functions of what they are given: the time is always passed in, never read here.
A choice is a `Choice(id, label)`, which still unpacks as the `(id, label)` pair the tray
and the offer card take. The label states the minutes a practice really takes once fitted
("Coherent breathing · 3 min"), so two choices that would read the same are shown once.

The deadline for a practice is one rule with the planner's: inside a break window, the
window's practice end (the wrap-up margin included); never later than PRACTICE_MARGIN
before the next session, even one booked since the window was planned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from companion.core.day import Offer
from companion.core.exercises import Exercise, choose_for_window
from companion.core.planner import PRACTICE_MARGIN
from companion.i18n import _, ngettext

OPEN_ENDED_SECONDS = 15 * 60.0
"""With no session ahead today, the practices on offer take up to a quarter hour."""
MAX_PRACTICES = 8
"""The tray lists at most this many practices."""
MAX_OTHERS = 3
"""An offer card shows at most this many practices beside the suggested one."""

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
    library: Iterable[Exercise], seconds: float | None, favourites: Sequence[str] = ()
) -> list[Choice]:
    """The tray's practices: those that fit in `seconds` (from `seconds_left`), best first,
    at most MAX_PRACTICES; with no session ahead (None) those up to OPEN_ENDED_SECONDS."""
    if seconds is None:
        seconds = OPEN_ENDED_SECONDS
    fitting = choose_for_window(library, seconds, favourites=favourites)
    return [_choice(ex) for ex in distinct(fitting)[:MAX_PRACTICES]]


def offer_choices(
    library: Iterable[Exercise], offer: Offer, now: datetime, favourites: Sequence[str] = ()
) -> OfferChoices:
    """An offer card's choices at `now`, fitted to what is left before its practice end.

    The offer's own practice stays the suggestion while it still fits as planned; else
    the best that fits takes its place. After a heavy session the longer, deeper
    practices come first.
    """
    seconds = _until(offer.practice_end, now)
    fitting = distinct(
        choose_for_window(library, seconds, prefer_long=offer.after_heavy, favourites=favourites)
    )
    suggested = next((ex for ex in fitting if ex.id == offer.exercise), None)
    if suggested is None and fitting:
        suggested = fitting[0]
    others = [ex for ex in fitting if suggested is None or ex.id != suggested.id]
    return OfferChoices(
        _choice(suggested) if suggested is not None else None,
        [_choice(ex) for ex in others[:MAX_OTHERS]],
    )


def heavy_note(offer: Offer) -> str:
    """The offer card's word after a heavy session, "" after any other."""
    if not offer.after_heavy:
        return ""
    return _("That was a heavy one. You might give yourself the longer pause.")


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
