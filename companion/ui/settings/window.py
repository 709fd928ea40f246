"""The settings window: five tabs (Schedule, Day, Practice, System, People), Save and Cancel, and
one line that says why a value was refused.

Settings have one owner, the `SettingsStore`: the window fills its pages from
`store.settings`, and Save hands the store the settings with the person's edits
(`store.replace`), after the calendar links went to the keyring and start at login was
applied. The store validates, writes and tells everyone (`changed`); the window then
emits `saved(settings)` and closes. Only what the person edited in this window is
applied, over the settings as they are at Save: a preference changed elsewhere while
the window was open (the player's "no ratings") is not undone.

Each tab is a `Page` (`load`, `changes`, `fields`); a refused value is shown under the
form and the focus goes to the widget holding it: `SettingsError.field` -> the page
whose `fields` has it -> that widget. "Delete all my data" removes what
`companion.core.paths.data_to_delete` lists and emits `deleted_all()`; the app then
resets its store (`store.forget()`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.calendar import secrets as secrets_module
from companion.core.clock import Clock, SystemClock
from companion.core.paths import Paths, data_to_delete, delete_paths
from companion.core.settings import Settings, SettingsError
from companion.i18n import _
from companion.runtime import autostart as autostart_module
from companion.runtime.settings_store import SettingsStore
from companion.ui import kit, style
from companion.ui.settings.day_page import DayPage
from companion.ui.settings.delete_dialog import DeleteDataDialog
from companion.ui.settings.page import Page
from companion.ui.settings.people_page import PeoplePage
from companion.ui.settings.practice_page import PracticePage
from companion.ui.settings.schedule_page import SchedulePage
from companion.ui.settings.system_page import SystemPage


class SettingsWindow(QDialog):
    """Settings...: edit, then Save (validated, through the store) or Cancel.

    Signals: `saved(Settings)` after the store wrote the file; `deleted_all()` after
    "Delete all my data" removed everything (the app calls `store.forget()`);
    `calendar_tested(str)` with the text a calendar Test showed.
    """

    saved = Signal(object)
    deleted_all = Signal()
    calendar_tested = Signal(str)

    def __init__(
        self,
        store: SettingsStore,
        paths: Paths,
        *,
        practices: Sequence[tuple[str, str]] = (),
        clock: Clock | None = None,
        autostart: Any = None,
        secrets: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._paths = paths
        self._secrets: Any = secrets if secrets is not None else secrets_module
        clock = clock or SystemClock()
        settings = store.settings
        self._loaded: Settings = settings  # what the form was filled from
        self._saving = False
        store.changed.connect(self._store_changed)
        self.delete_dialog: DeleteDataDialog | None = None

        self.setWindowTitle(_("Grounding Companion settings"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # opened fresh each time
        self.setAccessibleName(_("Settings"))
        layout = QVBoxLayout(self)

        self.schedule = SchedulePage(settings, paths, clock=clock, secrets=self._secrets)
        self.day = DayPage(settings)
        self.practice = PracticePage(settings, practices)
        self.system = SystemPage(
            settings,
            paths,
            clock=clock,
            autostart=autostart if autostart is not None else autostart_module,
            practices=practices,
        )
        self.people = PeoplePage(settings)
        self.pages: tuple[Page, ...] = (
            self.schedule,
            self.day,
            self.practice,
            self.system,
            self.people,
        )
        self.tabs = kit.named(QTabWidget(), _("Settings sections"))
        self._areas: dict[int, QScrollArea] = {}
        for page in self.pages:
            area = kit.scrolling(page)
            # Not a Tab stop of its own (it would hold the focus invisibly); it still
            # scrolls to whichever of its fields has the focus.
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self._areas[id(page)] = area
            self.tabs.addTab(area, _(page.title))
        layout.addWidget(self.tabs, 1)
        self.schedule.calendars.tested.connect(self.calendar_tested)
        self.system.delete_requested.connect(self.ask_delete_all)
        self._exporting = False
        self.system.exporting.connect(self._export_running)

        self.error = kit.error_line(_("Problem with a setting"))
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox()
        self.save_button = kit.primary_button(
            _("&Save"), _("Save"), _("Check the settings, save them and close")
        )
        self.cancel_button = kit.button(_("Cancel"), _("Cancel"), _("Close without saving"))
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        fm = self.fontMetrics()
        style.fit_to_screen(self, fm.averageCharWidth() * 96, fm.height() * 36)

    # --- save -----------------------------------------------------------------------------

    def form_values(self) -> dict[str, Any]:
        """The whole form as Settings fields (not yet validated)."""
        values: dict[str, Any] = {}
        for page in self.pages:
            values.update(page.changes())
        return values

    def edits(self) -> dict[str, Any]:
        """The fields the person changed in this window."""
        return {
            name: value
            for name, value in self.form_values().items()
            if value != getattr(self._loaded, name)
        }

    def _export_running(self, running: bool) -> None:
        """While an export runs the window stays open (its result is shown here, and a
        person must learn whether their journal was written)."""
        self._exporting = running
        self.buttons.setEnabled(not running)

    def reject(self) -> None:
        if not self._exporting:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._exporting:
            event.ignore()
            return
        super().closeEvent(event)

    def _store_changed(self, settings: Settings, names: frozenset[str]) -> None:
        """Saved elsewhere while this window is open (say, the player's "don't ask me
        again"): a page the person has not touched shows the new values; on a page they
        have, their edits stay and the other change is kept too (Save writes only what
        was edited here, on top of the file as it is then)."""
        if self._saving:
            return
        edited = self.edits().keys()
        kept_old: dict[str, Any] = {}
        for page in self.pages:
            own = page.changes().keys()
            if not own & names:
                continue
            if own & edited:
                kept_old.update({n: getattr(self._loaded, n) for n in own & names})
            else:
                page.load(settings)
        self._loaded = replace(settings, **kept_old)

    def save(self) -> bool:
        """Validate, keep links, apply start at login, save through the store, emit `saved`."""
        edits = self.edits()
        try:
            new = self._store.settings.with_changes(**edits)
        except SettingsError as exc:
            self._refuse(str(exc), exc.field)
            return False
        calendars = self.schedule.calendars
        try:
            calendars.store_links(self._loaded.calendars)
        except Exception as exc:  # keyring back ends raise their own types
            self._refuse(
                _("calendars: the link could not be kept in the keyring ({reason})").format(
                    reason=exc
                ),
                "calendars",
            )
            return False
        try:
            self.system.apply_start_at_login(new.start_at_login, autostart_module.default_command())
        except OSError as exc:
            self._refuse(
                _("start_at_login: could not be changed ({reason})").format(
                    reason=exc.strerror or exc
                ),
                "start_at_login",
            )
            return False
        self._saving = True
        try:
            # Only what was edited here, on top of the file as it is now: a preference
            # another process saved meanwhile is not undone.
            new = self._store.update(**edits)
        except SettingsError as exc:
            self._refuse(str(exc), exc.field)
            return False
        except OSError as exc:
            self._refuse(
                _("{path}: could not be written ({reason})").format(
                    path=self._store.path, reason=exc.strerror or exc
                ),
                "",
            )
            return False
        finally:
            self._saving = False
        self._loaded = new
        calendars.forget_pending()
        kit.show_error(self.error, "")
        self.saved.emit(new)
        self.accept()
        return True

    def _refuse(self, message: str, field: str) -> None:
        """Show why nothing was saved, under the form, and go to the field that holds it."""
        kit.show_error(self.error, _("Not saved. {reason}").format(reason=message))
        for page in self.pages:
            if field in page.fields:
                area = self._areas[id(page)]
                self.tabs.setCurrentWidget(area)
                page.show_field(field)
                area.ensureWidgetVisible(page.fields[field])
                return

    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    # --- delete everything -------------------------------------------------------------------

    def ask_delete_all(self) -> DeleteDataDialog:
        """Open the confirmation (window-modal); deletion happens only when it is accepted."""
        links = sum(1 for c in self._store.settings.calendars if c.kind == "url")
        dialog = DeleteDataDialog(self._paths, links, self)
        dialog.accepted.connect(self._delete_all)
        dialog.finished.connect(dialog.deleteLater)
        self.delete_dialog = dialog
        dialog.open()
        return dialog

    def _delete_all(self) -> None:
        problems = []
        calendars = self.schedule.calendars
        url_ids = {c.id for c in self._store.settings.calendars if c.kind == "url"}
        url_ids |= set(calendars.pending_urls)
        if url_ids:
            try:
                for sid in sorted(url_ids):
                    self._secrets.delete_url(sid, self._paths)
            except Exception as exc:  # keyring back ends raise their own types
                problems.append(_("calendar links in the keyring: {reason}").format(reason=exc))
        problems += delete_paths(data_to_delete(self._paths))
        calendars.forget_pending()
        if problems:
            self._refuse(
                _("Some things could not be deleted: {problems}").format(
                    problems="; ".join(problems)
                ),
                "",
            )
            return
        self.deleted_all.emit()
        self.accept()
