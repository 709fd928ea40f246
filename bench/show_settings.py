"""Open the settings window or today's plan with sample data, to look at them.

    python bench/show_settings.py settings            # Schedule tab, standing week
    python bench/show_settings.py calendar            # Schedule tab, calendars, a Test run
    python bench/show_settings.py day|practice|system # the other tabs
    python bench/show_settings.py export              # System tab after an export
    python bench/show_settings.py refused             # a value refused on Save (Day tab)
    python bench/show_settings.py delete              # the "Delete all my data" confirmation
    python bench/show_settings.py plan                # Today's plan (the real planner)
    python bench/show_settings.py settings --scale 1.5

Everything happens in a throwaway data folder (removed at exit). The real keyring and
the real start-at-login entry are never touched. The window runs on a fake clock set to
the shown day at 08:00, as the app's `--demo` clock would be. `COMPANION_LANG=pseudo`
shows the pseudo-locale. To look at it on a virtual desktop:

    ../shared/tools/desktop-shot --out /tmp/shots --at 4 -- \\
        .venv/bin/python bench/show_settings.py plan

(add `--do '3:import -window "$(xdotool search --name PLAN | head -1)" OUT.png'` to
save just the window).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

TABS = {
    "settings": 0,
    "calendar": 0,
    "day": 1,
    "refused": 0,
    "practice": 2,
    "system": 3,
    "export": 3,
    "delete": 3,
}


class NoAutostart:
    """Stands in for companion.runtime.autostart: nothing is written."""

    def __init__(self) -> None:
        self.on = False

    def enable(self, command: list[str]) -> str:
        self.on = True
        return "(not written: bench)"

    def disable(self) -> bool:
        self.on = False
        return True

    def is_enabled(self) -> bool:
        return self.on


def sample_ics(folder: Path, day: date) -> Path:
    """Today's sessions with made-up titles (the Test must never show them)."""
    d = day.strftime("%Y%m%d")
    events = [
        ("0900", "0950", "Client A"),
        ("1000", "1050", "Intake: client B"),
        ("1100", "1150", "Client C"),
        ("1300", "1350", "Client D"),
        ("1400", "1450", "Client E"),
    ]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    for i, (a, b, title) in enumerate(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{i}",
            f"DTSTART:{d}T{a}00",
            f"DTEND:{d}T{b}00",
            f"SUMMARY:{title}",
            "END:VEVENT",
        ]
    lines += ["END:VCALENDAR", ""]
    path = folder / "practice-calendar.ics"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=[*TABS, "plan"], nargs="?", default="settings")
    parser.add_argument("--scale", type=float, default=1.0, help="QT_SCALE_FACTOR, e.g. 1.5")
    parser.add_argument("--date", help="the plan's day, YYYY-MM-DD (default: today, or Monday)")
    parser.add_argument("--quit-after", type=float, default=0, help="seconds; 0 = stay open")
    args = parser.parse_args()
    # bench/calendar.py would shadow the standard library's `calendar` (icalendar needs it).
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    sys.path.insert(0, str(here.parent))

    tmp = tempfile.TemporaryDirectory(prefix="companion-bench-")
    os.environ["COMPANION_DATA_DIR"] = tmp.name
    os.environ.pop("COMPANION_CONFIG_DIR", None)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)

    from PySide6.QtCore import QTime, QTimer
    from PySide6.QtWidgets import QApplication

    from companion.core.calendar.week import week_sessions
    from companion.core.clock import FakeClock, local_zone
    from companion.core.exercises import load_library
    from companion.core.paths import resolve_paths
    from companion.core.planner import plan_day
    from companion.core.settings import CalendarSource, Settings, WeeklySession
    from companion.runtime.settings_store import SettingsStore
    from companion.ui import style, text
    from companion.ui.plan_dialog import PlanDialog
    from companion.ui.settings import SettingsWindow

    app = QApplication(sys.argv[:1])
    style.apply(app)
    text.install()
    paths = resolve_paths().ensure()
    library = load_library(paths.user_practices)
    today = date.today()
    if args.date:
        today = date.fromisoformat(args.date)
    elif today.weekday() > 4:  # the sample week has no weekend sessions
        today += timedelta(days=7 - today.weekday())

    heavy_at = {"10:00", "14:00"}
    week = tuple(
        WeeklySession(d, f"{h:02d}:00", 50, heavy=f"{h:02d}:00" in heavy_at and d < 4)
        for d in range(5)
        for h in (9, 10, 11, 13, 14, 15, 16)
        if not (d == 4 and h > 13)  # Friday ends early
    )
    settings = Settings(
        week=week,
        favourite_practices=("box-5", "body-scan-5"),
        heavy_keywords=("intake", "assessment"),
        exclude_keywords=("lunch", "admin"),
    )

    if args.what == "plan":
        plain = settings.with_changes(favourite_practices=())  # show the planner's own choice
        plan = plan_day(week_sessions(plain, today), plain, today, library)
        window = PlanDialog(plan, titles={ex.id: ex.title for ex in library})
    else:
        if args.what == "calendar":
            ics = sample_ics(Path(tmp.name), today)
            settings = settings.with_changes(
                schedule_source="calendar",
                calendars=(
                    CalendarSource("bench-url", "url", label="https://calendar.google.com/…"),
                    CalendarSource("bench-file", "file", path=str(ics), label=ics.name),
                ),
            )
        store = SettingsStore(paths.settings)
        store.replace(settings)
        window = SettingsWindow(
            store,
            paths,
            practices=[(ex.id, ex.title) for ex in library],
            clock=FakeClock(datetime(today.year, today.month, today.day, 8, tzinfo=local_zone())),
            autostart=NoAutostart(),
        )
        window.tabs.setCurrentIndex(TABS[args.what])
        if args.what == "settings":
            window.schedule.week.days.setCurrentRow(0)
            window.schedule.week.table.setCurrentCell(1, 0)
        if args.what == "delete":
            QTimer.singleShot(300, window.ask_delete_all)  # Keep my data is the default
        if args.what == "calendar":
            window.schedule.calendars.calendar_list.setCurrentRow(1)
            QTimer.singleShot(300, window.schedule.calendars.test_selected)
        if args.what == "export":
            out = Path(tmp.name) / "journal-export.json"
            window.system.choose_export_target = lambda fmt: str(out)
            QTimer.singleShot(300, window.system.export_journal)
        if args.what == "refused":
            window.day.working_end.setTime(QTime(7, 0))
            QTimer.singleShot(300, window.save)  # refused: the Day tab opens on the field
    window.show()
    if args.quit_after:
        QTimer.singleShot(int(args.quit_after * 1000), app.quit)
    code = app.exec()
    tmp.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
