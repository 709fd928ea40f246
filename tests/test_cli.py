"""The front door: one line on stderr for errors, the right exit codes, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from companion import __version__
from companion.cli import main


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "companion", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        check=False,
    )


def test_version_and_python_dash_m() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"companion {__version__}"


def test_glimmer_is_saved_with_one_confirming_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    assert main(["glimmer", "a", "client", "laughed", "--felt-in", "chest,whole body"]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1 and "saved" in out.lower()
    assert main(["export"]) == 0
    (record,) = json.loads(capsys.readouterr().out)["records"]
    assert record["text"] == "a client laughed"
    assert record["felt_in"] == ["chest", "whole body"]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["no-such-command"], 2),
        (["export", "--format", "pdf"], 2),
        (["glimmer", "--felt-in", "elbow", "x"], 1),
        (["export", "--format", "csv"], 1),
    ],
)
def test_errors_are_one_line_without_traceback(args: list[str], code: int) -> None:
    result = run_cli(*args)
    assert result.returncode == code
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("companion")


def test_unwritable_data_dir_is_a_one_line_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("--data-dir", str(blocker / "sub"), "glimmer", "x")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_doctor_reports_every_area(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert main(["doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    names = {c["check"] for c in report["checks"]}
    assert {"data folder", "journal", "settings", "python", "qt", "sound", "system tray"} <= names
    folder = next(c for c in report["checks"] if c["check"] == "data folder")
    assert folder["ok"] and str(data_dir) in folder["detail"]


def test_doctor_names_a_broken_settings_file(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    data_dir.mkdir(mode=0o700, parents=True)
    (data_dir / "settings.json").write_text('{"version": 2, "min_gap_minutes": 0}')
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x[3:].startswith("settings"))
    assert line.startswith("!!") and "min_gap_minutes" in line and "1-60" in line


@pytest.mark.parametrize("name", list(__import__("companion.cli").cli.COMMANDS))
def test_every_listed_command_exists_with_the_same_summary(name: str) -> None:
    """`companion --help` lists commands from a table (to start fast); each command's own
    module must register that name with the same summary."""
    import argparse
    import importlib

    from companion.cli import COMMANDS

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    importlib.import_module(f"companion.commands.{name}").add_parser(sub)
    (action,) = [a for a in sub._choices_actions if a.dest == name]
    assert " ".join(action.help.split()) == COMMANDS[name]


@pytest.mark.parametrize("args", [["run"], ["reflect"], ["glimmer"]])
def test_no_desktop_is_one_clear_line(args: list[str], tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["COMPANION_DATA_DIR"] = str(tmp_path / "d")
    result = subprocess.run(
        [sys.executable, "-m", "companion", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    if not sys.platform.startswith("linux"):
        pytest.skip("the check is for X11/Wayland desktops")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "companion: no desktop session found (neither DISPLAY nor WAYLAND_DISPLAY is set); "
        "start Grounding Companion from your desktop, or see `companion doctor`"
    ]
