"""The end-of-day window: keyboard-only use, drafts that survive a crash, the gentle note."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QApplication,
    QLineEdit,
    QScrollBar,
    QWidget,
)

from companion.core.clock import FakeClock
from companion.core.drafts import Draft, DraftStore
from companion.core.journal import Journal
from companion.core.paths import Paths, resolve_paths
from companion.core.records import (
    DaySummaryRecord,
    GlimmerRecord,
    NoteShownRecord,
    OfferRecord,
    PracticeRecord,
    ReflectionRecord,
)
from companion.core.settings import Settings
from companion.core.writer import JournalWriter, Saved, failure_line
from companion.ui import style
from companion.ui.reflection import ReflectionWindow

TZ = timezone(timedelta(hours=1))
THURSDAY = date(2026, 3, 5)
FRIDAY = date(2026, 3, 6)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return resolve_paths(tmp_path / "data").ensure()


def make(qtbot, paths: Paths, day: date = THURSDAY, **kw) -> ReflectionWindow:  # type: ignore[no-untyped-def]
    clock = kw.pop("clock", None) or FakeClock(at(day, 17, 5))
    journal = kw.pop("journal", None) or Journal(paths, clock).open()
    settings = kw.pop("settings", Settings())
    kw.setdefault("save", JournalWriter(journal).save)
    win = ReflectionWindow(journal, clock, settings, paths, **kw)
    qtbot.addWidget(win)
    return win


def reflections(paths: Paths) -> list[ReflectionRecord]:
    return Journal(paths, FakeClock(at(FRIDAY, 20))).query(ReflectionRecord)


def press(qtbot, key: Qt.Key, times: int = 1) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        qtbot.keyClick(widget, key)


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(QApplication.focusWidget(), text)


# --- today at a glance ------------------------------------------------------------------------


def test_the_glance_shows_today(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(THURSDAY, 17, 5))
    journal = Journal(paths, clock).open()
    journal.add(DaySummaryRecord(at=at(THURSDAY, 12), sessions=3, heavy=1))
    for hh, outcome in ((9, "taken"), (10, "skipped"), (11, "taken")):
        journal.add(
            OfferRecord(
                at=at(THURSDAY, hh, 50),
                window_start=at(THURSDAY, hh, 50),
                window_end=at(THURSDAY, hh, 59),
                outcome=outcome,
            )
        )
    journal.add(
        PracticeRecord(
            at=at(THURSDAY, 9, 51),
            exercise="box-5",
            planned_seconds=300,
            actual_seconds=300,
            completed=True,
        )
    )
    journal.add(GlimmerRecord(at=at(THURSDAY, 11, 55), text="he laughed at his own joke"))
    journal.add(GlimmerRecord(at=at(THURSDAY - timedelta(days=30), 10), text="a month ago"))
    win = make(qtbot, paths, clock=clock, journal=journal, today_sessions=6, today_heavy=2)
    g = win.glance_data
    assert (g.sessions, g.heavy, g.offered, g.taken, g.practice_minutes) == (6, 2, 3, 2, 5)
    assert "he laughed at his own joke" in win.glimmers_today.text()
    assert win.reminder_glimmer is not None and win.reminder_glimmer.text == "a month ago"
    assert "a month ago" in win.reminder.text()
    names = [w.accessibleName() for w in win.findChildren(QWidget)]
    assert "6 sessions, 2 heavy" in names and "2 of 3 breaks taken" in names
    win.set_live_counts(7, 2)
    assert win.glance_data.sessions == 7
    assert not win.week_due and not win.week_box.isVisibleTo(win)


def test_every_control_has_an_accessible_name(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths, FRIDAY)
    assert win.week_due
    controls = [
        w
        for w in win.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QAbstractSlider | QLineEdit)
        and not isinstance(w, QScrollBar)
    ]
    # 5 lines (with the monthly one), 8 places, 3 sliders, 6 signs, the supervision flag,
    # 3 weekly answers, the buttons and the support link
    assert len(controls) >= 5 + 8 + 3 + 6 + 1 + 3 + 3 + 1
    assert [w for w in controls if not w.accessibleName()] == []
    hint = "identify a client"
    assert all(hint in win.fields[k].accessibleDescription() for k in win.fields)


# --- keyboard only ----------------------------------------------------------------------------


def test_keyboard_only_completion_on_the_weekly_day(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths, FRIDAY)
    with qtbot.waitExposed(win):
        win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.fields["went_well"])

    type_text(qtbot, "I ate lunch away from my desk")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "She called her sister for the first time in years")
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is win.chips["chest"]
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab, 7)
    assert QApplication.focusWidget() is win.chips["numb"]
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "A warmth, then flat")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Tuesday")
    press(qtbot, Qt.Key.Key_Tab)
    assert win.monthly  # the month's first reflection
    type_text(qtbot, "the moment someone breathes out")
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is win.sliders["still_with_me"].slider
    press(qtbot, Qt.Key.Key_Right, 3)  # 5 -> 8
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Home)  # energy 0
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_End)  # connected 10
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is win.checks["intrusion"]
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab, 3)
    assert QApplication.focusWidget() is win.checks["body"]
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is win.checks["hyperarousal"]
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is win.checks["worldview"]
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is win.for_supervision
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is win.supervision["yes"]
    press(qtbot, Qt.Key.Key_Right)  # move within the group to "No"
    press(qtbot, Qt.Key.Key_Space)
    assert win.supervision["no"].isChecked()
    # Tab leaves the group; on to Save (the glimmer button is there only when its module is)
    for _ in range(4):
        if QApplication.focusWidget() is win.save_button:
            break
        press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is win.save_button
    with qtbot.waitSignal(win.saved) as got:
        press(qtbot, Qt.Key.Key_Space)

    record = got.args[0]
    [stored] = reflections(paths)
    assert stored == record
    assert stored.went_well == "I ate lunch away from my desk"
    assert stored.resilience == "She called her sister for the first time in years"
    assert stored.felt_in == ("chest", "numb")
    assert stored.body == "A warmth, then flat"
    assert stored.set_down == "Tuesday"
    assert stored.keeps_me == "the moment someone breathes out"
    assert (stored.still_with_me, stored.energy, stored.connected) == (8, 0, 10)
    assert stored.warning_signs == ("intrusion", "body", "hyperarousal", "worldview")
    assert stored.for_supervision
    assert stored.supervision == "no" and not stored.skipped and stored.day == FRIDAY
    assert not win.isVisible()
    assert DraftStore(paths).load(FRIDAY) is None


def test_ctrl_enter_saves_and_untouched_sliders_stay_unanswered(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths)
    with qtbot.waitExposed(win):
        win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.fields["went_well"])
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "a small one")
    press(qtbot, Qt.Key.Key_Tab)  # on a chip: Ctrl+Enter saves from anywhere
    qtbot.keyClick(win.chips["chest"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [stored] = reflections(paths)
    assert stored.resilience == "a small one"
    assert (stored.still_with_me, stored.energy, stored.connected) == (None, None, None)
    assert stored.supervision is None  # no week on a Thursday


def test_skip_today(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths)
    win.fields["body"].setText("half typed")
    win.save_draft()
    assert DraftStore(paths).load(THURSDAY) is not None
    with qtbot.waitSignal(win.skipped):
        qtbot.mouseClick(win.skip_button, Qt.MouseButton.LeftButton)
    [stored] = reflections(paths)
    assert stored.skipped and stored.day == THURSDAY and stored.resilience == ""
    assert DraftStore(paths).load(THURSDAY) is None


# --- drafts -----------------------------------------------------------------------------------


def test_typing_saves_a_draft_that_comes_back(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths, FRIDAY)
    win.fields["resilience"].setText("a first step")
    win.sliders["energy"].slider.setValue(3)
    win.checks["avoidance"].setChecked(True)
    win.supervision["not-needed"].setChecked(True)
    assert win._draft_timer.isActive()  # debounced: not written on every keystroke
    qtbot.waitUntil(lambda: DraftStore(paths).load(FRIDAY) is not None, timeout=3000)
    win.close()  # closing keeps the draft, it does not save a reflection
    assert reflections(paths) == []

    again = make(qtbot, paths, FRIDAY)
    assert again.fields["resilience"].text() == "a first step"
    assert again.sliders["energy"].value() == 3
    assert again.sliders["still_with_me"].value() is None
    assert again.checks["avoidance"].isChecked() and not again.checks["body"].isChecked()
    assert again.supervision["not-needed"].isChecked()


def test_a_draft_from_another_day_is_not_restored(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    DraftStore(paths).save(Draft(day=THURSDAY - timedelta(days=1), resilience="yesterday"))
    win = make(qtbot, paths)
    assert win.fields["resilience"].text() == ""


def test_reopening_after_saving_shows_todays_answers(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths)
    win.fields["went_well"].setText("kept my boundary")
    win.chips["not sure"].setChecked(True)
    win.for_supervision.setChecked(True)
    win.sliders["connected"].slider.setValue(7)
    win.save()
    again = make(qtbot, paths)
    assert again.fields["went_well"].text() == "kept my boundary"
    assert again.chips["not sure"].isChecked() and again.for_supervision.isChecked()
    assert again.sliders["connected"].value() == 7


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from companion.core.drafts import Draft, DraftStore
    from companion.core.paths import resolve_paths
    store = DraftStore(resolve_paths(sys.argv[1]).ensure())
    day = date.fromisoformat(sys.argv[2])
    n = 0
    while True:
        store.save(Draft(day=day, resilience=f"draft {n} " + "words " * 70, energy=n % 11))
        print(n, flush=True)
        n += 1
    """
)


