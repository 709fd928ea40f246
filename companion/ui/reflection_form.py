"""The end-of-day form (`companion.ui.reflection`): four short optional lines, where the
moment was felt, a check-in (three sliders, six warning signs), "Bring to supervision",
and once a month "What keeps you in this work?" and, when asked for, the ProQOL line.

Everything is optional and a tired minute is enough: Enter in any line saves, and so does
Ctrl+Enter anywhere (the window's shortcut); `submitted` says Enter was pressed. The form
holds no state of its own beyond its widgets: `draft()` reads them, `fill()` sets them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.records import REFLECTION_FELT_IN, felt_in_label
from companion.core.reflection_drafts import ReflectionDraft
from companion.i18n import _
from companion.ui import kit, style
from companion.ui.reflection_parts import (
    KEEPS_ME,
    PRIVACY_HINT,
    PROQOL_URL,
    QUESTIONS,
    SLIDERS,
    SUPERVISION_HINT,
    WARNING_LABELS,
    Slider,
)
from companion.ui.welcome.flow import FlowLayout

MAX_LENGTH = 500


def open_url(url: str) -> None:
    """Open `url` in the person's browser (the app itself never fetches it)."""
    QDesktopServices.openUrl(QUrl(url))


class ReflectionForm(QWidget):
    """The questions and the check-in. `monthly` adds "What keeps you in this work?";
    `proqol` adds the monthly ProQOL line (the person opted in)."""

    changed = Signal()
    submitted = Signal()

    def __init__(self, *, monthly: bool, proqol: bool, owner: QObject) -> None:
        super().__init__()
        self.monthly, self.proqol = monthly, proqol
        f = QVBoxLayout(self)
        f.setContentsMargins(0, 0, 0, 0)
        f.setSpacing(8)
        f.addWidget(_heading(_("A few moments for you")))
        self.optional = kit.muted(_("Everything here is optional. Ctrl+Enter saves at any point."))
        f.addWidget(self.optional)

        self.fields: dict[str, QLineEdit] = {}
        self.chips: dict[str, QPushButton] = {}
        for key, question, placeholder in QUESTIONS:
            f.addSpacing(2)
            label = QLabel(_(question))
            label.setWordWrap(True)
            f.addWidget(label)
            if key == "body":
                f.addLayout(self._chips())
            edit = self._line(key, _(question), _(placeholder))
            label.setBuddy(edit if key != "body" else next(iter(self.chips.values())))
            f.addWidget(edit)
        if monthly:
            f.addSpacing(6)
            label = QLabel(_(KEEPS_ME))
            label.setObjectName("note-title")
            label.setWordWrap(True)
            f.addWidget(label)
            edit = self._line("keeps_me", _(KEEPS_ME), _("Once a month, if you like"))
            label.setBuddy(edit)
            f.addWidget(edit)
        f.addWidget(kit.hint(_(PRIVACY_HINT)))

        f.addSpacing(6)
        f.addWidget(_heading(_("A quick check-in")))
        self.sliders: dict[str, Slider] = {}
        sliders = QGridLayout()
        sliders.setHorizontalSpacing(10)
        sliders.setVerticalSpacing(4)
        sliders.setColumnStretch(1, 1)
        for i, (key, question, low, high) in enumerate(SLIDERS):
            s = Slider(key, _(question), _(low), _(high))
            s.setParent(owner)
            s.place(sliders, 2 * i)
            if i:
                sliders.setRowMinimumHeight(2 * i, self.fontMetrics().height() + 10)
            s.label.setContentsMargins(0, 6 if i else 0, 0, 0)
            s.changed.connect(self.changed)
            self.sliders[key] = s
        f.addLayout(sliders)
        f.addSpacing(4)
        noticed = QLabel(_("Noticed today? Tick any that fit."))
        noticed.setWordWrap(True)
        f.addWidget(noticed)
        self.checks: dict[str, QCheckBox] = {}
        self.check_labels: dict[str, QLabel] = {}
        for key, label_text in WARNING_LABELS:
            box, words = self._check(
                key, _(label_text), _("a warning sign to notice, not a score"), f"w-{key}"
            )
            f.addLayout(_row(box, words))
            self.checks[key] = box

        f.addSpacing(6)
        self.for_supervision, words = self._check(
            "for_supervision", _("Bring to supervision"), _(SUPERVISION_HINT), "for-supervision"
        )
        self.for_supervision.setToolTip(_(SUPERVISION_HINT))
        f.addLayout(_row(self.for_supervision, words))
        hint = kit.hint(_(SUPERVISION_HINT))
        hint.setContentsMargins(self.for_supervision.sizeHint().width() + 6, 0, 0, 0)
        f.addWidget(hint)

        self.proqol_button: QPushButton | None = None
        if proqol:
            row = QHBoxLayout()
            line = kit.muted(
                _("Your monthly self-check: the ProQOL is free online, if you would like it.")
            )
            row.addWidget(line, 1)
            self.proqol_button = kit.link_button(
                _("Open proqol.org"), _("Open proqol.org in your browser")
            )
            self.proqol_button.clicked.connect(lambda: open_url(PROQOL_URL))
            row.addWidget(self.proqol_button, 0, Qt.AlignmentFlag.AlignVCenter)
            f.addSpacing(4)
            f.addLayout(row)

    def _check(
        self, key: str, words: str, description: str, object_name: str
    ) -> tuple[QCheckBox, QLabel]:
        """A tick box whose words wrap (a QCheckBox's own text cannot, and at 150 % in a
        longer language it pushed the form past the window): the box holds the name and
        the focus; a click on the words ticks it too."""
        box = QCheckBox()
        box.setObjectName(object_name)
        box.setAccessibleName(words)
        box.setAccessibleDescription(description)
        box.toggled.connect(self.changed)
        label = CheckWords(words, box)
        self.check_labels[key] = label
        return box, label

    def _line(self, key: str, question: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(f"q-{key}")
        edit.setMaxLength(MAX_LENGTH)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(question)
        edit.setAccessibleDescription(_(PRIVACY_HINT))
        edit.textChanged.connect(self.changed)
        edit.returnPressed.connect(self.submitted)
        self.fields[key] = edit
        return edit

    def _chips(self) -> FlowLayout:
        """The places, in as many rows as the width needs (a fixed grid of four pushed
        the form past a narrow window in a longer language at 150 %)."""
        em = self.fontMetrics().height()
        row = FlowLayout(spacing=int(em * 0.4))
        for place in REFLECTION_FELT_IN:
            chip = kit.chip(
                felt_in_label(place),
                _("Felt it in: {place}").format(place=felt_in_label(place)),
                _("Press to mark or unmark"),
            )
            chip.toggled.connect(self.changed)
            self.chips[place] = chip
            row.addWidget(chip)
        return row

    def focus_order(self) -> list[QWidget]:
        chain: list[QWidget] = []
        for key, _q, _p in QUESTIONS:
            if key == "body":
                chain += self.chips.values()
            chain.append(self.fields[key])
        if "keeps_me" in self.fields:
            chain.append(self.fields["keeps_me"])
        chain += [self.sliders[k].slider for k, *_rest in SLIDERS]
        chain += [self.checks[k] for k, _w in WARNING_LABELS]
        chain.append(self.for_supervision)
        if self.proqol_button is not None:
            chain.append(self.proqol_button)
        return chain

    def draft(self, base: ReflectionDraft) -> ReflectionDraft:
        """What the form holds, over `base` (the day, and the weekly answer)."""

        def words(key: str) -> str:
            edit = self.fields.get(key)
            return " ".join(edit.text().split()) if edit is not None else ""

        return ReflectionDraft(
            day=base.day,
            went_well=words("went_well"),
            resilience=words("resilience"),
            felt_in=tuple(p for p, chip in self.chips.items() if chip.isChecked()),
            body=words("body"),
            set_down=words("set_down"),
            keeps_me=words("keeps_me") if self.monthly else base.keeps_me,
            did_well=base.did_well,  # an older reflection's answer is kept, not asked
            still_with_me=self.sliders["still_with_me"].value(),
            energy=self.sliders["energy"].value(),
            connected=self.sliders["connected"].value(),
            warning_signs=tuple(k for k, _w in WARNING_LABELS if self.checks[k].isChecked()),
            supervision=base.supervision,
            for_supervision=self.for_supervision.isChecked(),
        )

    def fill(self, draft: ReflectionDraft) -> None:
        for key in ("went_well", "resilience", "body", "set_down", "keeps_me"):
            edit = self.fields.get(key)
            if edit is not None:
                edit.setText(" ".join(getattr(draft, key).splitlines()))
                edit.setCursorPosition(len(edit.text()))  # go on where you left off
        for place, chip in self.chips.items():
            chip.setChecked(place in draft.felt_in)
        for key, s in self.sliders.items():
            s.set_value(getattr(draft, key))
        for key, box in self.checks.items():
            box.setChecked(key in draft.warning_signs)
        self.for_supervision.setChecked(draft.for_supervision)


class CheckWords(QLabel):
    """The words of a tick box, wrapped; a click on them ticks or unticks the box."""

    def __init__(self, words: str, box: QCheckBox) -> None:
        super().__init__(words)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setBuddy(box)
        self.box = box

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.box.setFocus(Qt.FocusReason.MouseFocusReason)
            self.box.click()
        super().mouseReleaseEvent(event)


def _row(box: QCheckBox, words: QLabel) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(words, 1)
    return row


def _heading(title: str) -> QLabel:
    label = kit.named(kit.heading(title, level=2), title)
    label.setFont(style.font(1.15, bold=True))
    return label
