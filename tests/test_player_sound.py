"""What the player says aloud, and when: the cue at each step's start (the voice, or the
step chime), a tone at each breath phase, a hush at every boundary, on pause, on Stop and
on close, and nothing after Stop.

The sound is tests/fake_sound.py, here with the fake clock's time beside each entry. The
player's own timer is "fired" by `run_for` (the clock moves to the moment the timer was
set for, then its slot runs), so these tests also show that the player wakes on time for
every tone and cue, not only that it would play them if asked.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from companion.core.clock import FakeClock
from companion.core.exercises import (
    BreathingStep,
    BreathPattern,
    Exercise,
    GuidedStep,
    SelfPacedStep,
    load_library,
)
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.settings import Settings
from companion.core.writer import JournalWriter
from companion.ui.player import LEAD_IN_S, PlayerWindow
from tests.fake_sound import FakeSound

START = datetime(2026, 3, 2, 10, 50, tzinfo=timezone(timedelta(hours=1)))
PATTERN = BreathPattern(inhale=4, hold_in=2, exhale=6)  # a 12 s cycle


class TimedSound(FakeSound):
    """FakeSound that also notes when (seconds of practice clock) each thing was heard."""

    def __init__(self, clock: FakeClock, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.t0 = clock.monotonic()
        self.at: list[tuple[float, str]] = []

    def _note(self, before: int) -> None:
        for entry in self.played[before:]:
            self.at.append((round(self.clock.monotonic() - self.t0, 3), entry))

    def play(self, event: str) -> None:
        n = len(self.played)
        super().play(event)
        self._note(n)

    def cue(self, text: str, *, user: bool = False) -> None:
        n = len(self.played)
        super().cue(text, user=user)
        self._note(n)

    def hush(self) -> None:
        n = len(self.played)
        super().hush()
        self._note(n)

    def since(self, t: float) -> list[tuple[float, str]]:
        return [(when, what) for when, what in self.at if when >= t and what != "hush"]


def practice() -> Exercise:
    return Exercise(
        id="mixed",
        title="Mixed",
        kind="grounding",
        minutes=1,
        steps=(
            GuidedStep("Settle in.", 10),
            GuidedStep("", 5),  # no words: the step chime
            BreathingStep(PATTERN, cycles=2, cue="Breathe with it."),
            SelfPacedStep("Look around the room.", "Done looking", 20),
        ),
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def make(qtbot: QtBot, clock: FakeClock):  # type: ignore[no-untyped-def]
    journal = Journal(resolve_paths().ensure(), clock).open()

    def build(exercise: Exercise, **settings: object) -> tuple[PlayerWindow, TimedSound]:
        sound = TimedSound(clock, guidance=str(settings.get("guidance", "voice")))
        player = PlayerWindow(
            exercise,
            clock,
            Settings(ratings=False, **settings),  # type: ignore[arg-type]
            sound,
            save=JournalWriter(journal).save,
        )
        qtbot.addWidget(player)
        player.show()
        qtbot.waitExposed(player)
        return player, sound

    yield build
    journal.close()


def timer_of(player: PlayerWindow) -> QTimer:
    timer = player.findChild(QTimer, "player-tick")
    assert timer is not None
    return timer


def run_for(player: PlayerWindow, clock: FakeClock, seconds: float) -> None:
    """Let `seconds` of practice clock pass as the real timer would: move to each moment
    the player's timer was set for and run its slot there."""
    end = clock.monotonic() + seconds
    timer = timer_of(player)
    while clock.monotonic() < end - 1e-9:
        if not timer.isActive():
            clock.advance(end - clock.monotonic())
            break
        wait = min(timer.interval() / 1000.0, end - clock.monotonic())
        timer.stop()
        clock.advance(wait)
        player.tick()


def test_each_step_starts_with_its_cue_and_each_breath_phase_with_its_tone(
    make, clock: FakeClock
) -> None:
    player, sound = make(practice())
    run_for(player, clock, LEAD_IN_S + 10 + 5 + 24 + 1)
    heard = sound.since(0)
    s = LEAD_IN_S
    expected = [
        (0, "start"),  # with the first screen: the first cue is not spoken over it
        (s, "cue:Settle in."),
        (s + 10, "step"),  # a guided step with no words gets the soft step chime
        (s + 15, "cue:Breathe with it."),
        (s + 15, "inhale"),
        (s + 19, "hold"),
        (s + 21, "exhale"),
        (s + 27, "inhale"),
        (s + 31, "hold"),
        (s + 33, "exhale"),
        (s + 39, "cue:Look around the room."),
    ]
    assert [what for _, what in heard] == [what for _, what in expected]
    for (when, what), (planned, _) in zip(heard, expected, strict=True):
        # The timer wakes just after each boundary (at most its 1 ms rounding and 1 ms).
        assert planned <= when <= planned + 0.003, (what, when, planned)


def test_speech_is_hushed_at_every_step_boundary_before_the_next_cue(
    make, clock: FakeClock
) -> None:
    player, sound = make(practice())
    run_for(player, clock, LEAD_IN_S + 16)
    player.next_step()  # skipping on through the breathing
    cues = [i for i, p in enumerate(sound.played) if p.startswith("cue:") or p == "step"]
    assert len(cues) == 4
    for i in cues:
        assert sound.played[i - 1] == "hush" or sound.played[i - 1] == "start", sound.played


