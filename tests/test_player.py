"""The practice player and its pacer, driven by a fake clock (no test sleeps).

Time moves with `clock.advance()`; the screen catches up when the player's `tick()` (its
timer's slot) runs, exactly as it would when the timer fires. The sound is
tests/fake_sound.py; what is heard, and when, is in test_player_sound.py; the first
screen and the end screen in test_player_screens.py.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from companion.cli import main
from companion.commands.practice import choose
from companion.core.clock import FakeClock
from companion.core.exercises import (
    BreathingStep,
    BreathPattern,
    Exercise,
    GuidedStep,
    Library,
    SelfPacedStep,
    choose_for_window,
    load_library,
)
from companion.core.journal import Journal
from companion.core.pacing import Phase
from companion.core.paths import resolve_paths
from companion.core.records import GlimmerRecord, PracticeRecord, Record
from companion.core.settings import Settings
from companion.core.writer import JournalWriter, Saved, failure_line
from companion.ui.player import LEAD_IN_S, WARN_TEXT, PlayerWindow
from tests.fake_sound import FakeSound

START = datetime(2026, 3, 2, 10, 50, tzinfo=timezone(timedelta(hours=1)))
PATTERN = BreathPattern(inhale=4, hold_in=2, exhale=6)  # a 12 s cycle


def breathing(cycles: int = 5) -> Exercise:
    return Exercise(
        id="test-breath",
        title="Test breathing",
        kind="breathing",
        minutes=1,
        steps=(BreathingStep(PATTERN, cycles=cycles, cue="Follow the circle."),),
    )


def steps_practice() -> Exercise:
    return Exercise(
        id="test-steps",
        title="Test grounding",
        kind="grounding",
        minutes=1,
        steps=(
            GuidedStep("Settle in.", 10),
            SelfPacedStep("Notice five things you can see.", "I've seen them", 40),
            GuidedStep("You're here, now.", 10),
        ),
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def journal(clock: FakeClock) -> Journal:
    return Journal(resolve_paths().ensure(), clock).open()


@pytest.fixture
def sound() -> FakeSound:
    return FakeSound()


class FlakySave:
    """The app's writer, except that records of the kinds in `failing` are refused as a
    full disk would refuse them (change `failing` to let them through)."""

    def __init__(self, journal: Journal, *failing: str) -> None:
        self.writer = JournalWriter(journal)
        self.failing = set(failing)
        self.tried: list[str] = []

    def __call__(self, record: Record) -> Saved:
        self.tried.append(record.kind)
        if record.kind in self.failing:
            return Saved(False, self.message)
        return self.writer.save(record)

    @property
    def message(self) -> str:
        """The writer's own calm line for a full disk (in the language in use)."""
        return failure_line("No space left on device")


@pytest.fixture
def make(qtbot: QtBot, clock: FakeClock, journal: Journal, sound: FakeSound):  # type: ignore[no-untyped-def]
    def build(
        exercise: Exercise | None = None,
        *,
        show: bool = True,
        begin: bool = True,
        save: object = None,
        after_session: bool = False,
        **settings: object,
    ) -> PlayerWindow:
        """The player, shown, and (with `begin`) past its lead-in: the practice under way."""
        options: dict[str, object] = {"ratings": False, **settings}
        ends_by = options.pop("ends_by", None)
        player = PlayerWindow(
            exercise or breathing(),
            clock,
            Settings(**options),  # type: ignore[arg-type]
            sound,
            save=save or JournalWriter(journal).save,  # type: ignore[arg-type]
            ends_by=ends_by,  # type: ignore[arg-type]
            after_session=after_session,
        )
        qtbot.addWidget(player)
        if show:
            player.show()
            qtbot.waitExposed(player)
            if begin:
                clock.advance(LEAD_IN_S)
                player.tick()
        return player

    return build


