"""Pacer benchmark: phase timing and CPU of the practice player on a real Qt event loop.

    python bench/pacer.py            # 10 minutes of practice, clock compressed 10x (~3 min)
    python bench/pacer.py --quick    # 60 s of practice in real time (~2 min)
    python bench/pacer.py --full     # 10 minutes of practice in real time (~14 min)
    python bench/pacer.py --quick --load 2   # the same, with 2 busy processes beside it

The practice mixes cyclic sighing (2+1 in, 6 out), box breathing (4-4-4-4) and an
extended exhale (4 in, 6 out), so it has top-ups, holds and step changes.

It prints:

* the largest phase error: for every phase boundary of the pattern, how long after the
  ideal moment the first painted frame showed the new phase (budget: under one frame,
  16.7 ms), and any painted frame that showed a phase other than the ideal one;
* how late the end was noticed (a 10-minute practice ends on the second);
* CPU % of one core (getrusage user+system over wall time) while animating and while
  the window is hidden (budget: under 5 %, and nothing when hidden), next to a bare
  PySide6 floor: an empty QWidget shown for the same time.

With the compressed clock the pacer sees ten seconds of practice per real second; it
sets its waits in real time (`clock_rate`), so the frame rate is the real one, and
errors are shown both in real milliseconds (what the eye sees) and in practice time.
Prints figures; asserts nothing (the budget is in DESIGN.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

import companion.ui.player  # noqa: F401 (and the modules it builds its pages with)
from companion.core.exercises import BreathingStep, BreathPattern, Exercise
from companion.core.journal import Journal
from companion.core.pacing import Phase, RunState, phases
from companion.core.paths import resolve_paths
from companion.core.settings import Settings
from companion.core.writer import JournalWriter
from companion.ui import style
from companion.ui.pacer import BreathPacer
from companion.ui.player import PlayerWindow

FRAME_BUDGET_MS = 1000 / 60
SIGH = BreathPattern(inhale=2, top_up=1, exhale=6)  # 9 s
BOX = BreathPattern(inhale=4, hold_in=4, exhale=4, hold_out=4)  # 16 s
EXHALE = BreathPattern(inhale=4, exhale=6)  # 10 s


class ScaledClock:
    """Real wall time; monotonic time running `rate` times faster than real."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone()

    def monotonic(self) -> float:
        return self._origin + (time.monotonic() - self._origin) * self.rate


class NoSound:
    def play(self, event: str) -> None:
        pass


class RecordingPacer(BreathPacer):
    """The app's pacer, noting the clock time and phase of every frame it paints."""

    clock: ScaledClock | None = None
    # (clock time the frame was computed at, clock time it was painted by, phase shown)
    frames: list[tuple[float, float, Phase | None]] = []  # noqa: RUF012 (reset per run)

    def paintEvent(self, event: QPaintEvent) -> None:
        clock = RecordingPacer.clock
        before = clock.monotonic() if clock is not None else 0.0
        super().paintEvent(event)
        frame = self.last_frame
        if clock is not None and frame is not None:
            RecordingPacer.frames.append((before, clock.monotonic(), frame.phase))


def practice(seconds: int) -> Exercise:
    # 180 + 160 + 260 = 600 s, or 18 + 32 + 10 = 60 s
    counts = (20, 10, 26) if seconds >= 600 else (2, 2, 1)
    steps = tuple(
        BreathingStep(pattern, cycles=n)
        for pattern, n in zip((SIGH, BOX, EXHALE), counts, strict=True)
    )
    return Exercise(
        id="bench", title="Benchmark breathing", kind="breathing", minutes=seconds / 60, steps=steps
    )


def boundaries(exercise: Exercise, start: float) -> list[tuple[float, Phase]]:
    """Every moment a new phase begins, in clock time, with that phase."""
    out: list[tuple[float, Phase]] = []
    t = start
    for step in exercise.steps:
        assert isinstance(step, BreathingStep)
        for _ in range(step.cycles):
            for phase, seconds in phases(step.pattern):
                out.append((t, phase))
                t += seconds
    return out


