"""Sessions from the configured source: the top of the calendar package.

The standing week comes from `week.py`; calendar sources are read (a file) or fetched
(a URL kept in the keyring), parsed and cached through the modules below.

`sessions_for(settings, day, ...)` is the one entry point the planner, the CLI and the
tray use: it picks the configured source (the standing week, or the calendar sources
with their offline cache) and never raises for a broken calendar: it returns the
sessions it could get plus one line per problem, and says how many events were
skipped (one bad event costs that event only) in `skipped` and `skipped_lines`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from companion.core.calendar import cache, fetch, secrets
from companion.core.calendar.errors import CalendarError, skipped_line, skipped_total
from companion.core.calendar.ical import EventRules, read_sessions
from companion.core.calendar.secrets import is_url, looks_like_link, shown
from companion.core.calendar.session import Session, dedupe, in_range
from companion.core.calendar.week import week_sessions
from companion.core.settings import CalendarSource, Settings
from companion.i18n import _, hm

if TYPE_CHECKING:
    from companion.core.clock import Clock
    from companion.core.paths import Paths

#: How far ahead a successful calendar refresh caches sessions (days, from today).
CACHE_DAYS = 14
#: And how far back (days before today): a day's plan needs the day before too, for a
#: break that crosses midnight (`planner.sessions_span`).
CACHE_DAYS_BEFORE = 1


# --- calendar sources ------------------------------------------------------------------------


@dataclass(frozen=True)
class DaySchedule:
    """What `sessions_for` found: the sessions, one line per problem met on the way, and
    the events left out of the sessions.

    `skipped` is how many events the sources' reads skipped (over the days each read
    covered: the cached fortnight, or the days asked), and `skipped_lines` says it per
    source in one line: its name, the count and why ("work.ics: 2 events skipped (their
    time zone is not one this computer knows)"), never an event's text or zone. A
    skipped event is not a problem: the rest of the calendar is used (`ok` stays true).
    """

    sessions: tuple[Session, ...]
    problems: tuple[str, ...] = ()
    from_cache: tuple[str, ...] = field(default=())  # display names of sources served from cache
    skipped: int = 0
    skipped_lines: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def source_name(source: CalendarSource) -> str:
    """How a configured source is named in messages: its path, or its link masked (a link
    typed where a path or a label belongs is masked too)."""
    if source.kind == "file":
        return shown(source.path)
    if source.label:
        return shown(source.label)
    return _("calendar {id}").format(id=source.id)


def _not_a_file(spec: str, name: str) -> CalendarError | None:
    """The line for a web link given where a file is read (with or without https://),
    unless a file of that name exists."""
    if not (is_url(spec) or looks_like_link(spec)) or Path(spec).expanduser().exists():
        return None
    if is_url(spec):
        message = _("{name}: a web link saved as a file path; add it again in Settings as a link")
    else:
        message = _(
            "{name}: looks like a web link without https:// in front; give it as https://{host}"
        )
    return CalendarError(message.format(name=name, host=name))


def read_spec(
    spec: str,
    *,
    allow_http: bool = False,
    clock: Clock | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
) -> tuple[bytes, str]:
    """The bytes of a source given as a path or a URL, and its display name.

    Raises CalendarError (one line, URL masked) on any failure.
    """
    if is_url(spec):
        data = fetch.fetch_calendar(
            spec,
            allow_http=allow_http,
            timeout=fetch.DEFAULT_TIMEOUT if timeout is None else timeout,
            max_bytes=fetch.DEFAULT_MAX_BYTES if max_bytes is None else max_bytes,
            clock=clock,
        )
        return data, shown(spec)
    name = shown(spec)
    problem = _not_a_file(spec, name)
    if problem is not None:
        raise problem
    return read_file(Path(spec).expanduser(), name, max_bytes=max_bytes), name


def read_file(path: Path, name: str, *, max_bytes: int | None = None) -> bytes:
    """A calendar file's bytes; CalendarError naming the file for anything that goes wrong."""
    cap = fetch.DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            # a pipe or a device would block the reader forever (and quitting with it)
            raise CalendarError(_("{name}: not a regular file; not loaded").format(name=name))
        with path.open("rb") as fh:
            data = fh.read(cap + 1)
    except FileNotFoundError:
        raise CalendarError(_("{name}: file not found").format(name=name)) from None
    except IsADirectoryError:
        message = _("{name}: is a folder, not a calendar file")
        raise CalendarError(message.format(name=name)) from None
    except PermissionError:
        raise CalendarError(_("{name}: permission denied").format(name=name)) from None
    except OSError as exc:
        reason = exc.strerror or _("I/O error")
        raise CalendarError(
            _("{name}: cannot be read ({reason})").format(name=name, reason=reason)
        ) from None
    if len(data) > cap:
        raise CalendarError(
            _("{name}: larger than {most}; not loaded").format(
                name=name, most=fetch.format_size(cap)
            )
        )
    return data


def read_source(
    source: CalendarSource,
    paths: Paths,
    *,
    allow_http: bool = False,
    clock: Clock | None = None,
    timeout: float | None = None,
) -> bytes:
    """The bytes of a configured source (a file, or a URL kept in the keyring)."""
    name = source_name(source)
    if source.kind == "file":
        problem = _not_a_file(source.path, name)
        if problem is not None:
            raise problem
        return read_file(Path(source.path).expanduser(), name)
    url = secrets.get_url(source.id, paths)
    if not url:
        message = _("{name}: no link stored for this calendar; add it again in Settings")
        raise CalendarError(message.format(name=name))
    data, _name = read_spec(url, allow_http=allow_http, clock=clock, timeout=timeout)
    return data


def sessions_from_specs(
    specs: Sequence[str],
    settings: Settings,
    first_day: date,
    days: int = 1,
    *,
    clock: Clock | None = None,
    timeout: float | None = None,
) -> list[Session]:
    """Sessions from ad-hoc sources (paths or URLs, e.g. `plan --ics`); no cache involved.

    Raises CalendarError for the first source that fails.
    """
    found = schedule_from_specs(specs, settings, first_day, days, clock=clock, timeout=timeout)
    return list(found.sessions)


def schedule_from_specs(
    specs: Sequence[str],
    settings: Settings,
    first_day: date,
    days: int = 1,
    *,
    clock: Clock | None = None,
    timeout: float | None = None,
) -> DaySchedule:
    """`sessions_from_specs` with what the reads skipped (`DaySchedule.skipped`,
    `skipped_lines`), for a Test button or `plan --ics` to say. Raises CalendarError for
    the first source that fails."""
    rules = EventRules.from_settings(settings)
    found: list[Session] = []
    total = 0
    lines: list[str] = []
    for spec in specs:
        data, name = read_spec(spec, allow_http=settings.allow_http, clock=clock, timeout=timeout)
        reading = read_sessions(data, name, first_day, days, rules)
        found += reading.sessions
        total += reading.skipped_count
        line = skipped_line(name, reading.skipped)
        if line:
            lines.append(line)
    return DaySchedule(tuple(dedupe(found)), skipped=total, skipped_lines=tuple(lines))


def sessions_for(
    settings: Settings,
    day: date,
    *,
    paths: Paths | None = None,
    clock: Clock | None = None,
    days: int = 1,
    refresh: bool = True,
    timeout: float | None = None,
) -> DaySchedule:
    """The sessions overlapping the local days [day, day + days) from the configured source.

    Standing week: computed from settings. Calendar: each source is read (file) or fetched
    (URL) when `refresh` is true, its sessions for the next CACHE_DAYS days (and the
    CACHE_DAYS_BEFORE days before today) are cached,
    and its error (or success) is recorded for `doctor`. A source that fails, or
    `refresh=False`, is served from the cache; each failure adds one line to `problems`.
    Plain blocking code: run it in a worker thread from the GUI.
    """
    if settings.schedule_source != "calendar":
        return DaySchedule(tuple(week_sessions(settings, day, days)))
    if paths is None or clock is None:
        raise ValueError("calendar sources need paths and a clock")
    if not settings.calendars:
        return DaySchedule((), (_("no calendar configured; add one in Settings"),))

    rules = EventRules.from_settings(settings)
    today = clock.now().date()
    found: list[Session] = []
    problems: list[str] = []
    cached_names: list[str] = []
    skipped: list[tuple[str, Mapping[str, int]]] = []
    for source in settings.calendars:
        name = source_name(source)
        if refresh:
            try:
                data = read_source(
                    source, paths, allow_http=settings.allow_http, clock=clock, timeout=timeout
                )
                window_start = today - timedelta(days=CACHE_DAYS_BEFORE)
                window_days = CACHE_DAYS_BEFORE + CACHE_DAYS
                window = read_sessions(data, name, window_start, window_days, rules)
                cache.store_sessions(
                    paths.calendar_cache,
                    source.id,
                    window.sessions,
                    first_day=window_start,
                    days=window_days,
                    refreshed_at=clock.now(),
                    skipped=window.skipped,
                )
                window_end = today + timedelta(days=CACHE_DAYS)
                if window_start <= day and day + timedelta(days=days) <= window_end:
                    found += in_range(window.sessions, day, days)
                    skipped.append((name, window.skipped))
                else:
                    other = read_sessions(data, name, day, days, rules)
                    found += other.sessions
                    skipped.append((name, other.skipped))
                del data
                continue
            except CalendarError as exc:
                message = str(exc)
                cache.store_error(paths.calendar_cache, source.id, message, clock.now())
        else:
            message = ""
        cached = cache.cached_sessions(paths.calendar_cache, source.id, day, days)
        if cached is None:
            problems.append(
                message
                or _("{name}: not loaded yet and nothing cached for {day}").format(
                    name=name, day=day.isoformat()
                )
            )
            continue
        sessions, refreshed_at, cached_skipped = cached
        found += sessions
        skipped.append((name, cached_skipped))
        cached_names.append(name)
        if message:
            local = refreshed_at.astimezone()
            problems.append(
                _("{problem}; using the sessions cached {day} {time}").format(
                    problem=message, day=local.date().isoformat(), time=hm(local)
                )
            )
    cache.prune(paths.calendar_cache, [s.id for s in settings.calendars])
    lines = tuple(line for name, counts in skipped if (line := skipped_line(name, counts)))
    return DaySchedule(
        tuple(dedupe(found)),
        tuple(problems),
        tuple(cached_names),
        skipped=sum(skipped_total(counts) for _name, counts in skipped),
        skipped_lines=lines,
    )


def refresh_calendars(
    settings: Settings, *, paths: Paths, clock: Clock, timeout: float | None = None
) -> DaySchedule:
    """Fetch every configured source now and refresh the cache (the 15-minute job).

    Returns today's sessions and the problems met; run it off the GUI thread.
    """
    return sessions_for(
        settings, clock.now().date(), paths=paths, clock=clock, refresh=True, timeout=timeout
    )
