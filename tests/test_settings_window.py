"""The settings window: edit and save, refuse invalid values, the standing week, calendars,
start at login, export and "Delete all my data"."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from companion.core.calendar import secrets
from companion.core.calendar.ical import EventRules, parse_sessions
from companion.core.paths import Paths, resolve_paths
from companion.core.settings import CalendarSource, Settings, WeeklySession, load_settings
from companion.ui.settings_window import CONFIRM_WORD, SettingsWindow, data_to_delete

MARKER = "ZZMARKER-Jane-Doe"
PRACTICES = [("box-5", "Box breathing"), ("body-scan-5", "Body scan, 5 minutes")]


class FakeAutostart:
    def __init__(self, on: bool = False) -> None:
        self.on = on
        self.calls: list[str] = []

    def enable(self, command: list[str]) -> str:
        assert command
        self.calls.append("enable")
        self.on = True
        return "/fake/autostart.desktop"

    def disable(self) -> bool:
        self.calls.append("disable")
        self.on = False
        return True

    def is_enabled(self) -> bool:
        return self.on


@pytest.fixture
def paths() -> Paths:
    return resolve_paths().ensure()


_open: list[QWidget] = []


@pytest.fixture(autouse=True)
def _close_windows():
    """The window deletes itself when closed (so pytest-qt's own close would fail):
    close what is left at the end of each test."""
    yield
    while _open:
        w = _open.pop()
        if shiboken6.isValid(w):
            w.close()
            if shiboken6.isValid(w):
                w.deleteLater()


def make_window(qtbot, paths: Paths, settings: Settings | None = None, **kw) -> SettingsWindow:
    kw.setdefault("autostart", FakeAutostart())
    kw.setdefault("practices", PRACTICES)
    window = SettingsWindow(settings or Settings(), paths, **kw)
    _open.append(window)
    return window


def all_texts(root: QWidget) -> str:
    """Everything a person (or a screen reader) could read in `root` and its children."""
    parts: list[str] = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        parts += [w.toolTip(), w.accessibleName(), w.accessibleDescription(), w.whatsThis()]
        for attr in ("text", "placeholderText", "currentText"):
            getter = getattr(w, attr, None)
            if callable(getter):
                try:
                    value = getter()
                except TypeError:
                    continue
                if isinstance(value, str):
                    parts.append(value)
        if isinstance(w, QListWidget):
            parts += [w.item(i).text() for i in range(w.count())]
        if isinstance(w, QTableWidget):
            for r in range(w.rowCount()):
                for c in range(w.columnCount()):
                    item = w.item(r, c)
                    if item is not None:
                        parts.append(item.text())
        if isinstance(w, QTabWidget):
            parts += [w.tabText(i) for i in range(w.count())]
    return "\n".join(parts)


# --- edit and save -------------------------------------------------------------------------


def test_edit_and_save_writes_the_file_and_emits_saved(qtbot, paths: Paths) -> None:
    window = make_window(qtbot, paths)
    window.min_gap.setValue(7)
    window.sound_buttons["quiet"].setChecked(True)
    window.reduced_motion.setChecked(True)
    window.favourites.item(1).setCheckState(Qt.CheckState.Checked)
    window.reflect_fixed.setChecked(True)
    window.reflection_time.setTime(QTime(17, 45))
    with qtbot.waitSignal(window.saved) as blocker:
        qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    new = blocker.args[0]
    assert isinstance(new, Settings)
    on_disk = load_settings(paths.settings)
    assert on_disk == new
    assert on_disk.min_gap_minutes == 7
    assert on_disk.sound == "quiet"
    assert on_disk.reduced_motion is True
    assert on_disk.favourite_practices == ("body-scan-5",)
    assert on_disk.reflection_time == "17:45"
    assert window.error_text() == ""


def test_an_invalid_value_is_refused_with_the_message_and_nothing_saved(
    qtbot, paths: Paths
) -> None:
    window = make_window(qtbot, paths)
    window.show()
    window.working_start.setTime(QTime(17, 0))
    window.working_end.setTime(QTime(9, 0))
    with qtbot.assertNotEmitted(window.saved):
        assert window.save() is False
    assert not paths.settings.exists()
    assert window.error.isVisible()
    message = window.error_text()
    assert "working_end" in message
    assert "after working_start" in message
    assert "Traceback" not in message
    assert window.tabs.currentIndex() == 1  # the Day tab, where the field is
    assert window.isVisible()  # the window stays open to fix it


def test_unknown_favourites_are_kept(qtbot, paths: Paths) -> None:
    settings = Settings(favourite_practices=("box-5", "my-own-practice"))
    window = make_window(qtbot, paths, settings)
    assert window.favourites.item(0).checkState() == Qt.CheckState.Checked
    assert window.save()
    assert load_settings(paths.settings).favourite_practices == ("box-5", "my-own-practice")


# --- the standing week ----------------------------------------------------------------------


def test_week_editor_adds_and_removes_sessions(qtbot, paths: Paths) -> None:
    week = (WeeklySession(0, "09:00", 50), WeeklySession(0, "10:00", 50, heavy=True))
    window = make_window(qtbot, paths, Settings(week=week))
    editor = window.week
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
    editor = window.week
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


# --- start at login --------------------------------------------------------------------------


def test_start_at_login_toggles_the_injected_autostart(qtbot, paths: Paths) -> None:
    fake = FakeAutostart(on=False)
    window = make_window(qtbot, paths, autostart=fake)
    assert not window.start_at_login.isChecked()
    window.start_at_login.setChecked(True)
    assert window.save()
    assert fake.calls == ["enable"]
    assert load_settings(paths.settings).start_at_login is True

    window2 = make_window(qtbot, paths, load_settings(paths.settings), autostart=fake)
    assert window2.start_at_login.isChecked()
    window2.start_at_login.setChecked(False)
    assert window2.save()
    assert fake.calls == ["enable", "disable"]
    assert not fake.on


def test_start_at_login_failure_is_a_message(qtbot, paths: Paths) -> None:
    class Broken(FakeAutostart):
        def enable(self, command: list[str]) -> str:
            raise PermissionError(13, "Permission denied")

    window = make_window(qtbot, paths, autostart=Broken())
    window.start_at_login.setChecked(True)
    assert not window.save()
    assert "start_at_login" in window.error_text()
    assert "Permission denied" in window.error_text()
    assert not paths.settings.exists()


# --- calendars -------------------------------------------------------------------------------


def _ics(tmp_path: Path) -> Path:
    today = date.today().strftime("%Y%m%d")
    text = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            "BEGIN:VEVENT",
            "UID:a@test",
            f"DTSTART:{today}T090000",
            f"DTEND:{today}T095000",
            f"SUMMARY:{MARKER} first",
            f"DESCRIPTION:{MARKER} notes",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:b@test",
            f"DTSTART:{today}T100000",
            f"DTEND:{today}T105000",
            f"SUMMARY:{MARKER} intake",
            f"LOCATION:{MARKER} room",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    path = tmp_path / f"{MARKER}.ics"
    path.write_text(text, encoding="utf-8")
    return path


def test_calendar_test_shows_times_and_never_a_title(qtbot, paths: Paths, tmp_path) -> None:
    ics = _ics(tmp_path)
    seen: list[str] = []

    def test_calendar(spec: str):
        seen.append(spec)
        rules_settings = Settings(heavy_keywords=("intake",))

        found = parse_sessions(
            Path(spec).read_bytes(),
            "cal",
            date.today(),
            1,
            EventRules.from_settings(rules_settings),
        )
        return [(s.start, s.end, s.heavy) for s in found]

    window = make_window(qtbot, paths, test_calendar=test_calendar)
    window.source_calendar.setChecked(True)
    window.choose_calendar_file = lambda: str(ics)
    qtbot.mouseClick(window.add_file_button, Qt.MouseButton.LeftButton)
    assert window.calendar_list.count() == 1
    with qtbot.waitSignal(window.calendar_tested) as blocker:
        qtbot.mouseClick(window.test_button, Qt.MouseButton.LeftButton)
    assert seen == [str(ics)]
    shown = blocker.args[0]
    assert shown == f"Today in {ics.name}: 2 sessions\n09:00–09:50\n10:00–10:50 · heavy"
    assert window.test_result.text() == shown
    # The file name is the user's own; the calendar list shows the path. Take the file name
    # out and no event text is left anywhere in the window.
    text = all_texts(window).replace(str(ics), "").replace(ics.name, "")
    assert MARKER not in text


def test_calendar_test_with_the_real_reader(qtbot, paths: Paths, tmp_path) -> None:
    ics = _ics(tmp_path)
    window = make_window(qtbot, paths)
    window.heavy_edit.setText("intake")
    window.choose_calendar_file = lambda: str(ics)
    window._add_file()
    with qtbot.waitSignal(window.calendar_tested, timeout=10_000) as blocker:
        window.test_selected_calendar()
    assert blocker.args[0] == f"Today in {ics.name}: 2 sessions\n09:00–09:50\n10:00–10:50 · heavy"
    text = all_texts(window).replace(str(ics), "").replace(ics.name, "")
    assert MARKER not in text


def test_calendar_test_error_is_one_line(qtbot, paths: Paths, tmp_path) -> None:
    window = make_window(qtbot, paths)
    window.choose_calendar_file = lambda: str(tmp_path / "missing.ics")
    window._add_file()
    with qtbot.waitSignal(window.calendar_tested, timeout=10_000) as blocker:
        window.test_selected_calendar()
    assert blocker.args[0] == f"{tmp_path / 'missing.ics'}: file not found"


def test_calendar_test_that_raises_keeps_the_link_secret(qtbot, paths: Paths) -> None:
    url = "https://calendar.example.org/private/SECRET-TOKEN/basic.ics"

    def boom(spec: str):
        raise RuntimeError(f"could not reach {spec}")

    window = make_window(qtbot, paths, test_calendar=boom)
    window.url_edit.setText(url)
    window._add_url()
    with qtbot.waitSignal(window.calendar_tested) as blocker:
        window.test_selected_calendar()
    assert blocker.args[0] == "The test could not finish: could not reach the link"
    assert "SECRET-TOKEN" not in all_texts(window)


def test_a_url_source_goes_to_the_keyring_and_is_shown_masked(qtbot, paths: Paths) -> None:
    url = "https://calendar.example.org/private/SECRET-TOKEN/basic.ics"
    tested: list[str] = []

    def test_calendar(spec: str):
        tested.append(spec)
        return []

    window = make_window(qtbot, paths, test_calendar=test_calendar)
    window.url_edit.setText(url)
    qtbot.mouseClick(window.add_url_button, Qt.MouseButton.LeftButton)
    assert window.calendar_list.item(0).text() == "Link · https://calendar.example.org/…"
    assert window.url_edit.text() == ""
    assert "SECRET-TOKEN" not in all_texts(window)
    # Testing before saving uses the link as typed, in the worker.
    with qtbot.waitSignal(window.calendar_tested) as blocker:
        window.test_selected_calendar()
    assert tested == [url]
    assert blocker.args[0] == "No sessions today in https://calendar.example.org/…"
    assert window.save()
    saved = load_settings(paths.settings)
    assert saved.schedule_source == "calendar"
    (source,) = saved.calendars
    assert source.kind == "url"
    assert source.label == "https://calendar.example.org/…"
    assert secrets.get_url(source.id, paths) == url  # the null keyring falls back to a 0600 file
    assert "SECRET-TOKEN" not in paths.settings.read_text(encoding="utf-8")

    # Opened again: the stored link is found for the Test, and removing it forgets it.
    again = make_window(qtbot, paths, saved, test_calendar=test_calendar)
    with qtbot.waitSignal(again.calendar_tested):
        again.test_selected_calendar()
    assert tested == [url, url]
    again._remove_calendar()
    assert again.save()
    assert secrets.get_url(source.id, paths) is None


def test_a_plain_http_link_is_refused_unless_allowed(qtbot, paths: Paths) -> None:
    window = make_window(qtbot, paths)
    window.url_edit.setText("http://calendar.example.org/SECRET-TOKEN.ics")
    window._add_url()
    assert window.calendar_list.count() == 0
    assert "plain http is not allowed" in window.test_result.text()
    assert "SECRET-TOKEN" not in all_texts(window).replace(window.url_edit.text(), "")
    window.allow_http.setChecked(True)
    window._add_url()
    assert window.calendar_list.count() == 1


def test_keywords_are_saved_as_lists(qtbot, paths: Paths) -> None:
    window = make_window(qtbot, paths)
    window.exclude_edit.setText("lunch,  admin , ")
    window.heavy_edit.setText("intake")
    assert window.save()
    saved = load_settings(paths.settings)
    assert saved.exclude_keywords == ("lunch", "admin")
    assert saved.heavy_keywords == ("intake",)


# --- export and delete -------------------------------------------------------------------------


def test_export_writes_the_chosen_format(qtbot, paths: Paths, tmp_path) -> None:
    window = make_window(qtbot, paths)
    out = tmp_path / "export.json"
    window.choose_export_target = lambda fmt: str(out) if fmt == "json" else ""
    window.export_journal()
    assert json.loads(out.read_text(encoding="utf-8"))["records"] == []
    assert window.export_status.text() == f"Exported 0 records to {out}"

    folder = tmp_path / "csv"
    window.export_format.setCurrentIndex(window.export_format.findData("csv"))
    window.choose_export_target = lambda fmt: str(folder)
    window.export_journal()
    assert (folder / "glimmers.csv").exists()


def _fill_data(paths: Paths) -> list[Path]:
    files = [
        paths.data / "journal-2026.json",
        paths.data / "journal-2025.json.corrupt-20250101-000000",
        paths.backups / "2026-03-10" / "journal-2026.json",
        paths.data / "drafts" / "reflection-2026-03-10.json",
        paths.calendar_cache,
        paths.calendar_cache.with_name(paths.calendar_cache.name + ".lock"),
        paths.status,
        paths.settings,
    ]
    for f in files:
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("{}", encoding="utf-8")
    return files


def test_delete_all_needs_confirmation_then_removes_everything(qtbot, paths: Paths) -> None:
    url = "https://calendar.example.org/SECRET-TOKEN.ics"
    secrets.store_url("cal1", url, paths)
    settings = Settings(
        schedule_source="calendar",
        calendars=(CalendarSource("cal1", "url", label=secrets.mask_url(url)),),
    )
    files = _fill_data(paths)
    own_practice = paths.user_practices / "mine.toml"
    own_practice.parent.mkdir(parents=True)
    own_practice.write_text("title = 'mine'\n", encoding="utf-8")

    window = make_window(qtbot, paths, settings)
    window.show()
    with qtbot.assertNotEmitted(window.deleted_all):
        dialog = window.ask_delete_all()
        body = all_texts(dialog)
        for words in ("journal", "backups", "drafts", "calendar cache", "settings", "keyring"):
            assert words in body
        assert "SECRET-TOKEN" not in body
        assert not dialog.delete_button.isEnabled()
        dialog.confirm.setText("delete")
        assert not dialog.delete_button.isEnabled()
        qtbot.mouseClick(dialog.keep, Qt.MouseButton.LeftButton)
    assert all(f.exists() for f in files)  # nothing before confirmation
    assert secrets.get_url("cal1", paths) == url

    dialog = window.ask_delete_all()
    dialog.confirm.setText(CONFIRM_WORD)
    assert dialog.delete_button.isEnabled()
    with qtbot.waitSignal(window.deleted_all):
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert not any(f.exists() for f in files)
    assert not paths.backups.exists()
    assert not (paths.data / "drafts").exists()
    assert secrets.get_url("cal1", paths) is None
    assert not secrets.fallback_path(paths).exists()
    assert data_to_delete(paths) == []
    assert own_practice.exists()  # the user's own practice files are theirs


# --- accessibility -----------------------------------------------------------------------------


def test_every_control_has_an_accessible_name(qtbot, paths: Paths) -> None:
    window = make_window(qtbot, paths)
    controls = (
        QAbstractButton,
        QLineEdit,
        QAbstractSpinBox,
        QComboBox,
        QAbstractItemView,
        QTabWidget,
    )
    unnamed = [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for w in window.findChildren(QWidget)
        if isinstance(w, controls)
        and not w.accessibleName()
        and w.parent() is not None
        and type(w.parent()).__name__ not in {"QComboBox", "QTabBar", "QScrollArea"}
        and not isinstance(w.parent(), QAbstractSpinBox | QAbstractItemView)  # their parts
        and w.objectName() not in {"qt_scrollarea_viewport"}
        and w.isVisibleTo(window)
    ]
    assert unnamed == []


def test_labels_have_buddies_or_are_plain_text(qtbot, paths: Paths) -> None:
    """Every label with a mnemonic (&) jumps to a control."""
    window = make_window(qtbot, paths)
    for label in window.findChildren(QLabel):
        if "&" in label.text().replace("&&", "") and "<" not in label.text():
            assert label.buddy() is not None, label.text()


def test_sizes_are_not_fixed_pixel_text(qtbot, paths: Paths) -> None:
    window = make_window(qtbot, paths)
    for w in window.findChildren(QWidget):
        assert "px" not in w.styleSheet()


def _mnemonics(window: SettingsWindow) -> list[str]:
    keys = []
    bar = window.tabs.tabBar()
    texts = [bar.tabText(i) for i in range(bar.count())]
    for w in window.findChildren(QWidget):
        if isinstance(w, QAbstractButton | QLabel) and w.isVisible():
            texts.append(w.text())
    for text in texts:
        plain = text.replace("&&", "")
        if "&" in plain and "<" not in plain:
            keys.append(plain[plain.index("&") + 1].lower())
    return keys


@pytest.mark.parametrize("source", ["week", "calendar"])
def test_mnemonics_are_unique_on_every_page(qtbot, paths: Paths, source: str) -> None:
    window = make_window(qtbot, paths, Settings(schedule_source=source))
    window.show()
    qtbot.waitExposed(window)
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        keys = _mnemonics(window)
        assert len(keys) == len(set(keys)), (window.tabs.tabText(tab), sorted(keys))
