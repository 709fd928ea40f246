from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from companion.core.clock import Clock, FakeClock, SystemClock


def test_system_clock_is_aware_and_monotonic() -> None:
    clock = SystemClock()
    assert isinstance(clock, Clock)
    assert clock.now().tzinfo is not None
    a = clock.monotonic()
    assert clock.monotonic() >= a


def test_fake_clock_steps_jumps_and_sleeps() -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    clock = FakeClock(start)
    mono = clock.monotonic()
    clock.advance(90)
    assert clock.now() == start + timedelta(seconds=90)
    assert clock.monotonic() == mono + 90
    clock.jump(timedelta(hours=-1))  # the user sets the clock back: wall moves, monotonic not
    assert clock.now() == start + timedelta(seconds=90) - timedelta(hours=1)
    assert clock.monotonic() == mono + 90
    clock.sleep(3600)  # a suspended laptop: wall time moves, monotonic time stands still
    assert clock.now() == start + timedelta(seconds=90)
    assert clock.monotonic() == mono + 90
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_fake_clock_refuses_naive_time() -> None:
    with pytest.raises(ValueError):
        FakeClock(datetime(2026, 3, 2, 9, 0))


def test_the_demo_clock_says_how_fast_it_runs() -> None:
    """The card lowers itself after three minutes, and the player wakes at its steps, in
    the clock's own time: both read `rate`. A 30x demo clock that said nothing kept the
    card up for 90 demo minutes."""
    from datetime import datetime

    from companion.core.clock import ScaledClock
    from companion.ui.player import clock_rate

    demo = ScaledClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), 30.0)
    assert demo.rate == 30.0
    assert clock_rate(demo) == 30.0
