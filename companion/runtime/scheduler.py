"""When to look at the day again: APScheduler on the Qt loop, plus sleep and clock-jump watch.

DESIGN.md rule 2 and two traps in APScheduler 3.11's `QtScheduler`:

* `QTimer.singleShot(ms, fn)` returns None, so `_stop_timer` never stops anything and
  every `wakeup()` starts one more timer chain. `FixedQtScheduler` keeps one named,
  reused single-shot QTimer instead.
* jobs would run in a thread pool; ours only say "wake up", so they run on the Qt loop
  itself (`QtLoopExecutor`, each in an event of its own), where widgets and the journal
  live: no pool, no thread, no concurrent.futures or multiprocessing in memory.
* `shutdown()` waits for running jobs by default; quitting uses `wait=False`.

Wake-ups are wall-clock deadlines; Qt timers measure monotonic time, which on Linux
stops while the machine sleeps. So a one-minute check compares wall and monotonic
progress (`JumpDetector`) and, where logind is on the system bus, its
`PrepareForSleep(false)` signal says "just woke up" at once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from companion.core.clock import Clock
from companion.runtime.aps import DateTrigger, QtLoopExecutor, QtScheduler

log = logging.getLogger("companion.scheduler")

JUMP_CHECK_MS = 60_000  # the only periodic wake-up: once a minute
_MAX_TIMER_MS = 2_147_483_647


class FixedQtScheduler(QtScheduler):  # type: ignore[misc]
    """QtScheduler with one reused single-shot QTimer (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._relay = _TimerRelay()
        self._relay.due.connect(self._process_jobs)
        super().__init__(*args, **kwargs)

    @property
    def qtimer(self) -> QTimer:
        return self._relay.timer

    def _start_timer(self, wait_seconds: float | None) -> None:
        if wait_seconds is None:
            self._relay.stop.emit()
        else:
            self._relay.start.emit(min(max(int(wait_seconds * 1000), 0), _MAX_TIMER_MS))

    def _stop_timer(self) -> None:
        self._relay.stop.emit()

    def wakeup(self) -> None:
        self._start_timer(0)

    def _create_default_executor(self) -> QtLoopExecutor:
        return QtLoopExecutor(self._relay.post.emit)


class _TimerRelay(QObject):
    """Owns the one QTimer. `start`/`stop` may be emitted from any thread: Qt queues them
    to the thread this object lives in (the GUI thread), the only one allowed to touch
    the timer."""

    start = Signal(int)
    stop = Signal()
    due = Signal()
    post = Signal(object)  # a job to run on the loop, always in an event of its own

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setObjectName("apscheduler-wakeup")
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.due)
        self.start.connect(self._start)
        self.stop.connect(self.timer.stop)
        self.post.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(int)
    def _start(self, ms: int) -> None:
        self.timer.start(ms)

    @Slot(object)
    def _run(self, job: Any) -> None:
        job()


class Wakeups(Protocol):
    """What the app needs from a scheduler: call `wake` at these wall times."""

    def set_times(self, times: Sequence[datetime]) -> None: ...
    def shutdown(self) -> None: ...


class ApsWakeups(QObject):
    """Production wake-ups: APScheduler date jobs, run on the Qt loop."""

    wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scheduler = FixedQtScheduler(
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )
        self.scheduler.start()

    def _fire(self) -> None:  # on the GUI thread, in an event of its own
        self.wake.emit()

    def set_times(self, times: Sequence[datetime]) -> None:
        for job in self.scheduler.get_jobs():
            job.remove()
        for n, when in enumerate(sorted(set(times))):
            self.scheduler.add_job(
                self._fire, DateTrigger(run_date=when), id=f"wake-{n}", replace_existing=True
            )

    def pending(self) -> list[datetime]:
        return sorted(job.next_run_time for job in self.scheduler.get_jobs())

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)


class ClockWakeups(QObject):
    """Wake-ups measured on an injected clock (the `--demo` day runs compressed): one
    single-shot QTimer set to the nearest time, converted with the clock's speed."""

    wake = Signal()

    def __init__(self, clock: Clock, speed: float = 1.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.speed = speed
        self.timer = QTimer(self)
        self.timer.setObjectName("demo-wakeup")
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.wake)

    def set_times(self, times: Sequence[datetime]) -> None:
        self.timer.stop()
        if not times:
            return
        wait = (min(times) - self.clock.now()).total_seconds() / self.speed
        self.timer.start(min(max(int(wait * 1000), 0), _MAX_TIMER_MS))

    def shutdown(self) -> None:
        self.timer.stop()


class SleepWatch(QObject):
    """Says `resumed` after the machine wakes: from logind at once where available,
    and in any case from the once-a-minute jump check done by the app."""

    resumed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.connected = False
        try:
            from PySide6.QtDBus import QDBusConnection

            bus = QDBusConnection.systemBus()
            if bus.isConnected():
                self.connected = bus.connect(
                    "org.freedesktop.login1",
                    "/org/freedesktop/login1",
                    "org.freedesktop.login1.Manager",
                    "PrepareForSleep",
                    self,
                    "1_on_prepare_for_sleep(bool)",
                )
        except Exception as exc:  # no D-Bus here (macOS, Windows, a container): fine
            log.debug("no logind sleep signal: %s", exc)

    @Slot(bool)
    def _on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if not going_to_sleep:
            self.resumed.emit()
