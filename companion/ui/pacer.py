"""The breathing pacer: a circle that grows on the in-breath and shrinks on the out-breath,
a still ring on holds, and the phase word under it.

What is drawn always comes from `source()`, a `BreathState` computed by the core from
elapsed monotonic time. The frame timer only says *when* to look again; it is never
counted. So a late or dropped frame shows the right phase a moment later, and nothing
drifts over a long practice.

The timer (named "pacer-frame", as qutebrowser names its timers) runs only while the
widget is visible and the practice is not paused. It is a single-shot timer re-armed
after every frame with the time until the next thing worth drawing:

* while the circle moves: when its edge has moved about half a pixel (16-100 ms; the
  eased breath is slow near the turns), or sooner when a phase boundary is nearer, so
  the boundary itself is drawn on time (each frame is painted at once, not queued);
* a phase boundary (with reduced motion, a new second) is also woken `LEAD_MS` early
  by a second timer ("pacer-lead"), which waits out the last few milliseconds itself (a
  plain sleep) and then looks at the clock and paints. A timer that fires late, on a
  busy machine, is late by that much less (bench/pacer.py --load: the boundary frame
  aimed at the moment itself came 11-23 ms late on a loaded machine);
* on a hold: nothing moves, so it sleeps until the hold ends;
* with reduced motion: nothing scales at all. The circle stays the same size; a count
  (1, 2, 3...) and a bar that fills in whole-second steps show the phase, and the timer
  wakes once a second.

The phase words come translated from the core (`Phase.word`); "Paused" is the pacer's.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QLocale, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHideEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShowEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from companion.core.pacing import BreathState, Phase
from companion.i18n import N_, _
from companion.ui import style

FRAME_MS = 16
"""The shortest wait between frames (just under one 60 Hz frame)."""
MAX_FRAME_MS = 100
"""The longest wait between frames while the circle moves, however slowly."""
STEP_PX = 0.5
"""A new frame is drawn when the circle's edge has moved about this far."""
MIN_SIZE = 0.38
"""The emptied circle's radius as a share of the full one."""
PAUSED_WORD = N_("Paused")
HOLD_GAP = 8.0
"""Pixels between the still circle and its ring on a hold."""
LEAD_MS = 6.0
"""A boundary (a new phase; with reduced motion, a new second) is woken this much early;
the frame sleeps the rest, so a timer up to this late still lands the boundary on time."""


@dataclass(frozen=True)
class PacerFrame:
    """What one frame shows (kept for tests and the benchmark as `BreathPacer.last_frame`).

    `radius` is the filled circle's radius in pixels as drawn. With reduced motion it is
    the same in every frame; `count` (seconds into the phase, from 1) and `filled` (the
    bar, 0..1, in whole-second steps) carry the timing instead.
    """

    phase: Phase | None
    word: str
    reduced: bool
    size: float
    radius: float
    still: bool
    count: int | None = None
    filled: float | None = None


