"""Today's plan: the day's sessions, the breaks between them and the reflection time.

It looks ahead: a heavy session right after another heavy one (no break planned between
them, or under BACK_TO_BACK: the 10 minutes of a therapy hour, not lunch), and a heavy
session with no break before the next session, carry a mark ("▲", with words beside it and an
accessible text, never colour alone), and a line under the summary says what the mark
means. Marks only: it invites, it does not change the plan.

A read-only view. `plan` is duck-typed (see `companion.core.day.PlanLike`): `.date`,
`.sessions` (each `.start .end .heavy`), `.breaks` (each `.start .end .minutes
.exercise .after_heavy`), `.reflection_at` and, if it has one, `.closing` (the day's
closing practice after its last session, `companion.core.planner.DayPlan.closing`, listed
as "To close the day"). Times are shown in local time, as
"09:00–09:50"; nothing from a calendar event but its times is ever shown, because
nothing else reaches the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.planner import BACK_TO_BACK, Marks, heavy_marks
from companion.i18n import _, ngettext
from companion.ui import kit, style, text

if TYPE_CHECKING:
    from companion.core.day import PlanLike


def _local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo is not None else moment


def hhmm(moment: datetime) -> str:
    """A wall time in the machine's local zone, as the locale writes it ("09:00")."""
    return text.hm(_local(moment))


def span(start: datetime, end: datetime) -> str:
    """ "09:00–09:50" in the machine's local zone."""
    return text.span(_local(start), _local(end))


def summary_line(plan: Any) -> str:
    """ "3 sessions (1 heavy) · 3 breaks · reflection at 12:00" """
    sessions = list(plan.sessions)
    if not sessions:
        line = _("No sessions on this day")
    else:
        heavy = sum(1 for s in sessions if s.heavy)
        count = text.sessions(len(sessions))
        if heavy:
            count = ngettext("{sessions} ({n} heavy)", "{sessions} ({n} heavy)", heavy).format(
                sessions=count, n=heavy
            )
        line = _("{sessions} · {breaks}").format(
            sessions=count, breaks=text.breaks(len(list(plan.breaks)))
        )
    if plan.reflection_at is not None:
        line = _("{summary} · reflection at {time}").format(
            summary=line, time=hhmm(plan.reflection_at)
        )
    return line


MARK = "▲"


def _mark_words(m: Marks) -> str:
    if m.after_heavy and m.no_break_after:
        return _("heavy in a row, no break after")
    if m.after_heavy:
        return _("heavy in a row")
    return _("no break after")


