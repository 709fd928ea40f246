"""The standing-week editor: weekdays on the left, the chosen day's sessions as a table.

A self-contained widget: it takes the week in its constructor (or `load`) and gives it
back with `sessions()`; the settings window and the first-run welcome both embed it.
Keyboard: arrows move in the table, F2 or typing edits, Space marks a session heavy,
Delete (or Backspace) removes it, Tab leaves the table.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSize, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSpinBox,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from companion.core.settings import WeeklySession, parse_hhmm
from companion.i18n import _, pgettext
from companion.ui import kit, text

COL_START, COL_MINUTES, COL_ENDS, COL_HEAVY = range(4)


def minutes_suffix() -> str:
    """The unit after a number of minutes in a spin box ("50 min")."""
    return pgettext("spin box suffix", " min")


@dataclass
class _Row:
    start: str
    minutes: int
    heavy: bool


def _ends(row: _Row) -> str:
    t = parse_hhmm(row.start)
    total = t.hour * 60 + t.minute + row.minutes
    h, m = divmod(total % (24 * 60), 60)
    end = text.hm(t.replace(hour=h, minute=m))
    return _("{time} (next day)").format(time=end) if total >= 24 * 60 else end


class _WeekDelegate(QStyledItemDelegate):
    """Start as a time editor, length as a spin box in minutes (its range: RANGES)."""

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget:
        if index.column() == COL_START:
            edit = kit.time_edit("09:00", _("Session start"))
            edit.setParent(parent)
            return edit
        if index.column() == COL_MINUTES:
            spin = kit.spin(
                "session_minutes", 50, _("Session length in minutes"), suffix=minutes_suffix()
            )
            spin.setParent(parent)
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
            model.setData(index, kit.hhmm_of(editor), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def displayText(self, value: Any, locale: Any) -> str:
        if isinstance(value, int):
            return text.minutes(value)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return text.hm(parse_hhmm(value))  # a start, as the locale writes times
        return str(super().displayText(value, locale))


class _WeekTable(QTableWidget):
    """The day's sessions; Delete (or Backspace) removes the selected one."""

    remove_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)


class _DayList(QListWidget):
    """The weekdays; it asks for room for its longest label (`wanted`), and makes do
    with less when the window is narrow."""

    wanted = 0

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), self.wanted), hint.height())


class WeekEditor(QWidget):
    """Weekdays on the left, that day's sessions as a table on the right.

    `sessions()` is the week as edited; `changed` fires on every edit.
    """

    changed = Signal()

    def __init__(self, week: Sequence[WeeklySession] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: dict[int, list[_Row]] = {d: [] for d in range(7)}
        self._current = 0
        self._loading = False

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.days = kit.named(
            _DayList(),
            _("Weekday"),
            _("Choose a day to see and edit its sessions"),
        )
        for _day in range(7):
            self.days.addItem(QListWidgetItem())
        self.days.setSpacing(3)
        # Narrow (a long translation at 150 %): the count goes onto a second line, so
        # nothing is cut or shortened; no sideways scrolling inside the list.
        self.days.setWordWrap(True)
        self.days.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.days.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.days.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.days)

        right = QVBoxLayout()
        self.table = kit.named(
            _WeekTable(0, 4),
            _("Sessions on the chosen day"),
            _(
                "Arrow keys move, F2 or typing edits, Space marks a session heavy, "
                "Delete removes it"
            ),
        )
        self.table.setHorizontalHeaderLabels([_("Start"), _("Length"), _("Ends"), _("Heavy")])
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
        for col in (COL_MINUTES, COL_HEAVY):  # their headings and "heavy" are the longest
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)
        right.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.add_button = kit.button(
            _("&Add session"), _("Add session"), _("Add a session to the chosen day")
        )
        self.add_button.clicked.connect(self.add_session)
        self.remove_button = kit.button(
            _("Re&move session"), _("Remove session"), _("Remove the selected session")
        )
        self.remove_button.clicked.connect(self.remove_session)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        layout.addLayout(right, 1)

        self.table.remove_requested.connect(self.remove_session)
        self.days.currentRowChanged.connect(self.show_day)
        self.load(week)

    # state ---------------------------------------------------------------------------

    def load(self, week: Sequence[WeeklySession], day: int | None = None) -> None:
        """Show `week`, opening on `day` (by default its first day with sessions)."""
        self._days = {d: [] for d in range(7)}
        for w in sorted(week, key=lambda w: (w.weekday, w.start)):
            self._days[w.weekday].append(_Row(w.start, w.minutes, w.heavy))
        self._label_days()
        first = day if day is not None else next((d for d in range(7) if self._days[d]), 0)
        self.days.setCurrentRow(first)
        self.show_day(first)

    def sessions(self) -> tuple[WeeklySession, ...]:
        return tuple(
            WeeklySession(weekday=d, start=r.start, minutes=r.minutes, heavy=r.heavy)
            for d in range(7)
            for r in sorted(self._days[d], key=lambda r: r.start)
        )

    def current_day(self) -> int:
        return self._current

    @staticmethod
    def _day_label(weekday: int, n: int) -> str:
        count = _("no sessions") if n == 0 else text.sessions(n)
        return _("{weekday} · {count}").format(weekday=text.weekday_name(weekday), count=count)

    def _label_days(self) -> None:
        for d in range(7):
            self.days.item(d).setText(self._day_label(d, len(self._days[d])))
        # Room for the whole label when there is room (`wanted`), and at least
        # for the day's name when the window is narrow (a long translation at 150 %).
        fm = self.days.fontMetrics()
        names = max(fm.horizontalAdvance(text.weekday_name(d)) for d in range(7))
        labels = max(fm.horizontalAdvance(self.days.item(d).text()) for d in range(7))
        self.days.setMinimumWidth(names + fm.height() * 2)
        self.days.wanted = labels + fm.height() * 2
        self.days.updateGeometry()

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
        heavy = QTableWidgetItem(_("heavy") if row.heavy else "")
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
            value = str(item.data(Qt.ItemDataRole.EditRole))
            try:
                parse_hhmm(value)
                row.start = value
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
        self.changed.emit()

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
        self.changed.emit()

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
        self.changed.emit()
