"""The settings window: schedule, day, practice and system, in four tabs.

It shows the settings and turns the form into a `Settings` through
`Settings.with_changes`, which validates; a refused value is shown under the form
with the field and the allowed range, and nothing is written. On success it writes
the file with `save_settings` and emits `saved(new_settings)`; the tray app re-plans.

Privacy: a calendar link is a password. It is handed to `companion.core.calendar.secrets`
(the system keyring) on Save, and only its masked form is kept in Settings or shown.
The Test button runs `test_calendar` off the GUI thread and shows today's sessions as
times only ("09:00–09:50 · heavy"), never an event's title or the link.

Dialogs that need a person (file pickers, the folder opener) are attributes a test
can replace: `choose_calendar_file`, `choose_export_target`, `open_folder`.
"""

from __future__ import annotations

import contextlib
import functools
import html
import itertools
import shutil
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTime, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from companion.core import export
from companion.core.calendar import fetch
from companion.core.calendar import secrets as secrets_module
from companion.core.calendar.errors import CalendarError
from companion.core.calendar.ical import parse_sessions
from companion.core.calendar.sources import sessions_from_specs
from companion.core.clock import Clock, SystemClock
from companion.core.files import write_atomic
from companion.core.journal import Journal, JournalError
from companion.core.paths import Paths
from companion.core.settings import (
    SOUND_LEVELS,
    WEEKDAYS,
    CalendarSource,
    Settings,
    SettingsError,
    WeeklySession,
    parse_hhmm,
    save_settings,
)
from companion.runtime import autostart as autostart_module
from companion.ui import style

TestResult = list[tuple[datetime, datetime, bool]] | str
TestCalendar = Callable[[str], TestResult]

EXPORT_FORMATS = (
    ("json", "JSON: everything, for another program"),
    ("md", "Markdown: a readable journal"),
    ("csv", "CSV: one table per kind of record (a folder)"),
)
CONFIRM_WORD = "DELETE"


# --- small helpers -------------------------------------------------------------------------


def _named(widget: QWidget, name: str, description: str = "") -> QWidget:
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)
    return widget


def _time_edit(value: str, name: str) -> QTimeEdit:
    edit = QTimeEdit(QTime.fromString(value or "00:00", "HH:mm"))
    edit.setDisplayFormat("HH:mm")
    _named(edit, name)
    return edit


def _spin(lo: int, hi: int, value: int, name: str, suffix: str = " min") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(lo, hi)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setAccelerated(True)
    _named(spin, name)
    return spin


def _hhmm_of(edit: QTimeEdit) -> str:
    return edit.time().toString("HH:mm")


def _keywords(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _muted(label: QLabel) -> QLabel:
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, style.palette_colors(label).muted)
    label.setPalette(pal)
    label.setWordWrap(True)
    return label


def _hint(text: str) -> QLabel:
    label = _muted(QLabel(text))
    label.setFont(style.font(0.9))
    return label


def _form(parent: QWidget) -> QFormLayout:
    """A form whose fields keep their natural width (a "4 min" box need not span the window)."""
    form = QFormLayout(parent)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    return form


def _scrolling(page: QWidget) -> QScrollArea:
    """Each tab scrolls, so nothing is cut off at 150 % or on a small screen."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def format_sessions(result: TestResult, name: str = "") -> str:
    """What the Test button shows: times and the heavy mark, one session a line.
    `name` is the calendar's file name or masked link."""
    where = f" in {name}" if name else " in this calendar"
    if isinstance(result, str):
        return result
    if not result:
        return f"No sessions today{where}"
    lines = []
    for start, end, heavy in sorted(result):
        a, b = start.astimezone(), end.astimezone()
        line = f"{a:%H:%M}–{b:%H:%M}"
        lines.append(line + " · heavy" if heavy else line)
    n = len(lines)
    head = f"Today{where}: {n} session{'s' if n != 1 else ''}"
    return head + "\n" + "\n".join(lines)


def default_test_calendar(settings: Settings, day: date) -> TestCalendar:
    """The Test's default: `day`'s sessions from one path or link, read with `settings`'
    rules (keywords, longest session, http). Runs in the worker thread; touches no widget."""

    def run(spec: str) -> TestResult:
        try:
            sessions = sessions_from_specs([spec], settings, day)
        except CalendarError as exc:
            return str(exc)
        return [(s.start, s.end, s.heavy) for s in sessions]

    return run


_WARM_UP_CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:Europe/Berlin\r\nBEGIN:VEVENT\r\n"
    "UID:warm-up\r\nDTSTART;TZID=Eastern Standard Time:{d}T090000\r\n"
    "DTEND;TZID=Eastern Standard Time:{d}T095000\r\nRRULE:FREQ=DAILY\r\n"
    "EXDATE;TZID=Eastern Standard Time:20200101T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
_warmed = False


def warm_up_calendar_code(day: date) -> None:
    """Import, on the GUI thread, what the calendar Test would otherwise import first in
    its worker (icalendar, recurring-ical-events, zoneinfo, the idna codec, keyring).

    PySide6 hooks every import (shiboken's feature check reads the new module's source);
    a first import inside a worker while the GUI thread runs crashed the test process
    about one run in four. A tiny calendar parsed once here leaves the worker nothing
    new to import. Once per process; about 0.2 s the first time (mostly keyring).
    """
    global _warmed  # noqa: PLW0603 (once per process)
    if _warmed:
        return
    _warmed = True
    with contextlib.suppress(CalendarError):  # a failed warm-up still imported what it could
        parse_sessions(_WARM_UP_CALENDAR.format(d=day.strftime("%Y%m%d")).encode(), "warm", day)
    "calendar.example.org".encode("idna")
    secrets_module.keyring_usable()


# --- deleting everything -------------------------------------------------------------------


