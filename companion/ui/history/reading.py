"""Reading the journal for Look back off the GUI thread.

Five years of journal is a few megabytes of JSON; parsing a year of it to draw a month
took tens of milliseconds on the GUI thread. Look back now reads in a worker
(`companion.runtime.tasks.run_in_background`) through a `JournalReader`.

Why the reader has its own `Journal` instead of using the app's: a `Journal` is not
safe to share between threads. Its storage caches the parsed year file, and the GUI
thread changes that cache under a worker's feet: the app lets go of it whenever it goes
idle (`Journal.release`) and replaces it on every `add`. `AtomicJSONStorage.read` checks
the cache and then returns it, so a worker between the two gets None, and TinyDB reads
None as an empty table: a year of records would silently be missing from the charts (and
be cached so). Its table of open files is a plain dict both threads would fill. A second
`Journal` on the same folder, with backups off (the settings window's export does the
same), shares nothing in memory with the app's: it reads each year file whole, writes are
atomic renames so it never sees half a file, it notices a newer file by its inode and
size, and the schema check it may do the first time it opens a year file runs under the
journal's inter-process lock (a separate open of the lock file, so it also excludes the
app's writer in this process).

One reader is used by one worker at a time (a lock): the parsed year files stay cached
between loads, so stepping back a month usually parses nothing, and a load nobody wants
any more (the person clicked on) is skipped before it reads.

A read starts once its "Loading…" frame has been painted (`after_paint`): a worker
parsing JSON holds Python's global lock for milliseconds at a time, and a paint that has
to wait for it is a first paint that comes late.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from companion.core.journal import Journal
from companion.runtime.tasks import run_in_background

T = TypeVar("T")
PAINT_WAIT_MS = 200  # a widget that is not painted by then (minimised, covered) reads anyway


class Skipped:
    """What `JournalReader.read` returns for a read that was no longer wanted."""


SKIPPED = Skipped()


class JournalReader:
    """A read-only `Journal` on the app's folder, for one worker at a time."""

    def __init__(self, journal: Journal) -> None:
        self.journal = Journal(
            journal.paths, journal.clock, partition=journal.partition, backups=False
        )
        self._lock = threading.Lock()

    def read(
        self, fn: Callable[[Journal], T], wanted: Callable[[], bool] | None = None
    ) -> T | Skipped:
        """Call `fn(journal)` (in a worker) once no other read is running; skipped when
        `wanted()` says no by then."""
        with self._lock:
            if wanted is not None and not wanted():
                return SKIPPED
            return fn(self.journal)

    def release(self, context: QObject) -> None:
        """Let go of the parsed files (the window was hidden), after any read under way."""
        run_in_background(
            lambda: self.read(lambda j: j.release()), context=context, name="history-release"
        )


class _AfterPaint(QObject):
    """Calls back once, after the widget's next paint (or after PAINT_WAIT_MS)."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._fire)  # once this paint is over
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._widget.removeEventFilter(self)
        self.deleteLater()
        callback()


def after_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call `callback` on the GUI thread once `widget` has been painted. A widget not on
    screen yet is looked at again after this event (a window is usually shown right
    after it is built): still not shown, `callback` runs then."""
    if widget.isVisible():
        _AfterPaint(widget, callback)
        return

    def again() -> None:
        if widget.isVisible():
            _AfterPaint(widget, callback)
        else:
            callback()

    QTimer.singleShot(0, widget, again)
