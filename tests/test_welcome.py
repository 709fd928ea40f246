"""The welcome window: finished with the keyboard alone it writes the chosen week and
preferences at once with `schedule_confirmed=True`; closed or skipped, nothing is
confirmed; a calendar file and a calendar link; the sound check with and without a
player; the coming day lists the planned breaks; every screen under the pseudo-locale."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from companion import i18n
from companion.core.calendar import secrets
from companion.core.calendar.week import week_sessions
from companion.core.clock import FakeClock, local_zone
from companion.core.exercises import load_library
from companion.core.paths import Paths, resolve_paths
from companion.core.planner import plan_day
from companion.core.quick_week import Gap, QuickWeek, build
from companion.core.settings import Settings, WeeklySession, load_settings
from companion.runtime.settings_store import SettingsStore
from companion.runtime.sound import install_hint
from companion.ui import text
from companion.ui.welcome import WelcomeWindow
from tests.pseudo_walk import problems
from tests.test_settings_window import FakeAutostart, all_texts

DAY = date(2026, 11, 23)  # a Monday
MARKER = "ZZMARKER-Jane-Doe"  # an event title: it must never be shown
QUARTER_PAST = QuickWeek(
    days=frozenset({0, 1, 2, 3}),
    first="09:15",
    last="16:15",
    minutes=50,
    every=60,
    gap=Gap("12:15", "13:15"),
)


class FakeSound:
    """The app's Sound, as far as the welcome uses it."""

    def __init__(self, *, player: bool = True, level: str = "normal") -> None:
        self.player = player
        self.level = level
        self.played: list[str] = []
        self.levels: list[str] = []

    def available(self) -> bool:
        return self.player

    def play(self, event: str) -> None:
        if self.level != "mute":
            self.played.append(event)

    def set_level(self, level: str) -> None:
        self.levels.append(level)
        self.level = level


@pytest.fixture(autouse=True)
def _plain_times() -> Iterator[None]:
    i18n.set_time_format(None)  # times as HH:MM, whatever another test installed
    yield
    i18n.set_time_format(None)


@pytest.fixture
def paths() -> Paths:
    return resolve_paths().ensure()


@pytest.fixture(scope="module")
def library() -> Any:
    return load_library(None)


_open: list[QWidget] = []


@pytest.fixture(autouse=True)
def _close_windows() -> Iterator[None]:
    yield
    while _open:
        w = _open.pop()
        if shiboken6.isValid(w):
            w.close()
            w.deleteLater()


def clock(hour: int = 8, minute: int = 0) -> FakeClock:
    return FakeClock(datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=local_zone()))


def make(
    qtbot: Any,
    paths: Paths,
    library: Any,
    settings: Settings | None = None,
    *,
    show: bool = True,
    **kw: Any,
) -> tuple[WelcomeWindow, SettingsStore, list[bool]]:
    store = SettingsStore(paths.settings)
    if settings is not None:
        store.replace(settings)
    kw.setdefault("clock", clock())
    kw.setdefault("sound", FakeSound())
    kw.setdefault("autostart", FakeAutostart())
    window = WelcomeWindow(store, paths, library, **kw)
    _open.append(window)
    finished: list[bool] = []
    window.finished.connect(finished.append)
    if show:
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        assert QTest.qWaitForWindowActive(window)
    return window, store, finished


