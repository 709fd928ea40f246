"""The offer: a small card near the tray when a session ends.

It never takes keyboard focus (the clinician may be typing notes), ignores clicks in
its first second (so a click meant for something else cannot dismiss it), and goes
away by itself when its window closes. It shows state and emits intents; the app
decides what they mean. Left alone for `LOWER_AFTER_S` it lowers itself: it hides to the
tray (whose icon still says an offer waits; a click brings it back), or, with no tray,
it stops staying on top of every window. It never stays on top for an hour.

Its rounded corners are real: the window's shape (an X11 shape mask, `rounded_region`,
kept in step with its size) leaves the corners out, so the desktop shows through them
with or without a compositor, and the card paints its own antialiased border just
inside that shape. (On Wayland, which always composites, the window is translucent and
the corners are simply not painted.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import (
    QGuiApplication,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QRegion,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.clock import Clock
from companion.i18n import _, ngettext
from companion.ui import kit, style, text

CLICK_GUARD_S = 1.0
LOWER_AFTER_S = 180.0
"""Seconds a card left alone stays up before it lowers itself."""
RADIUS = 12
"""The card's corner radius, in (device-independent) pixels."""
_NO_SHAPES = frozenset({"offscreen", "minimal"})


def platform_shapes_windows() -> bool:
    """Whether the window system can give a window a shape (X11, Wayland, Windows and
    macOS can; Qt's offscreen test platform cannot, and would warn)."""
    return QGuiApplication.platformName() not in _NO_SHAPES


