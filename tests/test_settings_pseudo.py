"""The settings window under the pseudo-locale: every visible string is marked for
translation, and nothing is cut off, on every tab, with both schedule sources, after a
calendar Test and an export, and in the delete confirmation."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from companion.core.clock import FakeClock, local_zone
from companion.core.paths import Paths
from companion.core.settings import CalendarSource, Settings
from companion.ui import style
from tests import test_settings_window as shared
from tests.pseudo_walk import cut_off, problems
from tests.test_settings_window import PRACTICES, make_window

paths = shared.paths  # the fixtures
_close_windows = shared._close_windows

DAY = date(2026, 11, 23)


def _ics(folder: Path) -> Path:
    d = DAY.strftime("%Y%m%d")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for i, (start, end, title) in enumerate(
        [("0900", "0950", "Client A"), ("1000", "1050", "Intake B")]
    ):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{i}@test",
            f"DTSTART:{d}T{start}00",
            f"DTEND:{d}T{end}00",
            f"SUMMARY:{title}",
            "END:VEVENT",
        ]
    path = folder / "practice.ics"
    path.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    return path


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


@pytest.mark.usefixtures("pseudo_locale")
def test_every_part_of_the_settings_window_is_translated_and_fits(
    qtbot, qapp, paths: Paths, tmp_path: Path
) -> None:
    style.apply(qapp)
    ics = _ics(tmp_path)
    settings = Settings(
        heavy_keywords=("intake",),
        calendars=(CalendarSource("link1", "url", label="https://calendar.example.org/…"),),
    )
    clock = FakeClock(datetime(2026, 11, 23, 8, 0, tzinfo=local_zone()))
    window = make_window(qtbot, paths, settings, clock=clock)
    # Data, not words of the app: the data folder, the practices' own titles (they come
    # from their files), a calendar's file name and a masked link.
    allowed = [str(paths.data), *(title for _id, title in PRACTICES), str(ics), ics.name]
    allowed.append("https://calendar.example.org/…")
    window.show()
    qtbot.waitExposed(window)
    # 90 % of a 1280x800 screen at 150 %: the room the window has there.
    window.resize(768, 480)

    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        _settle()
        assert problems(window, allowed=allowed) == [], window.tabs.tabText(tab)
        area = window.tabs.currentWidget()
        assert not area.horizontalScrollBar().isVisible(), window.tabs.tabText(tab)

    # Both schedule sources, and a calendar Test's result.
    window.tabs.setCurrentIndex(0)
    window.schedule.source_calendar.setChecked(True)
    cal = window.schedule.calendars
    cal.choose_calendar_file = lambda: str(ics)
    cal.add_file()
    with qtbot.waitSignal(window.calendar_tested, timeout=10_000):
        cal.test_selected()
    _settle()
    assert cal.test_result.isVisible()
    assert problems(window, allowed=allowed) == []

    # A value refused on Save: the line under the form.
    window.day.working_end.setTime(window.day.working_start.time().addSecs(-3600))
    assert not window.save()
    _settle()
    assert problems(window, allowed=allowed) == []

    # An export's result line.
    window.tabs.setCurrentIndex(3)
    out = tmp_path / "export.json"
    window.system.choose_export_target = lambda fmt: str(out)
    with qtbot.waitSignal(window.system.exported, timeout=10_000):
        window.system.export_journal()
    _settle()
    assert window.system.export_status.isVisible()
    assert problems(window, allowed=[*allowed, str(out)]) == []

    # The delete confirmation.
    dialog = window.ask_delete_all()
    qtbot.waitExposed(dialog)
    dialog.setMaximumSize(768, 360)  # a small screen at 150 %: it scrolls, nothing is cut
    _settle()
    assert problems(dialog, allowed=allowed) == []
    dialog.reject()


@pytest.mark.parametrize("source", ["week", "calendar"])
def test_nothing_is_cut_off_in_english_either(qtbot, qapp, paths: Paths, source: str) -> None:
    style.apply(qapp)
    window = make_window(qtbot, paths, Settings(schedule_source=source))
    window.show()
    qtbot.waitExposed(window)
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        _settle()
        assert cut_off(window) == [], window.tabs.tabText(tab)
