"""Sessions and local time: the bottom of the calendar package (it imports nothing from it).

A `Session` keeps only what planning needs (start, end, heavy). Times are aware and
expressed in the machine's local zone; "local" is always asked of the operating system
per instant (`datetime.astimezone()`), so 09:00 is 09:00 on both sides of a
daylight-saving change and a change of `TZ` is followed at once.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path


@dataclass(frozen=True, order=True)
class Session:
    """One session: aware start and end (end after start), and whether it is heavy."""

    start: datetime
    end: datetime
    heavy: bool = False

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Session times must be aware datetimes")
        if self.end <= self.start:
            raise ValueError("a session must end after it starts")

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and self.end > start

    def local(self) -> Session:
        """The same session with both times in the current local zone."""
        return Session(to_local(self.start), to_local(self.end), self.heavy)


# --- local time ------------------------------------------------------------------------------


def to_local(dt: datetime) -> datetime:
    """An aware datetime in the local zone with the offset right for that instant.

    Aware input is converted; naive input (an iCalendar floating time) is read as local
    wall time.
    """
    return dt.astimezone()


def local_zone_name(at: datetime) -> str:
    """The local zone's IANA name when it can be known (TZ, /etc/localtime,
    /etc/timezone), else its abbreviation at `at` (e.g. "CET")."""
    # zoneinfo stays lazy (start-up time): only `companion plan` asks for the zone's name.
    from zoneinfo import ZoneInfo

    def valid(name: str) -> str | None:
        name = name.strip()
        if "zoneinfo/" in name:
            name = name.rsplit("zoneinfo/", 1)[1]
        if not name or name.startswith("/"):
            return None
        try:
            ZoneInfo(name)
        except Exception:
            return None
        return name

    tz = os.environ.get("TZ")
    if tz is not None:
        found = valid(tz.lstrip(":"))
        if found:
            return found
    else:
        for candidate in _system_zone_names():
            found = valid(candidate)
            if found:
                return found
    return to_local(at).tzname() or "local"


def _system_zone_names() -> list[str]:
    out: list[str] = []
    localtime = Path("/etc/localtime")
    with contextlib.suppress(OSError):
        if localtime.is_symlink():
            out.append(str(localtime.resolve()))
    with contextlib.suppress(OSError):
        out.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    return out


def local_at(day: date, at: time) -> datetime:
    """Wall time `at` on `day` in the local zone (DST-correct for that date)."""
    return datetime.combine(day, at.replace(tzinfo=None)).astimezone()


def day_bounds(day: date, days: int = 1) -> tuple[datetime, datetime]:
    """Local midnight starting `day` and local midnight `days` later (23/25 h on DST days)."""
    return local_at(day, time()), local_at(day + timedelta(days=days), time())


def add_minutes(start: datetime, minutes: float) -> datetime:
    """`start` plus elapsed minutes, expressed in the local offset of the result."""
    return to_local(start + timedelta(minutes=minutes))


def in_range(sessions: Iterable[Session], first_day: date, days: int = 1) -> list[Session]:
    """The sessions that overlap the local days [first_day, first_day + days), sorted."""
    lo, hi = day_bounds(first_day, days)
    return sorted(s for s in sessions if s.overlaps(lo, hi))


def merge_overlapping(sessions: Iterable[Session]) -> list[Session]:
    """Sessions merged where they overlap or touch (for gap purposes); heavy if any is."""
    merged: list[Session] = []
    for s in sorted(sessions):
        if merged and s.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Session(last.start, max(last.end, s.end), last.heavy or s.heavy)
        else:
            merged.append(s)
    return merged


def dedupe(sessions: Iterable[Session]) -> list[Session]:
    """Sorted, with exact duplicates (same start and end) folded; heavy if any is."""
    by_span: dict[tuple[datetime, datetime], bool] = {}
    for s in sessions:
        key = (s.start, s.end)
        by_span[key] = by_span.get(key, False) or s.heavy
    return sorted(Session(a, b, h) for (a, b), h in by_span.items())
