"""Start at login on Linux, macOS and Windows, against a temporary home and a fake registry."""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from pathlib import Path

import pytest

from companion import __version__
from companion.runtime import autostart
from companion.runtime.autostart import default_command, disable, enable, is_enabled

COMMAND = ["/opt/Grounding Companion/companion", "run"]
# Every character the Desktop Entry spec treats specially, in one awkward command.
TRICKY = [
    '/home/a b/My $HOME\'s "app"/back\\slash/`tick`/50%/companion',
    "--data-dir=~/x;y&z|w<v>u*t?s#r(q)",
    "plain",
]


def _unescape_string(value: str) -> str:
    """The Desktop Entry spec's escapes for string values."""
    table = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append(table.get(value[i + 1], value[i : i + 2]))
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _split_exec(value: str) -> list[str]:
    """Split an Exec value the way a desktop launcher does: unescape, unquote, undo %%."""
    text = _unescape_string(value)
    args: list[str] = []
    current: str | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == " ":
            if current is not None:
                args.append(current)
                current = None
            i += 1
        elif ch == '"':
            current = current or ""
            i += 1
            while text[i] != '"':
                if text[i] == "\\":
                    i += 1
                current += text[i]
                i += 1
            i += 1
        else:
            current = (current or "") + ch
            i += 1
    if current is not None:
        args.append(current)
    return [a.replace("%%", "%") for a in args]


def _desktop_keys(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# -- Linux ---------------------------------------------------------------------------------


def test_linux_entry_in_xdg_autostart(tmp_path: Path) -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"])
    assert not is_enabled(platform="linux")
    where = enable(COMMAND, platform="linux")
    path = config / "autostart" / "grounding-companion.desktop"
    assert where == str(path)
    assert is_enabled(platform="linux")
    assert _mode(path) == 0o600
    keys = _desktop_keys(path)
    assert keys["Type"] == "Application"
    assert keys["Name"] == "Grounding Companion"
    assert _split_exec(keys["Exec"]) == COMMAND

    assert disable(platform="linux") is True
    assert not path.exists()
    assert not is_enabled(platform="linux")
    assert disable(platform="linux") is False


def test_linux_exec_survives_awkward_paths() -> None:
    path = Path(enable(TRICKY, platform="linux"))
    assert _split_exec(_desktop_keys(path)["Exec"]) == TRICKY


def test_linux_enable_twice_keeps_one_entry_with_the_new_command() -> None:
    enable(COMMAND, platform="linux")
    path = Path(enable(["/usr/bin/companion"], platform="linux"))
    assert sorted(p.name for p in path.parent.iterdir()) == ["grounding-companion.desktop"]
    assert _split_exec(_desktop_keys(path)["Exec"]) == ["/usr/bin/companion"]


def test_linux_entry_switched_off_by_the_desktop_reads_as_off() -> None:
    path = Path(enable(COMMAND, platform="linux"))
    text = path.read_text().replace(
        "X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"
    )
    path.write_text(text)
    assert not is_enabled(platform="linux")
    path.write_text(text.replace("=false", "=true") + "Hidden=true\n")
    assert not is_enabled(platform="linux")
    enable(COMMAND, platform="linux")
    assert is_enabled(platform="linux")


def test_linux_honours_xdg_config_home_and_an_explicit_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(elsewhere))
    assert Path(enable(COMMAND, platform="linux")).parent == elsewhere / "autostart"

    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/config")  # invalid: ignored, as specified
    assert Path(enable(COMMAND, platform="linux")).parent == Path.home() / ".config/autostart"

    other = tmp_path / "other-home"
    path = Path(enable(COMMAND, home=other, platform="linux"))
    assert path == other / ".config/autostart/grounding-companion.desktop"
    assert is_enabled(home=other, platform="linux")
    assert not is_enabled(home=tmp_path / "nobody", platform="linux")


def test_broken_entry_reads_as_off() -> None:
    path = autostart.entry_path(platform="linux")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe not a desktop file")
    assert not is_enabled(platform="linux")


def test_command_must_be_real() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        enable([], platform="linux")
    with pytest.raises(ValueError, match="line break"):
        enable(["companion", "a\nb"], platform="linux")
    assert not is_enabled(platform="linux")


# -- macOS ---------------------------------------------------------------------------------


