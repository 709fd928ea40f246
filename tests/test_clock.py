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
