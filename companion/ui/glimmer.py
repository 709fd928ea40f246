"""The glimmer prompt: one question, one line, optional "felt it in..." chips, and a
"Bring to supervision" box (the glimmer then goes into `companion export --supervision`).

A glimmer (Deb Dana's word) is a small moment of safety or connection. The question's
wording rotates so it stays fresh, but it is always a single question, and it is always
fine to skip. The same dialog serves after a practice, from the tray at any time, and
in the end-of-day reflection.

Given a `save` (the app's one journal writer), the dialog saves by itself: Save builds
the record and hands it over; when that fails it stays open with the words still in it,
says why in one calm line, and Save can simply be pressed again. Without `save` the
caller reads `result_glimmer()` after it closed.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.records import FELT_IN, GlimmerRecord, felt_in_label
from companion.i18n import N_, _
from companion.ui import kit, style

if TYPE_CHECKING:
    from companion.core.clock import Clock
    from companion.core.writer import Save

MAX_LENGTH = 300

# The wordings, marked for translation and translated when shown (`_(question)`).
QUESTIONS: dict[str, tuple[str, ...]] = {
    "after-session": (
        N_("Any glimmer from that session?"),
        N_("Was there a small moment of connection in that session?"),
        N_("Did anything in that session feel warm, steady or hopeful?"),
        N_("Is there a moment from that session you'd like to keep?"),
    ),
    "anytime": (
        N_("Any glimmer you'd like to keep?"),
        N_("What small moment of safety or connection did you notice?"),
        N_("Has something felt warm, steady or kind lately?"),
        N_("Is there a small good moment you'd like to remember?"),
    ),
    "reflection": (
        N_("Any glimmer from today?"),
        N_("What moment of ease or connection would you like to keep from today?"),
        N_("Did you notice a small moment of safety today?"),
        N_("What small good moment stays with you from today?"),
    ),
}

ABOUT = N_("A glimmer is a small moment of safety, ease or connection.")
HINT = N_("Please leave out names and anything that could identify a client.")


class GlimmerDialog(QDialog):
    """Ask for one glimmer. Save (Enter) keeps it; Skip (Esc) keeps nothing.

    `source` is "after-session", "anytime" or "reflection" and picks the wording;
    `rng` chooses among the variants (pass a seeded `random.Random` in tests). With
    `save` (and `clock` for the record's time), Save writes the glimmer itself, linked
    to `practice_id` when given; `record` is then what was saved.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        source: str = "anytime",
        rng: random.Random | None = None,
        save: Save | None = None,
        clock: Clock | None = None,
        practice_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        if source not in QUESTIONS:
            raise ValueError(f"source must be one of {', '.join(QUESTIONS)}, not {source!r}")
        if save is not None and clock is None:
            raise ValueError("a GlimmerDialog that saves needs a clock for the record's time")
        self.setObjectName("glimmer-dialog")
        self.source = source
        self._save = save
        self._clock = clock
        self._practice_id = practice_id
        self.record: GlimmerRecord | None = None
        chooser = rng if rng is not None else random.Random()  # noqa: S311 (wording, not secrets)
        self.question = _(chooser.choice(QUESTIONS[source]))
        self.setWindowTitle(_("A glimmer"))

        layout = QVBoxLayout(self)
        em = self.fontMetrics().height()
        layout.setContentsMargins(int(em * 1.5), int(em * 1.2), int(em * 1.5), int(em * 1.2))
        layout.setSpacing(int(em * 0.6))

        self.question_label = QLabel(self.question)
        self.question_label.setFont(style.font(1.4))
        self.question_label.setWordWrap(True)
        layout.addWidget(self.question_label)

        about = kit.muted(_(ABOUT))
        about.setFont(style.font(0.95))
        layout.addWidget(about)

        self.text_edit = QLineEdit()
        self.text_edit.setFont(style.font(1.15))
        self.text_edit.setPlaceholderText(_("A few words, if you like"))
        self.text_edit.setMaxLength(MAX_LENGTH)
        kit.named(
            self.text_edit,
            self.question,
            _("One line, optional. {hint}").format(hint=_(HINT)),
        )
        self.text_edit.setToolTip("")  # the hint is right under it; no tooltip over the text
        self.question_label.setBuddy(self.text_edit)
        layout.addWidget(self.text_edit)

        layout.addWidget(kit.hint(_(HINT)))

        layout.addSpacing(int(em * 0.4))
        felt = QLabel(_("Felt it in… (optional)"))
        felt.setWordWrap(True)
        felt.setAccessibleName(_("Where you felt it, optional"))
        layout.addWidget(felt)
        self.chips: dict[str, QPushButton] = {}
        for place in FELT_IN:
            chip = kit.chip(
                felt_in_label(place),
                _("Felt it in: {place}").format(place=felt_in_label(place)),
                _("Press to mark or unmark this place"),
            )
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            self.chips[place] = chip
        layout.addLayout(_chip_rows(list(self.chips.values()), em))

        layout.addSpacing(int(em * 0.2))
        self.for_supervision = QCheckBox(_("Bring to supervision"))
        self.for_supervision.setObjectName("for-supervision")
        kit.named(
            self.for_supervision,
            _("Bring to supervision"),
            _("Marks this glimmer for your supervision summary"),
        )
        layout.addWidget(self.for_supervision)

        self.error = kit.error_line(_("Why the glimmer was not saved"))
        layout.addWidget(self.error)

        layout.addSpacing(int(em * 0.6))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.skip_button = kit.button(
            _("Skip"), _("Skip"), _("Close without saving anything (Esc)")
        )
        self.skip_button.clicked.connect(self.reject)
        self.save_button = kit.primary_button(
            _("Save"), _("Save glimmer"), _("Keep this glimmer in your journal (Enter)")
        )
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.accept)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

        self.text_edit.textChanged.connect(self._text_changed)
        # Enter is Save's, as the default button (once: a line edit's returnPressed would
        # press it a second time). It is disabled, so Enter does nothing, until there are words.

        order: Sequence[QWidget] = [
            self.text_edit,
            *self.chips.values(),
            self.for_supervision,
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
        self._fit_height()

    def _fit_height(self) -> None:
        """Tall enough for every wrapped line at the present width (a top-level window's
        minimum size does not follow its wrapped labels by itself)."""
        need = self.heightForWidth(self.width())
        if need > self.height():
            self.resize(self.width(), need)

    def _text_changed(self, text: str) -> None:
        self.save_button.setEnabled(bool(text.strip()))

    def _words(self) -> str:
        return " ".join(self.text_edit.text().split())

    def felt_in(self) -> tuple[str, ...]:
        return tuple(place for place, chip in self.chips.items() if chip.isChecked())

    def accept(self) -> None:
        """Save pressed (or Enter). With a `save`, the glimmer is written first: on
        failure the dialog stays open with the words and says why."""
        if self._save is None or self._clock is None:
            super().accept()
            return
        text = self._words()
        if not text:
            return
        record = GlimmerRecord(
            at=self._clock.now(),
            text=text,
            source=self.source,
            felt_in=self.felt_in(),
            practice_id=self._practice_id,
            for_supervision=self.for_supervision.isChecked(),
        )
        saved = self._save(record)
        if not saved:
            kit.show_error(self.error, saved.message)
            self._fit_height()
            self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        kit.show_error(self.error, "")
        self.record = record
        super().accept()

    def result_glimmer(self) -> tuple[str, tuple[str, ...]] | None:
        """(text, felt-in places) when saved with some text; None when skipped."""
        text = self._words()
        if self.result() != QDialog.DialogCode.Accepted or not text:
            return None
        return text, self.felt_in()


def _chip_rows(chips: list[QPushButton], em: int) -> QGridLayout:
    """The chips in one row, or in two when one row would be wider than the dialog
    likes to be (a longer language, 150 % scaling): the dialog never outgrows a screen."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(int(em * 0.4))
    grid.setVerticalSpacing(int(em * 0.4))
    for chip in chips:
        chip.ensurePolished()  # the stylesheet's padding counts in its width
    wide = sum(c.sizeHint().width() for c in chips) + int(em * 0.4) * (len(chips) - 1)
    columns = len(chips) if wide <= em * 34 else math.ceil(len(chips) / 2)
    for i, chip in enumerate(chips):
        grid.addWidget(chip, i // columns, i % columns)
    grid.setColumnStretch(columns, 1)
    return grid


def make_glimmer_record(
    dialog: GlimmerDialog, clock: Clock, practice_id: str | None = None
) -> GlimmerRecord | None:
    """The record for what `dialog` was given, or None if it was skipped (for a dialog
    made without `save`; one with `save` has its `record` already)."""
    if dialog.record is not None:
        return dialog.record
    result = dialog.result_glimmer()
    if result is None:
        return None
    text, felt = result
    return GlimmerRecord(
        at=clock.now(),
        text=text,
        source=dialog.source,
        felt_in=felt,
        practice_id=practice_id,
        for_supervision=dialog.for_supervision.isChecked(),
    )


def ask_glimmer(
    parent: QWidget | None,
    save: Save,
    clock: Clock,
    source: str,
    practice_id: str | None = None,
) -> GlimmerRecord | None:
    """Show the dialog (waiting for it); the glimmer is saved through `save` when one is
    given, the dialog staying open on a failed save. Returns what was saved, or None."""
    dialog = GlimmerDialog(parent, source=source, save=save, clock=clock, practice_id=practice_id)
    try:
        dialog.exec()
        return dialog.record
    finally:
        dialog.deleteLater()