def advance(player: PlayerWindow, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    player.tick()


def done(player: PlayerWindow) -> None:
    """Done on the end screen (answering nothing more)."""
    assert player.page == "end", "the end screen should be up"
    player.end_page.done_button.click()


def practices(journal: Journal) -> list[PracticeRecord]:
    return journal.query(PracticeRecord)


# --- start, pause, resume, next, stop, finish --------------------------------------------------


def test_starts_by_itself_after_the_lead_in_with_a_chime_and_the_cue(
    make, clock: FakeClock, sound: FakeSound
) -> None:
    player = make(begin=False)
    assert player.page == "practice" and not player.started
    assert sound.played == ["start"]  # the chime with the first screen, not over the cue
    clock.advance(LEAD_IN_S - 0.01)
    player.tick()
    assert not player.started
    clock.advance(0.01)
    player.tick()
    assert player.started
    assert sound.heard() == ["start", "cue:Follow the circle.", "inhale"]
    assert player.time_label.text() == "1:00 left"
    assert player.pacer.isVisible()
    assert not player.step_label.isVisible()  # "step 1 of 1" says nothing


def test_finishing_journals_a_completed_practice_and_closes(
    make, clock: FakeClock, journal: Journal, sound: FakeSound, qtbot: QtBot
) -> None:
    player = make()
    advance(player, clock, 30)
    assert player.time_label.text() == "0:30 left"
    with qtbot.waitSignal(player.finished) as finished:
        advance(player, clock, 30)
        assert sound.heard()[-1] == "end"
        assert player.done_label.text() == "That's the end of the practice."
        done(player)
    [record] = practices(journal)
    assert finished.args == [record]
    assert record.exercise == "test-breath"
    assert record.completed is True
    assert (record.planned_seconds, record.actual_seconds) == (60, 60)
    assert record.at == START + timedelta(seconds=LEAD_IN_S)  # when the practice began
    assert (record.rating_before, record.rating_after) == (None, None)
    assert journal.query(GlimmerRecord) == []
    assert not player.isVisible()


def test_pause_freezes_the_countdown_and_the_pause_is_not_counted(
    make, clock: FakeClock, journal: Journal
) -> None:
    player = make()
    advance(player, clock, 10)
    player.pause_button.click()
    assert player.pause_button.text() == "Resume"
    advance(player, clock, 300)
    assert player.time_label.text() == "Paused · 0:50 left"
    assert player.pacer.frame().word == "Paused"
    player.pause_button.click()
    assert player.pause_button.text() == "Pause"
    advance(player, clock, 20)
    assert player.time_label.text() == "0:30 left"
    player.stop_button.click()
    done(player)
    [record] = practices(journal)
    assert record.actual_seconds == 30
    assert record.completed is False


def test_next_moves_on_from_a_self_paced_step(make, clock: FakeClock) -> None:
    player = make(steps_practice())
    assert player.step_label.text() == "Step 1 of 3"
    assert player.cue_label.text() == "Settle in."
    advance(player, clock, 10)
    assert player.step_label.text() == "Step 2 of 3"
    assert player.cue_label.text() == "Notice five things you can see."
    assert player.next_button.text() == "I've seen them"
    assert player.time_label.text() == "0:50 left"
    advance(player, clock, 5)
    player.next_button.click()
    assert player.step_label.text() == "Step 3 of 3"
    assert player.next_button.text() == "Finish"
    assert player.time_label.text() == "0:10 left"


def test_a_guided_step_can_be_skipped_and_next_on_the_last_step_finishes(
    make, clock: FakeClock, journal: Journal
) -> None:
    player = make(steps_practice())
    player.next_step()
    player.next_step()
    assert player.step_label.text() == "Step 3 of 3"
    player.next_step()
    assert player.page == "end"
    assert player.done_label.text() == "That's the end of the practice."
    done(player)
    [record] = practices(journal)
    # Tapped through in no time: it reached the end, but the journal (and Look back's
    # count of practices done) does not call that a completed practice.
    assert record.completed is False
    assert record.actual_seconds == 0


def test_stopping_early_is_journaled_as_not_completed(
    make, clock: FakeClock, journal: Journal, sound: FakeSound
) -> None:
    player = make(steps_practice())
    advance(player, clock, 12.4)
    player.stop_button.click()
    assert player.done_label.text() == "You stopped here. That's completely fine."
    assert "end" not in sound.heard()  # no chime when you stop it yourself
    done(player)
    [record] = practices(journal)
    assert (record.completed, record.actual_seconds, record.planned_seconds) == (False, 12, 60)


# --- keyboard ----------------------------------------------------------------------------------


def press(player: PlayerWindow, qtbot: QtBot, key: Qt.Key) -> None:
    """A key as a person types it: it goes to whatever has the keyboard focus."""
    qtbot.keyClick(player.focusWidget() or player, key)


def test_keyboard_space_pauses_right_and_enter_move_on_esc_stops(
    make, clock: FakeClock, journal: Journal, qtbot: QtBot
) -> None:
    player = make(steps_practice())
    press(player, qtbot, Qt.Key.Key_Space)
    assert player.run.state().paused
    assert player.pause_button.text() == "Resume"
    press(player, qtbot, Qt.Key.Key_Space)
    assert not player.run.state().paused
    press(player, qtbot, Qt.Key.Key_Right)
    assert player.step_label.text() == "Step 2 of 3"
    press(player, qtbot, Qt.Key.Key_Right)
    assert player.step_label.text() == "Step 3 of 3"
    advance(player, clock, 3)
    press(player, qtbot, Qt.Key.Key_Escape)
    assert player.page == "end"
    done(player)
    [record] = practices(journal)
    assert (record.completed, record.actual_seconds) == (False, 3)


def test_the_keys_work_wherever_the_focus_is(make, qtbot: QtBot) -> None:
    seven = Exercise(
        id="seven",
        title="Seven steps",
        kind="body-scan",
        minutes=1,
        steps=tuple(GuidedStep(f"Cue {n}", 10) for n in range(1, 8)),
    )
    player = make(seven)
    assert player.focusWidget() is player.pause_button
    step = 1
    for button in (player.pause_button, player.next_button, player.stop_button):
        button.setFocus()  # as Tab would
        qtbot.keyClick(button, Qt.Key.Key_Right)
        step += 1
        assert player.step_label.text() == f"Step {step} of 7", button.text()
    # Enter presses the focused button, as everywhere on the desktop.
    player.next_button.setFocus()
    qtbot.keyClick(player.next_button, Qt.Key.Key_Enter)
    assert player.step_label.text() == "Step 5 of 7"
    player.pause_button.setFocus()
    qtbot.keyClick(player.pause_button, Qt.Key.Key_Return)
    assert player.run.state().paused
    qtbot.keyClick(player.pause_button, Qt.Key.Key_Return)
    assert not player.run.state().paused
    # Space on a focused Stop pauses, as everywhere; it never ends the practice.
    player.stop_button.setFocus()
    qtbot.keyClick(player.stop_button, Qt.Key.Key_Space)
    assert player.page == "practice" and player.run.state().paused
    qtbot.keyClick(player.stop_button, Qt.Key.Key_Space)
    assert not player.run.state().paused
    assert player.step_label.text() == "Step 5 of 7"
    qtbot.keyClick(player.stop_button, Qt.Key.Key_Return)  # a keyboard user who chose Stop
    assert player.page == "end"


def test_a_click_keeps_the_focus_where_it_was_and_space_pauses(make, qtbot: QtBot) -> None:
    player = make(steps_practice())
    qtbot.mouseClick(player.next_button, Qt.MouseButton.LeftButton)
    assert player.step_label.text() == "Step 2 of 3"
    assert player.focusWidget() is player.pause_button  # a click does not take the focus
    qtbot.keyClick(player.focusWidget(), Qt.Key.Key_Space)
    assert player.run.state().paused


def test_tab_reaches_every_control_in_order(make, qtbot: QtBot) -> None:
    player = make(steps_practice())
    assert player.pause_button.nextInFocusChain() is player.next_button
    assert player.next_button.nextInFocusChain() is player.stop_button
    for button in (player.pause_button, player.next_button, player.stop_button):
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus


@pytest.mark.parametrize(("style", "taps"), [("state", 3), ("scale", 11)])
def test_every_control_has_an_accessible_name_and_description(make, style: str, taps: int) -> None:
    player = make(steps_practice(), ratings=True, checkin_style=style, show=False)
    buttons = player.findChildren(QAbstractButton)
    assert len(buttons) >= 3 + taps + 3  # the controls, the check-in, the end screen's
    for button in buttons:
        assert button.accessibleName(), button.text()
        assert button.accessibleDescription(), button.text()
    assert player.pacer.accessibleName() == "Breathing guide"


# --- the one-tap check-in ------------------------------------------------------------------------


def test_the_check_in_is_one_tap_before_and_after_and_journaled(
    make, clock: FakeClock, journal: Journal
) -> None:
    player = make(ratings=True, begin=False)
    assert player.checkin is not None
    assert [b.text() for b in player.checkin.buttons.values()] == [
        "&Wired",
        "In &between",
        "&Flat",
    ]
    player.checkin.buttons["wired"].click()
    assert player.checkin.buttons["wired"].isChecked()
    advance(player, clock, LEAD_IN_S)  # the practice began by itself all the same
    assert player.started
    player.checkin.buttons["between"].click()  # changed its mind: the last tap counts
    advance(player, clock, 60)
    assert player.page == "end"
    after = player.end_page.checkin
    assert after is not None and after.isVisible()
    after.buttons["flat"].click()
    done(player)
    [record] = practices(journal)
    assert (record.state_before, record.state_after) == ("between", "flat")
    assert (record.rating_before, record.rating_after) == (None, None)
    assert record.actual_seconds == 60


def test_the_check_in_can_be_a_0_to_10_scale_chosen_by_keys(
    make, clock: FakeClock, journal: Journal, qtbot: QtBot
) -> None:
    player = make(ratings=True, checkin_style="scale")
    assert player.checkin is not None
    assert [b.text() for b in player.checkin.buttons.values()] == [str(n) for n in range(11)]
    qtbot.keyClick(player.focusWidget() or player, Qt.Key.Key_7)
    assert player.checkin.rating() == 7 and player.checkin.buttons["7"].isChecked()
    advance(player, clock, 60)
    player.end_page.checkin.buttons["3"].click()  # type: ignore[union-attr]
    done(player)
    [record] = practices(journal)
    assert (record.rating_before, record.rating_after) == (7, 3)
    assert (record.state_before, record.state_after) == (None, None)


def test_the_check_in_is_optional_and_a_second_tap_takes_it_back(
    make, clock: FakeClock, journal: Journal
) -> None:
    player = make(ratings=True)
    assert player.checkin is not None
    player.checkin.buttons["flat"].click()
    player.checkin.buttons["flat"].click()
    assert not player.checkin.buttons["flat"].isChecked()
    advance(player, clock, 60)
    done(player)
    [record] = practices(journal)
    assert (record.state_before, record.state_after) == (None, None)


def test_with_ratings_off_no_check_in_is_shown(make, clock: FakeClock) -> None:
    player = make(ratings=False)
    assert player.checkin is None
    advance(player, clock, 60)
    assert player.end_page.checkin is None


def test_the_check_in_makes_room_for_the_practice_after_a_while(make, clock: FakeClock) -> None:
    from companion.ui.player import CHECKIN_WINDOW_S

    player = make(ratings=True)
    assert player.checkin is not None and player.checkin.isVisible()
    advance(player, clock, CHECKIN_WINDOW_S - 1)
    assert player.checkin.isVisible()
    advance(player, clock, 1)
    assert not player.checkin.isVisible()


# --- the next session ---------------------------------------------------------------------------


def test_two_minutes_before_the_next_session_a_gentle_note_then_it_ends_in_time(
    make, clock: FakeClock, journal: Journal, sound: FakeSound
) -> None:
    long = breathing(cycles=50)  # 10 minutes
    player = make(long, ends_by=clock.monotonic() + LEAD_IN_S + 150)
    assert player.time_label.text() == "2:30 left"
    assert not player.note_label.isVisible()
    advance(player, clock, 29)
    assert not player.note_label.isVisible()
    advance(player, clock, 1)
    assert player.note_label.isVisible()
    assert player.note_label.text() == WARN_TEXT
    advance(player, clock, 120)
    assert player.page == "end"
    assert player.done_label.text() == "Time to get ready for your next session."
    assert sound.heard()[-1] == "end"
    done(player)
    [record] = practices(journal)
    assert (record.completed, record.actual_seconds, record.planned_seconds) == (False, 150, 600)


# --- closing -----------------------------------------------------------------------------------


def test_closing_the_window_mid_practice_journals_it_as_stopped(
    make, clock: FakeClock, journal: Journal, qtbot: QtBot
) -> None:
    player = make()
    advance(player, clock, 20)
    with qtbot.waitSignal(player.finished):
        player.close()
    [record] = practices(journal)
    assert (record.completed, record.actual_seconds) == (False, 20)


def test_closing_before_it_began_journals_nothing(
    make, journal: Journal, qtbot: QtBot, sound: FakeSound
) -> None:
    player = make(ratings=True, begin=False)  # Esc on the first screen, in the lead-in
    with qtbot.waitSignal(player.dismissed):
        qtbot.keyClick(player.focusWidget() or player, Qt.Key.Key_Escape)
    assert practices(journal) == []
    assert sound.heard() == ["start"]  # the first screen's chime, and nothing after


# --- the pacer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "phase"),
    [
        (0.0, Phase.INHALE),
        (3.99, Phase.INHALE),
        (4.0, Phase.HOLD),
        (5.99, Phase.HOLD),
        (6.0, Phase.EXHALE),
        (11.99, Phase.EXHALE),
        (12.0, Phase.INHALE),
        (40.5, Phase.HOLD),
        (42.5, Phase.EXHALE),
    ],
)
def test_the_pacer_shows_the_pattern_phase_at_each_instant(
    make, clock: FakeClock, at: float, phase: Phase
) -> None:
    player = make()
    advance(player, clock, at)
    frame = player.pacer.frame()
    assert frame.phase is phase
    assert frame.word == phase.word


