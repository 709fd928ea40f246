"""The offline calendar cache: derived sessions per source, and each source's last error.

After a successful refresh the sessions for the next 14 days (start, end, heavy: nothing
else, never a title) are written to `paths.calendar_cache`, atomically and 0600, so
the app can plan without the network. The last error per source is kept in the same
file for `companion doctor` and the tray tooltip; the last good sessions are kept
alongside it. The raw feed never touches the disk.

File shape (version 1):

    {"version": 1, "sources": {"<id>": {
        "refreshed_at": "2024-03-11T09:00:00+01:00" | null,
        "first_day": "2024-03-11" | null, "days": 14,
        "sessions": [["2024-03-11T09:00:00+01:00", "2024-03-11T09:50:00+01:00", false], ...],
        "error": "one line" | null, "error_at": "..." | null,
        "skipped": {"zone": 2}}}}

`skipped` counts the events the last good read left out, per reason (`errors.py`):
a number and a short key, never what the events were. A file written before it
existed reads as nothing skipped.

Two processes (the tray and a `companion plan`) may write it: read-modify-write runs
under an inter-process file lock. An unreadable cache is treated as empty (it is
derived data) and replaced at the next successful refresh.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from companion.core.calendar.secrets import scrub
from companion.core.calendar.session import Session, in_range, to_local
from companion.core.files import ensure_private_dir, make_private, write_atomic
from companion.core.locking import locked
from companion.i18n import _

log = logging.getLogger(__name__)

CACHE_VERSION = 1
LOCK_TIMEOUT = 10.0


@dataclass(frozen=True)
class SourceCache:
    """What the cache knows about one source."""

    id: str
    refreshed_at: datetime | None = None
    first_day: date | None = None
    days: int = 0
    sessions: tuple[Session, ...] = ()
    error: str | None = None
    error_at: datetime | None = None
    skipped: Mapping[str, int] = field(default_factory=dict)  # reason -> events left out

    def covers(self, first_day: date, days: int = 1) -> bool:
        if self.first_day is None or self.refreshed_at is None:
            return False
        return self.first_day <= first_day and first_day + timedelta(days=days) <= (
            self.first_day + timedelta(days=self.days)
        )


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


def _parse_dt(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        raise ValueError("naive time in cache")
    return to_local(dt)


def _to_json(entry: SourceCache) -> dict[str, Any]:
    return {
        "refreshed_at": _iso(entry.refreshed_at),
        "first_day": entry.first_day.isoformat() if entry.first_day else None,
        "days": entry.days,
        "sessions": [[s.start.isoformat(), s.end.isoformat(), s.heavy] for s in entry.sessions],
        "error": entry.error,
        "error_at": _iso(entry.error_at),
        "skipped": dict(sorted(entry.skipped.items())),
    }


def _skipped(raw: Any) -> dict[str, int]:
    """The skipped counts as stored; anything odd in them reads as nothing skipped."""
    if not isinstance(raw, dict):
        return {}
    return {
        str(k)[:32]: v
        for k, v in raw.items()
        if isinstance(v, int) and not isinstance(v, bool) and 0 < v < 10**9
    }


def _from_json(source_id: str, raw: Any) -> SourceCache:
    if not isinstance(raw, dict):
        raise ValueError("entry is not an object")
    sessions = []
    for item in raw.get("sessions") or []:
        start, end, heavy = item
        s, e = _parse_dt(start), _parse_dt(end)
        if s is None or e is None:
            raise ValueError("bad session")
        sessions.append(Session(s, e, bool(heavy)))
    first = raw.get("first_day")
    error = raw.get("error")
    return SourceCache(
        id=source_id,
        refreshed_at=_parse_dt(raw.get("refreshed_at")),
        first_day=date.fromisoformat(first) if isinstance(first, str) else None,
        days=int(raw.get("days") or 0),
        sessions=tuple(sessions),
        error=scrub(str(error)) if error else None,  # a line an older version kept unmasked
        error_at=_parse_dt(raw.get("error_at")),
        skipped=_skipped(raw.get("skipped")),
    )


def load(path: Path) -> dict[str, SourceCache]:
    """Every source's cache entry; {} if the file is missing or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        log.warning("%s is unreadable; planning without cached calendar sessions", path)
        return {}
    try:
        if raw.get("version") != CACHE_VERSION:
            return {}
        return {str(k): _from_json(str(k), v) for k, v in raw["sources"].items()}
    except (AttributeError, KeyError, TypeError, ValueError):
        log.warning("%s is unreadable; planning without cached calendar sessions", path)
        return {}


