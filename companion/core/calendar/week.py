"""The standing week (with its one-off changes) as sessions: all the idle tray app needs
when the person's sessions come from a standing week, so it loads no calendar parser."""

from __future__ import annotations

from datetime import date, time, timedelta

from companion.core.calendar.session import Session, add_minutes, dedupe, in_range, local_at
from companion.core.settings import Settings


def week_sessions(settings: Settings, first_day: date, days: int = 1) -> list[Session]:
    """The standing week (with one-off changes) for the local days [first_day, +days).

    A session that starts the evening before and runs past midnight is included.
    A one-off `cancel` removes the standing session starting at that time on that date;
    any other one-off adds a session.
    """
    by_date: dict[date, list[tuple[time, int, bool, bool]]] = {}
    for o in settings.one_offs:
        by_date.setdefault(o.day, []).append((o.start_time, o.minutes, o.heavy, o.cancel))
    out: list[Session] = []
    for offset in range(-1, days):
        day = first_day + timedelta(days=offset)
        changes = by_date.get(day, [])
        cancelled = {start for start, _m, _h, cancel in changes if cancel}
        planned = [
            (w.start_time, w.minutes, w.heavy)
            for w in settings.week
            if w.weekday == day.weekday() and w.start_time not in cancelled
        ]
        planned += [(start, m, h) for start, m, h, cancel in changes if not cancel]
        for start_time, minutes, heavy in planned:
            start = local_at(day, start_time)
            out.append(Session(start, add_minutes(start, minutes), heavy))
    return in_range(dedupe(out), first_day, days)
