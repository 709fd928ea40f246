"""The pacer and the practice run, driven by a fake monotonic clock: phases land exactly
on time, pauses do not count, and a practice ends on the second."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import pytest

from companion.core.clock import FakeClock
from companion.core.exercises import (
    BreathingStep,
    BreathPattern,
    Exercise,
    GuidedStep,
    SelfPacedStep,
    load_library,
)
from companion.core.pacing import (
    WARN_BEFORE_SECONDS,
    Phase,
    PracticeRun,
    breath_at,
)

BOX = BreathPattern(inhale=4, hold_in=4, exhale=4, hold_out=4)
SIGH = BreathPattern(inhale=2, top_up=1, exhale=6)
COHERENT = BreathPattern(inhale=5.5, exhale=5.5)
FOUR_SEVEN_EIGHT = BreathPattern(inhale=4, hold_in=7, exhale=8)
FRAME = 1 / 60


def clock() -> FakeClock:
    return FakeClock(datetime(2025, 3, 3, 10, 50, tzinfo=UTC), monotonic_start=5000.0)


def expected_phase(pattern: BreathPattern, t: Fraction) -> tuple[Phase, int]:
    """The phase at t worked out with exact fractions, as a reference."""
    order = [
        (Phase.INHALE, pattern.inhale),
        (Phase.TOP_UP, pattern.top_up),
        (Phase.HOLD, pattern.hold_in),
        (Phase.EXHALE, pattern.exhale),
        (Phase.HOLD_OUT, pattern.hold_out),
    ]
    cycle = sum(Fraction(s) for _, s in order)
    index = int(t // cycle)
    offset = t - index * cycle
    for phase, seconds in order:
        if offset < Fraction(seconds):
            return phase, index
        offset -= Fraction(seconds)
    raise AssertionError("unreachable")


# --- breath_at ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "phase", "cycle"),
    [
        (0, Phase.INHALE, 0),
        (3.999, Phase.INHALE, 0),
        (4, Phase.HOLD, 0),
        (8, Phase.EXHALE, 0),
        (12, Phase.HOLD_OUT, 0),
        (15.999, Phase.HOLD_OUT, 0),
        (16, Phase.INHALE, 1),
        (16 * 37 + 8, Phase.EXHALE, 37),
    ],
)
def test_box_phases_land_exactly_on_their_boundaries(t: float, phase: Phase, cycle: int) -> None:
    state = breath_at(BOX, t)
    assert (state.phase, state.cycle) == (phase, cycle)
    assert state.phase_seconds == 4


@pytest.mark.parametrize("pattern", [BOX, SIGH, COHERENT, FOUR_SEVEN_EIGHT])
def test_phase_matches_the_pattern_at_any_instant(pattern: BreathPattern) -> None:
    # Every 1/8 s for ten minutes, including every phase boundary of these patterns.
    for eighth in range(0, 600 * 8):
        t = Fraction(eighth, 8)
        state = breath_at(pattern, float(t))
        assert (state.phase, state.cycle) == expected_phase(pattern, t), float(t)


def test_the_pacer_grows_on_the_in_breath_is_still_on_holds_and_shrinks_out() -> None:
    assert breath_at(BOX, 0).size == 0
    assert breath_at(BOX, 2).size == pytest.approx(0.5)
    assert breath_at(BOX, 1).size < 0.5 < breath_at(BOX, 3).size
    assert breath_at(BOX, 4).size == breath_at(BOX, 7.9).size == 1
    assert breath_at(BOX, 10).size == pytest.approx(0.5)
    assert breath_at(BOX, 12).size == breath_at(BOX, 15.9).size == 0
    # eased: slow at the ends, quicker in the middle
    assert breath_at(BOX, 0.4).size - breath_at(BOX, 0).size < (
        breath_at(BOX, 2.2).size - breath_at(BOX, 1.8).size
    )


def test_cyclic_sighing_tops_up_after_the_main_in_breath() -> None:
    assert breath_at(SIGH, 1.999).phase is Phase.INHALE
    top_up = breath_at(SIGH, 2)
    assert top_up.phase is Phase.TOP_UP
    assert 0.5 < top_up.size < 1
    assert breath_at(SIGH, 2.999).size == pytest.approx(1, abs=1e-4)
    assert breath_at(SIGH, 3).phase is Phase.EXHALE
    assert breath_at(SIGH, 3).size == 1
    assert breath_at(SIGH, 8.5).phase_remaining == pytest.approx(0.5)


def test_every_phase_has_a_distinct_word() -> None:
    words = [phase.word for phase in Phase]
    assert all(words)
    assert len(set(words)) == len(words)


# --- PracticeRun ----------------------------------------------------------------------------


def practice(*steps: BreathingStep | GuidedStep | SelfPacedStep) -> Exercise:
    total = sum(s.seconds for s in steps)
    return Exercise(id="t", title="T", kind="breathing", minutes=total / 60, steps=steps)


def test_nothing_moves_before_start() -> None:
    c = clock()
    run = PracticeRun(practice(GuidedStep("a", 10)), c)
    c.advance(30)
    state = run.state()
    assert not state.started
    assert state.elapsed_active_seconds == 0
    assert state.remaining_seconds == 10
    assert not state.finished


def test_pause_freezes_the_pacer_and_resume_continues_where_it_was() -> None:
    c = clock()
    run = PracticeRun(practice(BreathingStep(BOX, cycles=10)), c)
    run.start()
    c.advance(5.25)  # 1.25 s into the hold
    run.pause()
    paused = run.state()
    assert paused.paused
    assert paused.breath is not None
    assert paused.breath.phase is Phase.HOLD
    c.advance(100)
    assert run.state() == paused
    run.resume()
    c.advance(2.75)  # hold ends exactly now
    after = run.state()
    assert not after.paused
    assert after.breath is not None
    assert after.breath.phase is Phase.EXHALE
    assert after.breath.phase_elapsed == 0
    assert after.elapsed_active_seconds == 8


def test_phase_under_pauses_matches_the_pattern_at_every_frame() -> None:
    # Frames of 1/64 s keep the fake clock's sums exact, so the comparison can be too.
    c = clock()
    run = PracticeRun(practice(GuidedStep("settle", 10), BreathingStep(COHERENT, cycles=20)), c)
    run.start()
    active = Fraction(0)
    for frame in range(64 * 200):
        if frame % 1500 == 700:
            run.pause()
            c.advance(37.25)  # paused time must not count
            run.resume()
        state = run.state()
        assert state.elapsed_active_seconds == active
        if active < 10:
            assert state.step_index == 0
            assert state.breath is None
        else:
            assert state.step_index == 1
            assert state.breath is not None
            phase, cycle = expected_phase(COHERENT, active - 10)
            assert (state.breath.phase, state.breath.cycle) == (phase, cycle), float(active)
        c.advance(1 / 64)
        active += Fraction(1, 64)


def test_a_ten_minute_practice_ends_on_the_second() -> None:
    coherent = load_library()["coherent-10"]
    assert coherent.total_seconds == 600
    c = clock()
    start = c.monotonic()
    run = PracticeRun(coherent, c)
    run.start()
    while not run.state().finished:
        c.advance(FRAME)
    ended_after = c.monotonic() - start
    assert 600 <= ended_after < 600 + FRAME  # the first frame at or after 600 s
    state = run.state()
    assert state.completed
    assert state.elapsed_active_seconds == 600
    assert state.remaining_seconds == 0
    assert state.step is None


def test_the_end_is_exact_even_when_nobody_looks_in_between() -> None:
    c = clock()
    run = PracticeRun(load_library()["coherent-10"], c)
    run.start()
    c.advance(599.999)
    assert not run.state().finished
    c.advance(0.001)
    assert run.state().finished
    late = PracticeRun(load_library()["body-scan-10"], c)
    late.start()
    c.advance(300)
    late.pause()
    c.advance(50)
    late.resume()
    c.advance(1000)  # a sleeping laptop, a frozen GUI: the run still ran exactly 600 s
    state = late.state()
    assert state.completed
    assert state.elapsed_active_seconds == 600


def test_steps_follow_their_planned_seconds_and_remaining_time_counts_down() -> None:
    c = clock()
    run = PracticeRun(practice(GuidedStep("a", 20), GuidedStep("b", 30), GuidedStep("c", 10)), c)
    run.start()
    c.advance(19.5)
    state = run.state()
    assert (state.step_index, state.step_count) == (0, 3)
    assert state.remaining_seconds == pytest.approx(40.5)
    c.advance(0.5)
    state = run.state()
    assert state.step_index == 1
    assert state.step_elapsed == 0
    run.pause()
    c.advance(60)
    assert run.state().remaining_seconds == pytest.approx(40)


def test_a_self_paced_step_moves_on_at_next_or_at_its_limit() -> None:
    c = clock()
    steps = (
        SelfPacedStep("see", "Seen", limit_seconds=60),
        SelfPacedStep("hear", "Heard", limit_seconds=60),
        GuidedStep("close", 10),
    )
    run = PracticeRun(practice(*steps), c)
    run.start()
    c.advance(12)
    run.next_step()
    state = run.state()
    assert state.step_index == 1
    assert state.step_elapsed == 0
    assert state.remaining_seconds == 70
    c.advance(60)  # the limit, nobody pressed anything
    assert run.state().step_index == 2
    c.advance(10)
    state = run.state()
    assert state.finished
    assert state.completed
    assert state.elapsed_active_seconds == 82


def test_next_on_the_last_step_completes_the_practice() -> None:
    c = clock()
    run = PracticeRun(practice(GuidedStep("a", 10), SelfPacedStep("b", limit_seconds=60)), c)
    run.start()
    c.advance(15)
    run.next_step()
    state = run.state()
    assert state.finished
    assert state.completed
    assert state.elapsed_active_seconds == 15


def test_stop_ends_early_and_is_not_completed() -> None:
    c = clock()
    run = PracticeRun(practice(BreathingStep(BOX, cycles=10)), c)
    run.start()
    c.advance(42)
    run.stop()
    c.advance(500)
    state = run.state()
    assert state.finished
    assert not state.completed
    assert not state.out_of_time
    assert state.elapsed_active_seconds == 42
    run.resume()
    run.next_step()
    assert run.state() == state


def test_the_next_session_warns_two_minutes_ahead_and_ends_the_run() -> None:
    c = clock()
    ends_by = c.monotonic() + 300
    run = PracticeRun(practice(GuidedStep("long", 600)), c, ends_by=ends_by)
    run.start()
    c.advance(300 - WARN_BEFORE_SECONDS - 0.5)
    assert not run.state().warn_time
    c.advance(0.5)
    state = run.state()
    assert state.warn_time
    assert state.remaining_seconds == pytest.approx(WARN_BEFORE_SECONDS)
    run.pause()  # a pause does not hold back the next session
    c.advance(200)
    state = run.state()
    assert state.finished
    assert state.out_of_time
    assert not state.completed
    assert state.elapsed_active_seconds == pytest.approx(180)


def test_a_practice_that_ends_in_time_never_warns() -> None:
    c = clock()
    run = PracticeRun(load_library()["coherent-5"], c, ends_by=c.monotonic() + 500)
    run.start()
    warned = False
    while not run.state().finished:
        warned = warned or run.state().warn_time
        c.advance(0.5)
    assert not warned
    assert run.state().completed


def test_tapping_next_through_a_practice_is_not_completing_it() -> None:
    c = clock()
    run = PracticeRun(practice(GuidedStep("a", 60), GuidedStep("b", 60), GuidedStep("c", 60)), c)
    run.start()
    for _ in range(3):
        c.advance(3)
        run.next_step()
    state = run.state()
    assert state.finished and not state.completed


def test_skipping_the_closing_words_still_completes_it() -> None:
    c = clock()
    run = PracticeRun(practice(GuidedStep("a", 60), GuidedStep("b", 60), GuidedStep("c", 30)), c)
    run.start()
    c.advance(125)  # in the last step
    run.next_step()
    assert run.state().completed


def test_a_practice_that_fits_is_never_told_to_let_it_be_enough() -> None:
    """Issue 15, item 4: two minutes before the next session the gentle note is for a
    practice that would run into it; one that ends in time is left in peace."""
    c = clock()
    run = PracticeRun(practice(GuidedStep("a", 30), GuidedStep("b", 30)), c, ends_by=5100.0)
    run.start()  # 60 s of practice, 100 s to the deadline: it fits
    assert not run.state().warn_time
    c.advance(30)
    assert not run.state().warn_time
    run = PracticeRun(practice(GuidedStep("long", 600)), c, ends_by=c.monotonic() + 100)
    run.start()  # it would run into the session: said at once
    assert run.state().warn_time


def test_both_holds_are_called_a_hold_as_the_cues_and_the_tone_say() -> None:
    """Box breathing's cue says "in, hold, out, hold" and both holds sound the same
    tone: the word beside the pacer says so too (it said "Rest" for the second)."""
    from companion.core.pacing import Phase

    assert Phase.HOLD.word == "Hold softly"
    assert Phase.HOLD_OUT.word == "Hold, empty"
