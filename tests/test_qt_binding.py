"""Guards against a Qt binding that would crash the app after days of use.

PySide6 6.12.0 drops one reference to False each time a bool signal (a button's
`clicked`, an action's `triggered`) reaches a Python slot; after a few thousand clicks
the interpreter aborts. pyproject.toml keeps PySide6 below that release; this test fails
if a version with the same fault is ever installed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton


class _Sender(QObject):
    flag = Signal(bool)


def test_bool_signals_keep_their_references(qtbot) -> None:  # type: ignore[no-untyped-def]
    sender = _Sender()
    received: list[bool] = []
    sender.flag.connect(received.append)
    button = QPushButton()
    qtbot.addWidget(button)
    button.clicked.connect(lambda checked=False: received.append(checked))
    for _ in range(5):  # the first emissions may cache a reference or two
        sender.flag.emit(False)
        button.click()
    received.clear()
    before_false, before_none = sys.getrefcount(False), sys.getrefcount(None)
    for n in range(200):
        sender.flag.emit(False)
        button.click()
        button.setText(f"click {n}")  # a method returning nothing
    received.clear()
    # The faulty release loses one reference per emission (hundreds here); allow a
    # little noise from caches, never a steady loss.
    assert sys.getrefcount(False) >= before_false - 5
    assert sys.getrefcount(None) >= before_none - 5