def test_the_pacer_phase_stays_on_the_pattern_after_pause_and_resume(
    make, clock: FakeClock
) -> None:
    player = make()
    advance(player, clock, 3)  # inhale, 3 s in
    before = player.pacer.frame()
    player.toggle_pause()
    advance(player, clock, 100)
    paused = player.pacer.frame()
    assert (paused.phase, paused.size) == (Phase.INHALE, before.size)
    assert not player.pacer.timer.isActive()
    player.toggle_pause()
    assert player.pacer.timer.isActive()
    advance(player, clock, 0.99)
    assert player.pacer.frame().phase is Phase.INHALE
    advance(player, clock, 0.02)
    assert player.pacer.frame().phase is Phase.HOLD  # 4.01 s of practice
    advance(player, clock, 2)
    assert player.pacer.frame().phase is Phase.EXHALE


def _drawn(player: PlayerWindow) -> tuple[float, Phase | None, float | None, int | None]:
    player.pacer.grab()  # really paint it
    frame = player.pacer.last_frame
    assert frame is not None
    return frame.radius, frame.phase, frame.filled, frame.count


def test_the_circle_grows_on_the_in_breath_holds_still_and_shrinks_on_the_out_breath(
    make, clock: FakeClock
) -> None:
    player = make()
    radii = {}
    for at in (0.5, 2.0, 3.9, 4.5, 5.5, 7.0, 11.5):
        advance(player, clock, at - (clock.monotonic() - player.started_at))
        radii[at] = _drawn(player)[0]
    assert radii[0.5] < radii[2.0] < radii[3.9]
    assert radii[4.5] == radii[5.5]  # the hold is still
    assert radii[5.5] > radii[7.0] > radii[11.5]


