"""Open the welcome window on a throwaway data folder, to look at it (screenshots).

    python bench/show_welcome.py                   # a first start
    python bench/show_welcome.py --screen 2        # open on a screen (0 = what will happen,
                                                   # 1 = schedule ... 5 = the coming day)
    python bench/show_welcome.py --calendar        # the schedule as a calendar file, tested
    python bench/show_welcome.py --differ          # the quick week with "Days that differ"
    python bench/show_welcome.py --no-player       # the sound check without an audio player
    python bench/show_welcome.py --again           # "How it works" on a confirmed week
    COMPANION_LANG=pseudo QT_SCALE_FACTOR=1.5 python bench/show_welcome.py

Nothing real is touched: the data folder is a temporary one (removed at exit), the
keyring is the null one, start at login is a stand-in, and sound plays through a
stand-in that only prints (or, with --real-sound, through this machine's player). The
clock is fixed at 08:00 on the next weekday. On a virtual desktop:

    ../shared/tools/desktop-shot --out /tmp/shots --at 3,6 \\
        --do '4:xdotool key Return' -- .venv/bin/python bench/show_welcome.py

When the window closes the script prints what was saved, then quits.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path


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


class PrintedSound:
    """Stands in for companion.runtime.sound.Sound: prints what it would play."""

    def __init__(self, *, player: bool) -> None:
        self.player = player
        self.level = "normal"

    def available(self) -> bool:
        return self.player

    def play(self, event: str) -> None:
        print(f"sound: {event}", flush=True)

    def set_level(self, level: str) -> None:
        self.level = level


def sample_ics(folder: Path, day: date) -> Path:
    """Sessions at a quarter past on `day` and the next days, with made-up titles."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    for offset in range(7):
        d = (day + timedelta(days=offset)).strftime("%Y%m%d")
        for i, (a, b, title) in enumerate(
            [
                ("0915", "1005", "Client A"),
                ("1015", "1105", "Intake: client B"),
                ("1115", "1205", "Client C"),
                ("1230", "1315", "Lunch"),
                ("1315", "1405", "Client D"),
                ("1415", "1505", "Client E"),
            ]
        ):
            lines += [
                "BEGIN:VEVENT",
                f"UID:bench-{offset}-{i}",
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
    parser.add_argument("--screen", type=int, default=0, help="open on this screen (0-5)")
    parser.add_argument("--grab", metavar="PNG", help="save the window to PNG and quit")
    parser.add_argument("--calendar", action="store_true", help="a calendar file, tested")
    parser.add_argument("--differ", action="store_true", help="show Days that differ")
    parser.add_argument("--no-player", action="store_true", help="no audio player")
    parser.add_argument("--real-sound", action="store_true", help="this machine's player")
    parser.add_argument("--again", action="store_true", help="a confirmed week (How it works)")
    parser.add_argument("--quit-after", type=float, default=0, help="seconds; 0 = stay open")
    args = parser.parse_args()
    # bench/calendar.py would shadow the standard library's `calendar` (icalendar needs it).
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    sys.path.insert(0, str(here.parent))

    tmp = tempfile.TemporaryDirectory(prefix="companion-welcome-")
    os.environ["COMPANION_DATA_DIR"] = tmp.name
    os.environ.pop("COMPANION_CONFIG_DIR", None)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from companion.core.clock import FakeClock, local_zone
    from companion.core.exercises import load_library
    from companion.core.paths import resolve_paths
    from companion.core.quick_week import Gap, QuickWeek, build
    from companion.core.settings import Settings, load_settings, to_dict
    from companion.runtime.settings_store import SettingsStore
    from companion.ui import style, text
    from companion.ui.welcome import WelcomeWindow

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Grounding Companion")
    style.apply(app)
    text.install()
    paths = resolve_paths().ensure()
    library = load_library(paths.user_practices)
    day = date.today() + timedelta(days=1)
    while day.weekday() > 4:
        day += timedelta(days=1)
    clock = FakeClock(datetime(day.year, day.month, day.day, 8, tzinfo=local_zone()))

    store = SettingsStore(paths.settings)
    if args.again:
        spec = QuickWeek(
            days=frozenset({0, 1, 2, 3}), first="09:15", last="16:15", gap=Gap("12:15", "13:15")
        )
        store.replace(Settings(week=build(spec), grace_minutes=5, schedule_confirmed=True))
    if args.real_sound:
        from companion.runtime.sound import Sound

        sound: object = Sound("normal")
    else:
        sound = PrintedSound(player=not args.no_player)
    window = WelcomeWindow(store, paths, library, clock=clock, sound=sound, autostart=NoAutostart())
    schedule = window.schedule
    if args.calendar:
        ics = sample_ics(Path(tmp.name), day)
        schedule.use_calendar.setChecked(True)
        schedule.calendars.choose_calendar_file = lambda: str(ics)
        schedule.calendars.add_file()
        schedule.calendars.exclude_edit.setText("lunch")
        QTimer.singleShot(300, schedule.calendars.test_selected)
    if args.differ:  # a shorter Friday, set by hand in the week editor
        schedule.differ_toggle.setChecked(True)
        editor = schedule.editor
        editor.show_day(4)
        for _ in range(2):
            editor.table.setCurrentCell(editor.table.rowCount() - 1, 0)
            editor.remove_session()
    if args.screen:
        window.go(args.screen)

    def closed(confirmed: bool) -> None:
        saved = to_dict(load_settings(paths.settings)) if paths.settings.exists() else {}
        shown = {k: saved[k] for k in sorted(saved) if k != "week"}
        shown["week (sessions)"] = len(saved.get("week", []))
        print(f"finished({confirmed}); saved: {json.dumps(shown, default=str)}", flush=True)
        QTimer.singleShot(0, app.quit)

    window.finished.connect(closed)
    window.show()
    if args.differ:
        from companion.ui.welcome.steps import reveal

        QTimer.singleShot(200, lambda: reveal(schedule.differ_box))
    if args.quit_after:
        QTimer.singleShot(int(args.quit_after * 1000), window.close)
    if args.grab:  # for the README: the window alone, once laid out (and tested, if asked)

        def grab() -> None:
            window.grab().save(args.grab)
            print(f"saved {args.grab}", flush=True)
            app.quit()

        QTimer.singleShot(900, grab)
    code = app.exec()
    tmp.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
