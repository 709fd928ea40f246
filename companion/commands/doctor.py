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

from companion.i18n import N_, _, ngettext

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

# Each check's name: the JSON keeps the English name (scripts select by it); the text report
# shows it in the person's language.
LABELS = {
    "version": N_("version"),
    "python": N_("python"),
    "qt": N_("qt"),
    "data folder": N_("data folder"),
    "journal": N_("journal"),
    "journal notice": N_("journal notice"),
    "set aside": N_("set aside"),
    "backups": N_("backups"),
    "file permissions": N_("file permissions"),
    "settings": N_("settings"),
    "calendar": N_("calendar"),
    "Qt libraries": N_("Qt libraries"),
    "system tray": N_("system tray"),
    "sound": N_("sound"),
    "voice": N_("voice"),
    "single instance": N_("single instance"),
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
        help=_("check the data folder, journal, settings, calendar, tray and sound"),
        description=_("Check that everything Grounding Companion needs is in place."),
    )
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    p.add_argument(
        "--dismiss",
        metavar="PATH",
        help=_("stop reporting a file that was set aside (the file itself is kept)"),
    )
    p.set_defaults(func=run)


def _check(name: str, ok: bool, detail: str, fix: str = "") -> dict[str, Any]:
    """One row: `name` is the check's English name (a key of LABELS); `detail` and `fix`
    are words for the person, already translated."""
    return {"check": name, "ok": ok, "detail": detail, "fix": fix}


def check_folder(data: Path) -> dict[str, Any]:
    from companion.core.files import mode_of

    mode = mode_of(data)
    ok = os.name != "posix" or mode == 0o700
    return _check(
        "data folder",
        ok,
        _("{path} (mode {mode:o})").format(path=data, mode=mode),
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
        _("every file is private (0600)")
        if ok
        else ngettext(
            "{n} file readable by others", "{n} files readable by others", len(loose)
        ).format(n=len(loose)),
        "" if ok else f"chmod 600 {' '.join(loose[:3])}",
    )


def check_journal(args: argparse.Namespace) -> list[dict[str, Any]]:
    from companion.commands._common import paths_from
    from companion.core.aside import set_aside
    from companion.core.clock import SystemClock
    from companion.core.journal import Journal, JournalError

    paths = paths_from(args)
    out = []
    journal = Journal(paths, SystemClock())
    try:
        journal.open()
        size = journal.size_bytes()
        count = journal.count()
        journal.all()  # what it reads is what export and Look back read: say what they leave out
        files = journal.files()
        out.append(
            _check(
                "journal",
                True,
                ngettext(
                    "{n} record in {files} file(s), {size:.0f} KiB",
                    "{n} records in {files} file(s), {size:.0f} KiB",
                    count,
                ).format(n=count, files=len(files), size=size / 1024),
            )
        )
        for line in journal.read_problems(set_aside_too=False):  # those have rows below
            out.append(_check("journal", False, line))
    except (JournalError, OSError) as exc:
        out.append(_check("journal", False, getattr(exc, "strerror", None) or str(exc)))
    finally:
        journal.close()
    for kept in set_aside(paths):
        out.append(
            _check(
                "set aside",
                False,
                kept.line(),
                _(
                    "look at it and delete it when you no longer need it; "
                    "`companion doctor --dismiss {path}` stops this note"
                ).format(path=kept.path),
            )
        )
    out.append(check_backups(paths, journal.backup_problem))
    return out


def check_backups(paths: Any, problem: str | None) -> dict[str, Any]:
    if problem:
        return _check("backups", False, problem, _("make room, or move what is in the way"))
    try:
        backups = sorted(
            p.name for p in paths.backups.iterdir() if p.is_dir() and not p.name.startswith(".")
        )
    except OSError:
        backups = []
    return _check(
        "backups",
        bool(backups),
        (
            ngettext(
                "{n} daily copy in {folder}, newest {newest}",
                "{n} daily copies in {folder}, newest {newest}",
                len(backups),
            )
            if backups
            else _("{n} daily copies in {folder}")
        ).format(n=len(backups), folder=paths.backups, newest=backups[-1] if backups else ""),
    )


def dismiss(args: argparse.Namespace) -> int:
    from companion.cli import UserError
    from companion.commands._common import paths_from
    from companion.core.aside import dismiss_set_aside

    try:
        kept = dismiss_set_aside(paths_from(args), args.dismiss)
    except LookupError as exc:
        raise UserError(str(exc.args[0])) from None
    print(_("{path} will no longer be reported; the file itself was kept").format(path=kept.path))
    return 0


