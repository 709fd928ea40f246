"""What needs the person's attention: the problems met at start-up, each in one line
with what to do about it.

A settings file that cannot be read, a journal written by a newer version, a practice
file that was skipped, a start-up that failed outright: the tray app must never sit on
"Getting ready…" with the reason only on stderr. This window says it, calmly, and the
tray keeps a way back to it ("What needs attention…") for as long as it is true.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from companion.i18n import APP_NAME, _
from companion.ui import kit, style


class ProblemsWindow(QWidget):
    """`lines`: one problem each, already in the person's words (with its fix)."""

    def __init__(
        self, lines: Sequence[str], *, hint: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("What needs attention · {app}").format(app=_(APP_NAME)))
        self.setAccessibleName(_("What needs attention"))
        layout = QVBoxLayout(self)
        em = self.fontMetrics().height()
        layout.setContentsMargins(int(em * 1.4), int(em * 1.1), int(em * 1.4), int(em * 1.1))
        layout.setSpacing(int(em * 0.6))
        layout.addWidget(kit.heading(_("Something needs your attention"), level=2))
        self.lines = [kit.muted() for _line in lines]
        for label, line in zip(self.lines, lines, strict=True):
            label.setText(line)
            label.setObjectName("")  # the problem itself in body text; the fix is in it
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        layout.addWidget(
            kit.hint(
                hint
                or _(
                    "Practices are still offered meanwhile. `companion doctor` in a terminal "
                    "checks everything and names what to install or fix."
                )
            )
        )
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = kit.primary_button(_("Close"), _("Close this window"))
        self.close_button.clicked.connect(self.close)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        width = em * 34
        style.fit_to_screen(self, width, layout.heightForWidth(width))
        self.close_button.setFocus()
