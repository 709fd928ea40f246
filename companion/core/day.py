"""The day, as the tray app lives it: a state machine driven by a Clock, with no Qt.

The app asks `next_wakeup()` when to look again, and at that moment (or whenever
anything changes: a re-plan, a clock jump, a click) calls `tick()`, which returns
the actions to take now: show an offer, hide one, open the reflection. Every
decision that keeps the promise "nothing appears during a session" is made here
and tested at full speed with a FakeClock:

* an offer is shown only inside its break window, never twice for one window;
* a window that has passed (the laptop slept through it, the clock jumped) is
  journaled as missed and never shown late;
* a window whose remaining time is too short for any practice is missed, not shown;
* snoozing never moves an offer past its window;
* pauses are a set of reasons (manual pause, off duty), so they overlap correctly;
* the end-of-day reflection opens once, never inside a session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from companion.core.clock import Clock
from companion.core.records import DaySummaryRecord, OfferRecord, ReflectionRecord
from companion.core.settings import Settings, parse_hhmm
from companion.core.status import State

if TYPE_CHECKING:  # the journal (TinyDB, filelock) is not needed to name a state
    from companion.core.journal import Journal

# A window with less than this left is not worth interrupting someone for.
MIN_OFFER_SECONDS = 90
# How far past a window's start an offer may still appear "at its start" (a timer late
# by a moment, the minute-check after waking). Beyond it, it still shows if the gap is
# open: being late is fine, being inside a session is not.
SNOOZE_MINUTES = 2
JUMP_TOLERANCE_S = 90.0


class SessionLike(Protocol):
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def heavy(self) -> bool: ...


class BreakLike(Protocol):
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def minutes(self) -> int: ...
    @property
    def exercise(self) -> str | None: ...
    @property
    def after_heavy(self) -> bool: ...


class PlanLike(Protocol):
    @property
    def date(self) -> date: ...
    @property
    def sessions(self) -> Sequence[SessionLike]: ...
    @property
    def breaks(self) -> Sequence[BreakLike]: ...
    @property
    def reflection_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class Status:
    state: State
    until: datetime | None = None  # session end, pause end
    next_start: datetime | None = None  # the next session today

    def describe(self) -> str:
        """The tray tooltip's words."""

        def hm(t: datetime | None) -> str:
            return t.strftime("%H:%M") if t else ""

        if self.state is State.IN_SESSION:
            return f"In a session until {hm(self.until)}"
        if self.state is State.PAUSED:
            return f"Reminders paused until {hm(self.until)}" if self.until else "Reminders paused"
        if self.state is State.BETWEEN:
            return f"Between sessions, next at {hm(self.next_start)}"
        if self.next_start:
            return f"Off duty · first session at {hm(self.next_start)}"
        return "Off duty"