def _save(path: Path, entries: dict[str, SourceCache]) -> None:
    doc = {
        "version": CACHE_VERSION,
        "sources": {k: _to_json(v) for k, v in sorted(entries.items())},
    }
    write_atomic(path, (json.dumps(doc, indent=1) + "\n").encode("utf-8"))


def _update(path: Path, change: Callable[[dict[str, SourceCache]], bool]) -> None:
    """Read, change, write under the inter-process lock (only if `change` says so)."""
    ensure_private_dir(path.parent)
    lock_path = path.with_name(path.name + ".lock")
    with locked(lock_path, LOCK_TIMEOUT):
        make_private(lock_path)
        entries = load(path)
        if change(entries):
            _save(path, entries)


def store_sessions(
    path: Path,
    source_id: str,
    sessions: Iterable[Session],
    *,
    first_day: date,
    days: int,
    refreshed_at: datetime,
    skipped: Mapping[str, int] | None = None,
) -> None:
    """Record a successful refresh: the sessions of [first_day, +days) and the events
    it skipped (reason -> count); clears the error."""
    entry = SourceCache(
        id=source_id,
        refreshed_at=refreshed_at,
        first_day=first_day,
        days=days,
        sessions=tuple(sorted(sessions)),
        skipped={k: n for k, n in (skipped or {}).items() if n > 0},
    )

    def change(entries: dict[str, SourceCache]) -> bool:
        entries[source_id] = entry
        return True

    _update(path, change)


def store_error(path: Path, source_id: str, message: str, at: datetime) -> None:
    """Record a failed refresh; the last good sessions stay."""

    def change(entries: dict[str, SourceCache]) -> bool:
        old = entries.get(source_id, SourceCache(id=source_id))
        entries[source_id] = SourceCache(
            id=source_id,
            refreshed_at=old.refreshed_at,
            first_day=old.first_day,
            days=old.days,
            sessions=old.sessions,
            error=scrub(message.splitlines()[0]) if message else _("unknown error"),
            error_at=at,
            skipped=old.skipped,  # they describe the sessions kept
        )
        return True

    _update(path, change)


class Cached(NamedTuple):
    """What the cache gives for some days of one source."""

    sessions: list[Session]
    refreshed_at: datetime
    skipped: Mapping[str, int]  # what the read that cached them left out


def cached_sessions(path: Path, source_id: str, first_day: date, days: int = 1) -> Cached | None:
    """The cached sessions of [first_day, +days), when they were fetched and what that
    read skipped, or None if the cache does not cover those days."""
    entry = load(path).get(source_id)
    if entry is None or not entry.covers(first_day, days) or entry.refreshed_at is None:
        return None
    return Cached(in_range(entry.sessions, first_day, days), entry.refreshed_at, entry.skipped)


def prune(path: Path, keep_ids: Iterable[str]) -> None:
    """Drop the entries of sources no longer configured."""
    keep = set(keep_ids)
    if not path.exists() or set(load(path)) <= keep:
        return

    def change(entries: dict[str, SourceCache]) -> bool:
        gone = [k for k in entries if k not in keep]
        for k in gone:
            del entries[k]
        return bool(gone)

    _update(path, change)


def last_errors(path: Path) -> dict[str, str]:
    """Source id -> its last error line, for sources whose last refresh failed."""
    return {k: v.error for k, v in load(path).items() if v.error}