def test_reduced_motion_never_scales_and_counts_instead(make, clock: FakeClock) -> None:
    player = make(reduced_motion=True)
    assert player.pacer.reduced_motion
    seen = []
    for _ in range(24):  # two whole cycles, every half second
        seen.append(_drawn(player))
        advance(player, clock, 0.5)
    radii = {radius for radius, *_ in seen}
    assert len(radii) == 1
    assert {phase for _, phase, _, _ in seen} == {Phase.INHALE, Phase.HOLD, Phase.EXHALE}
    assert all(filled is not None for _, _, filled, _ in seen)
    counts = [count for _, phase, _, count in seen if phase is Phase.INHALE][:8]
    assert counts == [1, 1, 2, 2, 3, 3, 4, 4]
    # The reduced pacer wakes once a second, not every frame.
    assert player.pacer.timer.interval() > 400


def test_the_animation_timer_runs_only_while_the_pacer_is_visible(
    make, clock: FakeClock, qtbot: QtBot
) -> None:
    player = make()
    timer = player.pacer.timer
    assert timer.objectName() == "pacer-frame"
    assert timer.isActive()
    player.hide()
    assert not timer.isActive()
    advance(player, clock, 2)
    QApplication.processEvents()
    assert not timer.isActive()
    player.show()
    qtbot.waitExposed(player)
    assert timer.isActive()


