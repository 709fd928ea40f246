"""`companion run`: show the tray icon first, let the tray paint it, then build the rest.

The icon is what tells a clinician the companion is there, so it appears before the
journal, the scheduler and the day's plan are loaded (those need TinyDB, portalocker,
APScheduler and the practice library: most of start-up). Asking for the icon is not
enough: on X11 the tray host embeds the icon's window and sends it an expose, and the
icon is painted only when the loop handles that. Built "one event later", the app kept
the loop busy for the whole build first, and the pixels came after it (bench/startup.py
measures the pixels). So the build waits for the icon's first paint (`after_first_paint`:
the tray icon's window, or the stand-in window, has been exposed, which Qt paints in the
same step), or at most `FIRST_PAINT_WAIT_MS` where that never comes (a tray that never
embeds it). On trayer (issue 16): built one event later, the pixels came at 2.5-3x the
bare tray's time; built after the first expose, about as soon as the bare tray's.

Between `show()` and the loop's first wait nothing else may run: the pixels cannot come
before it. What only the built app needs waits for the first paint too: the palette and
font, the tray's menu, the terminal channel's socket, the signal wake-up. And what runs
before the icon is shown is kept to what the floor (a bare PySide6 tray) does, plus the
data folder, the log, the knock at a running app and the one-instance lock:
tests/test_launch.py lists what must not be loaded by then (platformdirs, dataclasses,
socket, PySide6's `Qt` namespace…, each a few milliseconds).

Until the app is built, what the person clicks is kept (`EarlyIntents`) and done once
the app is fully ready, in order; so is a command from a second `companion` process.
After start-up the source lines PySide6's import hook read are let go (`settle_memory`).
"""

from __future__ import annotations

import argparse
import contextlib
import linecache
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.core.paths import resolve_paths

if TYPE_CHECKING:
    from companion.core.paths import Paths
from companion.i18n import _


