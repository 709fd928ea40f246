"""One way off the GUI thread and back (after Anki's `aqt/taskman.py`).

    run_in_background(task, on_done, context=window)

runs `task()` in a worker thread; when it is over, `on_done(outcome)` runs on the GUI
thread, where `outcome.result()` returns what the task returned or raises what it
raised. Everything that may take a while (the calendar refresh, the settings' calendar
Test, an export, Look back's history) goes through here, and nothing else starts threads
for the windows.

- **Quitting never waits.** Workers are daemon threads, not Qt's thread pool (Qt waits
  for its pool at exit): a calendar feed that accepts a connection and never answers
  cannot hold Quit.
- **A closed window is not called back.** Give the window as `context`; once it is
  deleted, its `on_done` is dropped.
- **First imports happen on the GUI thread.** PySide6 hooks every import (its feature
  check reads each new module's source), and a first import inside a worker while the
  GUI thread runs crashed the process about one run in four. Name the modules the task
  will import in `imports=`, or give a `prepare` step that reaches them (the calendar's
  `companion.core.calendar.warm.warm_up`); both run here, before the thread starts.

The result comes back through one signal on one relay object, created on the GUI thread
the first time this is used and never deleted, so a worker can always emit on it.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

T = TypeVar("T")
log = logging.getLogger("companion.tasks")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a background task came to: its value, or the exception it raised."""

    value: T | None = None
    error: BaseException | None = None

    def result(self) -> T:
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]

    @property
    def ok(self) -> bool:
        return self.error is None


class _Relay(QObject):
    """Lives on the GUI thread; a worker emits `ready`, the slot runs the callback there."""

    ready = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.ready.connect(self._run)

    @Slot(object)
    def _run(self, callback: Callable[[], None]) -> None:
        callback()


_relay: _Relay | None = None
_names = itertools.count(1)
_imported: set[str] = set()


def _the_relay() -> _Relay:
    global _relay  # noqa: PLW0603 (one relay for the process, created on the GUI thread)
    if _relay is None:
        _relay = _Relay()
        app = QCoreApplication.instance()
        if app is not None and _relay.thread() is not app.thread():
            _relay.moveToThread(app.thread())
    return _relay


def _on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is None or QThread.currentThread() is app.thread()


def warm_imports(modules: Iterable[str]) -> None:
    """Import `modules` now, on the calling (GUI) thread, once each."""
    for name in modules:
        if name not in _imported:
            importlib.import_module(name)
            _imported.add(name)


def run_on_main(callback: Callable[[], None]) -> None:
    """Queue `callback` to run on the GUI thread (from any thread)."""
    _the_relay().ready.emit(callback)


def run_in_background(
    task: Callable[[], T],
    on_done: Callable[[Outcome[T]], None] | None = None,
    *,
    context: QObject | None = None,
    imports: Iterable[str] = (),
    prepare: Callable[[], None] | None = None,
    name: str = "",
) -> threading.Thread:
    """Run `task` in a daemon thread and `on_done(outcome)` on the GUI thread after it.

    Call from the GUI thread. `context`: a QObject (usually the window that asked); if it
    has been deleted by the time the task ends, `on_done` is not called. `imports` and
    `prepare` run first, here on the GUI thread (see the module docstring).
    """
    if not _on_gui_thread():
        raise RuntimeError("run_in_background must be called from the GUI thread")
    warm_imports(imports)
    if prepare is not None:
        prepare()
    relay = _the_relay()

    def deliver(outcome: Outcome[T]) -> None:
        if on_done is None:
            return
        if context is not None and not shiboken6.isValid(context):
            return  # the window that asked has gone
        on_done(outcome)

    def work() -> None:
        try:
            outcome: Outcome[T] = Outcome(value=task())
        except Exception as exc:  # handed to on_done; never a traceback in a person's face
            outcome = Outcome(error=exc)
        with contextlib.suppress(RuntimeError):  # the app quit meanwhile: nobody to tell
            relay.ready.emit(lambda: deliver(outcome))

    thread = threading.Thread(
        target=work, name=name or f"companion-task-{next(_names)}", daemon=True
    )
    thread.start()
    return thread


def first_line(error: BaseException, *, hide: str = "") -> str:
    """An exception as one line for a person: its first line (or its type), with `hide`
    (say, a calendar link) replaced, so no secret reaches a window."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    if hide:
        text = text.replace(hide, "…")
    return text


__all__ = ["Outcome", "first_line", "run_in_background", "run_on_main", "warm_imports"]
