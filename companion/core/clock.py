"""Time is injected: everything in core asks a Clock, never the system directly.

`now()` is an aware datetime in the machine's local zone (wall time: deadlines,
dates, what the user sees). `monotonic()` is seconds on a clock that never jumps
(durations, pacing). A laptop that sleeps moves wall time but not monotonic time
(on Linux CLOCK_MONOTONIC stops during suspend), which is how a jump is noticed.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, tzinfo
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current wall time, aware, in the local zone."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin; never goes backwards, never jumps."""
        ...


def local_zone() -> tzinfo:
    """The machine's local time zone as a tzinfo (follows TZ changes on re-call)."""
    tz = datetime.now().astimezone().tzinfo
    assert tz is not None
    return tz


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now().astimezone()

    def monotonic(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock for tests: it only moves when told to.

    `advance(s)` moves wall and monotonic time together (time passing normally).
    `jump(delta)` moves only wall time (a manual clock change, a time-zone change
    or a daylight-saving shift seen as a jump). `sleep(s)` moves wall time but not
    monotonic time, the way a suspended laptop looks on Linux.
    """

    def __init__(
        self, start: datetime, monotonic_start: float = 1000.0, *, local_zone: bool = False
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._wall = start
        self._mono = monotonic_start
        # Like SystemClock: express each reading in the machine's zone as it is then, so
        # the UTC offset changes at a daylight-saving switch (TZ set by the test).
        self._local_zone = local_zone

    def now(self) -> datetime:
        return self._wall.astimezone() if self._local_zone else self._wall

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only advances; use jump() for a clock change")
        self._wall = self._wall + timedelta(seconds=seconds)
        self._mono += seconds

    def jump(self, delta: timedelta) -> None:
        self._wall = self._wall + delta

    def sleep(self, seconds: float) -> None:
        self._wall = self._wall + timedelta(seconds=seconds)

    def set_zone(self, zone: tzinfo) -> None:
        """Re-express the wall time in another zone (a time-zone change)."""
        self._wall = self._wall.astimezone(zone)


class ScaledClock:
    """A real clock running `speed` times faster from `start` (for `companion run --demo`,
    which plays a compressed working day)."""

    def __init__(self, start: datetime, speed: float) -> None:
        if start.tzinfo is None:
            raise ValueError("ScaledClock needs an aware datetime")
        self.start = start
        self.speed = speed
        self._origin = time.monotonic()

    @property
    def rate(self) -> float:
        """Seconds of this clock per real second (what the player and the card read)."""
        return self.speed

    def _elapsed(self) -> float:
        return (time.monotonic() - self._origin) * self.speed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self._elapsed())

    def monotonic(self) -> float:
        return self._elapsed()
