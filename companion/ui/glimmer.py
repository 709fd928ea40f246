"""The glimmer prompt: one question, one line, optional "felt it in..." chips.

A glimmer (Deb Dana's word) is a small moment of safety or connection. The question's
wording rotates so it stays fresh, but it is always a single question, and it is always
fine to skip. The same dialog serves after a practice, from the tray at any time, and
in the end-of-day reflection.
"""

from __future__ import annotations

import itertools
import logging
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from companion.core.records import FELT_IN, GlimmerRecord
from companion.ui import style

if TYPE_CHECKING:
    from companion.core.clock import Clock
    from companion.core.journal import Journal

log = logging.getLogger("companion.glimmer")

"""The body places offered as chips (the same list `companion glimmer --felt-in` takes)."""
MAX_LENGTH = 300

QUESTIONS: dict[str, tuple[str, ...]] = {
    "after-session": (
        "Any glimmer from that session?",
        "Was there a small moment of connection in that session?",
        "Did anything in that session feel warm, steady or hopeful?",
        "Is there a moment from that session you'd like to keep?",
    ),
    "anytime": (
        "Any glimmer you'd like to keep?",
        "What small moment of safety or connection did you notice?",
        "Has something felt warm, steady or kind lately?",
        "Is there a small good moment you'd like to remember?",
    ),
    "reflection": (
        "Any glimmer from today?",
        "What moment of ease or connection would you like to keep from today?",
        "Did you notice a small moment of safety today?",
        "What small good moment stays with you from today?",
    ),
}

ABOUT = "A glimmer is a small moment of safety, ease or connection."
HINT = "Please leave out names and anything that could identify a client."


