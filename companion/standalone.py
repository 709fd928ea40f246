"""`companion glimmer` / `reflect` / `history` when no tray app is running: just that
window, with the same owners as the app (a SettingsStore, the one JournalWriter)."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtWidgets import QMessageBox, QWidget

from companion.core.clock import SystemClock
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.writer import JournalWriter
from companion.i18n import APP_NAME, _
from companion.runtime.settings_store import SettingsStore


def open_people_hint(parent: QWidget) -> None:
    """Without the tray app, Settings is not at hand: say where the people are kept."""
    QMessageBox.information(
        parent,
        _(APP_NAME),
        _("Your people are kept in Settings → People. Open it from the tray icon's menu."),
    )


def open_standalone(which: str, args: argparse.Namespace) -> int:
    """`companion glimmer` / `reflect` / `history` with no app running: just that window."""
    from companion.cli import UserError
    from companion.launch import no_display_reason

    reason = no_display_reason()
    if reason:
        raise UserError(reason)
    paths = resolve_paths(getattr(args, "data_dir", None)).ensure()
    from companion.launch import make_qapp

    qapp = make_qapp()
    qapp.setQuitOnLastWindowClosed(True)
    from companion.ui import text

    text.install()  # times in the locale's form
    clock = SystemClock()
    store = SettingsStore(paths.settings)
    if store.problem:
        print(
            "companion: "
            + _("{problem}; using the built-in defaults for now").format(problem=store.problem),
            file=sys.stderr,
        )
    settings = store.settings
    journal = Journal(paths, clock).open()
    for notice in journal.notices:
        print(f"companion: {notice}", file=sys.stderr)
    save = JournalWriter(journal).save
    window: QWidget
    if which == "glimmer":
        from companion.ui.glimmer import ask_glimmer

        saved = ask_glimmer(None, save, clock, "anytime")
        print(_("Glimmer saved. Thank you for noticing it.") if saved else _("Nothing saved."))
        return 0
    if which == "reflect":
        from companion.ui.reflection import ReflectionWindow

        counts: dict[str, int] = {}
        try:
            from companion.core.calendar.sources import sessions_for

            found = sessions_for(
                settings, clock.now().date(), paths=paths, clock=clock, refresh=False
            )
            counts = {
                "today_sessions": len(found.sessions),
                "today_heavy": sum(1 for s in found.sessions if s.heavy),
            }
        except Exception:  # counts are a nicety; the window works without them
            counts = {}
        window = ReflectionWindow(journal, clock, settings, paths, save=save, **counts)
        reflection = window

        def support() -> None:  # "If today was a lot…": the people and the crisis lines
            from companion.ui.support import SupportWindow

            card = getattr(reflection, "_support_card", None)
            if card is None:
                card = SupportWindow(store, parent=reflection)
                card.edit_people.connect(lambda: open_people_hint(card))
                reflection._support_card = card  # type: ignore[attr-defined]
            card.show()
            card.raise_()

        window.support_requested.connect(support)
    elif which == "history":
        from companion.ui.history import HistoryWindow

        window = HistoryWindow(journal, clock, settings)
    else:
        QMessageBox.information(
            None, _(APP_NAME), _("Nothing to open for {which!r}.").format(which=which)
        )
        return 1
    window.show()
    return int(qapp.exec())
