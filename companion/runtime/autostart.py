"""Start at login: an XDG autostart entry, a macOS LaunchAgent or a Windows Run value.

    enable(default_command())     # returns where it was written, for the settings window
    is_enabled()
    disable()

Every function takes `home` (a folder to treat as the user's home; tests pass a
temporary one) and `platform` (a `sys.platform` value), and on Windows `registry`, an
object with the `winreg` functions used here, so all three platforms are testable
anywhere. `winreg` itself is imported only on Windows, only when no registry is given.

Files we write are ours and 0600, written atomically. Failures (a read-only home, a
registry refusing access) raise OSError for the caller to show.
"""

from __future__ import annotations

import configparser
import os
import plistlib
import subprocess
import sys
from pathlib import Path
from typing import Any

from companion.core.files import write_atomic

APP_ID = "grounding-companion"
APP_NAME = "Grounding Companion"
LAUNCH_AGENT_LABEL = "org.grounding-companion.companion"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
# Task Manager's "Startup apps" switch: a binary value whose first byte is even when on.
STARTUP_APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
RUN_VALUE = APP_NAME

# Characters the Desktop Entry spec reserves in an Exec argument (they force quoting).
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def default_command() -> list[str]:
    """How to start the tray app from this installation."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "run"]
    return [sys.executable, "-m", "companion", "run"]


def enable(
    command: list[str],
    *,
    home: Path | None = None,
    platform: str | None = None,
    registry: Any = None,
) -> str:
    """Start `command` at every login; returns where that was recorded."""
    if not command or not all(command):
        raise ValueError("the start-at-login command must be a non-empty list of arguments")
    platform = platform or sys.platform
    if platform == "win32":
        return _enable_windows(command, _winreg(registry))
    path = entry_path(home=home, platform=platform)
    if platform == "darwin":
        write_atomic(path, _launch_agent(command), private_dir=False)
    else:
        write_atomic(path, _desktop_entry(command).encode("utf-8"), private_dir=False)
    return str(path)


def disable(*, home: Path | None = None, platform: str | None = None, registry: Any = None) -> bool:
    """Stop starting at login; True if there was something to remove."""
    platform = platform or sys.platform
    if platform == "win32":
        return _disable_windows(_winreg(registry))
    path = entry_path(home=home, platform=platform)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def is_enabled(
    *, home: Path | None = None, platform: str | None = None, registry: Any = None
) -> bool:
    """Whether the app will start at the next login (also false when the desktop's own
    startup settings switched our entry off)."""
    platform = platform or sys.platform
    if platform == "win32":
        return _is_enabled_windows(_winreg(registry))
    path = entry_path(home=home, platform=platform)
    if platform == "darwin":
        return _launch_agent_enabled(path)
    return _desktop_entry_enabled(path)


def entry_path(*, home: Path | None = None, platform: str | None = None) -> Path:
    """The file that holds the entry (not used on Windows)."""
    platform = platform or sys.platform
    if platform == "win32":
        raise ValueError("on Windows start at login is a registry value, not a file")
    if platform == "darwin":
        base = home if home is not None else Path.home()
        return base / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
    return _xdg_config_home(home) / "autostart" / f"{APP_ID}.desktop"


# -- Linux and other XDG desktops ------------------------------------------------------------


def _xdg_config_home(home: Path | None) -> Path:
    if home is not None:
        return home / ".config"
    configured = os.environ.get("XDG_CONFIG_HOME", "")
    # The spec says a relative value is invalid and must be ignored.
    if configured and os.path.isabs(configured):
        return Path(configured)
    return Path.home() / ".config"


def exec_line(command: list[str]) -> str:
    """`command` as the value of a desktop entry's Exec key.

    An argument with a reserved character is double-quoted, with `"`, `` ` ``, `$` and
    `\\` backslash-escaped inside; a literal `%` is doubled; then the whole value gets
    the string escape for backslashes (so a literal `\\` ends up as four).
    """
    parts = []
    for arg in command:
        if any(ch in arg for ch in "\n\r\0"):
            raise ValueError(f"a start-at-login argument cannot hold a line break: {arg!r}")
        word = arg.replace("%", "%%")
        if any(ch in _EXEC_RESERVED for ch in word):
            inner = "".join("\\" + ch if ch in '"`$\\' else ch for ch in word)
            word = f'"{inner}"'
        parts.append(word.replace("\\", "\\\\"))
    return " ".join(parts)


def _desktop_entry(command: list[str]) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            f"Name={APP_NAME}",
            "Comment=Short grounding practices between sessions",
            f"Exec={exec_line(command)}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "NoDisplay=false",
            "X-GNOME-Autostart-enabled=true",
            # Give the panel a moment, so the tray is there when we ask for it.
            "X-GNOME-Autostart-Delay=5",
            "X-KDE-autostart-after=panel",
            "",
        ]
    )


def _desktop_entry_enabled(path: Path) -> bool:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, configparser.Error):
        return False
    if not parser.has_section("Desktop Entry"):
        return False
    entry = parser["Desktop Entry"]
    if entry.get("Hidden", "false").strip().lower() == "true":
        return False
    if entry.get("X-GNOME-Autostart-enabled", "true").strip().lower() == "false":
        return False
    return bool(entry.get("Exec", "").strip())


# -- macOS ---------------------------------------------------------------------------------


def _launch_agent(command: list[str]) -> bytes:
    return plistlib.dumps(
        {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "KeepAlive": False,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",  # the graphical login only, never over ssh
        }
    )


def _launch_agent_enabled(path: Path) -> bool:
    try:
        data = plistlib.loads(path.read_bytes())
    except (OSError, plistlib.InvalidFileException, ValueError):
        return False
    return (
        isinstance(data, dict)
        and bool(data.get("ProgramArguments"))
        and data.get("RunAtLoad") is True
        and data.get("Disabled") is not True
    )


# -- Windows -------------------------------------------------------------------------------


def _winreg(registry: Any) -> Any:
    if registry is not None:
        return registry
    import winreg

    return winreg


def _enable_windows(command: list[str], reg: Any) -> str:
    with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
        reg.SetValueEx(key, RUN_VALUE, 0, reg.REG_SZ, subprocess.list2cmdline(command))
    # If Task Manager had switched us off, turning the setting on means on.
    _delete_value(reg, STARTUP_APPROVED_KEY)
    return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{RUN_VALUE}"


def _disable_windows(reg: Any) -> bool:
    _delete_value(reg, STARTUP_APPROVED_KEY)
    return _delete_value(reg, RUN_KEY)


def _is_enabled_windows(reg: Any) -> bool:
    value = _query_value(reg, RUN_KEY)
    if not value:
        return False
    approved = _query_value(reg, STARTUP_APPROVED_KEY)
    return not (isinstance(approved, bytes | bytearray) and approved and approved[0] % 2 == 1)


def _query_value(reg: Any, key_path: str) -> object:
    try:
        with reg.OpenKey(reg.HKEY_CURRENT_USER, key_path, 0, reg.KEY_QUERY_VALUE) as key:
            value, _kind = reg.QueryValueEx(key, RUN_VALUE)
    except FileNotFoundError:
        return None
    return value


def _delete_value(reg: Any, key_path: str) -> bool:
    try:
        with reg.OpenKey(reg.HKEY_CURRENT_USER, key_path, 0, reg.KEY_SET_VALUE) as key:
            reg.DeleteValue(key, RUN_VALUE)
    except FileNotFoundError:
        return False
    return True
