"""The chart widget of Look back: `ChartView` draws a calm bar/line chart with QPainter,
`ChartCard` frames it with its title, a note and a "Show as table" toggle.

QtCharts would need PySide6-Addons, a second wheel of well over 100 MB that this project
does not depend on, for six simple charts; the widget here follows the app's palette in
light and dark (`style.palette_colors`) and costs nothing at start-up. Every chart carries
an accessible description with its numbers and can be shown as a table instead. Every
word it paints or speaks comes translated in its `ChartSpec` or through `_` here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from PySide6.QtCore import QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.i18n import N_, _
from companion.ui import kit, style, text

# A third series colour the shared palette has no role for (a quiet slate blue).
_THIRD_LIGHT = QColor("#4d7196")
_THIRD_DARK = QColor("#9cbad8")
MAX_BRIDGED_GAP = 3  # a line joins points across at most this many empty days
NOTHING_YET = N_("Nothing recorded here yet.")

Kind = Literal["bar", "line"]
Role = Literal["accent", "warm", "third", "soft"]
Marker = Literal["circle", "square", "triangle"]
Unit = Literal["", "min", "%"]


def number(value: float, decimals: int = 0) -> str:
    """A number as the person's locale writes it ("3.0", "3,0")."""
    return str(QLocale().toString(float(value), "f", decimals))


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
    """What to draw. `labels` name the categories along the axis (one per value).
    Every text in it is already in the person's language."""

    title: str
    labels: Sequence[str]
    series: Sequence[ChartSeries]
    unit: Unit = ""  # how numbers read in descriptions and tables: "15 min", "40%"
    y_max: float | None = None  # None: a round number above the largest value
    limit: float | None = None
    limit_label: str = ""
    horizontal: bool = False  # bars along the x axis, labels down the left
    overlay: bool = False  # later bar series drawn inside earlier ones (taken in offered)
    empty_text: str = ""  # painted over an empty chart; "" says NOTHING_YET
    decimals: int = 0
    long_labels: Sequence[str] = field(default=())  # fuller labels for tables and readers
    status: str = ""  # a placeholder ("Loading…"): the frame is drawn, no data, no text
    zeros: bool = False  # a 0 is a value ("0% heavy"), not an empty day; None is empty
    value_labels: bool = False  # each bar's value written above it, where they all fit

    def is_empty(self) -> bool:
        if self.zeros:
            return all(v is None for s in self.series for v in s.values)
        return not any(v for s in self.series for v in s.values if v is not None)

    def empty_message(self) -> str:
        return self.empty_text or _(NOTHING_YET)

    def spoken_labels(self) -> Sequence[str]:
        return self.long_labels or self.labels

    def fmt(self, value: float | None) -> str:
        if value is None:
            return _("none")
        if self.unit == "min" and not self.decimals:
            return text.minutes(round(value))
        shown = number(value, self.decimals)
        if self.unit == "min":
            return _("{n} min").format(n=shown)
        if self.unit == "%":
            return _("{percent} %").format(percent=shown)
        return shown

    def tick(self, value: float) -> str:
        """An axis label: the number alone, or with "%"."""
        shown = number(value, 0 if value == int(value) else 1)
        return _("{percent} %").format(percent=shown) if self.unit == "%" else shown

    def describe(self) -> str:
        """The chart's numbers in words, for screen readers."""
        if self.status:
            return _("{title}. {status}").format(title=self.title, status=self.status)
        if self.is_empty():
            return _("{title}. {empty}").format(title=self.title, empty=self.empty_message())
        # Translators: the first sentence of a chart's description for screen readers.
        parts = [_("{title}.").format(title=self.title)]
        if self.limit is not None:
            parts.append(
                _("{label}: {value}.").format(
                    label=self.limit_label or _("Limit"), value=self.fmt(self.limit)
                )
            )
        for s in self.series:
            # Translators: one point of a chart for screen readers ("Monday 2 March: 15 min").
            values = "; ".join(
                _("{label}: {value}").format(label=label, value=self.fmt(v))
                for label, v in zip(self.spoken_labels(), s.values, strict=False)
            )
            if len(self.series) > 1:
                parts.append(_("{series}. {values}.").format(series=s.name, values=values))
            else:
                parts.append(_("{values}.").format(values=values))
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
            if self.hasFocus():  # the keyboard is here: say so as every control does
                pen = QPen(style.palette_colors(self).accent, 2)
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 6, 6)
        finally:
            p.end()

    # vertical: categories along the bottom --------------------------------------------------

    def _paint_vertical(self, p: QPainter) -> None:
        spec = self.spec
        c = style.palette_colors(self)
        p.setFont(style.font(0.85))
        plot, fm, y_of = self.plot_rect()
        if plot.width() < 20 or plot.height() < 20:
            return
        values = [v for s in spec.series for v in s.values if v is not None]
        top = spec.y_max or _nice_max(max([*values, spec.limit or 0.0, 0.0]))
        ticks = _ticks(top)
        top = max(top, ticks[-1])
        left = plot.left()
        legend_h = fm.height() + 6 if len(spec.series) > 1 else 0.0
        # grid and y labels (a placeholder has no scale yet: no numbers)
        for t in ticks:
            y = y_of(t)
            p.setPen(QPen(c.ring, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            if spec.status and spec.y_max is None:
                continue
            p.setPen(c.muted)
            p.drawText(
                QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                spec.tick(t),
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
                if v is None or (v <= 0 and not spec.zeros):
                    continue
                x = plot.left() + slot * (i + 0.5) + offset
                if v <= 0:  # a real 0: a thin mark on the axis, so it is not a gap
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(color)
                    p.drawRect(QRectF(x - width / 2, plot.bottom() - 2.5, width, 2.5))
                    continue
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
        if spec.value_labels and bars:
            self._paint_values(p, slot, bars[0].values)
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
        if spec.is_empty() and not spec.status:
            self._paint_empty(p, self.empty_box(plot, y_of))
        # the limit line, over everything: an empty chart's words never cover it
        limit = self.limit_box(fm, plot, y_of)
        if spec.limit is not None and limit is not None:
            y = y_of(spec.limit)
            pen = QPen(c.warm, 1.6, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.fillRect(limit, c.background)
            p.setPen(c.warm)
            p.drawText(limit, Qt.AlignmentFlag.AlignCenter, spec.limit_label or _("limit"))
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

    # where things go (tests look at these too) ------------------------------------------------

    def plot_rect(self) -> tuple[QRectF, QFontMetricsF, Callable[[float], float]]:
        """The vertical chart's plot area, its small font's metrics and value -> y."""
        spec = self.spec
        fm = QFontMetricsF(style.font(0.85))
        values = [v for s in spec.series for v in s.values if v is not None]
        top = spec.y_max or _nice_max(max([*values, spec.limit or 0.0, 0.0]))
        ticks = _ticks(top)
        top = max(top, ticks[-1])
        left = max(fm.horizontalAdvance(spec.tick(t)) for t in ticks) + 10
        legend_h = fm.height() + 6 if len(spec.series) > 1 else 0.0
        plot = QRectF(left, legend_h + fm.height() / 2, 0, 0)
        plot.setRight(self.width() - 8)
        plot.setBottom(self.height() - fm.height() - 8)

        def y_of(v: float) -> float:
            return plot.bottom() - plot.height() * (v / top if top else 0.0)

        return plot, fm, y_of

    def limit_box(
        self, fm: QFontMetricsF, plot: QRectF, y_of: Callable[[float], float]
    ) -> QRectF | None:
        """Where the limit's words are written ("your limit 40%"), or None."""
        if self.spec.limit is None:
            return None
        y = y_of(self.spec.limit)
        tw = fm.horizontalAdvance(self.spec.limit_label or _("limit")) + 8
        return QRectF(plot.right() - tw, y - fm.height() - 2, tw, fm.height())

    def empty_box(self, plot: QRectF, y_of: Callable[[float], float]) -> QRectF:
        """Where an empty chart says so: the middle of the plot, or, with a limit line,
        the larger part above or below the line and its words."""
        if self.spec.limit is None:
            return plot.adjusted(0, plot.height() * 0.25, 0, -plot.height() * 0.25)
        fm = QFontMetricsF(style.font(0.85))
        y = y_of(self.spec.limit)
        above = QRectF(plot.left(), plot.top(), plot.width(), y - fm.height() - 4 - plot.top())
        below = QRectF(plot.left(), y + 4, plot.width(), plot.bottom() - y - 4)
        return above if above.height() > below.height() else below

    def _paint_empty(self, p: QPainter, box: QRectF) -> None:
        c = style.palette_colors(self)
        p.setFont(style.font(0.95))
        p.fillRect(box.adjusted(box.width() * 0.2, 0, -box.width() * 0.2, 0), c.background)
        p.setPen(c.muted)
        p.drawText(
            box,
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            self.spec.empty_message(),
        )
        p.setFont(style.font(0.85))

    def _paint_values(
        self,
        p: QPainter,
        slot: float,
        values: Sequence[float | None],
    ) -> None:
        """Each bar's value above it ("0%", "26%"), when every one of them fits its slot."""
        plot, fm, y_of = self.plot_rect()
        words = [None if v is None else self.spec.fmt(v) for v in values]
        widest = max((fm.horizontalAdvance(w) for w in words if w), default=0.0)
        if widest + 4 > slot:
            return  # crowded (a narrow window, long words): the table and readers have them
        c = style.palette_colors(self)
        limit = self.limit_box(fm, plot, y_of)
        for i, (v, w) in enumerate(zip(values, words, strict=False)):
            if v is None or w is None:
                continue
            x = plot.left() + slot * (i + 0.5)
            inside = plot.bottom() - y_of(v) >= fm.height() + 6  # tall: at the bar's top
            y = y_of(v) + 3 if inside else y_of(v) - fm.height() - 2
            box = QRectF(x - slot / 2, y, slot, fm.height())
            if limit is not None and box.intersects(limit):
                continue  # the limit's words win; the table and readers have the value
            p.setPen(c.background if inside else c.text)
            p.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, w)

    # horizontal: categories down the left ---------------------------------------------------

    def _paint_horizontal(self, p: QPainter) -> None:
        spec = self.spec
        c = style.palette_colors(self)
        small = style.font(0.9)
        p.setFont(small)
        fm = QFontMetricsF(small)
        if spec.status:
            return  # a placeholder: the card's frame and title say enough
        if spec.is_empty():
            self._paint_empty(p, QRectF(0, 0, self.width(), self.height()))
            return
        s = spec.series[0]
        vals = [v or 0.0 for v in s.values]
        hi = max([*vals, spec.y_max or 0.0, 0.0])
        lo = min([*vals, 0.0])
        span = (hi - lo) or 1.0
        left = min(self.width() * 0.45, max(fm.horizontalAdvance(t) for t in spec.labels) + 12)
        value_w = fm.horizontalAdvance(spec.fmt(-100.0 if spec.unit == "%" else -10.0)) + 10
        row = min((self.height() - 8) / max(1, len(vals)), fm.height() * 2.2)  # never fat
        plot = QRectF(left, 4, self.width() - left - value_w - 8, row * max(1, len(vals)))
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
                spec.fmt(v),
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


class ChartCard(QWidget):
    """A titled chart with a "Show as table" toggle (the table is built when first asked)."""

    def __init__(self, spec: ChartSpec, note: str = "") -> None:
        super().__init__()
        frame = kit.card()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        v = QVBoxLayout(frame)
        v.setContentsMargins(14, 10, 14, 10)
        v.setSpacing(6)
        head = QHBoxLayout()
        self.title = kit.heading(spec.title, level=2)
        head.addWidget(self.title, 1)
        self.toggle = kit.link_button(_("Show as table"))
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._toggled)
        head.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        v.addLayout(head)
        self.note = kit.hint(note)
        self.note.setVisible(bool(note))
        v.addWidget(self.note)
        self.stack = QStackedWidget()
        self.chart = ChartView(spec)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # the table's height counts only once it is shown (it sets its own then): a short
        # chart (two practices) is not padded out to a default table's height
        self.table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.stack.addWidget(self.chart)
        self.stack.addWidget(self.table)
        v.addWidget(self.stack)
        self._table_for: ChartSpec | None = None
        self._name(spec)

    @property
    def spec(self) -> ChartSpec:
        return self.chart.spec

    def _name(self, spec: ChartSpec) -> None:
        self.toggle.setAccessibleName(
            _("Show {chart} as a chart").format(chart=spec.title)
            if self.toggle.isChecked()
            else _("Show {chart} as a table").format(chart=spec.title)
        )
        self.table.setAccessibleName(_("{chart}, as a table").format(chart=spec.title))

    def set_spec(self, spec: ChartSpec, note: str = "") -> None:
        self.title.setText(spec.title)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.chart.set_spec(spec)
        self._name(spec)
        if self.toggle.isChecked():
            self._fill_table()

    def _toggled(self, on: bool) -> None:
        self.toggle.setText(_("Show as chart") if on else _("Show as table"))
        self._name(self.spec)
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
        self.table.setAccessibleDescription(spec.status)
        for r, label in enumerate(labels):
            self.table.setItem(r, 0, QTableWidgetItem(label))
            for col, s in enumerate(spec.series, start=1):
                v = s.values[r] if r < len(s.values) else None
                shown = "" if spec.status else ("–" if v is None else spec.fmt(v))
                item = QTableWidgetItem(shown)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, col, item)
        rows = min(len(labels), 10)
        h = (
            self.table.horizontalHeader().height()
            + rows * self.table.verticalHeader().defaultSectionSize()
        )
        self.table.setFixedHeight(max(self.chart.sizeHint().height(), h + 4))
