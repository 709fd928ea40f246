"""The player's first screen and its end screen.

First screen: the title, the caution (every time), the optional one-tap check-in, a line
when no sound can be heard, the first cue; the practice begins by itself within three
seconds. End screen: how long, the after check-in and, after a session, the glimmer
question, on one screen that closes by itself when left alone (fake clock).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from companion.core.clock import FakeClock
from companion.core.exercises import BreathingStep, BreathPattern, Exercise, GuidedStep
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.records import GlimmerRecord, PracticeRecord
from companion.core.settings import Settings
from companion.core.writer import JournalWriter
from companion.ui.player import LEAD_IN_S, PlayerWindow
from companion.ui.player_end import IDLE_CLOSE_S
from companion.ui.player_pages import STILL_CUE, still_words
from tests.fake_sound import FakeSound

START = datetime(2026, 3, 2, 10, 50, tzinfo=timezone(timedelta(hours=1)))
CAUTION = "If holding the breath is uncomfortable, breathe without the holds."


def held() -> Exercise:
    return Exercise(
        id="held",
        title="Held breath",
        kind="breathing",
        minutes=1,
        caution=CAUTION,
        steps=(
            GuidedStep("Sit comfortably.", 5),
            BreathingStep(BreathPattern(inhale=4, hold_in=4, exhale=4, hold_out=4), cycles=3),
        ),
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def journal(clock: FakeClock) -> Journal:
    return Journal(resolve_paths().ensure(), clock).open()


@pytest.fixture
def make(qtbot: QtBot, clock: FakeClock, journal: Journal):  # type: ignore[no-untyped-def]
    def build(
        exercise: Exercise | None = None,
        *,
        sound: FakeSound | None = None,
        after_session: bool = False,
        ends_by: float | None = None,
        **settings: object,
    ) -> PlayerWindow:
        player = PlayerWindow(
            exercise or held(),
            clock,
            Settings(**settings),  # type: ignore[arg-type]
            sound if sound is not None else FakeSound(),
            save=JournalWriter(journal).save,
            after_session=after_session,
            ends_by=ends_by,
        )
        qtbot.addWidget(player)
        player.show()
        qtbot.waitExposed(player)
        return player

    return build


def fire(player: PlayerWindow, clock: FakeClock) -> float:
    """Run the player's timer once, as Qt would: the clock moves to when it was set for."""
    timer = player.findChild(QTimer, "player-tick")
    assert timer is not None and timer.isActive()
    wait = timer.interval() / 1000.0
    timer.stop()
    clock.advance(wait)
    player.tick()
    return wait


def to_end(player: PlayerWindow, clock: FakeClock) -> None:
    clock.advance(LEAD_IN_S)
    player.tick()
    clock.advance(player.exercise.total_seconds)
    player.tick()
    assert player.page == "end"


# --- the first screen ----------------------------------------------------------------------------


def test_the_first_screen_shows_the_practice_its_caution_the_check_in_and_the_first_cue(
    make, clock: FakeClock
) -> None:
    sound = FakeSound()
    player = make(sound=sound, ratings=True)
    assert player.page == "practice"
    assert player.title_label.text() == "Held breath"
    assert player.caution_label.isVisible() and player.caution_label.text() == CAUTION
    assert player.checkin is not None and player.checkin.isVisible()
    assert player.cue_label.text() == "Sit comfortably."
    assert not player.no_sound_label.isVisible()
    assert sound.played == ["start"]  # the chime, then a moment to read the caution and tap
    waited = fire(player, clock)  # and then it begins by itself
    assert waited < 3.0
    assert player.started
    assert sound.heard() == ["start", "cue:Sit comfortably."]


def test_the_caution_shows_every_time_even_with_no_check_in(make) -> None:
    for _ in range(2):
        player = make(ratings=False)
        assert player.caution_label.isVisible()
        assert player.checkin is None
        player.close()


def test_no_caution_no_line(make) -> None:
    plain = Exercise(
        id="p", title="Plain", kind="grounding", minutes=1, steps=(GuidedStep("Here.", 10),)
    )
    assert make(plain).caution_label.isHidden()


