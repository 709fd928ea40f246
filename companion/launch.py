"""`companion run`: show the tray icon first, then build everything else.

The icon is what tells a clinician the companion is there, so it appears before the
journal, the scheduler and the day's plan are loaded (those need TinyDB, portalocker,
APScheduler and the practice library: most of start-up). The rest is built one event
later, on the same GUI thread. See bench/startup.py for the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.core.paths import resolve_paths

if TYPE_CHECKING:
    from companion.core.paths import Paths
from companion.i18n import _


def make_qapp():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from companion.ui import style

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Grounding Companion")
    app.setOrganizationName("grounding-companion")
    app.setDesktopFileName("grounding-companion")
    app.setQuitOnLastWindowClosed(False)
    style.apply(app, defer_stylesheet=True)  # styled when the first window is built
    return app


def no_display_reason() -> str | None:
    """Why Qt could not open a window here, in one line, or None if it can try."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return _(
        "no desktop session found (neither DISPLAY nor WAYLAND_DISPLAY is set); start "
        "Grounding Companion from your desktop, or see `companion doctor`"
    )


def run_app(args: argparse.Namespace) -> int:
    from companion.cli import UserError
    from companion.runtime import logs, single

    reason = no_display_reason()
    if reason:
        raise UserError(reason)

    demo = bool(getattr(args, "demo", False))
    if demo:
        paths = resolve_paths(Path(tempfile.mkdtemp(prefix="companion-demo-")))
    else:
        paths = resolve_paths(getattr(args, "data_dir", None))
    paths.ensure()
    log_path = logs.setup(paths)
    logs.install_excepthook(log_path)
    if single.send(paths.data, "show"):
        print(_("Grounding Companion is already running; brought it forward."))
        return 0

    from PySide6.QtCore import QTimer

    from companion.ui.tray import Intents, make_view

    qapp = make_qapp()
    server = single.Server(paths.data, lambda command: None)
    if not server.listen():  # another app holds this data folder
        if single.send(paths.data, "show"):
            print(_("Grounding Companion is already running; brought it forward."))
            return 0
        raise UserError(
            _(
                "Grounding Companion is already running for this data folder but did not "
                "answer; not starting a second copy (two would offer every break twice)"
            )
        )
    intents = Intents()
    view = make_view(intents)
    view.set_status_text(_("Getting ready…"))
    view.show()
    if os.environ.get("COMPANION_BENCH_SHOWN"):
        print(f"shown {time.time():.6f}", flush=True)
    holder: list[object] = []

    def finish() -> None:
        try:
            app = build(args, paths, intents=intents, view=view)
            server.on_command = app.handle_command
            if server.problem:  # a socket folder that is not ours: said, not fatal
                app.messages.append(server.problem)
            holder.append(app)
            app.start()
        except Exception as exc:  # never left on "Getting ready…" with the reason on stderr
            holder.append(could_not_start(exc, intents, view, log_path))

    def on_signal() -> None:
        """Ctrl+C in the terminal, or the session ending: quit as Quit in the menu does."""
        app = next((a for a in holder if hasattr(a, "quit")), None)
        if app is not None:
            app.quit()
        else:
            qapp.quit()

    notifier = quit_on_signals(on_signal)
    QTimer.singleShot(0, finish)
    code = qapp.exec()
    server.close()
    if notifier is not None:
        signal.set_wakeup_fd(-1)
    if demo:  # the throwaway journal goes with the demo
        shutil.rmtree(paths.data, ignore_errors=True)
    return int(code)


