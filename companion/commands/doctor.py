"""`companion doctor [--json]`: is everything this app needs in place, and if not, what to do."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

# Shared libraries Qt's xcb platform plugin loads, and the Debian/Ubuntu package of each.
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libX11-xcb.so.1": "libx11-xcb1",
}

_TRAY_PROBE = """
import sys
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
app = QApplication(sys.argv[:1])
print("tray" if QSystemTrayIcon.isSystemTrayAvailable() else "no-tray")
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "doctor",
        help="check the data folder, journal, settings, calendar, tray and sound",
        description="Check that everything Grounding Companion needs is in place.",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def _check(name: str, ok: bool, detail: str, fix: str = "") -> dict[str, Any]:
    return {"check": name, "ok": ok, "detail": detail, "fix": fix}


def check_folder(data: Path) -> dict[str, Any]:
    from companion.core.files import mode_of

    mode = mode_of(data)
    ok = os.name != "posix" or mode == 0o700
    return _check(
        "data folder",
        ok,
        f"{data} (mode {mode:o})",
        "" if ok else f"chmod 700 {data}",
    )


def check_files(paths: Any) -> dict[str, Any]:
    from companion.core.files import mode_of

    loose = []
    for root, _dirs, names in os.walk(paths.data):
        for name in names:
            p = Path(root) / name
            if os.name == "posix" and mode_of(p) & 0o077:
                loose.append(str(p))
    ok = not loose
    return _check(
        "file permissions",
        ok,
        "every file is private (0600)" if ok else f"{len(loose)} files readable by others",
        "" if ok else f"chmod 600 {' '.join(loose[:3])}",
    )


def check_journal(args: argparse.Namespace) -> list[dict[str, Any]]:
    from companion.commands._common import paths_from
    from companion.core.clock import SystemClock
    from companion.core.journal import Journal, JournalError, read_status

    paths = paths_from(args)
    out = []
    journal = Journal(paths, SystemClock())
    try:
        journal.open()
        size = journal.size_bytes()
        count = journal.count()
        files = journal.files()
        out.append(
            _check(
                "journal",
                True,
                f"{count} records in {len(files)} file(s), {size / 1024:.0f} KiB",
            )
        )
    except JournalError as exc:
        out.append(_check("journal", False, str(exc)))
    finally:
        journal.close()
    notices = read_status(paths).get("journal_notices", [])
    for note in notices[-3:]:
        out.append(
            _check(
                "journal notice",
                False,
                f"{note.get('at', '')}: {note.get('text', '')}",
                "the old file was kept; look at it, then delete it when you no longer need it",
            )
        )
    backups = sorted(p.name for p in paths.backups.iterdir()) if paths.backups.exists() else []
    out.append(
        _check(
            "backups",
            bool(backups),
            f"{len(backups)} daily copies in {paths.backups}"
            + (f", newest {backups[-1]}" if backups else ""),
        )
    )
    return out


def check_settings(args: argparse.Namespace) -> dict[str, Any]:
    from companion.commands._common import paths_from
    from companion.core.settings import SettingsError, load_settings

    path = paths_from(args).settings
    try:
        load_settings(path)
    except SettingsError as exc:
        return _check("settings", False, str(exc), "fix the value, or move the file aside")
    return _check(
        "settings",
        True,
        f"{path}" if path.exists() else f"built-in defaults ({path} not written yet)",
    )


def check_calendar(args: argparse.Namespace) -> list[dict[str, Any]]:
    try:
        from companion.core.calendar import report as calcache
    except ImportError:
        return []
    from companion.commands._common import paths_from, settings_from

    report = getattr(calcache, "doctor_report", None)
    if report is None:
        return []
    rows: list[dict[str, Any]] = []
    for ok, detail, fix in report(paths_from(args), settings_from(args)):
        rows.append(_check("calendar", ok, detail, fix))
    return rows


def qt_version() -> str:
    try:
        import PySide6

        return str(PySide6.__version__)
    except ImportError:
        return ""


def missing_xcb_libraries() -> list[str]:
    """Debian packages for libraries Qt's xcb plugin needs but cannot find (via ldd)."""
    try:
        import PySide6
    except ImportError:
        return []
    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists() or not shutil.which("ldd"):
        return []
    try:
        out = subprocess.run(
            ["ldd", str(plugin)], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    missing = []
    for line in out.splitlines():
        if "not found" in line:
            lib = line.split("=>")[0].strip()
            missing.append(XCB_PACKAGES.get(lib, lib))
    return sorted(set(missing))


def check_display() -> list[dict[str, Any]]:
    rows = []
    if sys.platform.startswith("linux"):
        missing = missing_xcb_libraries()
        rows.append(
            _check(
                "Qt libraries",
                not missing,
                "Qt's X11 (xcb) libraries are installed"
                if not missing
                else f"missing: {', '.join(missing)}",
                "" if not missing else f"sudo apt install {' '.join(missing)}",
            )
        )
    has_display = bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform != "linux"
    )
    if not has_display and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        rows.append(_check("system tray", False, "no desktop session found (DISPLAY is not set)"))
        return rows
    try:
        probe = subprocess.run(
            [sys.executable, "-c", _TRAY_PROBE],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        answer = probe.stdout.strip().splitlines()[-1:] or [""]
    except (OSError, subprocess.TimeoutExpired):
        answer = [""]
    if answer[0] == "tray":
        rows.append(_check("system tray", True, "available"))
    elif answer[0] == "no-tray":
        rows.append(
            _check(
                "system tray",
                False,
                "not available; the app will show a small window instead",
                "on GNOME, install the AppIndicator extension (gnome-shell-extension-appindicator)",
            )
        )
    else:
        rows.append(_check("system tray", False, "Qt could not start a window on this display"))
    return rows


def check_audio() -> dict[str, Any]:
    try:
        from companion.runtime import sound
    except ImportError:
        return _check("sound", False, "sound support is not installed")
    player = sound.detect_player()
    if player:
        return _check("sound", True, f"chimes play through {player}")
    return _check(
        "sound",
        False,
        "no audio player found; practices will be silent",
        sound.install_hint(),
    )


def run(args: argparse.Namespace) -> int:
    from companion import __version__
    from companion.commands._common import paths_from

    paths = paths_from(args)
    rows = [
        _check("version", True, f"Grounding Companion {__version__}"),
        _check("python", True, f"Python {platform.python_version()} on {platform.platform()}"),
        _check("qt", bool(qt_version()), f"PySide6 {qt_version() or 'not installed'}"),
        check_folder(paths.data),
        *check_journal(args),
        check_files(paths),
        check_settings(args),
        *check_calendar(args),
        *check_display(),
        check_audio(),
    ]
    if args.json:
        print(json.dumps({"ok": all(r["ok"] for r in rows), "checks": rows}, indent=2))
        return 0
    width = max(len(r["check"]) for r in rows)
    for r in rows:
        mark = "ok " if r["ok"] else "!! "
        print(f"{mark}{r['check']:<{width}}  {r['detail']}")
        if r["fix"]:
            print(f"   {'':<{width}}  fix: {r['fix']}")
    return 0