def press(
    window: WelcomeWindow, key: Qt.Key, modifier: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key as the person presses it: to the focused widget, through the window system
    (so mnemonics and Tab work as they do on a desktop)."""
    QTest.keyClick(window.windowHandle(), key, modifier)


def alt(window: WelcomeWindow, key: Qt.Key) -> None:
    """A mnemonic (Alt and the underlined letter). A button's mnemonic clicks it the way
    Qt does, as an animated click that lands a moment later: wait for it."""
    press(window, key, Qt.KeyboardModifier.AltModifier)
    QTest.qWait(250)


def type_keys(window: WelcomeWindow, keys: str) -> None:
    for ch in keys:
        QTest.keyClick(window.windowHandle(), ch)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def _ics(folder: Path, day: date = DAY) -> Path:
    d = day.strftime("%Y%m%d")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    events = [
        ("0915", "1005", f"{MARKER} A"),
        ("1015", "1105", f"{MARKER} intake"),
        ("1230", "1315", "Lunch"),
        ("1315", "1405", f"{MARKER} C"),
    ]
    for i, (start, end, title) in enumerate(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{i}@test",
            f"DTSTART:{d}T{start}00",
            f"DTEND:{d}T{end}00",
            f"SUMMARY:{title}",
            f"DESCRIPTION:{MARKER} notes",
            "END:VEVENT",
        ]
    path = folder / "practice.ics"
    path.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    return path


# --- the keyboard alone --------------------------------------------------------------------------


def test_finishing_with_the_keyboard_alone_writes_the_week_and_confirms_it(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    sound, autostart = FakeSound(), FakeAutostart()
    window, store, finished = make(qtbot, paths, library, sound=sound, autostart=autostart)
    assert focused() is window.next_button
    press(window, Qt.Key.Key_Return)  # what will happen -> when do you see clients?
    schedule = window.schedule
    assert window.current() is schedule
    assert focused() is schedule.use_week

    press(window, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # "On these days"
    assert focused() is schedule.day_chips[0]
    for _ in range(4):
        press(window, Qt.Key.Key_Tab)
    assert focused() is schedule.day_chips[4]  # Friday
    press(window, Qt.Key.Key_Space)  # off: Monday to Thursday
    press(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    assert focused() is schedule.first_edit
    type_keys(window, "0915")
    press(window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert focused() is schedule.last_edit
    type_keys(window, "1615")
    for _ in range(4):  # length, every, "a gap", then the gap's start
        press(window, Qt.Key.Key_Tab)
    assert focused() is schedule.gap_start
    type_keys(window, "1215")
    press(window, Qt.Key.Key_Tab)
    assert focused() is schedule.gap_end
    type_keys(window, "1315")
    assert schedule.spec() == QUARTER_PAST
    assert schedule.timeline.week() == build(QUARTER_PAST)  # drawn as it was typed

    press(window, Qt.Key.Key_Return)  # -> time for notes
    assert window.current() is window.notes
    assert focused() is window.notes.grace
    assert window.notes.grace.value() == 5
    press(window, Qt.Key.Key_Return)  # -> start when I log in
    assert window.login.start_at_login.isChecked()
    press(window, Qt.Key.Key_Return)  # -> sound check
    assert focused() is window.sound_check.play_button
    press(window, Qt.Key.Key_Space)  # play the chime
    assert sound.played == ["start"]
    for _ in range(3):  # Skip, Back, Next
        press(window, Qt.Key.Key_Tab)
    assert focused() is window.next_button
    press(window, Qt.Key.Key_Return)  # -> the coming day
    assert window.current() is window.coming
    assert window.coming.lines[0].startswith("09:15–10:05")
    assert store.settings.schedule_confirmed is False  # nothing is written before Done
    assert not paths.settings.exists()
    press(window, Qt.Key.Key_Return)  # Done

    assert finished == [True]
    assert not window.isVisible()
    saved = load_settings(paths.settings)
    assert saved.schedule_confirmed is True
    assert saved.schedule_source == "week"
    assert saved.week == build(QUARTER_PAST)
    assert saved.grace_minutes == 5
    assert saved.start_at_login is True
    assert autostart.calls == ["enable"]
    assert saved.sound == "normal"
    assert store.settings == saved


def test_enter_presses_the_focused_button_and_escape_closes(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    window, _store, finished = make(qtbot, paths, library)
    press(window, Qt.Key.Key_Return)
    window.go(2)
    window.back_button.setFocus()
    press(window, Qt.Key.Key_Return)  # Back, not Next
    assert window.current() is window.schedule
    press(window, Qt.Key.Key_Escape)
    assert finished == [False]
    assert not window.isVisible()


def test_a_week_that_cannot_be_meant_keeps_the_person_on_the_screen(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    window, _store, _finished = make(qtbot, paths, library)
    window.go(1)
    schedule = window.schedule
    schedule.last_edit.setTime(schedule.last_edit.time().addSecs(30 * 60))  # 16:30
    assert schedule.error.isVisibleTo(window)
    assert schedule.error.text() == (
        "No session starts at 16:30: from 13:00 they start every 60 min, "
        "so the last could be 16:00 or 17:00."
    )
    press(window, Qt.Key.Key_Return)
    assert window.current() is schedule
    assert focused() is schedule.last_edit  # where to change it
    type_keys(window, "1600")
    assert schedule.error.isHidden()
    press(window, Qt.Key.Key_Return)
    assert window.current() is window.notes


# --- closing early, skipping -------------------------------------------------------------------


def test_closing_early_leaves_the_schedule_unconfirmed(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    window, store, finished = make(qtbot, paths, library)
    press(window, Qt.Key.Key_Return)
    window.schedule.day_chips[5].setChecked(True)
    window.close()
    assert finished == [False]
    assert store.settings.schedule_confirmed is False
    assert not paths.settings.exists()  # nothing written at all

    again, store, finished = make(qtbot, paths, library)
    alt(again, Qt.Key.Key_N)  # "Not now"
    assert finished == [False]
    assert not again.isVisible()
    assert not paths.settings.exists()


def test_skipping_the_schedule_confirms_nothing_but_keeps_the_rest(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    autostart = FakeAutostart()
    window, _store, finished = make(qtbot, paths, library, autostart=autostart)
    press(window, Qt.Key.Key_Return)
    alt(window, Qt.Key.Key_K)  # Skip the schedule
    assert window.current() is window.notes
    window.notes.grace.setValue(7)
    window.next()
    window.login.start_at_login.setChecked(False)
    window.next()
    window.skip()  # the sound check
    assert window.current() is window.coming
    assert "not set up yet" in window.coming.message.text()
    assert window.coming.lines == []
    window.next()  # Done
    assert finished == [False]
    saved = load_settings(paths.settings)
    assert saved.schedule_confirmed is False
    assert saved.week == Settings().week  # the built-in week is not taken as theirs
    assert (saved.grace_minutes, saved.start_at_login) == (7, False)
    assert autostart.calls == []


# --- a calendar ---------------------------------------------------------------------------------


def test_the_calendar_path_with_a_real_ics_file(
    qtbot: Any, paths: Paths, library: Any, tmp_path: Path
) -> None:
    ics = _ics(tmp_path)
    window, _store, finished = make(qtbot, paths, library)
    window.go(1)
    schedule = window.schedule
    alt(window, Qt.Key.Key_C)  # "My calendar"
    assert schedule.uses_calendar()
    assert schedule.calendars.isVisibleTo(window) and not schedule.quick.isVisibleTo(window)
    window.next()
    assert window.current() is schedule  # no calendar yet: it says so and stays
    assert "Add a calendar file or link" in schedule.calendar_error.text()

    calendars = schedule.calendars
    calendars.choose_calendar_file = lambda: str(ics)
    calendars.add_file()
    calendars.exclude_edit.setText("lunch")
    with qtbot.waitSignal(calendars.tested, timeout=10_000) as blocker:
        calendars.test_selected()
    assert (
        blocker.args[0] == f"Today in {ics.name}: 3 sessions\n09:15–10:05\n10:15–11:05\n13:15–14:05"
    )

    window.next()
    for _ in range(3):
        window.next()
    assert window.current() is window.coming
    qtbot.waitUntil(lambda: bool(window.coming.lines), timeout=10_000)
    lines = window.coming.lines
    assert [line.split("  ")[0] for line in lines if line.endswith("Session")] == [
        "09:15–10:05",
        "10:15–11:05",
        "13:15–14:05",
    ]
    assert any(line.startswith("11:10–13:14  Break, 124 min") for line in lines)
    visible = all_texts(window).replace(str(ics), "").replace(ics.name, "")
    assert MARKER not in visible and "Lunch" not in visible

    window.next()  # Done
    assert finished == [True]
    saved = load_settings(paths.settings)
    assert saved.schedule_confirmed is True
    assert saved.schedule_source == "calendar"
    assert [c.path for c in saved.calendars] == [str(ics)]
    assert saved.exclude_keywords == ("lunch",)
    assert saved.week == Settings().week  # the week is left as it was


def test_a_calendar_link_goes_to_the_keyring_and_is_read_for_the_coming_day(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    url = "https://calendar.example.org/private/SECRET-TOKEN/basic.ics"
    read: list[list[str]] = []

    def read_days(specs: list[str], rules: Settings, first_day: date, days: int) -> Any:
        read.append(specs)
        from companion.core.calendar.session import Session, local_at

        return [
            Session(local_at(DAY, time(9)), local_at(DAY, time(9, 50))),
            Session(local_at(DAY, time(10)), local_at(DAY, time(10, 50))),
        ]

    window, _store, finished = make(qtbot, paths, library)
    window.read_calendar_days = read_days
    window.go(1)
    schedule = window.schedule
    schedule.use_calendar.setChecked(True)
    schedule.calendars.url_edit.setText(url)
    schedule.calendars.add_url()
    for _ in range(5):
        window.next()
    qtbot.waitUntil(lambda: bool(window.coming.lines), timeout=10_000)
    assert read == [[url]]
    assert window.coming.lines[0] == "09:00–09:50  Session"
    assert window.coming.lines[1].startswith("09:55–09:59  Break, 4 min")
    assert window.coming.lines[2] == "10:00–10:50  Session"
    assert "SECRET-TOKEN" not in all_texts(window)
    window.next()
    assert finished == [True]
    (source,) = load_settings(paths.settings).calendars
    assert source.kind == "url"
    assert secrets.get_url(source.id, paths) == url
    assert "SECRET-TOKEN" not in paths.settings.read_text(encoding="utf-8")


# --- the sound check ---------------------------------------------------------------------------


def test_the_sound_check_with_a_player_plays_the_start_chime(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    sound = FakeSound(player=True)
    window, _store, finished = make(qtbot, paths, library, sound=sound)
    window.go(4)
    step = window.sound_check
    assert not step.no_player.isVisibleTo(window)
    assert not step.silent.isVisibleTo(window)  # nothing to choose: it plays
    qtbot.mouseClick(step.play_button, Qt.MouseButton.LeftButton)
    assert sound.played == ["start"]
    assert "Did you hear it?" in step.result.text()
    window.next()
    window.next()
    assert finished == [True]
    assert load_settings(paths.settings).sound == "normal"


def test_the_sound_check_without_a_player_says_what_to_install_and_can_go_silent(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    sound = FakeSound(player=False)
    window, _store, finished = make(qtbot, paths, library, sound=sound)
    window.go(4)
    step = window.sound_check
    assert step.no_player.isVisibleTo(window)
    assert step.install.text() == install_hint()  # the words of `companion doctor`
    assert "sudo apt install" in step.install.text()
    assert step.silent.isVisibleTo(window) and not step.silent.isChecked()
    step.play()
    assert sound.played == []
    alt(window, Qt.Key.Key_S)  # "Carry on silently"
    assert step.silent.isChecked()
    window.next()
    window.next()
    assert finished == [True]
    assert load_settings(paths.settings).guidance == "silent"  # silence is a guidance now


def test_without_a_player_sounds_stay_on_unless_the_person_chooses_silence(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    window, _store, _finished = make(qtbot, paths, library, sound=FakeSound(player=False))
    window.go(4)
    window.next()
    window.next()
    assert load_settings(paths.settings).sound == "normal"


def test_a_muted_sound_plays_for_the_check_and_is_muted_again(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    sound = FakeSound(level="mute")
    settings = Settings(sound="mute")
    window, store, _finished = make(qtbot, paths, library, settings, sound=sound)
    window.go(4)
    step = window.sound_check
    assert step.silent.isVisibleTo(window) and step.silent.isChecked()
    step.play()
    assert sound.played == ["start"]
    window.close()
    assert sound.level == "mute"
    assert store.settings.sound == "mute"


def test_silent_guidance_plays_for_the_check_and_is_silent_again(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    from tests.fake_sound import FakeSound as GuidedSound

    sound = GuidedSound(guidance="silent")
    window, store, _finished = make(qtbot, paths, library, Settings(guidance="silent"), sound=sound)
    window.go(4)
    step = window.sound_check
    assert step.silent.isVisibleTo(window) and step.silent.isChecked()
    step.play()
    assert sound.heard() == ["start"]
    window.close()
    assert sound.guidance == "silent"
    assert store.settings.guidance == "silent"


# --- the coming day -----------------------------------------------------------------------------


def test_the_coming_day_lists_the_planned_breaks_of_the_chosen_week(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    window, _store, _finished = make(qtbot, paths, library, clock=clock(16, 30))
    schedule = window.schedule
    window.go(1)
    for day, chip in enumerate(schedule.day_chips):
        chip.setChecked(day in QUARTER_PAST.days)
    schedule.first_edit.setTime(schedule.first_edit.time().fromString("09:15", "HH:mm"))
    schedule.last_edit.setTime(schedule.last_edit.time().fromString("16:15", "HH:mm"))
    schedule.gap_start.setTime(schedule.gap_start.time().fromString("12:15", "HH:mm"))
    schedule.gap_end.setTime(schedule.gap_end.time().fromString("13:15", "HH:mm"))
    for _ in range(4):
        window.next()
    assert window.current() is window.coming
    # Monday's last session has begun at 16:30: the coming day is Tuesday.
    tuesday = date(2026, 11, 24)
    assert window.coming.day.text() == text.day_heading(tuesday)
    settings = Settings(week=build(QUARTER_PAST), grace_minutes=5)
    plan = plan_day(week_sessions(settings, tuesday, 2), settings, tuesday, library)
    titles = {ex.id: ex.title for ex in library}
    assert len(plan.breaks) == 6
    breaks = [line for line in window.coming.lines if "Break" in line]
    assert breaks == [
        f"{text.span(b.start, b.end)}  Break, {b.minutes} min · {titles[b.exercise]}"
        for b in plan.breaks
    ]
    assert breaks[0].startswith("10:10–10:14  Break, 4 min")
    assert breaks[2].startswith("12:10–13:14  Break, 64 min")
    assert window.coming.lines[-1].endswith("End-of-day reflection")


def test_how_it_works_later_shows_the_saved_week_and_keeps_it(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    friday = (WeeklySession(4, "10:00", 90),)
    week = build(QUARTER_PAST, {4: friday})
    settings = Settings(week=week, grace_minutes=3, schedule_confirmed=True)
    autostart = FakeAutostart(on=True)
    window, _store, finished = make(qtbot, paths, library, settings, autostart=autostart)
    assert window.windowTitle().startswith("How it works")
    window.go(1)
    schedule = window.schedule
    assert schedule.spec() == QUARTER_PAST
    assert schedule.own_days() == {4: friday}
    assert schedule.differ_box.isVisibleTo(window)  # the day that differs is shown
    assert schedule.own_label.text() == "Set by hand: Friday"
    assert window.notes.grace.value() == 3
    for _ in range(5):
        window.next()
    assert finished == [True]
    saved = load_settings(paths.settings)
    assert saved.week == week
    assert saved.grace_minutes == 3
    assert autostart.calls == []  # already on


def test_a_day_that_differs_stays_when_the_quick_week_changes(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    window, _store, _finished = make(qtbot, paths, library)
    window.go(1)
    schedule = window.schedule
    schedule.differ_toggle.setChecked(True)
    editor = schedule.editor
    editor.show_day(5)  # Saturday: nothing yet
    editor.add_session()
    assert schedule.own_days() == {5: (WeeklySession(5, "09:00", 50),)}
    assert schedule.own_label.text() == "Set by hand: Saturday"
    schedule.last_edit.setTime(schedule.last_edit.time().addSecs(-3600))  # 15:00
    week = schedule.week()
    assert [s.start for s in week if s.weekday == 0][-1] == "15:00"
    assert [s.start for s in week if s.weekday == 5] == ["09:00"]
    assert editor.current_day() == 5
    schedule.reset_button.click()
    assert schedule.own_days() == {}
    assert not any(s.weekday == 5 for s in schedule.week())


def test_start_at_login_can_be_left_off_and_a_failure_is_one_line(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    class Refusing(FakeAutostart):
        def enable(self, command: list[str]) -> str:
            raise PermissionError(13, "Permission denied")

    window, _store, finished = make(qtbot, paths, library, autostart=Refusing())
    for _ in range(5):
        window.next()
    window.next()  # Done
    assert finished == []
    assert window.error_text().startswith("Not saved. Start at login could not be changed")
    assert not paths.settings.exists()
    window.back()
    window.back()
    window.login.start_at_login.setChecked(False)
    for _ in range(3):
        window.next()
    assert finished == [True]
    assert load_settings(paths.settings).start_at_login is False


# --- accessibility and the pseudo-locale -------------------------------------------------------


def _controls(window: WelcomeWindow) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QAbstractItemView)
    return [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, kinds)
        and w.isVisibleTo(window)
        and type(w.parent()).__name__ not in {"QComboBox", "QScrollArea"}
        and not isinstance(w.parent(), QAbstractSpinBox | QAbstractItemView)
        and w.objectName() != "qt_scrollarea_viewport"
    ]


def _mnemonics(window: WelcomeWindow) -> list[str]:
    keys = []
    for w in window.findChildren(QWidget):
        if isinstance(w, QAbstractButton | QLabel) and w.isVisibleTo(window):
            plain = w.text().replace("&&", "")
            if "&" in plain and "<" not in plain:
                keys.append(plain[plain.index("&") + 1].lower())
    return keys


@pytest.mark.parametrize("calendar", [False, True])
def test_every_screen_is_named_with_buddies_and_unique_mnemonics(
    qtbot: Any, paths: Paths, library: Any, calendar: bool
) -> None:
    window, _store, _finished = make(qtbot, paths, library, sound=FakeSound(player=False))
    window.schedule.use_calendar.setChecked(calendar)
    window.schedule.differ_toggle.setChecked(True)
    window.schedule.rules_toggle.setChecked(True)
    for index in range(len(window.steps)):
        window.go(index)
        unnamed = [
            f"{type(w).__name__} {w.text() if isinstance(w, QAbstractButton) else ''}"
            for w in _controls(window)
            if not w.accessibleName()
        ]
        assert unnamed == [], index
        for label in window.findChildren(QLabel):
            if label.isVisibleTo(window) and "&" in label.text().replace("&&", ""):
                assert label.buddy() is not None, label.text()
        keys = _mnemonics(window)
        assert len(keys) == len(set(keys)), (index, sorted(keys))


def test_tab_goes_through_the_screen_then_skip_back_and_next(
    qtbot: Any, paths: Paths, library: Any
) -> None:
    window, _store, _finished = make(qtbot, paths, library)
    window.go(1)
    start = focused()
    assert start is window.schedule.use_week
    seen: list[QWidget] = [start]
    for _ in range(60):  # a time field takes two Tabs: its hours, then its minutes
        press(window, Qt.Key.Key_Tab)
        widget = focused()
        assert widget is not None and window.isAncestorOf(widget)
        if widget is start:
            break  # round the window and back: no trap
        if widget not in seen:
            seen.append(widget)
    else:
        pytest.fail("Tab never came back to the first control")
    assert seen[-3:] == [window.skip_button, window.back_button, window.next_button]
    schedule = window.schedule
    order = [schedule.day_chips[0], schedule.first_edit, schedule.last_edit, schedule.length]
    assert [seen.index(w) for w in order] == sorted(seen.index(w) for w in order)


def squeezed(root: QWidget) -> list[str]:
    """Visible containers given less height than their width needs (a row of wrapped
    chips cut to one line): `pseudo_walk.cut_off` checks text, this checks the rest."""
    out = []
    for w in root.findChildren(QWidget):
        if isinstance(w, QLabel) or not w.isVisibleTo(root) or w.width() <= 0:
            continue
        if w.hasHeightForWidth() and w.height() + 1 < w.heightForWidth(w.width()):
            out.append(f"{type(w).__name__}: {w.height()} < {w.heightForWidth(w.width())}")
    return out


@pytest.mark.usefixtures("pseudo_locale", "house_style")
def test_every_screen_under_the_pseudo_locale_is_marked_and_nothing_is_cut_off(
    qtbot: Any, paths: Paths, library: Any, tmp_path: Path
) -> None:
    ics = _ics(tmp_path)
    window, _store, _finished = make(qtbot, paths, library, sound=FakeSound(player=False))
    window.resize(768, 480)  # 90 % of a 1280x800 screen at 150 %
    allowed = [str(ics), ics.name]

    def walk(what: str) -> None:
        for _ in range(8):  # a layout request climbs one level of nesting per turn
            QApplication.processEvents()
        assert problems(window, allowed=allowed) == [], what
        assert squeezed(window.stack.currentWidget()) == [], what
        area = window.stack.currentWidget()
        assert not area.horizontalScrollBar().isVisible(), what

    for index in range(len(window.steps)):
        window.go(index)
        walk(f"screen {index}")
    window.go(1)
    schedule = window.schedule
    schedule.differ_toggle.setChecked(True)
    schedule.last_edit.setTime(schedule.last_edit.time().addSecs(30 * 60))  # a refusal
    walk("the quick week, refused, with days that differ")
    schedule.use_calendar.setChecked(True)
    schedule.rules_toggle.setChecked(True)
    calendars = schedule.calendars
    calendars.choose_calendar_file = lambda: str(ics)
    calendars.add_file()
    with qtbot.waitSignal(calendars.tested, timeout=10_000):
        calendars.test_selected()
    walk("a calendar, tested")
    window.go(5)
    qtbot.waitUntil(lambda: bool(window.coming.lines), timeout=10_000)
    walk("the coming day from the calendar")
    window.sound_check.play()
    window.go(4)
    walk("the sound check after playing, with no player")