def test_pause_hushes_and_nothing_is_heard_until_the_next_boundary_after_resuming(
    make, clock: FakeClock
) -> None:
    breath = Exercise(
        id="b",
        title="B",
        kind="breathing",
        minutes=1,
        steps=(BreathingStep(PATTERN, cycles=2, cue=""), GuidedStep("Rest now.", 10)),
    )
    player, sound = make(breath)
    run_for(player, clock, LEAD_IN_S + 3)  # 3 s into the first in-breath
    assert sound.heard() == ["start", "inhale"]  # no words for this step: no chime either
    player.toggle_pause()
    assert sound.played[-1] == "hush"
    paused_at = clock.monotonic() - sound.t0
    run_for(player, clock, 100)
    assert sound.since(paused_at) == []  # nothing while paused
    player.toggle_pause()
    resumed = clock.monotonic() - sound.t0
    run_for(player, clock, 0.999)
    assert sound.since(resumed) == []  # the in-breath goes on; no tone repeated
    run_for(player, clock, 0.01)
    [(when, what)] = sound.since(resumed)
    assert what == "hold" and resumed + 1.0 <= when <= resumed + 1.003
    run_for(player, clock, 2 + 6 + 12)  # the rest of the breathing, after the pause
    assert sound.since(resumed)[-1][1] == "cue:Rest now."
    assert sound.since(resumed)[-1][0] == pytest.approx(resumed + 21, abs=0.004)


def test_nothing_is_heard_after_stop(make, clock: FakeClock) -> None:
    player, sound = make(practice())
    run_for(player, clock, LEAD_IN_S + 16)
    before = len(sound.played)
    player.stop()
    assert "stop" in sound.played[before:]  # the voice and a breath tone still sounding
    assert sound.heard()[-1] != "end"  # no end chime either: the person chose to stop
    n = len(sound.played)
    run_for(player, clock, 300)
    player.tick()
    assert sound.played[n:] == []
    player.end_page.done_button.click()
    assert set(sound.played[n:]) <= {"hush", "stop"}  # closing may silence again; no sound


def test_closing_mid_practice_silences_voice_and_tones(make, clock: FakeClock) -> None:
    player, sound = make(practice())
    run_for(player, clock, LEAD_IN_S + 2)
    player.close()
    assert sound.played[-1] == "stop"
    assert "end" not in sound.played


def test_the_end_hushes_then_chimes(make, clock: FakeClock) -> None:
    player, sound = make(practice())
    run_for(player, clock, LEAD_IN_S + 60)
    assert sound.played[-2:] == ["hush", "end"]


def test_tones_only_hears_a_step_chime_for_each_cue(make, clock: FakeClock) -> None:
    player, sound = make(practice(), guidance="tones")
    run_for(player, clock, LEAD_IN_S + 16)
    assert sound.heard()[:4] == ["start", "step", "step", "step"]
    assert "inhale" in sound.heard()


def test_silent_hears_nothing(make, clock: FakeClock) -> None:
    player, sound = make(practice(), guidance="silent")
    run_for(player, clock, LEAD_IN_S + 60)
    assert sound.heard() == []


def test_a_persons_own_practice_asks_for_the_system_voice(
    make, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    own = Exercise(
        id="mine", title="Mine", kind="grounding", minutes=1, user=True,
        steps=(GuidedStep("My own words.", 10),),
    )  # fmt: skip
    player, sound = make(own)
    original = sound.cue
    monkeypatch.setattr(
        sound, "cue", lambda text, *, user=False: (asked.append(user), original(text, user=user))
    )
    run_for(player, clock, LEAD_IN_S)
    assert asked == [True]


def test_pmr_says_when_to_let_go_at_the_start_of_each_release(make, clock: FakeClock) -> None:
    pmr = load_library()["pmr-4"]
    player, sound = make(pmr)
    run_for(player, clock, LEAD_IN_S + pmr.total_seconds + 1)
    starts, t = [], LEAD_IN_S
    for step in pmr.steps:
        starts.append((t, step.cue))
        t += step.seconds
    spoken = [(when, what[4:]) for when, what in sound.at if what.startswith("cue:")]
    assert [c for _, c in spoken] == [c for _, c in starts]
    for (when, _), (planned, _) in zip(spoken, starts, strict=True):
        assert planned <= when <= planned + 0.003
    releases = [c for _, c in starts if "let go" in c.lower() or c.startswith("Release")]
    assert len(releases) >= 4


def test_a_sound_that_fails_is_one_log_line_and_the_practice_goes_on(
    make, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    player, sound = make(practice())

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no voice here")

    sound.cue = broken  # type: ignore[method-assign]
    with caplog.at_level("WARNING", logger="companion.player"):
        run_for(player, clock, LEAD_IN_S + 20)
    assert [r.getMessage() for r in caplog.records] == ["sound cue failed: no voice here"]
    assert player.page == "practice" and player.step_label.text() == "Step 3 of 4"


def test_a_hidden_player_still_wakes_for_each_breath_tone(make, clock: FakeClock) -> None:
    player, _sound = make(practice())
    run_for(player, clock, LEAD_IN_S + 15.5)  # half a second into the in-breath
    player.hide()
    player.tick()
    assert 3400 <= timer_of(player).remainingTime() <= 3600  # the hold's tone, not 1 s
