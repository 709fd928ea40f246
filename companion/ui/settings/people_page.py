"""The People tab: the people the clinician would turn to on a hard day (a supervisor,
their own therapist, a trusted colleague), shown by "If today was a lot…" and
`companion support`.

One row per person: name, role, how to reach them, and Remove; "Add a person" adds a
row (up to the settings' limit). A row left wholly empty is not a person and is not
saved; a row with a role or a way to reach but no name is refused on Save, and the
focus goes to its empty name.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from companion.core.settings import (
    MAX_SUPPORT_CONTACTS,
    MAX_SUPPORT_TEXT,
    Settings,
    SupportContact,
)
from companion.i18n import N_, _
from companion.ui import kit
from companion.ui.settings.page import Page

FIELD = "support_contacts"


class _Row:
    """One person's three fields and their Remove button."""

    def __init__(self, number: int, person: SupportContact) -> None:
        self.name = self._edit(
            person.name,
            _("Name, person {n}").format(n=number),
            _("a name"),
        )
        self.role = self._edit(
            person.role,
            _("Role, person {n}").format(n=number),
            _("supervisor, own therapist…"),
        )
        self.reach = self._edit(
            person.reach,
            _("How to reach person {n}").format(n=number),
            _("a phone number, an email, when"),
        )
        self.remove = kit.button(_("Remove"), _("Remove person {n}").format(n=number))

    @staticmethod
    def _edit(value: str, name: str, placeholder: str) -> QLineEdit:
        edit = kit.named(QLineEdit(value), name)
        edit.setMaxLength(MAX_SUPPORT_TEXT)
        edit.setPlaceholderText(placeholder)
        edit.setCursorPosition(0)  # a long entry shows its start, not its end
        return edit

    def values(self) -> tuple[str, str, str]:
        return (self.name.text().strip(), self.role.text().strip(), self.reach.text().strip())

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.name, self.role, self.reach, self.remove)


class PeoplePage(Page):
    # No mnemonic: every letter of "People" is taken on some tab (Ctrl+Tab reaches it).
    title = N_("People")

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        box = QGroupBox(_("People you might turn to"))
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(
            kit.hint(
                _(
                    "A supervisor, your own therapist, a trusted colleague: whoever you would "
                    'reach out to after a hard day. "If today was a lot…" in the tray shows '
                    "them, with crisis lines. They are kept only on this computer."
                )
            )
        )
        self._grid_holder = QWidget()
        self.grid = QGridLayout(self._grid_holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        for column, heading in enumerate((_("Name"), _("Role"), _("How to reach them"))):
            self.grid.addWidget(kit.muted(heading, wrap=False), 0, column)
        for column, stretch in enumerate((2, 2, 3)):  # how to reach is the longest
            self.grid.setColumnStretch(column, stretch)
        box_layout.addWidget(self._grid_holder)
        add_row = QHBoxLayout()
        self.add_button = kit.button(_("&Add a person"), _("Add a person"))
        self.add_button.clicked.connect(self.add_person)
        add_row.addWidget(self.add_button)
        self.full = kit.hint(
            _("That is the most this list holds ({n}).").format(n=MAX_SUPPORT_CONTACTS)
        )
        add_row.addWidget(self.full, 1)
        add_row.addStretch(0)
        box_layout.addLayout(add_row)
        layout.addWidget(box)
        layout.addStretch(1)
        self.rows: list[_Row] = []
        self.load(settings)

    # --- the rows -------------------------------------------------------------------------

    def _fill(self, people: list[SupportContact]) -> None:
        """Show one row per person (one empty row when there is no one)."""
        for row in self.rows:
            for widget in row.widgets():
                self.grid.removeWidget(widget)
                widget.hide()
                widget.deleteLater()
        self.rows = []
        for i, person in enumerate(people or [SupportContact("")]):
            row = _Row(i + 1, person)
            for column, widget in enumerate(row.widgets()):
                self.grid.addWidget(widget, i + 1, column)
                widget.show()  # now, not after the next event loop turn: it may take the focus
            row.remove.clicked.connect(lambda _c=False, r=row: self.remove_person(r))
            self.rows.append(row)
        self.fields = {FIELD: self.rows[0].name}
        # New rows are made after "Add a person": put them before it for Tab.
        chain = [w for row in self.rows for w in row.widgets()] + [self.add_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        full = len(self.rows) >= MAX_SUPPORT_CONTACTS
        self.add_button.setEnabled(not full)
        self.full.setVisible(full)

    def _people(self) -> list[SupportContact]:
        """Every row as typed, the empty ones too."""
        return [SupportContact(name, reach, role) for name, role, reach in self._values()]

    def _values(self) -> list[tuple[str, str, str]]:
        return [row.values() for row in self.rows]

    def add_person(self) -> None:
        """A new empty row at the end, its name field focused."""
        if len(self.rows) >= MAX_SUPPORT_CONTACTS:
            return
        self._fill([*self._people(), SupportContact("")])
        self.rows[-1].name.setFocus()

    def remove_person(self, row: _Row) -> None:
        """Take this row away (the last one left is emptied instead); the focus stays
        near where it was."""
        index = self.rows.index(row)
        people = self._people()
        del people[index]
        self._fill(people)
        self.rows[min(index, len(self.rows) - 1)].name.setFocus()

    # --- Page -----------------------------------------------------------------------------

    def load(self, settings: Settings) -> None:
        self._fill(list(settings.support_contacts))

    def changes(self) -> dict[str, Any]:
        people = tuple(
            SupportContact(name, reach, role)
            for name, role, reach in self._values()
            if name or role or reach
        )
        return {FIELD: people}

    def show_field(self, name: str) -> bool:
        """A refused person: the first row with something in it but no name."""
        if name != FIELD:
            return False
        for row in self.rows:
            name_text, role, reach = row.values()
            if not name_text and (role or reach):
                row.name.setFocus()
                self.fields = {FIELD: row.name}
                return True
        self.rows[0].name.setFocus()
        return True
