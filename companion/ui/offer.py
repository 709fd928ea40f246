"""The offer: a small card near the tray when a session ends.

It never takes keyboard focus (the clinician may be typing notes), ignores clicks in
its first second (so a click meant for something else cannot dismiss it), and goes
away by itself when its window closes. It shows state and emits intents; the app
decides what they mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.clock import Clock
from companion.ui import style

CLICK_GUARD_S = 1.0


class OfferCard(QFrame):
    """`start(exercise_id)`, `snooze()`, `skip()` are the user's answers."""

    start = Signal(str)
    snooze = Signal()
    skip = Signal()

    def __init__(
        self,
        clock: Clock,
        *,
        headline: str,
        suggestion: tuple[str, str] | None,
        others: Sequence[tuple[str, str]] = (),
        note: str = "",
        can_snooze: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self._shown_at: float | None = None
        self.setObjectName("offer-card")
        self.setWindowFlags(
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("Grounding Companion: a break between sessions")
        self.setAccessibleDescription(headline)
        c = style.palette_colors(self)
        self.setStyleSheet(
            f"""
            QFrame#offer-card {{ background: {c.background.name()};
                border: 1px solid {c.ring.name()}; border-radius: 12px; }}
            QPushButton {{ padding: 0.35em 0.9em; border-radius: 8px;
                border: 1px solid {c.ring.name()}; }}
            QPushButton#offer-main {{ background: {c.accent.name()};
                color: {c.background.name()}; border: none; font-weight: bold; }}
            QPushButton#offer-other {{ text-align: left; border: none;
                color: {c.accent.name()}; }}
            QLabel#offer-note {{ color: {c.muted.name()}; }}
            """
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)

        title = QLabel(headline)
        title.setObjectName("offer-headline")
        title.setFont(style.font(1.15, bold=True))
        title.setWordWrap(True)
        layout.addWidget(title)
        self.headline = title

        if note:
            note_label = QLabel(note)
            note_label.setObjectName("offer-note")
            note_label.setWordWrap(True)
            layout.addWidget(note_label)

        self.main_button: QPushButton | None = None
        self.other_buttons: list[QPushButton] = []
        self._choices_box = QVBoxLayout()
        self._choices_box.setSpacing(8)
        layout.addLayout(self._choices_box)
        self._choices: tuple[object, ...] = ()
        self.set_choices(suggestion, others)

        row = QHBoxLayout()
        row.addStretch(1)
        self.snooze_button = QPushButton("In 2 min")
        self.snooze_button.setAccessibleName("Remind me in two minutes")
        self.snooze_button.setEnabled(can_snooze)
        self.snooze_button.clicked.connect(lambda: self._guarded(self.snooze))
        self.skip_button = QPushButton("Skip")
        self.skip_button.setAccessibleName("Skip this break")
        self.skip_button.clicked.connect(lambda: self._guarded(self.skip))
        row.addWidget(self.snooze_button)
        row.addWidget(self.skip_button)
        layout.addLayout(row)
        for b in (self.snooze_button, self.skip_button):
            _quiet(b)
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
            main = _quiet(QPushButton(label))
            main.setObjectName("offer-main")
            main.setAccessibleName(f"Start {label}")
            main.clicked.connect(lambda _=False, i=ex_id: self._guarded(self.start, i))
            self._choices_box.addWidget(main)
            self.main_button = main
        if others:
            also = QLabel("Or, if you prefer:")
            also.setObjectName("offer-note")
            self._choices_box.addWidget(also)
            for ex_id, label in others:
                b = _quiet(QPushButton(label))
                b.setObjectName("offer-other")
                b.setAccessibleName(f"Start {label}")
                b.clicked.connect(lambda _=False, i=ex_id: self._guarded(self.start, i))
                self._choices_box.addWidget(b)
                self.other_buttons.append(b)
        if self.isVisible():
            self.adjustSize()

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
        self._shown_at = self.clock.monotonic()
        super().showEvent(event)  # type: ignore[arg-type]

    def _guarded(self, signal: Signal, *args: object) -> None:
        """Ignore clicks in the first second: typing or a stray click cannot answer."""
        if self._shown_at is None or self.clock.monotonic() - self._shown_at < CLICK_GUARD_S:
            return
        signal.emit(*args)  # type: ignore[attr-defined]

    def place_near(self, anchor: QRect | None) -> None:
        """Near the tray icon, leaving room beside it for the desktop's own notification
        (which appears in that corner and must not cover the card's buttons)."""
        self.adjustSize()
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
        return f"Session ended · {minutes} min until {next_session.strftime('%H:%M')}"
    return f"Session ended · {minutes} min to yourself"
