"""Any glimmer can be brought to supervision later (issue 12 review, item 4): in the jar
in Look back, the chosen glimmer has a "Bring to supervision" toggle, reached by the
keyboard and named for screen readers. It changes that glimmer in the journal, in place
(same id, nothing added), through the writer, so the supervision page holds it; a change
that cannot be written says so in one line and the toggle goes back."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox

from companion.core import supervision
from companion.core.clock import FakeClock
from companion.core.journal import Journal
from companion.core.paths import Paths, resolve_paths
from companion.core.records import GlimmerRecord
from companion.core.settings import Settings
from companion.core.writer import JournalWriter, Saved
from companion.ui.history import HistoryWindow

TZ = timezone(timedelta(hours=1))
TODAY = date(2026, 3, 6)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return resolve_paths(tmp_path / "data").ensure()


def opened(qtbot, paths: Paths, **kw) -> HistoryWindow:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(TODAY, 17, 30))
    journal = Journal(paths, clock, backups=False).open()
    journal.add(GlimmerRecord(at=at(TODAY - timedelta(days=2), 11), text="the silence held"))
    journal.add(GlimmerRecord(at=at(TODAY, 10), text="a laugh at the door", felt_in=("face",)))
    win = HistoryWindow(journal, clock, Settings(), **kw)
    qtbot.addWidget(win)
    with qtbot.waitExposed(win):
        win.show()
    win.show_jar()
    qtbot.waitUntil(lambda: win.jar.loaded, timeout=5000)
    return win


def stored(paths: Paths) -> list[GlimmerRecord]:
    return Journal(paths, FakeClock(at(TODAY, 20))).query(GlimmerRecord)


def test_a_glimmer_is_brought_to_supervision_from_the_keyboard(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = opened(qtbot, paths)
    jar = win.jar
    toggle = jar.flag
    assert isinstance(toggle, QCheckBox)
    assert toggle.accessibleName() == "Bring this glimmer to supervision"
    assert toggle.focusPolicy() & Qt.FocusPolicy.TabFocus
    before = {g.id: g for g in stored(paths)}

    # the newest is chosen first; Down chooses the older one, Tab reaches the toggle
    jar.view.setFocus()
    assert jar.view.currentIndex().row() == 0
    qtbot.keyClick(jar.view, Qt.Key.Key_Down)
    assert "the silence held" in toggle.accessibleDescription()
    assert not toggle.isChecked()
    win.activateWindow()
    jar.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is jar.view)
    qtbot.keyClick(jar.view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is toggle
    qtbot.keyClick(toggle, Qt.Key.Key_Space)
    assert toggle.isChecked()

    after = stored(paths)
    assert {g.id for g in after} == set(before)  # the same glimmers, changed in place
    marked = [g for g in after if g.for_supervision]
    assert [g.text for g in marked] == ["the silence held"]
    page = supervision.to_markdown(after, TODAY, 50)
    assert "the silence held" in page and "a laugh at the door" not in page
    shown = jar.model.data(jar.model.index(1, 0), Qt.ItemDataRole.AccessibleTextRole)
    assert "marked for supervision" in shown

    # the newest one shows its own state, and unmarking the older one takes it off again
    qtbot.keyClick(jar.view, Qt.Key.Key_Up)
    assert not toggle.isChecked()
    qtbot.keyClick(jar.view, Qt.Key.Key_Down)
    assert toggle.isChecked()
    qtbot.keyClick(toggle, Qt.Key.Key_Space)
    assert not any(g.for_supervision for g in stored(paths))


def test_a_mark_that_cannot_be_written_says_so_and_goes_back(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    class Refusing(JournalWriter):
        def replace(self, record):  # type: ignore[no-untyped-def]
            return Saved(False, "Not saved: No space left on device. Try again in a moment.")

    win = opened(qtbot, paths, writer=Refusing(Journal(paths, FakeClock(at(TODAY, 17)))))
    jar = win.jar
    jar.flag.click()
    QApplication.processEvents()
    assert not jar.flag.isChecked()
    assert jar.error.isVisibleTo(win)
    assert jar.error.text() == "Not saved: No space left on device. Try again in a moment."
    assert not any(g.for_supervision for g in stored(paths))


def test_an_empty_jar_has_nothing_to_mark(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = resolve_paths(tmp_path / "empty").ensure()
    clock = FakeClock(at(TODAY, 17, 30))
    win = HistoryWindow(Journal(paths, clock, backups=False).open(), clock, Settings())
    qtbot.addWidget(win)
    win.show_jar()
    qtbot.waitUntil(lambda: win.jar.loaded, timeout=5000)
    assert not win.jar.flag.isEnabled()


def test_in_the_app_the_jar_writes_through_the_app_s_one_writer(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    from tests.test_app import MONDAY, close_app, local, started_app

    app = started_app(data_dir, local(MONDAY, 17, 30))
    try:
        app.open_history()
        assert app.windows["history"].writer is app.writer  # type: ignore[attr-defined]
    finally:
        close_app(app)
