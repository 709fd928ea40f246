"""The tray app end to end on a fake clock: offers appear and go, the player is told when
the next session starts, pauses hold, and a desktop without a tray gets a window."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal

from companion.app import App
from companion.core.clock import FakeClock
from companion.core.paths import Paths, resolve_paths
from companion.core.records import OfferRecord
from companion.ui.tray import PAUSE_REST_OF_DAY, CompanionWindow

MONDAY = date(2026, 3, 2)


def local(d: date, h: int, m: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, h, m).astimezone()


class FakeWakeups(QObject):
    wake = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.times: list[datetime] = []

    def set_times(self, times: Sequence[datetime]) -> None:
        self.times = sorted(times)

    def shutdown(self) -> None:
        self.times = []


class FakeSound:
    def __init__(self) -> None:
        self.played: list[str] = []
        self.levels: list[str] = []
        self.ticks: list[bool] = []

    def play(self, event: str) -> None:
        self.played.append(event)

    def set_level(self, level: str) -> None:
        self.levels.append(level)

    def set_ticks(self, enabled: bool) -> None:
        self.ticks.append(enabled)


def confirmed(data_dir: Path) -> Paths:
    """A data folder whose person has confirmed the built-in standing week (a fresh
    folder plans nothing until then: the app never guesses a timetable)."""
    from companion.core.settings import Settings, save_settings

    paths = resolve_paths(data_dir).ensure()
    if not paths.settings.exists():
        save_settings(paths.settings, Settings())
    return paths


def started_app(data_dir: Path, at: datetime) -> App:
    """The app on a fake clock at `at`, with the stand-in window, on the built-in week
    (confirmed), started."""
    a = App(
        confirmed(data_dir), FakeClock(at), wakeups=FakeWakeups(), tray=False, sound=FakeSound()
    )
    a.start()
    return a


def close_app(a: App) -> None:
    """Close everything the app opened (what a test leaves up would leak into the next).

    The top-level widgets are deleted by Qt (deleteLater), not left to Python's garbage
    collector: a window torn down inside a collection, its layouts' wrappers already
    cleared, crashed PySide6 in ~QBoxLayout (seen once the collector ran between tests)."""
    from PySide6.QtWidgets import QWidget

    for card in list(a.cards.values()):
        card.close()
        card.deleteLater()
    for w in list(a.windows.values()):
        w.close()
    if a.player is not None:
        a.player.close()
    for timer in (a.presence_timer, a.jump_timer, a.calendar_timer):
        timer.stop()  # a timer left running would wake a closed app in a later test
    a.view.hide()
    if isinstance(a.view, QWidget):
        a.view.quitting = True  # type: ignore[attr-defined]
        a.view.deleteLater()
    a.wakeups.shutdown()
    a.journal.close()


@pytest.fixture
def app(qtbot, data_dir: Path):  # type: ignore[no-untyped-def]
    a = started_app(data_dir, local(MONDAY, 8, 30))
    yield a
    close_app(a)


def step_to(app: App, until: datetime) -> None:
    """Move the fake clock from wake-up to wake-up, as the scheduler would."""
    clock: FakeClock = app.clock  # type: ignore[assignment]
    while True:
        upcoming = [t for t in app.wakeups.times if t > clock.now()]
        target = min([*upcoming, until])
        clock.advance((target - clock.now()).total_seconds())
        app.on_wake()
        if target >= until:
            return


def test_no_tray_gives_a_window_with_the_same_actions(app: App) -> None:
    assert isinstance(app.view, CompanionWindow)
    assert app.view.isVisible()
    assert app.view.status.text() == "Off duty · first session at 09:00"
    labels = [a.text() for a in app.view.menu.actions()]
    assert "Note a glimmer…" in labels and "Quit" in labels


def test_an_offer_appears_when_a_session_ends_and_leaves_with_its_window(app: App) -> None:
    step_to(app, local(MONDAY, 9, 49))
    assert app.cards == {}
    assert app.view.status.text() == "In a session until 09:50"  # type: ignore[union-attr]
    step_to(app, local(MONDAY, 9, 50))
    (card,) = app.cards.values()
    assert card.isVisible()
    assert card.headline.text() == "Session ended · 10 min until 10:00"
    assert card.main_button is not None and "min" in card.main_button.text()
    step_to(app, local(MONDAY, 9, 59))
    assert app.cards == {}
    assert [o.outcome for o in app.journal.query(OfferRecord)] == ["ignored"]


def test_taking_an_offer_opens_the_player_that_ends_before_the_next_session(app: App) -> None:
    step_to(app, local(MONDAY, 9, 50))
    (key,) = app.cards
    clock: FakeClock = app.clock  # type: ignore[assignment]
    clock.advance(2)
    card = app.cards[key]
    assert card.main_button is not None
    card.main_button.click()
    assert app.cards == {}
    assert app.player is not None and app.player.isVisible()
    assert [o.outcome for o in app.journal.query(OfferRecord)] == ["taken"]
    run = app.player.run  # type: ignore[attr-defined]
    deadline = local(MONDAY, 10, 0) - timedelta(minutes=1)
    assert run.exercise.total_seconds <= (deadline - clock.now()).total_seconds()


def test_pause_for_the_rest_of_the_day_holds_every_offer(app: App) -> None:
    app.intents.pause.emit(PAUSE_REST_OF_DAY)
    assert "paused" in app.view.status.text().lower()  # type: ignore[union-attr]
    step_to(app, local(MONDAY, 18, 0))
    assert app.cards == {}
    step_to(app, local(MONDAY + timedelta(days=1), 9, 51))
    assert len(app.cards) == 1  # the pause ended at midnight


def test_sleeping_through_a_window_shows_nothing_late(app: App) -> None:
    clock: FakeClock = app.clock  # type: ignore[assignment]
    step_to(app, local(MONDAY, 9, 40))
    clock.sleep(25 * 60)  # lid shut 09:40-10:05
    app.check_clock()
    assert app.cards == {}
    assert [o.outcome for o in app.journal.query(OfferRecord)] == ["missed"]


def test_practice_menu_lists_what_fits_before_the_next_session(app: App) -> None:
    step_to(app, local(MONDAY, 9, 52))
    labels = [a.text() for a in app.view.practices_menu.actions()]
    assert labels, "something fits in 8 minutes"
    assert [label for _, label in app.practices_now()] == labels
    for label in labels:
        minutes = int(label.rsplit("·", 1)[1].split()[0])
        assert minutes <= 7, f"{label} does not fit before 10:00 with a minute to spare"


def test_quit_really_quits_even_with_the_stand_in_window(app: App, qtbot) -> None:  # type: ignore[no-untyped-def]
    app.view.close()
    assert app.view.isVisible(), "closing the stand-in window must not hide the app"
    app.intents.quit.emit()
    # Qt 6 closes every window before it quits; a window that refused would cancel it.
    assert app.view.close()
    assert not app.view.isVisible()


def test_no_periodic_wake_up_more_often_than_once_a_minute(app: App) -> None:
    from PySide6.QtCore import QTimer

    repeating = [t for t in app.findChildren(QTimer) if not t.isSingleShot() and t.isActive()]
    assert repeating, "the clock-jump check should be running"
    for timer in repeating:
        assert timer.interval() >= 60_000, f"{timer.objectName()} wakes every {timer.interval()} ms"


def test_a_waiting_card_keeps_its_count_and_choices_true(app: App) -> None:
    step_to(app, local(MONDAY, 9, 50))
    (card,) = app.cards.values()
    assert card.snooze_button.isEnabled()
    clock: FakeClock = app.clock  # type: ignore[assignment]
    clock.advance(5 * 60)  # 09:55, the minute-check runs
    app.check_clock()
    assert card.headline.text() == "Session ended · 5 min until 10:00"
    for left in (4, 3):  # a practice must end by 09:59
        labels = [b.text() for b in [card.main_button, *card.other_buttons] if b is not None]
        assert labels
        for label in labels:
            assert int(label.rsplit("·", 1)[1].split()[0]) <= left, label
            assert "minute" not in label, f"{label!r} states two lengths"
        assert len(labels) == len(set(labels)), labels
        clock.advance(60)
        app.check_clock()
    # 09:57: back at 09:59 would leave no room for a practice
    app.check_clock()
    assert not card.snooze_button.isEnabled()


def test_a_click_too_late_for_any_practice_says_so_and_opens_nothing(app: App) -> None:
    said: list[str] = []
    app.view.notify = lambda title, text: said.append(text)  # type: ignore[method-assign]
    step_to(app, local(MONDAY, 9, 50))
    (card,) = app.cards.values()
    clock: FakeClock = app.clock  # type: ignore[assignment]
    clock.advance(8 * 60 + 30)  # 09:58:30, clicked before the card's next check
    assert card.main_button is not None
    card.main_button.click()
    assert app.player is None
    assert app.cards == {}
    assert [o.outcome for o in app.journal.query(OfferRecord)] == ["missed"]
    assert said and "too little time" in said[-1].lower()


def test_a_practice_from_an_offer_keeps_the_wrap_up_margin(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from companion.core.settings import Settings, save_settings

    paths = resolve_paths(data_dir).ensure()
    save_settings(paths.settings, Settings(wrapup_minutes=4))
    clock = FakeClock(local(MONDAY, 9, 49))
    a = App(paths, clock, wakeups=FakeWakeups(), tray=False, sound=FakeSound())
    a.start()
    try:
        step_to(a, local(MONDAY, 9, 50))
        (key,) = a.cards
        offer = a.day.offer(key)
        assert offer is not None and offer.end == local(MONDAY, 9, 56)
        clock.advance(2)
        assert a.cards[key].main_button is not None
        a.cards[key].main_button.click()
        assert a.player is not None
        run = a.player.run  # type: ignore[attr-defined]
        assert run.exercise.total_seconds <= (offer.end - clock.now()).total_seconds()
        a.player.close()
    finally:
        close_app(a)


def test_the_glimmer_prompt_does_not_block_an_offer(app: App, qtbot) -> None:  # type: ignore[no-untyped-def]
    from companion.core.records import GlimmerRecord
    from companion.ui.glimmer import GlimmerDialog

    step_to(app, local(MONDAY, 9, 50))
    app.intents.glimmer.emit()
    dialog = app.windows["glimmer"]
    assert isinstance(dialog, GlimmerDialog) and dialog.isVisible()
    assert not dialog.isModal()
    clock: FakeClock = app.clock  # type: ignore[assignment]
    clock.advance(2)
    (card,) = app.cards.values()
    card.skip_button.click()  # answered while the prompt is still open
    assert [o.outcome for o in app.journal.query(OfferRecord)] == ["skipped"]
    dialog.text_edit.setText("She laughed for the first time in weeks")
    dialog.accept()
    (glimmer,) = app.journal.query(GlimmerRecord)
    assert glimmer.text == "She laughed for the first time in weeks"


def test_the_tray_icon_and_its_notification_bring_the_card_back(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from companion.ui.tray import Tray

    clock = FakeClock(local(MONDAY, 9, 40))
    a = App(confirmed(data_dir), clock, wakeups=FakeWakeups(), tray=True, sound=FakeSound())
    assert isinstance(a.view, Tray)
    said: list[str] = []
    popped: list[bool] = []
    a.view.notify = lambda title, text: said.append(text)  # type: ignore[method-assign]
    a.view.popup_menu = lambda: popped.append(True)  # type: ignore[method-assign]
    a.start()
    try:
        a.handle_command("show")  # a second `companion run` with no card waiting
        qtbot.wait(10)
        assert popped == [], "the menu must open only for a click on the icon"
        assert QApplication.activePopupWidget() is None
        assert said == ["Already running here in the tray."]  # for the second `run` only
        said.clear()
        a.intents.tray_clicked.emit()  # a click on the icon with nothing waiting: the menu
        assert popped == [True]
        step_to(a, local(MONDAY, 9, 50))
        (card,) = a.cards.values()
        card.hide()
        a.intents.show_offer.emit()  # a click on the notification
        assert card.isVisible()
        card.hide()
        a.intents.tray_clicked.emit()  # a click on the icon
        assert card.isVisible() and popped == [True]
        assert not [s for s in said if "already running" in s.lower()]
    finally:
        close_app(a)


def test_quitting_with_a_card_up_journals_it_as_ignored(app: App, qtbot) -> None:  # type: ignore[no-untyped-def]
    step_to(app, local(MONDAY, 9, 50))
    assert app.cards
    journal = app.journal
    app.quit()
    assert [o.outcome for o in journal.query(OfferRecord)] == ["ignored"]


@pytest.mark.slow
def test_quitting_never_waits_for_a_calendar_that_hangs(tmp_path: Path) -> None:
    """A feed that accepts and never answers (or any stuck read) must not hold Quit."""
    script = (
        "import threading, sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import companion.core.calendar.sources as schedule\n"
        "schedule.refresh_calendars = lambda *a, **k: threading.Event().wait()\n"
        "from companion.app import App\n"
        "from companion.core.clock import SystemClock\n"
        "from companion.core.paths import resolve_paths\n"
        "from companion.core.settings import Settings, save_settings\n"
        "qapp = QApplication([])\n"
        f"paths = resolve_paths({str(tmp_path / 'd')!r}).ensure()\n"
        "save_settings(paths.settings, Settings(schedule_source='calendar'))\n"
        "app = App(paths, SystemClock(), tray=False)\n"
        "app.start()\n"
        "QTimer.singleShot(300, app.quit)\n"
        "sys.exit(qapp.exec())\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert took < 8, f"quitting waited {took:.1f} s for the calendar"


def test_a_week_with_nothing_of_the_app_appearing_or_sounding_in_a_session(app: App) -> None:
    """DESIGN.md rule 4, end to end: at every wake-up of a simulated week (the standing
    week), nothing of the app is on screen or sounding while a session runs. Offers are
    answered in turn: skipped, snoozed, or left to close themselves."""
    from PySide6.QtWidgets import QApplication

    clock: FakeClock = app.clock  # type: ignore[assignment]
    sound: FakeSound = app.sound  # type: ignore[assignment]
    end = local(MONDAY + timedelta(days=5), 0, 0)
    answered = 0
    checked_in_session = 0
    while clock.now() < end:
        upcoming = [t for t in app.wakeups.times if t > clock.now()]
        clock.advance(((min(upcoming) if upcoming else end) - clock.now()).total_seconds())
        heard = len(sound.played)
        app.on_wake()
        if app.day.session_at(clock.now()) is not None:
            checked_in_session += 1
            visible = [
                w.objectName() or type(w).__name__
                for w in QApplication.topLevelWidgets()
                if w.isVisible() and w is not app.view
            ]
            assert visible == [], f"{visible} on screen in a session at {clock.now():%a %H:%M}"
            assert len(sound.played) == heard, f"a sound in a session at {clock.now():%a %H:%M}"
        for card in list(app.cards.values()):
            clock.advance(2)  # past the card's first-second guard
            answered += 1
            if answered % 3 == 1:
                card.skip_button.click()
            elif answered % 3 == 2 and card.snooze_button.isEnabled():
                card.snooze_button.click()
        for window in list(app.windows.values()):  # the end-of-day reflection: closed
            window.close()
    assert checked_in_session > 20, "the week never woke inside a session"
    outcomes = {o.outcome for o in app.journal.query(OfferRecord)}
    assert {"skipped", "ignored"} <= outcomes


def test_a_call_booked_after_a_skipped_offer_bounds_a_practice_from_the_menu(app: App) -> None:
    from companion.core.calendar.session import Session
    from companion.core.planner import PRACTICE_MARGIN, plan_day

    step_to(app, local(MONDAY, 9, 50))
    clock: FakeClock = app.clock  # type: ignore[assignment]
    clock.advance(2)
    (card,) = app.cards.values()
    card.skip_button.click()
    original = app.plan_for

    def with_a_call(d: date):  # type: ignore[no-untyped-def]
        plan = original(d)
        call = Session(local(MONDAY, 9, 56), local(MONDAY, 9, 59))
        return plan_day([*plan.sessions, call], app.settings, d, app.library)

    app.day.plan_for = with_a_call
    app.replan()  # the calendar refresh brings a 09:56 call
    deadline = app.practice_deadline()
    assert deadline is not None and deadline <= local(MONDAY, 9, 56) - PRACTICE_MARGIN
    app.intents.practice.emit(app.practices_now()[0][0])
    assert app.player is not None
    run = app.player.run  # type: ignore[attr-defined]
    assert clock.now() + timedelta(seconds=run.exercise.total_seconds) <= deadline


def test_the_minute_check_leaves_an_unchanged_practice_menu_alone(app: App) -> None:
    """Rebuilding the menu every minute would make it jump under the pointer."""
    step_to(app, local(MONDAY, 9, 52))
    before = list(app.view.practices_menu.actions())
    labels = [a.text() for a in before]
    assert before
    app.check_clock()  # a minute later nothing new fits: the very same entries
    assert list(app.view.practices_menu.actions()) == before
    clock: FakeClock = app.clock  # type: ignore[assignment]
    clock.advance(4 * 60)  # 09:56: less fits now, so the menu changes
    app.check_clock()
    assert [a.text() for a in app.view.practices_menu.actions()] != labels


# --- one owner for the settings, one writer for the journal ---------------------------------


def test_a_setting_saved_anywhere_reaches_the_running_day(app: App) -> None:
    """Whoever saves through the store (the settings window, the player), the app follows
    at once: the break after the first session moves with the time kept for notes."""
    plan = app.day.plan
    assert plan is not None
    first = plan.breaks[0].start
    app.store.update(grace_minutes=5)
    moved = app.day.plan
    assert moved is not None and moved.breaks[0].start == first + timedelta(minutes=5)
    assert app.day.settings.grace_minutes == 5


def test_sound_settings_reach_the_sound_without_a_restart(app: App) -> None:
    sound: FakeSound = app.sound  # type: ignore[assignment]
    app.store.update(sound="quiet", phase_ticks=False)
    assert sound.levels == ["quiet"] and sound.ticks == [False]
    app.store.update(ratings=False)  # nothing to do with sound: the sound is left alone
    assert sound.levels == ["quiet"] and sound.ticks == [False]


def test_after_deleting_everything_the_app_writes_to_a_fresh_journal(app: App) -> None:
    from companion.core.records import GlimmerRecord
    from companion.core.settings import first_run_settings

    app.store.update(grace_minutes=5)
    old = app.journal
    app.paths.settings.unlink()  # what the settings window deleted
    app._data_deleted()
    assert app.settings == first_run_settings()  # back to a first run: nothing guessed
    assert app.journal is not old and app.writer.journal is app.journal
    clock: FakeClock = app.clock  # type: ignore[assignment]
    assert app.writer.save(GlimmerRecord(at=clock.now(), text="a small good moment"))
    assert [g.text for g in app.journal.query(GlimmerRecord)] == ["a small good moment"]


def test_the_look_arrives_with_the_first_window_not_before(qtbot, qapp, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A tray icon alone has nothing to style: the app-wide stylesheet (about 0.6 MiB of
    idle memory) is given when the first window is built, here the offer card."""
    from companion.ui import style

    style.apply(qapp, defer_stylesheet=True)  # as make_qapp does at start-up
    clock = FakeClock(local(MONDAY, 9, 40))
    a = App(confirmed(data_dir), clock, wakeups=FakeWakeups(), tray=True, sound=FakeSound())
    a.view.notify = lambda title, text: None  # type: ignore[method-assign]
    a.start()
    try:
        assert qapp.styleSheet() == ""
        step_to(a, local(MONDAY, 9, 50))
        assert a.cards
        assert "QPushButton#primary" in qapp.styleSheet()
    finally:
        close_app(a)


