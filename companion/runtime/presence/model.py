"""The one small interface: what the desktop says about the person, and who says it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Protocol


@dataclass(frozen=True)
class Presence:
    """What holds an offer. `detail` is for the log only: which signal said so, in words
    like "a recording stream is open"; never a program's name or a window's title."""

    call: bool = False  # a microphone or camera in use by another program, or the screen shared
    away: bool = False  # the screen locked, or the session idle
    dnd: bool = False  # the desktop's Do Not Disturb is on
    detail: str = ""

    @property
    def busy(self) -> bool:
        return self.call or self.away or self.dnd


FREE = Presence()


class PresenceCheck(Protocol):
    def check(self) -> Presence:
        """Quick (tens of milliseconds at most) and never raises. Called only while an
        offer is due or waiting; nothing runs between calls."""
        ...


class NoPresence:
    """Always free: the setting is off, or the platform has no signals."""

    def check(self) -> Presence:
        return FREE


class FakePresence:
    """For tests: set `call`, `away`, `dnd` (or `presence`) and `check()` returns them;
    `checks` counts the calls."""

    def __init__(self, *, call: bool = False, away: bool = False, dnd: bool = False) -> None:
        self.presence = Presence(call=call, away=away, dnd=dnd, detail="fake")
        self.checks = 0
        self._lock = threading.Lock()

    def set(self, **fields: bool | str) -> None:
        with self._lock:
            self.presence = replace(self.presence, **fields)  # type: ignore[arg-type]

    @property
    def call(self) -> bool:
        return self.presence.call

    @call.setter
    def call(self, value: bool) -> None:
        self.set(call=value)

    @property
    def away(self) -> bool:
        return self.presence.away

    @away.setter
    def away(self, value: bool) -> None:
        self.set(away=value)

    @property
    def dnd(self) -> bool:
        return self.presence.dnd

    @dnd.setter
    def dnd(self, value: bool) -> None:
        self.set(dnd=value)

    def check(self) -> Presence:
        with self._lock:
            self.checks += 1
            return self.presence
