"""The reflection draft: what the user has typed so far, kept on disk as they type.

One small JSON file per day in `<data>/drafts/`, written atomically (a crash or a
logout leaves the previous draft or the new one, never half of one). The window
restores the draft when it opens on the same day, and removes it on Save or Skip.
A draft from another day is never restored; drafts older than `KEEP_DAYS` are
deleted when the window opens (they may hold private words, so they do not linger).

The debounce (write a moment after the last keystroke) belongs to the window; the
write itself is here, so a test can write a draft from a process and kill it.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from companion.core.files import ensure_private_dir, write_atomic
from companion.core.paths import Paths
from companion.core.records import SUPERVISION_ANSWERS, WARNING_FAMILIES

KEEP_DAYS = 14
DRAFT_VERSION = 1
_NAME = re.compile(r"^reflection-(\d{4}-\d{2}-\d{2})\.json$")


@dataclass(frozen=True)
class Draft:
    """The reflection as typed so far (the fields of a ReflectionRecord, all optional)."""

    day: date
    resilience: str = ""
    body: str = ""
    did_well: str = ""
    still_with_me: int | None = None
    energy: int | None = None
    connected: int | None = None
    warning_signs: tuple[str, ...] = field(default=())
    supervision: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == Draft(day=self.day)


class DraftStore:
    def __init__(self, paths: Paths) -> None:
        self.folder = paths.data / "drafts"

    def path_for(self, day: date) -> Path:
        return self.folder / f"reflection-{day.isoformat()}.json"

    def save(self, draft: Draft) -> None:
        doc: dict[str, Any] = asdict(draft)
        doc["day"] = draft.day.isoformat()
        doc["warning_signs"] = list(draft.warning_signs)
        doc["version"] = DRAFT_VERSION
        ensure_private_dir(self.folder)
        write_atomic(self.path_for(draft.day), json.dumps(doc, ensure_ascii=False).encode())

    def load(self, day: date) -> Draft | None:
        """`day`'s draft, or None (none, another day's, or unreadable: never an error)."""
        try:
            raw = json.loads(self.path_for(day).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(raw, dict) or raw.get("day") != day.isoformat():
            return None
        return Draft(
            day=day,
            resilience=_text(raw.get("resilience")),
            body=_text(raw.get("body")),
            did_well=_text(raw.get("did_well")),
            still_with_me=_slider(raw.get("still_with_me")),
            energy=_slider(raw.get("energy")),
            connected=_slider(raw.get("connected")),
            warning_signs=tuple(
                w for w in WARNING_FAMILIES if w in (raw.get("warning_signs") or [])
            ),
            supervision=raw.get("supervision")
            if raw.get("supervision") in SUPERVISION_ANSWERS
            else None,
        )

    def discard(self, day: date) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(day).unlink()

    def prune(self, today: date, keep_days: int = KEEP_DAYS) -> list[date]:
        """Delete drafts more than `keep_days` old; returns their days."""
        removed: list[date] = []
        if not self.folder.is_dir():
            return removed
        for path in self.folder.iterdir():
            match = _NAME.match(path.name)
            if not match:
                continue
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                continue
            if (today - day).days > keep_days:
                with contextlib.suppress(OSError):
                    path.unlink()
                removed.append(day)
        return sorted(removed)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _slider(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= 10 else None