# --- calendar reads in the background -------------------------------------------------------


class _SlowCalendar:
    """Stands in for refresh_calendars: each call waits until the test lets it finish,
    writes the cache as the real one does, and records the rules it was given."""

    def __init__(self, paths) -> None:  # type: ignore[no-untyped-def]
        import threading

        self.paths = paths
        self.calls: list[tuple[str, ...]] = []
        self.running = 0
        self.most_at_once = 0
        self.release = threading.Event()

    def __call__(self, settings, *, paths, clock):  # type: ignore[no-untyped-def]
        from companion.core.calendar.sources import DaySchedule

        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        self.calls.append(settings.exclude_keywords)
        self.release.wait(10)
        self.paths.calendar_cache.write_text("{}", encoding="utf-8")
        self.running -= 1
        return DaySchedule((), ("a problem from the calendar",))


@pytest.fixture
def slow_calendar(qtbot, data_dir: Path, monkeypatch):  # type: ignore[no-untyped-def]
    from companion.core.calendar import sources
    from companion.core.settings import CalendarSource, Settings, save_settings

    paths = resolve_paths(data_dir).ensure()
    source = CalendarSource(id="c1", kind="file", path=str(data_dir / "none.ics"), label="x")
    save_settings(paths.settings, Settings(schedule_source="calendar", calendars=(source,)))
    fake = _SlowCalendar(paths)
    monkeypatch.setattr(sources, "refresh_calendars", fake)
    a = App(paths, FakeClock(local(MONDAY, 8, 30)), wakeups=FakeWakeups(), tray=False)
    a.start()
    yield a, fake
    fake.release.set()
    close_app(a)


