"""Walk a window for the pseudo-locale test: every visible string must be marked for
translation (wrapped in ⟦ ⟧ under `COMPANION_LANG=pseudo`), and no text may be cut off.

    from tests.pseudo_walk import problems
    assert problems(window) == []

`allowed` names texts that are data, not words of the app (a folder path, what the person
typed): they may appear unwrapped. Strings without letters (times, counts) always may.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from companion.i18n import CLOSE, OPEN

_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
_LETTER = re.compile(r"[^\W\d_]")


def _plain(text: str) -> str:
    return _ENTITY.sub(" ", _TAG.sub(" ", text)).strip()


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget is root or (widget.isVisibleTo(root) and widget.width() > 0)


def texts(root: QWidget) -> Iterator[tuple[QWidget, str, str]]:
    """(widget, what, text) for every string a person can see or hear in `root`."""
    widgets: list[QWidget] = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not _shown(w, root) and not isinstance(w, QMenu):
            continue
        if w.isWindow() and w.windowTitle():
            yield w, "window title", w.windowTitle()
        if w.accessibleName():
            yield w, "accessible name", w.accessibleName()
        if w.accessibleDescription():
            yield w, "accessible description", w.accessibleDescription()
        if w.toolTip():
            yield w, "tooltip", w.toolTip()
        if isinstance(w, QLabel) and w.text():
            yield w, "label", w.text()
        elif isinstance(w, QAbstractButton) and w.text():
            yield w, "button", w.text()
        elif isinstance(w, QGroupBox) and w.title():
            yield w, "group title", w.title()
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield w, "tab", w.tabText(i)
        elif isinstance(w, QLineEdit | QPlainTextEdit) and w.placeholderText():
            yield w, "placeholder", w.placeholderText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield w, "choice", w.itemText(i)
        elif isinstance(w, QListWidget):
            for i in range(w.count()):
                yield w, "list item", w.item(i).text()
        elif isinstance(w, QTableWidget):
            for i in range(w.columnCount()):
                item = w.horizontalHeaderItem(i)
                if item is not None:
                    yield w, "column", item.text()
        elif isinstance(w, QSpinBox):
            for part in (w.prefix(), w.suffix(), w.specialValueText()):
                if part.strip():
                    yield w, "spin text", part
        elif isinstance(w, QMenu):
            if w.title():
                yield w, "menu", w.title()
            for action in w.actions():
                if action.text():
                    yield w, "menu item", action.text()


def unmarked(root: QWidget, allowed: Iterable[str] = ()) -> list[str]:
    """Visible strings with letters that were not translated (not wrapped in ⟦ ⟧)."""
    allow = {a for a in allowed if a}
    out = []
    for w, what, text in texts(root):
        plain = _plain(text)
        if not _LETTER.search(plain) or OPEN in text:
            continue
        if plain in allow or any(
            a in plain and _LETTER.search(plain.replace(a, "")) is None for a in allow
        ):
            continue
        out.append(f"{type(w).__name__} {w.objectName() or ''} {what}: {text!r}".strip())
    return out


def cut_off(root: QWidget) -> list[str]:
    """Visible text that does not fit the room its widget was given."""
    QApplication.processEvents()
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        if not _shown(w, root) or w.width() <= 0 or w.height() <= 0:
            continue
        name = f"{type(w).__name__} {w.objectName()!r}"
        if isinstance(w, QLabel) and w.text() and w.pixmap().isNull():
            if w.wordWrap():
                need = w.heightForWidth(w.width())
                if need > w.height() + 1:
                    out.append(f"{name} {w.text()[:60]!r}: needs {need}px high, has {w.height()}")
            else:
                need = w.sizeHint().width()
                if need > w.width() + 1 and not _elides(w):
                    out.append(f"{name} {w.text()[:60]!r}: needs {need}px wide, has {w.width()}")
        elif isinstance(w, QPushButton | QCheckBox | QRadioButton) and w.text():
            hint = w.sizeHint()
            if hint.width() > w.width() + 1 or hint.height() > w.height() + 1:
                out.append(
                    f"{name} {w.text()!r}: needs {hint.width()}x{hint.height()}, "
                    f"has {w.width()}x{w.height()}"
                )
        elif isinstance(w, QGroupBox) and w.title():
            need = w.fontMetrics().horizontalAdvance(w.title())
            if need > w.width():
                out.append(f"{name} title {w.title()!r}: needs {need}px, has {w.width()}")
        elif isinstance(w, QTabWidget):
            bar = w.tabBar()
            for i in range(w.count()):
                if bar.tabRect(i).width() + 1 < bar.tabSizeHint(i).width() and not (
                    bar.usesScrollButtons()
                ):
                    out.append(f"{name} tab {w.tabText(i)!r} is cut")
    return out


def _elides(label: QLabel) -> bool:
    return bool(label.property("elides"))


def problems(root: QWidget, allowed: Iterable[str] = ()) -> list[str]:
    return unmarked(root, allowed) + cut_off(root)


__all__ = ["CLOSE", "OPEN", "Qt", "cut_off", "problems", "texts", "unmarked"]
