"""What the player shows at a given instant, computed from elapsed monotonic time.

Nothing here counts timer ticks. The player may redraw 60 times a second or once a
minute; either way it asks `PracticeRun.state()` and gets the phase, the step and the
time left as of `clock.monotonic()` right now. So phase boundaries land on time, a late
or dropped frame changes nothing, and a 10-minute practice ends on the second.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from companion.core.clock import Clock
from companion.core.exercises import BreathingStep, BreathPattern, Exercise, SelfPacedStep, Step
from companion.i18n import N_, _

WARN_BEFORE_SECONDS = 120.0
"""`RunState.warn_time` turns true this long before `ends_by`, when the practice would
run past it (a practice that fits ends on its own and is never warned)."""

# How big the pacer is at the end of the main in-breath when a top-up follows it.
_TOP_UP_FROM = 0.8


class Phase(enum.Enum):
    INHALE = "inhale"
    TOP_UP = "top-up"
    HOLD = "hold"
    EXHALE = "exhale"
    HOLD_OUT = "hold-out"

    @property
    def word(self) -> str:
        """The word shown beside the pacer."""
        return _(_WORDS[self])


_WORDS = {
    Phase.INHALE: N_("Breathe in"),
    Phase.TOP_UP: N_("A little more"),
    Phase.HOLD: N_("Hold softly"),
    Phase.EXHALE: N_("Breathe out"),
    Phase.HOLD_OUT: N_("Hold, empty"),  # a hold (its tone, the cues), after breathing out
}


def phases(pattern: BreathPattern) -> list[tuple[Phase, float]]:
    """The phases of one cycle in order, with their seconds; phases of 0 s left out."""
    every = (
        (Phase.INHALE, pattern.inhale),
        (Phase.TOP_UP, pattern.top_up),
        (Phase.HOLD, pattern.hold_in),
        (Phase.EXHALE, pattern.exhale),
        (Phase.HOLD_OUT, pattern.hold_out),
    )
    return [(phase, seconds) for phase, seconds in every if seconds > 0]


@dataclass(frozen=True)
class BreathState:
    """Where the breath is: `cycle` counts from 0; `size` is the pacer's radius as a
    fraction 0..1 (0 = emptied, 1 = full), eased in and out."""

    phase: Phase
    phase_elapsed: float
    phase_seconds: float
    cycle: int
    size: float

    @property
    def phase_remaining(self) -> float:
        return self.phase_seconds - self.phase_elapsed

    @property
    def progress(self) -> float:
        """How far through this phase, 0..1 (for a filling bar or a count)."""
        return min(1.0, self.phase_elapsed / self.phase_seconds)


def ease_in_out(x: float) -> float:
    """Slow at both ends, like a breath: 0 -> 0, 1 -> 1."""
    x = min(1.0, max(0.0, x))
    return (1.0 - math.cos(math.pi * x)) / 2.0


def breath_at(pattern: BreathPattern, t: float) -> BreathState:
    """The breath `t` seconds after the pattern started (t < 0 counts as 0)."""
    t = max(0.0, t)
    cycle_seconds = pattern.cycle_seconds
    cycle = math.floor(t / cycle_seconds)
    offset = t - cycle * cycle_seconds
    if offset < 0:  # float rounding at an exact boundary
        cycle, offset = cycle - 1, offset + cycle_seconds
    elif offset >= cycle_seconds:
        cycle, offset = cycle + 1, offset - cycle_seconds
    start = 0.0
    order = phases(pattern)
    phase, seconds = order[-1]
    for candidate, length in order:
        if offset < start + length:
            phase, seconds = candidate, length
            break
        start += length
    else:
        start = cycle_seconds - seconds
    elapsed = offset - start
    return BreathState(
        phase=phase,
        phase_elapsed=elapsed,
        phase_seconds=seconds,
        cycle=cycle,
        size=_size(pattern, phase, elapsed / seconds),
    )


def _size(pattern: BreathPattern, phase: Phase, x: float) -> float:
    full_after_inhale = _TOP_UP_FROM if pattern.top_up else 1.0
    if phase is Phase.INHALE:
        return full_after_inhale * ease_in_out(x)
    if phase is Phase.TOP_UP:
        return full_after_inhale + (1.0 - full_after_inhale) * ease_in_out(x)
    if phase is Phase.HOLD:
        return 1.0
    if phase is Phase.EXHALE:
        return 1.0 - ease_in_out(x)
    return 0.0


@dataclass(frozen=True)
class RunState:
    """A snapshot of a practice run.

    `step` is None once the run has finished (then `step_index == step_count`).
    `completed` is True when it ran to its end; False when stopped early, cut off at
    `ends_by` (`out_of_time`), or reached by skipping more than half of its timed steps
    (tapping "next" through a practice is not doing it; a self-paced step's "next" is
    how it is meant to end, so it never counts as skipping).
    """

    step_index: int
    step_count: int
    step: Step | None
    step_elapsed: float
    remaining_seconds: float
    breath: BreathState | None
    started: bool
    paused: bool
    finished: bool
    completed: bool
    out_of_time: bool
    elapsed_active_seconds: float
    planned_seconds: float
    warn_time: bool

    @property
    def step_remaining(self) -> float:
        return 0.0 if self.step is None else max(0.0, self.step.seconds - self.step_elapsed)


# More than this share of a practice's timed steps skipped, and it was looked at, not done.
SKIPPED_SHARE = 0.5


class PracticeRun:
    """A practice being done, as a state machine on `clock.monotonic()`.

    Active time is monotonic time since `start()` minus time spent paused. Steps follow
    each other by their planned seconds; `next_step()` moves on early (a self-paced
    step's "next", or skipping ahead), and the run finishes when the last step ends.
    `ends_by` is a monotonic deadline (the next session, less its margin): `warn_time`
    turns true WARN_BEFORE_SECONDS before it and the run finishes at it at the latest,
    paused or not.

    Every method settles the state as of now first, so the run is the same whether
    `state()` is asked every frame or once at the end.
    """

    def __init__(self, exercise: Exercise, clock: Clock, *, ends_by: float | None = None) -> None:
        if not exercise.steps:
            raise ValueError("a practice needs at least one step")
        self.exercise = exercise
        self._clock = clock
        self._ends_by = ends_by
        self._steps = exercise.steps
        self._started_at: float | None = None
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._index = 0
        self._step_start = 0.0  # active seconds at which the current step began
        self._finished = False
        self._completed = False
        self._out_of_time = False
        self._final_active = 0.0
        self._skipped = 0.0  # seconds of timed steps passed over with next_step()
        self._timed = sum(s.seconds for s in self._steps if not isinstance(s, SelfPacedStep))

    # --- intents ---------------------------------------------------------------------------

    def start(self) -> None:
        """Begin now. Starting again does nothing."""
        if self._started_at is None:
            self._started_at = self._clock.monotonic()
            self._settle()

    def pause(self) -> None:
        self._settle()
        if self._running and self._paused_at is None:
            self._paused_at = self._clock.monotonic()

    def resume(self) -> None:
        self._settle()
        if self._running and self._paused_at is not None:
            self._paused_total += self._clock.monotonic() - self._paused_at
            self._paused_at = None

    def toggle_pause(self) -> None:
        if self._paused_at is None:
            self.pause()
        else:
            self.resume()

    def next_step(self) -> None:
        """Move on to the next step now (finishing, completed, after the last one).
        Works while paused too; the new step starts when the pause ends."""
        self._settle()
        if not self._running:
            return
        active = self._active(self._clock.monotonic())
        step = self._steps[self._index]
        if not isinstance(step, SelfPacedStep):
            self._skipped += max(0.0, step.seconds - (active - self._step_start))
        self._index += 1
        self._step_start = active
        if self._index >= len(self._steps):
            self._finish(active, completed=self._skipped <= SKIPPED_SHARE * self._timed)

    def stop(self) -> None:
        """End early (not completed)."""
        self._settle()
        if self._running:
            self._finish(self._active(self._clock.monotonic()), completed=False)

    # --- reading ---------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        self._settle()
        return self._finished

    def state(self) -> RunState:
        self._settle()
        now = self._clock.monotonic()
        planned = self.exercise.total_seconds
        if self._finished:
            return RunState(
                step_index=len(self._steps),
                step_count=len(self._steps),
                step=None,
                step_elapsed=0.0,
                remaining_seconds=0.0,
                breath=None,
                started=True,
                paused=False,
                finished=True,
                completed=self._completed,
                out_of_time=self._out_of_time,
                elapsed_active_seconds=self._final_active,
                planned_seconds=planned,
                warn_time=False,
            )
        active = self._active(now)
        step = self._steps[self._index]
        step_elapsed = active - self._step_start
        remaining = (step.seconds - step_elapsed) + sum(
            s.seconds for s in self._steps[self._index + 1 :]
        )
        warn = False
        if self._ends_by is not None:
            left = self._ends_by - now
            # The gentle "let this be enough" only when the practice would run into the
            # next session: one that fits ends on its own, and no warning is true of it.
            warn = (
                self._started_at is not None
                and left <= WARN_BEFORE_SECONDS
                and remaining - left > 1.0
            )
            remaining = min(remaining, left)
        breath = None
        if isinstance(step, BreathingStep):
            breath = breath_at(step.pattern, step_elapsed)
        return RunState(
            step_index=self._index,
            step_count=len(self._steps),
            step=step,
            step_elapsed=step_elapsed,
            remaining_seconds=max(0.0, remaining),
            breath=breath,
            started=self._started_at is not None,
            paused=self._paused_at is not None,
            finished=False,
            completed=False,
            out_of_time=False,
            elapsed_active_seconds=active,
            planned_seconds=planned,
            warn_time=warn,
        )

    # --- internals -------------------------------------------------------------------------

    @property
    def _running(self) -> bool:
        return self._started_at is not None and not self._finished

    def _active(self, mono: float) -> float:
        """Active (unpaused) seconds since start, as of monotonic time `mono`."""
        if self._started_at is None:
            return 0.0
        end = mono if self._paused_at is None else min(mono, self._paused_at)
        return max(0.0, end - self._started_at - self._paused_total)

    def _finish(self, active: float, *, completed: bool, out_of_time: bool = False) -> None:
        self._finished = True
        self._completed = completed
        self._out_of_time = out_of_time
        self._final_active = active
        self._paused_at = None
        self._index = len(self._steps)

    def _settle(self) -> None:
        """Bring the step index up to now and finish if the end or the deadline passed."""
        if not self._running:
            return
        now = self._clock.monotonic()
        deadline_active: float | None = None
        if self._ends_by is not None and now >= self._ends_by:
            deadline_active = self._active(self._ends_by)
        active = self._active(now)
        while self._index < len(self._steps):
            step_end = self._step_start + self._steps[self._index].seconds
            if deadline_active is not None and deadline_active < step_end:
                self._finish(deadline_active, completed=False, out_of_time=True)
                return
            if active < step_end:
                return
            self._step_start = step_end
            self._index += 1
        self._finish(self._step_start, completed=True)
