"""APScheduler on the Qt loop: one reused timer, jobs land on the GUI thread, quitting
does not wait, and the once-a-minute check is the only periodic wake-up."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from PySide6.QtCore import QThread, QTimer

from companion.runtime.scheduler import ApsWakeups, FixedQtScheduler


def test_wakeup_reuses_one_timer_instead_of_starting_chains(qtbot) -> None:  # type: ignore[no-untyped-def]
    sched = FixedQtScheduler()
    sched.start(paused=True)
    timer = sched.qtimer
    for _ in range(50):
        sched.wakeup()
    # Stock QtScheduler starts a new QTimer.singleShot chain on every wakeup(); ours has
    # exactly one timer, owned by the relay, restarted in place.
    timers = [t for t in sched._relay.findChildren(QTimer)]
    assert timers == [timer]
    assert timer.isSingleShot() and timer.objectName() == "apscheduler-wakeup"
    sched.shutdown(wait=False)
    assert not timer.isActive()


def test_jobs_hop_to_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    wakeups = ApsWakeups()
    seen: list[tuple[bool, str]] = []
    wakeups.wake.connect(
        lambda: seen.append(
            (QThread.currentThread() is wakeups.thread(), threading.current_thread().name)
        )
    )
    soon = datetime.now().astimezone() + timedelta(milliseconds=200)
    wakeups.set_times([soon])
    assert wakeups.pending() and len(wakeups.pending()) == 1
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    on_gui, name = seen[0]
    assert on_gui and name == threading.main_thread().name
    wakeups.shutdown()


def test_set_times_replaces_rather_than_adds(qtbot) -> None:  # type: ignore[no-untyped-def]
    wakeups = ApsWakeups()
    base = datetime.now().astimezone() + timedelta(hours=1)
    wakeups.set_times([base, base + timedelta(minutes=10)])
    wakeups.set_times([base + timedelta(minutes=20)])
    assert wakeups.pending() == [base + timedelta(minutes=20)]
    wakeups.shutdown()  # wait=False: returns at once even with jobs pending
    assert not wakeups.scheduler.running
