"""The practice player's quieter pages: the 0-10 rating asked before and after a
practice, and the end page (what happened, thanks, and a calm line when the practice
could not be saved). `companion.ui.player` plays the practice and moves between them.
"""

from __future__ import annotations

import itertools
import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from companion.i18n import N_, _
from companion.ui import kit, style

ENDED_TEXT = {
    "completed": N_("That's the end of the practice."),
    "out_of_time": N_("Time to get ready for your next session."),
    "stopped": N_("You stopped here. That's completely fine."),
}
THANKS = N_("Thank you for taking this time for yourself.")


def format_left(seconds: float, *, paused: bool = False) -> str:
    """ "4:05 left" (or "Paused · 4:05 left"): whole seconds, rounded up."""
    whole = max(0, math.ceil(seconds - 1e-6))
    time = f"{whole // 60}:{whole % 60:02d}"
    if paused:
        return _("Paused · {time} left").format(time=time)
    return _("{time} left").format(time=time)


class ControlButton(QPushButton):
    """A practice button that leaves the arrow keys to the window (a push button would
    use them to move the focus), so Right means "next" wherever the focus is."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            event.ignore()
            return
        super().keyPressEvent(event)


class RatingPage(QWidget):
    """ "How activated do you feel?" as one row of 0-10 buttons: one tap answers."""

    chosen = Signal(int)
    skipped = Signal()
    never = Signal()

    def __init__(self, heading: str, question: str, detail: str = "") -> None:
        super().__init__()
        em = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setSpacing(int(em * 0.6))
        layout.addStretch(1)

        self.heading = kit.heading(heading)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.heading)
        self.detail = kit.muted(detail)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.detail.setVisible(bool(detail))
        layout.addWidget(self.detail)
        layout.addSpacing(em)

        self.question = QLabel(question)
        self.question.setFont(style.font(1.25))
        self.question.setWordWrap(True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.question)

        row = QHBoxLayout()
        row.setSpacing(max(2, int(em * 0.25)))
        self.buttons: list[QPushButton] = []
        for value in range(11):
            button = kit.button(
                str(value),
                _("{value} out of 10").format(value=value),
                _("0 is settled, 10 is very activated; one press answers"),
            )
            button.setToolTip("")
            button.setObjectName("rating")
            button.setFont(style.font(1.15))
            button.setMinimumHeight(int(em * 2.2))
            # Never narrower than the number and the button's padding (its size hint): the
            # window widens rather than cut "10" off, at 150 % as with the stylesheet.
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, v=value: self.chosen.emit(v))
            row.addWidget(button)
            self.buttons.append(button)
        layout.addLayout(row)

        ends = QHBoxLayout()
        ends.addWidget(kit.muted(_("0 · settled"), wrap=False))
        ends.addStretch(1)
        ends.addWidget(kit.muted(_("10 · very activated"), wrap=False))
        layout.addLayout(ends)
        layout.addStretch(2)

        bottom = QHBoxLayout()
        self.never_button = kit.link_button(
            _("Don't ask me again"),
            _("Don't ask me again"),
            _("Turn these ratings off; you can turn them back on in the settings"),
        )
        self.never_button.clicked.connect(self.never.emit)
        self.skip_button = kit.button(_("Skip"), _("Skip the rating"), _("Go on without answering"))
        self.skip_button.clicked.connect(self.skipped.emit)
        bottom.addWidget(self.never_button)
        bottom.addStretch(1)
        bottom.addWidget(self.skip_button)
        layout.addLayout(bottom)

        order: list[QWidget] = [*self.buttons, self.skip_button, self.never_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)


class EndPage(QWidget):
    """How the practice ended and a thank-you. When the practice could not be saved it
    stays, says so in one calm line, and offers Try again and Close."""

    retry = Signal()
    close_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = QLabel("")
        self.label.setFont(style.font(1.5))
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.label)
        thanks = kit.muted(_(THANKS))
        thanks.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(thanks)
        self.error = kit.error_line(_("Why the practice was not saved"))
        self.error.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.error)
        layout.addStretch(2)

        self.buttons = QWidget()
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        self.close_button = kit.button(
            _("Close"), _("Close"), _("Close the player; this practice stays unsaved")
        )
        self.close_button.clicked.connect(self.close_requested.emit)
        self.retry_button = kit.primary_button(
            _("Try again"), _("Try again"), _("Save this practice again")
        )
        self.retry_button.clicked.connect(self.retry.emit)
        row.addWidget(self.close_button)
        row.addWidget(self.retry_button)
        self.buttons.hide()
        layout.addWidget(self.buttons)

    def show_failure(self, message: str) -> None:
        """Say why the practice was not saved (or, with "", that all is well)."""
        kit.show_error(self.error, message)

    def offer_retry(self) -> None:
        self.buttons.show()
        self.retry_button.setFocus(Qt.FocusReason.OtherFocusReason)
