"""`companion run` paints its icon first and builds the rest after (companion/launch.py),
and nothing clicked meanwhile is lost. See bench/startup.py for the figures."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtWidgets import QWidget

from companion import launch

RUN = textwrap.dedent(
    """
    import argparse, sys
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication
    import companion.launch as launch
    import companion.ui.tray as tray

    order = []

    class Painted(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and "view painted" not in order:
                order.append("view painted")
            return False

    painted = Painted()
    make_view = tray.make_view

    def view_that_tells(intents, *args, **kwargs):
        view = make_view(intents, *args, **kwargs)
        if QApplication.instance().styleSheet():
            order.append("styled")  # the stand-in window is built in our look
        view.installEventFilter(painted)
        if "--click" in sys.argv:  # the person clicks at once, before anything is built
            intents.glimmer.emit()
            intents.practice.emit("box-5")
        return view

    tray.make_view = view_that_tells
    build = launch.build

    def build_that_tells(*args, **kwargs):
        order.append("build")
        app = build(*args, **kwargs)
        app.intents.glimmer.connect(lambda: order.append("glimmer"))
        app.intents.practice.connect(lambda ex: order.append("practice " + ex))
        app.open_glimmer = lambda: None
        app.start_practice = lambda ex: True
        return app

    launch.build = build_that_tells
    qapp = QApplication([])
    args = argparse.Namespace(data_dir=sys.argv[1], demo=False)
    code = launch.run_app(args)
    print("ORDER", order)
    sys.exit(code)
    """
)


def _run(tmp_path: Path, *extra: str) -> list[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "COMPANION_BENCH_SHOWN": "1",  # quit once fully ready
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(tmp_path / "data"), *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("ORDER"))
    return ast.literal_eval(line.removeprefix("ORDER "))


def test_the_app_is_built_only_after_the_icon_has_painted_even_on_a_first_run(
    tmp_path: Path,
) -> None:
    """A first run (no settings yet) also builds the welcome window: after the icon."""
    order = _run(tmp_path)
    assert order[:3] == ["styled", "view painted", "build"]


def test_what_is_clicked_before_the_app_is_ready_is_done_once_it_is(tmp_path: Path) -> None:
    order = _run(tmp_path, "--click")
    assert order[-2:] == ["glimmer", "practice box-5"]
    assert order.index("build") < order.index("glimmer")


def test_the_build_waits_for_the_first_paint(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    seen: list[bool] = []

    def then() -> None:
        handle = window.windowHandle()
        seen.append(handle is not None and handle.isExposed())

    gate = launch.after_first_paint(window, then, wait_ms=60_000)
    qtbot.wait(150)
    assert seen == []  # nothing painted yet: nothing built
    window.show()
    qtbot.waitUntil(lambda: seen != [], timeout=5000)
    assert seen == [True]
    qtbot.wait(50)
    assert seen == [True]  # once
    del gate


def test_without_a_paint_the_build_still_comes(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()  # never shown: a tray that never embeds the icon
    qtbot.addWidget(window)
    seen: list[str] = []
    gate = launch.after_first_paint(window, lambda: seen.append("built"), wait_ms=40)
    qtbot.waitUntil(lambda: seen == ["built"], timeout=2000)
    del gate


def test_modules_imported_after_start_up_leave_no_source_in_memory() -> None:
    """PySide6's import hook reads every new module's source (PYSIDE-2029); linecache
    kept all of it, about 7 MiB of the idle app. Read without keeping it now."""
    code = (
        "import linecache, sys\n"
        "import PySide6.QtCore\n"
        "import companion.launch as launch\n"
        "launch.lighten_import_scan()\n"
        "import companion.app, companion.ui.player\n"
        "late = ('app.py', 'player.py', 'scheduler.py', 'journal.py')\n"
        "kept = [f for f in linecache.cache if f.endswith(late)]\n"
        "print('KEPT', len(kept))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "KEPT 0" in done.stdout


BEFORE_THE_LOOP = textwrap.dedent(
    """
    import argparse, json, sys
    import PySide6.QtCore
    from PySide6.QtWidgets import QApplication
    import companion.launch as launch

    seen = {}

    class Recording(QApplication):
        def exec(self):  # the loop starts: only now can the tray's expose be handled
            seen["modules"] = sorted(sys.modules)
            seen["Qt namespace"] = "Qt" in vars(PySide6.QtCore)
            return super().exec()

    launch.tray_available = lambda: True  # as on a desktop with a tray
    qapp = Recording([])
    code = launch.run_app(argparse.Namespace(data_dir=sys.argv[1], demo=False))
    print("SEEN", json.dumps(seen))
    sys.exit(code)
    """
)

#: Loaded before the icon can paint, each cost milliseconds of the time to the icon's
#: first pixels (issue 16; bench/startup.py): what the app needs once it is built.
NOT_BEFORE_THE_ICON = (
    "platformdirs",  # ~5 ms: the XDG rule is written out in core/paths.py
    "dataclasses",  # ~2.7 ms with the first dataclass
    "socket",  # ~3 ms: the terminal channel listens after the first paint
    "datetime",
    "companion.core.status",
    "companion.ui.style",
    "companion.ui.kit",
    "companion.app",
    "tinydb",
    "apscheduler",
)


def test_nothing_slow_is_loaded_before_the_icon_can_paint(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "COMPANION_BENCH_SHOWN": "1",  # quit once fully ready
    }
    done = subprocess.run(
        [sys.executable, "-c", BEFORE_THE_LOOP, str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("SEEN"))
    seen = json.loads(line.removeprefix("SEEN "))
    assert [m for m in NOT_BEFORE_THE_ICON if m in seen["modules"]] == []
    # PySide6 builds the `Qt` namespace's hundred-odd enums on first use: about 13 ms
    assert seen["Qt namespace"] is False


def test_a_signal_before_the_loop_runs_quits_once_it_does(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+C while the icon is still painting is kept, and acted on once the app can."""
    import signal

    catcher = launch.SignalCatcher()
    quit_asked: list[bool] = []
    try:
        signal.raise_signal(signal.SIGINT)  # before `wake`: only kept
        assert catcher.pending == [signal.SIGINT]
        catcher.wake(lambda: quit_asked.append(True))
        qtbot.waitUntil(lambda: quit_asked == [True], timeout=2000)
        signal.raise_signal(signal.SIGTERM)  # after: wakes the loop at once
        qtbot.waitUntil(lambda: quit_asked == [True, True], timeout=2000)
    finally:
        catcher.close()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def test_a_second_start_while_the_first_is_still_painting_is_refused(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """The first app holds its lock before its icon shows but listens only after its
    first paint: a second `companion run` in between keeps knocking, is answered, and
    shows no second icon."""
    from companion.runtime import single

    data = tmp_path / "data"
    data.mkdir()
    tmp_path.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # both sides knock there
    heard: list[str] = []
    first = single.Server(data, heard.append)
    assert first.listen(serve=False)  # the lock is ours; not listening yet
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COMPANION_DATA_DIR": str(data)}
    second = subprocess.Popen(
        [sys.executable, "-m", "companion", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.wait(300)  # the second has found the lock taken by now
        first.serve()  # the first has painted its icon
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=20_000)
        out, err = second.communicate()
        assert second.returncode == 0, err
        assert "already running" in out
        assert heard == ["show"]
    finally:
        if second.poll() is None:
            second.kill()
        first.close()


def test_every_state_keeps_its_own_icon_without_the_tray_importing_the_states() -> None:
    """The tray names the states by their values (so that the icon shows before the day's
    code is loaded): a renamed state must not fall back to another state's look."""
    from companion.core.status import State
    from companion.ui import tray

    assert sorted(tray._ICONS) == sorted(s.value for s in State)
    assert tray._ICONS[State.OFF_DUTY.value] == tray.START_ICON