def test_an_older_calendar_read_never_overwrites_a_newer_one(slow_calendar, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Typing "lunch" into exclude while a slow read runs: the next read starts only when
    that one is back, with "lunch" in it, so the last word is the newest settings'."""
    app, fake = slow_calendar
    qtbot.waitUntil(lambda: fake.running == 1)
    app.store.update(exclude_keywords=("lunch",))
    app.store.update(heavy_keywords=("intake",))  # two changes: still one more read
    assert fake.calls == [()]
    fake.release.set()
    qtbot.waitUntil(lambda: len(fake.calls) == 2 and fake.running == 0 and not app._reading)
    assert fake.calls == [(), ("lunch",)]
    assert fake.most_at_once == 1


def test_a_read_under_way_cannot_bring_back_deleted_data(slow_calendar, qtbot) -> None:  # type: ignore[no-untyped-def]
    app, fake = slow_calendar
    qtbot.waitUntil(lambda: fake.running == 1)
    app.paths.settings.unlink()
    app._data_deleted()  # "Delete all my data" while the read runs
    fake.release.set()
    qtbot.waitUntil(lambda: fake.running == 0 and not app._reading)
    assert not app.paths.calendar_cache.exists()
    assert app.calendar_problems == ()


def test_switching_to_a_standing_week_mid_read_leaves_no_calendar_problem(
    slow_calendar, qtbot
) -> None:  # type: ignore[no-untyped-def]
    app, fake = slow_calendar
    qtbot.waitUntil(lambda: fake.running == 1)
    app.store.update(schedule_source="week")
    fake.release.set()
    qtbot.waitUntil(lambda: fake.running == 0 and not app._reading)
    assert app.calendar_problems == ()
    assert len(fake.calls) == 1


def test_the_reflection_opened_on_a_new_day_is_that_day_s(app: App, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A reflection closed on Monday is not the one that opens on Tuesday (it would save
    Tuesday's words under Monday)."""
    app.open_reflection()
    monday = app.windows["reflect"]
    assert monday.day == MONDAY
    monday.close()
    qtbot.waitUntil(lambda: "reflect" not in app.windows)
    clock: FakeClock = app.clock  # type: ignore[assignment]
    clock.advance(24 * 3600)
    app.open_reflection()
    assert app.windows["reflect"].day == MONDAY + timedelta(days=1)


def test_a_glimmer_the_tray_app_cannot_save_stays_with_its_words(app: App, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 14, item 1: a full disk (or a journal lock held too long) while a glimmer
    is saved from the tray: the prompt stays open with the words and says why."""
    from companion.core.journal import JournalError

    class Locked:
        def add(self, record: object) -> str:
            raise JournalError("the journal is locked by another program for over 10 s")

    app.writer.journal = Locked()  # type: ignore[assignment]
    app.intents.glimmer.emit()
    dialog = app.windows["glimmer"]
    dialog.text_edit.setText("He remembered his daughter's birthday")
    dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.text_edit.text() == "He remembered his daughter's birthday"
    assert dialog.error.text().startswith("Not saved: the journal is locked")
