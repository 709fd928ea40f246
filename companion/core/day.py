"""The day, as the tray app lives it: a state machine driven by a Clock, with no Qt.

The app asks `next_wakeup()` when to look again, and at that moment (or whenever
anything changes: a re-plan, a clock jump, a click) calls `tick()`, which returns
the actions to take now: show an offer, hide one, open the reflection. Every
decision that keeps the promise "nothing appears during a session" is made here
and tested at full speed with a FakeClock:

* an offer is shown only inside its break window, never twice for one gap: a re-plan
  that moves a gap (a new margin, a moved session, another time zone) keeps what was
  decided for it, and a restart reads the day's offers back from the journal;
* a window that has passed while the app ran (the laptop slept through it, the clock
  jumped) is journaled as missed and never shown late; one that ended before the app
  started is nobody's missed offer and is not journaled;
* a window whose remaining time is too short for any practice is missed, not shown, and
  a card on screen goes away once no practice fits before the next session;
* snoozing never moves an offer past its window;
* pauses are a set of reasons (manual pause, off duty), so they overlap correctly; a
  window waits out a pause and is offered if the pause ends while it is still open;
* the end-of-day reflection opens once, never inside a session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from companion.core.clock import Clock
from companion.core.exercises import MIN_PRACTICE_SECONDS
from companion.core.planner import PRACTICE_MARGIN
from companion.core.records import DaySummaryRecord, OfferRecord, ReflectionRecord
from companion.core.settings import Settings, parse_hhmm
from companion.core.status import State, Status
from companion.core.writer import JournalWriter

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
class _NoPlan:
    """The plan of a day whose schedule the person has not confirmed: nothing."""

    date: date
    sessions: tuple[SessionLike, ...] = ()
    breaks: tuple[BreakLike, ...] = ()
    reflection_at: datetime | None = None


@dataclass(frozen=True)
class Offer:
    key: str
    start: datetime
    end: datetime
    exercise: str | None
    after_heavy: bool
    longer: bool
    next_session: datetime | None
    closing: bool = False  # after the day's last session: the planner's `DayPlan.closing`

    def minutes_left(self, now: datetime) -> int:
        return max(0, int((self.end - now).total_seconds() // 60))

    @property
    def practice_end(self) -> datetime:
        """When a practice begun from this offer must be over: the window's end (the
        wrap-up margin is already in it) and never later than PRACTICE_MARGIN before
        the next session (the planner's rule)."""
        if self.next_session is None:
            return self.end
        return min(self.end, self.next_session - PRACTICE_MARGIN)


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


def _claim(
    spans: Sequence[tuple[datetime, datetime]], breaks: Sequence[BreakLike]
) -> list[int | None]:
    """For each earlier span, the index of the first new break it overlaps (None if none):
    the gap as it began, which is what the clinician saw offered."""
    order = sorted(range(len(breaks)), key=lambda i: breaks[i].start)
    return [
        next((i for i in order if start < breaks[i].end and breaks[i].start < end), None)
        for start, end in spans
    ]


def _room_at(offer: Offer, moment: datetime) -> bool:
    """Is there still room at `moment` for this offer to be worth showing?"""
    return (offer.practice_end - moment).total_seconds() >= MIN_OFFER_SECONDS


def _room_ends(offer: Offer) -> datetime:
    """The first moment this offer no longer has room to be worth showing."""
    return offer.practice_end - timedelta(seconds=MIN_OFFER_SECONDS - 1)


def window_key(start: datetime) -> str:
    """A window's name: its start as a UTC instant, the same in any time zone."""
    return start.astimezone(UTC).isoformat()


@dataclass
class _Window:
    offer: Offer
    state: str = "pending"  # pending -> showing -> (snoozed -> showing) -> done
    snoozed_until: datetime | None = None
    held_by_pause: bool = False  # it came due during a pause
    held_by: str | None = None  # "call" or "away": it came due (or was up) while busy


@dataclass
class Day:
    """Everything the app has decided about today, driven by `tick()`."""

    clock: Clock
    journal: Journal
    settings: Settings
    plan_for: Callable[[date], PlanLike]
    plan: PlanLike | None = None
    pauses: dict[str, datetime | None] = field(default_factory=dict)
    # What the desktop says right now (the app asks only while an offer is due or
    # waiting): "call" while a microphone, camera or screen share is in use, "away" while
    # the screen is locked or idle. An offer waits for them to end.
    busy: frozenset[str] = frozenset()
    _windows: dict[str, _Window] = field(default_factory=dict)
    _reflection_done: set[date] = field(default_factory=set)
    _summarised: set[date] = field(default_factory=set)
    _started_at: datetime | None = None
    _queued: list[Action] = field(default_factory=list)  # for the next tick()

    # --- planning -------------------------------------------------------------------

    def replan(self, settings: Settings | None = None) -> None:
        """Take today's plan afresh (midnight, a calendar refresh, a settings change, a
        clock jump). A gap already offered, skipped or missed keeps its outcome even if
        the new plan draws it a little differently, and the journal's offers for the day
        count as decided too (a restart): a re-plan never fires an offer twice."""
        if settings is not None:
            self.settings = settings
        now = self.clock.now()
        if self._started_at is None:
            self._started_at = now
        # The journal knows offers this Day does not only on its first plan of a date
        # (a restart); after that every offer it holds was decided here.
        first_of_day = self.plan is None or self.plan.date != now.date()
        # Never guess: until the person has said when they see clients, nothing is planned.
        confirmed = self.settings.schedule_confirmed
        self.plan = self.plan_for(now.date()) if confirmed else _NoPlan(now.date())
        closing = getattr(self.plan, "closing", None)  # the last offer, after the last session
        breaks = [*self.plan.breaks, *([closing] if closing is not None else [])]
        decided = [w for w in self._windows.values() if w.state != "pending"]
        held = [w for w in self._windows.values() if w.state == "pending" and w.held_by_pause]
        self._windows = {w.offer.key: w for w in decided}
        # Each earlier window stands for one gap: the first new break it overlaps. A
        # session booked into the middle of a decided gap leaves a second, new gap.
        decided_at = _claim([(w.offer.start, w.offer.end) for w in decided], breaks)
        # A break that began before midnight (carried into today) was decided yesterday.
        first_day = min([self.plan.date, *(b.start.date() for b in breaks)])
        journaled = self._journaled_windows(first_day, self.plan.date) if first_of_day else []
        journaled_at = _claim(journaled, breaks)
        held_at = _claim([(w.offer.start, w.offer.end) for w in held], breaks)
        sessions = sorted(self.plan.sessions, key=lambda s: s.start)
        started = self._started_at
        for i, b in enumerate(breaks):
            # The planner knows the next session even when it is tomorrow's (a break
            # across midnight); else the first of today's after the break.
            next_session = getattr(b, "next_start", None) or next(
                (s.start for s in sessions if s.start >= b.end), None
            )
            owners = [w for w, at in zip(decided, decided_at, strict=True) if at == i]
            if owners:
                for live in owners:
                    if live.state in ("showing", "snoozed"):  # the gap moved: the card follows
                        live.offer = replace(live.offer, end=b.end, next_session=next_session)
                continue
            offer = Offer(
                key=window_key(b.start),
                start=b.start,
                end=b.end,
                exercise=b.exercise,
                after_heavy=b.after_heavy,
                longer=bool(getattr(b, "longer", False)),
                next_session=next_session,
                closing=bool(getattr(b, "closing", False)),
            )
            window = _Window(offer, held_by_pause=i in held_at)
            if i in journaled_at:
                window.state = "done"  # offered before this start of the app
            elif b.end <= started or (b.start <= started and not _room_at(offer, started)):
                window.state = "done"  # over (or all but) before the app ran: not an offer
            self._windows[offer.key] = window
        for w, at in zip(decided, decided_at, strict=True):
            if at is None and w.state in ("showing", "snoozed"):  # its gap is gone: a
                if w.state == "showing":  # session fills it now. The card goes away.
                    self._queued.append(HideOffer(w.offer.key))
                w.state = "missed"
                self._journal_offer(w.offer, "missed")

    def _journaled_windows(self, first: date, last: date) -> list[tuple[datetime, datetime]]:
        found = self.journal.query(OfferRecord, first, last)
        return [(r.window_start, r.window_end) for r in found]

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

    def pause_for(self, reason: str, minutes: int | None) -> None:
        """Pause for `minutes`, or with None for the rest of today (until midnight)."""
        now = self.clock.now()
        if minutes is None:
            end = datetime.combine(now.date() + timedelta(days=1), time(0, 0))
            self.pause_until(reason, end.replace(tzinfo=now.tzinfo))
        else:
            self.pause_until(reason, now + timedelta(minutes=minutes))

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
        if not self.settings.schedule_confirmed:
            return Status(State.OFF_DUTY, unconfirmed=True)
        status = self._status(now)
        window = next((b for b in self._upcoming_breaks(now)), None)
        return replace(status, next_break=window) if window else status

    def _upcoming_breaks(self, now: datetime) -> list[tuple[datetime, datetime]]:
        """Today's planned breaks that have not ended, in order (start, end)."""
        breaks = self.plan.breaks if self.plan else ()
        return sorted((b.start, b.end) for b in breaks if b.end > now)

    def _status(self, now: datetime) -> Status:
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

    def window_at(self, now: datetime) -> Offer | None:
        """The break window open at `now`, whatever became of its offer."""
        return next(
            (w.offer for w in self._windows.values() if w.offer.start <= now < w.offer.end), None
        )

    def can_snooze(self, key: str, minutes: int = SNOOZE_MINUTES) -> bool:
        """Would "In 2 min" bring the offer back with room for a practice?"""
        w = self._windows.get(key)
        if w is None or w.state != "showing":
            return False
        return _room_at(w.offer, self.clock.now() + timedelta(minutes=minutes))

    # --- the clock moves --------------------------------------------------------------

    def next_wakeup(self) -> datetime | None:
        """The next moment `tick()` has something to decide."""
        now = self.clock.now()
        times: list[datetime] = []
        paused = self.active_pause(now) is not None
        busy = self._busy_reason() is not None and not paused
        for w in self._windows.values():
            due_at = w.snoozed_until if w.state == "snoozed" else w.offer.start
            if busy and w.state in ("pending", "snoozed") and due_at and due_at <= now:
                # Held by a call or absence: the app asks again while it waits; the day
                # itself next decides when the gap no longer has room (missed, and why).
                times.append(_room_ends(w.offer))
                continue
            if w.state == "pending":
                if not (paused and w.offer.start <= now):  # a pause's end wakes it
                    times.append(max(w.offer.start, now))
            elif w.state == "showing":
                # it goes once no practice fits, which is before its window's end
                times.append(w.offer.practice_end - timedelta(seconds=MIN_PRACTICE_SECONDS))
            elif (
                w.state == "snoozed"
                and w.snoozed_until is not None
                and not (paused and w.snoozed_until <= now)  # a pause's end wakes it
            ):
                times.append(w.snoozed_until)
        reflection = self.reflection_time()
        away_now = bool(self.busy) and reflection is not None and reflection <= now
        if (
            reflection is not None
            and reflection.date() not in self._reflection_done
            and not away_now  # it waits for the person's return (the app asks again)
        ):
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

    def wake_times(self) -> list[datetime]:
        """When the app must wake next: the next decision (`next_wakeup`), the next
        session start or end (so the tray's state changes on time), and midnight."""
        now = self.clock.now()
        times = [self.next_midnight()]
        nxt = self.next_wakeup()
        if nxt is not None:
            times.append(nxt)
        sessions = self.plan.sessions if self.plan else ()
        upcoming = sorted(t for s in sessions for t in (s.start, s.end) if t > now)
        if upcoming:
            times.append(upcoming[0])
        return sorted(set(times))

    def next_midnight(self) -> datetime:
        now = self.clock.now()
        tomorrow = datetime.combine(now.date() + timedelta(days=1), time(0, 0, 5))
        return tomorrow.replace(tzinfo=now.tzinfo).astimezone()

    def reflection_time(self) -> datetime | None:
        return self.plan.reflection_at if self.plan else None

    def tick(self) -> list[Action]:
        """Decide what happens now. Safe to call at any moment, any number of times."""
        now = self.clock.now()
        if self.plan is None or self.plan.date != now.date():
            self.replan()
        actions, self._queued = self._queued, []
        in_session = self.session_at(now) is not None
        paused = self.active_pause(now) is not None
        busy = self._busy_reason()
        for w in self._windows.values():
            offer = w.offer
            if w.state in ("done", "missed"):
                continue
            if w.state == "showing":
                practice_left = (offer.practice_end - now).total_seconds()
                if practice_left <= MIN_PRACTICE_SECONDS or in_session:
                    w.state = "done"
                    actions.append(HideOffer(offer.key))
                    self._journal_offer(offer, "ignored")
                elif busy is not None:
                    # A call began (or the screen locked) with the card up: it goes, and
                    # comes back when they end if there is still room (a screen share
                    # must not show it to the client).
                    w.state, w.held_by = "pending", busy
                    w.snoozed_until = None
                    actions.append(HideOffer(offer.key))
                continue
            due_at = w.snoozed_until if w.state == "snoozed" else offer.start
            if due_at is None or now < due_at:
                continue
            too_late = in_session or not _room_at(offer, now)
            if busy is not None and not paused:
                w.held_by = busy
                if not too_late:
                    continue  # wait for the call to end (or the person to come back)
            if too_late and w.held_by is not None and not w.held_by_pause:
                # The gap passed while the person was on a call or away: missed, and why.
                w.state = "missed"
                self._journal_offer(offer, "missed", reason=w.held_by)
                continue
            if paused:
                w.held_by_pause = True
                if not too_late:
                    continue  # wait: offered if the pause ends while it is still open
            if too_late and w.held_by_pause:
                # It passed during the user's own pause: not an offer, unless it had been
                # shown and put off before the pause (then it was snoozed, and says so).
                if w.state == "snoozed":
                    self._journal_offer(offer, "snoozed")
                w.state = "done"
                continue
            if too_late:
                # Too late to be useful: the gap has passed (or nearly). Never show it late.
                outcome = "missed" if w.state == "pending" else "snoozed"
                w.state = "missed"
                self._journal_offer(offer, outcome)
                continue
            if not self.in_working_hours(now):
                w.state = "done"  # off duty: not an offer at all
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
            and not self.busy  # it waits for the call to end, or the person's return
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
        self._write(
            DaySummaryRecord(
                at=now, day=day, sessions=len(sessions), heavy=sum(1 for s in sessions if s.heavy)
            )
        )

    # --- what the user did with an offer ----------------------------------------------

    def taken(self, key: str) -> None:
        self._close(key, "taken")

    def skipped(self, key: str) -> None:
        self._close(key, "skipped")

    def closing(self) -> None:
        """The app is quitting: a card still on screen was left unanswered."""
        for w in self._windows.values():
            if w.state == "showing":
                self._close(w.offer.key, "ignored")

    def expired(self, key: str) -> None:
        """Taken too late: no practice fits any more (journaled as missed)."""
        self._close(key, "missed")

    def snooze(self, key: str, minutes: int = SNOOZE_MINUTES) -> datetime | None:
        """Snooze an offer; returns when it comes back, or None if that would leave the
        window (then the offer is closed as snoozed and does not come back)."""
        w = self._windows.get(key)
        if w is None or w.state != "showing":
            return None
        back = self.clock.now() + timedelta(minutes=minutes)
        if not _room_at(w.offer, back):
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

    def _write(self, record: DaySummaryRecord | OfferRecord) -> None:
        """Through the one writer: a journal that cannot be written (a full disk, a lock
        held too long) is one line in the log, and the day goes on."""
        JournalWriter(self.journal).save(record)

    def offer_waiting(self) -> bool:
        """Is an offer up, or due now and still worth showing? Only then does the app ask
        the desktop whether a call is live or the screen locked (idle costs nothing)."""
        now = self.clock.now()
        for w in self._windows.values():
            if w.state == "showing":
                return True
            if w.state not in ("pending", "snoozed"):
                continue
            due_at = w.snoozed_until if w.state == "snoozed" else w.offer.start
            if due_at is not None and due_at <= now and _room_at(w.offer, now):
                return True
        return False

    def reflection_waiting(self) -> bool:
        """Is the end-of-day reflection due now and not yet opened (it waits for the
        person's return when they are away)?"""
        now = self.clock.now()
        at = self.reflection_time()
        return (
            at is not None
            and at <= now
            and at.date() == now.date()
            and at.date() not in self._reflection_done
        )

    def _busy_reason(self) -> str | None:
        """Why an offer must wait now, if it must: a call first (it is the interruption
        a client could see), then being away."""
        return next((r for r in ("call", "away") if r in self.busy), None)

    def _journal_offer(self, offer: Offer, outcome: str, *, reason: str | None = None) -> None:
        self._write(
            OfferRecord(
                at=self.clock.now(),
                window_start=offer.start,
                window_end=offer.end,
                exercise=offer.exercise,
                outcome=outcome,
                after_heavy=offer.after_heavy,
                reason=reason,
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
