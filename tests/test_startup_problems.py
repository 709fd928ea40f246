"""Start-up that fails must say so (issue 14, item 9): the tray app is never left on
"Getting ready…" with the reason only on stderr. It says what is wrong in the tray and in
a window, with the fix, and runs with what it can."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from companion.core.paths import resolve_paths
from companion.core.records import GlimmerRecord
from companion.ui.problems import ProblemsWindow
from tests.test_app import MONDAY, close_app, local, started_app, step_to


def _newer_journal(data_dir: Path) -> Path:
    paths = resolve_paths(data_dir).ensure()
    year = paths.data / f"journal-{MONDAY.year}.json"
    body = json.dumps({"meta": {"1": {"schema": 99}}, "records": {}})
    year.write_text(body, encoding="utf-8")
    return year


def test_a_journal_from_a_newer_version_still_lets_the_day_run(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    year = _newer_journal(data_dir)
    before = year.read_bytes()
    app = started_app(data_dir, local(MONDAY, 9, 40))
    try:
        window = app.windows.get("problems")
        assert isinstance(window, ProblemsWindow) and window.isVisible()
        said = " ".join(label.text() for label in window.lines)
        assert "newer" in said and "nothing is saved until it is fixed" in said
        assert any(
            a.objectName() == "menu-attention" and a.isVisible() for a in app.view.menu.actions()
        )
        step_to(app, local(MONDAY, 9, 50))  # offers still come
        assert app.cards
        saved = app.writer.save(GlimmerRecord(at=app.clock.now(), text="a quiet laugh"))
        assert not saved and saved.message.startswith("Not saved:")
        assert "still here" in saved.message
    finally:
        close_app(app)
    assert year.read_bytes() == before  # the newer journal is left exactly as it was


def test_with_nothing_wrong_no_window_asks_for_attention(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    app = started_app(data_dir, local(MONDAY, 9, 40))
    try:
        assert "problems" not in app.windows
        assert not any(
            a.objectName() == "menu-attention" and a.isVisible() for a in app.view.menu.actions()
        )
    finally:
        close_app(app)


def test_a_start_up_that_fails_says_so_and_quit_still_works(tmp_path: Path) -> None:
    """Whatever breaks while the app is built: one line on stderr and in a window, the
    details in the log, and Quit from the menu ends the app (exit 0)."""
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import companion.launch\n"
        "def broken(*a, **k):\n"
        "    raise RuntimeError('the practice library exploded')\n"
        "companion.launch.build = broken\n"
        "from companion import launch\n"
        "import argparse\n"
        "seen = []\n"
        "def look():\n"
        "    from companion.ui.problems import ProblemsWindow\n"
        "    wins = [w for w in QApplication.topLevelWidgets() if isinstance(w, ProblemsWindow)"
        " and w.isVisible()]\n"
        "    seen.append(' '.join(l.text() for w in wins for l in w.lines))\n"
        "    for w in QApplication.topLevelWidgets():\n"
        "        if type(w).__name__ == 'CompanionWindow':\n"
        "            seen.append('status: ' + w.status.text())\n"
        "            w.intents.quit.emit()\n"
        "qapp = QApplication([])\n"
        "QTimer.singleShot(400, look)\n"
        f"args = argparse.Namespace(data_dir={str(tmp_path / 'd')!r}, demo=False)\n"
        "code = launch.run_app(args)\n"
        "print('SEEN', seen)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Grounding Companion could not start: the practice library exploded" in done.stderr
    assert "Traceback" not in done.stderr
    seen = done.stdout.split("SEEN", 1)[1]
    assert "could not start: the practice library exploded" in seen
    assert "status: " in seen and "Getting ready" not in seen
    log = (tmp_path / "d" / "companion.log").read_text(encoding="utf-8")
    assert "the practice library exploded" in log


def test_ctrl_c_ends_the_demo_quietly_and_takes_its_folder(tmp_path: Path) -> None:
    """Ctrl+C in the terminal quits as Quit does (no KeyboardInterrupt traceback), and
    the demo's throwaway journal goes with it."""
    import re
    import signal

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "companion", "run", "--demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # "Demo: … in <folder>": the app is built
        folder = Path(re.search(r" in (\S+)$", first.strip()).group(1))  # type: ignore[union-attr]
        assert folder.is_dir()
        proc.send_signal(signal.SIGINT)  # the handler is in place before the app is built
        _out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert not folder.exists()


def test_the_problems_window_is_translated_and_whole(qtbot, pseudo_locale, house_style) -> None:  # type: ignore[no-untyped-def]
    from companion.i18n import _
    from tests.pseudo_walk import problems

    line = _(
        "The journal could not be opened ({reason}). Practices are still offered, but "
        "nothing is saved until it is fixed."
    ).format(reason="/home/x/journal-2026.json")
    window = ProblemsWindow([line])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert problems(window, allowed=["/home/x/journal-2026.json"]) == []


def test_a_damaged_journal_kept_aside_is_shown_until_dismissed(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 14, item 2, in the tray app: a damaged year kept aside is listed in the
    window (and 'What needs attention…' stays in the menu) until the person dismisses
    it; the file itself stays."""
    paths = resolve_paths(data_dir).ensure()
    damaged = paths.data / f"journal-{MONDAY.year - 1}.json.corrupt-20260301-101500"
    damaged.write_bytes(b'{"meta": {"1": {"sch')
    app = started_app(data_dir, local(MONDAY, 9, 40))
    try:
        window = app.windows["problems"]
        assert isinstance(window, ProblemsWindow)
        said = " ".join(label.text() for label in window.lines)
        assert str(MONDAY.year - 1) in said and str(damaged) in said

        def attention() -> bool:
            return any(
                a.objectName() == "menu-attention" and a.isVisible()
                for a in app.view.menu.actions()
            )

        assert attention()
        (dismiss,) = window.dismiss_buttons
        dismiss.click()
        assert not attention()
        assert damaged.exists()
    finally:
        close_app(app)
    again = started_app(data_dir, local(MONDAY, 9, 41))  # the next start: not said again
    try:
        assert "problems" not in again.windows
    finally:
        close_app(again)
