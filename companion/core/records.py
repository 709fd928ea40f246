"""The journal's record types: typed, append-only, and free of anything from a calendar event.

Each record carries `id` (random hex), `at` (aware wall time it happened) and
`day` (the local date it belongs to). Serialised form is a flat JSON object with
`type` naming the record kind; unknown keys from a newer version are ignored.
"""

from __future__ import annotations

import os
import types
import typing
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from companion.i18n import N_, _

OUTCOMES = ("taken", "snoozed", "skipped", "ignored", "missed")
GLIMMER_SOURCES = ("after-session", "anytime", "reflection")
FELT_IN = ("chest", "shoulders", "belly", "face", "hands", "whole body")
WARNING_FAMILIES = (
    "intrusion",
    "avoidance",
    "emotional-shift",
    "body",
    "hyperarousal",  # on guard, scanning, hard to switch off
    "worldview",  # the world less safe, people less trustworthy (vicarious trauma)
)
# Where the reflection's moment was felt: the glimmer's places, and two honest answers.
REFLECTION_FELT_IN = (*FELT_IN, "not sure", "numb")
SUPERVISION_ANSWERS = ("yes", "no", "not-needed")

# How a felt-in place is shown: the journal keeps the English key above, so a record reads
# the same whatever the language of the window that wrote it.
_FELT_IN_WORDS = {
    "chest": N_("chest"),
    "shoulders": N_("shoulders"),
    "belly": N_("belly"),
    "face": N_("face"),
    "hands": N_("hands"),
    "whole body": N_("whole body"),
    "not sure": N_("not sure"),
    "numb": N_("numb"),
}


def felt_in_label(place: str) -> str:
    """A felt-in place in the person's language (an unknown key is shown as it is)."""
    word = _FELT_IN_WORDS.get(place)
    return _(word) if word is not None else place


def new_id() -> str:
    # os.urandom is what secrets.token_hex reads; secrets itself would load OpenSSL (hmac)
    return os.urandom(8).hex()


@dataclass(frozen=True, kw_only=True)
class Record:
    kind: ClassVar[str] = "record"
    at: datetime
    id: str = field(default_factory=new_id)
    day: date | None = None  # defaults to at's local date

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("record times must be aware")
        if self.day is None:
            object.__setattr__(self, "day", self.at.date())

    @property
    def on(self) -> date:
        assert self.day is not None
        return self.day


@dataclass(frozen=True, kw_only=True)
class OfferRecord(Record):
    """A break offer and what became of it."""

    kind: ClassVar[str] = "offer"
    window_start: datetime
    window_end: datetime
    exercise: str | None = None
    outcome: str = "ignored"
    after_heavy: bool = False
    # Why a missed offer was never shown, when the desktop said so: "call" (a call ran
    # over the session's end), "away" (the screen was locked or idle).
    reason: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}")


@dataclass(frozen=True, kw_only=True)
class PracticeRecord(Record):
    kind: ClassVar[str] = "practice"
    exercise: str
    planned_seconds: int
    actual_seconds: int
    completed: bool
    rating_before: int | None = None
    rating_after: int | None = None
    # The one-tap check-in (Settings: checkin_style "state"): "wired", "between" or "flat".
    state_before: str | None = None
    state_after: str | None = None


@dataclass(frozen=True, kw_only=True)
class GlimmerRecord(Record):
    kind: ClassVar[str] = "glimmer"
    text: str
    source: str = "anytime"
    felt_in: tuple[str, ...] = ()
    practice_id: str | None = None
    for_supervision: bool = False  # flagged to bring to supervision (export --supervision)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.source not in GLIMMER_SOURCES:
            raise ValueError(f"source must be one of {GLIMMER_SOURCES}")


@dataclass(frozen=True, kw_only=True)
class ReflectionRecord(Record):
    """The end-of-day reflection and its check-in (0-10 sliders, warning-sign families)."""

    kind: ClassVar[str] = "reflection"
    went_well: str = ""  # what went well today, and your part in it (Three Good Things)
    resilience: str = ""
    felt_in: tuple[str, ...] = ()  # REFLECTION_FELT_IN keys
    body: str = ""
    did_well: str = ""  # the old "one thing you did well": read, no longer asked
    set_down: str = ""  # a word to set down before going home
    keeps_me: str = ""  # the monthly "what keeps you in this work?"
    still_with_me: int | None = None
    energy: int | None = None
    connected: int | None = None
    warning_signs: tuple[str, ...] = ()
    supervision: str | None = None  # weekly review only
    skipped: bool = False
    for_supervision: bool = False  # flagged to bring to supervision (export --supervision)


@dataclass(frozen=True, kw_only=True)
class DaySummaryRecord(Record):
    """Counts only: nothing from any calendar event."""

    kind: ClassVar[str] = "day"
    sessions: int
    heavy: int = 0


@dataclass(frozen=True, kw_only=True)
class NoteShownRecord(Record):
    """A gentle pattern note was shown (kept so it appears at most once a week)."""

    kind: ClassVar[str] = "note"
    note: str
    dismissed: bool = False


RECORD_TYPES: dict[str, type[Record]] = {
    cls.kind: cls
    for cls in (
        OfferRecord,
        PracticeRecord,
        GlimmerRecord,
        ReflectionRecord,
        DaySummaryRecord,
        NoteShownRecord,
    )
}

R = TypeVar("R", bound=Record)


def to_doc(record: Record) -> dict[str, Any]:
    doc: dict[str, Any] = {"type": record.kind}
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        doc[f.name] = value
    return doc


def _hints(cls: type[Record]) -> dict[str, Any]:
    cached = _HINTS.get(cls)
    if cached is None:
        cached = typing.get_type_hints(cls)
        _HINTS[cls] = cached
    return cached


_HINTS: dict[type[Record], dict[str, Any]] = {}


def _convert(hint: Any, value: Any) -> Any:
    """`value` as the field's type; raises TypeError/ValueError when it is not that type
    (a record of the wrong shape is left in the file and not read, never half-read)."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None:
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], value)
    if hint is datetime:
        return datetime.fromisoformat(_of(str, value))
    if hint is date:
        return date.fromisoformat(_of(str, value))
    if origin is tuple:
        (item, *_rest) = typing.get_args(hint)
        if not isinstance(value, list | tuple):
            raise TypeError("expected a list")
        return tuple(_of(item, v) for v in value)
    if hint in (str, int, bool):
        return _of(hint, value)
    return value


def _of(kind: type, value: Any) -> Any:
    # bool is an int to Python, never to the journal
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}")
    return value


def from_doc(doc: dict[str, Any]) -> Record:
    """Rebuild a record; raises KeyError/ValueError/TypeError on a malformed document."""
    if not isinstance(doc.get("type"), str):
        raise KeyError("type")
    cls = RECORD_TYPES[doc["type"]]
    hints = _hints(cls)
    kwargs = {f.name: _convert(hints[f.name], doc[f.name]) for f in fields(cls) if f.name in doc}
    return cls(**kwargs)
