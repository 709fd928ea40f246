"""A Qt warning fails the test that caused it (pyproject: qt_log_level_fail), and only the
offscreen platform's own noise is let through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
from PySide6.QtCore import qWarning


def test_emits_a_qt_warning(qtbot):
    qWarning("QWidget::setLayout: attempting to set a layout twice")


def test_emits_only_offscreen_noise(qtbot):
    qWarning("This plugin does not support raise()")
"""


def test_a_qt_warning_fails_its_test(tmp_path: Path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            str(probe),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert "1 failed, 1 passed" in out.stdout, out.stdout[-2000:]
    assert "test_emits_a_qt_warning" in out.stdout