def test_a_minimised_player_draws_no_frames(make, clock: FakeClock, qtbot: QtBot) -> None:
    player = make()
    player.showMinimized()
    QApplication.processEvents()
    assert not player.pacer.timer.isActive()
    player.showNormal()
    qtbot.waitExposed(player)
    assert player.pacer.timer.isActive()


def test_a_hidden_player_wakes_only_for_the_end(make, clock: FakeClock) -> None:
    player = make(steps_practice())
    player.hide()
    player.tick()
    tick_timer = player.findChild(type(player.pacer.timer), "player-tick")
    assert tick_timer is not None
    assert tick_timer.remainingTime() > 9000  # the step's end, not the next second
    player.toggle_pause()
    assert not tick_timer.isActive()  # paused and hidden: nothing to wake for


def test_the_pacer_waits_out_a_hold_instead_of_drawing_frames(make, clock: FakeClock) -> None:
    player = make()
    advance(player, clock, 4.5)  # half a second into a 2 s hold
    player.pacer.refresh()
    assert math.isclose(player.pacer.timer.interval(), 1501, abs_tol=2)
    advance(player, clock, 2)  # into the out-breath: frames again
    player.pacer.refresh()
    assert player.pacer.timer.interval() <= 17


def test_the_circle_moves_smoothly_drawing_only_as_often_as_it_needs(
    make, clock: FakeClock
) -> None:
    player = make()
    pacer = player.pacer
    radii, waits = [], []
    while clock.monotonic() - player.started_at < 12:  # one whole cycle
        wait = pacer.timer.interval()
        waits.append(wait)
        clock.advance(wait / 1000)
        pacer.refresh()
        radii.append(pacer.frame().radius)
    steps = [abs(b - a) for a, b in itertools.pairwise(radii)]
    assert max(steps) < 1.5  # no visible jumps
    assert min(waits) >= 1 and max(waits) <= 2001  # a 2 s hold is one wait
    assert len(radii) < 12 * 60 / 2  # far fewer frames than 60 a second


