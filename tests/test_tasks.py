"""One way off the GUI thread and back (companion/runtime/tasks.py)."""

from __future__ import annotations

import sys
import threading

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.runtime.tasks import Outcome, first_line, run_in_background


def test_the_answer_comes_back_on_the_gui_thread(qtbot: QtBot) -> None:
    got: list[tuple[object, bool]] = []
    workers: list[str] = []

    def task() -> int:
        workers.append(threading.current_thread().name)
        return 42

    def done(outcome: Outcome[int]) -> None:
        got.append((outcome.result(), QThread.currentThread() is QApplication.instance().thread()))

    run_in_background(task, done, name="answer")
    qtbot.waitUntil(lambda: bool(got))
    assert got == [(42, True)]
    assert workers == ["answer"]


def test_a_failure_comes_back_as_the_exception(qtbot: QtBot) -> None:
    got: list[Outcome[int]] = []

    def task() -> int:
        raise OSError(5, "Input/output error")

    run_in_background(task, got.append)
    qtbot.waitUntil(lambda: bool(got))
    assert not got[0].ok
    with pytest.raises(OSError, match="Input/output"):
        got[0].result()


def test_a_window_that_has_gone_is_not_called_back(qtbot: QtBot) -> None:
    release = threading.Event()
    called: list[object] = []
    window = QObject()
    thread = run_in_background(lambda: release.wait(5), called.append, context=window)
    shiboken6.delete(window)  # the window was closed and deleted while the task ran
    release.set()
    thread.join(5)
    # A later task's answer arrives after the dropped one: the queue has been through.
    after: list[object] = []
    run_in_background(lambda: None, after.append)
    qtbot.waitUntil(lambda: bool(after))
    assert called == []


def test_quitting_never_waits_for_a_task(qtbot: QtBot) -> None:
    release = threading.Event()
    thread = run_in_background(lambda: release.wait(5))
    try:
        assert thread.daemon, "a hanging calendar feed must not hold Quit"
    finally:
        release.set()


def test_first_imports_happen_before_the_worker_starts(qtbot: QtBot) -> None:
    sys.modules.pop("colorsys", None)
    release = threading.Event()
    seen_at_start: list[bool] = []

    def task() -> None:
        seen_at_start.append("colorsys" in sys.modules)
        release.wait(5)

    run_in_background(task, imports=["colorsys"])
    assert "colorsys" in sys.modules  # imported here, on the GUI thread
    release.set()
    qtbot.waitUntil(lambda: bool(seen_at_start))
    assert seen_at_start == [True]


def test_first_line_hides_a_secret() -> None:
    url = "https://cal.example.org/private-abc123/basic.ics"
    assert first_line(ValueError(f"cannot read {url}\nmore")) == f"cannot read {url}"
    assert "abc123" not in first_line(ValueError(f"cannot read {url}"), hide=url)
    assert first_line(TimeoutError()) == "TimeoutError"


def test_prepare_runs_on_the_gui_thread_before_the_task(qtbot: QtBot) -> None:
    order: list[tuple[str, bool]] = []

    def on_gui() -> bool:
        return QThread.currentThread() is QApplication.instance().thread()

    def prepare() -> None:
        order.append(("prepare", on_gui()))

    def task() -> None:
        order.append(("task", on_gui()))

    done: list[object] = []
    run_in_background(task, done.append, prepare=prepare)
    qtbot.waitUntil(lambda: bool(done))
    assert order == [("prepare", True), ("task", False)]