def check_settings(args: argparse.Namespace) -> dict[str, Any]:
    from companion.commands._common import paths_from
    from companion.core.settings import SettingsError, load_settings

    path = paths_from(args).settings
    try:
        load_settings(path)
    except SettingsError as exc:
        return _check("settings", False, str(exc), _("fix the value, or move the file aside"))
    return _check(
        "settings",
        True,
        f"{path}"
        if path.exists()
        else _("built-in defaults ({path} not written yet)").format(path=path),
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
                _("Qt's X11 (xcb) libraries are installed")
                if not missing
                else _("missing: {packages}").format(packages=", ".join(missing)),
                "" if not missing else f"sudo apt install {' '.join(missing)}",
            )
        )
    has_display = bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform != "linux"
    )
    if not has_display and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        rows.append(
            _check("system tray", False, _("no desktop session found (DISPLAY is not set)"))
        )
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
        rows.append(_check("system tray", True, _("available")))
    elif answer[0] == "no-tray":
        rows.append(
            _check(
                "system tray",
                False,
                _("not available; the app will show a small window instead"),
                _(
                    "on GNOME, install the AppIndicator extension "
                    "(gnome-shell-extension-appindicator)"
                ),
            )
        )
    else:
        rows.append(_check("system tray", False, _("Qt could not start a window on this display")))
    return rows


def check_single(data: Path) -> list[dict[str, Any]]:
    """Only when something is wrong: the folder of the app's local socket not being the
    person's own (another user could pose as the running app)."""
    from companion.runtime import single

    problem = single.knock_problem(data)
    return [_check("single instance", False, problem)] if problem else []


def check_audio() -> dict[str, Any]:
    try:
        from companion.runtime import sound
    except ImportError:
        return _check("sound", False, _("sound support is not installed"))
    player = sound.detect_player()
    if player:
        return _check("sound", True, _("chimes play through {player}").format(player=player))
    return _check(
        "sound",
        False,
        _("no audio player found; practices will be silent"),
        sound.install_hint(),
    )


def check_voice() -> list[dict[str, Any]]:
    """The rendered voice of the shipped practices, and the system's voice for a person's
    own (not having one is no fault: those are guided by chimes)."""
    try:
        from companion.runtime import voice
    except ImportError:
        return []
    ok, line = voice.voice_status()
    rows = [_check("voice", ok, line, "" if ok else _("reinstall Grounding Companion"))]
    program = voice.system_voice()
    if program:
        detail = _("your own practices are spoken by {program}").format(program=program)
        rows.append(_check("voice", True, detail))
    else:
        detail = _("no system voice; your own practices are guided by chimes")
        rows.append(_check("voice", True, detail, voice.system_voice_hint()))
    return rows


def run(args: argparse.Namespace) -> int:
    from companion import __version__
    from companion.commands._common import paths_from

    if getattr(args, "dismiss", None):
        return dismiss(args)
    paths = paths_from(args)
    rows = [
        _check("version", True, _("Grounding Companion {version}").format(version=__version__)),
        _check(
            "python",
            True,
            _("Python {version} on {system}").format(
                version=platform.python_version(), system=platform.platform()
            ),
        ),
        _check(
            "qt",
            bool(qt_version()),
            _("PySide6 {version}").format(version=qt_version())
            if qt_version()
            else _("PySide6 not installed"),
        ),
        check_folder(paths.data),
        *check_single(paths.data),
        *check_journal(args),
        check_files(paths),
        check_settings(args),
        *check_calendar(args),
        *check_display(),
        check_audio(),
        *check_voice(),
    ]
    if args.json:
        print(json.dumps({"ok": all(r["ok"] for r in rows), "checks": rows}, indent=2))
        return 0
    print(report_text(rows))
    return 0


def report_text(rows: list[dict[str, Any]]) -> str:
    """The rows as aligned lines: a mark, the check's name, what was found; then the fix."""
    labels = [_(LABELS[r["check"]]) if r["check"] in LABELS else r["check"] for r in rows]
    good, bad = _("ok"), "!!"
    marks = max(len(good), len(bad)) + 1
    width = max(len(label) for label in labels)
    lines = []
    for r, label in zip(rows, labels, strict=True):
        mark = good if r["ok"] else bad
        lines.append(f"{mark:<{marks}}{label:<{width}}  {r['detail']}")
        if r["fix"]:
            fix = _("fix: {fix}").format(fix=r["fix"])
            lines.append(f"{'':<{marks}}{'':<{width}}  {fix}")
    return "\n".join(lines)
