"""The pacer shows a new phase within a frame of its moment, even when its timer is late:
what it draws comes from the clock at paint time, and a boundary is woken early and
waited out (companion/ui/pacer.py). Time is a FakeClock; the pacer's sleep advances it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QTimer

from companion.core.clock import FakeClock
from companion.core.exercises import BreathPattern
from companion.core.pacing import Phase, breath_at
from companion.ui import pacer as pacer_module
from companion.ui.pacer import BreathPacer

BOX = BreathPattern(inhale=4, hold_in=4, exhale=4, hold_out=4)
START = datetime(2026, 3, 2, 9, 50, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def rig(qtbot):  # type: ignore[no-untyped-def]
    clock = FakeClock(START)
    origin = clock.monotonic()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    pacer = BreathPacer(lambda: breath_at(BOX, clock.monotonic() - origin), sleep=sleep)
    pacer.resize(300, 320)
    qtbot.addWidget(pacer)
    pacer.show()
    qtbot.waitExposed(pacer)
    pacer._timer.stop()  # the test fires the timers itself, at the fake clock's times
    lead = pacer.findChild(QTimer, "pacer-lead")
    return pacer, clock, origin, slept, lead


def _at(clock: FakeClock, origin: float, t: float) -> None:
    clock.advance(origin + t - clock.monotonic())


def test_a_boundary_is_woken_early_and_drawn_the_moment_it_comes(rig) -> None:  # type: ignore[no-untyped-def]
    pacer, clock, origin, slept, lead = rig
    _at(clock, origin, 3.980)  # 20 ms before the hold after a 4 s in-breath
    pacer.refresh()
    assert pacer.last_frame.phase is Phase.INHALE
    assert lead is not None and lead.isActive()
    assert 19 - pacer_module.LEAD_MS <= lead.interval() <= 20 - pacer_module.LEAD_MS
    woken = 3.980 + lead.interval() / 1000
    _at(clock, origin, woken)  # the lead timer, on time
    lead.timeout.emit()
    assert slept == [pytest.approx(4.0 - woken + 0.0003, abs=1e-5)]  # the rest, waited out
    # drawn just after the moment, not a timer tick later
    assert pacer.last_frame.phase is Phase.HOLD
    assert 4.0 <= clock.monotonic() - origin <= 4.001


def test_a_lead_timer_that_comes_late_still_draws_the_new_phase_at_once(rig) -> None:  # type: ignore[no-untyped-def]
    pacer, clock, origin, slept, lead = rig
    _at(clock, origin, 7.950)  # before the exhale
    pacer.refresh()
    _at(clock, origin, 8.030)  # the machine was busy: 30 ms past the moment
    lead.timeout.emit()
    assert slept == []  # nothing to wait out
    assert pacer.last_frame.phase is Phase.EXHALE


def test_no_frame_is_woken_while_hidden(rig) -> None:  # type: ignore[no-untyped-def]
    pacer, clock, origin, _slept, lead = rig
    _at(clock, origin, 3.990)
    pacer.refresh()
    assert lead.isActive()
    pacer.hide()
    assert not lead.isActive() and not pacer.timer.isActive()