def data_to_delete(paths: Paths) -> list[Path]:
    """Everything the app wrote that "Delete all my data" removes, as it exists now.

    The user's own practice files (config/practices) are theirs and stay.
    """
    data = paths.data
    found: list[Path] = []
    if data.is_dir():
        patterns = (
            "journal*.json*",  # every year, and corrupt copies kept aside
            "drafts",
            "draft*.json",
            paths.calendar_cache.name + "*",  # and its lock file
            paths.status.name,
            paths.log.name + "*",
            secrets_module.FALLBACK_NAME + "*",  # calendar links kept without a keyring
            ".*.tmp",  # a write interrupted by a crash
            ".journal.lock",
        )
        for pattern in patterns:
            found += sorted(data.glob(pattern))
        if paths.backups.exists():
            found.append(paths.backups)
    if paths.settings.exists():
        found.append(paths.settings)
    return found


def delete_paths(targets: Sequence[Path]) -> list[str]:
    """Delete files and folders; returns one line per thing that could not be deleted."""
    problems = []
    for target in targets:
        try:
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        except OSError as exc:
            problems.append(f"{target}: {exc.strerror or exc}")
    return problems


# --- the calendar test, off the GUI thread ------------------------------------------------


class _Relay(QObject):
    """Carries a finished Test back to the GUI thread. One for the whole app, made on the
    GUI thread and never deleted, so a worker can always emit on it (even after the
    window that asked has closed); each window listens for its own request numbers."""

    finished = Signal(int, object)  # request number, TestResult


_relay: _Relay | None = None
_requests = itertools.count(1)


def _the_relay() -> _Relay:
    global _relay  # noqa: PLW0603 (one relay for the process, created on first use)
    if _relay is None:
        _relay = _Relay()
    return _relay


def _run_test(relay: _Relay, token: int, resolve: Callable[[], str], run: TestCalendar) -> None:
    """The worker's part: find the path or link, run the test, send back one result."""
    spec = ""
    try:
        spec = resolve()
        result: TestResult = run(spec)
    except Exception as exc:  # any failure is one line in the window, never a traceback
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if spec:
            text = text.replace(spec, "the link")
        result = f"The test could not finish: {text}"
    relay.finished.emit(token, result)


# --- the standing week editor ---------------------------------------------------------------

COL_START, COL_MINUTES, COL_ENDS, COL_HEAVY = range(4)


@dataclass
class _Row:
    start: str
    minutes: int
    heavy: bool


class _WeekDelegate(QStyledItemDelegate):
    """Start as a time editor, length as a spin box in minutes."""

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget:
        if index.column() == COL_START:
            edit = QTimeEdit(parent)
            edit.setDisplayFormat("HH:mm")
            edit.setAccessibleName("Session start")
            return edit
        if index.column() == COL_MINUTES:
            spin = QSpinBox(parent)
            spin.setRange(5, 360)
            spin.setSuffix(" min")
            spin.setAccessibleName("Session length in minutes")
            return spin
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QTimeEdit):
            editor.setTime(QTime.fromString(str(value), "HH:mm"))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        if isinstance(editor, QTimeEdit):
            model.setData(index, editor.time().toString("HH:mm"), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def displayText(self, value: Any, locale: Any) -> str:
        if isinstance(value, int):
            return f"{value} min"
        return super().displayText(value, locale)


class _WeekTable(QTableWidget):
    """The day's sessions; Delete (or Backspace) removes the selected one."""

    remove_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)