def quit_on_signals(on_signal: Callable[[], None]) -> object | None:
    """Run `on_signal` on the GUI thread for SIGINT (Ctrl+C) and SIGTERM.

    Qt's loop runs no Python while it waits, so a Python signal handler would only run
    at the next event, and Ctrl+C gave a KeyboardInterrupt traceback from whatever slot
    ran next. Here the signal writes a byte to a socket Qt watches (`set_wakeup_fd`);
    that wakes the loop at once and costs nothing while no signal comes."""
    import socket

    from PySide6.QtCore import QSocketNotifier

    try:
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        signal.set_wakeup_fd(writer.fileno())
    except (OSError, ValueError):  # not the main thread, or no sockets: keep the default
        return None
    pending: list[int] = []

    def handler(signum: int, _frame: object) -> None:
        pending.append(signum)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, handler)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

    def woken() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)
        if pending:
            pending.clear()
            on_signal()

    notifier.activated.connect(woken)
    notifier._keep = (reader, writer)  # type: ignore[attr-defined]  # alive as long as it
    return notifier


def could_not_start(exc: Exception, intents, view, log_path: Path):  # type: ignore[no-untyped-def]
    """The app could not be built: say so in the tray and in a window, with where the
    details are, and keep Quit working (every other action shows the window again)."""
    import logging
    import traceback

    from PySide6.QtWidgets import QApplication

    from companion.ui.problems import ProblemsWindow

    logging.getLogger("companion").error(
        "start-up failed:\n%s", "".join(traceback.format_exception(exc))
    )
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    line = _("Grounding Companion could not start: {reason}").format(reason=reason)
    print(f"companion: {line}", file=sys.stderr)
    view.set_status_text(line)
    window = ProblemsWindow(
        [line],
        hint=_(
            "No practices are offered until this is fixed. The details are in {log}; "
            "`companion doctor` in a terminal checks everything. Quit from the tray menu, "
            "fix it, and start Grounding Companion again."
        ).format(log=log_path),
    )

    def again() -> None:
        window.show()
        window.raise_()
        window.activateWindow()

    for intent in (
        intents.glimmer,
        intents.reflect,
        intents.history,
        intents.plan,
        intents.settings,
        intents.show_offer,
        intents.tray_clicked,
        intents.problems,
    ):
        intent.connect(again)
    intents.practice.connect(lambda _id: again())
    intents.pause.connect(lambda _minutes: again())
    if hasattr(view, "quitting"):  # the stand-in window agrees to close on Quit
        intents.quit.connect(lambda: setattr(view, "quitting", True))
    intents.quit.connect(QApplication.quit)
    view.set_attention(True)
    again()
    return window


def build(args: argparse.Namespace, paths: Paths, *, intents: Any = None, view: Any = None) -> Any:
    """The app for `companion run`: the real day, or with `--demo` a compressed one."""
    from datetime import datetime, time, timedelta

    from companion.app import App
    from companion.core.clock import Clock, ScaledClock, SystemClock
    from companion.runtime.scheduler import JUMP_CHECK_MS, ClockWakeups

    demo = bool(getattr(args, "demo", False))
    if demo:
        speed = float(getattr(args, "demo_speed", 30.0))
        now = SystemClock().now()
        # Play a working day: today if it is one, else the coming Monday.
        day = now.date() + timedelta(days=(7 - now.weekday()) % 7 if now.weekday() >= 5 else 0)
        start = datetime.combine(day, time(9, 46)).astimezone()
        clock: Clock = ScaledClock(start, speed)
        app = App(
            paths,
            clock,
            wakeups=ClockWakeups(clock, speed),
            player_clock=SystemClock(),
            demo=True,
            intents=intents,
            view=view,
        )
        # A demo minute passes in a second or two: check the clock (and refresh a waiting
        # card's count) once a demo minute, not once a real one.
        app.jump_timer.setInterval(max(1000, int(JUMP_CHECK_MS / speed)))
        # The demo plays the built-in week, confirmed, and its folder shows its settings.
        app.store.replace(app.settings.with_changes(schedule_confirmed=True))
        print(
            _("Demo: a compressed day ({speed}x) with a throwaway journal in {folder}").format(
                speed=f"{speed:g}", folder=paths.data
            )
        )
        return app
    return App(paths, SystemClock(), intents=intents, view=view)
