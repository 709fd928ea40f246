"""Typed settings with defaults, validation, a version and numbered migrations.

The file is JSON (`settings.json` in the config folder), written atomically.
An invalid value is refused with the field, the value and what is allowed; an
unreadable file is never reset silently: `load_settings` raises `SettingsError`
naming the file, and the caller decides (the app keeps defaults in memory and
says so; it does not overwrite the user's file).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from datetime import date, time
from pathlib import Path
from typing import Any

from companion.core.files import write_atomic
from companion.i18n import _

SETTINGS_VERSION = 4

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SOUND_LEVELS = ("mute", "quiet", "normal")
#: How a practice is guided aloud: a spoken voice with breath tones and chimes, tones and
#: chimes only, or nothing.
GUIDANCE = ("voice", "tones", "silent")
#: The one-tap check-in before and after a practice: wired / in between / flat, or 0-10.
CHECKIN_STYLES = ("state", "scale")
MAX_SUPPORT_CONTACTS = 8
MAX_SUPPORT_TEXT = 200
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class SettingsError(ValueError):
    """A setting that cannot be accepted; the message is one line for the user.

    `field` names the Settings field at fault ("week" for a bad `week[3].start`), so a
    window can take the person to it; "" when the trouble is the file as a whole.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class _Shown:
    """A value as a message quotes it (`{value!r}` or `{value}`), cut short: a 1 MB
    string or a 400-digit number in a settings file is named, not echoed whole."""

    MOST = 60

    def __init__(self, value: object) -> None:
        self.value = value

    def _cut(self, text: str) -> str:
        return text if len(text) <= self.MOST else text[: self.MOST - 1] + "…"

    def __repr__(self) -> str:
        try:
            return self._cut(repr(self.value))
        except (RecursionError, ValueError):  # nested too deep; an int past 4300 digits
            return "…"

    def __str__(self) -> str:
        try:
            return self._cut(str(self.value))
        except (RecursionError, ValueError):
            return "…"


def parse_hhmm(value: str) -> time:
    match = _HHMM.match(value)
    if not match:
        raise ValueError(value)
    return time(int(match.group(1)), int(match.group(2)))


def format_hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


@dataclass(frozen=True)
class WeeklySession:
    """One session of the standing week."""

    weekday: int  # 0 = Monday ... 6 = Sunday
    start: str  # "HH:MM"
    minutes: int = 50
    heavy: bool = False

    @property
    def start_time(self) -> time:
        return parse_hhmm(self.start)


@dataclass(frozen=True)
class OneOff:
    """A change to the standing week on one date: an added session, or a cancelled one.

    `cancel=True` removes the standing session that starts at `start` on `date`.
    """

    date: str  # "YYYY-MM-DD"
    start: str  # "HH:MM"
    minutes: int = 50
    heavy: bool = False
    cancel: bool = False

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)

    @property
    def start_time(self) -> time:
        return parse_hhmm(self.start)


@dataclass(frozen=True)
class SupportContact:
    """Someone the clinician turns to when a day was a lot: a supervisor, their own
    therapist, a trusted colleague. `reach` is how (a phone number, an address, "Tuesdays
    after 5"); kept only in the settings file, shown only by "If today was a lot…"."""

    name: str
    reach: str = ""
    role: str = ""


@dataclass(frozen=True)
class CalendarSource:
    """An iCalendar source. Files keep their path; a URL is a secret kept in the
    keyring under `id`, and only `label` (masked, e.g. "https://calendar.google.com/…")
    is stored here."""

    id: str
    kind: str  # "file" | "url"
    path: str = ""
    label: str = ""


def default_week() -> tuple[WeeklySession, ...]:
    hours = (9, 10, 11, 13, 14, 15, 16)  # on the hour from 09:00, last at 16:00, none at 12:00
    return tuple(
        WeeklySession(weekday=d, start=f"{h:02d}:00", minutes=50) for d in range(5) for h in hours
    )


