"""The calendar setup: which calendars (files and links), which of their events are
sessions, and a Test that shows a day's sessions as times only.

A self-contained widget: it takes the settings it starts from, the paths, the clock and
the secrets module in its constructor, and gives back its values (`values()`: the
Settings fields it holds) and the links typed but not yet kept (`store_links`). The
settings window and the first-run welcome both embed it.

Privacy: a calendar link is a password. A link typed here is kept in memory until the
owner stores it (`store_links`, which hands it to the system keyring); only its masked
form is listed or shown. The Test shows "09:00–09:50 · heavy", never an event's title.

The Test reads the calendar with the rules *as they are in the form* (keywords, longest
session, allow http), for the day of the clock it was given, off the GUI thread
(`companion.runtime.tasks`). Hooks a test can replace: `choose_calendar_file()` (the
file picker) and `read_calendar(spec, rules, day)` (the reader).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.calendar import fetch
from companion.core.calendar import secrets as secrets_module
from companion.core.calendar.errors import CalendarError
from companion.core.calendar.sources import sessions_from_specs
from companion.core.calendar.warm import warm_up
from companion.core.clock import Clock, SystemClock
from companion.core.paths import Paths
from companion.core.settings import CalendarSource, Settings, SettingsError
from companion.i18n import _, ngettext
from companion.runtime.tasks import Outcome, first_line, run_in_background
from companion.ui import kit, text
from companion.ui.settings.page import add_row
from companion.ui.settings.week_editor import minutes_suffix

TestResult = list[tuple[datetime, datetime, bool]] | str
ReadCalendar = Callable[[str, Settings, date], TestResult]

#: The Settings fields this widget holds.
RULE_FIELDS = (
    "allow_http",
    "include_keywords",
    "exclude_keywords",
    "heavy_keywords",
    "max_session_minutes",
)


def keywords(typed: str) -> tuple[str, ...]:
    """ "lunch,  admin , " -> ("lunch", "admin")"""
    return tuple(part.strip() for part in typed.split(",") if part.strip())


def read_calendar(spec: str, rules: Settings, day: date) -> TestResult:
    """`day`'s sessions from one path or link, read with `rules` (keywords, longest
    session, http). Runs in the worker thread; touches no widget."""
    try:
        sessions = sessions_from_specs([spec], rules, day)
    except CalendarError as exc:
        return str(exc)
    return [(s.start, s.end, s.heavy) for s in sessions]


def format_sessions(result: TestResult, name: str = "") -> str:
    """What the Test shows: times and the heavy mark, one session a line.
    `name` is the calendar's file name or masked link."""
    if isinstance(result, str):
        return result
    if not result:
        if name:
            return _("No sessions today in {name}").format(name=name)
        return _("No sessions today in this calendar")
    lines = []
    for start, end, heavy in sorted(result):
        times = text.span(start.astimezone(), end.astimezone())
        lines.append(_("{times} · heavy").format(times=times) if heavy else times)
    n = len(lines)
    if name:
        head = ngettext("Today in {name}: {n} session", "Today in {name}: {n} sessions", n)
    else:
        head = ngettext(
            "Today in this calendar: {n} session", "Today in this calendar: {n} sessions", n
        )
    return head.format(name=name, n=n) + "\n" + "\n".join(lines)


