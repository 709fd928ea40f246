"""Look back: week and month views with calm charts, and the glimmer jar.

The charts are drawn with QPainter by one small widget (`ChartView`: bars, lines, a
limit line, axis labels). QtCharts would need PySide6-Addons, a second wheel of
well over 100 MB that this project does not depend on, for six simple charts; the
widget here is a couple of hundred lines, follows the app's palette in light and
dark, and costs nothing at start-up. Every chart carries an accessible description
with its numbers and can be shown as a table instead.

The numbers come from `companion.core.insights.history`; this module only draws them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core import insights
from companion.core.clock import Clock
from companion.core.journal import Journal
from companion.core.records import GlimmerRecord, PracticeRecord, Record
from companion.core.settings import Settings
from companion.ui import style

# A third series colour the shared palette has no role for (a quiet slate blue).
_THIRD_LIGHT = QColor("#4d7196")
_THIRD_DARK = QColor("#9cbad8")
SEARCH_DELAY_MS = 150
MAX_BRIDGED_GAP = 3  # a line joins points across at most this many empty days

Kind = Literal["bar", "line"]
Role = Literal["accent", "warm", "third", "soft"]
Marker = Literal["circle", "square", "triangle"]


# --- the chart widget ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: Sequence[float | None]
    kind: Kind = "bar"
    role: Role = "accent"
    marker: Marker = "circle"
    dashed: bool = False


@dataclass(frozen=True)
class ChartSpec:
    """What to draw. `labels` name the categories along the axis (one per value)."""

    title: str
    labels: Sequence[str]
    series: Sequence[ChartSeries]
    unit: str = ""  # appended to numbers in descriptions and tables: "min", "%"
    y_max: float | None = None  # None: a round number above the largest value
    limit: float | None = None
    limit_label: str = ""
    horizontal: bool = False  # bars along the x axis, labels down the left
    overlay: bool = False  # later bar series drawn inside earlier ones (taken in offered)
    empty_text: str = "Nothing recorded here yet."
    decimals: int = 0
    long_labels: Sequence[str] = field(default=())  # fuller labels for tables and readers

    def is_empty(self) -> bool:
        return not any(v for s in self.series for v in s.values if v is not None)

    def spoken_labels(self) -> Sequence[str]:
        return self.long_labels or self.labels

    def fmt(self, value: float | None) -> str:
        if value is None:
            return "none"
        unit = f" {self.unit}" if self.unit and self.unit != "%" else self.unit
        return f"{value:.{self.decimals}f}{unit}"

    def describe(self) -> str:
        """The chart's numbers in words, for screen readers."""
        if self.is_empty():
            return f"{self.title}. {self.empty_text}"
        parts = [f"{self.title}."]
        if self.limit is not None:
            parts.append(f"{self.limit_label or 'Limit'}: {self.fmt(self.limit)}.")
        for s in self.series:
            values = "; ".join(
                f"{label}: {self.fmt(v)}"
                for label, v in zip(self.spoken_labels(), s.values, strict=False)
            )
            name = f"{s.name}. " if len(self.series) > 1 else ""
            parts.append(f"{name}{values}.")
        return " ".join(parts)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10.0 ** math.floor(math.log10(value))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= m * exp:
            return m * exp
    return 10.0 * exp


def _ticks(top: float) -> list[float]:
    raw = top / 5
    exp = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    # at most five steps; whole numbers, since these are counts, minutes and percents
    step = max(1.0, next(m * exp for m in (1, 2, 5, 10) if top / (m * exp) <= 5 + 1e-9))
    out, v = [], 0.0
    while v <= top + 1e-9:
        out.append(v)
        v += step
    return out


