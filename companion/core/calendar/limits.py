"""The limits of one calendar read, and the watchdog that holds a read to them.

Anyone who can send the clinician an invitation can put an event into their feed, so a
feed is read as if it were hostile. Three layers keep one read small and short:

1. Every repeat rule is bounded before a library walks it (`guard.py`): INTERVAL=0, a
   rule whose BY... lists multiply into millions of instances, a time zone that changes
   every minute.
2. The read counts what it keeps: at most `MAX_EVENTS_PER_DAY` events on any one day
   and `MAX_SERIES` repeating events that are still running. A feed over either is
   refused whole, in one line, and the last good plan stays. Planning only the first N
   would be worse for a clinician: a break could then be offered in the middle of a
   session that was among the dropped ones, and nothing would show it. A real day has
   a few dozen events (a busy shared practice calendar a few hundred), so a day over
   the cap is a flood, not a schedule, and the line names the day to clean up.
3. The net under both: a time and memory ceiling (`Ceiling`). The read checks it
   between its own steps; a watchdog thread also stops a library call that runs past
   the deadline, or grows the process by more than the memory ceiling, by raising
   `Overrun` in the reading thread (CPython's PyThreadState_SetAsyncExc; icalendar,
   recurring-ical-events and dateutil are pure Python, so it lands at once).

This module (like guard.py and render.py) is imported when a feed is first read, and
`ctypes` when a read first arms the watchdog: both on the GUI thread, in `warm.warm_up`.
The idle tray app loads none of them; the watchdog's one thread, once started, sleeps
blocked (no wake-ups) while no read is armed.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from types import TracebackType
from typing import TYPE_CHECKING

from companion.core.clock import SystemClock

if TYPE_CHECKING:
    from companion.core.clock import Clock

#: Events (one-offs and instances of repeating events) on any one day of a read.
MAX_EVENTS_PER_DAY = 500
#: Repeating events that have not ended before the days read.
MAX_SERIES = 2000
#: Steps the recurrence library may take to walk one event's repeat rule (about 1 s).
MAX_EXPANSION = 300_000
#: Changes one time-zone rule may make up to 2038 (a real zone: about one a year).
MAX_ZONE_CHANGES = 20_000
#: A read's time ceiling, seconds. A 5 MB feed reads in about 0.1 s, 20 MB in about 0.5 s.
READ_SECONDS = 5.0
#: How much a read may grow the process (bytes). A 20 MB feed needs about 90 MiB.
READ_MEMORY = 512 * 1024 * 1024

_POLL = 0.02  # how often the watchdog looks, seconds


@dataclass(frozen=True)
class Limits:
    """One read's ceiling (tests shorten it)."""

    seconds: float = READ_SECONDS
    memory: int = READ_MEMORY
    events_per_day: int = MAX_EVENTS_PER_DAY
    series: int = MAX_SERIES


class Overrun(BaseException):
    """A read went over its ceiling. A BaseException, so that a library's
    `except Exception` cannot swallow it when the watchdog raises it inside one."""


class TimeOverrun(Overrun):
    """The read ran past its deadline."""


class MemoryOverrun(Overrun):
    """The read grew the process by more than its memory ceiling."""


def _resident() -> int | None:
    """The process's resident memory in bytes, or None where it cannot be read cheaply."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource  # lazy: see the module docstring
    except ImportError:  # pragma: no cover - not on the platforms we ship
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) if sys.platform == "darwin" else int(peak) * 1024


@lru_cache(maxsize=1)
def _async_raise() -> Callable[..., int] | None:
    """CPython's PyThreadState_SetAsyncExc, or None where ctypes cannot reach it."""
    try:
        import ctypes  # lazy: see the module docstring

        return ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError):  # pragma: no cover - an unusual build
        return None


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    """Raise `exc` in another thread at its next bytecode (None: take a pending one back)."""
    import ctypes

    setter = _async_raise()
    if setter is not None:
        # A Python None is passed as NULL, which clears what is pending.
        setter(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None)


class _Watchdog:
    """One daemon thread that watches every armed ceiling in the process. It polls every
    `_POLL` seconds while a read is armed and blocks (no wake-ups at all) while none is."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._armed: dict[int, Ceiling] = {}
        self._thread: threading.Thread | None = None

    def arm(self, ceiling: Ceiling) -> None:
        with self._cond:
            self._armed[id(ceiling)] = ceiling
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="calendar-ceiling", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def disarm(self, ceiling: Ceiling) -> None:
        with self._cond:
            self._armed.pop(id(ceiling), None)

    def _run(self) -> None:
        import time  # real time, whatever clock a read was given

        while True:
            with self._cond:
                while not self._armed:
                    self._cond.wait()
                watched = list(self._armed.values())
            now = time.monotonic()
            for ceiling in watched:
                ceiling.poll(now)
            time.sleep(_POLL)


_WATCHDOG = _Watchdog()


class Ceiling:
    """The time and memory ceiling of one read.

    Use it as a context manager around the read; `check()` between steps. Whatever the
    read is doing when it goes over (its own code or a library's), `Overrun` comes out
    of the `with` block, and nowhere else: the watchdog is disarmed, and a raise it had
    scheduled but not delivered is taken back, before the block is left.
    """

    def __init__(self, limits: Limits | None = None, clock: Clock | None = None) -> None:
        self.limits = limits or Limits()
        self._clock = clock or SystemClock()
        self._deadline = self._clock.monotonic() + self.limits.seconds
        self._lock = threading.Lock()
        self._armed = False
        self._fired: type[Overrun] | None = None
        self._thread_id = 0
        self._ends = 0.0  # the deadline on the real monotonic clock, for the watchdog
        self._resident_at_start: int | None = None

    def check(self) -> None:
        """Raise TimeOverrun if the deadline has passed (the read's own checkpoints)."""
        if self._fired is not None:
            raise self._fired
        if self._clock.monotonic() > self._deadline:
            raise TimeOverrun

    def __enter__(self) -> Ceiling:
        import time

        self._deadline = self._clock.monotonic() + self.limits.seconds
        if _async_raise() is None:  # an odd build: the read's own checks remain
            return self
        self._thread_id = threading.get_ident()
        self._ends = time.monotonic() + self.limits.seconds
        self._resident_at_start = _resident()
        self._armed = True
        _WATCHDOG.arm(self)
        return self

    def poll(self, now: float) -> None:
        """The watchdog's look at this read (`now`: real monotonic seconds)."""
        if now > self._ends:
            self._fire(TimeOverrun)
        elif self._resident_at_start is not None:
            resident = _resident()
            if resident is not None and resident - self._resident_at_start > self.limits.memory:
                self._fire(MemoryOverrun)

    def _fire(self, kind: type[Overrun]) -> None:
        with self._lock:
            if not self._armed or self._fired is not None:
                return
            self._fired = kind
            _raise_in(self._thread_id, kind)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _WATCHDOG.disarm(self)
        with self._lock:
            was_armed, self._armed = self._armed, False
            if was_armed and self._fired is not None:
                _raise_in(self._thread_id, None)  # not delivered yet: take it back
        if exc_type is None and self._fired is not None:
            raise self._fired  # it fired as the read finished: the read was over its ceiling