class BreathPacer(QWidget):
    """Draws `source()` (the current breath, or None when there is none to show).

    `clock_rate` is how many seconds of the source's clock pass per real second (1.0 in
    use; a compressed demo or benchmark clock runs faster), so waits are set in real time.
    """

    phaseChanged = Signal(str)
    """The drawn phase changed from one phase to another; carries the new phase word."""

    def __init__(
        self,
        source: Callable[[], BreathState | None],
        *,
        reduced_motion: bool = False,
        clock_rate: float = 1.0,
        parent: QWidget | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pacer")
        self._source = source
        self._sleep = sleep
        self._reduced = reduced_motion
        self._rate = clock_rate if clock_rate > 0 else 1.0
        self._running = True
        self._phase: Phase | None = None
        self._last_motion: tuple[Phase, float, float] | None = None
        self.last_frame: PacerFrame | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("pacer-frame")
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_frame)
        self._lead = QTimer(self)
        self._lead.setObjectName("pacer-lead")
        self._lead.setSingleShot(True)
        self._lead.setTimerType(Qt.TimerType.PreciseTimer)
        self._lead.timeout.connect(self._on_lead)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(_("Breathing guide"))
        self._set_description(None)
        # It paints its whole rectangle itself, so Qt need not paint the parent under it.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._fonts_and_colors()

    # --- what the owner tells it ----------------------------------------------------------

    @property
    def timer(self) -> QTimer:
        return self._timer

    @property
    def reduced_motion(self) -> bool:
        return self._reduced

    def set_reduced_motion(self, reduced: bool) -> None:
        self._reduced = reduced
        self.refresh()

    def set_running(self, running: bool) -> None:
        """False while the practice is paused (or over): the pacer holds still."""
        self._running = running
        self.refresh()

    def refresh(self) -> None:
        """Look at the source now (a step changed, a pause ended) and plan the next frame."""
        self._timer.stop()
        self._lead.stop()
        if self._on_screen():
            self._on_frame()

    def _on_screen(self) -> bool:
        return self.isVisible() and not self.window().isMinimized()

    # --- frames ---------------------------------------------------------------------------

    def frame(self) -> PacerFrame:
        """What would be drawn now, at the current size."""
        breath = self._source()
        full = self._geometry()[0]
        empty = full * MIN_SIZE
        if breath is None:
            return PacerFrame(None, "", self._reduced, 0.0, empty, True)
        word = breath.phase.word if self._running else _(PAUSED_WORD)
        holding = breath.phase in (Phase.HOLD, Phase.HOLD_OUT)
        if self._reduced:
            seconds = max(1, math.ceil(breath.phase_seconds - 1e-9))
            count = min(seconds, math.floor(breath.phase_elapsed + 1e-9) + 1)
            return PacerFrame(
                phase=breath.phase,
                word=word,
                reduced=True,
                size=breath.size,
                radius=full * 0.62,
                still=True,
                count=count,
                filled=count / seconds,
            )
        return PacerFrame(
            phase=breath.phase,
            word=word,
            reduced=False,
            size=breath.size,
            radius=self._radius(breath, full),
            still=holding or not self._running,
        )

    @staticmethod
    def _radius(breath: BreathState, full: float) -> float:
        empty = full * MIN_SIZE
        return empty + (full - empty) * breath.size

    def _until_change_ms(self, breath: BreathState) -> float:
        """Real milliseconds until what is drawn changes at a moment: the next phase, or
        with reduced motion the next whole second of the count."""
        to_boundary = max(0.0, breath.phase_remaining) / self._rate * 1000.0
        if self._reduced:
            to_next_second = (1.0 - breath.phase_elapsed % 1.0) / self._rate * 1000.0
            return min(to_boundary, to_next_second)
        return to_boundary

    def _on_lead(self) -> None:
        """Woken LEAD_MS before a boundary: wait out the rest here (a timer that came late
        has less to wait), then draw what is true now, at once."""
        breath = self._source()
        if breath is None or not self._running or not self._on_screen():
            return
        ahead = self._until_change_ms(breath)
        if 0.0 < ahead <= LEAD_MS + 1.0:
            self._sleep((ahead + 0.3) / 1000.0)
        self._on_frame()

    def _on_frame(self) -> None:
        breath = self._source()
        phase = breath.phase if breath is not None else None
        if phase is not self._phase:
            previous, self._phase = self._phase, phase
            self._set_description(breath)
            if previous is not None and phase is not None:
                self.phaseChanged.emit(phase.word)
        # Plan the next frame first, so the time spent painting does not push it late.
        self._lead.stop()
        if breath is not None and self._running and self._on_screen():
            wait = self._next_wait_ms(breath)
            self._timer.start(wait)
            ahead = self._until_change_ms(breath)
            if ahead - LEAD_MS < wait:  # the next frame is for a boundary: wake early too
                self._lead.start(max(0, math.floor(ahead - LEAD_MS)))
        # Paint now rather than queue it: a queued update can wait for the window's next
        # update request (about 5 ms), which would land the phase late.
        self.repaint()

    def _next_wait_ms(self, breath: BreathState) -> int:
        """Real milliseconds until the next frame worth drawing.

        While the circle moves, the wait is the time its edge takes to move STEP_PX at
        the speed seen since the last frame (eased breaths are slow near the turns, so
        fewer frames are drawn there), between FRAME_MS and MAX_FRAME_MS.
        """
        to_boundary = max(0.0, breath.phase_remaining) / self._rate * 1000.0
        if self._reduced:
            until = self._until_change_ms(breath)
        elif breath.phase in (Phase.HOLD, Phase.HOLD_OUT):
            until = to_boundary
        else:
            radius = self._radius(breath, self._geometry()[0])
            wait = float(FRAME_MS)
            last = self._last_motion
            if last is not None and last[0] is breath.phase and breath.phase_elapsed > last[1]:
                speed = abs(radius - last[2]) / (breath.phase_elapsed - last[1])  # px/clock s
                wait = MAX_FRAME_MS if speed <= 0 else STEP_PX / speed / self._rate * 1000.0
                wait = min(float(MAX_FRAME_MS), max(float(FRAME_MS), wait))
            self._last_motion = (breath.phase, breath.phase_elapsed, radius)
            if to_boundary >= wait:
                return math.ceil(wait)
            until = to_boundary
        # A millisecond past the moment, so what gets drawn is the new phase (or second).
        return math.ceil(until) + 1

    def _set_description(self, breath: BreathState | None) -> None:
        if breath is None:
            self.setAccessibleDescription("")
        else:
            self.setAccessibleDescription(breath.phase.word)

    # --- Qt -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        self._lead.stop()
        super().hideEvent(event)

    def sizeHint(self) -> QSize:
        em = QFontMetrics(style.font()).height()
        return QSize(em * 16, em * 16)

    def minimumSizeHint(self) -> QSize:
        em = QFontMetrics(style.font()).height()
        return QSize(em * 9, em * 10)

    def _fonts_and_colors(self) -> None:
        """Looked up once (and again when the palette or font changes), not every frame."""
        self._colors = style.palette_colors(self)
        c = self._colors
        # The fill is the soft accent laid over the background once, here: an opaque
        # colour draws faster than blending a translucent one every frame.
        alpha = c.accent_soft.alphaF()
        self._fill = QColor.fromRgbF(
            c.accent_soft.redF() * alpha + c.background.redF() * (1 - alpha),
            c.accent_soft.greenF() * alpha + c.background.greenF() * (1 - alpha),
            c.accent_soft.blueF() * alpha + c.background.blueF() * (1 - alpha),
        )
        self._background = self.palette().color(QPalette.ColorRole.Window)
        self._word_font = style.font(1.5)
        self._count_font = style.font(2.6)
        self._word_height = QFontMetrics(self._word_font).height()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._fonts_and_colors()

    def _word_font_height(self) -> int:
        return self._word_height

    def _geometry(self) -> tuple[float, QPointF]:
        """The full circle's radius and centre, leaving room under it for the word."""
        word_h = self._word_font_height()
        below = word_h * (2.6 if self._reduced else 1.6)
        width = float(self.width())
        height = max(1.0, self.height() - below)
        radius = max(4.0, min(width, height) / 2.0 - HOLD_GAP - 4.0)
        return radius, QPointF(width / 2.0, height / 2.0 + 2.0)

    def paintEvent(self, event: QPaintEvent) -> None:
        frame = self.frame()
        self.last_frame = frame
        if frame.phase is None:
            p = QPainter(self)
            p.fillRect(event.rect(), self._background)
            p.end()
            return
        colors = self._colors
        full, centre = self._geometry()
        p = QPainter(self)
        p.fillRect(event.rect(), self._background)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if frame.reduced:
            self._paint_reduced(p, frame, full, centre, colors)
        else:
            self._paint_circle(p, frame, full, centre, colors)
        p.end()

    def _paint_circle(
        self, p: QPainter, frame: PacerFrame, full: float, centre: QPointF, c: style.Colors
    ) -> None:
        holding = frame.phase in (Phase.HOLD, Phase.HOLD_OUT)
        if not (holding and frame.phase is Phase.HOLD):
            # The outline of a full breath stays put, as a guide.
            p.setPen(QPen(c.ring, 1.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(centre, full, full)
        # The breath itself.
        p.setPen(QPen(c.accent, 2.0))
        p.setBrush(self._fill)
        p.drawEllipse(centre, frame.radius, frame.radius)
        if holding:
            # A hold: a quiet, still ring around the circle.
            ring = frame.radius + HOLD_GAP
            p.setPen(QPen(c.accent, 3.0))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(centre, ring, ring)
        self._paint_word(p, frame.word, centre.y() + full + HOLD_GAP + 10.0, c.text)

    def _paint_reduced(
        self, p: QPainter, frame: PacerFrame, full: float, centre: QPointF, c: style.Colors
    ) -> None:
        radius = frame.radius
        word_h = self._word_font_height()
        bar_h = max(6.0, word_h * 0.35)
        # Circle, word and bar as one group, centred in the widget.
        group = 2 * radius + HOLD_GAP + 10.0 + word_h * 1.5 + bar_h
        centre = QPointF(centre.x(), max(radius, (self.height() - group) / 2.0 + radius))
        p.setPen(QPen(c.accent, 3.0))
        p.setBrush(self._fill)
        p.drawEllipse(centre, radius, radius)
        if frame.count is not None:
            p.setPen(c.text)
            p.setFont(self._count_font)
            box = QRectF(centre.x() - radius, centre.y() - radius, radius * 2, radius * 2)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, QLocale().toString(frame.count))
        top = centre.y() + radius + HOLD_GAP + 10.0  # the word close under the still circle
        self._paint_word(p, frame.word, top, c.text)
        # The bar: fills in whole-second steps through the phase.
        bar_w = min(self.width() * 0.7, full * 2.2)
        bar = QRectF((self.width() - bar_w) / 2.0, top + word_h * 1.5, bar_w, bar_h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c.ring)
        p.drawRoundedRect(bar, bar_h / 2, bar_h / 2)
        if frame.filled:
            filled = QRectF(bar.x(), bar.y(), bar.width() * frame.filled, bar.height())
            p.setBrush(c.accent)
            p.drawRoundedRect(filled, bar_h / 2, bar_h / 2)

    def _paint_word(self, p: QPainter, word: str, top: float, color: QColor) -> None:
        p.setPen(color)
        p.setFont(self._word_font)
        box = QRectF(0.0, top, float(self.width()), float(self._word_font_height()) * 1.3)
        p.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, word)
