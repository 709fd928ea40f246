"""The end of a practice, on one screen: how it ended and how long was done, the
optional after check-in (the same one-tap row as at the start), and, when a session has
just ended and the practice ran its course, the glimmer question on that same screen.

The screen itself saves nothing; it says what was answered and `PlayerWindow` saves.
Done (Enter) keeps what was answered; a glimmer is kept only when there are words and
Done was pressed. Left alone for `IDLE_CLOSE_S` it asks to be closed (`idle`): the
practice is saved, and a glimmer question nobody answered is not.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from companion.i18n import _, ngettext
from companion.ui import kit, style
from companion.ui.glimmer import HINT, MAX_LENGTH, QUESTIONS
from companion.ui.player_pages import THANKS, CheckInRow

if TYPE_CHECKING:
    from companion.core.clock import Clock

IDLE_CLOSE_S = 120.0
"""Seconds the end screen waits, untouched, before it closes by itself."""


def time_done(seconds: float) -> str:
    """ "You practised for 5 minutes." (whole minutes; seconds under one)."""
    whole = max(0, round(seconds))
    if whole < 60:
        return ngettext(
            "You practised for {n} second.", "You practised for {n} seconds.", whole
        ).format(n=whole)
    minutes = round(whole / 60)
    return ngettext(
        "You practised for {n} minute.", "You practised for {n} minutes.", minutes
    ).format(n=minutes)


class EndScreen(QWidget):
    """See the module docstring. `checkin` is "state", "scale" or "" (not asked);
    `glimmer` asks the after-session glimmer question."""

    done = Signal()
    """Done was pressed (or Enter): save what was answered and close."""
    idle = Signal()
    """Left alone for IDLE_CLOSE_S: save the practice (not the glimmer) and close."""
    retry = Signal()
    close_requested = Signal()

    def __init__(
        self,
        clock: Clock,
        *,
        rate: float = 1.0,
        rng: random.Random | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._rate = rate
        self._rng = rng
        self._touched_at = 0.0
        em = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setSpacing(int(em * 0.55))
        layout.addStretch(1)
        self.label = QLabel("")
        self.label.setFont(style.font(1.5))
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.label)
        self.done_time = kit.muted()
        self.done_time.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.done_time)
        self.thanks = kit.muted(_(THANKS))
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.thanks)
        layout.addSpacing(int(em * 0.6))

        self.checkin_box = QVBoxLayout()
        layout.addLayout(self.checkin_box)
        self.checkin: CheckInRow | None = None

        self.glimmer_box = QWidget()
        g = QVBoxLayout(self.glimmer_box)
        g.setContentsMargins(0, int(em * 0.4), 0, 0)
        g.setSpacing(int(em * 0.35))
        self.glimmer_question = QLabel("")
        self.glimmer_question.setFont(style.font(1.15))
        self.glimmer_question.setWordWrap(True)
        g.addWidget(self.glimmer_question)
        self.glimmer_edit = QLineEdit()
        self.glimmer_edit.setFont(style.font(1.1))
        self.glimmer_edit.setMaxLength(MAX_LENGTH)
        self.glimmer_edit.setPlaceholderText(_("A few words, if you like"))
        self.glimmer_question.setBuddy(self.glimmer_edit)
        g.addWidget(self.glimmer_edit)
        g.addWidget(kit.hint(_(HINT)))
        self.glimmer_box.hide()
        layout.addWidget(self.glimmer_box)

        self.error = kit.error_line(_("Why it was not saved"))
        self.error.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.error)
        layout.addStretch(2)

        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = kit.button(
            _("Close"), _("Close"), _("Close the player; this practice stays unsaved")
        )
        self.close_button.clicked.connect(self.close_requested.emit)
        self.close_button.hide()
        self.retry_button = kit.primary_button(
            _("Try again"), _("Try again"), _("Save this practice again")
        )
        self.retry_button.clicked.connect(self.retry.emit)
        self.retry_button.hide()
        self.done_button = kit.primary_button(
            _("Done"), _("Done"), _("Keep what you answered and close (Enter)")
        )
        self.done_button.clicked.connect(self.done.emit)
        for b in (self.close_button, self.retry_button, self.done_button):
            row.addWidget(b)
        layout.addLayout(row)

        self._idle = QTimer(self)
        self._idle.setObjectName("end-idle")
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self.check_idle)
        self.glimmer_edit.textEdited.connect(lambda _t: self.touch())

    # --- what is asked ---------------------------------------------------------------------

    def ask(self, message: str, seconds_done: float, *, checkin: str, glimmer: bool) -> None:
        """Fill the screen for a practice just over, and start waiting."""
        self.label.setText(message)
        self.done_time.setText(time_done(seconds_done))
        if checkin and self.checkin is None:
            question = (
                _("And now, how activated do you feel? (optional)")
                if checkin == "scale"
                else _("And now, how are you? (optional)")
            )
            self.checkin = CheckInRow(checkin, question)
            self.checkin.chosen.connect(lambda _v: self.touch())
            self.checkin_box.addWidget(self.checkin)
        if glimmer:
            chooser = self._rng if self._rng is not None else random.Random()  # noqa: S311
            question = _(chooser.choice(QUESTIONS["after-session"]))
            self.glimmer_question.setText(question)
            kit.named(
                self.glimmer_edit, question, _("One line, optional. {hint}").format(hint=_(HINT))
            )
            self.glimmer_edit.setToolTip("")
            self.glimmer_box.show()
        self.touch()

    @property
    def asks_glimmer(self) -> bool:
        return not self.glimmer_box.isHidden()

    def glimmer_words(self) -> str:
        return " ".join(self.glimmer_edit.text().split()) if self.asks_glimmer else ""

    def first_focus(self) -> None:
        target: QWidget = self.glimmer_edit if self.asks_glimmer else self.done_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- saving trouble ---------------------------------------------------------------------

    def show_failure(self, message: str) -> None:
        """Say why something was not saved (or, with "", that all is well)."""
        kit.show_error(self.error, message)
        if message:
            self.stop_waiting()  # a screen with bad news never closes by itself

    def offer_retry(self) -> None:
        """The practice was not saved: Try again, or Close and let it go."""
        self.done_button.hide()
        self.close_button.show()
        self.retry_button.show()
        self.retry_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- closing by itself ------------------------------------------------------------------

    def touch(self) -> None:
        """Something was answered or typed: wait IDLE_CLOSE_S from now."""
        self._touched_at = self._clock.monotonic()
        if self.error.isHidden():
            self._arm(IDLE_CLOSE_S)

    def stop_waiting(self) -> None:
        self._idle.stop()

    def check_idle(self) -> None:
        """The timer's slot (call it after moving a fake clock): close when left alone."""
        if not self.error.isHidden():
            return
        left = IDLE_CLOSE_S - (self._clock.monotonic() - self._touched_at)
        if left <= 0:
            self.idle.emit()
        else:
            self._arm(left)

    def _arm(self, seconds: float) -> None:
        self._idle.start(int(seconds / self._rate * 1000) + 1)