def make_qapp(*, styled: bool = True):  # type: ignore[no-untyped-def]
    """The QApplication, named; with `styled`, given our palette and font now (the tray
    app gives them after the icon's first paint: a tray icon has nothing to style)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Grounding Companion")
    app.setOrganizationName("grounding-companion")
    app.setDesktopFileName("grounding-companion")
    app.setQuitOnLastWindowClosed(False)
    if styled:
        style_app(app)
    return app


def tray_available() -> bool:
    """Whether the desktop has a system tray (else a small window stands in for it)."""
    from PySide6.QtWidgets import QSystemTrayIcon

    return bool(QSystemTrayIcon.isSystemTrayAvailable())


def style_app(app: Any) -> None:
    from companion.ui import style

    style.apply(app, defer_stylesheet=True)  # the stylesheet when the first window is built


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
        import tempfile  # only the demo: every import before the icon shows is waited for

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

    lighten_import_scan()
    from companion.ui.tray import Intents, make_view

    qapp = make_qapp(styled=False)
    tray = tray_available()
    if not tray:  # the stand-in window is built now, in our look
        style_app(qapp)
    early_commands: list[str] = []
    server = single.Server(paths.data, early_commands.append)
    if not server.listen(serve=False):  # another app holds this data folder
        if knock_again(paths.data):
            print(_("Grounding Companion is already running; brought it forward."))
            return 0
        raise UserError(
            _(
                "Grounding Companion is already running for this data folder but did not "
                "answer; not starting a second copy (two would offer every break twice)"
            )
        )
    intents = Intents()
    early = EarlyIntents(intents)
    view = make_view(intents, tray, menu_later=True)
    view.set_status_text(_("Getting ready…"))
    signals = SignalCatcher()  # Ctrl+C from here on is kept; acted on once the loop runs
    view.show()
    if os.environ.get("COMPANION_BENCH_SHOWN"):
        print(f"shown {time.time():.6f}", flush=True)
    holder: list[object] = []

    def finish() -> None:
        # Nothing between show() and here: every millisecond before the loop handles the
        # tray's expose is a millisecond more before the icon's pixels (issue 16).
        signals.wake(on_signal)
        server.serve()  # commands from a terminal; kept in early_commands until built
        if tray:  # a tray icon has nothing to style; the menu and the windows have
            style_app(qapp)
        if hasattr(view, "fill_menu"):
            view.fill_menu()
        try:
            app = build(args, paths, intents=intents, view=view)
            server.on_command = app.handle_command
            if server.problem:  # a socket folder that is not ours: said, not fatal
                app.messages.append(server.problem)
            holder.append(app)
            app.start()
        except Exception as exc:  # never left on "Getting ready…" with the reason on stderr
            holder.append(could_not_start(exc, intents, view, log_path))
        else:
            for command in early_commands:
                app.handle_command(command)
        early.release()  # what was clicked meanwhile, now that it can be done
        QTimer.singleShot(SETTLE_AFTER_MS, settle_memory)

    def on_signal() -> None:
        """Ctrl+C in the terminal, or the session ending: quit as Quit in the menu does."""
        app = next((a for a in holder if hasattr(a, "quit")), None)
        if app is not None:
            app.quit()
        else:
            qapp.quit()

    gate = after_first_paint(view, finish)
    code = qapp.exec()
    del gate
    server.close()
    signals.close()
    if demo:  # the throwaway journal goes with the demo
        import shutil

        shutil.rmtree(paths.data, ignore_errors=True)
    return int(code)


def knock_again(data: Path) -> bool:
    """Another app holds this data folder's lock: knock until it answers (it listens only
    once its icon has painted) or for `single.KNOCK_AGAIN_S`."""
    from companion.runtime import single

    deadline = time.monotonic() + single.KNOCK_AGAIN_S
    while True:
        if single.send(data, "show"):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


#: The longest the build waits for the icon's first paint (a tray that never embeds it,
#: a desktop that shows it late): then it is built anyway.
FIRST_PAINT_WAIT_MS = 400
#: Where the icon is not ours to paint (a StatusNotifierItem tray over D-Bus, which asks
#: the app for the icon; Windows, macOS): a moment for the host to fetch it, then build.
NO_PAINT_WAIT_MS = 50
#: After the icon's paint, this long for the pixels to reach the screen before the build
#: holds the loop (the paint is flushed to the X server when the loop next waits).
AFTER_PAINT_MS = 1
#: How often the build looks whether the icon's window has been exposed yet.
POLL_MS = 4
#: Start-up is over this long after the app is ready: let go of what it read once.
SETTLE_AFTER_MS = 1500


#: The objectName Qt gives the native window of its own X11 tray icon (QSystemTrayIconSys).
TRAY_WINDOW = "QSystemTrayIconSysWindow"


def first_window(view: Any) -> Any:
    """The window whose first paint puts the app on screen: the stand-in window's, or the
    tray icon's own (Qt's QSystemTrayIconSys, on an X11 tray); None where the icon is
    drawn by someone else (a D-Bus tray, Windows, macOS) or not made yet.

    The tray icon's window is found among the QWindows, not the widgets: the widget is
    of a private Qt class, and giving it to Python makes PySide6 set up every QtWidgets
    class looking for the nearest (about 12 ms, before the icon's pixels, and memory
    for good)."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    if isinstance(view, QWidget):
        return view.windowHandle()
    for window in QGuiApplication.allWindows():
        if window.objectName() == TRAY_WINDOW:
            return window
    return None


def after_first_paint(view: Any, then: Callable[[], None], *, wait_ms: int | None = None) -> Any:
    """Call `then` once, on the GUI thread, after the view's window was first exposed
    (Qt paints a widget in the same step, and the pixels go out when the loop next
    waits), or after `wait_ms` (default FIRST_PAINT_WAIT_MS) if that never comes; where
    there is no window of ours to paint, after NO_PAINT_WAIT_MS.

    It looks every POLL_MS rather than filtering events: a Python event filter sees every
    event of the app, and its first `event.type()` builds Python's QEvent.Type enum
    (about 20 ms, before the icon is painted). It touches nothing of PySide6 that is
    slow the first time (the `Qt` namespace, about 13 ms; a private widget class, about
    12 ms). Returns the watcher; keep it while the loop runs."""
    from PySide6.QtCore import QObject, QTimer

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.done = False
            self.waited = 0
            self.limit = FIRST_PAINT_WAIT_MS if wait_ms is None else wait_ms
            self.poll = QTimer(self)
            self.poll.setObjectName("build-after-first-paint")
            self.poll.setInterval(POLL_MS)
            self.poll.timeout.connect(self.look)
            self.poll.start()

        def look(self) -> None:
            self.waited += POLL_MS
            window = first_window(view)
            if window is not None and window.isExposed():
                ready = True
            elif window is None and wait_ms is None:
                ready = self.waited >= NO_PAINT_WAIT_MS  # not ours to paint
            else:
                ready = self.waited >= self.limit
            if ready:
                self.poll.stop()
                QTimer.singleShot(AFTER_PAINT_MS, self.fire)

        def fire(self) -> None:
            if not self.done:
                self.done = True
                then()

    return FirstPaint()


