"""'If today was a lot…': the people the clinician chose to turn to, and a calm line for
a crisis. One click away in the tray menu (and from the reflection and the pattern note).

It asks nothing and assesses nothing: no question, no score, nothing saved. It shows the
people kept in Settings (name, role, how to reach them; the text can be selected and
copied), then where help is in a crisis. The words are `companion.core.support`'s, so
`companion support` in a terminal says the same.

Adding or changing people happens in Settings, on its People tab ("Add people…" emits
`edit_people`; the app opens Settings there): this card stays a place to read, not a
form. It follows the settings while open. A link opens in the browser only when chosen;
the app itself fetches nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from companion.core import support as words
from companion.core.settings import Settings, SupportContact
from companion.i18n import APP_NAME, _
from companion.runtime.settings_store import SettingsStore
from companion.ui import kit, style
from companion.ui.about_words import scroll_by_key


def _text(text: str, *, selectable: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SupportWindow(QDialog):
    """The card. `edit_people()`: the person asked to add or change their people.

    `open_url` opens a link in the browser (QDesktopServices; tests pass their own)."""

    edit_people = Signal()

    def __init__(
        self,
        store: SettingsStore,
        *,
        open_url: Callable[[QUrl], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self.open_url: Callable[[QUrl], object] = open_url or QDesktopServices.openUrl
        self.setWindowTitle(_("{title} · {app}").format(title=_(words.TITLE), app=_(APP_NAME)))
        self.setAccessibleName(_(words.TITLE))
        em = self.fontMetrics().height()

        page = QWidget()
        body = QVBoxLayout(page)
        body.setContentsMargins(int(em * 1.4), int(em * 1.1), int(em * 1.4), int(em * 0.6))
        body.setSpacing(int(em * 0.6))
        self.heading = kit.heading(_(words.TITLE))
        self.heading.setAccessibleName(_(words.TITLE))
        body.addWidget(self.heading)
        body.addWidget(_text(_(words.INTRO)))

        body.addSpacing(int(em * 0.3))
        body.addWidget(kit.heading(_(words.PEOPLE_HEADING), level=2))
        self.people = kit.card()
        self.people.setAccessibleName(_(words.PEOPLE_HEADING))
        self._people_layout = QVBoxLayout(self.people)
        self._people_layout.setContentsMargins(int(em * 0.9), int(em * 0.6), em, int(em * 0.6))
        self._people_layout.setSpacing(int(em * 0.5))
        self._boxes: list[QWidget] = []
        body.addWidget(self.people)
        self.empty = kit.muted()
        self.empty.setAccessibleName(_(words.PEOPLE_HEADING))
        body.addWidget(self.empty)
        edit_row = QHBoxLayout()
        self.edit_button = kit.link_button(_("&Add people…"))
        self.edit_button.clicked.connect(self.edit_people)
        edit_row.addWidget(self.edit_button)
        edit_row.addStretch(1)
        body.addLayout(edit_row)

        body.addStretch(1)

        # The crisis lines stay in view below the people, however many there are and
        # however large the text: they never scroll away.
        crisis = kit.note_card()
        crisis.setAccessibleName(_(words.CRISIS_HEADING))
        crisis_layout = QVBoxLayout(crisis)
        crisis_layout.setContentsMargins(int(em * 0.9), int(em * 0.6), em, int(em * 0.6))
        crisis_layout.setSpacing(int(em * 0.35))
        title = QLabel(_(words.CRISIS_HEADING))
        title.setObjectName("note-title")
        title.setFont(style.font(1.0, bold=True))
        crisis_layout.addWidget(title)
        self.crisis_lines: list[QLabel] = []
        for line in words.CRISIS_LINES:
            label = _text(_(line), selectable=True)
            self.crisis_lines.append(label)
            crisis_layout.addWidget(label)
            if line == words.HELPLINE_FINDER:
                self.helpline_button = kit.link_button(
                    _("Open &findahelpline.com"),
                    _("Open findahelpline.com"),
                    _("Opens in your browser"),
                )
                self.helpline_button.clicked.connect(self.open_helpline_finder)
                row = QHBoxLayout()
                row.addWidget(self.helpline_button)
                row.addStretch(1)
                crisis_layout.addLayout(row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, int(em * 1.1))
        layout.setSpacing(int(em * 0.6))
        self.area = kit.scrolling(page)
        layout.addWidget(self.area, 1)
        pinned = QVBoxLayout()
        pinned.setContentsMargins(int(em * 1.4), 0, int(em * 1.4), 0)
        pinned.addWidget(crisis)
        layout.addLayout(pinned)
        self.crisis = crisis
        buttons = QHBoxLayout()
        buttons.setContentsMargins(int(em * 1.4), 0, int(em * 1.4), 0)
        buttons.addStretch(1)
        self.close_button: QPushButton = kit.primary_button(_("Close"), _("Close this window"))
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.show_people(self._contacts())
        store.changed.connect(self._settings_changed)
        width = em * 34
        inner = width - int(em * 2.8)
        need = body.heightForWidth(width) + crisis.heightForWidth(inner)
        need += self.close_button.sizeHint().height() + em * 3
        style.fit_to_screen(self, width, need)
        self.close_button.setFocus()

    # --- the people -----------------------------------------------------------------------

    def _contacts(self) -> tuple[SupportContact, ...] | None:
        """The saved people; from a settings file the app could not use, those that can
        still be read from it (None: none can)."""
        if self._store.problem:
            return words.saved_contacts(self._store.path)
        return self._store.settings.support_contacts

    def _settings_changed(self, _settings: Settings, names: frozenset[str]) -> None:
        if "support_contacts" in names:
            self.show_people(self._contacts())

    def show_people(self, contacts: tuple[SupportContact, ...] | None) -> None:
        """Show these people (None: they could not be read)."""
        for box in self._boxes:
            self._people_layout.removeWidget(box)
            box.hide()
            box.deleteLater()
        self._boxes = [self._person(person) for person in contacts or ()]
        for box in self._boxes:
            self._people_layout.addWidget(box)
        self.people.setVisible(bool(contacts))
        if contacts is None:
            self.empty.setText(_(words.UNREADABLE))
        elif not contacts:
            self.empty.setText(_(words.NO_PEOPLE))
        self.empty.setVisible(not contacts)
        if contacts:
            label, name = _("&Change these people…"), _("Change these people in Settings")
        else:
            label, name = _("&Add people…"), _("Add people in Settings")
        self.edit_button.setText(label)
        self.edit_button.setAccessibleName(name)

    def _person(self, person: SupportContact) -> QWidget:
        """One person: the name (and role) on one line, how to reach them under it."""
        box = QWidget()
        box.setAccessibleName(words.person_line(person))
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        name = _text(person.name.strip(), selectable=True)
        name.setObjectName("person-name")
        name.setFont(style.font(1.0, bold=True))
        layout.addWidget(name)
        if person.role.strip():
            role = kit.muted(person.role.strip())
            role.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(role)
        if person.reach.strip():
            reach = _text(person.reach.strip(), selectable=True)
            reach.setObjectName("person-reach")
            layout.addWidget(reach)
        return box

    def people_shown(self) -> list[str]:
        """The people as shown, one line each ("Ana Silva (supervisor): 0123…")."""
        return [box.accessibleName() for box in self._boxes]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not scroll_by_key(self.area, event):
            super().keyPressEvent(event)

    # --- the crisis lines -----------------------------------------------------------------

    def open_helpline_finder(self) -> None:
        """findahelpline.com in the person's browser (the app itself fetches nothing)."""
        self.open_url(QUrl(words.FINDAHELPLINE_URL))