class WeekEditor(QWidget):
    """Weekdays on the left, that day's sessions as a table on the right."""

    def __init__(self, week: Sequence[WeeklySession], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: dict[int, list[_Row]] = {d: [] for d in range(7)}
        for w in sorted(week, key=lambda w: (w.weekday, w.start)):
            self._days[w.weekday].append(_Row(w.start, w.minutes, w.heavy))
        self._current = 0
        self._loading = False

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.days = QListWidget()
        _named(self.days, "Weekday", "Choose a day to see and edit its sessions")
        for _day in range(7):
            self.days.addItem(QListWidgetItem())
        self.days.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        self.days.setSpacing(3)
        fm = self.days.fontMetrics()
        self.days.setMinimumWidth(fm.horizontalAdvance("Wednesday · 10 sessions") + fm.height() * 2)
        self._label_days()
        layout.addWidget(self.days)

        right = QVBoxLayout()
        self.table = _WeekTable(0, 4)
        _named(
            self.table,
            "Sessions on the chosen day",
            "Arrow keys move, F2 or typing edits, Space marks a session heavy, Delete removes it",
        )
        self.table.setHorizontalHeaderLabels(["Start", "Length", "Ends", "Heavy"])
        self.table.setItemDelegate(_WeekDelegate(self.table))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        right.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add session")
        _named(self.add_button, "Add session", "Add a session to the chosen day")
        self.add_button.clicked.connect(self.add_session)
        self.remove_button = QPushButton("Re&move session")
        _named(self.remove_button, "Remove session", "Remove the selected session")
        self.remove_button.clicked.connect(self.remove_session)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        layout.addLayout(right, 1)

        self.table.remove_requested.connect(self.remove_session)

        self.days.currentRowChanged.connect(self.show_day)
        first = next((d for d in range(7) if self._days[d]), 0)
        self.days.setCurrentRow(first)
        self.show_day(first)

    # state ---------------------------------------------------------------------------

    def sessions(self) -> tuple[WeeklySession, ...]:
        return tuple(
            WeeklySession(weekday=d, start=r.start, minutes=r.minutes, heavy=r.heavy)
            for d in range(7)
            for r in sorted(self._days[d], key=lambda r: r.start)
        )

    def current_day(self) -> int:
        return self._current

    def _label_days(self) -> None:
        for d in range(7):
            n = len(self._days[d])
            count = "no sessions" if n == 0 else f"{n} session{'s' if n != 1 else ''}"
            self.days.item(d).setText(f"{WEEKDAYS[d]} · {count}")

    # table -----------------------------------------------------------------------------

    def show_day(self, weekday: int) -> None:
        if weekday < 0:
            return
        self._current = weekday
        self._loading = True
        rows = self._days[weekday]
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            self._set_row(i, row)
        self._loading = False
        if self.days.currentRow() != weekday:
            self.days.setCurrentRow(weekday)

    def _set_row(self, i: int, row: _Row) -> None:
        start = QTableWidgetItem()
        start.setData(Qt.ItemDataRole.EditRole, row.start)
        minutes = QTableWidgetItem()
        minutes.setData(Qt.ItemDataRole.EditRole, row.minutes)
        ends = QTableWidgetItem(_ends(row))
        ends.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        heavy = QTableWidgetItem("heavy" if row.heavy else "")
        heavy.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        heavy.setCheckState(Qt.CheckState.Checked if row.heavy else Qt.CheckState.Unchecked)
        for col, item in ((COL_START, start), (COL_MINUTES, minutes), (COL_ENDS, ends)):
            self.table.setItem(i, col, item)
        self.table.setItem(i, COL_HEAVY, heavy)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        rows = self._days[self._current]
        i = item.row()
        if not 0 <= i < len(rows):
            return
        row = rows[i]
        if item.column() == COL_START:
            text = str(item.data(Qt.ItemDataRole.EditRole))
            try:
                parse_hhmm(text)
                row.start = text
            except ValueError:
                pass
        elif item.column() == COL_MINUTES:
            with contextlib.suppress(TypeError, ValueError):
                row.minutes = int(item.data(Qt.ItemDataRole.EditRole))
        elif item.column() == COL_HEAVY:
            row.heavy = item.checkState() == Qt.CheckState.Checked
        else:
            return
        self._loading = True
        self._set_row(i, row)
        self._loading = False

    def add_session(self) -> None:
        rows = self._days[self._current]
        if rows:
            last = max(rows, key=lambda r: r.start)
            t = parse_hhmm(last.start)
            minutes = min(t.hour * 60 + t.minute + 60, 23 * 60)  # an hour after the last one
            new = _Row(f"{minutes // 60:02d}:{minutes % 60:02d}", last.minutes, False)
        else:
            new = _Row("09:00", 50, False)
        rows.append(new)
        self._label_days()
        self.show_day(self._current)
        self.table.setCurrentCell(len(rows) - 1, COL_START)
        self.table.setFocus()

    def remove_session(self) -> None:
        i = self.table.currentRow()
        rows = self._days[self._current]
        if not 0 <= i < len(rows):
            return
        del rows[i]
        self._label_days()
        self.show_day(self._current)
        if rows:
            self.table.setCurrentCell(min(i, len(rows) - 1), COL_START)


def _ends(row: _Row) -> str:
    t = parse_hhmm(row.start)
    total = t.hour * 60 + t.minute + row.minutes
    h, m = divmod(total % (24 * 60), 60)
    return f"{h:02d}:{m:02d}" + (" (next day)" if total >= 24 * 60 else "")


# --- the confirmation for "Delete all my data" -----------------------------------------------


class DeleteDataDialog(QDialog):
    """Names what will go and asks for the word DELETE before the destructive button works."""

    def __init__(self, paths: Paths, links: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Delete all my data")
        self.setAccessibleName("Delete all my data")
        layout = QVBoxLayout(self)
        layout.setSpacing(self.fontMetrics().height() // 2)
        head = QLabel("Delete all your Grounding Companion data from this computer?")
        head.setFont(style.font(1.15, bold=True))
        head.setWordWrap(True)
        layout.addWidget(head)
        what = [
            "your journal: practices, glimmers, reflections and day summaries",
            "the journal's daily backups and any unsaved drafts",
            "the calendar cache (session times kept for planning offline)",
            "your settings, including the standing week",
        ]
        if links:
            what.append(
                f"the {links} calendar link{'s' if links != 1 else ''} kept in the system keyring"
            )
        folders = f"<b>{html.escape(str(paths.data))}</b>"
        if paths.config != paths.data:
            folders += f" and <b>{html.escape(str(paths.config))}</b>"
        body = QLabel(
            f"This deletes, from {folders}:<ul>"
            + "".join(f"<li>{w}</li>" for w in what)
            + "</ul>Your own practice files are kept.<br><br>"
            "<b>This cannot be undone.</b> If you want a copy, use Export first."
        )
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setWordWrap(True)
        body.setAccessibleName("What will be deleted")
        layout.addWidget(body)

        self.confirm = QLineEdit()
        _named(self.confirm, f"Type {CONFIRM_WORD} to confirm")
        label = QLabel(f"To confirm, &type {CONFIRM_WORD}:")
        label.setBuddy(self.confirm)
        layout.addWidget(label)
        layout.addWidget(self.confirm)

        buttons = QDialogButtonBox()
        self.keep = buttons.addButton("&Keep my data", QDialogButtonBox.ButtonRole.RejectRole)
        _named(self.keep, "Keep my data")
        self.delete_button = buttons.addButton(
            "&Delete all my data", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        _named(self.delete_button, "Delete all my data", "Deletes everything listed above")
        self.delete_button.setEnabled(False)
        self.delete_button.setAutoDefault(False)
        pal = self.delete_button.palette()
        pal.setColor(QPalette.ColorRole.ButtonText, style.palette_colors(self).warm)
        self.delete_button.setPalette(pal)
        self.keep.setDefault(True)
        self.delete_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.confirm.textChanged.connect(
            lambda text: self.delete_button.setEnabled(text.strip() == CONFIRM_WORD)
        )
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self.confirm.setFocus()


# --- the window ---------------------------------------------------------------------------


class SettingsWindow(QDialog):
    """Settings...: edit, then Save (validated) or Cancel.

    Signals: `saved(Settings)` after the file is written; `deleted_all()` after
    "Delete all my data" removed everything (the app should start over on defaults).
    """

    saved = Signal(object)
    deleted_all = Signal()
    calendar_tested = Signal(str)  # the text shown under the calendar list

    def __init__(
        self,
        settings: Settings,
        paths: Paths,
        *,
        practices: Sequence[tuple[str, str]] = (),
        test_calendar: TestCalendar | None = None,
        autostart: object | None = None,
        secrets: object | None = None,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._paths = paths
        self._practices = list(practices)
        self._test_calendar = test_calendar
        self._autostart: Any = autostart if autostart is not None else autostart_module
        self._secrets: Any = secrets if secrets is not None else secrets_module
        self._clock = clock or SystemClock()
        self._sources: list[CalendarSource] = list(settings.calendars)
        self._pending_urls: dict[str, str] = {}  # source id -> link, stored on Save
        self._test_token = 0
        self._test_name = ""
        self._relay = _the_relay()
        self._relay.finished.connect(self._calendar_test_done)
        self.delete_dialog: DeleteDataDialog | None = None
        # Hooks a test (or another platform) can replace.
        self.choose_calendar_file: Callable[[], str] = self._pick_calendar_file
        self.choose_export_target: Callable[[str], str] = self._pick_export_target
        self.open_folder: Callable[[Path], object] = lambda p: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(p))
        )
        self._field_widgets: dict[str, tuple[int, QWidget]] = {}

        self.setWindowTitle("Grounding Companion settings")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # opened fresh each time
        self.setAccessibleName("Settings")
        layout = QVBoxLayout(self)

        self.tabs = QTabWidget()
        _named(self.tabs, "Settings sections")
        self.tabs.addTab(_scrolling(self._schedule_page()), "Sc&hedule")
        self.tabs.addTab(_scrolling(self._day_page()), "&Day")
        self.tabs.addTab(_scrolling(self._practice_page()), "&Practice")
        self.tabs.addTab(_scrolling(self._system_page()), "S&ystem")
        layout.addWidget(self.tabs, 1)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem with a setting")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        pal = self.error.palette()
        pal.setColor(QPalette.ColorRole.WindowText, style.palette_colors(self).warm)
        self.error.setPalette(pal)
        self.error.hide()
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        _named(self.save_button, "Save", "Check the settings, save them and close")
        self.cancel_button = self.buttons.addButton(
            "Cancel", QDialogButtonBox.ButtonRole.RejectRole
        )
        _named(self.cancel_button, "Cancel", "Close without saving")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        fm = self.fontMetrics()
        style.fit_to_screen(self, fm.averageCharWidth() * 96, fm.height() * 36)

    # --- pages ----------------------------------------------------------------------------

    def _field(self, name: str, tab: int, widget: QWidget) -> None:
        self._field_widgets[name] = (tab, widget)

    def _schedule_page(self) -> QWidget:
        s = self._settings
        page = QWidget()
        layout = QVBoxLayout(page)

        source_row = QHBoxLayout()
        source_label = QLabel("My sessions come from:")
        source_row.addWidget(source_label)
        self.source_week = QRadioButton("a standing &week")
        _named(self.source_week, "Sessions from a standing week")
        self.source_calendar = QRadioButton("my &calendar (iCalendar file or link)")
        _named(self.source_calendar, "Sessions from my calendar")
        group = QButtonGroup(page)
        group.addButton(self.source_week)
        group.addButton(self.source_calendar)
        source_row.addWidget(self.source_week)
        source_row.addWidget(self.source_calendar)
        source_row.addStretch(1)
        layout.addLayout(source_row)
        self._field("schedule_source", 0, self.source_week)

        # The standing week.
        week_box = QGroupBox("Standing week")
        week_layout = QVBoxLayout(week_box)
        self.week = WeekEditor(s.week)
        week_layout.addWidget(self.week, 1)
        week_layout.addWidget(
            _hint(
                "Double-click a time or length (or press F2) to change it. Mark a session "
                "heavy if it usually leaves you carrying a lot: after it, a longer practice "
                "is offered."
            )
        )
        self.week_box = week_box
        layout.addWidget(week_box, 1)
        self._field("week", 0, self.week.table)
        self._field("one_offs", 0, self.week.table)

        # Calendars.
        cal_page = QWidget()
        cal_layout = QVBoxLayout(cal_page)
        cal_layout.setContentsMargins(0, 0, 0, 0)
        cal_box = QGroupBox("Calendars")
        cal_box_layout = QVBoxLayout(cal_box)
        self.calendar_list = QListWidget()
        _named(self.calendar_list, "Calendar sources")
        self.calendar_list.setMaximumHeight(self.fontMetrics().height() * 6)
        cal_box_layout.addWidget(self.calendar_list)
        row = QHBoxLayout()
        self.add_file_button = QPushButton("Add &file...")
        _named(self.add_file_button, "Add a calendar file", "Choose an .ics file on this computer")
        self.add_file_button.clicked.connect(self._add_file)
        self.remove_calendar_button = QPushButton("&Remove")
        _named(self.remove_calendar_button, "Remove the selected calendar")
        self.remove_calendar_button.clicked.connect(self._remove_calendar)
        self.test_button = QPushButton("&Test")
        _named(
            self.test_button,
            "Test the selected calendar",
            "Shows today's sessions from the selected calendar, as times only",
        )
        self.test_button.clicked.connect(self.test_selected_calendar)
        for b in (self.add_file_button, self.remove_calendar_button, self.test_button):
            row.addWidget(b)
        row.addStretch(1)
        cal_box_layout.addLayout(row)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName("Calendar test result")
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.setFrameShape(QFrame.Shape.StyledPanel)
        self.test_result.setMargin(self.fontMetrics().height() // 2)
        self.test_result.hide()
        cal_box_layout.addWidget(self.test_result)

        url_row = QHBoxLayout()
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://… (a private calendar link)")
        _named(
            self.url_edit,
            "Calendar link",
            "A private link works like a password: it is kept in the system keyring "
            "and shown shortened",
        )
        url_label = QLabel("&Link:")
        url_label.setBuddy(self.url_edit)
        self.add_url_button = QPushButton("Add l&ink")
        _named(self.add_url_button, "Add the calendar link")
        self.add_url_button.clicked.connect(self._add_url)
        self.url_edit.returnPressed.connect(self._add_url)
        url_row.addWidget(url_label)
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.add_url_button)
        cal_box_layout.addLayout(url_row)
        cal_box_layout.addWidget(
            _hint(
                "Only the start and end of each event are kept. Titles and descriptions "
                "are read to apply the keywords below, then forgotten."
            )
        )
        self.allow_http = QCheckBox("Allow &unencrypted http links")
        _named(self.allow_http, "Allow plain http links")
        self.allow_http.setChecked(s.allow_http)
        cal_box_layout.addWidget(self.allow_http)
        cal_layout.addWidget(cal_box)

        words = QGroupBox("Which events are sessions")
        form = QFormLayout(words)
        self.include_edit = QLineEdit(", ".join(s.include_keywords))
        self.exclude_edit = QLineEdit(", ".join(s.exclude_keywords))
        self.heavy_edit = QLineEdit(", ".join(s.heavy_keywords))
        for edit, name, hint in (
            (self.include_edit, "Only events with these words", "empty: every timed event"),
            (self.exclude_edit, "Never events with these words", "for example: lunch, admin"),
            (self.heavy_edit, "Heavy when an event has these words", "for example: intake"),
        ):
            _named(edit, name, "Words separated by commas")
            edit.setPlaceholderText(hint)
        self.max_session = _spin(15, 720, s.max_session_minutes, "Longest session")
        self._add_row(form, "&Only events with:", self.include_edit)
        self._add_row(form, "&Never events with:", self.exclude_edit)
        self._add_row(form, "Hea&vy when it has:", self.heavy_edit)
        self._add_row(form, "Lon&gest session:", self.max_session)
        form.addRow(_hint("Words are separated by commas; case does not matter."))
        cal_layout.addWidget(words)
        cal_layout.addStretch(1)
        self.calendar_page = cal_page
        layout.addWidget(cal_page, 1)
        self._field("calendars", 0, self.calendar_list)
        self._field("allow_http", 0, self.allow_http)
        self._field("include_keywords", 0, self.include_edit)
        self._field("exclude_keywords", 0, self.exclude_edit)
        self._field("heavy_keywords", 0, self.heavy_edit)
        self._field("max_session_minutes", 0, self.max_session)

        self.source_week.toggled.connect(lambda on: self._show_source(0 if on else 1))
        calendar = s.schedule_source == "calendar"
        (self.source_calendar if calendar else self.source_week).setChecked(True)
        self._show_source(1 if calendar else 0)
        self._refresh_calendar_list()
        return page

    def _show_source(self, index: int) -> None:
        """Show the editor for one source; the hidden one takes no room in the layout."""
        self.week_box.setVisible(index == 0)
        self.calendar_page.setVisible(index == 1)

    @staticmethod
    def _add_row(form: QFormLayout, text: str, field: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)
        return label

    def _day_page(self) -> QWidget:
        s = self._settings
        page = QWidget()
        layout = QVBoxLayout(page)

        hours = QGroupBox("Working hours")
        form = _form(hours)
        span = QHBoxLayout()
        self.working_start = _time_edit(s.working_start, "Working hours start")
        self.working_end = _time_edit(s.working_end, "Working hours end")
        start_label = QLabel("&From")
        start_label.setBuddy(self.working_start)
        end_label = QLabel("&until")
        end_label.setBuddy(self.working_end)
        span.addWidget(start_label)
        span.addWidget(self.working_start)
        span.addWidget(end_label)
        span.addWidget(self.working_end)
        span.addStretch(1)
        form.addRow(span)
        form.addRow(_hint("Outside these hours nothing is offered."))
        layout.addWidget(hours)
        self._field("working_start", 1, self.working_start)
        self._field("working_end", 1, self.working_end)

        breaks = QGroupBox("Breaks between sessions")
        form = _form(breaks)
        self.min_gap = _spin(1, 60, s.min_gap_minutes, "Shortest break worth an offer")
        self.grace = _spin(0, 30, s.grace_minutes, "Minutes kept for notes after a session")
        self.wrapup = _spin(0, 15, s.wrapup_minutes, "Minutes kept free before the next session")
        self._add_row(form, "Shortest &break worth an offer:", self.min_gap)
        self._add_row(form, "Time for n&otes after a session:", self.grace)
        self._add_row(form, "Time free before the &next session:", self.wrapup)
        layout.addWidget(breaks)
        self._field("min_gap_minutes", 1, self.min_gap)
        self._field("grace_minutes", 1, self.grace)
        self._field("wrapup_minutes", 1, self.wrapup)

        end = QGroupBox("End of the day")
        end_layout = QVBoxLayout(end)
        row = QHBoxLayout()
        self.reflect_after = QRadioButton("Open the reflection &after the last session, plus")
        _named(self.reflect_after, "Reflection after the last session")
        self.reflection_delay = _spin(
            0, 240, s.reflection_delay_minutes, "Minutes after the last session"
        )
        row.addWidget(self.reflect_after)
        row.addWidget(self.reflection_delay)
        row.addStretch(1)
        end_layout.addLayout(row)
        row = QHBoxLayout()
        self.reflect_fixed = QRadioButton("Open the reflection at a fi&xed time:")
        _named(self.reflect_fixed, "Reflection at a fixed time")
        self.reflection_time = _time_edit(s.reflection_time or "17:30", "Reflection time")
        row.addWidget(self.reflect_fixed)
        row.addWidget(self.reflection_time)
        row.addStretch(1)
        end_layout.addLayout(row)
        group = QButtonGroup(end)
        group.addButton(self.reflect_after)
        group.addButton(self.reflect_fixed)
        self.reflect_fixed.toggled.connect(self._reflection_mode)
        (self.reflect_fixed if s.reflection_time else self.reflect_after).setChecked(True)
        self._reflection_mode(bool(s.reflection_time))
        self.free_days = QCheckBox("Offer the reflection on days &without sessions too")
        _named(self.free_days, "Reflection on free days")
        self.free_days.setChecked(s.reflection_on_free_days)
        end_layout.addWidget(self.free_days)
        layout.addWidget(end)
        self._field("reflection_delay_minutes", 1, self.reflection_delay)
        self._field("reflection_time", 1, self.reflection_time)
        self._field("reflection_on_free_days", 1, self.free_days)

        week = QGroupBox("The week")
        form = _form(week)
        self.review_day = QComboBox()
        self.review_day.addItems(list(WEEKDAYS))
        self.review_day.setCurrentIndex(s.weekly_review_day)
        _named(self.review_day, "Weekly review day")
        self.heavy_limit = _spin(
            0, 100, s.heavy_limit_percent, "Heavy share worth a mention", suffix=" %"
        )
        self._add_row(form, "&Look back at the week on:", self.review_day)
        self._add_row(form, "Mention it when heavy sessions are &more than:", self.heavy_limit)
        form.addRow(_hint("A share of the week's sessions; the weekly look-back notes it gently."))
        layout.addWidget(week)
        self._field("weekly_review_day", 1, self.review_day)
        self._field("heavy_limit_percent", 1, self.heavy_limit)
        layout.addStretch(1)
        return page

    def _reflection_mode(self, fixed: bool) -> None:
        self.reflection_time.setEnabled(fixed)
        self.reflection_delay.setEnabled(not fixed)

    def _practice_page(self) -> QWidget:
        s = self._settings
        page = QWidget()
        layout = QVBoxLayout(page)

        fav = QGroupBox("Favourite practices")
        fav_layout = QVBoxLayout(fav)
        fav_layout.addWidget(_hint("Favourites are suggested first when they fit the break."))
        self.favourites = QListWidget()
        _named(self.favourites, "Favourite practices", "Space ticks or unticks a practice")
        self.favourites.setSpacing(2)
        known = {pid for pid, _title in self._practices}
        for pid, title in self._practices:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, pid)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            checked = pid in s.favourite_practices
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.favourites.addItem(item)
        # Favourites the library does not have right now (a removed file) are kept as they are.
        self._unlisted_favourites = tuple(p for p in s.favourite_practices if p not in known)
        if self.favourites.count():
            self.favourites.setCurrentRow(0)
        fav_layout.addWidget(self.favourites)
        layout.addWidget(fav, 1)
        self._field("favourite_practices", 2, self.favourites)

        sound = QGroupBox("Sound")
        sound_layout = QHBoxLayout(sound)
        self.sound_buttons: dict[str, QRadioButton] = {}
        group = QButtonGroup(sound)
        for level, text in zip(SOUND_LEVELS, ("&Mute", "&Quiet", "&Normal"), strict=True):
            button = QRadioButton(text)
            _named(button, f"Sound: {level}")
            button.setChecked(s.sound == level)
            group.addButton(button)
            sound_layout.addWidget(button)
            self.sound_buttons[level] = button
        sound_layout.addStretch(1)
        layout.addWidget(sound)
        self._field("sound", 2, self.sound_buttons["normal"])

        player = QGroupBox("During a practice")
        player_layout = QVBoxLayout(player)
        self.phase_ticks = QCheckBox("A soft &tick at each change of breath")
        _named(self.phase_ticks, "Tick at each change of breath")
        self.phase_ticks.setChecked(s.phase_ticks)
        self.reduced_motion = QCheckBox("Reduced m&otion: a still bar instead of a moving circle")
        _named(self.reduced_motion, "Reduced motion")
        self.reduced_motion.setChecked(s.reduced_motion)
        self.ratings = QCheckBox("Ask for a 0–10 &rating before and after")
        _named(self.ratings, "Ratings before and after a practice")
        self.ratings.setChecked(s.ratings)
        for box in (self.phase_ticks, self.reduced_motion, self.ratings):
            player_layout.addWidget(box)
        layout.addWidget(player)
        self._field("phase_ticks", 2, self.phase_ticks)
        self._field("reduced_motion", 2, self.reduced_motion)
        self._field("ratings", 2, self.ratings)
        return page

    def _system_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)

        login = QGroupBox("Starting")
        login_layout = QVBoxLayout(login)
        self.start_at_login = QCheckBox("Start Grounding Companion when I &log in")
        _named(self.start_at_login, "Start at login")
        self._autostart_was = self._autostart_enabled()
        self.start_at_login.setChecked(self._autostart_was)
        login_layout.addWidget(self.start_at_login)
        layout.addWidget(login)
        self._field("start_at_login", 3, self.start_at_login)

        data = QGroupBox("Your data")
        data_layout = QVBoxLayout(data)
        data_layout.addWidget(
            _hint("Everything stays on this computer. Your journal and settings are in:")
        )
        folder_row = QHBoxLayout()
        self.folder_label = QLabel(str(self._paths.data))
        self.folder_label.setAccessibleName("Data folder")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.open_folder_button = QPushButton("&Open folder")
        _named(self.open_folder_button, "Open the data folder")
        self.open_folder_button.clicked.connect(lambda: self.open_folder(self._paths.data))
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)
        data_layout.addLayout(folder_row)

        export_row = QHBoxLayout()
        self.export_format = QComboBox()
        for key, text in EXPORT_FORMATS:
            self.export_format.addItem(text, key)
        _named(self.export_format, "Export format")
        export_label = QLabel("&Export as")
        export_label.setBuddy(self.export_format)
        self.export_button = QPushButton("E&xport...")
        _named(self.export_button, "Export the journal", "Choose where to save the export")
        self.export_button.clicked.connect(self.export_journal)
        export_row.addWidget(export_label)
        export_row.addWidget(self.export_format, 1)
        export_row.addWidget(self.export_button)
        data_layout.addLayout(export_row)
        self.export_status = _muted(QLabel())
        self.export_status.setAccessibleName("Export result")
        self.export_status.hide()
        data_layout.addWidget(self.export_status)
        layout.addWidget(data)

        danger = QGroupBox("Delete")
        danger_layout = QVBoxLayout(danger)
        danger_layout.addWidget(
            _hint(
                "Removes your journal, backups, drafts, calendar cache, settings and saved "
                "calendar links. You will be asked to confirm."
            )
        )
        self.delete_button = QPushButton("Dele&te all my data...")
        _named(self.delete_button, "Delete all my data")
        self.delete_button.clicked.connect(self.ask_delete_all)
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addStretch(1)
        danger_layout.addLayout(row)
        layout.addWidget(danger)
        layout.addStretch(1)
        return page

    # --- calendars ----------------------------------------------------------------------

    def _refresh_calendar_list(self) -> None:
        self.calendar_list.clear()
        for source in self._sources:
            if source.kind == "file":
                text = f"File · {source.path}"
            else:
                text = f"Link · {self._link_label(source)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, source.id)
            self.calendar_list.addItem(item)
        if self._sources:
            self.calendar_list.setCurrentRow(self.calendar_list.count() - 1)
        has = bool(self._sources)
        self.remove_calendar_button.setEnabled(has)
        self.test_button.setEnabled(has)

    def _link_label(self, source: CalendarSource) -> str:
        """A link source as shown: masked again, in case a label was ever stored whole."""
        label = source.label or "calendar link"
        return str(self._secrets.mask_url(label)) if "://" in label else label

    def _pick_calendar_file(self) -> str:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Choose a calendar file", str(Path.home()), "iCalendar (*.ics);;All files (*)"
        )
        return path

    def _add_file(self) -> None:
        path = self.choose_calendar_file()
        if not path:
            return
        self._sources.append(
            CalendarSource(id=uuid.uuid4().hex[:12], kind="file", path=path, label=Path(path).name)
        )
        self._refresh_calendar_list()
        self.source_calendar.setChecked(True)

    def _add_url(self) -> None:
        url = self.url_edit.text().strip()
        if not url:
            return
        try:
            url = fetch.check_url(url, allow_http=self.allow_http.isChecked())
        except CalendarError as exc:
            self._show_test_text(str(exc))  # masked: no token reaches the window
            return
        source_id = uuid.uuid4().hex[:12]
        label = self._secrets.mask_url(url)
        self._pending_urls[source_id] = url
        self._sources.append(CalendarSource(id=source_id, kind="url", label=label))
        self.url_edit.clear()
        self._refresh_calendar_list()
        self.source_calendar.setChecked(True)

    def _selected_source(self) -> CalendarSource | None:
        item = self.calendar_list.currentItem()
        if item is None:
            return None
        sid = item.data(Qt.ItemDataRole.UserRole)
        return next((s for s in self._sources if s.id == sid), None)

    def _remove_calendar(self) -> None:
        source = self._selected_source()
        if source is None:
            return
        self._sources.remove(source)
        self._pending_urls.pop(source.id, None)
        self._refresh_calendar_list()

    def _spec_resolver(self, source: CalendarSource) -> Callable[[], str]:
        """How the worker finds what to test: a path, or the link (pending or in the keyring)."""
        if source.kind == "file":
            return lambda: source.path
        pending = self._pending_urls.get(source.id)
        if pending:
            return lambda: pending
        secrets, paths = self._secrets, self._paths

        def from_keyring() -> str:
            url = secrets.get_url(source.id, paths)
            if not url:
                raise LookupError("no link is stored for this calendar; remove it and add it again")
            return str(url)

        return from_keyring

    def test_selected_calendar(self) -> None:
        """Run the Test in a worker thread; the answer comes back through a signal."""
        source = self._selected_source()
        if source is None:
            return
        run = self._test_calendar or default_test_calendar(
            self._rules_settings(), self._clock.now().date()
        )
        warm_up_calendar_code(self._clock.now().date())
        self._test_name = (
            Path(source.path).name if source.kind == "file" else self._link_label(source)
        )
        self._test_token = next(_requests)
        self.test_button.setEnabled(False)
        self._show_test_text("Testing…")
        # A daemon thread, not Qt's pool: quitting must not wait for a feed that hangs.
        threading.Thread(
            target=functools.partial(
                _run_test, self._relay, self._test_token, self._spec_resolver(source), run
            ),
            name="calendar-test",
            daemon=True,
        ).start()

    def _calendar_test_done(self, token: int, result: object) -> None:
        if token != self._test_token:
            return  # another window's test, or an older one of ours
        self.test_button.setEnabled(bool(self._sources))
        if isinstance(result, list | str):
            text = format_sessions(result, self._test_name)
        else:
            text = str(result)
        self._show_test_text(text)
        self.calendar_tested.emit(text)

    def _show_test_text(self, text: str) -> None:
        self.test_result.setText(text)
        self.test_result.show()

    def _rules_settings(self) -> Settings:
        """The saved settings with the calendar rules as typed now (for the Test)."""
        try:
            return self._settings.with_changes(
                include_keywords=_keywords(self.include_edit.text()),
                exclude_keywords=_keywords(self.exclude_edit.text()),
                heavy_keywords=_keywords(self.heavy_edit.text()),
                max_session_minutes=self.max_session.value(),
                allow_http=self.allow_http.isChecked(),
            )
        except SettingsError:
            return self._settings

    # --- save -----------------------------------------------------------------------------

    def form_values(self) -> dict[str, Any]:
        """The form as Settings fields (not yet validated)."""
        favourites = [
            self.favourites.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.favourites.count())
            if self.favourites.item(i).checkState() == Qt.CheckState.Checked
        ]
        sound = next((k for k, b in self.sound_buttons.items() if b.isChecked()), "normal")
        return {
            "schedule_source": "calendar" if self.source_calendar.isChecked() else "week",
            "week": self.week.sessions(),
            "calendars": tuple(self._sources),
            "allow_http": self.allow_http.isChecked(),
            "include_keywords": _keywords(self.include_edit.text()),
            "exclude_keywords": _keywords(self.exclude_edit.text()),
            "heavy_keywords": _keywords(self.heavy_edit.text()),
            "max_session_minutes": self.max_session.value(),
            "working_start": _hhmm_of(self.working_start),
            "working_end": _hhmm_of(self.working_end),
            "min_gap_minutes": self.min_gap.value(),
            "grace_minutes": self.grace.value(),
            "wrapup_minutes": self.wrapup.value(),
            "reflection_delay_minutes": self.reflection_delay.value(),
            "reflection_time": _hhmm_of(self.reflection_time)
            if self.reflect_fixed.isChecked()
            else "",
            "reflection_on_free_days": self.free_days.isChecked(),
            "weekly_review_day": self.review_day.currentIndex(),
            "heavy_limit_percent": self.heavy_limit.value(),
            "favourite_practices": tuple(favourites) + self._unlisted_favourites,
            "sound": sound,
            "phase_ticks": self.phase_ticks.isChecked(),
            "reduced_motion": self.reduced_motion.isChecked(),
            "ratings": self.ratings.isChecked(),
            "start_at_login": self.start_at_login.isChecked(),
        }

    def save(self) -> bool:
        """Validate, store links, apply start at login, write the file, emit `saved`."""
        try:
            new = self._settings.with_changes(**self.form_values())
        except SettingsError as exc:
            self._refuse(str(exc))
            return False
        try:
            self._store_links(new)
        except Exception as exc:  # keyring back ends raise their own types
            self._refuse(f"calendars: the link could not be kept in the keyring ({exc})")
            return False
        if new.start_at_login != self._autostart_was:
            try:
                if new.start_at_login:
                    self._autostart.enable(autostart_module.default_command())
                else:
                    self._autostart.disable()
            except OSError as exc:
                self._refuse(f"start_at_login: could not be changed ({exc.strerror or exc})")
                return False
            self._autostart_was = new.start_at_login
        try:
            save_settings(self._paths.settings, new)
        except SettingsError as exc:
            self._refuse(str(exc))
            return False
        except OSError as exc:
            self._refuse(f"{self._paths.settings}: could not be written ({exc.strerror or exc})")
            return False
        self._settings = new
        self._pending_urls.clear()
        self.error.hide()
        self.saved.emit(new)
        self.accept()
        return True

    def _store_links(self, new: Settings) -> None:
        kept = {c.id for c in new.calendars}
        for source_id, url in self._pending_urls.items():
            if source_id in kept:
                self._secrets.store_url(source_id, url, self._paths)
        for old in self._settings.calendars:
            if old.kind == "url" and old.id not in kept:
                self._secrets.delete_url(old.id, self._paths)

    def _refuse(self, message: str) -> None:
        """Show why nothing was saved, next to the form, and go to the field."""
        self.error.setText(f"Not saved. {message}")
        self.error.show()
        name = message.split(":", 1)[0].split("[", 1)[0].split(".", 1)[0].strip()
        tab_widget = self._field_widgets.get(name)
        if tab_widget is not None:
            tab, widget = tab_widget
            self.tabs.setCurrentIndex(tab)
            widget.setFocus()

    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    # --- system -----------------------------------------------------------------------------

    def _autostart_enabled(self) -> bool:
        try:
            return bool(self._autostart.is_enabled())
        except OSError:
            return self._settings.start_at_login

    def _pick_export_target(self, fmt: str) -> str:
        if fmt == "csv":
            return QFileDialog.getExistingDirectory(self, "Choose a folder for the CSV files")
        name = f"grounding-companion-journal.{fmt}"
        caption = "Save the journal as Markdown" if fmt == "md" else "Save the journal as JSON"
        pattern = "Markdown (*.md)" if fmt == "md" else "JSON (*.json)"
        path, _filter = QFileDialog.getSaveFileName(self, caption, str(Path.home() / name), pattern)
        return path

    def export_journal(self) -> None:
        fmt = str(self.export_format.currentData())
        target = self.choose_export_target(fmt)
        if not target:
            return
        out = Path(target).expanduser()
        try:
            journal = Journal(self._paths, self._clock, backups=False)
            try:
                records = journal.all()
            finally:
                journal.close()
            if fmt == "csv":
                files = export.to_csv_files(records, out)
                done = f"Exported {len(records)} records to {len(files)} CSV files in {out}"
            else:
                if fmt == "json":
                    text = export.to_json(records, self._clock.now())
                else:
                    text = export.to_markdown(records, titles=dict(self._practices))
                write_atomic(out, text.encode("utf-8"))
                done = f"Exported {len(records)} records to {out}"
        except (OSError, JournalError) as exc:
            done = f"The export did not finish: {getattr(exc, 'strerror', None) or exc}"
        self.export_status.setText(done)
        self.export_status.show()

    def ask_delete_all(self) -> DeleteDataDialog:
        """Open the confirmation (window-modal); deletion happens only when it is accepted."""
        links = sum(1 for c in self._settings.calendars if c.kind == "url")
        dialog = DeleteDataDialog(self._paths, links, self)
        dialog.accepted.connect(self._delete_all)
        dialog.finished.connect(dialog.deleteLater)
        self.delete_dialog = dialog
        dialog.open()
        return dialog

    def _delete_all(self) -> None:
        problems = []
        url_ids = {c.id for c in self._settings.calendars if c.kind == "url"}
        url_ids |= set(self._pending_urls)
        if url_ids:
            try:
                for sid in sorted(url_ids):
                    self._secrets.delete_url(sid, self._paths)
            except Exception as exc:  # keyring back ends raise their own types
                problems.append(f"calendar links in the keyring: {exc}")
        problems += delete_paths(data_to_delete(self._paths))
        self._pending_urls.clear()
        if problems:
            self._refuse("Some things could not be deleted: " + "; ".join(problems))
            return
        self.deleted_all.emit()
        self.accept()