@dataclass(frozen=True)
class Settings:
    version: int = SETTINGS_VERSION
    # Where the sessions come from
    schedule_source: str = "week"  # "week" | "calendar"
    week: tuple[WeeklySession, ...] = field(default_factory=default_week)
    one_offs: tuple[OneOff, ...] = ()
    calendars: tuple[CalendarSource, ...] = ()
    allow_http: bool = False
    include_keywords: tuple[str, ...] = ()
    exclude_keywords: tuple[str, ...] = ()
    heavy_keywords: tuple[str, ...] = ()
    max_session_minutes: int = 180
    # Planning
    working_start: str = "08:00"
    working_end: str = "18:30"
    min_gap_minutes: int = 4
    grace_minutes: int = 0
    wrapup_minutes: int = 1
    reflection_delay_minutes: int = 10
    reflection_time: str = ""  # "" = after the last session; "HH:MM" = fixed
    reflection_on_free_days: bool = False
    heavy_limit_percent: int = 50
    weekly_review_day: int = 4  # Friday
    # Practice
    favourite_practices: tuple[str, ...] = ()
    sound: str = "normal"
    phase_ticks: bool = True  # breath tones: a soft sound at the start of in, out and hold
    reduced_motion: bool = False
    ratings: bool = True
    start_at_login: bool = False
    # First run: nothing is offered until the person has said when they see clients (the
    # welcome window, or Settings). A folder with no settings file starts unconfirmed
    # (`first_run_settings`); a file from before version 3 counts as confirmed.
    schedule_confirmed: bool = True
    # Hold an offer while a call is live (microphone, camera, screen share) or the screen
    # is locked, and show it when that ends if the gap still has room.
    hold_for_calls: bool = True
    # Guidance aloud (version 4): "voice" (spoken cues, breath tones, chimes), "tones"
    # (breath tones and chimes) or "silent". `sound` is the volume.
    guidance: str = "voice"
    # The optional one-tap check-in on a practice's first and end screens.
    checkin_style: str = "state"
    # The people "If today was a lot…" shows.
    support_contacts: tuple[SupportContact, ...] = ()
    # An opt-in monthly reminder to take the ProQOL self-test (a link to proqol.org).
    proqol_reminder: bool = False

    def with_changes(self, **changes: Any) -> Settings:
        """A validated copy with `changes` applied; raises SettingsError."""
        new = replace(self, **changes)
        validate(new)
        return new


#: The settings whose change means reading the calendar again.
CALENDAR_FIELDS = frozenset(
    {
        "schedule_source",
        "calendars",
        "allow_http",
        "include_keywords",
        "exclude_keywords",
        "heavy_keywords",
        "max_session_minutes",
    }
)
#: The settings whose change means planning the day again.
PLANNING_FIELDS = CALENDAR_FIELDS | {
    "schedule_confirmed",
    "week",
    "one_offs",
    "working_start",
    "working_end",
    "min_gap_minutes",
    "grace_minutes",
    "wrapup_minutes",
    "reflection_delay_minutes",
    "reflection_time",
    "reflection_on_free_days",
    "favourite_practices",
}


# --- validation ---------------------------------------------------------------------------

#: Every whole-number range in one place: the validators below and the windows' spin
#: boxes (`companion.ui.kit.spin`) both read it. "session_minutes" is the length of one
#: session of the standing week or a one-off.
RANGES: dict[str, tuple[int, int]] = {
    "version": (1, SETTINGS_VERSION),
    "max_session_minutes": (15, 720),
    "min_gap_minutes": (1, 60),
    "grace_minutes": (0, 30),
    "wrapup_minutes": (0, 15),
    "reflection_delay_minutes": (0, 240),
    "heavy_limit_percent": (0, 100),
    "weekly_review_day": (0, 6),
    "session_minutes": (5, 360),
    "weekday": (0, 6),
}
MAX_KEYWORDS = 50
MAX_WEEK_SESSIONS = 200


def range_of(name: str) -> tuple[int, int]:
    """The allowed (lowest, highest) of a whole-number setting."""
    return RANGES[name]


def _top(name: str) -> str:
    """The Settings field a (possibly nested) name belongs to: "week[3].start" -> "week"."""
    return name.split("[", 1)[0].split(".", 1)[0]


