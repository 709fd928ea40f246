"""The command line speaks through gettext: under the pseudo-locale every line of words a
person reads is wrapped in ⟦ ⟧ (so an unmarked string shows at once), while what a
program or a person types stays as it is (paths, times, options, command names)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from companion import i18n
from companion.cli import COMMANDS

# Words that are typed, not read: the program and its commands, an action and a positional
# argument's name as argparse shows them.
TYPED = {"companion", "check", "text", *COMMANDS}
# A token that is data: an option (-h, --date), usage syntax ([--json], {json,csv}), a path
# or zone (/tmp/x, Etc/UTC), a metavar (PATH_OR_URL, YYYY-MM-DD), a number or a time.
DATA = re.compile(r"^[\[(]*(?:-|\$|\{|/|[^a-zA-Z]*$|[A-Z0-9_.-]+[\])]*[,.]*$|\S*/)")
LETTERS = re.compile(r"[^\W\d_]")


def without_wrapped(text: str) -> str:
    """`text` with every ⟦…⟧ span taken out. Spans nest (a practice title inside a line)
    and may run over lines (argparse wraps long help), so this counts brackets."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch == i18n.OPEN:
            depth += 1
        elif ch == i18n.CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 or ch == "\n":
            out.append(ch)
    return "".join(out)


def unmarked(text: str) -> list[str]:
    """The lines that still hold a word once the wrapped text is gone."""
    bad = []
    for line in without_wrapped(text).splitlines():
        words = [
            token
            for token in line.split()
            if LETTERS.search(token)
            and token.strip("[](){},.") not in TYPED
            and not DATA.match(token)
        ]
        if words:
            bad.append(line)
    return bad


def test_the_check_finds_an_unmarked_line_and_passes_data() -> None:
    wrapped = f"{i18n.pseudo('show the plan')}\n  --date YYYY-MM-DD  {i18n.pseudo('the day')}"
    long_help = f"{i18n.OPEN}first half\n   second half{i18n.CLOSE}"
    assert unmarked(wrapped) == []
    assert unmarked(long_help) == []
    assert unmarked("usage: companion plan [-h] [--json]\n  /tmp/data (Etc/UTC) 09:00–09:50") == [
        "usage: companion plan [-h] [--json]"
    ]
    assert unmarked(f"{i18n.pseudo('ok')} fix: chmod 700 /tmp") == [" fix: chmod 700 /tmp"]


def run_pseudo(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMPANION_LANG": "pseudo"}
    return subprocess.run(
        [sys.executable, "-m", "companion", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_plan_is_all_marked(confirmed_week: Path) -> None:
    result = run_pseudo("plan", "--date", "2026-11-23")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) > 10  # the built-in standing week: sessions, breaks, the reflection
    assert unmarked(result.stdout) == []
    assert all(i18n.OPEN in line for line in lines)
    # Times stay as a program reads them; the practice titles come from gettext too.
    assert "09:00–09:50" in result.stdout
    assert "Box breathing" not in result.stdout and "Monday" not in result.stdout


def test_doctor_is_all_marked(data_dir: Path) -> None:
    result = run_pseudo("doctor")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) >= 10
    assert unmarked(result.stdout) == []
    assert str(data_dir) in result.stdout  # a path is shown as it is, inside the marked line


def test_doctor_json_keeps_its_keys_and_check_names(data_dir: Path) -> None:
    import json

    result = run_pseudo("doctor", "--json")
    report = json.loads(result.stdout)
    assert {"data folder", "journal", "settings", "sound"} <= {c["check"] for c in report["checks"]}
    assert all(set(c) == {"check", "ok", "detail", "fix"} for c in report["checks"])


@pytest.mark.parametrize(
    "args",
    [["--help"], *([name, "--help"] for name in COMMANDS), ["exercises", "check", "--help"]],
    ids=" ".join,
)
def test_every_help_is_all_marked(args: list[str]) -> None:
    result = run_pseudo(*args)
    assert result.returncode == 0, result.stderr
    assert unmarked(result.stdout) == []
    assert "usage" not in result.stdout and "options" not in result.stdout  # argparse's own words


def test_a_usage_error_is_one_marked_line() -> None:
    result = run_pseudo("plan", "--date", "soon")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert i18n.OPEN in line and "'soon'" in line
