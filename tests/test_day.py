"""The day state machine: offers at the right moment, never in a session, never twice."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from companion.core.clock import FakeClock
from companion.core.day import (
    Day,
    HideOffer,
    JumpDetector,
    OpenReflection,
    ShowOffer,
    State,
)
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.records import DaySummaryRecord, OfferRecord
from companion.core.settings import Settings

TZ = timezone(timedelta(hours=1))


@dataclass(frozen=True)
class S:
    start: datetime
    end: datetime
    heavy: bool = False


@dataclass(frozen=True)
class B:
    start: datetime
    end: datetime
    minutes: int
    exercise: str | None = "box-breathing"
    after_heavy: bool = False
    longer: bool = False


@dataclass
class P:
    date: date
    sessions: list[S] = field(default_factory=list)
    breaks: list[B] = field(default_factory=list)
    reflection_at: datetime | None = None


def at(day: date, hm: str) -> datetime:
    h, m = map(int, hm.split(":"))
    return datetime(day.year, day.month, day.day, h, m, tzinfo=TZ)


def simple_plan(day: date) -> P:
    """09:00-09:50, 10:00-10:50 (heavy), 11:00-11:50: two 9-minute windows."""
    sessions = [
        S(at(day, "09:00"), at(day, "09:50")),
        S(at(day, "10:00"), at(day, "10:50"), heavy=True),
        S(at(day, "11:00"), at(day, "11:50")),
    ]
    breaks = [
        B(at(day, "09:50"), at(day, "09:59"), 9),
        B(at(day, "10:50"), at(day, "10:59"), 9, after_heavy=True),
    ]
    if day.weekday() >= 5:
        return P(day)
    return P(day, sessions, breaks, at(day, "12:00"))


MONDAY = date(2026, 3, 2)


def new_day(tmp_path: Path, plan_for=simple_plan, start: str = "08:30") -> Day:  # type: ignore[no-untyped-def]
    """A Day on a fake clock at `start` on MONDAY with its own journal, planned once."""
    clock = FakeClock(at(MONDAY, start))
    journal = Journal(resolve_paths(tmp_path / "d"), clock).open()
    d = Day(clock=clock, journal=journal, settings=Settings(), plan_for=plan_for)
    d.replan()
    return d


@pytest.fixture
def day(tmp_path: Path) -> Day:
    return new_day(tmp_path)


def run_until(day: Day, until: datetime) -> list[tuple[datetime, object]]:
    """Step the fake clock from wake-up to wake-up, as the scheduler would."""
    clock: FakeClock = day.clock  # type: ignore[assignment]
    seen: list[tuple[datetime, object]] = []
    for _ in range(10_000):
        for action in day.tick():
            seen.append((clock.now(), action))
        nxt = day.next_wakeup()
        if nxt is None or nxt > until:
            clock.advance((until - clock.now()).total_seconds())
            for action in day.tick():
                seen.append((clock.now(), action))
            return seen
        clock.advance(max(0.0, (nxt - clock.now()).total_seconds()))
    raise AssertionError("the day never settled")


def offers(day: Day) -> list[OfferRecord]:
    return day.journal.query(OfferRecord)


def test_offers_appear_at_each_window_start_and_nowhere_else(day: Day) -> None:
    seen = run_until(day, at(MONDAY, "13:00"))
    shown = [(t, a.offer.key) for t, a in seen if isinstance(a, ShowOffer)]
    assert [t for t, _ in shown] == [at(MONDAY, "09:50"), at(MONDAY, "10:50")]
    for t, action in seen:
        assert day.session_at(t) is None, f"{action} appeared inside a session at {t}"
    hidden = [t for t, a in seen if isinstance(a, HideOffer)]
    # Ignored offers go away once no practice fits: a minute before the 09:59 stop.
    assert hidden == [at(MONDAY, "09:58"), at(MONDAY, "10:58")]
    assert [o.outcome for o in offers(day)] == ["ignored", "ignored"]


def test_heavy_flag_travels_with_the_offer(day: Day) -> None:
    seen = run_until(day, at(MONDAY, "11:00"))
    shown = [a.offer for _, a in seen if isinstance(a, ShowOffer)]
    assert [o.after_heavy for o in shown] == [False, True]
    assert shown[0].next_session == at(MONDAY, "10:00")


def test_snooze_comes_back_once_and_never_leaves_the_window(day: Day) -> None:
    run_until(day, at(MONDAY, "09:51"))
    key = day.offers_showing()[0].key
    back = day.snooze(key)
    assert back == at(MONDAY, "09:53")
    seen = run_until(day, at(MONDAY, "09:54"))
    assert [t for t, a in seen if isinstance(a, ShowOffer)] == [at(MONDAY, "09:53")]
    run_until(day, at(MONDAY, "09:57"))
    # 09:57 + 2 min would leave 0 s before 09:59: closed as snoozed, not shown again.
    assert day.snooze(key) is None
    seen = run_until(day, at(MONDAY, "10:30"))
    assert not [a for _, a in seen if isinstance(a, ShowOffer)]
    assert [o.outcome for o in offers(day)] == ["snoozed"]


def test_taken_and_skipped_are_journaled_once(day: Day) -> None:
    run_until(day, at(MONDAY, "09:50"))
    day.taken(day.offers_showing()[0].key)
    run_until(day, at(MONDAY, "10:50"))
    key = day.offers_showing()[0].key
    day.skipped(key)
    day.skipped(key)  # a second click changes nothing
    run_until(day, at(MONDAY, "12:00"))
    assert [o.outcome for o in offers(day)] == ["taken", "skipped"]


def test_sleeping_through_a_window_gives_no_late_offer(day: Day) -> None:
    clock: FakeClock = day.clock  # type: ignore[assignment]
    clock.advance(30 * 60)  # 09:00, in the first session
    assert day.tick() == []
    clock.sleep(65 * 60)  # lid closed until 10:05, inside the second session
    actions = day.tick()
    assert not [a for a in actions if isinstance(a, ShowOffer)]
    assert [o.outcome for o in offers(day)] == ["missed"]
    seen = run_until(day, at(MONDAY, "11:00"))
    assert [t for t, a in seen if isinstance(a, ShowOffer)] == [at(MONDAY, "10:50")]


def test_waking_inside_an_open_gap_still_offers(day: Day) -> None:
    clock: FakeClock = day.clock  # type: ignore[assignment]
    clock.advance(30 * 60)
    clock.sleep(52 * 60)  # wakes at 09:52, the gap runs to 09:59
    (action,) = day.tick()
    assert isinstance(action, ShowOffer)
    assert action.offer.minutes_left(clock.now()) == 7


def test_clock_jumps_back_and_forth_never_fire_twice(day: Day) -> None:
    clock: FakeClock = day.clock  # type: ignore[assignment]
    run_until(day, at(MONDAY, "09:55"))
    clock.jump(timedelta(minutes=-20))  # someone sets the clock back to 09:35
    day.replan()
    seen = run_until(day, at(MONDAY, "10:20"))
    assert not [a for _, a in seen if isinstance(a, ShowOffer)]
    clock.jump(timedelta(minutes=45))  # and forward past the second window's start: 11:05
    day.replan()
    seen = run_until(day, at(MONDAY, "12:30"))
    assert not [a for _, a in seen if isinstance(a, ShowOffer)]
    outcomes = sorted(o.outcome for o in offers(day))
    assert outcomes == ["ignored", "missed"]


def test_pause_reasons_overlap(day: Day) -> None:
    now = day.clock.now()
    day.pause_until("manual", now + timedelta(hours=2))
    day.pause_until("meeting", now + timedelta(hours=1, minutes=30))
    status = day.status()
    assert status.state is State.PAUSED and status.until == now + timedelta(hours=2)
    day.resume("manual")
    assert day.status().until == now + timedelta(hours=1, minutes=30)
    seen = run_until(day, at(MONDAY, "11:00"))
    shown = [t for t, a in seen if isinstance(a, ShowOffer)]
    assert shown == [at(MONDAY, "10:50")]  # 09:50 fell inside the meeting pause


def test_status_words(day: Day) -> None:
    clock: FakeClock = day.clock  # type: ignore[assignment]
    assert day.status().describe() == "Off duty · first session at 09:00"
    clock.advance(40 * 60)  # 09:10
    assert day.status().describe() == "In a session until 09:50"
    clock.advance(42 * 60)  # 09:52
    assert day.status().describe() == "Between sessions, next at 10:00"
    clock.advance(3 * 3600)
    assert day.status().state is State.OFF_DUTY


@pytest.mark.usefixtures("pseudo_locale")
def test_status_words_are_marked_and_times_follow_the_installed_format(day: Day) -> None:
    from companion import i18n

    clock: FakeClock = day.clock  # type: ignore[assignment]
    clock.advance(40 * 60)  # 09:10, in the first session
    text = day.status().describe()
    assert text.startswith(i18n.OPEN) and text.endswith(i18n.CLOSE) and "09:50" in text
    i18n.set_time_format(lambda t: f"{t.hour % 12 or 12}:{t.minute:02d} AM")
    try:
        assert "9:50 AM" in day.status().describe()  # the windows install the locale's format
    finally:
        i18n.set_time_format(None)


def test_reflection_opens_once_after_the_last_session(day: Day) -> None:
    seen = run_until(day, at(MONDAY, "18:00"))
    opened = [(t, a) for t, a in seen if isinstance(a, OpenReflection)]
    assert opened == [(at(MONDAY, "12:00"), OpenReflection(MONDAY))]
    day.replan()
    assert not [a for a in day.tick() if isinstance(a, OpenReflection)]


def test_reflection_due_inside_a_session_waits_for_it_to_end(tmp_path: Path) -> None:
    def plan(d: date) -> P:
        p = simple_plan(d)
        p.reflection_at = at(d, "11:20")  # a fixed time that lands inside 11:00-11:50
        return p

    clock = FakeClock(at(MONDAY, "08:30"))
    d = Day(
        clock=clock,
        journal=Journal(resolve_paths(tmp_path / "d"), clock).open(),
        settings=Settings(),
        plan_for=plan,
    )
    seen = run_until(d, at(MONDAY, "18:00"))
    opened = [t for t, a in seen if isinstance(a, OpenReflection)]
    assert opened == [at(MONDAY, "11:50")]


def test_day_summary_is_journaled_once_with_counts_only(day: Day) -> None:
    run_until(day, at(MONDAY, "23:00"))
    day.replan()
    run_until(day, at(MONDAY, "23:30"))
    (summary,) = day.journal.query(DaySummaryRecord)
    assert (summary.day, summary.sessions, summary.heavy) == (MONDAY, 3, 1)


def test_midnight_moves_to_the_next_day(day: Day) -> None:
    clock: FakeClock = day.clock  # type: ignore[assignment]
    run_until(day, at(MONDAY, "23:59"))
    clock.advance(120)
    day.tick()
    assert day.plan is not None and day.plan.date == MONDAY + timedelta(days=1)
    seen = run_until(day, at(MONDAY + timedelta(days=1), "11:00"))
    assert len([a for _, a in seen if isinstance(a, ShowOffer)]) == 2


def test_jump_detector(day: Day) -> None:
    clock: FakeClock = day.clock  # type: ignore[assignment]
    detector = JumpDetector(clock)
    clock.advance(60)
    assert not detector.check()
    clock.sleep(3600)
    assert detector.check()
    clock.advance(60)
    assert not detector.check()
    clock.jump(timedelta(minutes=-30))
    assert detector.check()
    clock.set_zone(timezone(timedelta(hours=-5)))  # flew somewhere: same instant, new offset
    assert detector.check()


def test_a_replan_that_redraws_a_gap_never_offers_it_twice(tmp_path: Path) -> None:
    """A new grace margin (or a session end moved by the calendar) shifts the window by a
    minute while its card is on screen: the card follows, no second card appears."""
    shift = {"minutes": 0}

    def plan(d: date) -> P:
        p = simple_plan(d)
        m = timedelta(minutes=shift["minutes"])
        p.breaks = [replace(b, start=b.start + m) for b in p.breaks]
        return p

    d = new_day(tmp_path, plan)
    run_until(d, at(MONDAY, "09:51"))
    (first,) = d.offers_showing()
    shift["minutes"] = 1  # grace 0 -> 1 min: the window now starts at 09:51
    d.replan()
    seen = run_until(d, at(MONDAY, "10:30"))
    assert not [a for _, a in seen if isinstance(a, ShowOffer)], "the same gap came back"
    assert [a.key for _, a in seen if isinstance(a, HideOffer)] == [first.key]
    assert [o.outcome for o in offers(d)] == ["ignored"]


def test_a_time_zone_change_does_not_bring_back_a_skipped_gap(tmp_path: Path) -> None:
    zone = {"tz": TZ}

    def plan(d: date) -> P:  # the same instants, drawn in whatever zone the machine is in
        p = simple_plan(d)
        p.breaks = [replace(b, start=b.start.astimezone(zone["tz"])) for b in p.breaks]
        return p

    d = new_day(tmp_path, plan)
    run_until(d, at(MONDAY, "09:52"))
    d.skipped(d.offers_showing()[0].key)
    zone["tz"] = UTC  # travelled west an hour; same moment
    d.replan()
    seen = run_until(d, at(MONDAY, "10:30"))
    assert not [a for _, a in seen if isinstance(a, ShowOffer)]


def test_a_restart_remembers_the_days_offers(day: Day, tmp_path: Path) -> None:
    run_until(day, at(MONDAY, "09:52"))
    day.skipped(day.offers_showing()[0].key)
    clock: FakeClock = day.clock  # type: ignore[assignment]
    clock.advance(60)  # the app is quit and started again at 09:53
    again = Day(clock=clock, journal=day.journal, settings=Settings(), plan_for=simple_plan)
    again.replan()
    seen = run_until(again, at(MONDAY, "10:55"))
    assert [t for t, a in seen if isinstance(a, ShowOffer)] == [at(MONDAY, "10:50")]
    assert [o.outcome for o in offers(day)] == ["skipped"]


def test_starting_late_journals_no_missed_offers_for_hours_it_was_not_running(
    tmp_path: Path,
) -> None:
    clock = FakeClock(at(MONDAY, "13:05"))
    journal = Journal(resolve_paths(tmp_path / "d"), clock).open()
    for _ in range(2):  # started, quit, started again
        d = Day(clock=clock, journal=journal, settings=Settings(), plan_for=simple_plan)
        d.replan()
        assert not [a for a in d.tick() if isinstance(a, ShowOffer)]
        clock.advance(60)
    assert offers(d) == []


def test_a_pause_that_ends_inside_a_gap_still_offers_it(day: Day) -> None:
    day.pause_until("manual", at(MONDAY, "09:53"))
    seen = run_until(day, at(MONDAY, "09:56"))
    assert [t for t, a in seen if isinstance(a, ShowOffer)] == [at(MONDAY, "09:53")]


def test_a_gap_that_passes_during_a_pause_is_not_a_missed_offer(day: Day) -> None:
    day.pause_until("manual", datetime(2026, 3, 3, tzinfo=TZ))  # the menu's "rest of today"
    assert day.status().describe() == "Reminders paused for the rest of today"
    day.pause_until("manual", at(MONDAY, "09:58"))  # ends with a minute of the gap left
    assert day.status().describe() == "Reminders paused until 09:58"
    seen = run_until(day, at(MONDAY, "10:40"))
    assert not [a for _, a in seen if isinstance(a, ShowOffer)]
    assert offers(day) == []


def test_a_session_booked_into_an_open_gap_takes_the_card_down(tmp_path: Path) -> None:
    booked = {"yes": False}

    def plan(d: date) -> P:
        p = simple_plan(d)
        if booked["yes"]:  # a 09:52-09:58 call lands in the calendar: no gap left
            p.sessions.append(S(at(d, "09:52"), at(d, "09:58")))
            p.breaks = p.breaks[1:]
        return p

    d = new_day(tmp_path, plan)
    run_until(d, at(MONDAY, "09:51"))
    (card,) = d.offers_showing()
    booked["yes"] = True
    d.replan()
    assert d.tick() == [HideOffer(card.key)]
    assert [o.outcome for o in offers(d)] == ["missed"]


def _hour_gap_plan(booked: dict[str, bool]):  # type: ignore[no-untyped-def]
    """09:00-10:00 and 11:00-12:00 with a free hour between; a call may land in it."""

    def plan(d: date) -> P:
        sessions = [S(at(d, "09:00"), at(d, "10:00")), S(at(d, "11:00"), at(d, "12:00"))]
        breaks = [B(at(d, "10:00"), at(d, "10:59"), 15)]
        if booked["call"]:
            sessions.insert(1, S(at(d, "10:20"), at(d, "10:35")))
            breaks = [B(at(d, "10:00"), at(d, "10:19"), 15), B(at(d, "10:35"), at(d, "10:59"), 15)]
        return P(d, sessions, breaks, at(d, "12:30"))

    return plan


def test_a_call_booked_into_a_decided_gap_leaves_a_new_gap_after_it(tmp_path: Path) -> None:
    booked = {"call": False}
    d = new_day(tmp_path, _hour_gap_plan(booked))
    clock: FakeClock = d.clock  # type: ignore[assignment]
    journal = d.journal
    run_until(d, at(MONDAY, "10:01"))
    d.skipped(d.offers_showing()[0].key)
    booked["call"] = True  # a calendar refresh brings a 10:20-10:35 call
    d.replan()
    seen = run_until(d, at(MONDAY, "10:40"))
    assert [t for t, a in seen if isinstance(a, ShowOffer)] == [at(MONDAY, "10:35")]
    d.closing()  # quit with the 10:35 card still up, then start again:
    again = Day(clock=clock, journal=journal, settings=Settings(), plan_for=_hour_gap_plan(booked))
    again.replan()
    assert not [a for _, a in run_until(again, at(MONDAY, "10:58")) if isinstance(a, ShowOffer)]


def test_a_replan_after_a_pause_keeps_the_gap_it_held_out_of_the_journal(day: Day) -> None:
    day.pause_until("manual", at(MONDAY, "09:58"))
    run_until(day, at(MONDAY, "09:57"))
    day.replan()  # woke from sleep, a calendar refresh: anything
    run_until(day, at(MONDAY, "10:30"))
    assert offers(day) == []


def test_starting_in_the_last_moments_of_a_gap_is_not_a_missed_offer(tmp_path: Path) -> None:
    d = new_day(tmp_path, start="09:58")
    run_until(d, at(MONDAY, "10:30"))
    assert offers(d) == []


def test_an_offer_snoozed_then_paused_past_its_gap_is_journaled_as_snoozed(day: Day) -> None:
    run_until(day, at(MONDAY, "09:51"))
    day.snooze(day.offers_showing()[0].key)  # back at 09:53
    day.pause_until("manual", at(MONDAY, "10:30"))
    run_until(day, at(MONDAY, "10:40"))
    assert [o.outcome for o in offers(day)] == ["snoozed"]


def test_a_journal_that_cannot_be_written_never_stops_the_day(
    day: Day, caplog: pytest.LogCaptureFixture
) -> None:
    """A full disk or a lock held too long while an offer is answered: one line in the
    log, the offer is still closed (its card goes), nothing is raised into the tray app."""
    import logging

    from companion.core.journal import JournalError

    def broken(record: object) -> str:
        raise JournalError("the journal is locked by another program for over 10 s")

    run_until(day, at(MONDAY, "09:51"))
    key = day.offers_showing()[0].key
    day.journal.add = broken  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING):
        day.skipped(key)
    assert "could not save the offer" in caplog.text
    assert day.offers_showing() == []


def test_the_app_wakes_for_the_next_decision_the_next_session_edge_and_midnight(
    day: Day,
) -> None:
    # At 08:30: the first session's start, the first offer at 09:50, and midnight.
    assert day.wake_times() == [at(MONDAY, "09:00"), at(MONDAY, "09:50"), day.next_midnight()]
    run_until(day, at(MONDAY, "09:10"))
    # In the session: its end and its break's offer are one moment, woken for once.
    assert day.wake_times() == [at(MONDAY, "09:50"), day.next_midnight()]


# --- a call that runs over, a locked screen (issue 13) -------------------------------------


def _shown(actions: list[object]) -> list[str]:
    return [a.offer.key for a in actions if isinstance(a, ShowOffer)]


def test_an_offer_waits_for_a_call_that_runs_over_and_comes_when_it_ends(day: Day) -> None:
    run_until(day, at(MONDAY, "09:49"))
    day.busy = frozenset({"call"})  # the 09:00 session runs over on the video call
    seen = run_until(day, at(MONDAY, "09:52"))
    assert not [a for _t, a in seen if isinstance(a, ShowOffer)]
    assert day.offer_waiting()
    day.busy = frozenset()  # the call ends at 09:52: room is left, the offer comes
    clock: FakeClock = day.clock  # type: ignore[assignment]
    assert _shown(day.tick()) != []
    assert clock.now() == at(MONDAY, "09:52")


def test_an_offer_whose_gap_passes_during_the_call_is_missed_with_its_reason(day: Day) -> None:
    run_until(day, at(MONDAY, "09:49"))
    day.busy = frozenset({"call"})
    seen = run_until(day, at(MONDAY, "09:59"))
    assert not [a for _t, a in seen if isinstance(a, ShowOffer)]
    (missed,) = offers(day)
    assert (missed.outcome, missed.reason) == ("missed", "call")


def test_a_card_up_when_a_call_starts_goes_and_comes_back_after(day: Day) -> None:
    run_until(day, at(MONDAY, "09:51"))
    (showing,) = day.offers_showing()
    day.busy = frozenset({"call"})  # a screen share must not show it to the client
    assert [a for a in day.tick() if isinstance(a, HideOffer)] == [HideOffer(showing.key)]
    day.busy = frozenset()
    assert _shown(day.tick()) == [showing.key]
    assert offers(day) == []  # nothing journaled: it is simply up again


def test_away_holds_the_offer_and_the_reflection_until_the_person_is_back(day: Day) -> None:
    run_until(day, at(MONDAY, "10:49"))
    day.busy = frozenset({"away"})  # the screen locked through the 10:50 gap
    run_until(day, at(MONDAY, "10:59"))
    missed = [o for o in offers(day) if o.window_start == at(MONDAY, "10:50")]
    assert [(o.outcome, o.reason) for o in missed] == [("missed", "away")]
    seen = run_until(day, at(MONDAY, "12:30"))  # the reflection is due at 12:00
    assert not [a for _t, a in seen if isinstance(a, OpenReflection)]
    assert day.reflection_waiting()
    day.busy = frozenset()
    assert [a for a in day.tick() if isinstance(a, OpenReflection)]