# --- a real practice, start to end ----------------------------------------------------------


def test_a_shipped_body_scan_runs_to_its_end(make, clock: FakeClock, journal: Journal) -> None:
    scan = load_library()["body-scan-5"]
    player = make(scan)
    total = len(scan.steps)
    assert player.step_label.text() == f"Step 1 of {total}"
    assert player.cue_label.text() == scan.steps[0].cue
    while player.page == "practice":
        advance(player, clock, 7)
    done(player)
    [record] = practices(journal)
    assert record.completed
    assert record.actual_seconds == round(scan.total_seconds)


# --- companion practice -------------------------------------------------------------------------


def test_practice_with_an_unknown_id_fails_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["practice", "bogus"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "'bogus'" in err
    assert "companion exercises" in err


def test_practice_without_an_id_picks_what_fits(tmp_path: Path) -> None:
    library = load_library()
    assert choose(library, None, 3) == choose_for_window(library, 180)[0]
    assert choose(library, None, None).total_seconds <= 300
    fitted = choose(library, "coherent-10", 4)
    assert fitted.total_seconds <= 240
    assert choose(library, "box-5", None) is library["box-5"]


@pytest.mark.usefixtures("pseudo_locale")
def test_practice_speaks_the_persons_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["practice", "bogus"]) == 1
    err = capsys.readouterr().err
    assert "⟦" in err and "'bogus'" in err  # the message translated, the id as typed
    assert "companion exercises" in err  # and the command to type, too
    assert main(["practice", "--minutes", "90"]) == 1
    err = capsys.readouterr().err
    assert "⟦--minutes: 90" in err  # the option as it is typed
    assert "⟦" in _minutes_text(2.5)


def _minutes_text(value: float) -> str:
    from companion.commands.practice import _minutes

    return _minutes(value)


def test_practice_refuses_minutes_it_cannot_fit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["practice", "--minutes", "0"]) == 1
    assert "--minutes" in capsys.readouterr().err
    assert choose(Library([breathing()]), None, 2).id == "test-breath"


# --- saving through the app's one writer, and what a failed save looks like ------------------


def test_a_practice_that_was_not_saved_says_so_on_the_end_screen_and_can_be_saved_again(
    make, clock: FakeClock, journal: Journal, qtbot: QtBot
) -> None:
    save = FlakySave(journal, "practice")
    player = make(ratings=True, checkin_style="scale", save=save)
    assert player.checkin is not None
    player.checkin.buttons["6"].click()
    advance(player, clock, 60)
    player.end_page.checkin.buttons["2"].click()  # type: ignore[union-attr]
    assert player.page == "end"
    done(player)
    error = player.end_page.error
    assert error.isVisible() and error.text() == save.message  # one calm line, on the page
    assert save.message.startswith("Not saved: No space left on device.")
    assert player.save_error == save.message
    # The window stays, with the message, instead of vanishing with it, and it does not
    # close by itself while it says so.
    assert player.isVisible()
    assert player.end_page.retry_button.isVisible()
    assert not player.end_page.findChild(type(player._timer), "end-idle").isActive()
    assert practices(journal) == []
    save.failing.clear()  # the disk has room again
    with qtbot.waitSignal(player.finished) as finished:
        player.end_page.retry_button.click()
    [record] = practices(journal)
    assert finished.args == [record]
    assert (record.rating_before, record.rating_after) == (6, 2)  # what was answered is kept
    assert save.tried == ["practice", "practice"]
    assert not player.isVisible()