def test_macos_launch_agent(tmp_path: Path) -> None:
    home = tmp_path / "mac-home"
    assert not is_enabled(home=home, platform="darwin")
    where = Path(enable(TRICKY, home=home, platform="darwin"))
    assert where == home / "Library/LaunchAgents/org.grounding-companion.companion.plist"
    assert _mode(where) == 0o600
    data = plistlib.loads(where.read_bytes())
    assert data["Label"] == "org.grounding-companion.companion"
    assert data["ProgramArguments"] == TRICKY
    assert data["RunAtLoad"] is True
    assert is_enabled(home=home, platform="darwin")

    data["Disabled"] = True
    where.write_bytes(plistlib.dumps(data))
    assert not is_enabled(home=home, platform="darwin")

    assert disable(home=home, platform="darwin") is True
    assert not where.exists()
    assert not is_enabled(home=home, platform="darwin")


# -- Windows -------------------------------------------------------------------------------


class FakeKey:
    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> FakeKey:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeWinreg:
    """The slice of `winreg` autostart uses, with its error behaviour."""

    HKEY_CURRENT_USER = 0x80000001
    KEY_QUERY_VALUE = 0x0001
    KEY_SET_VALUE = 0x0002
    REG_SZ = 1
    REG_BINARY = 3

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, tuple[object, int]]] = {}

    def _check_root(self, root: int) -> None:
        assert root == self.HKEY_CURRENT_USER  # never machine-wide

    def CreateKeyEx(self, root: int, path: str, reserved: int = 0, access: int = 0) -> FakeKey:
        self._check_root(root)
        self.keys.setdefault(path, {})
        return FakeKey(path)

    def OpenKey(self, root: int, path: str, reserved: int = 0, access: int = 0) -> FakeKey:
        self._check_root(root)
        if path not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return FakeKey(path)

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, kind: int, value: object) -> None:
        assert kind == self.REG_SZ and isinstance(value, str)
        self.keys[key.path][name] = (value, kind)

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[object, int]:
        try:
            return self.keys[key.path][name]
        except KeyError:
            raise FileNotFoundError(2, "The system cannot find the file specified") from None

    def DeleteValue(self, key: FakeKey, name: str) -> None:
        if name not in self.keys[key.path]:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del self.keys[key.path][name]


def test_windows_run_value() -> None:
    reg = FakeWinreg()
    command = [r"C:\Program Files\Grounding Companion\companion.exe", "run"]
    assert not is_enabled(platform="win32", registry=reg)
    assert disable(platform="win32", registry=reg) is False

    where = enable(command, platform="win32", registry=reg)
    assert where.endswith(r"Software\Microsoft\Windows\CurrentVersion\Run\Grounding Companion")
    value, _ = reg.keys[autostart.RUN_KEY]["Grounding Companion"]
    assert value == r'"C:\Program Files\Grounding Companion\companion.exe" run'
    assert is_enabled(platform="win32", registry=reg)

    assert disable(platform="win32", registry=reg) is True
    assert "Grounding Companion" not in reg.keys[autostart.RUN_KEY]
    assert not is_enabled(platform="win32", registry=reg)


def test_windows_switched_off_in_task_manager_reads_as_off_until_enabled_again() -> None:
    reg = FakeWinreg()
    enable(COMMAND, platform="win32", registry=reg)
    approved = reg.keys.setdefault(autostart.STARTUP_APPROVED_KEY, {})
    approved["Grounding Companion"] = (b"\x03" + bytes(11), FakeWinreg.REG_BINARY)
    assert not is_enabled(platform="win32", registry=reg)

    enable(COMMAND, platform="win32", registry=reg)
    assert is_enabled(platform="win32", registry=reg)
    assert "Grounding Companion" not in approved


def test_windows_writes_no_file(tmp_path: Path) -> None:
    enable(COMMAND, home=tmp_path, platform="win32", registry=FakeWinreg())
    assert list(tmp_path.rglob("*.desktop")) == []
    assert list(tmp_path.rglob("*.plist")) == []


# -- the command itself ----------------------------------------------------------------------


def test_default_command_starts_this_installation() -> None:
    command = default_command()
    assert command[-1] == "run"
    result = subprocess.run(
        [*command[:-1], "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert __version__ in result.stdout


def test_default_command_in_a_frozen_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/companion/companion")
    assert default_command() == ["/opt/companion/companion", "run"]
