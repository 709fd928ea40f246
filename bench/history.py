"""History window benchmark: five years of use, then open "Look back" and switch views.

    python bench/history.py [--years 5] [--runs 5]

Fills a journal with five years of believable use (bench/_sample.py: about 1,300
working days, ~40,000 records), then times, each from a freshly opened journal:

* opening the history window (construct, show, first paint processed);
* switching: week -> month, a month back four times (new data each time), month ->
  week, back to this week, and opening the glimmer jar (all glimmers);

next to the floor: showing a bare QWidget holding a QLabel in the same process.
Budget (issue 6): under 300 ms for opening and for each switch. Prints; asserts nothing.
Uses the offscreen platform unless a display is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from _sample import pin_singletons, sample_records, write_bulk
    from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

    from companion.core.clock import FakeClock
    from companion.core.journal import Journal
    from companion.core.paths import resolve_paths
    from companion.core.settings import Settings
    from companion.ui import style
    from companion.ui.history import HistoryWindow

    pin_singletons()
    app = QApplication(sys.argv[:1])
    style.apply(app, dark=False)

    def settle(widget: QWidget) -> None:
        app.processEvents()
        widget.repaint()  # paint now, synchronously, what is visible
        app.processEvents()

    def timed(fn: Callable[[], object]) -> float:
        t = time.perf_counter()
        fn()
        return (time.perf_counter() - t) * 1000

    # the floor: a bare window with a label
    floors = []
    for _ in range(args.runs):

        def bare() -> None:
            w = QWidget()
            QVBoxLayout(w).addWidget(QLabel("Hello"))
            w.show()
            settle(w)
            w.close()
            w.deleteLater()

        floors.append(timed(bare))

    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(Path(tmp) / "data").ensure()
        now = datetime.combine(datetime.now().date(), dtime(17, 30)).astimezone()
        while now.weekday() >= 5:
            now -= timedelta(days=1)
        clock = FakeClock(now)
        seed = Journal(paths, clock, backups=False)
        t = time.perf_counter()
        records = sample_records(now.date(), 365 * args.years, now.tzinfo)  # type: ignore[arg-type]
        write_bulk(seed, records)
        fill_s = time.perf_counter() - t
        size = sum(p.stat().st_size for p in seed.files())
        print(
            f"history benchmark: {args.years} years, {len(records):,} records, "
            f"{size / 1e6:.1f} MB in {len(seed.files())} files (built in {fill_s:.1f} s); "
            f"platform {app.platformName()}; {args.runs} runs, each from a fresh journal"
        )
        print("budget: open < 300 ms, each switch < 300 ms (issue 6)")

        steps: list[tuple[str, Callable[[HistoryWindow], object]]] = [
            ("week -> month", lambda w: w.set_kind("month")),
            *[("a month back (x4)", lambda w: w.step(-1)) for _ in range(4)],
            ("month -> week", lambda w: w.set_kind("week")),
            ("back to this week", lambda w: w.back_to_now()),
            ("open the glimmer jar", lambda w: w.show_jar()),
        ]
        results: dict[str, list[float]] = {"open the window": []}
        for label, _ in steps:
            results.setdefault(label, [])
        for _ in range(args.runs):
            journal = Journal(paths, clock, backups=False).open()
            holder: list[HistoryWindow] = []

            def open_window(
                journal: Journal = journal, holder: list[HistoryWindow] = holder
            ) -> None:
                w = HistoryWindow(journal, clock, Settings())
                w.show()
                settle(w)
                holder.append(w)

            results["open the window"].append(timed(open_window))
            win = holder[0]
            for label, step in steps:
                results[label].append(timed(lambda step=step, w=win: (step(w), settle(w))))
            win.close()
            win.deleteLater()
            journal.close()
            app.processEvents()

    print(f"{'':<24}{'median ms':>10}{'max ms':>9}")
    print(f"{'floor: QWidget + QLabel':<24}{statistics.median(floors):>10.1f}{max(floors):>9.1f}")
    for label, times in results.items():
        print(f"{label:<24}{statistics.median(times):>10.1f}{max(times):>9.1f}")


if __name__ == "__main__":
    main()
