"""'About these words': a short page on the terms for what this work can leave in the
people who do it (reached from "How it works").

Secondary traumatic stress, vicarious trauma, burnout, compassion fatigue, and the other
direction, vicarious resilience: each in a sentence or two of our own, with its source
where one coined it. The terms overlap and are debated, and the page says so. It is for
naming what one notices; the app never applies any of them to anyone.

The citations are data, not words to translate (like a practice's `source`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from companion.i18n import APP_NAME, N_, _
from companion.ui import kit, style

TITLE = N_("About these words")
INTRO = N_(
    "Several words describe what this work can leave in the people who do it. They "
    "overlap, and researchers still debate where one ends and the next begins. They are "
    "here to help you name what you notice; the app never applies any of them to you."
)
#: (term, what it means, the source that named it or "").
TERMS: tuple[tuple[str, str, str], ...] = (
    (
        N_("Secondary traumatic stress"),
        N_(
            "Reactions much like those after a trauma (images that intrude, feeling on edge, "
            "steering clear of reminders) that come from hearing what someone else lived "
            "through. They can follow a single session."
        ),
        "",
    ),
    (
        N_("Vicarious trauma"),
        N_(
            "A slow change in how you see the world: whether people are safe, whom you can "
            "trust, what things mean. It builds up over many hours of empathic work with "
            "other people's trauma."
        ),
        "McCann, I. L., & Pearlman, L. A. (1990). Vicarious traumatization: a framework "
        "for understanding the psychological effects of working with victims. Journal of "
        "Traumatic Stress, 3(1), 131–149.",
    ),
    (
        N_("Burnout"),
        N_(
            "Exhaustion, and a growing distance or cynicism about the work, from stress at "
            "work that goes on for a long time. It comes from the conditions of the job, not "
            "from trauma in particular."
        ),
        "",
    ),
    (
        N_("Compassion fatigue"),
        N_(
            "A wearing down of the capacity to be with other people's pain. Charles Figley "
            "made the term widely known; it is often used for secondary traumatic stress, "
            "sometimes with burnout folded in."
        ),
        "Figley, C. R. (Ed.). (1995). Compassion fatigue: coping with secondary traumatic "
        "stress disorder in those who treat the traumatized. Brunner/Mazel.",
    ),
    (
        N_("Vicarious resilience"),
        N_(
            "The other direction: being strengthened by witnessing how clients cope, heal and "
            "find meaning. It can sit alongside the hard parts of the work."
        ),
        "Hernández, P., Gangsei, D., & Engstrom, D. (2007). Vicarious resilience: a new "
        "concept in work with those who survive trauma. Family Process, 46(2), 229–241.",
    ),
)
CITATIONS = tuple(source for _term, _meaning, source in TERMS if source)
CLOSING = N_(
    "If some of this sounds familiar, it is a common response to this work, not a failing. "
    "Supervision, peer consultation or your own therapy are good places to talk it over."
)


def _paragraph(text: str, object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if object_name:
        label.setObjectName(object_name)
    return label


_SCROLL_KEYS = {
    Qt.Key.Key_PageDown: QAbstractSlider.SliderAction.SliderPageStepAdd,
    Qt.Key.Key_PageUp: QAbstractSlider.SliderAction.SliderPageStepSub,
    Qt.Key.Key_Down: QAbstractSlider.SliderAction.SliderSingleStepAdd,
    Qt.Key.Key_Up: QAbstractSlider.SliderAction.SliderSingleStepSub,
    Qt.Key.Key_Home: QAbstractSlider.SliderAction.SliderToMinimum,
    Qt.Key.Key_End: QAbstractSlider.SliderAction.SliderToMaximum,
}


def scroll_by_key(area: QScrollArea, event: QKeyEvent) -> bool:
    """Page Up/Down, the arrows, Home and End scroll `area` whatever button has the focus:
    a page to read has nothing else to take the keys, and its scroll area no focus of its
    own. True when the key was used."""
    action = _SCROLL_KEYS.get(Qt.Key(event.key()))
    if action is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
        return False
    area.verticalScrollBar().triggerAction(action)
    return True


class AboutWordsWindow(QDialog):
    """The page: read, then Close (or Esc)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("{title} · {app}").format(title=_(TITLE), app=_(APP_NAME)))
        self.setAccessibleName(_(TITLE))
        em = self.fontMetrics().height()

        page = QWidget()
        body = QVBoxLayout(page)
        body.setContentsMargins(int(em * 1.4), int(em * 1.1), int(em * 1.4), int(em * 0.6))
        body.setSpacing(int(em * 0.5))
        body.addWidget(kit.heading(_(TITLE)))
        body.addWidget(_paragraph(_(INTRO)))
        self.terms: list[QLabel] = []
        for term, meaning, source in TERMS:
            body.addSpacing(int(em * 0.4))
            name = _paragraph(_(term))
            name.setFont(style.font(1.05, bold=True))
            self.terms.append(name)
            body.addWidget(name)
            body.addWidget(_paragraph(_(meaning)))
            if source:
                cite = kit.hint(source)
                cite.setTextFormat(Qt.TextFormat.PlainText)
                cite.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                body.addWidget(cite)
        body.addSpacing(int(em * 0.4))
        body.addWidget(_paragraph(_(CLOSING), "muted"))
        body.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, int(em * 1.1))
        self.area = kit.scrolling(page)
        layout.addWidget(self.area, 1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(int(em * 1.4), 0, int(em * 1.4), 0)
        buttons.addStretch(1)
        self.close_button = kit.primary_button(_("Close"), _("Close this window"))
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        style.fit_to_screen(self, em * 36, em * 40)
        self.close_button.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not scroll_by_key(self.area, event):
            super().keyPressEvent(event)
