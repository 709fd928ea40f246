"""Show the reflection or history window on sample data, without the tray (for screenshots).

    python bench/show_window.py reflect|history [--dark] [--days N] [--note] [--weekly]
                                               [--scale 1.5] [--jar] [--month] [--data-dir D]

Fills a throwaway data folder (or --data-dir) with N days of sample use ending
today at 17:05, then opens the window with today's date on a fixed clock. With
--note, the last week is strained so the gentle note shows; --weekly makes today the
weekly review day. Prints the window's geometry once it is shown. Look back reads its
history in a worker: it opens with "Loading…" and fills in a moment later (--grab
waits for the numbers). COMPANION_LANG=pseudo shows the pseudo-locale.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=("reflect", "history"))
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--note", action="store_true", help="a strained week: the note shows")
    parser.add_argument("--weekly", action="store_true", help="today is the weekly review day")
    parser.add_argument("--scale", type=float, default=0.0, help="QT_SCALE_FACTOR, e.g. 1.5")
    parser.add_argument("--jar", action="store_true", help="history: open on the glimmer jar")
    parser.add_argument("--month", action="store_true", help="history: open on the month view")
    parser.add_argument("--table", action="store_true", help="history: first chart as a table")
    parser.add_argument("--data-dir", help="use (and fill) this folder instead of a temp one")
    parser.add_argument("--filled", action="store_true", help="reflect: a half-written draft")
    parser.add_argument("--grab", metavar="PNG", help="save the window to PNG and quit")
    parser.add_argument("--size", metavar="WxH", help="resize the window (e.g. for --grab)")
    args = parser.parse_args()
    if args.scale:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)

    from _sample import pin_singletons, sample_records, write_bulk
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from companion.core.clock import FakeClock
    from companion.core.journal import Journal
    from companion.core.paths import resolve_paths
    from companion.core.records import ReflectionRecord
    from companion.core.settings import Settings
    from companion.ui import style
    from companion.ui.history import HistoryWindow

    folder = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="gc-show-"))
    paths = resolve_paths(folder).ensure()
    day = datetime.now().date()
    while day.weekday() >= 5:  # show a working day
        day -= timedelta(days=1)
    now = datetime.combine(day, time(17, 5)).astimezone()
    clock = FakeClock(now)
    journal = Journal(paths, clock, backups=False)
    today = now.date()
    if not journal.files():
        records = sample_records(today, args.days, now.tzinfo, today_until=time(17, 0))  # type: ignore[arg-type]
        if args.note:
            records = [
                r
                for r in records
                if not isinstance(r, ReflectionRecord) or r.on < today - timedelta(days=7)
            ]
            for n in range(1, 7):
                day = today - timedelta(days=n)
                records.append(
                    ReflectionRecord(
                        at=datetime.combine(day, time(17, 30)).astimezone(),
                        day=day,
                        still_with_me=8 if n < 5 else 4,
                        energy=3,
                        connected=6,
                        warning_signs=("intrusion", "body") if n % 2 else ("body",),
                    )
                )
        write_bulk(journal, records)
    journal.open()
    if args.filled:
        from companion.core.drafts import Draft, DraftStore

        DraftStore(paths).save(
            Draft(
                day=today,
                resilience="She told her story without losing the thread, and then laughed.",
                body="A warm, open feeling across my chest",
                still_with_me=4,
                energy=6,
            )
        )
    settings = Settings(weekly_review_day=today.weekday() if args.weekly else 4)

    pin_singletons()
    app = QApplication(sys.argv[:1])
    style.apply(app, dark=args.dark)
    if args.which == "reflect":
        from companion.core.writer import JournalWriter
        from companion.ui.reflection import ReflectionWindow

        win: QWidget = ReflectionWindow(
            journal,
            clock,
            settings,
            paths,
            save=JournalWriter(journal).save,
            today_sessions=7,
            today_heavy=3,
        )
    else:
        history = HistoryWindow(journal, clock, settings)
        if args.month:
            history.set_kind("month")
        if args.table:
            next(iter(history.cards.values())).toggle.setChecked(True)
        if args.jar:
            history.show_jar()
        win = history
    if args.size:
        w, h = (int(v) for v in args.size.split("x"))
        win.resize(w, h)
    win.show()
    win.raise_()
    win.activateWindow()

    def report() -> None:
        g = win.frameGeometry()
        print(f"window {g.width()}x{g.height()}+{g.x()}+{g.y()} data={folder}", flush=True)

    def grab() -> None:
        if isinstance(win, HistoryWindow) and (
            win.current is None or (args.jar and not win.jar.loaded)
        ):
            QTimer.singleShot(50, grab)  # the numbers are still being read
            return
        win.grab().save(args.grab)
        print(f"saved {args.grab}", flush=True)
        app.quit()

    QTimer.singleShot(800, report)
    if args.grab:
        QTimer.singleShot(300, grab)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
