"""The settings window: edit and save through the settings store, refuse invalid values
(and go to the field), start at login, export and "Delete all my data", accessibility.

The standing week is in test_settings_week.py, calendars in test_settings_calendar.py,
the pseudo-locale walk in test_settings_pseudo.py; they share the helpers here."""

from __future__ import annotations

import json
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
from companion.core.paths import Paths, data_to_delete, resolve_paths
from companion.core.settings import CalendarSource, Settings, load_settings
from companion.runtime.settings_store import SettingsStore
from companion.ui.settings import SettingsWindow
from companion.ui.settings.delete_dialog import CONFIRM_WORD

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


def make_window(
    qtbot,
    paths: Paths,
    settings: Settings | None = None,
    *,
    store: SettingsStore | None = None,
    **kw,
) -> SettingsWindow:
    """A settings window on a store of `paths.settings` (holding `settings` when given)."""
    if store is None:
        store = SettingsStore(paths.settings)
        if settings is not None:
            store.replace(settings)
    kw.setdefault("autostart", FakeAutostart())
    kw.setdefault("practices", PRACTICES)
    window = SettingsWindow(store, paths, **kw)
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
    day, practice = window.day, window.practice
    day.min_gap.setValue(7)
    practice.sound_buttons["quiet"].setChecked(True)
    practice.reduced_motion.setChecked(True)
    practice.favourites.item(1).setCheckState(Qt.CheckState.Checked)
    day.reflect_fixed.setChecked(True)
    day.reflection_time.setTime(QTime(17, 45))
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
    window.day.working_start.setTime(QTime(17, 0))
    window.day.working_end.setTime(QTime(9, 0))
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
    assert window.practice.favourites.item(0).checkState() == Qt.CheckState.Checked
    assert window.save()
    assert load_settings(paths.settings).favourite_practices == ("box-5", "my-own-practice")


def test_save_goes_through_the_store_which_tells_once_what_changed(qtbot, paths: Paths) -> None:
    store = SettingsStore(paths.settings)
    heard: list[tuple[Settings, frozenset[str]]] = []
    store.changed.connect(lambda settings, names: heard.append((settings, names)))
    window = make_window(qtbot, paths, store=store)
    on_disk_when_saved: list[Settings] = []
    window.saved.connect(lambda _new: on_disk_when_saved.append(load_settings(paths.settings)))
    window.day.min_gap.setValue(7)
    window.practice.ratings.setChecked(False)
    window.schedule.calendars.heavy_edit.setText("intake")
    with qtbot.waitSignal(window.saved) as blocker:
        qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    new = blocker.args[0]
    assert heard == [(new, frozenset({"min_gap_minutes", "ratings", "heavy_keywords"}))]
    assert store.settings == new
    assert on_disk_when_saved == [new]  # `saved` comes after the store wrote the file


def test_a_change_made_elsewhere_while_open_is_not_undone(qtbot, paths: Paths) -> None:
    store = SettingsStore(paths.settings)
    window = make_window(qtbot, paths, store=store)
    assert window.practice.ratings.isChecked()
    store.update(ratings=False)  # the player's "don't ask me for ratings" while Settings is open
    window.day.min_gap.setValue(9)
    assert window.save()
    on_disk = load_settings(paths.settings)
    assert on_disk.min_gap_minutes == 9
    assert on_disk.ratings is False


@pytest.mark.parametrize("field", ["working_end", "exclude_keywords"])
def test_a_refused_value_takes_the_focus_to_its_field(qtbot, paths: Paths, field: str) -> None:
    window = make_window(qtbot, paths, Settings(schedule_source="calendar"))
    window.show()
    qtbot.waitExposed(window)
    if field == "working_end":
        page, widget = window.day, window.day.working_end
        window.day.working_start.setTime(QTime(17, 0))
        window.day.working_end.setTime(QTime(9, 0))
        window.tabs.setCurrentIndex(0)
    else:
        page, widget = window.schedule, window.schedule.calendars.exclude_edit
        widget.setText(", ".join(f"word{i}" for i in range(60)))  # more than 50 keywords
        window.tabs.setCurrentIndex(3)
    assert not window.save()
    assert field in window.error_text()
    assert window.tabs.currentWidget().widget() is page  # its tab is shown
    assert window.focusWidget() is widget


# --- start at login --------------------------------------------------------------------------