def test_with_no_audio_player_the_first_screen_says_what_to_install(make) -> None:
    from companion.runtime.sound import install_hint

    player = make(sound=FakeSound(player=False))
    assert player.no_sound_label.isVisible()
    assert install_hint() in player.no_sound_label.text()
    assert "\n" not in player.no_sound_label.text()  # one line (it may wrap)
    quiet = make(sound=FakeSound(player=False), guidance="silent")
    assert quiet.no_sound_label.isHidden()  # silent by choice: nothing missing


def test_enter_on_the_first_screen_begins_at_once_and_esc_closes_it(
    make, clock: FakeClock, qtbot: QtBot, journal: Journal
) -> None:
    player = make(ratings=False)
    qtbot.keyClick(player.focusWidget() or player, Qt.Key.Key_Return)
    assert player.started
    assert player.step_label.text() == "Step 1 of 2"  # it began; it did not skip a step
    other = make(ratings=False)
    with qtbot.waitSignal(other.dismissed):
        qtbot.keyClick(other.focusWidget() or other, Qt.Key.Key_Escape)
    assert not other.started


def test_the_check_in_takes_its_keys_and_space_on_it_still_pauses(
    make, clock: FakeClock, qtbot: QtBot
) -> None:
    player = make(ratings=True)
    fire(player, clock)
    assert player.checkin is not None
    flat = player.checkin.buttons["flat"]
    flat.setFocus()
    qtbot.keyClick(flat, Qt.Key.Key_Return)
    assert player.checkin.state() == "flat"
    qtbot.keyClick(flat, Qt.Key.Key_Space)
    assert player.run.state().paused  # Space pauses, whatever has the focus
    # Through the window system, as on a desktop (that is where mnemonics are looked up).
    QTest.keyClick(player.windowHandle(), Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    # A mnemonic clicks the way Qt does, as an animated click that lands a moment later.
    qtbot.waitUntil(lambda: player.checkin.state() == "wired", timeout=1000)  # type: ignore[union-attr]


# --- reduced motion -------------------------------------------------------------------------------


def test_still_words_replace_a_moving_circle_and_keep_the_rest() -> None:
    assert still_words(
        "Breathe in as the circle grows and out as it shrinks. Easy, not forced."
    ) == (f"{STILL_CUE} Easy, not forced.")
    assert still_words("Follow the circle round the box, at a comfortable pace.") == STILL_CUE
    assert still_words("Let the counting go.") == "Let the counting go."


def test_with_reduced_motion_no_cue_describes_a_growing_circle(make, clock: FakeClock) -> None:
    from companion.core.exercises import load_library

    library = load_library()
    moving = [ex for ex in library if any("circle" in s.cue.lower() for s in ex.steps)]
    for exercise in moving:
        sound = FakeSound()
        player = make(exercise, sound=sound, reduced_motion=True)
        fire(player, clock)
        for _ in exercise.steps:
            shown = (
                player.breath_cue.text()
                if player.views.currentWidget() is player.breathing_view
                else player.cue_label.text()
            )
            assert "circle" not in shown.lower(), (exercise.id, shown)
            player.next_step()
        assert not [p for p in sound.played if "circle" in p.lower()], exercise.id
        player.close()
    # Without reduced motion the words stand as written.
    coherent = library["coherent-5"]
    cue = next(s.cue for s in coherent.steps if isinstance(s, BreathingStep))
    player = make(coherent, reduced_motion=False)
    fire(player, clock)
    while player.views.currentWidget() is not player.breathing_view:
        player.next_step()
    assert player.breath_cue.text() == cue


# --- the end screen -----------------------------------------------------------------------------


def test_the_end_screen_holds_how_long_the_check_in_and_the_glimmer_question(
    make, clock: FakeClock, journal: Journal, qtbot: QtBot
) -> None:
    player = make(ratings=True, after_session=True)
    to_end(player, clock)
    end = player.end_page
    assert end.done_time.text() == "You practised for 53 seconds."
    assert end.checkin is not None and end.checkin.isVisible()
    assert player.glimmer_asked and end.glimmer_edit.isVisible()
    assert end.glimmer_question.text().endswith("?")
    assert player.focusWidget() is end.glimmer_edit
    end.checkin.buttons["between"].click()
    qtbot.keyClicks(end.glimmer_edit, "  A warm   laugh ")
    with qtbot.waitSignal(player.finished):
        qtbot.keyClick(end.glimmer_edit, Qt.Key.Key_Return)  # Enter is Done
    [record] = journal.query(PracticeRecord)
    [glimmer] = journal.query(GlimmerRecord)
    assert record.state_after == "between"
    assert (glimmer.text, glimmer.source, glimmer.practice_id) == (
        "A warm laugh",
        "after-session",
        record.id,
    )


@pytest.mark.parametrize("how", ["stop", "out_of_time", "not_after_a_session"])
def test_no_glimmer_question_after_stop_out_of_time_or_without_a_session(
    make, clock: FakeClock, journal: Journal, how: str
) -> None:
    ends_by = clock.monotonic() + LEAD_IN_S + 20 if how == "out_of_time" else None
    player = make(after_session=how != "not_after_a_session", ends_by=ends_by)
    clock.advance(LEAD_IN_S + 10)
    player.tick()
    if how == "stop":
        player.stop()
    else:
        clock.advance(60)
        player.tick()
    assert player.page == "end"
    assert not player.glimmer_asked
    assert not player.end_page.glimmer_edit.isVisible()
    player.end_page.done_button.click()
    assert journal.query(GlimmerRecord) == []
    assert len(journal.query(PracticeRecord)) == 1


def test_left_alone_the_end_screen_closes_keeping_the_practice_not_the_glimmer(
    make, clock: FakeClock, journal: Journal, qtbot: QtBot
) -> None:
    player = make(ratings=True, after_session=True)
    to_end(player, clock)
    idle = player.end_page.findChild(QTimer, "end-idle")
    assert idle is not None and idle.isActive()
    assert idle.interval() == pytest.approx(IDLE_CLOSE_S * 1000, abs=2)
    clock.advance(IDLE_CLOSE_S - 30)
    player.end_page.checkin.buttons["wired"].click()  # type: ignore[union-attr]  # a tap: wait again
    clock.advance(40)
    player.end_page.check_idle()
    assert player.isVisible()
    player.end_page.glimmer_edit.setText("half a thought")  # typed, never saved
    clock.advance(IDLE_CLOSE_S)
    with qtbot.waitSignal(player.finished):
        player.end_page.check_idle()
    assert not player.isVisible()
    [record] = journal.query(PracticeRecord)
    assert record.state_after == "wired"
    assert journal.query(GlimmerRecord) == []  # it did not ask it was kept


def test_esc_on_the_end_screen_keeps_the_practice_and_not_the_glimmer(
    make, clock: FakeClock, journal: Journal, qtbot: QtBot
) -> None:
    player = make(after_session=True)
    to_end(player, clock)
    qtbot.keyClicks(player.end_page.glimmer_edit, "something")
    with qtbot.waitSignal(player.finished):
        qtbot.keyClick(player.end_page.glimmer_edit, Qt.Key.Key_Escape)
    assert len(journal.query(PracticeRecord)) == 1
    assert journal.query(GlimmerRecord) == []


def test_no_second_window_for_the_glimmer(make, clock: FakeClock, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    player = make(after_session=True)
    to_end(player, clock)
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert shown == [player]


# --- the one-click switch ------------------------------------------------------------------------


def test_flat_on_a_settling_practice_offers_one_click_to_an_energising_one(
    qtbot: QtBot, clock: FakeClock, journal: Journal
) -> None:
    lively = Exercise(
        id="lively", title="Stand and stretch", kind="movement", minutes=1,
        effect="energising", steps=(GuidedStep("Stand up.", 10),),
    )  # fmt: skip
    asked: list[str] = []

    def suggest(state: str) -> Exercise | None:
        asked.append(state)
        return lively

    player = PlayerWindow(
        held(), clock, Settings(), FakeSound(), save=JournalWriter(journal).save, suggest=suggest
    )
    qtbot.addWidget(player)
    player.show()
    qtbot.waitExposed(player)
    assert player.exercise.effect == "settling" and player.checkin is not None
    player.checkin.buttons["between"].click()
    assert not player.switch_button.isVisible() and asked == []
    player.checkin.buttons["flat"].click()
    assert asked == ["flat"]
    assert player.switch_button.isVisible()
    assert "Stand and stretch" in player.switch_button.text()
    with qtbot.waitSignal(player.switch) as switched:
        player.switch_button.click()
    assert switched.args == ["lively"]
    assert not player.isVisible()
    assert journal.query(PracticeRecord) == []  # it had barely begun: nothing to keep
