"""The glimmer jar: every glimmer the person noted, newest first, with a search box.

The glimmers are read in a worker the first time the jar is opened (through the
window's `JournalReader`), so a jar of five years opens at once and fills in. Each row
shows the glimmer's words, then a small muted line: when, and where it was felt
("Fri 6 March 2026, 16:00 · felt in face"), in the person's language, and whether it is
marked for supervision.

Under the list, "Bring this glimmer to supervision" marks or unmarks the chosen glimmer
(Tab from the list, Space), so any glimmer can go on the supervision page, not only one
marked as it was written. The change goes through the app's writer (`replace`: the same
record, by its id, changed in place); one that cannot be written is one line, and the
box goes back.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from companion.core import insights
from companion.core.journal import Journal
from companion.core.records import GlimmerRecord, felt_in_label
from companion.core.writer import Saved
from companion.i18n import _, ngettext
from companion.runtime.tasks import Outcome, first_line, run_in_background
from companion.ui import kit, style, text
from companion.ui.history.reading import JournalReader, Skipped, after_paint

SEARCH_DELAY_MS = 150
TEXT_ROLE = int(Qt.ItemDataRole.UserRole)
META_ROLE = int(Qt.ItemDataRole.UserRole) + 1
_PAD_X, _PAD_Y, _GAP = 12, 8, 3
_WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
log = logging.getLogger("companion.history")


def when_and_where(g: GlimmerRecord) -> str:
    """ "Fri 6 March 2026, 16:00 · felt in face, hands" """
    when = _("{day} {month_year}, {time}").format(
        day=text.day_short(g.on), month_year=text.month_year(g.on), time=text.hm(g.at)
    )
    if g.felt_in:
        when = _("{when} · felt in {places}").format(
            when=when, places=", ".join(felt_in_label(p) for p in g.felt_in)
        )
    if g.for_supervision:
        when = _("{when} · marked for supervision").format(when=when)
    return when


class GlimmerModel(QAbstractListModel):
    """Glimmers, newest first (two lines each: the words, then when and where felt)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[GlimmerRecord] = []

    def set_items(self, items: list[GlimmerRecord]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def changed(self, glimmer: GlimmerRecord) -> None:
        """`glimmer` (by its id) was changed: show it as it is now."""
        for row, g in enumerate(self.items):
            if g.id == glimmer.id:
                self.items[row] = glimmer
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        g = self.items[index.row()]
        if role == TEXT_ROLE:
            return g.text
        if role == META_ROLE:
            return when_and_where(g)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{g.text}\n{when_and_where(g)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return g.text
        return None


class GlimmerDelegate(QStyledItemDelegate):
    """The glimmer's words, then a small muted line: when, and where it was felt."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.small = style.font(0.85)
        self.small_height = QFontMetrics(self.small).height()

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QListView) else option.rect.width()
        return max(80, width - 2 * _PAD_X - 8)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        fm = QFontMetrics(option.font)
        words = str(index.data(TEXT_ROLE) or "")
        box = fm.boundingRect(QRect(0, 0, self._width(option), 100000), _WRAP, words)
        return QSize(self._width(option), box.height() + _GAP + self.small_height + 2 * _PAD_Y)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        c = style.palette_colors(widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        text_color = pal.highlightedText().color() if selected else pal.text().color()
        rect = opt.rect.adjusted(_PAD_X, _PAD_Y, -_PAD_X, -_PAD_Y)
        painter.save()
        painter.setFont(option.font)
        painter.setPen(text_color)
        fm = QFontMetrics(option.font)
        words = str(index.data(TEXT_ROLE) or "")
        box = fm.boundingRect(QRect(0, 0, rect.width(), 100000), _WRAP, words)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), box.height()), _WRAP, words)
        painter.setFont(self.small)
        painter.setPen(text_color if selected else c.muted)
        top = rect.top() + box.height() + _GAP
        meta_rect = QRect(rect.left(), top, rect.width(), self.small_height)
        painter.drawText(meta_rect, Qt.AlignmentFlag.AlignLeft, str(index.data(META_ROLE) or ""))
        painter.restore()


class GlimmerJar(QWidget):
    """The jar's page. `load()` reads the glimmers in a worker, once; `loaded` is true
    once they are shown."""

    def __init__(
        self,
        reader: JournalReader,
        today: date,
        replace: Callable[[GlimmerRecord], Saved] | None = None,
    ) -> None:
        super().__init__()
        self.reader = reader
        self.replace = replace
        self.today = today
        self.loaded = False
        self._loading = False
        self.all: list[GlimmerRecord] = []
        v = QVBoxLayout(self)
        v.setContentsMargins(20, 16, 20, 16)
        v.setSpacing(8)
        intro = QLabel(_("Moments of safety, connection and resilience you noticed, newest first."))
        intro.setWordWrap(True)
        v.addWidget(intro)
        self.search = kit.named(QLineEdit(), _("Search your glimmers"))
        self.search.setPlaceholderText(_("Search your glimmers"))
        self.search.setClearButtonEnabled(True)
        v.addWidget(self.search)
        self.count = kit.muted()
        self.left_out: list[str] = []
        v.addWidget(self.count)
        self.error = kit.error_line(_("Why the glimmers are not shown"))
        v.addWidget(self.error)
        self.model = GlimmerModel()
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(GlimmerDelegate(self.view))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setAlternatingRowColors(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(200)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName(_("Your glimmers"))
        v.addWidget(self.view, 1)
        self.flag = kit.named(
            QCheckBox(_("Bring this glimmer to supervision")),
            _("Bring this glimmer to supervision"),
        )
        self.flag.setObjectName("jar-for-supervision")
        self.flag.setEnabled(False)
        self.flag.setVisible(replace is not None)
        self.flag.toggled.connect(self._flag_toggled)
        v.addWidget(self.flag)
        self.view.selectionModel().currentChanged.connect(lambda *_a: self._show_flag())
        self._timer = QTimer(self)
        self._timer.setObjectName("glimmer-search-timer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())

    def load(self) -> None:
        """Read every glimmer in a worker (once); the jar says "Loading…" meanwhile."""
        if self.loaded or self._loading:
            return
        self._loading = True
        kit.show_error(self.error, "")
        self.count.setText(_("Loading…"))
        self.view.setAccessibleDescription(self.count.text())

        def read(journal: Journal) -> tuple[list[GlimmerRecord], list[str]]:
            return journal.query(GlimmerRecord), journal.read_problems()

        reader = self.reader  # the worker touches no widget

        def start() -> None:
            run_in_background(
                lambda: reader.read(read), self._arrived, context=self, name="glimmer-jar"
            )

        after_paint(self.count, start)  # "Loading…" is on screen first

    def _arrived(self, outcome: Outcome[tuple[list[GlimmerRecord], list[str]] | Skipped]) -> None:
        self._loading = False
        try:
            found = outcome.result()
        except Exception as exc:  # one calm line; opening the jar again tries again
            log.warning("could not read the glimmers: %s", first_line(exc))
            self.count.setText("")
            kit.show_error(
                self.error,
                _("Your glimmers could not be read: {reason}").format(reason=first_line(exc)),
            )
            self.view.setAccessibleDescription(self.error.text())
            return
        if isinstance(found, Skipped):  # never for the jar, which always wants its read
            return
        self.all, left_out = found
        self.left_out = left_out
        self.loaded = True
        self.apply_search()

    def apply_search(self) -> None:
        self._timer.stop()
        if not self.loaded:
            return
        words = self.search.text()
        found = insights.search_glimmers(self.all, words)
        self.model.set_items(found)
        if not self.all:
            self.count.setText(
                _("No glimmers yet. After a practice, or from the tray, you can note one.")
            )
        elif words.strip():
            self.count.setText(
                ngettext(
                    "{found} of {total} glimmers matches.",
                    "{found} of {total} glimmers match.",
                    len(found),
                ).format(found=len(found), total=len(self.all))
            )
        else:
            # Translators: the whole jar, as a sentence: "9 glimmers."
            self.count.setText(_("{glimmers}.").format(glimmers=text.glimmers(len(self.all))))
        if self.left_out:  # a damaged year is said, never skipped silently (as in Charts)
            self.count.setText(
                self.count.text()
                + "\n"
                + _("Not shown here: {problem}").format(problem=self.left_out[0])
            )
        self.view.setAccessibleDescription(self.count.text())
        if found and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))
        self._show_flag()

    # --- bring to supervision ---------------------------------------------------------------

    def chosen(self) -> GlimmerRecord | None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.items):
            return None
        return self.model.items[index.row()]

    def _show_flag(self) -> None:
        """The box says whether the chosen glimmer is marked (and which glimmer it is)."""
        g = self.chosen()
        self.flag.blockSignals(True)
        self.flag.setChecked(bool(g and g.for_supervision))
        self.flag.blockSignals(False)
        self.flag.setEnabled(g is not None and self.replace is not None)
        about = (
            _("Puts “{text}” ({when}) on your supervision summary.").format(
                text=g.text, when=when_and_where(g)
            )
            if g is not None
            else _("Choose a glimmer in the list first.")
        )
        self.flag.setAccessibleDescription(about)

    def _flag_toggled(self, on: bool) -> None:
        g = self.chosen()
        if g is None or self.replace is None:
            return
        changed = dataclasses.replace(g, for_supervision=on)
        done = self.replace(changed)
        if not done:
            kit.show_error(self.error, done.message)
            self._show_flag()  # back to what the journal holds
            return
        kit.show_error(self.error, "")
        self.all = [changed if x.id == g.id else x for x in self.all]
        self.model.changed(changed)
        self._show_flag()