def ideal_phase(marks: list[tuple[float, Phase]], t: float) -> Phase | None:
    current = None
    for at, phase in marks:
        if at > t:
            break
        current = phase
    return current


def none_refs_lost_per_call() -> float:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a Qt method
    that returns nothing; None's count starts near 4,500, so an animating window aborts
    the interpreter ("none_dealloc") within seconds. Measured here, not assumed."""
    if sys.version_info >= (3, 12):
        return 0.0  # None is immortal there
    probe = QWidget()
    before = sys.getrefcount(None)
    for _ in range(200):
        probe.update()
    return (before - sys.getrefcount(None)) / 200


def pad_none_refcount() -> None:
    """Lend None a very large reference count so the leak above cannot reach zero during
    the benchmark (Python 3.12 makes None immortal in the same way)."""
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def spin(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


@dataclass
class Span:
    wall: float
    cpu: float

    @property
    def percent(self) -> float:
        return 100.0 * self.cpu / self.wall if self.wall else 0.0


def measure(seconds: float) -> Span:
    wall0, cpu0 = time.monotonic(), cpu()
    spin(seconds)
    return Span(time.monotonic() - wall0, cpu() - cpu0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="60 s of practice, real time")
    mode.add_argument("--full", action="store_true", help="10 minutes of practice, real time")
    parser.add_argument("--speed", type=float, default=10.0, help="compression (default 10x)")
    parser.add_argument(
        "--load", type=int, default=0, help="run N busy processes beside it (a loaded machine)"
    )
    args = parser.parse_args()
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.load)]
    try:
        return run(args)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def run(args: argparse.Namespace) -> int:
    practice_s = 60 if args.quick else 600
    rate = 1.0 if (args.quick or args.full) else args.speed
    wall_s = practice_s / rate
    side_s = min(wall_s, 120.0)

    tmp = tempfile.TemporaryDirectory(prefix="companion-bench-")
    os.environ["COMPANION_DATA_DIR"] = tmp.name
    app = QApplication([])
    style.apply(app, dark=False)
    clock = ScaledClock(rate)
    journal = Journal(resolve_paths().ensure(), clock).open()
    settings = Settings(ratings=False)
    save = JournalWriter(journal).save

    leak = none_refs_lost_per_call()
    if leak > 0:
        import PySide6

        print(
            f"WARNING: PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} drops "
            f"{leak:g} reference to None per void Qt call; the app would abort within seconds "
            "of animating. Padding None's count so the benchmark can run; pin PySide6 < 6.12."
        )
        pad_none_refcount()
    how = "real time" if rate == 1 else f"clock compressed {rate:g}x (monotonic time driven faster)"
    if args.load:
        how += f", {args.load} busy processes beside it"
    print(f"pacer benchmark: {practice_s} s of practice, {how}; Qt {app.platformName()}")

    # 1. The floor: an empty window, shown for as long as the practice animates.
    bare = QWidget()
    bare.resize(640, 500)
    bare.show()
    spin(0.5)
    floor = measure(wall_s)
    bare.close()

    # 2. The practice, animating, start to end.
    exercise = practice(practice_s)
    for name in ("companion.ui.player", "companion.ui.player_pages", "companion.ui.player_view"):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "BreathPacer"):
            module.BreathPacer = RecordingPacer  # whichever module builds the pacer
    RecordingPacer.clock, RecordingPacer.frames = clock, []
    player = PlayerWindow(exercise, clock, settings, NoSound(), save=save)
    ended: list[tuple[float, RunState]] = []
    loop = QEventLoop()

    def on_end(state: RunState) -> None:
        ended.append((clock.monotonic(), state))
        loop.quit()

    player.ended.connect(on_end)
    player.resize(640, 500)
    none0 = sys.getrefcount(None)
    wall0, cpu0 = time.monotonic(), cpu()
    player.show()
    QTimer.singleShot(int((wall_s + 10) * 1000), loop.quit)
    loop.exec()
    animating = Span(time.monotonic() - wall0, cpu() - cpu0)
    none_lost = none0 - sys.getrefcount(None)
    player.close()  # from the end screen: the practice is saved, nothing else
    assert player.started_at is not None
    start = player.started_at
    frames = RecordingPacer.frames

    marks = boundaries(exercise, start)
    lags: list[float] = []
    missing = 0
    index = 0
    for at, phase in marks:
        while index < len(frames) and frames[index][0] < at:
            index += 1
        if index == len(frames):
            missing += 1
            continue
        _, painted, shown = frames[index]
        if shown is phase:
            lags.append(painted - at)  # from the ideal boundary to the frame on screen
        else:
            missing += 1
    # A frame is wrong when the phase it shows was not the ideal one at any moment while
    # it was being computed and painted.
    wrong = [
        (t, shown)
        for t, painted, shown in frames
        if shown is not None
        and t < start + practice_s
        and shown not in (ideal_phase(marks, t), ideal_phase(marks, painted))
    ]
    worst = max(lags) if lags else float("nan")
    mean = sum(lags) / len(lags) if lags else float("nan")

    # 3. Hidden: a practice under way, its window hidden.
    RecordingPacer.clock = None
    hidden_player = PlayerWindow(practice(600), clock, settings, NoSound(), save=save)
    hidden_player.show()
    spin(0.3)
    hidden_player.hide()
    wakeups = {"pacer-frame": 0, "player-tick": 0}
    hidden_player.pacer.timer.timeout.connect(
        lambda: wakeups.__setitem__("pacer-frame", wakeups["pacer-frame"] + 1)
    )
    tick_timer = hidden_player.findChild(QTimer, "player-tick")
    assert tick_timer is not None
    tick_timer.timeout.connect(
        lambda: wakeups.__setitem__("player-tick", wakeups["player-tick"] + 1)
    )
    pacer_active = hidden_player.pacer.timer.isActive()
    hidden = measure(side_s)
    pacer_active_after = hidden_player.pacer.timer.isActive()
    hidden_player.close()

    # Report.
    def ms(seconds: float) -> str:
        real = seconds / rate * 1000
        return f"{real:.2f} ms" + (
            "" if rate == 1 else f" real ({seconds * 1000:.1f} ms of practice)"
        )

    def line(label: str, value: str) -> None:
        print(f"{label:<34}{value}")

    print()
    line("phase boundaries checked", f"{len(marks)} ({missing} not shown on time)")
    line("frames painted", f"{len(frames)} ({len(frames) / animating.wall:.1f} per second)")
    line("largest phase error", f"{ms(worst)}   budget < {FRAME_BUDGET_MS:.1f} ms")
    line("mean phase error", ms(mean))
    line("frames showing a wrong phase", str(len(wrong)))
    if ended:
        end_at, state = ended[0]
        line(
            "end noticed after ideal end",
            f"{ms(end_at - (start + exercise.total_seconds))}   (completed={state.completed}, "
            f"{state.elapsed_active_seconds:.3f} s active)",
        )
    else:
        line("end noticed", "NOT within the run")
    print()
    line("CPU, bare QWidget (floor)", f"{floor.percent:.2f} % of one core over {floor.wall:.1f} s")
    line(
        "CPU, player animating",
        f"{animating.percent:.2f} % over {animating.wall:.1f} s   budget < 5 %",
    )
    if rate != 1:
        print(
            f"  (compressed {rate:g}x, the circle moves {rate:g}x faster, so more frames are "
            "drawn than in use; take CPU from --quick or --full)"
        )
    line("CPU, player hidden", f"{hidden.percent:.2f} % over {hidden.wall:.1f} s   budget: nothing")
    line(
        "  while hidden",
        f"pacer timer active {pacer_active}/{pacer_active_after} (start/end); "
        f"wake-ups: pacer {wakeups['pacer-frame']}, player {wakeups['player-tick']}",
    )
    if leak > 0:
        line("None refs lost while animating", f"{none_lost / animating.wall:.0f} per second")
    journal.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
