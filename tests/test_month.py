"""A simulated month: every window of at least the minimum gets exactly one offer, at its
start, and nothing ever lands inside a session (DESIGN.md rule 4)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from companion.core.calendar.sources import sessions_for
from companion.core.clock import FakeClock
from companion.core.day import Day, OpenReflection, ShowOffer, window_key
from companion.core.exercises import load_library
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.planner import plan_day
from companion.core.records import OfferRecord
from companion.core.settings import CalendarSource, Settings


@pytest.fixture
def berlin(local_tz: Callable[[str], None]) -> None:
    local_tz("Europe/Berlin")  # a zone with a daylight-saving change in March


def local(d: date, h: int, m: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, h, m).astimezone()


def irregular_calendar(path: Path, first: date, days: int) -> None:
    """A month of sessions with uneven gaps: 0, 3, 5, 10, 25 minutes, some heavy."""
    rng = random.Random(7)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//month//EN"]
    n = 0
    for offset in range(days):
        d = first + timedelta(days=offset)
        if d.weekday() >= 5:
            continue
        t = local(d, 8, rng.choice([30, 45, 50]))
        for _ in range(rng.randint(3, 7)):
            length = rng.choice([45, 50, 60])
            end = t + timedelta(minutes=length)
            n += 1
            title = "Trauma follow-up" if rng.random() < 0.3 else "Client session"
            lines += [
                "BEGIN:VEVENT",
                f"UID:s{n}@test",
                f"DTSTART:{t.astimezone().strftime('%Y%m%dT%H%M%S')}",
                f"DTEND:{end.astimezone().strftime('%Y%m%dT%H%M%S')}",
                f"SUMMARY:{title}",
                "END:VEVENT",
            ]
            t = end + timedelta(minutes=rng.choice([0, 3, 5, 10, 25]))
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n")


def simulate(settings: Settings, data: Path, first: date, days: int) -> dict[str, object]:
    clock = FakeClock(local(first, 0, 1), local_zone=True)  # offsets follow DST
    paths = resolve_paths(data).ensure()
    journal = Journal(paths, clock).open()
    library = load_library()

    def plan_for(d: date):  # type: ignore[no-untyped-def]
        found = sessions_for(settings, d, paths=paths, clock=clock, refresh=True)
        return plan_day(list(found.sessions), settings, d, library)

    day = Day(clock=clock, journal=journal, settings=settings, plan_for=plan_for)
    day.replan()
    shown: list[tuple[datetime, object]] = []
    windows: dict[str, tuple[datetime, datetime]] = {}
    sessions: list[tuple[datetime, datetime]] = []
    seen_dates: set[date] = set()
    end = local(first + timedelta(days=days), 0, 0)
    while clock.now() < end:
        for action in day.tick():
            shown.append((clock.now(), action))
        if day.plan is not None and day.plan.date not in seen_dates:
            seen_dates.add(day.plan.date)
            sessions += [(s.start, s.end) for s in day.plan.sessions]
            for b in day.plan.breaks:
                windows[window_key(b.start)] = (b.start, b.end)
        nxt = min(t for t in (day.next_wakeup(), day.next_midnight()) if t is not None)
        clock.advance(max(1.0, (nxt - clock.now()).total_seconds()))
    return {"shown": shown, "windows": windows, "sessions": sessions, "journal": journal}


def check_month(result: dict[str, object], min_gap: int) -> None:
    shown = result["shown"]
    windows = result["windows"]
    sessions = result["sessions"]
    assert isinstance(shown, list) and isinstance(windows, dict) and isinstance(sessions, list)
    offers = [(t, a.offer) for t, a in shown if isinstance(a, ShowOffer)]
    assert windows, "the month had no break windows at all"
    by_key: dict[str, list[datetime]] = {}
    for t, offer in offers:
        by_key.setdefault(offer.key, []).append(t)
    for key, (start, end_) in windows.items():
        assert by_key.get(key) == [start], f"window {key} got offers at {by_key.get(key)}"
        assert (end_ - start) >= timedelta(minutes=min_gap - 1)
    for t, action in shown:
        for s_start, s_end in sessions:
            assert not (s_start <= t < s_end), f"{action} at {t} falls in a session"
    for _t, offer in offers:
        for s_start, s_end in sessions:
            assert offer.end <= s_start or offer.start >= s_end, "a window overlaps a session"
    reflections = [t.date() for t, a in shown if isinstance(a, OpenReflection)]
    assert len(reflections) == len(set(reflections)), "a reflection opened twice in a day"


def test_a_month_of_the_standing_week(tmp_path: Path, berlin: None) -> None:
    settings = Settings()
    result = simulate(settings, tmp_path / "d", date(2026, 3, 2), 31)  # spans the DST change
    check_month(result, settings.min_gap_minutes)
    windows = result["windows"]
    assert isinstance(windows, dict)
    assert len(windows) == 23 * 6  # 23 working days; five 10-minute gaps and lunch
    journal = result["journal"]
    assert isinstance(journal, Journal)
    outcomes = {o.outcome for o in journal.query(OfferRecord)}
    assert outcomes == {"ignored"}  # nobody clicked: every offer closed itself at window end
    # Sunday 29 March moved Berlin's clocks forward: the weeks after it are offered at
    # the same local times as the weeks before, an hour earlier in UTC.
    shown = [t for t, a in result["shown"] if isinstance(a, ShowOffer)]  # type: ignore[attr-defined]
    before = {t.strftime("%H:%M") for t in shown if t.date() < date(2026, 3, 29)}
    after = {t.strftime("%H:%M") for t in shown if t.date() > date(2026, 3, 29)}
    # six gaps and, after the last session, the closing offer (leave it at the door)
    assert before == after and len(before) == 7
    assert {t.utcoffset() for t in shown} == {timedelta(hours=1), timedelta(hours=2)}


def test_a_month_of_an_irregular_calendar(tmp_path: Path, berlin: None) -> None:
    ics = tmp_path / "practice.ics"
    irregular_calendar(ics, date(2026, 3, 2), 31)
    settings = Settings().with_changes(
        schedule_source="calendar",
        calendars=(CalendarSource(id="c1", kind="file", path=str(ics)),),
        heavy_keywords=("trauma",),
    )
    result = simulate(settings, tmp_path / "d", date(2026, 3, 2), 31)
    check_month(result, settings.min_gap_minutes)
    sessions = result["sessions"]
    assert isinstance(sessions, list) and len(sessions) > 60