@pytest.mark.slow
def test_the_draft_survives_a_killed_process(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    """A process writing drafts as fast as it can is SIGKILLed; the window restores a whole one."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(paths.data), THURSDAY.isoformat()],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert proc.stdout is not None
    last = -1
    try:
        for line in proc.stdout:
            last = int(line)
            if last >= 25:
                break
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    win = make(qtbot, paths)
    text = win.fields["resilience"].text()
    n = int(text.split()[1])
    assert n >= last  # the last confirmed draft, or one written after it
    assert text == f"draft {n} " + "words " * 70  # whole, not torn
    assert win.sliders["energy"].value() == n % 11


# --- the gentle note --------------------------------------------------------------------------


def _strained_week(journal: Journal, end: date, high: int) -> None:
    for n in range(1, 8):
        day = end - timedelta(days=n)
        journal.add(ReflectionRecord(at=at(day, 17), day=day, still_with_me=8 if n <= high else 3))


def test_the_note_shows_once_and_can_be_dismissed(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(THURSDAY, 17, 5))
    journal = Journal(paths, clock).open()
    _strained_week(journal, THURSDAY, 4)
    win = make(qtbot, paths, clock=clock, journal=journal)
    assert win.note_frame.isVisibleTo(win)
    text = win.note_text.text()
    assert "supervision" in text and "peer consultation" in text and "own therapy" in text
    assert "https://proqol.org" in text and "not a verdict" in text
    [shown] = journal.query(NoteShownRecord)
    assert not shown.dismissed and "4 of your last 7" in shown.note
    qtbot.mouseClick(win.note_dismiss, Qt.MouseButton.LeftButton)
    assert not win.note_frame.isVisibleTo(win)
    assert [n.dismissed for n in journal.query(NoteShownRecord)] == [False, True]

    # later the same week: no note, however strained
    clock.advance(3 * 86400)
    later = make(qtbot, paths, clock=clock, journal=journal)
    assert not later.note_frame.isVisibleTo(later)


def test_three_high_days_and_no_note_until_todays_answers_make_four(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(THURSDAY, 17, 5))
    journal = Journal(paths, clock).open()
    _strained_week(journal, THURSDAY, 3)
    win = make(qtbot, paths, clock=clock, journal=journal)
    assert not win.note_frame.isVisibleTo(win)
    assert journal.query(NoteShownRecord) == []
    with qtbot.waitExposed(win):
        win.show()
    win.sliders["still_with_me"].slider.setValue(9)
    win.save()
    # saved, and today's answer made a pattern: the window stays to show the note
    assert win.isVisible() and win.note_frame.isVisible() and win.close_button.isVisible()
    assert not win.form.isVisible()
    assert len(journal.query(NoteShownRecord)) == 1
    qtbot.mouseClick(win.note_dismiss, Qt.MouseButton.LeftButton)
    assert not win.isVisible()


# --- light and dark ---------------------------------------------------------------------------


@pytest.mark.parametrize("dark", [False, True])
def test_renders_light_and_dark(qtbot, paths: Paths, dark: bool) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    try:
        style.apply(app, dark=dark)
        win = make(qtbot, paths, FRIDAY)
        with qtbot.waitExposed(win):
            win.show()
        image = win.grab().toImage()
        assert not image.isNull()
        assert style.is_dark(win) == dark
    finally:
        app.setPalette(before)


# --- the week and the glimmer prompt ----------------------------------------------------------


def test_the_week_section_on_the_weekly_day(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(FRIDAY, 17, 5))
    journal = Journal(paths, clock).open()
    for n in range(1, 5):
        day = FRIDAY - timedelta(days=n)
        journal.add(DaySummaryRecord(at=at(day, 18), sessions=6, heavy=4))
        journal.add(ReflectionRecord(at=at(day, 18), day=day, energy=4))
        before = day - timedelta(days=7)
        journal.add(ReflectionRecord(at=at(before, 18), day=before, energy=6))
    settings = Settings(heavy_limit_percent=50, weekly_review_day=4)
    win = make(qtbot, paths, clock=clock, journal=journal, settings=settings, today_sessions=6)
    assert win.week_due and win.week_box.isVisibleTo(win)
    assert (win.week.sessions, win.week.heavy) == (30, 16)
    text = " ".join(win.week_lines)
    assert "30 sessions, 16 heavy: 53 % heavy, above your own limit of 50 %." in text
    assert "Energy: 4.0 on average, lower than the week before (6.0)." in text
    assert "No practices this week · no glimmers noted" in text
    assert "supervision" in win.findChild(QWidget, "sup-yes").accessibleName().lower()
    win.supervision["not-needed"].setChecked(True)
    assert win.save().supervision == "not-needed"


def test_note_a_glimmer_from_the_reflection(qtbot, paths: Paths, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked = []

    def fake_prompt(parent, save, clock, source):  # type: ignore[no-untyped-def]
        asked.append(source)
        record = GlimmerRecord(at=clock.now(), text="the light on the stairs", source=source)
        assert save(record)

    from companion.ui import reflection

    monkeypatch.setattr(reflection, "_glimmer_prompt", lambda: fake_prompt)
    win = make(qtbot, paths)
    qtbot.mouseClick(win.glimmer_button, Qt.MouseButton.LeftButton)
    assert asked == ["reflection"]
    assert [g.text for g in win.glance_data.glimmers] == ["the light on the stairs"]
    assert "the light on the stairs" in win.glimmers_today.text()


def test_companion_reflect_asks_for_the_window(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from companion import cli
    from companion.commands import _window

    opened = []
    monkeypatch.setattr(_window, "open_window", lambda which, args: opened.append(which) or 0)
    assert cli.main(["reflect"]) == 0
    assert opened == ["reflect"]


# --- one writer: a save that fails loses nothing ---------------------------------------------

FULL = "Not saved: No space left on device. What you wrote is still here; try again in a moment."


class FullDisk:
    """A `save` that fails while the disk is full, then writes through the real writer."""

    def __init__(self, journal: Journal) -> None:
        self.full = True
        self.writer = JournalWriter(journal)
        self.tried: list[object] = []

    def save(self, record):  # type: ignore[no-untyped-def]
        self.tried.append(record)
        if self.full:  # the writer's own line, in the language of the moment
            return Saved(False, failure_line("No space left on device"))
        return self.writer.save(record)


def test_a_failed_save_keeps_the_window_and_every_word(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(THURSDAY, 17, 5))
    journal = Journal(paths, clock).open()
    disk = FullDisk(journal)
    win = make(qtbot, paths, clock=clock, journal=journal, save=disk.save)
    with qtbot.waitExposed(win):
        win.show()
    got: list[ReflectionRecord] = []
    win.saved.connect(got.append)
    win.fields["resilience"].setText("she laughed at the end")
    win.sliders["energy"].slider.setValue(6)
    win.checks["body"].setChecked(True)

    qtbot.mouseClick(win.save_button, Qt.MouseButton.LeftButton)
    assert len(disk.tried) == 1  # it did try, through the one writer
    assert win.isVisible() and win.save_button.isVisible() and win.form.isVisible()
    assert win.error.isVisible() and win.error.text() == FULL
    assert win.fields["resilience"].text() == "she laughed at the end"
    draft = DraftStore(paths).load(THURSDAY)  # kept on disk at once, not discarded
    assert draft is not None and draft.resilience == "she laughed at the end"
    assert draft.energy == 6 and draft.warning_signs == ("body",)
    assert reflections(paths) == [] and got == []

    disk.full = False  # the disk is fixed: Save simply works
    qtbot.mouseClick(win.save_button, Qt.MouseButton.LeftButton)
    [stored] = reflections(paths)
    assert stored.resilience == "she laughed at the end" and stored.energy == 6
    assert got == [stored]
    assert not win.isVisible()
    assert DraftStore(paths).load(THURSDAY) is None


def test_a_failed_skip_keeps_the_window_and_the_draft(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(THURSDAY, 17, 5))
    journal = Journal(paths, clock).open()
    disk = FullDisk(journal)
    win = make(qtbot, paths, clock=clock, journal=journal, save=disk.save)
    with qtbot.waitExposed(win):
        win.show()
    win.fields["body"].setText("tight shoulders")
    skipped: list[bool] = []
    win.skipped.connect(lambda: skipped.append(True))

    qtbot.mouseClick(win.skip_button, Qt.MouseButton.LeftButton)
    assert win.isVisible() and win.error.isVisible() and win.error.text() == FULL
    assert win.fields["body"].text() == "tight shoulders"
    draft = DraftStore(paths).load(THURSDAY)
    assert draft is not None and draft.body == "tight shoulders"
    assert reflections(paths) == [] and skipped == []

    disk.full = False
    qtbot.mouseClick(win.skip_button, Qt.MouseButton.LeftButton)
    [stored] = reflections(paths)
    assert stored.skipped and skipped == [True] and not win.isVisible()


def test_a_glimmer_from_the_reflection_goes_through_its_save(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    """The real glimmer dialog is given the window's `save`: when the disk is full it
    stays open with the words; once fixed, Save keeps the glimmer and the glance shows it."""
    from companion.ui.glimmer import GlimmerDialog

    clock = FakeClock(at(THURSDAY, 17, 5))
    journal = Journal(paths, clock).open()
    disk = FullDisk(journal)
    win = make(qtbot, paths, clock=clock, journal=journal, save=disk.save)
    with qtbot.waitExposed(win):
        win.show()
    seen: list[tuple[bool, str]] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, GlimmerDialog)
        qtbot.keyClicks(dialog.text_edit, "the light on the stairs")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen.append((dialog.isVisible(), dialog.text_edit.text()))
        disk.full = False
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(win.glimmer_button, Qt.MouseButton.LeftButton)
    assert seen == [(True, "the light on the stairs")]  # a failed save kept it open
    assert [type(r).__name__ for r in disk.tried] == ["GlimmerRecord", "GlimmerRecord"]
    [stored] = journal.query(GlimmerRecord)
    assert stored.text == "the light on the stairs" and stored.source == "reflection"
    assert "the light on the stairs" in win.glimmers_today.text()


# --- every word translatable, nothing cut off -------------------------------------------------


def _walk(qtbot, win: ReflectionWindow, typed: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    from tests.pseudo_walk import problems

    if not win.isVisible():
        with qtbot.waitExposed(win):
            win.show()
    QApplication.processEvents()
    return problems(win, allowed=typed)


@pytest.fixture
def styled(qapp):  # type: ignore[no-untyped-def]
    before = qapp.palette()
    style.apply(qapp, dark=False)
    yield
    qapp.setPalette(before)
    qapp.setStyleSheet("")


@pytest.mark.usefixtures("pseudo_locale", "styled")
def test_every_state_is_translated_and_nothing_is_cut_off(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(FRIDAY, 17, 5))
    journal = Journal(paths, clock).open()
    typed = ["he laughed at his own joke", "a month ago", "a first step"]
    journal.add(GlimmerRecord(at=at(FRIDAY, 11, 55), text=typed[0]))
    journal.add(GlimmerRecord(at=at(FRIDAY - timedelta(days=30), 10), text=typed[1]))
    for n in range(1, 8):
        day = FRIDAY - timedelta(days=n)
        journal.add(DaySummaryRecord(at=at(day, 18), sessions=6, heavy=4))
        journal.add(
            PracticeRecord(
                at=at(day, 12),
                exercise="box-5",
                planned_seconds=300,
                actual_seconds=300,
                completed=True,
            )
        )
    journal.add(
        OfferRecord(
            at=at(FRIDAY, 9, 50),
            window_start=at(FRIDAY, 9, 50),
            window_end=at(FRIDAY, 9, 59),
            outcome="taken",
        )
    )

    # a plain day (no week), with today's glimmers and one from the jar
    plain = make(qtbot, paths, clock=clock, journal=journal, settings=Settings(weekly_review_day=2))
    assert not plain.week_due and plain.reminder.isVisibleTo(plain)
    plain.fields["resilience"].setText(typed[2])
    assert _walk(qtbot, plain, typed) == []
    plain.close()

    # the weekly review day, with the week box
    weekly = make(qtbot, paths, clock=clock, journal=journal, today_sessions=6, today_heavy=3)
    assert weekly.week_due and weekly.week_box.isVisibleTo(weekly)
    weekly.sliders["energy"].slider.setValue(4)  # a slider with its value, one without
    assert _walk(qtbot, weekly, typed) == []
    weekly.close()

    # a strained week: the gentle note shows when the window opens
    _strained_week(journal, FRIDAY, 4)
    noted = make(qtbot, paths, clock=clock, journal=journal)
    assert noted.note_frame.isVisibleTo(noted)
    assert _walk(qtbot, noted, typed) == []
    noted.close()


@pytest.mark.usefixtures("pseudo_locale", "styled")
def test_the_thank_you_and_a_failed_save_are_translated_and_whole(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(THURSDAY, 17, 5))
    journal = Journal(paths, clock).open()
    _strained_week(journal, THURSDAY, 3)
    disk = FullDisk(journal)
    win = make(qtbot, paths, clock=clock, journal=journal, save=disk.save)
    win.sliders["still_with_me"].slider.setValue(9)
    assert _walk(qtbot, win, []) == []
    win.save()  # the disk is full: the calm line, marked and whole, by the buttons
    assert win.error.isVisible()
    assert _walk(qtbot, win, []) == []
    disk.full = False
    win.save()  # saved, and today's answer made the pattern: the thank-you and the note
    assert win.note_frame.isVisible() and win.close_button.isVisible()
    assert _walk(qtbot, win, []) == []