class _RoomyRows(QStyledItemDelegate):
    """Rows with room to breathe (1.7 lines high, a gap between columns), in font units,
    and as high as their words wrapped to their column's width (`wrap`; off while the
    list measures them on one line)."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self.view = view
        self.wrap = True

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if self.wrap:
            option = QStyleOptionViewItem(option)
            option.rect = QRect(0, 0, self.view.header().sectionSize(index.column()), 1)
        size = super().sizeHint(option, index)
        fm = option.fontMetrics
        size.setHeight(max(size.height(), round(fm.height() * 1.7)))
        size.setWidth(size.width() + fm.averageCharWidth() * 3)  # a gap between columns
        return size


class _DayList(QTreeWidget):
    """The day's rows, whose columns always fit the list's width: the time as wide as its
    words, the suggested practice as wide as its words (at most PRACTICE_SHARE of what the
    time leaves), "What" the rest. Words that do not fit wrap onto another line, so at
    150 % or in a longer language nothing is cut and nothing hides past the right edge."""

    PRACTICE_SHARE = 0.45

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # the view's resizes come here too (a scroll bar shown)
        self.fit_columns()

    def one_line_widths(self) -> list[int]:
        """How wide each column is with all its words (and its heading) on one line."""
        rows = self.itemDelegate()
        if isinstance(rows, _RoomyRows):
            rows.wrap = False
        try:
            header = self.header()
            return [max(self.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(3)]
        finally:
            if isinstance(rows, _RoomyRows):
                rows.wrap = True

    def fit_columns(self) -> None:
        header = self.header()
        room = self.viewport().width()
        need = self.one_line_widths()
        time = min(need[0], room // 3)
        practice = min(need[2], round((room - time) * self.PRACTICE_SHARE))
        sizes = [time, max(room - time - practice, header.minimumSectionSize()), practice]
        if sizes == [header.sectionSize(c) for c in range(3)]:
            return
        for column, size in enumerate(sizes):
            header.resizeSection(column, size)
        self.scheduleDelayedItemsLayout()  # wrapped words: the rows' heights change


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
        self.setWindowTitle(_("Today's plan"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # opened fresh each time
        self.setAccessibleName(_("Today's plan"))
        colors = style.palette_colors(self)

        layout = QVBoxLayout(self)
        layout.setSpacing(layout.spacing() + 4)

        self.heading = kit.heading(text.day_heading(plan.date))
        self.heading.setFont(style.font(1.4, bold=True))
        self.heading.setAccessibleName(_("Date"))
        layout.addWidget(self.heading)

        self.summary = kit.muted(summary_line(plan))
        self.summary.setAccessibleName(_("Summary"))
        layout.addWidget(self.summary)

        self.marks = heavy_marks(list(plan.sessions), list(plan.breaks))
        self.ahead = kit.hint()  # what the ▲ means, only on a day that has one
        self.ahead.setAccessibleName(_("Looking ahead"))
        marked = sum(1 for m in self.marks if m)
        if marked:
            self.ahead.setText(
                ngettext(
                    "{mark} {n} heavy session comes right after another heavy one (no break "
                    "or under {minutes} min between) or has no break after it. You might "
                    "keep a minute for yourself around it.",
                    "{mark} {n} heavy sessions come right after another heavy one (no break "
                    "or under {minutes} min between) or have no break after them. You might "
                    "keep a minute for yourself around them.",
                    marked,
                ).format(mark=MARK, n=marked, minutes=int(BACK_TO_BACK.total_seconds() // 60))
            )
        self.ahead.setVisible(bool(marked))
        layout.addWidget(self.ahead)

        self.rows = _DayList()
        self.rows.setAccessibleName(_("The day, in order"))
        self.rows.setColumnCount(3)
        self.rows.setHeaderLabels([_("Time"), _("What"), _("Suggested practice")])
        self.rows.setRootIsDecorated(False)
        self.rows.setAlternatingRowColors(True)
        self.rows.setItemDelegate(_RoomyRows(self.rows))
        self.rows.setWordWrap(True)
        self.rows.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # The window below is sized to show every column's words on one line; where the
        # screen is too small for that, "What" wraps (never "Box …", never sideways).
        for column in (0, 1, 2):
            self.rows.header().setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.rows.header().setStretchLastSection(False)
        self.rows.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fill(plan, colors)
        layout.addWidget(self.rows, 1)

        free_day = not list(plan.sessions) and plan.reflection_at is None
        if free_day:
            self.rows.hide()
            self.summary.setText(_("A free day: no sessions, nothing planned."))
            layout.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = kit.primary_button(_("Close"), _("Close"), _("Close today's plan"))
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        fm = self.fontMetrics()
        rows = self.rows.topLevelItemCount()
        marked = sum(1 for m in self.marks if m)  # a mark is a second line, and a note
        lines = 10 if free_day else 9 + 1.8 * rows + marked + 2 * bool(marked)
        columns = sum(self.rows.one_line_widths())
        margins = layout.contentsMargins()
        wide = columns + 2 * self.rows.frameWidth() + margins.left() + margins.right()
        wide += self.rows.verticalScrollBar().sizeHint().width()
        style.fit_to_screen(self, max(fm.averageCharWidth() * 84, wide), round(fm.height() * lines))
        self.rows.setFocus()

    def _title(self, exercise: str | None) -> str:
        if not exercise:
            return ""
        return self._titles.get(exercise, exercise.replace("-", " ").capitalize())

    def _fill(self, plan: Any, colors: style.Colors) -> None:
        entries: list[tuple[datetime, int, QTreeWidgetItem]] = []
        for s, marks in zip(plan.sessions, self.marks, strict=True):
            what = _("Session · heavy") if s.heavy else _("Session")
            spoken = what
            if marks:
                # Translators: "Session · heavy", and under it "▲ heavy in a row"
                what = _("{session}\n{mark} {note}").format(
                    session=what, mark=MARK, note=_mark_words(marks)
                )
                spoken = _("{session}. Marked: {note}.").format(
                    session=_("Session, heavy"), note=_mark_words(marks)
                )
            item = QTreeWidgetItem([span(s.start, s.end), what])
            item.setData(0, Qt.ItemDataRole.UserRole, "session")
            item.setData(1, Qt.ItemDataRole.AccessibleTextRole, spoken)
            if marks:
                item.setToolTip(1, spoken)
            if s.heavy:
                item.setForeground(1, QBrush(colors.warm))
            entries.append((s.start, 0, item))
        for b in plan.breaks:
            if b.after_heavy:
                what = ngettext(
                    "Break, {n} min · after a heavy session",
                    "Break, {n} min · after a heavy session",
                    b.minutes,
                )
            else:
                what = ngettext("Break, {n} min", "Break, {n} min", b.minutes)
            what = what.format(n=b.minutes)
            title = self._title(b.exercise) or _("a pause (no practice fits)")
            item = QTreeWidgetItem([span(b.start, b.end), what, title])
            item.setData(0, Qt.ItemDataRole.UserRole, "break")
            for column in range(3):
                item.setForeground(column, QBrush(colors.accent))
            entries.append((b.start, 1, item))
        closing = getattr(plan, "closing", None)  # the day's last offer, if one fits
        if closing is not None:
            item = QTreeWidgetItem(
                [
                    span(closing.start, closing.end),
                    _("To close the day"),
                    self._title(closing.exercise),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, "closing")
            for column in range(3):
                item.setForeground(column, QBrush(colors.accent))
            entries.append((closing.start, 1, item))
        if plan.reflection_at is not None:
            item = QTreeWidgetItem([hhmm(plan.reflection_at), _("End-of-day reflection")])
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
