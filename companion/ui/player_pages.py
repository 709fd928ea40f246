"""The practice player's smaller parts: the one-tap check-in row (wired / in between /
flat, or 0-10), the practice buttons that leave Space to the window, the countdown's
words, and the cue words as they suit the pacer on screen. `companion.ui.player` plays
the practice; `companion.ui.player_end` is its end screen.
"""

from __future__ import annotations

import math
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
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

#: The check-in's states, as the journal keeps them, with their button (and mnemonic),
#: accessible name and description.
STATES: dict[str, tuple[str, str, str]] = {
    "wired": (N_("&Wired"), N_("Wired"), N_("Keyed up, restless or on edge")),
    "between": (N_("In &between"), N_("In between"), N_("Neither keyed up nor flat")),
    "flat": (N_("&Flat"), N_("Flat"), N_("Low, tired, heavy or numb")),
}

#: Said, on screen, over the still pacer instead of a cue sentence about a moving circle
#: (reduced motion draws a circle that never grows; the count and the bar move instead).
STILL_CUE = N_("Breathe with the words and the count, at an easy pace.")
_CIRCLE = re.compile(r"\bcircle\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?]+[.!?]*\s*")


def format_left(seconds: float, *, paused: bool = False) -> str:
    """ "4:05 left" (or "Paused · 4:05 left"): whole seconds, rounded up."""
    whole = max(0, math.ceil(seconds - 1e-6))
    time = f"{whole // 60}:{whole % 60:02d}"
    if paused:
        return _("Paused · {time} left").format(time=time)
    return _("{time} left").format(time=time)


def still_words(cue: str) -> str:
    """`cue` as it may stand over the still pacer of reduced motion: a sentence about the
    circle (growing, shrinking, following it) gives way to one about the words and the
    count; every other sentence is kept. A cue that says nothing of the circle is
    returned as it is."""
    if not _CIRCLE.search(cue):
        return cue
    kept: list[str] = []
    replaced = False
    for sentence in _SENTENCE.findall(cue):
        if _CIRCLE.search(sentence):
            if not replaced:
                kept.append(_(STILL_CUE))
                replaced = True
        elif sentence.strip():
            kept.append(sentence.strip())
    return " ".join(kept)


class ControlButton(QPushButton):
    """A practice button that leaves Space and the arrow keys to the window: Space always
    pauses or resumes (a focused Stop must never end the practice on Space), and Right
    always means "next" wherever the focus is. Enter still presses it where the window
    says so; Tab reaches it."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _WINDOW_KEYS:
            event.ignore()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() in _WINDOW_KEYS:
            event.ignore()
            return
        super().keyReleaseEvent(event)


_WINDOW_KEYS = (
    Qt.Key.Key_Space,
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
)


class CheckInRow(QWidget):
    """The optional one-tap check-in: "wired / in between / flat" (`style` "state") or
    0-10 (`style` "scale"). One tap answers, another tap on a different one changes the
    answer, a tap on the chosen one takes it back. Keys: Alt and the underlined letter for
    the three states; 0-9 for the scale (`key_choice`); Enter on a focused button.

    `chosen` carries the state ("wired", "between", "flat") or the number as a string,
    or "" when the answer was taken back; `value()` says the same."""

    chosen = Signal(str)

    def __init__(self, style_name: str, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.style_name = style_name
        em = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(int(em * 0.35))
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.question.setFont(style.font(1.05))
        layout.addWidget(self.question)

        row = QHBoxLayout()
        row.setSpacing(max(2, int(em * 0.3)))
        self.buttons: dict[str, QPushButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        if style_name == "scale":
            options = [
                (
                    str(n),
                    str(n),
                    _("{value} out of 10").format(value=n),
                    _("0 is not activated at all, 10 is very activated; one press answers"),
                )
                for n in range(11)
            ]
        else:
            options = [(key, _(b), _(n), _(d)) for key, (b, n, d) in STATES.items()]
        for key, text, name, description in options:
            button = kit.named(ControlButton(text), name, description)
            button.setToolTip("" if style_name == "scale" else description)
            button.setObjectName("chip")
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            # Never narrower than its words and padding: the window widens instead.
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, k=key: self._tapped(k))
            self._group.addButton(button)
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        layout.addLayout(row)
        if style_name == "scale":
            ends = QHBoxLayout()
            ends.addWidget(kit.hint(_("0 · not activated")))
            ends.addStretch(1)
            ends.addWidget(kit.hint(_("10 · very activated")))
            layout.addLayout(ends)
        self._value = ""

    def value(self) -> str:
        return self._value

    def state(self) -> str | None:
        """The answer as `PracticeRecord.state_*` keeps it (None unanswered or 0-10)."""
        return self._value or None if self.style_name != "scale" else None

    def rating(self) -> int | None:
        """The answer as `PracticeRecord.rating_*` keeps it (None unanswered or a state)."""
        return int(self._value) if self.style_name == "scale" and self._value else None

    def choose(self, key: str) -> None:
        """Answer `key` as a tap would."""
        if key in self.buttons:
            self._tapped(key)

    def key_choice(self, event: QKeyEvent) -> bool:
        """A digit typed for the 0-10 scale answers it; True when the key was used."""
        if self.style_name != "scale" or not self.isVisible():
            return False
        text = event.text()
        if (
            len(text) == 1
            and text.isdigit()
            and not event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier)
        ):
            self._tapped(text)
            return True
        return False

    def _tapped(self, key: str) -> None:
        self._value = "" if self._value == key else key
        for k, button in self.buttons.items():
            button.setChecked(k == self._value)
        self.chosen.emit(self._value)
