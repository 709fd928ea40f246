"""The standing-week editor inside the settings window: add, edit, remove, keyboard use."""

from __future__ import annotations

from PySide6.QtCore import Qt

from companion.core.paths import Paths
from companion.core.settings import Settings, WeeklySession, load_settings
from tests import test_settings_window as shared
from tests.test_settings_window import make_window

paths = shared.paths  # the fixtures
_close_windows = shared._close_windows


def test_week_editor_adds_and_removes_sessions(qtbot, paths: Paths) -> None:
    week = (WeeklySession(0, "09:00", 50), WeeklySession(0, "10:00", 50, heavy=True))
    window = make_window(qtbot, paths, Settings(week=week))
    editor = window.schedule.week
    assert editor.current_day() == 0
    assert editor.table.rowCount() == 2
    assert editor.table.item(1, 3).checkState() == Qt.CheckState.Checked

    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.table.rowCount() == 3
    assert editor.table.item(2, 0).text() == "11:00"
    # Edit the new session's length through the model, as the delegate would.
    editor.table.item(2, 1).setData(Qt.ItemDataRole.EditRole, 30)
    assert editor.table.item(2, 2).text() == "11:30"
    # Remove the first one.
    editor.table.setCurrentCell(0, 0)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert editor.table.rowCount() == 2
    # Tuesday gets a session of its own.
    editor.days.setCurrentRow(1)
    assert editor.table.rowCount() == 0
    editor.add_session()
    assert window.save()
    saved = load_settings(paths.settings).week
    assert saved == (
        WeeklySession(0, "10:00", 50, heavy=True),
        WeeklySession(0, "11:00", 30),
        WeeklySession(1, "09:00", 50),
    )
    assert editor.days.item(0).text() == "Monday · 2 sessions"


def test_week_editor_is_keyboard_usable(qtbot, paths: Paths) -> None:
    window = make_window(qtbot, paths, Settings(week=(WeeklySession(2, "09:00", 50),)))
    editor = window.schedule.week
    assert editor.current_day() == 2  # opens on the first day with sessions
    assert not editor.table.tabKeyNavigation()  # Tab leaves the table
    window.show()
    qtbot.waitExposed(window)
    editor.table.setFocus()
    editor.table.setCurrentCell(0, 3)
    qtbot.keyClick(editor.table, Qt.Key.Key_Space)  # Space marks it heavy
    assert editor.sessions() == (WeeklySession(2, "09:00", 50, heavy=True),)
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    assert editor.table.rowCount() == 0
    assert editor.sessions() == ()