class ChartView(QWidget):
    """A calm bar/line chart drawn with QPainter. Give it a `ChartSpec`."""

    def __init__(self, spec: ChartSpec | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # readers can land on it
        self.spec = spec or ChartSpec("", [], [])
        self.set_spec(self.spec)

    def set_spec(self, spec: ChartSpec) -> None:
        self.spec = spec
        self.setAccessibleName(spec.title)
        self.setAccessibleDescription(spec.describe())
        self.setToolTip("")
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        em = self.fontMetrics().height()
        if self.spec.horizontal:
            return QSize(em * 20, max(em * 5, int(em * 2.2 * max(1, len(self.spec.labels)))))
        return QSize(em * 20, em * 11)

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        return QSize(self.fontMetrics().height() * 12, hint.height())

    def _color(self, role: Role) -> QColor:
        c = style.palette_colors(self)
        if role == "accent":
            return QColor(c.accent)
        if role == "warm":
            return QColor(c.warm)
        if role == "third":
            return QColor(_THIRD_DARK if style.is_dark(self) else _THIRD_LIGHT)
        return QColor(c.ring)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            if self.spec.horizontal:
                self._paint_horizontal(p)
            else:
                self._paint_vertical(p)
        finally:
            p.end()

    # vertical: categories along the bottom --------------------------------------------------

    def _paint_vertical(self, p: QPainter) -> None:
        spec = self.spec
        c = style.palette_colors(self)
        small = style.font(0.85)
        p.setFont(small)
        fm = QFontMetricsF(small)
        values = [v for s in spec.series for v in s.values if v is not None]
        top = spec.y_max or _nice_max(max([*values, spec.limit or 0.0, 0.0]))
        ticks = _ticks(top)
        top = max(top, ticks[-1])
        left = max(fm.horizontalAdvance(self._tick_text(t)) for t in ticks) + 10
        legend_h = fm.height() + 6 if len(spec.series) > 1 else 0.0
        plot = QRectF(left, legend_h + fm.height() / 2, 0, 0)
        plot.setRight(self.width() - 8)
        plot.setBottom(self.height() - fm.height() - 8)
        if plot.width() < 20 or plot.height() < 20:
            return

        def y_of(v: float) -> float:
            return plot.bottom() - plot.height() * (v / top if top else 0.0)

        # grid and y labels
        for t in ticks:
            y = y_of(t)
            p.setPen(QPen(c.ring, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(c.muted)
            p.drawText(
                QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                self._tick_text(t),
            )
        n = max(1, len(spec.labels))
        slot = plot.width() / n
        # x labels, thinned to what fits
        widest = max((fm.horizontalAdvance(label) for label in spec.labels), default=0.0)
        every = max(1, math.ceil((widest + 8) / slot)) if slot > 0 else 1
        p.setPen(c.muted)
        for i, label in enumerate(spec.labels):
            if i % every and i != n - 1:
                continue
            if i == n - 1 and i % every and (i % every) < every * 0.6:
                continue  # the last label would crowd the one before it
            x = plot.left() + slot * (i + 0.5)
            p.drawText(
                QRectF(x - slot * every / 2, plot.bottom() + 4, slot * every, fm.height()),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                label,
            )
        # bars
        bars = [s for s in spec.series if s.kind == "bar"]
        for b, s in enumerate(bars):
            color = self._color(s.role)
            if spec.overlay:
                width = slot * 0.62 * (1.0 - 0.38 * b)
                offset = 0.0
            else:
                width = slot * 0.7 / len(bars)
                offset = (b - (len(bars) - 1) / 2) * width
            for i, v in enumerate(s.values):
                if v is None or v <= 0:
                    continue
                x = plot.left() + slot * (i + 0.5) + offset
                rect = QRectF(x - width / 2, y_of(v), width, plot.bottom() - y_of(v))
                if spec.overlay and b == 0 and len(bars) > 1:
                    soft = QColor(color)
                    soft.setAlpha(60)
                    p.setPen(QPen(color, 1))
                    p.setBrush(soft)
                else:
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(color)
                path = QPainterPath()
                radius = min(3.0, width / 3)
                path.addRoundedRect(rect, radius, radius)
                p.drawPath(path)
        # lines
        for s in spec.series:
            if s.kind != "line":
                continue
            color = self._color(s.role)
            pen = QPen(color, 2.2)
            if s.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            points: list[QPointF | None] = [
                None if v is None else QPointF(plot.left() + slot * (i + 0.5), y_of(v))
                for i, v in enumerate(s.values)
            ]
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            prev: QPointF | None = None
            gap = 0
            for pt in points:
                if pt is None:
                    gap += 1
                    continue
                if prev is not None and gap <= MAX_BRIDGED_GAP:  # a weekend, not a holiday
                    p.drawLine(prev, pt)
                prev, gap = pt, 0
            p.setPen(QPen(color, 1.5))
            p.setBrush(color)
            for pt in points:
                if pt is not None:
                    _marker(p, pt, s.marker, 3.6 if n <= 16 else 2.6)
        # the limit line
        if spec.limit is not None:
            y = y_of(spec.limit)
            pen = QPen(c.warm, 1.6, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            text = spec.limit_label or "limit"
            tw = fm.horizontalAdvance(text) + 8
            box = QRectF(plot.right() - tw, y - fm.height() - 2, tw, fm.height())
            p.fillRect(box, c.background)
            p.setPen(c.warm)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        # legend
        if legend_h:
            x = plot.left()
            for s in spec.series:
                color = self._color(s.role)
                p.setPen(QPen(color, 2))
                p.setBrush(color)
                cy = fm.height() / 2 + 1
                if s.kind == "line":
                    pen = QPen(
                        color, 2.2, Qt.PenStyle.DashLine if s.dashed else Qt.PenStyle.SolidLine
                    )
                    p.setPen(pen)
                    p.drawLine(QPointF(x, cy), QPointF(x + 18, cy))
                    p.setPen(QPen(color, 1.5))
                    _marker(p, QPointF(x + 9, cy), s.marker, 3.4)
                    x += 24
                else:
                    if spec.overlay and s is spec.series[0]:
                        soft = QColor(color)
                        soft.setAlpha(60)
                        p.setBrush(soft)
                    p.drawRect(QRectF(x, cy - 5, 10, 10))
                    x += 16
                p.setPen(c.text)
                p.drawText(QPointF(x, cy + fm.ascent() / 2 - 1), s.name)
                x += fm.horizontalAdvance(s.name) + 18
        if spec.is_empty():
            self._paint_empty(p, plot)

    def _tick_text(self, value: float) -> str:
        text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
        return text + ("%" if self.spec.unit == "%" else "")

    def _paint_empty(self, p: QPainter, plot: QRectF) -> None:
        c = style.palette_colors(self)
        p.setFont(style.font(0.95))
        box = plot.adjusted(0, plot.height() * 0.25, 0, -plot.height() * 0.25)
        p.fillRect(box.adjusted(plot.width() * 0.2, 0, -plot.width() * 0.2, 0), c.background)
        p.setPen(c.muted)
        p.drawText(
            box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.spec.empty_text
        )

    # horizontal: categories down the left ---------------------------------------------------

    def _paint_horizontal(self, p: QPainter) -> None:
        spec = self.spec
        c = style.palette_colors(self)
        small = style.font(0.9)
        p.setFont(small)
        fm = QFontMetricsF(small)
        if spec.is_empty():
            self._paint_empty(p, QRectF(0, 0, self.width(), self.height()))
            return
        s = spec.series[0]
        vals = [v or 0.0 for v in s.values]
        hi = max([*vals, 0.0])
        lo = min([*vals, 0.0])
        span = (hi - lo) or 1.0
        left = min(self.width() * 0.45, max(fm.horizontalAdvance(t) for t in spec.labels) + 12)
        value_w = fm.horizontalAdvance("-10.0") + 10
        plot = QRectF(left, 4, self.width() - left - value_w - 8, self.height() - 8)
        row = plot.height() / max(1, len(vals))
        zero = plot.left() + plot.width() * (-lo / span)
        p.setPen(QPen(c.ring, 1))
        p.drawLine(QPointF(zero, plot.top()), QPointF(zero, plot.bottom()))
        color = self._color(s.role)
        for i, (label, v) in enumerate(zip(spec.labels, vals, strict=False)):
            y = plot.top() + row * i
            p.setPen(c.text)
            p.drawText(
                QRectF(0, y, left - 10, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(label, Qt.TextElideMode.ElideRight, left - 10),
            )
            x1 = plot.left() + plot.width() * ((v - lo) / span)
            bar = QRectF(min(zero, x1), y + row * 0.22, abs(x1 - zero), row * 0.56)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color if v >= 0 else self._color("soft"))
            p.drawRoundedRect(bar, 3, 3)
            p.setPen(c.muted)
            p.drawText(
                QRectF(max(zero, x1) + 6, y, value_w, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{v:+.1f}".replace("+", "−" if v < 0 else "") if v < 0 else f"{v:.1f}",
            )


def _marker(p: QPainter, at: QPointF, shape: Marker, r: float) -> None:
    if shape == "square":
        p.drawRect(QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r))
    elif shape == "triangle":
        path = QPainterPath()
        path.moveTo(at.x(), at.y() - r * 1.2)
        path.lineTo(at.x() + r * 1.1, at.y() + r * 0.8)
        path.lineTo(at.x() - r * 1.1, at.y() + r * 0.8)
        path.closeSubpath()
        p.drawPath(path)
    else:
        p.drawEllipse(at, r, r)


class ChartCard(QFrame):
    """A titled chart with a "Show as table" toggle (the table is built when first asked)."""

    def __init__(self, spec: ChartSpec, note: str = "") -> None:
        super().__init__()
        self.setObjectName("card")
        v = QVBoxLayout(self)
        v.setContentsMargins(14, 10, 14, 10)
        v.setSpacing(6)
        head = QHBoxLayout()
        self.title = QLabel(spec.title)
        self.title.setFont(style.font(1.0, bold=True))
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        self.toggle = QPushButton("Show as table")
        self.toggle.setObjectName("link")
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(f"Show {spec.title} as a table")
        self.toggle.toggled.connect(self._toggled)
        head.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        v.addLayout(head)
        self.note = QLabel(note)
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self.note.setFont(style.font(0.85))
        self.note.setVisible(bool(note))
        v.addWidget(self.note)
        self.stack = QStackedWidget()
        self.chart = ChartView(spec)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(f"{spec.title}, as a table")
        self.stack.addWidget(self.chart)
        self.stack.addWidget(self.table)
        v.addWidget(self.stack)
        self._table_for: ChartSpec | None = None

    @property
    def spec(self) -> ChartSpec:
        return self.chart.spec

    def set_spec(self, spec: ChartSpec, note: str = "") -> None:
        self.title.setText(spec.title)
        self.toggle.setAccessibleName(f"Show {spec.title} as a table")
        self.table.setAccessibleName(f"{spec.title}, as a table")
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.chart.set_spec(spec)
        if self.toggle.isChecked():
            self._fill_table()

    def _toggled(self, on: bool) -> None:
        self.toggle.setText("Show as chart" if on else "Show as table")
        if on:
            self._fill_table()
        self.stack.setCurrentIndex(1 if on else 0)

    def _fill_table(self) -> None:
        spec = self.spec
        if self._table_for is spec:
            return
        self._table_for = spec
        labels = list(spec.spoken_labels())
        self.table.clear()
        self.table.setRowCount(len(labels))
        self.table.setColumnCount(1 + len(spec.series))
        self.table.setHorizontalHeaderLabels(["", *(s.name for s in spec.series)])
        for r, label in enumerate(labels):
            self.table.setItem(r, 0, QTableWidgetItem(label))
            for col, s in enumerate(spec.series, start=1):
                v = s.values[r] if r < len(s.values) else None
                item = QTableWidgetItem("–" if v is None else spec.fmt(v))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, col, item)
        rows = min(len(labels), 10)
        h = (
            self.table.horizontalHeader().height()
            + rows * self.table.verticalHeader().defaultSectionSize()
        )
        self.table.setFixedHeight(max(self.chart.sizeHint().height(), h + 4))


# --- the glimmer jar -------------------------------------------------------------------------


class GlimmerModel(QAbstractListModel):
    """Glimmers, newest first (two lines each: the words, then when and where felt)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[GlimmerRecord] = []

    def set_items(self, items: list[GlimmerRecord]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        g = self.items[index.row()]
        if role == TEXT_ROLE:
            return g.text
        if role == META_ROLE:
            when = f"{g.on.strftime('%a')} {g.on.day} {g.on.strftime('%B %Y')}"
            when += f", {g.at.strftime('%H:%M')}"
            felt = f" · felt in {', '.join(g.felt_in)}" if g.felt_in else ""
            return when + felt
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{g.text}\n{self.data(index, META_ROLE)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return g.text
        return None


TEXT_ROLE = int(Qt.ItemDataRole.UserRole)
META_ROLE = int(Qt.ItemDataRole.UserRole) + 1
_PAD_X, _PAD_Y, _GAP = 12, 8, 3


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
        text = str(index.data(TEXT_ROLE) or "")
        box = fm.boundingRect(QRect(0, 0, self._width(option), 100000), _WRAP, text)
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
        text = str(index.data(TEXT_ROLE) or "")
        box = fm.boundingRect(QRect(0, 0, rect.width(), 100000), _WRAP, text)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), box.height()), _WRAP, text)
        small = self.small
        painter.setFont(small)
        painter.setPen(text_color if selected else c.muted)
        top = rect.top() + box.height() + _GAP
        meta_rect = QRect(rect.left(), top, rect.width(), self.small_height)
        painter.drawText(meta_rect, Qt.AlignmentFlag.AlignLeft, str(index.data(META_ROLE) or ""))
        painter.restore()


_WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)


class GlimmerJar(QWidget):
    def __init__(self, journal: Journal, today: date) -> None:
        super().__init__()
        self.journal = journal
        self.today = today
        self.loaded = False
        self.all: list[GlimmerRecord] = []
        v = QVBoxLayout(self)
        v.setContentsMargins(20, 16, 20, 16)
        v.setSpacing(8)
        intro = QLabel("Moments of safety, connection and resilience you noticed, newest first.")
        intro.setWordWrap(True)
        v.addWidget(intro)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search your glimmers")
        self.search.setAccessibleName("Search your glimmers")
        self.search.setClearButtonEnabled(True)
        v.addWidget(self.search)
        self.count = QLabel()
        self.count.setObjectName("muted")
        v.addWidget(self.count)
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
        self.view.setAccessibleName("Your glimmers")
        v.addWidget(self.view, 1)
        self._timer = QTimer(self)
        self._timer.setObjectName("glimmer-search-timer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        self.all = self.journal.query(GlimmerRecord)
        self.apply_search()

    def apply_search(self) -> None:
        self._timer.stop()
        text = self.search.text()
        found = insights.search_glimmers(self.all, text)
        self.model.set_items(found)
        if not self.all:
            self.count.setText(
                "No glimmers yet. After a practice, or from the tray, you can note one."
            )
        elif text.strip():
            verb = "matches" if len(found) == 1 else "match"
            self.count.setText(f"{len(found)} of {len(self.all)} glimmers {verb}.")
        else:
            self.count.setText("1 glimmer." if len(self.all) == 1 else f"{len(self.all)} glimmers.")
        self.view.setAccessibleDescription(self.count.text())


# --- the window ------------------------------------------------------------------------------


def _short(day: date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def _weekday(day: date) -> str:
    return f"{day.strftime('%a')} {day.day}"


def _long(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B')}"


def period_title(period: insights.Period) -> str:
    if period.kind == "month":
        return f"{period.start.strftime('%B')} {period.start.year}"
    a, b = period.start, period.end
    if a.month == b.month:
        return f"{a.day}–{b.day} {b.strftime('%B')} {b.year}"
    if a.year == b.year:
        return f"{_short(a)} – {_short(b)} {b.year}"
    return f"{_short(a)} {a.year} – {_short(b)} {b.year}"


def chart_specs(h: insights.History, titles: Mapping[str, str]) -> list[tuple[str, ChartSpec, str]]:
    """(key, spec, note) for every chart of a history view, in display order."""
    week = h.period.kind == "week"
    day_labels = [_weekday(d) if week else str(d.day) for d in h.days]
    day_long = [_long(d) for d in h.days]
    week_labels = [_short(w) for w in h.weeks]
    week_long = [f"week of {_long(w)}" for w in h.weeks]
    out: list[tuple[str, ChartSpec, str]] = []
    out.append(
        (
            "practice",
            ChartSpec(
                "Practice minutes per day",
                day_labels,
                [ChartSeries("Minutes", [round(v, 1) for v in h.practice_minutes])],
                unit="min",
                long_labels=day_long,
                empty_text="No practice recorded in this " + ("week." if week else "month."),
            ),
            "",
        )
    )
    names = {"still_with_me": "Still with me", "energy": "Energy", "connected": "Connected"}
    looks: dict[str, tuple[Role, Marker, bool]] = {
        "still_with_me": ("warm", "circle", False),
        "energy": ("accent", "square", False),
        "connected": ("third", "triangle", True),
    }
    out.append(
        (
            "checkin",
            ChartSpec(
                "Check-in, 0 to 10",
                day_labels,
                [
                    ChartSeries(names[k], h.checkins[k], "line", *looks[k])
                    for k in insights.CHECKINS
                ],
                y_max=10,
                long_labels=day_long,
                empty_text="No check-ins in this " + ("week." if week else "month."),
            ),
            "How much client material stayed with you, your energy, and how connected "
            "the work felt, from your end-of-day reflections.",
        )
    )
    break_labels = [_weekday(d) if week else _short(d) for d in h.break_labels]
    break_long = [_long(d) if week else f"week of {_long(d)}" for d in h.break_labels]
    out.append(
        (
            "breaks",
            ChartSpec(
                "Breaks offered and taken" + (" by day" if week else " by week"),
                break_labels,
                [
                    ChartSeries("Offered", [float(v) for v in h.breaks_offered], role="accent"),
                    ChartSeries("Taken", [float(v) for v in h.breaks_taken], role="accent"),
                ],
                overlay=True,
                long_labels=break_long,
                empty_text="No breaks offered in this " + ("week." if week else "month."),
            ),
            "",
        )
    )
    out.append(
        (
            "heavy",
            ChartSpec(
                "Heavy sessions, share per week",
                week_labels,
                [ChartSeries("Heavy share", h.heavy_share_per_week, role="third")],
                unit="%",
                y_max=100,
                limit=float(h.limit_percent),
                limit_label=f"your limit {h.limit_percent}%",
                long_labels=week_long,
                empty_text="No sessions counted in these weeks.",
            ),
            "",
        )
    )
    out.append(
        (
            "glimmers",
            ChartSpec(
                "Glimmers per week",
                week_labels,
                [ChartSeries("Glimmers", [float(v) for v in h.glimmers_per_week], role="warm")],
                long_labels=week_long,
                empty_text="No glimmers noted in these weeks.",
            ),
            "",
        )
    )
    drops = list(h.activation)
    pending = ", ".join(
        f"{titles.get(ex, ex)} ({n} of {insights.ACTIVATION_MIN_RATINGS})"
        for ex, n in h.activation_pending
    )
    note = (
        "How much your own 0-10 activation rating fell, on average, from before a "
        f"practice to after it, over the past year. A practice shows from "
        f"{insights.ACTIVATION_MIN_RATINGS} rated sessions."
    )
    if pending:
        note += f" Still gathering: {pending}."
    out.append(
        (
            "activation",
            ChartSpec(
                "What settles you most",
                [titles.get(d.exercise, d.exercise) for d in drops],
                [ChartSeries("Mean drop", [round(d.mean_drop, 1) for d in drops])],
                horizontal=True,
                decimals=1,
                long_labels=[
                    f"{titles.get(d.exercise, d.exercise)} ({d.ratings} ratings)" for d in drops
                ],
                empty_text="Rate how activated you feel before and after a practice, "
                "and this fills in.",
            ),
            note,
        )
    )
    return out


def _load_titles(journal: Journal) -> dict[str, str]:
    try:
        from companion.core.exercises import load_library

        return {e.id: e.title for e in load_library(journal.paths.user_practices)}
    except Exception:  # titles are a nicety; ids will do
        return {}


class HistoryWindow(QWidget):
    """ "Look back": week and month views, and the glimmer jar."""

    period_changed = Signal(object)  # insights.Period

    def __init__(
        self,
        journal: Journal,
        clock: Clock,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        titles: Mapping[str, str] | None = None,
        today_sessions: int | None = None,
        today_heavy: int | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.journal = journal
        self.clock = clock
        self.settings = settings
        self.today = clock.now().date()
        self._titles = dict(titles) if titles is not None else None
        self._live = (today_sessions, today_heavy)
        self._cache: dict[insights.Period, insights.History] = {}
        self.period = insights.period_containing("week", self.today)
        self.setObjectName("history")
        self.setWindowTitle("Look back · Grounding Companion")
        self.setAccessibleName("Look back")
        self._build()
        self.show_period(self.period)
        self._size_for_screen()

    # --- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        c = style.palette_colors(self)
        self.setStyleSheet(
            f"""
            QLabel#muted {{ color: {c.muted.name()}; }}
            QFrame#card {{ border: 1px solid {c.ring.name()}; border-radius: 10px; }}
            QPushButton {{ padding: 0.3em 0.9em; border-radius: 8px;
                border: 1px solid {c.ring.name()}; }}
            QPushButton:focus {{ border: 2px solid {c.accent.name()}; }}
            QPushButton:checked {{ background: {c.accent.name()}; color: {c.background.name()};
                border: none; font-weight: bold; }}
            QPushButton#link {{ border: none; color: {c.accent.name()}; padding: 0.1em 0.3em; }}
            QPushButton#link:checked {{ background: transparent; color: {c.accent.name()};
                font-weight: normal; }}
            QPushButton#link:focus {{ border: 1px solid {c.accent.name()}; }}
            QListView {{ border: 1px solid {c.ring.name()}; border-radius: 8px; padding: 4px; }}
            QLineEdit {{ padding: 5px 8px; border: 1px solid {c.ring.name()};
                border-radius: 8px; }}
            QLineEdit:focus {{ border: 2px solid {c.accent.name()}; }}
            """
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Look back")
        outer.addWidget(self.tabs)

        page = QWidget()
        pv = QVBoxLayout(page)
        pv.setContentsMargins(20, 12, 20, 0)
        pv.setSpacing(10)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setFont(style.font(1.35, bold=True))
        top.addWidget(self.title, 1)
        self.week_button = QPushButton("Week")
        self.month_button = QPushButton("Month")
        self.kind_group = QButtonGroup(self)
        em = self.fontMetrics().horizontalAdvance("M")
        for b, kind in ((self.week_button, "week"), (self.month_button, "month")):
            b.setCheckable(True)
            b.setAccessibleName(f"Show a {kind}")
            b.setMinimumWidth(em * 7)
            self.kind_group.addButton(b)
            b.clicked.connect(lambda _=False, k=kind: self.set_kind(k))
            top.addWidget(b)
        self.week_button.setChecked(True)
        pv.addLayout(top)

        nav = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("muted")
        nav.addWidget(self.summary, 1)
        self.prev_button = QPushButton("‹ Earlier")
        self.prev_button.setAccessibleName("Earlier")
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.now_button = QPushButton("This week")
        self.now_button.clicked.connect(self.back_to_now)
        self.next_button = QPushButton("Later ›")
        self.next_button.setAccessibleName("Later")
        self.next_button.clicked.connect(lambda: self.step(1))
        for b in (self.prev_button, self.now_button, self.next_button):
            nav.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        pv.addLayout(nav)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self.grid = QGridLayout(holder)
        self.grid.setContentsMargins(0, 0, 0, 16)
        self.grid.setSpacing(14)
        self.scroll_area.setWidget(holder)
        pv.addWidget(self.scroll_area, 1)
        self.cards: dict[str, ChartCard] = {}
        self._columns = 0
        self.tabs.addTab(page, "Charts")

        self.jar = GlimmerJar(self.journal, self.today)
        self.tabs.addTab(self.jar, "Glimmer jar")
        self.tabs.currentChanged.connect(self._tab_changed)

    def _size_for_screen(self) -> None:
        em = self.fontMetrics().horizontalAdvance("M")
        width, height = style.fit_to_screen(self, em * 80, em * 62)
        self.setMinimumSize(min(em * 34, width), min(em * 26, height))

    def _place_cards(self) -> None:
        em = self.fontMetrics().horizontalAdvance("M")
        columns = 2 if self.width() >= em * 62 else 1
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards.values():
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards.values()):
            self.grid.addWidget(card, i // columns, i % columns)
        for col in range(2):
            self.grid.setColumnStretch(col, 1 if col < columns else 0)
        for row in range(len(self.cards) + 1):
            self.grid.setRowStretch(row, 0)
        self.grid.setRowStretch((len(self.cards) + columns - 1) // columns, 1)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.week_button,
            self.month_button,
            self.prev_button,
            self.now_button,
            self.next_button,
        ]
        for card in self.cards.values():
            chain += [card.toggle, card.chart, card.table]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    # --- data ------------------------------------------------------------------------------

    def titles(self) -> Mapping[str, str]:
        if self._titles is None:
            self._titles = _load_titles(self.journal)
        return self._titles

    def history_for(self, period: insights.Period) -> insights.History:
        cached = self._cache.get(period)
        if cached is not None:
            return cached
        start, end = insights.history_range(period)
        records: list[Record] = self.journal.query(None, start, end)
        rated = self.journal.query(
            PracticeRecord, period.end - timedelta(days=insights.ACTIVATION_DAYS - 1), period.end
        )
        h = insights.history(
            records,
            period,
            self.settings.heavy_limit_percent,
            rated=rated,
            today=self.today,
            live_sessions=self._live[0],
            live_heavy=self._live[1],
        )
        self._cache[period] = h
        return h

    def show_period(self, period: insights.Period) -> None:
        self.period = period
        h = self.history_for(period)
        self.current = h
        titles = self.titles() if (h.activation or h.activation_pending) else {}
        for key, spec, note in chart_specs(h, titles):
            card = self.cards.get(key)
            if card is None:
                card = ChartCard(spec, note)
                self.cards[key] = card
            else:
                card.set_spec(spec, note)
        self._columns = 0
        self._place_cards()
        self.title.setText(period_title(period))
        self.title.setAccessibleName(f"Showing {period_title(period)}")
        current = insights.period_containing(period.kind, self.today)
        self.next_button.setEnabled(period.start < current.start)
        self.now_button.setText("This week" if period.kind == "week" else "This month")
        self.now_button.setEnabled(period != current)
        self.summary.setText(_summary(h))
        self.summary.setAccessibleName(self.summary.text())
        self.period_changed.emit(period)

    def set_kind(self, kind: insights.PeriodKind) -> None:
        anchor = self.today if self.period.contains(self.today) else self.period.start
        (self.week_button if kind == "week" else self.month_button).setChecked(True)
        if kind != self.period.kind:
            self.show_period(insights.period_containing(kind, anchor))

    def step(self, steps: int) -> None:
        target = self.period.shifted(steps)
        if target.start > self.today:
            return
        self.show_period(target)

    def back_to_now(self) -> None:
        self.show_period(insights.period_containing(self.period.kind, self.today))

    def show_jar(self) -> None:
        self.tabs.setCurrentWidget(self.jar)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.jar:
            self.jar.load()
            self.jar.search.setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_cards()


def _summary(h: insights.History) -> str:
    if h.is_empty:
        span = "week" if h.period.kind == "week" else "month"
        return f"Nothing recorded in this {span} yet. The charts fill in as the days go by."
    minutes = round(sum(h.practice_minutes))
    practice_days = sum(1 for v in h.practice_minutes if v)
    glimmers = sum(h.glimmers_per_day)
    parts = [
        f"{minutes} min of practice on {practice_days} {'day' if practice_days == 1 else 'days'}",
        f"{glimmers} {'glimmer' if glimmers == 1 else 'glimmers'}",
    ]
    offered = sum(d for d in h.breaks_offered)
    if offered:
        parts.append(f"{sum(h.breaks_taken)} of {offered} breaks taken")
    return " · ".join(parts) + "."
