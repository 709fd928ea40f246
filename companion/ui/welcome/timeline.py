"""A small picture of the week: one row a weekday, each session a block on a line of hours.

It redraws as the quick week is typed (`show_week`). It is a picture only (no focus);
what it shows is also its accessible description, a line a day ("Monday: 7 sessions,
09:15–17:05"), for a screen reader. Sizes come from the font, so it grows at 150 %.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import time

from PySide6.QtCore import QLocale, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from companion import i18n
from companion.core.settings import WeeklySession
from companion.i18n import _
from companion.ui import style, text


def short_weekday(weekday: int) -> str:
    """ "Mon" for 0, in the locale's words (marked under the pseudo-locale)."""
    name = QLocale().dayName(weekday + 1, QLocale.FormatType.ShortFormat)
    return i18n.pseudo(name) if i18n.language() == i18n.PSEUDO else name


def _minute(start: str) -> int:
    return int(start[:2]) * 60 + int(start[3:5])


def _time(minute: int) -> time:
    minute = min(max(minute, 0), 24 * 60 - 1)
    return time(minute // 60, minute % 60)


def day_line(weekday: int, sessions: Sequence[WeeklySession]) -> str:
    """ "Monday: 7 sessions, 09:15–17:05" (or "Monday: no sessions")."""
    name = text.weekday_name(weekday)
    if not sessions:
        return _("{weekday}: no sessions").format(weekday=name)
    first = min(_minute(s.start) for s in sessions)
    last_end = max(_minute(s.start) + s.minutes for s in sessions)
    return _("{weekday}: {sessions}, {span}").format(
        weekday=name,
        sessions=text.sessions(len(sessions)),
        span=text.span(_time(first), _time(last_end)),
    )


class WeekTimeline(QWidget):
    """The week as blocks; `show_week(week, own_days)` redraws it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._week: tuple[WeeklySession, ...] = ()
        self._own: frozenset[int] = frozenset()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Your week at a glance"))
        self._describe()

    # --- state -------------------------------------------------------------------------

    def show_week(self, week: Sequence[WeeklySession], own_days: Collection[int] = ()) -> None:
        """Draw `week`; the days in `own_days` (set by hand) are drawn in a second shade."""
        self._week = tuple(week)
        self._own = frozenset(own_days)
        self._describe()
        self.update()

    def week(self) -> tuple[WeeklySession, ...]:
        return self._week

    def _describe(self) -> None:
        lines = [day_line(d, [s for s in self._week if s.weekday == d]) for d in range(7)]
        self.setAccessibleDescription("\n".join(lines))

    # --- geometry --------------------------------------------------------------------------

    def _row_height(self) -> int:
        return round(self.fontMetrics().height() * 1.5)

    def _label_width(self) -> int:
        fm = self.fontMetrics()
        return max(fm.horizontalAdvance(short_weekday(d)) for d in range(7)) + fm.height()

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(self._label_width() + fm.averageCharWidth() * 60, self._height())

    def minimumSizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(self._label_width() + fm.averageCharWidth() * 24, self._height())

    def _height(self) -> int:
        return self._row_height() * 7 + round(self.fontMetrics().height() * 1.8)

    def _hours(self) -> tuple[int, int]:
        """The hours the line spans: the week's, widened to at least 08:00-18:00."""
        if not self._week:
            return 8, 18
        first = min(_minute(s.start) for s in self._week) // 60
        last = -(-max(_minute(s.start) + s.minutes for s in self._week) // 60)
        return min(first, 8), min(max(last, 18), 24)

    # --- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        colors = style.palette_colors(self)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        row = self._row_height()
        left = self._label_width()
        right = self.width() - fm.averageCharWidth() * 3
        top = round(fm.height() * 1.6)
        lo, hi = self._hours()
        span = max(hi - lo, 1) * 60
        width = max(right - left, 1)

        def x_of(minute: int) -> float:
            return left + (minute - lo * 60) * width / span

        # Hour lines and labels: every hour a faint line, a label where there is room.
        step = 1
        label_room = fm.horizontalAdvance(text.hm(time(23, 59))) + fm.averageCharWidth() * 2
        while width / (hi - lo) * step < label_room and step < 6:
            step += 1
        painter.setPen(QPen(colors.ring, 1))
        for hour in range(lo, hi + 1):
            x = x_of(hour * 60)
            painter.drawLine(round(x), top - fm.height() // 4, round(x), top + row * 7)
        painter.setPen(colors.muted)
        for hour in range(lo, hi + 1, step):
            label = text.hm(time(hour % 24, 0))
            w = fm.horizontalAdvance(label)
            x = min(max(x_of(hour * 60) - w / 2, left - w / 2), right - w / 2)
            painter.drawText(round(x), fm.ascent(), label)

        for day in range(7):
            y = top + day * row
            painter.setPen(colors.text if day not in self._own else colors.warm)
            painter.drawText(
                QRectF(0, y, left - fm.height() / 2, row),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                short_weekday(day),
            )
            fill = QColor(colors.warm if day in self._own else colors.accent)
            if not self.isEnabled():  # not what is typed now (it cannot be used): faint
                fill = QColor(colors.ring)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            for s in self._week:
                if s.weekday != day:
                    continue
                start = _minute(s.start)
                x0, x1 = x_of(start), x_of(min(start + s.minutes, hi * 60))
                block = QRectF(x0, y + row * 0.2, max(x1 - x0 - 1.5, 2.0), row * 0.6)
                painter.drawRoundedRect(block, row * 0.15, row * 0.15)
        painter.end()
