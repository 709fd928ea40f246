"""What the app runs on when the journal cannot be opened at all.

A journal written by a newer Grounding Companion, or a data folder that cannot be read,
must not leave the tray app stuck on "Getting ready…": the app runs with what it can.
Offers and practices go on; nothing is written (every save answers with the reason, one
line, and the window keeps the words); nothing is read (no history). The journal's
files are left exactly as they are.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from companion.core.journal import JournalError

if TYPE_CHECKING:
    from companion.core.clock import Clock
    from companion.core.paths import Paths
    from companion.core.records import Record


class UnavailableJournal:
    """Stands in for `Journal` with the same reading and writing surface."""

    def __init__(self, paths: Paths, clock: Clock, reason: str) -> None:
        self.paths = paths
        self.clock = clock
        self.reason = reason
        self.partition: Literal["year", "none"] = "year"
        self.notices: list[str] = []

    def add(self, record: Record) -> str:
        raise JournalError(self.reason)

    def query(
        self, kind: Any = None, start: date | None = None, end: date | None = None, **_: Any
    ) -> list[Any]:
        return []

    def all(self) -> list[Record]:
        return []

    def release(self) -> None:
        """Nothing is held."""

    def close(self) -> None:
        """Nothing is open."""