def _range(lo: int, hi: int) -> Callable[[str, Any], None]:
    def check(name: str, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise SettingsError(
                _("{name}: {value!r} is not allowed; use a whole number {lo}-{hi}").format(
                    name=name, value=_Shown(value), lo=lo, hi=hi
                ),
                _top(name),
            )

    return check


def _ranged(key: str) -> Callable[[str, Any], None]:
    return _range(*RANGES[key])


def _choice(*options: Any) -> Callable[[str, Any], None]:
    def check(name: str, value: Any) -> None:
        if value not in options:
            allowed = ", ".join(str(o) for o in options)
            raise SettingsError(
                _("{name}: {value!r} is not allowed; use one of {allowed}").format(
                    name=name, value=_Shown(value), allowed=allowed
                ),
                _top(name),
            )

    return check


def _boolean(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise SettingsError(
            _("{name}: {value!r} is not allowed; use true or false").format(
                name=name, value=_Shown(value)
            ),
            _top(name),
        )


def _hhmm(name: str, value: Any, *, empty_ok: bool = False) -> None:
    if empty_ok and value == "":
        return
    if not isinstance(value, str) or not _HHMM.match(value):
        message = (
            _('{name}: {value!r} is not allowed; use a time HH:MM (00:00-23:59) or "" for none')
            if empty_ok
            else _("{name}: {value!r} is not allowed; use a time HH:MM (00:00-23:59)")
        )
        raise SettingsError(message.format(name=name, value=_Shown(value)), _top(name))


def _keywords(name: str, value: Any) -> None:
    if not isinstance(value, tuple) or not all(isinstance(k, str) and k.strip() for k in value):
        raise SettingsError(
            _("{name}: {value!r} is not allowed; use a list of non-empty words").format(
                name=name, value=_Shown(value)
            ),
            _top(name),
        )
    if len(value) > MAX_KEYWORDS:
        raise SettingsError(
            _("{name}: {n} keywords is too many; use at most {most}").format(
                name=name, n=len(value), most=MAX_KEYWORDS
            ),
            _top(name),
        )


_SIMPLE: dict[str, Callable[[str, Any], None]] = {
    "version": _ranged("version"),
    "schedule_source": _choice("week", "calendar"),
    "allow_http": _boolean,
    "max_session_minutes": _ranged("max_session_minutes"),
    "min_gap_minutes": _ranged("min_gap_minutes"),
    "grace_minutes": _ranged("grace_minutes"),
    "wrapup_minutes": _ranged("wrapup_minutes"),
    "reflection_delay_minutes": _ranged("reflection_delay_minutes"),
    "reflection_on_free_days": _boolean,
    "heavy_limit_percent": _ranged("heavy_limit_percent"),
    "weekly_review_day": _ranged("weekly_review_day"),
    "sound": _choice(*SOUND_LEVELS),
    "phase_ticks": _boolean,
    "reduced_motion": _boolean,
    "ratings": _boolean,
    "start_at_login": _boolean,
    "schedule_confirmed": _boolean,
    "hold_for_calls": _boolean,
    "guidance": _choice(*GUIDANCE),
    "checkin_style": _choice(*CHECKIN_STYLES),
    "proqol_reminder": _boolean,
    "include_keywords": _keywords,
    "exclude_keywords": _keywords,
    "heavy_keywords": _keywords,
}


def _check_session(name: str, weekday: Any, start: Any, minutes: Any) -> None:
    _ranged("weekday")(f"{name}.weekday", weekday)
    _hhmm(f"{name}.start", start)
    _ranged("session_minutes")(f"{name}.minutes", minutes)


def validate(s: Settings) -> None:
    """Raise SettingsError for the first value that is not allowed."""
    for name, check in _SIMPLE.items():
        check(name, getattr(s, name))
    _hhmm("working_start", s.working_start)
    _hhmm("working_end", s.working_end)
    if parse_hhmm(s.working_end) <= parse_hhmm(s.working_start):
        raise SettingsError(
            _(
                "working_end: {end!r} is not allowed; it must be after working_start ({start})"
            ).format(end=s.working_end, start=s.working_start),
            "working_end",
        )
    _hhmm("reflection_time", s.reflection_time, empty_ok=True)
    if len(s.week) > MAX_WEEK_SESSIONS:
        raise SettingsError(
            _("week: {n} sessions is too many; use at most {most}").format(
                n=len(s.week), most=MAX_WEEK_SESSIONS
            ),
            "week",
        )
    for i, w in enumerate(s.week):
        _check_session(f"week[{i}]", w.weekday, w.start, w.minutes)
        _boolean(f"week[{i}].heavy", w.heavy)
    for i, o in enumerate(s.one_offs):
        try:
            date.fromisoformat(o.date)
        except (TypeError, ValueError):
            raise SettingsError(
                _("{name}: {value!r} is not allowed; use a date YYYY-MM-DD").format(
                    name=f"one_offs[{i}].date", value=_Shown(o.date)
                ),
                "one_offs",
            ) from None
        _check_session(f"one_offs[{i}]", 0, o.start, o.minutes)
        _boolean(f"one_offs[{i}].heavy", o.heavy)
        _boolean(f"one_offs[{i}].cancel", o.cancel)
    for i, c in enumerate(s.calendars):
        _choice("file", "url")(f"calendars[{i}].kind", c.kind)
        if not isinstance(c.id, str) or not c.id:
            raise SettingsError(
                _("{name}: {value!r} is not allowed; use a non-empty id").format(
                    name=f"calendars[{i}].id", value=_Shown(c.id)
                ),
                "calendars",
            )
        for name in ("path", "label"):
            if not isinstance(getattr(c, name), str):
                raise SettingsError(
                    _("{name}: {value!r} is not allowed; use text").format(
                        name=f"calendars[{i}].{name}", value=_Shown(getattr(c, name))
                    ),
                    "calendars",
                )
        if c.kind == "file" and not c.path:
            raise SettingsError(
                _("{name}: empty; a file source needs a path").format(name=f"calendars[{i}].path"),
                "calendars",
            )
    if len(s.support_contacts) > MAX_SUPPORT_CONTACTS:
        raise SettingsError(
            _("support_contacts: {n} people is too many; use at most {most}").format(
                n=len(s.support_contacts), most=MAX_SUPPORT_CONTACTS
            ),
            "support_contacts",
        )
    for i, person in enumerate(s.support_contacts):
        for name in ("name", "reach", "role"):
            value = getattr(person, name)
            if not isinstance(value, str) or len(value) > MAX_SUPPORT_TEXT:
                raise SettingsError(
                    _(
                        "{name}: {value!r} is not allowed; use text of at most {most} characters"
                    ).format(
                        name=f"support_contacts[{i}].{name}",
                        value=_Shown(value),
                        most=MAX_SUPPORT_TEXT,
                    ),
                    "support_contacts",
                )
        if not person.name.strip():
            raise SettingsError(
                _("{name}: empty; give a name").format(name=f"support_contacts[{i}].name"),
                "support_contacts",
            )
    if not isinstance(s.favourite_practices, tuple) or not all(
        isinstance(p, str) and p for p in s.favourite_practices
    ):
        raise SettingsError(
            _("favourite_practices: {value!r} is not allowed; use practice ids").format(
                value=_Shown(s.favourite_practices)
            ),
            "favourite_practices",
        )


# --- (de)serialisation ----------------------------------------------------------------------

_NESTED: dict[str, type] = {
    "week": WeeklySession,
    "one_offs": OneOff,
    "calendars": CalendarSource,
    "support_contacts": SupportContact,
}
#: The fields a file holds as a JSON list (a string there is not a list of one-letter ids).
_LISTS = frozenset(
    f.name for f in fields(Settings) if isinstance(getattr(Settings(), f.name), tuple)
)


def to_dict(s: Settings) -> dict[str, Any]:
    return asdict(s)


def from_dict(raw: Mapping[str, Any]) -> Settings:
    """Build Settings from a (migrated) mapping; unknown keys are ignored, types checked."""
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            continue
        if key in _LISTS and not isinstance(value, list):
            raise SettingsError(
                _("{name}: {value!r} is not allowed; use a list").format(
                    name=key, value=_Shown(value)
                ),
                key,
            )
        if key in _NESTED:
            cls = _NESTED[key]
            allowed = {f.name for f in fields(cls)}
            items = []
            for i, item in enumerate(value):
                if not isinstance(item, dict) or not set(item) <= allowed:
                    # The item is not repeated: it may hold a calendar link (a password).
                    raise SettingsError(
                        _("{name}: not allowed; use an object with {keys}").format(
                            name=f"{key}[{i}]", keys=sorted(allowed)
                        ),
                        key,
                    )
                missing = [
                    f.name
                    for f in fields(cls)
                    if f.name not in item and f.default is MISSING and f.default_factory is MISSING
                ]
                if missing:
                    raise SettingsError(
                        _("{name}: missing; give {field}").format(
                            name=f"{key}[{i}].{missing[0]}", field=missing[0]
                        ),
                        key,
                    )
                items.append(cls(**item))
            values[key] = tuple(items)
        elif isinstance(value, list):
            values[key] = tuple(value)
        else:
            values[key] = value
    settings = Settings(**values)
    validate(settings)
    return settings


# --- migrations -----------------------------------------------------------------------------


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept the standing week as {"Monday": ["09:00", ...]} with one
    `session_minutes` for all, and `mute: bool` instead of a sound level."""
    out = dict(raw)
    minutes = out.pop("session_minutes", 50)
    if isinstance(out.get("week"), dict):
        week = []
        for day_name, starts in out["week"].items():
            if day_name.capitalize() not in WEEKDAYS:
                raise SettingsError(
                    _("week: {value!r} is not a weekday; use {first} to {last}").format(
                        value=_Shown(day_name), first=WEEKDAYS[0], last=WEEKDAYS[-1]
                    ),
                    "week",
                )
            if not isinstance(starts, list):
                raise SettingsError(
                    _("week.{day}: {value!r} is not allowed; use a list of times HH:MM").format(
                        day=_Shown(day_name), value=_Shown(starts)
                    ),
                    "week",
                )
            weekday = WEEKDAYS.index(day_name.capitalize())
            for start in starts:
                week.append({"weekday": weekday, "start": start, "minutes": minutes})
        out["week"] = week
    if "mute" in out:
        mute = out.pop("mute")
        if not isinstance(mute, bool):
            raise SettingsError(
                _("mute: {value!r} is not allowed; use true or false").format(value=_Shown(mute)),
                "sound",
            )
        out["sound"] = "mute" if mute else "normal"
    out["version"] = 2
    return out


def _v2_to_v3(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 3 plans nothing until the schedule is confirmed; whoever already had a
    settings file was using the app on their schedule, so theirs counts as confirmed."""
    out = dict(raw)
    out.setdefault("schedule_confirmed", True)
    out["version"] = 3
    return out


def _v3_to_v4(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 4 guides practices aloud. "Mute" becomes guidance "silent" (the volume goes
    back to normal for the day sound is turned on again), and breath tones, off by default
    until now, are on: a practice should be followable with eyes closed."""
    out = dict(raw)
    if out.get("sound") == "mute":
        out["sound"] = "normal"
        out.setdefault("guidance", "silent")
    out["phase_ticks"] = True
    out["version"] = 4
    return out


# MIGRATIONS[n] turns a version-n mapping into version n+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
}


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    version = raw.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SettingsError(
            _("version: {value!r} is not allowed; use 1-{newest}").format(
                value=_Shown(version), newest=SETTINGS_VERSION
            ),
            "version",
        )
    if version > SETTINGS_VERSION:
        raise SettingsError(
            _(
                "version: {value} is newer than this app understands ({newest}); "
                "update Grounding Companion"
            ).format(value=_Shown(version), newest=SETTINGS_VERSION),
            "version",
        )
    while version < SETTINGS_VERSION:
        raw = MIGRATIONS[version](raw)
        version = raw["version"]
    return raw


# --- file I/O -------------------------------------------------------------------------------


def first_run_settings() -> Settings:
    """What a person starts from before they have said when they see clients: the
    built-in defaults, the schedule not yet confirmed (nothing is guessed, nothing offered)."""
    return Settings(schedule_confirmed=False)


def load_settings(path: Path) -> Settings:
    """First-run settings if the file does not exist; SettingsError (naming the file) if
    it cannot be used."""
    if not path.exists():
        return first_run_settings()
    if not path.is_file():  # a folder or a FIFO by that name: never wait on it
        raise SettingsError(
            _("{path}: not readable as settings (not a regular file)").format(path=path)
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(
            _("{path}: not readable as settings ({reason})").format(path=path, reason=exc)
        ) from None
    except RecursionError:
        raise SettingsError(
            _("{path}: not readable as settings (nested too deeply)").format(path=path)
        ) from None
    except ValueError:  # a whole number past Python's 4300-digit limit
        raise SettingsError(
            _("{path}: not readable as settings (holds a number too long to read)").format(
                path=path
            )
        ) from None
    if not isinstance(raw, dict):
        raise SettingsError(
            _("{path}: not readable as settings (expected an object)").format(path=path)
        )
    try:
        migrated = migrate(raw)
        settings = from_dict(migrated)
    except SettingsError as exc:
        raise SettingsError(f"{path}: {exc}", exc.field) from None
    if raw.get("version", 1) != SETTINGS_VERSION:
        save_settings(path, settings)  # write the migrated form back (atomically)
    return settings


def save_settings(path: Path, settings: Settings) -> None:
    validate(settings)
    text = json.dumps(to_dict(settings), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text.encode("utf-8"))


def coerce_value(settings: Settings, name: str, text: str) -> Any:
    """Turn a command-line string into a value of the field's type (for `companion set`)."""
    current = getattr(settings, name)
    if isinstance(current, bool):
        lowered = text.strip().lower()
        if lowered in {"true", "yes", "on", "1"}:
            return True
        if lowered in {"false", "no", "off", "0"}:
            return False
        raise SettingsError(
            _("{name}: {value!r} is not allowed; use true or false").format(
                name=name, value=_Shown(text)
            ),
            name,
        )
    if isinstance(current, int):
        try:
            return int(text)
        except ValueError:
            raise SettingsError(
                _("{name}: {value!r} is not allowed; use a whole number").format(
                    name=name, value=_Shown(text)
                ),
                name,
            ) from None
    if isinstance(current, tuple) and name.endswith(("keywords", "practices")):
        return tuple(part.strip() for part in text.split(",") if part.strip())
    return text