def test_a_practice_that_was_not_saved_can_be_let_go(
    make, clock: FakeClock, journal: Journal, qtbot: QtBot
) -> None:
    player = make(save=FlakySave(journal, "practice"))
    advance(player, clock, 60)
    done(player)
    with qtbot.waitSignal(player.finished):
        player.end_page.close_button.click()
    assert not player.isVisible()
    assert practices(journal) == []


def test_a_glimmer_that_was_not_saved_stays_on_the_end_screen_with_the_words(
    make, clock: FakeClock, journal: Journal, qtbot: QtBot
) -> None:
    save = FlakySave(journal, "glimmer")
    player = make(save=save, after_session=True)
    advance(player, clock, 60)
    assert player.glimmer_asked
    player.end_page.glimmer_edit.setText("Her shoulders dropped when she laughed")
    done(player)
    assert player.isVisible(), "the screen closed and the words were lost"
    assert player.end_page.glimmer_edit.text() == "Her shoulders dropped when she laughed"
    assert player.save_error == save.message
    [record] = practices(journal)  # the practice itself was saved
    assert journal.query(GlimmerRecord) == []
    save.failing.clear()
    with qtbot.waitSignal(player.finished):
        done(player)  # the same Done, pressed again
    assert practices(journal) == [record]  # saved once
    [glimmer] = journal.query(GlimmerRecord)
    assert glimmer.text == "Her shoulders dropped when she laughed"
    assert glimmer.practice_id == record.id
    assert player.glimmer == glimmer


# --- every page under the pseudo-locale ---------------------------------------------------------


def pseudo_practice() -> Exercise:
    return Exercise(
        id="pseudo",
        title="Settle and notice",
        kind="grounding",
        minutes=1,
        about="A short practice from the library.",
        steps=(
            BreathingStep(PATTERN, cycles=2, cue="Follow the circle."),
            SelfPacedStep("Notice five things you can see.", "I've seen them", 30),
        ),
    )


@pytest.mark.usefixtures("pseudo_locale", "house_style")
def test_every_page_is_translated_and_nothing_is_cut_off(
    make, clock: FakeClock, journal: Journal
) -> None:
    from tests.pseudo_walk import problems

    exercise = pseudo_practice()
    data = [
        exercise.title,
        exercise.about,
        "Follow the circle.",
        "Notice five things you can see.",
        "I've seen them",
        "Go gently; stop any time.",
    ]

    def look(player: PlayerWindow, page: str) -> None:
        assert player.page == page
        QApplication.processEvents()
        assert problems(player, allowed=data) == [], page

    cautious = dataclasses.replace(exercise, caution="Go gently; stop any time.")
    first = make(cautious, ratings=True, begin=False)
    look(first, "practice")  # the first screen, with its caution and the check-in
    first.close()

    player = make(
        exercise, ratings=True, after_session=True, ends_by=clock.monotonic() + 40
    )  # runs past it: the note shows
    assert player.checkin is not None
    player.checkin.buttons["between"].click()
    advance(player, clock, 10.5)  # breathing, with the two-minute note showing
    assert player.note_label.isVisible()
    look(player, "practice")
    player.pause_button.click()  # "Resume" and "Paused · ..." must fit too
    look(player, "practice")
    player.pause_button.click()
    player.next_step()  # the self-paced step and its own button
    assert player.views.currentWidget() is player.cue_view
    look(player, "practice")
    player.next_step()
    assert player.glimmer_asked
    look(player, "end")  # the after check-in and the glimmer question, on one screen
    done(player)

    failing = make(exercise, save=FlakySave(journal, "practice"))
    failing.stop()
    done(failing)
    look(failing, "end")  # the end screen, with its calm line, Try again and Close

    calm = make(exercise, reduced_motion=True)
    assert calm.pacer.reduced_motion
    look(calm, "practice")
    assert calm.pacer.accessibleDescription().startswith("⟦")  # the phase word, translated
