"""The widget kit every window builds from, so the same thing looks and behaves the same
everywhere (Picard's `ui/widgets`, Vorta's `views/partials`).

Each maker returns a plain Qt widget with an object name the app's one stylesheet
(`style.stylesheet`) knows, an accessible name, and word wrap where text may grow (a
translation can be 40 % longer, and text must survive 150 % scaling). Nothing here sets
a colour or a stylesheet of its own.

    heading(text)          a window's or a section's title ("heading", larger, bold)
    hint(text)             a small muted explanation under a control
    muted(text)            secondary text in body size ("step 3 of 7", a date)
    error_line()           one calm line saying what went wrong (hidden until set)
    card() / note_card()   a rounded frame around a group; a warm one for a gentle note
    primary_button(...)    the window's one main action (the default button)
    button(...)            any other action
    link_button(...)       a quiet, text-only action
    chip(...)              a checkable rounded choice ("chest", "hands")
    danger_button(...)     an action that destroys something (warm text, never default)
    spin(field, ...)       a whole-number box whose range is the setting's own
    time_edit(...)         HH:MM in the locale's form
    scrolling(page)        a page that scrolls instead of being cut off
    form()                 a form whose fields keep their natural width
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from companion.core.settings import range_of
from companion.ui import style

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, description: str = "") -> W:
    """Give a widget its accessible name (and a description, shown as its tooltip)."""
    style.ensure_stylesheet()  # the first window built gives the app its look
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)
    return widget


# --- text ----------------------------------------------------------------------------------


def _label(text: str, object_name: str, *, wrap: bool = True) -> QLabel:
    style.ensure_stylesheet()  # the first window built gives the app its look
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setWordWrap(wrap)
    return label


def heading(text: str = "", *, level: int = 1) -> QLabel:
    """Level 1: a window's title; level 2: a section's."""
    label = _label(text, "heading")
    label.setFont(style.font(1.5 if level == 1 else 1.15, bold=True))
    return label


def hint(text: str = "") -> QLabel:
    label = _label(text, "hint")
    label.setFont(style.font(0.9))
    return label


def muted(text: str = "", *, wrap: bool = True) -> QLabel:
    return _label(text, "muted", wrap=wrap)


def error_line(name: str) -> QLabel:
    """Hidden until it has something to say; selectable, so it can be copied."""
    label = _label("", "error")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    label.hide()
    return label


def show_error(label: QLabel, text: str) -> None:
    """Show (or with "" hide) a line made by `error_line`."""
    label.setText(text)
    label.setVisible(bool(text))


# --- frames --------------------------------------------------------------------------------


def card(object_name: str = "card") -> QFrame:
    style.ensure_stylesheet()
    frame = QFrame()
    frame.setObjectName(object_name)
    return frame


def note_card() -> QFrame:
    return card("note")


def scrolling(page: QWidget) -> QScrollArea:
    """A page that scrolls, so nothing is cut off at 150 % or on a small screen."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the page's controls take the focus
    return area


def form(parent: QWidget | None = None) -> QFormLayout:
    """A form whose fields keep their natural width (a "4 min" box need not span the
    window) and whose rows wrap below their label when the window is narrow."""
    layout = QFormLayout(parent) if parent is not None else QFormLayout()
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return layout


def add_row(layout: QFormLayout, text: str, field: QWidget) -> QLabel:
    """A labelled row; the label's mnemonic (&) moves the focus to `field`."""
    label = QLabel(text)
    label.setBuddy(field)  # no word wrap: a long label moves its field below (`form`)
    layout.addRow(label, field)
    return label


# --- buttons -------------------------------------------------------------------------------


def button(text: str, name: str = "", description: str = "") -> QPushButton:
    b = QPushButton(text)
    b.setAutoDefault(False)
    return named(b, name or text.replace("&", ""), description)


def primary_button(text: str, name: str = "", description: str = "") -> QPushButton:
    """The window's one main action: filled with the accent, and the default (Enter)."""
    b = button(text, name, description)
    b.setObjectName("primary")
    b.setDefault(True)
    return b


def link_button(text: str, name: str = "", description: str = "") -> QPushButton:
    b = button(text, name, description)
    b.setObjectName("link")
    b.setFlat(True)
    return b


def danger_button(text: str, name: str = "", description: str = "") -> QPushButton:
    b = button(text, name, description)
    b.setObjectName("danger")
    return b


def chip(text: str, name: str = "", description: str = "") -> QPushButton:
    b = button(text, name, description)
    b.setObjectName("chip")
    b.setCheckable(True)
    b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    return b


# --- fields --------------------------------------------------------------------------------


def spin(field: str, value: int, name: str, suffix: str = "") -> QSpinBox:
    """A whole-number box for a setting, its range the validator's (`RANGES`)."""
    lo, hi = range_of(field)
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setValue(value)
    if suffix:
        box.setSuffix(suffix)
    box.setAccelerated(True)
    return named(box, name)


def time_edit(value: str, name: str) -> QTimeEdit:
    """A time of day, "HH:MM" in and out (see `hhmm_of`)."""
    edit = QTimeEdit(QTime.fromString(value or "00:00", "HH:mm"))
    edit.setDisplayFormat("HH:mm")
    return named(edit, name)


def hhmm_of(edit: QTimeEdit) -> str:
    return str(edit.time().toString("HH:mm"))