class GlimmerDialog(QDialog):
    """Ask for one glimmer. Save (Enter) keeps it; Skip (Esc) keeps nothing.

    `source` is "after-session", "anytime" or "reflection" and picks the wording;
    `rng` chooses among the variants (pass a seeded `random.Random` in tests).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        source: str = "anytime",
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(parent)
        if source not in QUESTIONS:
            raise ValueError(f"source must be one of {', '.join(QUESTIONS)}, not {source!r}")
        self.setObjectName("glimmer-dialog")
        self.source = source
        chooser = rng if rng is not None else random.Random()  # noqa: S311 (wording, not secrets)
        self.question = chooser.choice(QUESTIONS[source])
        self.setWindowTitle("A glimmer")
        colors = style.palette_colors(self)

        layout = QVBoxLayout(self)
        em = self.fontMetrics().height()
        layout.setContentsMargins(int(em * 1.5), int(em * 1.2), int(em * 1.5), int(em * 1.2))
        layout.setSpacing(int(em * 0.6))

        self.question_label = QLabel(self.question)
        self.question_label.setFont(style.font(1.4))
        self.question_label.setWordWrap(True)
        layout.addWidget(self.question_label)

        about = QLabel(ABOUT)
        about.setWordWrap(True)
        about.setFont(style.font(0.95))
        about.setStyleSheet(f"color: {colors.muted.name()};")
        layout.addWidget(about)

        self.text_edit = QLineEdit()
        self.text_edit.setFont(style.font(1.15))
        self.text_edit.setPlaceholderText("A few words, if you like")
        self.text_edit.setMaxLength(MAX_LENGTH)
        self.text_edit.setAccessibleName(self.question)
        self.text_edit.setAccessibleDescription(f"One line, optional. {HINT}")
        self.question_label.setBuddy(self.text_edit)
        layout.addWidget(self.text_edit)

        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setFont(style.font(0.9))
        hint.setStyleSheet(f"color: {colors.muted.name()};")
        layout.addWidget(hint)

        layout.addSpacing(int(em * 0.4))
        felt = QLabel("Felt it in… (optional)")
        felt.setFont(style.font(1.0))
        layout.addWidget(felt)
        chips_row = QHBoxLayout()
        chips_row.setSpacing(int(em * 0.4))
        self.chips: dict[str, QPushButton] = {}
        for place in FELT_IN:
            chip = QPushButton(place)
            chip.setCheckable(True)
            chip.setAutoDefault(False)
            chip.setAccessibleName(f"Felt it in: {place}")
            chip.setAccessibleDescription("Press to mark or unmark this place")
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.setObjectName("chip")
            chip.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            chips_row.addWidget(chip)
            self.chips[place] = chip
        chips_row.addStretch(1)
        layout.addLayout(chips_row)
        self.setStyleSheet(_chip_style(colors))
        felt.setAccessibleName("Where you felt it, optional")

        layout.addSpacing(int(em * 0.6))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.skip_button = QPushButton("Skip")
        self.skip_button.setAutoDefault(False)
        self.skip_button.setAccessibleName("Skip")
        self.skip_button.setAccessibleDescription("Close without saving anything (Esc)")
        self.skip_button.clicked.connect(self.reject)
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName("Save glimmer")
        self.save_button.setAccessibleDescription("Keep this glimmer in your journal (Enter)")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.accept)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

        self.text_edit.textChanged.connect(self._text_changed)
        self.text_edit.returnPressed.connect(self._return_pressed)

        order: Sequence[QWidget] = [
            self.text_edit,
            *self.chips.values(),
            self.save_button,
            self.skip_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self.text_edit.setFocus()
        # Wide enough for the question on two lines at most; never narrower than the chips
        # (the layout keeps its own minimum, so nothing is cut off at 150 %).
        hint_size = self.sizeHint()
        self.resize(max(hint_size.width(), em * 32), hint_size.height())

    def _text_changed(self, text: str) -> None:
        self.save_button.setEnabled(bool(text.strip()))

    def _return_pressed(self) -> None:
        if self.text_edit.text().strip():
            self.accept()

    def felt_in(self) -> tuple[str, ...]:
        return tuple(place for place, chip in self.chips.items() if chip.isChecked())

    def result_glimmer(self) -> tuple[str, tuple[str, ...]] | None:
        """(text, felt-in places) when saved with some text; None when skipped."""
        text = " ".join(self.text_edit.text().split())
        if self.result() != QDialog.DialogCode.Accepted or not text:
            return None
        return text, self.felt_in()


def _chip_style(c: style.Colors) -> str:
    """Chips look like chips: rounded, and plainly filled when chosen; focus always shows."""
    return (
        f"QPushButton#chip {{ border: 1px solid {c.ring.name()}; border-radius: 0.8em;"
        f" padding: 0.3em 0.9em; background: transparent; color: {c.text.name()}; }}"
        f" QPushButton#chip:checked {{ background: {c.accent.name()};"
        f" color: {c.background.name()}; border-color: {c.accent.name()}; }}"
        f" QPushButton#chip:focus {{ border: 2px solid {c.accent.name()}; }}"
        f" QPushButton#chip:checked:focus {{ border: 2px solid {c.text.name()}; }}"
    )


def make_glimmer_record(
    dialog: GlimmerDialog, clock: Clock, practice_id: str | None = None
) -> GlimmerRecord | None:
    """The record for what `dialog` was given, or None if it was skipped."""
    result = dialog.result_glimmer()
    if result is None:
        return None
    text, felt = result
    return GlimmerRecord(
        at=clock.now(), text=text, source=dialog.source, felt_in=felt, practice_id=practice_id
    )


def ask_glimmer(
    parent: QWidget | None,
    journal: Journal,
    clock: Clock,
    source: str,
    practice_id: str | None = None,
) -> GlimmerRecord | None:
    """Show the dialog (waiting for it) and journal the glimmer if one was given."""
    dialog = GlimmerDialog(parent, source=source)
    try:
        dialog.exec()
        record = make_glimmer_record(dialog, clock, practice_id)
    finally:
        dialog.deleteLater()
    if record is not None:
        journal.add(record)
    return record
