"""When the end-of-day reflection opens, on the code the app runs (planner + Day):
once a working day, a set time after the last session, never inside one, on free days
only when asked, and not again once saved or skipped."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from companion.core.calendar.session import Session
from companion.core.clock import FakeClock
from companion.core.day import Day, OpenReflection
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.planner import reflection_time
from companion.core.records import ReflectionRecord
from companion.core.settings import Settings

FRIDAY = date(2026, 3, 6)


def at(d: date, h: int, m: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, h, m).astimezone()


@dataclass
class Plan:
    date: date
    sessions: list[Session]
    breaks: list[object] = field(default_factory=list)
    reflection_at: datetime | None = None


def make_day(
    tmp_path: Path, start: datetime, days: dict[date, tuple[list[Session], Settings]]
) -> Day:
    clock = FakeClock(start)

    def plan_for(d: date) -> Plan:
        sessions, settings = days.get(d, ([], Settings()))
        return Plan(d, sessions, reflection_at=reflection_time(sessions, settings, d))

    journal = Journal(resolve_paths(tmp_path / "d"), clock).open()
    day = Day(clock=clock, journal=journal, settings=Settings(), plan_for=plan_for)
    day.replan()
    return day


def week_of(d: date) -> list[Session]:
    return [Session(at(d, h), at(d, h, 50)) for h in (9, 10, 11, 13, 14, 15, 16)]


def opened_between(day: Day, until: datetime) -> list[datetime]:
    clock: FakeClock = day.clock  # type: ignore[assignment]
    seen: list[datetime] = []
    while clock.now() < until:
        seen += [clock.now() for a in day.tick() if isinstance(a, OpenReflection)]
        nxt = min(t for t in (day.next_wakeup(), day.next_midnight(), until) if t is not None)
        clock.advance(max(1.0, (nxt - clock.now()).total_seconds()))
    return seen


def test_a_set_time_after_the_last_session(tmp_path: Path) -> None:
    settings = Settings(reflection_delay_minutes=10)
    assert reflection_time(week_of(FRIDAY), settings, FRIDAY) == at(FRIDAY, 17, 0)
    later = settings.with_changes(reflection_time="18:15")
    assert reflection_time(week_of(FRIDAY), later, FRIDAY) == at(FRIDAY, 18, 15)
    early = settings.with_changes(reflection_time="15:00")  # before the day ends: waits
    assert reflection_time(week_of(FRIDAY), early, FRIDAY) == at(FRIDAY, 17, 0)


def test_free_days_only_when_asked() -> None:
    assert reflection_time([], Settings(), FRIDAY) is None
    asked = Settings(reflection_on_free_days=True)
    assert reflection_time([], asked, FRIDAY) == at(FRIDAY, 18, 30)  # end of working hours
    fixed = asked.with_changes(reflection_time="17:00")
    assert reflection_time([], fixed, FRIDAY) == at(FRIDAY, 17, 0)


def test_not_again_once_saved_or_skipped(tmp_path: Path) -> None:
    days = {FRIDAY: (week_of(FRIDAY), Settings())}
    day = make_day(tmp_path, at(FRIDAY, 8), days)
    day.journal.add(ReflectionRecord(at=at(FRIDAY, 12), day=FRIDAY, skipped=True))
    assert opened_between(day, at(FRIDAY, 23)) == []
    saturday_day = make_day(tmp_path / "other", at(FRIDAY, 8), days)
    saturday_day.journal.add(ReflectionRecord(at=at(FRIDAY, 8), day=FRIDAY - timedelta(days=1)))
    assert opened_between(saturday_day, at(FRIDAY, 23)) == [at(FRIDAY, 17, 0)]


@pytest.mark.parametrize("seed", range(3))
def test_a_random_month_opens_once_a_day_never_in_a_session(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    first = date(2026, 3, 1)
    days: dict[date, tuple[list[Session], Settings]] = {}
    for n in range(31):
        d = first + timedelta(days=n)
        hours = sorted(rng.sample(range(7, 21), rng.randint(0, 7)))
        sessions = [Session(at(d, h, rng.choice((0, 15))), at(d, h, 55)) for h in hours]
        settings = Settings(
            reflection_delay_minutes=rng.choice((0, 10, 45)),
            reflection_time=rng.choice(("", "12:00", "16:30", "19:00")),
            reflection_on_free_days=rng.random() < 0.5,
        )
        days[d] = (sessions, settings)
    day = make_day(tmp_path, at(first, 0, 1), days)
    opened = opened_between(day, at(first + timedelta(days=31), 0))
    for n in range(31):
        d = first + timedelta(days=n)
        sessions, settings = days[d]
        today = [t for t in opened if t.date() == d]
        planned = reflection_time(sessions, settings, d)
        assert len(today) == (1 if planned else 0), d
        for t in today:
            assert not any(s.start <= t < s.end for s in sessions), t
            assert all(t >= s.end for s in sessions), "opened before the last session ended"
        if not sessions and not settings.reflection_on_free_days:
            assert not today
