"""What needs the person's attention: the problems met at start-up, each in one line
with what to do about it.

A settings file that cannot be read, a journal written by a newer version, a practice
file that was skipped, a damaged journal file kept aside, a start-up that failed
outright: the tray app must never sit on "Getting ready…" with the reason only on
stderr. This window says it, calmly, and the tray keeps a way back to it ("What needs
attention…") for as long as it is true. A file kept aside stays listed until the person
dismisses it (the file itself is kept).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from companion.i18n import APP_NAME, _
from companion.ui import kit, style

#: Dismiss one item: returns None when done, else one line saying why it could not be.
Dismiss = Callable[[object], str | None]


class ProblemsWindow(QWidget):
    """`lines`: problems in the person's words (with their fix). `dismissable`: (line,
    key) pairs the person may dismiss; `on_dismiss(key)` does it."""

    emptied = Signal()  # everything dismissable was dismissed and nothing else is left

    def __init__(
        self,
        lines: Sequence[str],
        *,
        dismissable: Sequence[tuple[str, object]] = (),
        on_dismiss: Dismiss | None = None,
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("What needs attention · {app}").format(app=_(APP_NAME)))
        self.setAccessibleName(_("What needs attention"))
        self._on_dismiss = on_dismiss
        self._plain = len(lines)
        layout = QVBoxLayout(self)
        em = self.fontMetrics().height()
        layout.setContentsMargins(int(em * 1.4), int(em * 1.1), int(em * 1.4), int(em * 1.1))
        layout.setSpacing(int(em * 0.6))
        layout.addWidget(kit.heading(_("Something needs your attention"), level=2))
        self.lines: list[QLabel] = []
        for line in lines:
            layout.addWidget(self._line(line))
        self.dismiss_buttons: list[QPushButton] = []
        for line, key in dismissable:
            row = QHBoxLayout()
            label = self._line(line)
            row.addWidget(label, 1)
            button = kit.button(_("&Dismiss"), _("Dismiss: {line}").format(line=line))
            button.clicked.connect(lambda _c=False, k=key, r=row: self._dismiss(k, r))
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.dismiss_buttons.append(button)
            layout.addLayout(row)
        self.error = kit.error_line(_("Why it could not be dismissed"))
        layout.addWidget(self.error)
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
        width = em * 36
        style.fit_to_screen(self, width, layout.heightForWidth(width))
        self.close_button.setFocus()

    def _line(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lines.append(label)
        return label

    def _dismiss(self, key: object, row: QHBoxLayout) -> None:
        problem = self._on_dismiss(key) if self._on_dismiss is not None else None
        kit.show_error(self.error, problem or "")
        if problem:
            return
        while (item := row.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                if widget in self.lines:
                    self.lines.remove(widget)
                if widget in self.dismiss_buttons:
                    self.dismiss_buttons.remove(widget)
                widget.deleteLater()
        if not self.dismiss_buttons and not self._plain:
            self.emptied.emit()
            self.close()
        else:
            self.close_button.setFocus()