def test_start_at_login_toggles_the_injected_autostart(qtbot, paths: Paths) -> None:
    fake = FakeAutostart(on=False)
    window = make_window(qtbot, paths, autostart=fake)
    assert not window.system.start_at_login.isChecked()
    window.system.start_at_login.setChecked(True)
    assert window.save()
    assert fake.calls == ["enable"]
    assert load_settings(paths.settings).start_at_login is True

    window2 = make_window(qtbot, paths, load_settings(paths.settings), autostart=fake)
    assert window2.system.start_at_login.isChecked()
    window2.system.start_at_login.setChecked(False)
    assert window2.save()
    assert fake.calls == ["enable", "disable"]
    assert not fake.on


def test_start_at_login_failure_is_a_message(qtbot, paths: Paths) -> None:
    class Broken(FakeAutostart):
        def enable(self, command: list[str]) -> str:
            raise PermissionError(13, "Permission denied")

    window = make_window(qtbot, paths, autostart=Broken())
    window.system.start_at_login.setChecked(True)
    assert not window.save()
    assert "start_at_login" in window.error_text()
    assert "Permission denied" in window.error_text()
    assert not paths.settings.exists()


# --- export and delete -------------------------------------------------------------------------


def test_export_writes_the_chosen_format(qtbot, paths: Paths, tmp_path) -> None:
    window = make_window(qtbot, paths)
    system = window.system
    out = tmp_path / "export.json"
    system.choose_export_target = lambda fmt: str(out) if fmt == "json" else ""
    with qtbot.waitSignal(system.exported, timeout=10_000):
        system.export_journal()
        assert system.export_status.text() == "Exporting…"  # said at once, done in a worker
        assert not system.export_button.isEnabled()
    assert json.loads(out.read_text(encoding="utf-8"))["records"] == []
    assert system.export_status.text() == f"Exported 0 records to {out}"
    assert system.export_button.isEnabled()

    folder = tmp_path / "csv"
    system.export_format.setCurrentIndex(system.export_format.findData("csv"))
    system.choose_export_target = lambda fmt: str(folder)
    with qtbot.waitSignal(system.exported, timeout=10_000):
        system.export_journal()
    assert (folder / "glimmers.csv").exists()


def test_an_export_that_fails_is_one_line(qtbot, paths: Paths, tmp_path) -> None:
    window = make_window(qtbot, paths)
    system = window.system
    blocker_file = tmp_path / "a-file"
    blocker_file.write_text("", encoding="utf-8")
    system.choose_export_target = lambda fmt: str(blocker_file / "export.json")
    with qtbot.waitSignal(system.exported, timeout=10_000) as blocker:
        system.export_journal()
    line = blocker.args[0]
    assert line.startswith("The export did not finish: ")
    assert "\n" not in line and "Traceback" not in line
    assert system.export_status.text() == line


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


# --- saved elsewhere while the window is open --------------------------------------------


def test_save_keeps_what_another_process_saved_meanwhile(qtbot, paths: Paths) -> None:
    """`companion practice` turns the ratings off while Settings is open in the tray app:
    Save writes what was edited here, and the ratings stay off."""
    import os

    from companion.core.settings import save_settings

    window = make_window(qtbot, paths, Settings())
    save_settings(paths.settings, load_settings(paths.settings).with_changes(ratings=False))
    os.utime(paths.settings, ns=(1, 1))
    window.day.grace.setValue(5)
    assert window.save()
    saved = load_settings(paths.settings)
    assert (saved.grace_minutes, saved.ratings) == (5, False)


def test_an_open_window_shows_a_preference_saved_elsewhere_and_can_undo_it(
    qtbot, paths: Paths
) -> None:
    """The player's "don't ask me again" while Settings is open: the box shows it, and
    ticking it again turns the ratings back on."""
    store = SettingsStore(paths.settings)
    window = make_window(qtbot, paths, store=store)
    assert window.practice.ratings.isChecked()
    store.update(ratings=False)  # the player, through the same store
    assert not window.practice.ratings.isChecked()
    window.practice.ratings.setChecked(True)
    assert window.save()
    assert load_settings(paths.settings).ratings is True


def test_an_edit_on_the_same_page_survives_a_change_from_elsewhere(qtbot, paths: Paths) -> None:
    store = SettingsStore(paths.settings)
    window = make_window(qtbot, paths, store=store)
    window.practice.reduced_motion.setChecked(True)  # the person's edit on that page
    store.update(ratings=False)
    assert window.practice.reduced_motion.isChecked()
    assert window.save()
    saved = load_settings(paths.settings)
    assert (saved.reduced_motion, saved.ratings) == (True, False)


