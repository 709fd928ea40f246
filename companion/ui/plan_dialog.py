"""Today's plan: the day's sessions, the breaks between them and the reflection time.

A read-only view. `plan` is duck-typed (see `companion.core.day.PlanLike`): `.date`,
`.sessions` (each `.start .end .heavy`), `.breaks` (each `.start .end .minutes
.exercise .after_heavy`) and `.reflection_at`. Times are shown in local time, as
"09:00–09:50"; nothing from a calendar event but its times is ever shown, because
nothing else reaches the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.ui import style

if TYPE_CHECKING:
    from companion.core.day import PlanLike


def hhmm(moment: datetime) -> str:
    """A wall time as HH:MM in the machine's local zone."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return f"{local.hour:02d}:{local.minute:02d}"


def span(start: datetime, end: datetime) -> str:
    return f"{hhmm(start)}–{hhmm(end)}"


def day_heading(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(plan: Any) -> str:
    sessions = list(plan.sessions)
    if not sessions:
        line = "No sessions on this day"
    else:
        heavy = sum(1 for s in sessions if s.heavy)
        line = _plural(len(sessions), "session")
        if heavy:
            line += f" ({heavy} heavy)"
        line += " · " + _plural(len(list(plan.breaks)), "break")
    if plan.reflection_at is not None:
        line += f" · reflection at {hhmm(plan.reflection_at)}"
    return line


class _RoomyRows(QStyledItemDelegate):
    """Rows with room to breathe (1.7 lines high, a gap between columns), in font units."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        fm = option.fontMetrics
        size.setHeight(max(size.height(), round(fm.height() * 1.7)))
        size.setWidth(size.width() + fm.averageCharWidth() * 3)  # a gap between columns
        return size


class PlanDialog(QDialog):
    """Today's plan...: a calm list, one row per session, break and the reflection."""

    def __init__(
        self,
        plan: PlanLike | Any,
        parent: QWidget | None = None,
        *,
        titles: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._titles = dict(titles or {})
        self.setWindowTitle("Today's plan")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # opened fresh each time
        self.setAccessibleName("Today's plan")
        colors = style.palette_colors(self)

        layout = QVBoxLayout(self)
        layout.setSpacing(layout.spacing() + 4)

        self.heading = QLabel(day_heading(plan.date))
        self.heading.setFont(style.font(1.4, bold=True))
        self.heading.setAccessibleName("Date")
        layout.addWidget(self.heading)

        self.summary = QLabel(summary_line(plan))
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        muted = self.summary.palette()
        muted.setColor(QPalette.ColorRole.WindowText, colors.muted)
        self.summary.setPalette(muted)
        layout.addWidget(self.summary)

        self.rows = QTreeWidget()
        self.rows.setAccessibleName("The day, in order")
        self.rows.setColumnCount(3)
        self.rows.setHeaderLabels(["Time", "What", "Suggested practice"])
        self.rows.setRootIsDecorated(False)
        self.rows.setAlternatingRowColors(True)
        self.rows.setItemDelegate(_RoomyRows(self.rows))
        self.rows.setWordWrap(True)
        self.rows.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for column in (0, 1):
            self.rows.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.rows.header().setStretchLastSection(True)
        self._fill(plan, colors)
        layout.addWidget(self.rows, 1)

        free_day = not list(plan.sessions) and plan.reflection_at is None
        if free_day:
            self.rows.hide()
            self.summary.setText("A free day: no sessions, nothing planned.")
            layout.addStretch(1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        fm = self.fontMetrics()
        rows = self.rows.topLevelItemCount()
        lines = 10 if free_day else 9 + 1.8 * rows
        style.fit_to_screen(self, fm.averageCharWidth() * 84, round(fm.height() * lines))
        self.rows.setFocus()

    def _title(self, exercise: str | None) -> str:
        if not exercise:
            return ""
        return self._titles.get(exercise, exercise.replace("-", " ").capitalize())

    def _fill(self, plan: Any, colors: style.Colors) -> None:
        entries: list[tuple[datetime, int, QTreeWidgetItem]] = []
        for s in plan.sessions:
            item = QTreeWidgetItem(
                [span(s.start, s.end), "Session · heavy" if s.heavy else "Session"]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, "session")
            if s.heavy:
                item.setForeground(1, QBrush(colors.warm))
            entries.append((s.start, 0, item))
        for b in plan.breaks:
            what = f"Break, {b.minutes} min" + (" · after a heavy session" if b.after_heavy else "")
            title = self._title(b.exercise) or "a pause (no practice fits)"
            item = QTreeWidgetItem([span(b.start, b.end), what, title])
            item.setData(0, Qt.ItemDataRole.UserRole, "break")
            for column in range(3):
                item.setForeground(column, QBrush(colors.accent))
            entries.append((b.start, 1, item))
        if plan.reflection_at is not None:
            item = QTreeWidgetItem([hhmm(plan.reflection_at), "End-of-day reflection"])
            item.setData(0, Qt.ItemDataRole.UserRole, "reflection")
            entries.append((plan.reflection_at, 2, item))
        entries.sort(key=lambda e: (e[0], e[1]))
        for _when, _order, item in entries:
            self.rows.addTopLevelItem(item)

    def texts(self) -> list[str]:
        """Every row as "time  what" (what a screen reader reads; handy in tests)."""
        out = []
        for i in range(self.rows.topLevelItemCount()):
            item = self.rows.topLevelItem(i)
            if item is None:
                continue
            out.append("  ".join(t for t in (item.text(0), item.text(1), item.text(2)) if t))
        return out