class _LinkEdit(QLineEdit):
    """Enter adds the link and stops there: it must not also press the window's default
    button (Save, which would close the settings)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class CalendarSetup(QWidget):
    """The calendar list with Add file, Add link, Remove and Test; the keywords, the
    longest session and "allow http".

    Signals: `tested(str)` with the text a Test showed; `sources_changed()` after a
    calendar was added or removed (a window may then choose "my calendar").
    """

    tested = Signal(str)
    sources_changed = Signal()

    def __init__(
        self,
        settings: Settings,
        paths: Paths,
        *,
        clock: Clock | None = None,
        secrets: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._clock: Clock = clock or SystemClock()
        self._secrets: Any = secrets if secrets is not None else secrets_module
        self._sources: list[CalendarSource] = []
        self.pending_urls: dict[str, str] = {}  # source id -> link, until `store_links`
        self._test_token = 0
        # Hooks a test (or another platform) can replace.
        self.choose_calendar_file: Callable[[], str] = self._pick_calendar_file
        self.read_calendar: ReadCalendar = read_calendar

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._calendars_box())
        self.rules_box = self._rules_box()  # which events are sessions (a window may fold it)
        layout.addWidget(self.rules_box)
        layout.addStretch(1)

        self.fields: dict[str, QWidget] = {
            "calendars": self.calendar_list,
            "allow_http": self.allow_http,
            "include_keywords": self.include_edit,
            "exclude_keywords": self.exclude_edit,
            "heavy_keywords": self.heavy_edit,
            "max_session_minutes": self.max_session,
        }
        self.load(settings)

    # --- building ---------------------------------------------------------------------

    def _calendars_box(self) -> QGroupBox:
        box = QGroupBox(_("Calendars"))
        layout = QVBoxLayout(box)
        self.calendar_list = kit.named(QListWidget(), _("Calendar sources"))
        self.calendar_list.setMaximumHeight(self.fontMetrics().height() * 6)
        layout.addWidget(self.calendar_list)

        row = QHBoxLayout()
        self.add_file_button = kit.button(
            _("Add &file..."), _("Add a calendar file"), _("Choose an .ics file on this computer")
        )
        self.add_file_button.clicked.connect(self.add_file)
        self.remove_button = kit.button(_("&Remove"), _("Remove the selected calendar"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.test_button = kit.button(
            _("&Test"),
            _("Test the selected calendar"),
            _("Shows today's sessions from the selected calendar, as times only"),
        )
        self.test_button.clicked.connect(self.test_selected)
        for b in (self.add_file_button, self.remove_button, self.test_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)

        self.test_result = QLabel()
        self.test_result.setObjectName("card")
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName(_("Calendar test result"))
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.setMargin(self.fontMetrics().height() // 2)
        self.test_result.hide()
        layout.addWidget(self.test_result)

        url_row = QHBoxLayout()
        self.url_edit = kit.named(
            _LinkEdit(),
            _("Calendar link"),
            _(
                "A private link works like a password: it is kept in the system keyring "
                "and shown shortened"
            ),
        )
        self.url_edit.setPlaceholderText(_("https://… (a private calendar link)"))
        url_label = QLabel(_("&Link:"))
        url_label.setBuddy(self.url_edit)
        self.add_url_button = kit.button(_("Add l&ink"), _("Add the calendar link"))
        self.add_url_button.clicked.connect(self.add_url)
        self.url_edit.returnPressed.connect(self.add_url)
        url_row.addWidget(url_label)
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.add_url_button)
        layout.addLayout(url_row)
        layout.addWidget(
            kit.hint(
                _(
                    "Only the start and end of each event are kept. Titles and descriptions "
                    "are read to apply the keywords below, then forgotten."
                )
            )
        )
        self.allow_http = kit.named(
            QCheckBox(_("Allow &unencrypted http links")), _("Allow plain http links")
        )
        layout.addWidget(self.allow_http)
        return box

    def _rules_box(self) -> QGroupBox:
        box = QGroupBox(_("Which events are sessions"))
        form = kit.form(box)
        self.include_edit = QLineEdit()
        self.exclude_edit = QLineEdit()
        self.heavy_edit = QLineEdit()
        for edit, name, example in (
            (self.include_edit, _("Only events with these words"), _("empty: every timed event")),
            (self.exclude_edit, _("Never events with these words"), _("for example: lunch, admin")),
            (self.heavy_edit, _("Heavy when an event has these words"), _("for example: intake")),
        ):
            kit.named(edit, name, _("Words separated by commas"))
            edit.setPlaceholderText(example)
            # A line of words wants room; the form otherwise keeps fields at their hint.
            edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        self.max_session = kit.spin(
            "max_session_minutes", 180, _("Longest session"), suffix=minutes_suffix()
        )
        add_row(form, _("&Only events with:"), self.include_edit)
        add_row(form, _("&Never events with:"), self.exclude_edit)
        add_row(form, _("Hea&vy when it has:"), self.heavy_edit)
        add_row(form, _("Lon&gest session:"), self.max_session)
        form.addRow(kit.hint(_("Words are separated by commas; case does not matter.")))
        return box

    # --- values -----------------------------------------------------------------------

    def load(self, settings: Settings) -> None:
        """Show `settings`' calendars and rules (links typed but not stored are dropped)."""
        self._sources = list(settings.calendars)
        self.pending_urls.clear()
        self.allow_http.setChecked(settings.allow_http)
        self.include_edit.setText(", ".join(settings.include_keywords))
        self.exclude_edit.setText(", ".join(settings.exclude_keywords))
        self.heavy_edit.setText(", ".join(settings.heavy_keywords))
        self.max_session.setValue(settings.max_session_minutes)
        self._refresh_list()

    def values(self) -> dict[str, Any]:
        """The Settings fields held here, as the form has them (not yet validated)."""
        return {"calendars": tuple(self._sources), **self._rule_values()}

    def _rule_values(self) -> dict[str, Any]:
        return {
            "allow_http": self.allow_http.isChecked(),
            "include_keywords": keywords(self.include_edit.text()),
            "exclude_keywords": keywords(self.exclude_edit.text()),
            "heavy_keywords": keywords(self.heavy_edit.text()),
            "max_session_minutes": self.max_session.value(),
        }

    def rules(self) -> Settings:
        """Settings carrying the rules as typed now (what the Test reads with).
        Raises SettingsError for a rule that is not allowed."""
        return Settings().with_changes(**self._rule_values())

    def sources(self) -> tuple[CalendarSource, ...]:
        return tuple(self._sources)

    def store_links(self, before: Sequence[CalendarSource]) -> None:
        """Keep the links typed here (for the calendars still listed) in the keyring, and
        forget the links of calendars in `before` that were removed. Raises what the
        keyring raises; call `forget_pending` once the settings are saved."""
        kept = {c.id for c in self._sources}
        for source_id, url in self.pending_urls.items():
            if source_id in kept:
                self._secrets.store_url(source_id, url, self._paths)
        for old in before:
            if old.kind == "url" and old.id not in kept:
                self._secrets.delete_url(old.id, self._paths)

    def forget_pending(self) -> None:
        self.pending_urls.clear()

    # --- the list -----------------------------------------------------------------------

    def _refresh_list(self) -> None:
        self.calendar_list.clear()
        for source in self._sources:
            if source.kind == "file":
                shown = _("File · {path}").format(path=source.path)
            else:
                shown = _("Link · {name}").format(name=self._link_label(source))
            item = QListWidgetItem(shown)
            item.setData(Qt.ItemDataRole.UserRole, source.id)
            self.calendar_list.addItem(item)
        if self._sources:
            self.calendar_list.setCurrentRow(self.calendar_list.count() - 1)
        has = bool(self._sources)
        self.remove_button.setEnabled(has)
        self.test_button.setEnabled(has)

    def _link_label(self, source: CalendarSource) -> str:
        """A link source as shown: masked again, in case a label was ever stored whole."""
        label = source.label or _("calendar link")
        return str(self._secrets.shown(label))

    def _pick_calendar_file(self) -> str:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose a calendar file"),
            str(Path.home()),
            _("iCalendar (*.ics);;All files (*)"),
        )
        return str(path)

    def add_file(self) -> None:
        path = self.choose_calendar_file()
        if not path:
            return
        self._sources.append(
            CalendarSource(id=uuid.uuid4().hex[:12], kind="file", path=path, label=Path(path).name)
        )
        self._refresh_list()
        self.sources_changed.emit()

    def add_url(self) -> None:
        url = self.url_edit.text().strip()
        if not url:
            return
        try:
            url = fetch.check_url(url, allow_http=self.allow_http.isChecked())
        except CalendarError as exc:
            self._show_test_text(str(exc))  # masked: no token reaches the window
            return
        source_id = uuid.uuid4().hex[:12]
        self.pending_urls[source_id] = url
        self._sources.append(
            CalendarSource(id=source_id, kind="url", label=self._secrets.mask_url(url))
        )
        self.url_edit.clear()
        self._refresh_list()
        self.sources_changed.emit()

    def _selected_source(self) -> CalendarSource | None:
        item = self.calendar_list.currentItem()
        if item is None:
            return None
        sid = item.data(Qt.ItemDataRole.UserRole)
        return next((s for s in self._sources if s.id == sid), None)

    def remove_selected(self) -> None:
        source = self._selected_source()
        if source is None:
            return
        self._sources.remove(source)
        self.pending_urls.pop(source.id, None)
        self._refresh_list()
        self.sources_changed.emit()

    # --- the Test -----------------------------------------------------------------------

    def spec_resolver(self, source: CalendarSource) -> Callable[[], str]:
        """How a worker finds what to read for `source`: a path, or the link (pending or in
        the keyring). Call it on the GUI thread; call what it returns in the worker."""
        return self._spec_resolver(source)

    def _spec_resolver(self, source: CalendarSource) -> Callable[[], str]:
        """How the worker finds what to test: a path, or the link (pending or in the keyring)."""
        if source.kind == "file":
            return lambda: source.path
        pending = self.pending_urls.get(source.id)
        if pending:
            return lambda: pending
        secrets, paths = self._secrets, self._paths
        missing = _("no link is stored for this calendar; remove it and add it again")

        def from_keyring() -> str:
            url = secrets.get_url(source.id, paths)
            if not url:
                raise LookupError(missing)
            return str(url)

        return from_keyring

    def test_selected(self) -> None:
        """Read the selected calendar for the clock's day with the rules in the form, in a
        worker; the answer is shown (and `tested` emitted) back on the GUI thread."""
        source = self._selected_source()
        if source is None:
            return
        try:
            rules = self.rules()
        except SettingsError as exc:
            self._show_test_text(str(exc))
            return
        day = self._clock.now().date()
        name = Path(source.path).name if source.kind == "file" else self._link_label(source)
        resolve, read = self._spec_resolver(source), self.read_calendar
        could_not = _("The test could not finish: {reason}")
        the_link = _("the link")

        def task() -> TestResult:
            spec = ""
            try:
                spec = resolve()
                return read(spec, rules, day)
            except Exception as exc:  # any failure is one line in the window, never a traceback
                reason = first_line(exc)
                if spec:
                    reason = reason.replace(spec, the_link)
                return could_not.format(reason=reason)

        self._test_token += 1
        token = self._test_token
        self.test_button.setEnabled(False)
        self._show_test_text(_("Testing…"))
        run_in_background(
            task,
            lambda outcome: self._test_done(token, name, outcome),
            context=self,
            prepare=warm_up,
            name="calendar-test",
        )

    def _test_done(self, token: int, name: str, outcome: Outcome[TestResult]) -> None:
        if token != self._test_token:
            return  # an older Test of ours
        self.test_button.setEnabled(bool(self._sources))
        if outcome.ok:
            shown = format_sessions(outcome.result(), name)
        else:  # the task catches everything; this is the belt to those braces
            shown = _("The test could not finish: {reason}").format(
                reason=first_line(outcome.error or RuntimeError())
            )
        self._show_test_text(shown)
        self.tested.emit(shown)

    def _show_test_text(self, shown: str) -> None:
        self.test_result.setText(shown)
        self.test_result.show()
