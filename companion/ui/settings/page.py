"""What every tab of the settings window is (after Picard's `picard/ui/options` pages).

A page shows some Settings fields and gives them back:

    page.load(settings)     show these settings
    page.changes()          {field: value} as the form holds them now (not validated)
    page.fields             {field: the widget that holds it}, so a refused value can be
                            shown where it is (`SettingsError.field` -> page -> widget)

The window knows nothing of a page's widgets beyond `fields`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from companion.core.settings import Settings
from companion.ui import kit


def add_row(form: QFormLayout, text: str, field: QWidget) -> QLabel:
    """`kit.add_row`, with the label on one line: in a form that wraps long rows
    (`kit.form`) a label too wide for the window puts its field below it instead. A
    word-wrapped label there is squeezed to a narrow column, breaks where there is room,
    and next to a combo box is cut to the box's height."""
    label = kit.add_row(form, text, field)
    label.setWordWrap(False)
    return label


class Page(QWidget):
    """One tab. Subclasses set `title` (marked with N_, translated when shown), build
    their widgets, fill `fields`, and implement `load` and `changes`."""

    title = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}

    def load(self, settings: Settings) -> None:
        raise NotImplementedError

    def changes(self) -> dict[str, Any]:
        raise NotImplementedError

    def show_field(self, name: str) -> bool:
        """Put the focus on the widget holding `name`; False if this page has none."""
        widget = self.fields.get(name)
        if widget is None:
            return False
        widget.setFocus()
        return True