class EarlyIntents:
    """Keeps what the person asks for before the app is built, and asks again, in order,
    once it is (`release`): a click on the menu while the tray says "Getting ready…"
    waits for the app instead of going nowhere."""

    def __init__(self, intents: Any) -> None:
        from PySide6.QtCore import QMetaMethod

        self.intents = intents
        self.kept: list[tuple[str, tuple[object, ...]]] = []
        self.connections: list[tuple[Any, Any]] = []
        meta = intents.metaObject()
        for n in range(meta.methodOffset(), meta.methodCount()):
            method = meta.method(n)
            if method.methodType() != QMetaMethod.MethodType.Signal:
                continue
            name = bytes(method.name().data()).decode()
            sig = getattr(intents, name)

            def keep(*args: object, name: str = name) -> None:
                self.kept.append((name, args))

            sig.connect(keep)
            self.connections.append((sig, keep))

    def release(self) -> None:
        for sig, keep in self.connections:
            sig.disconnect(keep)
        self.connections.clear()
        kept, self.kept = self.kept, []
        for name, args in kept:
            getattr(self.intents, name).emit(*args)


def lighten_import_scan() -> None:
    """PySide6 hooks every import and reads each new module's whole source to look for the
    word "PySide6" (its `__feature__` support; upstream PYSIDE-2029). It reads through
    `inspect.getsource`, so `linecache` keeps every file read: about 7 MiB of the idle
    app. The same answer, read without keeping it. Harmless if PySide6 changes: then
    nothing is replaced."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return False  # getsource finds nothing for these either
        try:
            with open(path, "rb") as f:
                return b"PySide6" in f.read()
        except OSError:
            return False

    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]


def settle_memory() -> None:
    """Start-up is over: let go of the source lines read for PySide6's hook before
    `lighten_import_scan` was in place. (glibc's malloc_trim would give back about
    0.5 MiB more, and loading ctypes to call it costs as much.)"""
    linecache.clearcache()


class SignalCatcher:
    """SIGINT (Ctrl+C) and SIGTERM, acted on on the GUI thread as Quit in the menu is.

    Qt's loop runs no Python while it waits, so a Python signal handler would only run
    at the next event, and Ctrl+C gave a KeyboardInterrupt traceback from whatever slot
    ran next. So the handler only keeps the signal, and (`wake`) a socket Qt watches is
    written to (`set_wakeup_fd`): that wakes the loop at once and costs nothing while no
    signal comes. Made in two steps so that the icon is not kept waiting for the socket:
    the handlers at once (cheap), the socket after the icon's first paint; a signal that
    came in between is acted on then."""

    def __init__(self) -> None:
        self.pending: list[int] = []
        self.notifier: Any = None
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                signal.signal(sig, self._keep)
            except ValueError:  # not the main thread: keep the default
                return

    def _keep(self, signum: int, _frame: object) -> None:
        self.pending.append(signum)

    def wake(self, on_signal: Callable[[], None]) -> None:
        """From now on, run `on_signal` as soon as a signal comes (and now, if one came)."""
        import socket

        from PySide6.QtCore import QSocketNotifier, QTimer

        if self.pending:
            self.pending.clear()
            QTimer.singleShot(0, on_signal)
        try:
            reader, writer = socket.socketpair()
            reader.setblocking(False)
            writer.setblocking(False)
            signal.set_wakeup_fd(writer.fileno())
        except (OSError, ValueError):  # not the main thread, or no sockets: the defaults
            with contextlib.suppress(ValueError):
                signal.signal(signal.SIGINT, signal.default_int_handler)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
            return
        notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

        def woken() -> None:
            with contextlib.suppress(OSError):
                reader.recv(64)
            if self.pending:
                self.pending.clear()
                on_signal()

        notifier.activated.connect(woken)
        notifier._keep = (reader, writer)  # type: ignore[attr-defined]  # alive as long as it
        self.notifier = notifier

    def close(self) -> None:
        if self.notifier is not None:
            signal.set_wakeup_fd(-1)
            self.notifier.setEnabled(False)
            for end in self.notifier._keep:
                end.close()
            self.notifier = None


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
