"""The confirmation for "Delete all my data": it names what will go, and the destructive
button works only once the person has typed the confirming word."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from companion.core.paths import Paths
from companion.i18n import N_, _, ngettext
from companion.ui import kit, style, text

# Translators: the word a person types to confirm deleting everything; keep it short.
CONFIRM_WORD = N_("DELETE")


class DeleteDataDialog(QDialog):
    """Names what will go and asks for the confirming word before the destructive button
    works. "Keep my data" is the default (Enter, Escape)."""

    def __init__(self, paths: Paths, links: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Delete all my data"))
        self.setAccessibleName(_("Delete all my data"))
        layout = QVBoxLayout(self)
        layout.setSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(
            kit.heading(_("Delete all your Grounding Companion data from this computer?"), level=2)
        )
        what = [
            _("your journal: practices, glimmers, reflections and day summaries"),
            _("the journal's daily backups and any unsaved drafts"),
            _("the calendar cache (session times kept for planning offline)"),
            _("your settings, including the standing week"),
        ]
        if links:
            what.append(
                ngettext(
                    "the {n} calendar link kept in the system keyring",
                    "the {n} calendar links kept in the system keyring",
                    links,
                ).format(n=links)
            )
        data = f"<b>{text.escape(str(paths.data))}</b>"
        if paths.config != paths.data:
            config = f"<b>{text.escape(str(paths.config))}</b>"
            folders = _("{data} and {config}").format(data=data, config=config)
        else:
            folders = data
        body = QLabel(
            _("This deletes, from {folders}:").format(folders=folders)
            + "<ul>"
            + "".join(f"<li>{w}</li>" for w in what)
            + "</ul>"
            + _("Your own practice files are kept.")
            + "<br><br>"
            + _("<b>This cannot be undone.</b> If you want a copy, use Export first.")
        )
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setWordWrap(True)
        body.setAccessibleName(_("What will be deleted"))
        # On a small screen (or at 150 % in a long language) the list scrolls; it is
        # never cut off.
        body_area = kit.scrolling(body)
        layout.addWidget(body_area, 1)

        word = _(CONFIRM_WORD)
        self.confirm = kit.named(QLineEdit(), _("Type {word} to confirm").format(word=word))
        label = QLabel(_("To confirm, &type {word}:").format(word=word))
        label.setBuddy(self.confirm)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(self.confirm)

        buttons = QDialogButtonBox()
        self.keep = kit.button(_("&Keep my data"), _("Keep my data"))
        buttons.addButton(self.keep, QDialogButtonBox.ButtonRole.RejectRole)
        self.delete_button = kit.danger_button(
            _("&Delete all my data"), _("Delete all my data"), _("Deletes everything listed above")
        )
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.setEnabled(False)
        self.keep.setDefault(True)
        self.delete_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.confirm.textChanged.connect(
            lambda typed: self.delete_button.setEnabled(typed.strip() == word)
        )
        layout.addWidget(buttons)
        # As tall as the text needs at this width, within the screen.
        width = self.fontMetrics().averageCharWidth() * 64
        margins = layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        rest = self.sizeHint().height() - body_area.sizeHint().height()
        style.fit_to_screen(self, width, rest + body.heightForWidth(inner) + 2)
        self.confirm.setFocus()
