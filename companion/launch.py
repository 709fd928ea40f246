"""`companion run`: show the tray icon first, then build everything else.

The icon is what tells a clinician the companion is there, so it appears before the
journal, the scheduler and the day's plan are loaded (those need TinyDB, portalocker,
APScheduler and the practice library: most of start-up). The rest is built one event
later, on the same GUI thread. See bench/startup.py for the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from companion.core.paths import resolve_paths
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

    if getattr(args, "demo", False):
        paths = resolve_paths(Path(tempfile.mkdtemp(prefix="companion-demo-")))
    else:
        paths = resolve_paths(getattr(args, "data_dir", None))
    paths.ensure()
    logs.install_excepthook(logs.setup(paths))
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
        from companion.app import build

        app = build(args, paths, intents=intents, view=view)
        server.on_command = app.handle_command
        holder.append(app)
        app.start()

    QTimer.singleShot(0, finish)
    code = qapp.exec()
    server.close()
    return int(code)