def rounded_region(size: QSize, radius: int) -> QRegion:
    """The pixels of a `size` rectangle with rounded corners: a pixel belongs to it when
    its centre lies inside the rounded shape. Built from one strip per row of the
    corners, so it is exact (a polygon's region would be off by a pixel here and there)."""
    w, h = size.width(), size.height()
    r = max(0, min(radius, w // 2, h // 2))
    region = QRegion(0, r, w, max(0, h - 2 * r))
    for y in range(r):
        dy = r - (y + 0.5)  # from the corner circle's centre to this row's pixel centres
        inset = r - math.sqrt(max(0.0, r * r - dy * dy))
        x = math.ceil(inset - 0.5)  # the first pixel whose centre is inside
        strip = QRect(x, y, max(0, w - 2 * x), 1)
        region = region.united(strip).united(strip.translated(0, h - 1 - 2 * y))
    return region


class OfferCard(QFrame):
    """`start(exercise_id)`, `snooze()`, `skip()` are the user's answers."""

    start = Signal(str)
    snooze = Signal()
    skip = Signal()
    lowered = Signal()
    """Left alone for LOWER_AFTER_S, the card went down (hidden, or no longer on top)."""

    def __init__(
        self,
        clock: Clock,
        *,
        headline: str,
        suggestion: tuple[str, str] | None,
        others: Sequence[tuple[str, str]] = (),
        note: str = "",
        can_snooze: bool = True,
        hide_when_lowered: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self._shown_at: float | None = None
        self._hide_when_lowered = hide_when_lowered
        self._reshowing = False
        self.is_lowered = False
        self._lower_timer = QTimer(self)
        self._lower_timer.setObjectName("offer-lower")
        self._lower_timer.setSingleShot(True)
        self._lower_timer.timeout.connect(self.check_lower)
        self.setObjectName("offer-card")
        self.setWindowFlags(
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        if QGuiApplication.platformName().startswith("wayland"):
            # Wayland always composites, and its window shape only routes input: there the
            # corners are left unpainted instead, so they are see-through.
            self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(_("Grounding Companion: a break between sessions"))
        self.setAccessibleDescription(headline)
        em = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(int(em * 1.1), int(em * 0.85), int(em * 1.1), int(em * 0.85))
        layout.setSpacing(int(em * 0.5))

        title = kit.heading(headline, level=2)
        title.setObjectName("offer-headline")
        layout.addWidget(title)
        self.headline = title

        if note:
            layout.addWidget(kit.muted(note))

        self.main_button: QPushButton | None = None
        self.other_buttons: list[QPushButton] = []
        self._choices_box = QVBoxLayout()
        self._choices_box.setSpacing(int(em * 0.5))
        layout.addLayout(self._choices_box)
        self._choices: tuple[object, ...] = ()
        self.set_choices(suggestion, others)

        row = QHBoxLayout()
        row.addStretch(1)
        self.snooze_button = _quiet(kit.button(_("In 2 min"), _("Remind me in two minutes")))
        self.snooze_button.setEnabled(can_snooze)
        self.snooze_button.clicked.connect(lambda: self._guarded(self.snooze))
        self.skip_button = _quiet(kit.button(_("Skip"), _("Skip this break")))
        self.skip_button.clicked.connect(lambda: self._guarded(self.skip))
        row.addWidget(self.snooze_button)
        row.addWidget(self.skip_button)
        layout.addLayout(row)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 30)

    def set_choices(
        self, suggestion: tuple[str, str] | None, others: Sequence[tuple[str, str]] = ()
    ) -> None:
        """The practices on offer; called again as the gap shrinks, so no button promises
        more minutes than are left."""
        choices = (suggestion, tuple(others))
        if choices == self._choices:
            return
        self._choices = choices
        while (item := self._choices_box.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.main_button, self.other_buttons = None, []
        if suggestion is not None:
            ex_id, label = suggestion
            main = _quiet(kit.primary_button(label, _("Start {practice}").format(practice=label)))
            main.clicked.connect(lambda _checked=False, i=ex_id: self._guarded(self.start, i))
            self._choices_box.addWidget(main)
            self.main_button = main
        if others:
            self._choices_box.addWidget(kit.muted(_("Or, if you prefer:")))
            for ex_id, label in others:
                b = _quiet(kit.link_button(label, _("Start {practice}").format(practice=label)))
                b.clicked.connect(lambda _checked=False, i=ex_id: self._guarded(self.start, i))
                self._choices_box.addWidget(b, 0, Qt.AlignmentFlag.AlignLeft)
                self.other_buttons.append(b)
        if self.isVisible():
            self.fit()

    def fit(self) -> None:
        """As wide as the widest choice needs, never wider than the screen, and as tall
        as that width needs. (QWidget.adjustSize would cap a window at two thirds of the
        screen and cut a long practice name on its button at 150 % or in a longer
        language.)"""
        layout = self.layout()
        layout.activate()
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().width() - 32 if screen else 1280
        width = min(max(layout.minimumSize().width(), self.sizeHint().width()), room)
        width = max(width, self.minimumWidth())
        height = layout.heightForWidth(width) if layout.hasHeightForWidth() else -1
        self.resize(width, max(height, layout.minimumSize().height()))

    def refresh(
        self,
        headline: str,
        suggestion: tuple[str, str] | None,
        others: Sequence[tuple[str, str]],
        *,
        can_snooze: bool,
    ) -> None:
        """Keep the card true as minutes pass: the headline's count, what fits, and
        whether "In 2 min" still leaves room for a practice."""
        if self.headline.text() != headline:
            self.headline.setText(headline)
            self.setAccessibleDescription(headline)
        self.set_choices(suggestion, others)
        self.snooze_button.setEnabled(can_snooze)

    def showEvent(self, event: object) -> None:
        if not self._reshowing:  # shown (again): the click guard and the wait start over
            self._shown_at = self.clock.monotonic()
            self.is_lowered = False
            self._arm(LOWER_AFTER_S)
        super().showEvent(event)  # type: ignore[arg-type]

    # --- lowering itself -----------------------------------------------------------------

    def check_lower(self) -> None:
        """The timer's slot (call it after moving a fake clock): lower the card once it
        has been left alone for LOWER_AFTER_S."""
        if self._shown_at is None or self.is_lowered or not self.isVisible():
            return
        left = LOWER_AFTER_S - (self.clock.monotonic() - self._shown_at)
        if left > 0:
            self._arm(left)
            return
        self.is_lowered = True
        if self._hide_when_lowered:
            self.hide()
        else:  # changing a window's flags hides it: show it again, no longer on top
            self._reshowing = True
            try:
                self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, False)
                self.show()
                if platform_shapes_windows():  # a real window system (offscreen cannot)
                    self.lower()
            finally:
                self._reshowing = False
        self.lowered.emit()

    def _arm(self, seconds: float) -> None:
        rate = getattr(self.clock, "rate", 1.0)
        rate = rate if isinstance(rate, (int, float)) and rate > 0 else 1.0
        self._lower_timer.start(int(seconds / rate * 1000) + 1)

    # --- the rounded shape ---------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The window's shape follows its size, so the corners stay out of it."""
        super().resizeEvent(event)
        if platform_shapes_windows():
            self.setMask(rounded_region(self.size(), RADIUS))

    def paintEvent(self, event: QPaintEvent) -> None:
        """The card itself: its background and a soft antialiased border just inside the
        window's rounded shape."""
        c = style.palette_colors(self)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(c.ring, 1.0))
        p.setBrush(self.palette().color(QPalette.ColorRole.Window))
        p.drawRoundedRect(
            QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), RADIUS - 0.5, RADIUS - 0.5
        )
        p.end()

    # --- answers and placement -----------------------------------------------------------

    def _guarded(self, signal: SignalInstance, *args: object) -> None:
        """Ignore clicks in the first second: typing or a stray click cannot answer."""
        if self._shown_at is None or self.clock.monotonic() - self._shown_at < CLICK_GUARD_S:
            return
        signal.emit(*args)

    def place_near(self, anchor: QRect | None) -> None:
        """Near the tray icon, leaving room beside it for the desktop's own notification
        (which appears in that corner and must not cover the card's buttons)."""
        self.fit()
        screen = QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen else QRect(0, 0, 1280, 800)
        margin = 16
        band = self.fontMetrics().height() * 8  # about one notification's height
        x = area.right() - self.width() - margin
        y = area.bottom() - self.height() - margin - band
        if anchor is not None and anchor.isValid() and not anchor.isEmpty():
            if anchor.center().y() < area.center().y():
                y = area.top() + margin + band  # tray at the top of the screen
            x = min(max(area.left() + margin, anchor.center().x() - self.width() // 2), x)
        self.move(QPoint(x, max(area.top(), y)))


def _quiet(button: QPushButton) -> QPushButton:
    """A card button never takes keyboard focus (the clinician may be typing notes)."""
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def headline_for(now: datetime, end: datetime, next_session: datetime | None) -> str:
    """ "Session ended · 10 min until 11:00": minutes to the next session, as a person
    counts them (the practice itself stops a minute earlier)."""
    until = next_session or end
    minutes = max(0, round((until - now).total_seconds() / 60))
    if next_session is not None:
        return ngettext(
            "Session ended · {n} min until {time}", "Session ended · {n} min until {time}", minutes
        ).format(n=minutes, time=text.hm(next_session))
    return ngettext(
        "Session ended · {n} min to yourself", "Session ended · {n} min to yourself", minutes
    ).format(n=minutes)