def test_the_window_stays_until_an_export_has_said_how_it_went(
    qtbot, paths: Paths, tmp_path
) -> None:
    """Cancel or Esc during an export would drop its result unseen (was the journal
    written?): the window stays, its buttons wait, and closes normally afterwards."""
    window = make_window(qtbot, paths)
    window.show()
    system = window.system
    system.choose_export_target = lambda fmt: str(tmp_path / "export.json")
    with qtbot.waitSignal(system.exported, timeout=10_000):
        system.export_journal()
        assert not window.cancel_button.isEnabled() and not window.save_button.isEnabled()
        window.reject()
        window.close()
        assert window.isVisible()
    assert window.cancel_button.isEnabled()
    assert system.export_status.text().startswith("Exported 0 records")


def test_enter_in_the_link_field_adds_the_link_and_does_not_save(qtbot, paths: Paths) -> None:
    window = make_window(qtbot, paths)
    window.show()
    cal = window.schedule.calendars
    cal.url_edit.setFocus()
    cal.url_edit.setText("https://calendar.example.org/private/TOKEN/basic.ics")
    qtbot.keyClick(cal.url_edit, Qt.Key.Key_Return)
    assert cal.calendar_list.count() == 1
    assert window.isVisible(), "Enter must not also press Save"
    assert not paths.settings.exists()


def test_an_export_from_settings_names_a_damaged_year_and_leaves_the_folder_alone(
    qtbot, paths: Paths, tmp_path
) -> None:
    """Issue 14, items 3 and 12, from the Settings window: a damaged older year is named
    under the result line, the file is 0600, and a shared folder keeps its mode."""
    import os
    import stat

    from companion.core.clock import SystemClock

    year = SystemClock().now().year
    (paths.data / f"journal-{year - 1}.json").write_bytes(b'{"meta": {"1": {"sch')
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o2775)
    window = make_window(qtbot, paths)
    system = window.system
    out = shared / "journal.json"
    system.choose_export_target = lambda fmt: str(out)
    with qtbot.waitSignal(system.exported, timeout=10_000) as blocker:
        system.export_journal()
    first, second = blocker.args[0].splitlines()
    assert first.startswith("Exported 0 records to")
    assert second.startswith(f"Not in this export: your journal for {year - 1}")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o2775


def test_delete_all_also_takes_settings_kept_aside(paths: Paths) -> None:
    """A settings file once kept aside as unreadable is the person's data too."""
    kept = paths.settings.with_name(paths.settings.name + ".unreadable-20260301-101500")
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text("{ broken", encoding="utf-8")
    assert kept in data_to_delete(paths)


def test_the_supervision_summary_is_written_from_settings(qtbot, paths: Paths, tmp_path) -> None:
    """Settings → System writes the same page as `companion export --supervision`, so
    nobody needs the command line for it."""
    from datetime import datetime, timedelta

    from companion.core import supervision
    from companion.core.clock import FakeClock
    from companion.core.journal import Journal
    from companion.core.records import DaySummaryRecord, GlimmerRecord

    now = datetime.now().astimezone()
    journal = Journal(paths, FakeClock(now)).open()
    journal.add(GlimmerRecord(at=now - timedelta(days=2), text="held", for_supervision=True))
    journal.add(GlimmerRecord(at=now - timedelta(days=1), text=f"{MARKER} unmarked"))
    journal.add(DaySummaryRecord(at=now - timedelta(days=1), sessions=4, heavy=3))
    journal.close()
    window = make_window(qtbot, paths, Settings(heavy_limit_percent=50))
    system = window.system
    button = system.supervision_button
    assert button.accessibleName() == "Write a supervision summary"
    assert button.text().replace("&", "") == "Supervision summary (Markdown)..."
    asked: list[str] = []
    out = tmp_path / "for-supervision.md"
    system.choose_export_target = lambda fmt: asked.append(fmt) or str(out)
    with qtbot.waitSignal(system.exported, timeout=10_000):
        button.click()
    assert asked == ["supervision"]
    page = out.read_text(encoding="utf-8")
    assert page == supervision.to_markdown(Journal(paths, FakeClock(now)).all(), now.date(), 50)
    assert "held" in page and MARKER not in page
    assert system.export_status.text() == f"Wrote the supervision summary (1 marked item) to {out}"
    assert oct(out.stat().st_mode & 0o777) == "0o600"