@dataclass(frozen=True)
class Offer:
    key: str
    start: datetime
    end: datetime
    exercise: str | None
    after_heavy: bool
    longer: bool
    next_session: datetime | None

    def minutes_left(self, now: datetime) -> int:
        return max(0, int((self.end - now).total_seconds() // 60))


@dataclass(frozen=True)
class ShowOffer:
    offer: Offer


@dataclass(frozen=True)
class HideOffer:
    key: str


@dataclass(frozen=True)
class OpenReflection:
    day: date


Action = ShowOffer | HideOffer | OpenReflection


@dataclass
class _Window:
    offer: Offer
    state: str = "pending"  # pending -> showing -> (snoozed -> showing) -> done
    snoozed_until: datetime | None = None


@dataclass
class Day:
    """Everything the app has decided about today, driven by `tick()`."""

    clock: Clock
    journal: Journal
    settings: Settings
    plan_for: Callable[[date], PlanLike]
    plan: PlanLike | None = None
    pauses: dict[str, datetime | None] = field(default_factory=dict)
    _windows: dict[str, _Window] = field(default_factory=dict)
    _reflection_done: set[date] = field(default_factory=set)
    _summarised: set[date] = field(default_factory=set)

    # --- planning -------------------------------------------------------------------

    def replan(self, settings: Settings | None = None) -> None:
        """Take today's plan afresh (midnight, a calendar refresh, a settings change, a
        clock jump). Windows already offered or missed keep their outcome: a re-plan
        never fires an offer twice."""
        if settings is not None:
            self.settings = settings
        now = self.clock.now()
        self.plan = self.plan_for(now.date())
        kept = {k: w for k, w in self._windows.items() if w.state != "pending"}
        self._windows = kept
        sessions = sorted(self.plan.sessions, key=lambda s: s.start)
        for b in self.plan.breaks:
            key = b.start.isoformat()
            if key in self._windows:
                continue
            next_session = next((s.start for s in sessions if s.start >= b.end), None)
            offer = Offer(
                key=key,
                start=b.start,
                end=b.end,
                exercise=b.exercise,
                after_heavy=b.after_heavy,
                longer=bool(getattr(b, "longer", False)),
                next_session=next_session,
            )
            self._windows[key] = _Window(offer)

    # --- state ------------------------------------------------------------------------

    def session_at(self, now: datetime) -> SessionLike | None:
        if self.plan is None:
            return None
        for s in self.plan.sessions:
            if s.start <= now < s.end:
                return s
        return None

    def in_working_hours(self, now: datetime) -> bool:
        start = parse_hhmm(self.settings.working_start)
        end = parse_hhmm(self.settings.working_end)
        return start <= now.time() < end

    def pause_until(self, reason: str, until: datetime | None) -> None:
        self.pauses[reason] = until

    def resume(self, reason: str | None = None) -> None:
        if reason is None:
            self.pauses.clear()
        else:
            self.pauses.pop(reason, None)

    def active_pause(self, now: datetime) -> tuple[str, datetime | None] | None:
        for reason, until in list(self.pauses.items()):
            if until is not None and until <= now:
                del self.pauses[reason]
        if not self.pauses:
            return None
        # The pause that lasts longest is the one that matters (None = until resumed).
        reason, until = max(
            self.pauses.items(), key=lambda kv: kv[1] or datetime.max.replace(tzinfo=now.tzinfo)
        )
        return reason, until

    def status(self) -> Status:
        now = self.clock.now()
        session = self.session_at(now)
        next_start = self._next_session_start(now)
        if session is not None:
            return Status(
                State.IN_SESSION, until=self._session_block_end(now), next_start=next_start
            )
        pause = self.active_pause(now)
        if pause is not None:
            return Status(State.PAUSED, until=pause[1], next_start=next_start)
        if next_start is None or not self.in_working_hours(now):
            return Status(State.OFF_DUTY, next_start=next_start)
        last_end = self._last_session_end()
        first_start = self._first_session_start()
        if first_start and now < first_start:
            return Status(State.OFF_DUTY, next_start=next_start)
        if last_end and now >= last_end:
            return Status(State.OFF_DUTY)
        return Status(State.BETWEEN, next_start=next_start)

    def _sessions(self) -> list[SessionLike]:
        return sorted(self.plan.sessions, key=lambda s: s.start) if self.plan else []

    def _next_session_start(self, now: datetime) -> datetime | None:
        return next((s.start for s in self._sessions() if s.start > now), None)

    def _session_block_end(self, now: datetime) -> datetime | None:
        """End of the session running now, following back-to-back or overlapping ones."""
        end: datetime | None = None
        for s in self._sessions():
            if end is None:
                if s.start <= now < s.end:
                    end = s.end
            elif s.start <= end:
                end = max(end, s.end)
        return end

    def _first_session_start(self) -> datetime | None:
        sessions = self._sessions()
        return sessions[0].start if sessions else None

    def _last_session_end(self) -> datetime | None:
        sessions = self._sessions()
        return max(s.end for s in sessions) if sessions else None

    def offers_showing(self) -> list[Offer]:
        return [w.offer for w in self._windows.values() if w.state == "showing"]

    def offer(self, key: str) -> Offer | None:
        w = self._windows.get(key)
        return w.offer if w else None

    # --- the clock moves --------------------------------------------------------------

    def next_wakeup(self) -> datetime | None:
        """The next moment `tick()` has something to decide."""
        now = self.clock.now()
        times: list[datetime] = []
        for w in self._windows.values():
            if w.state == "pending":
                times.append(max(w.offer.start, now))
            elif w.state == "showing":
                times.append(w.offer.end)
            elif w.state == "snoozed" and w.snoozed_until is not None:
                times.append(w.snoozed_until)
        reflection = self.reflection_time()
        if reflection is not None and reflection.date() not in self._reflection_done:
            block_end = self._session_block_end(now)
            times.append(max(reflection, block_end or now))
        last_end = self._last_session_end()
        if last_end is not None and last_end.date() not in self._summarised:
            times.append(max(last_end, now))
        for until in self.pauses.values():
            if until is not None:
                times.append(until)
        future = [t for t in times if t >= now]
        return min(future) if future else None

    def next_midnight(self) -> datetime:
        now = self.clock.now()
        tomorrow = datetime.combine(now.date() + timedelta(days=1), time(0, 0, 5))
        return tomorrow.replace(tzinfo=now.tzinfo).astimezone()

    def reflection_time(self) -> datetime | None:
        return self.plan.reflection_at if self.plan else None

    def tick(self) -> list[Action]:
        """Decide what happens now. Safe to call at any moment, any number of times."""
        now = self.clock.now()
        actions: list[Action] = []
        if self.plan is None or self.plan.date != now.date():
            self.replan()
        in_session = self.session_at(now) is not None
        paused = self.active_pause(now) is not None
        for w in self._windows.values():
            offer = w.offer
            if w.state in ("done", "missed"):
                continue
            left = (offer.end - now).total_seconds()
            if w.state == "showing":
                if left <= 0 or in_session:
                    w.state = "done"
                    actions.append(HideOffer(offer.key))
                    self._journal_offer(offer, "ignored")
                continue
            due_at = w.snoozed_until if w.state == "snoozed" else offer.start
            if due_at is None or now < due_at:
                continue
            if in_session or left < MIN_OFFER_SECONDS:
                # Too late to be useful: the gap has passed (or nearly). Never show it late.
                outcome = "missed" if w.state == "pending" else "snoozed"
                w.state = "missed"
                self._journal_offer(offer, outcome)
                continue
            if paused or not self.in_working_hours(now):
                w.state = "done"  # suppressed by the user's own pause: not an offer at all
                continue
            w.state = "showing"
            actions.append(ShowOffer(offer))
        self._summarise_if_done(now)
        reflection = self.reflection_time()
        if (
            reflection is not None
            and now >= reflection
            and reflection.date() == now.date()
            and reflection.date() not in self._reflection_done
            and not in_session
        ):
            self._reflection_done.add(reflection.date())
            if not self._reflected(reflection.date()):
                actions.append(OpenReflection(reflection.date()))
        return actions

    def _reflected(self, day: date) -> bool:
        return bool(self.journal.query(ReflectionRecord, day, day))

    def _summarise_if_done(self, now: datetime) -> None:
        last_end = self._last_session_end()
        if self.plan is None or last_end is None or now < last_end:
            return
        day = self.plan.date
        if day in self._summarised:
            return
        self._summarised.add(day)
        if self.journal.query(DaySummaryRecord, day, day):
            return
        sessions = self.plan.sessions
        self.journal.add(
            DaySummaryRecord(
                at=now, day=day, sessions=len(sessions), heavy=sum(1 for s in sessions if s.heavy)
            )
        )

    # --- what the user did with an offer ----------------------------------------------

    def taken(self, key: str) -> None:
        self._close(key, "taken")

    def skipped(self, key: str) -> None:
        self._close(key, "skipped")

    def snooze(self, key: str, minutes: int = SNOOZE_MINUTES) -> datetime | None:
        """Snooze an offer; returns when it comes back, or None if that would leave the
        window (then the offer is closed as snoozed and does not come back)."""
        w = self._windows.get(key)
        if w is None or w.state != "showing":
            return None
        now = self.clock.now()
        back = now + timedelta(minutes=minutes)
        if (w.offer.end - back).total_seconds() < MIN_OFFER_SECONDS:
            self._close(key, "snoozed")
            return None
        w.state = "snoozed"
        w.snoozed_until = back
        return back

    def _close(self, key: str, outcome: str) -> None:
        w = self._windows.get(key)
        if w is None or w.state in ("done", "missed"):
            return
        w.state = "done"
        self._journal_offer(w.offer, outcome)

    def _journal_offer(self, offer: Offer, outcome: str) -> None:
        self.journal.add(
            OfferRecord(
                at=self.clock.now(),
                window_start=offer.start,
                window_end=offer.end,
                exercise=offer.exercise,
                outcome=outcome,
                after_heavy=offer.after_heavy,
            )
        )

    def reflection_opened(self, day: date) -> None:
        """The user opened the reflection by hand: the automatic one won't open again."""
        self._reflection_done.add(day)


class JumpDetector:
    """Notices when wall time moved differently from monotonic time (sleep, a manual
    change, a time-zone change). Checked at most once a minute by the app."""

    def __init__(self, clock: Clock, tolerance_s: float = JUMP_TOLERANCE_S) -> None:
        self.clock = clock
        self.tolerance_s = tolerance_s
        self._reset()

    def _reset(self) -> None:
        now = self.clock.now()
        self._wall = now
        self._offset = now.utcoffset()
        self._mono = self.clock.monotonic()

    def check(self) -> bool:
        """True if the clock jumped since the last check."""
        now = self.clock.now()
        mono = self.clock.monotonic()
        expected = self._wall + timedelta(seconds=mono - self._mono)
        jumped = abs((now - expected).total_seconds()) > self.tolerance_s
        zone_changed = now.utcoffset() != self._offset
        self._wall, self._mono, self._offset = now, mono, now.utcoffset()
        return jumped or zone_changed
