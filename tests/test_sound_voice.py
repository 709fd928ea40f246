"""The real Sound keeps the contract of tests/fake_sound.py: spoken cues, breath tones, the
step chime, guidance, hush, the system voice for a person's own practice, and one line
that says why nothing can be heard."""

from __future__ import annotations

import itertools
import logging
import math
import struct
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion import i18n
from companion.assets import asset
from companion.core.exercises import load_library
from companion.runtime import sound as sound_mod
from companion.runtime import voice
from companion.runtime.sound import Sound
from tests.fake_sound import FakeSound

WAIT = 5.0


class Handle:
    def __init__(self, what: str) -> None:
        self.what = what
        self.alive = True

    def is_alive(self) -> bool:
        return self.alive

    def stop(self) -> None:
        self.alive = False


class Recorder:
    """A backend and a speaker in one: what was started, in order, with its handle."""

    def __init__(self) -> None:
        self.handles: list[Handle] = []

    def __call__(self, path: str) -> Handle:
        handle = Handle(Path(path).name)
        self.handles.append(handle)
        return handle

    def say(self, text: str) -> Handle:
        handle = Handle(f"say:{text}")
        self.handles.append(handle)
        return handle

    @property
    def names(self) -> list[str]:
        return [h.what for h in self.handles]

    def alive(self) -> list[str]:
        return [h.what for h in self.handles if h.alive]


@pytest.fixture
def english() -> Iterator[None]:
    was = i18n.language()
    i18n.use("en")
    yield
    i18n.use(was)


@pytest.fixture
def made() -> Iterator[list[Sound]]:
    sounds: list[Sound] = []
    yield sounds
    for s in sounds:
        s.close()


def make(made: list[Sound], rec: Recorder, **kw: object) -> Sound:
    s = Sound(backend=rec, speaker=rec.say, **kw)  # type: ignore[arg-type]
    made.append(s)
    return s


def shipped_cue() -> str:
    exercise = load_library()["body-scan-5"]
    return next(s.cue for s in exercise.steps if s.cue)


def key_of(text: str) -> str:
    return voice.text_key(text)


# -- spoken cues --------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("level", ["quiet", "normal"])
def test_a_shipped_cue_plays_its_rendered_voice_at_the_level(level: str, made: list[Sound]) -> None:
    rec = Recorder()
    s = make(made, rec, level=level)
    text = shipped_cue()
    s.cue(text)
    assert s.flush(WAIT)
    assert rec.names == [f"{key_of(text)}-{level}.mp3"]
    assert voice.cue_file(text, level) is not None


@pytest.mark.usefixtures("english")
def test_the_next_cue_stops_the_speech_before_it_but_not_a_breath_tone(
    made: list[Sound],
) -> None:
    rec = Recorder()
    s = make(made, rec, ticks=True)
    steps = [st.cue for st in load_library()["body-scan-5"].steps if st.cue][:2]
    s.cue(steps[0])
    s.flush(WAIT)
    s.play("inhale")
    s.flush(WAIT)
    s.cue(steps[1])
    s.flush(WAIT)
    assert rec.alive() == ["breath-in-normal.wav", f"{key_of(steps[1])}-normal.mp3"]


@pytest.mark.usefixtures("english")
def test_hush_stops_speech_now_and_stop_stops_everything(made: list[Sound]) -> None:
    rec = Recorder()
    s = make(made, rec, ticks=True)
    s.cue(shipped_cue())
    s.flush(WAIT)
    s.play("exhale")
    s.flush(WAIT)
    s.hush()
    s.flush(WAIT)
    assert rec.alive() == ["breath-out-normal.wav"]
    s.cue(shipped_cue())
    s.flush(WAIT)
    s.stop()
    s.flush(WAIT)
    assert rec.alive() == []


@pytest.mark.usefixtures("english")
def test_a_cue_with_no_audio_is_heard_as_the_step_chime(made: list[Sound]) -> None:
    rec = Recorder()
    s = make(made, rec)
    s.cue("Words no practice ships, so nothing was rendered for them.")
    s.flush(WAIT)
    s.cue("")
    s.flush(WAIT)
    assert rec.names == ["chime-step-normal.wav", "chime-step-normal.wav"]


@pytest.mark.usefixtures("english")
def test_a_persons_own_practice_gets_the_system_voice(made: list[Sound]) -> None:
    rec = Recorder()
    s = make(made, rec)
    s.cue("Look at the tree outside the window.", user=True)
    s.flush(WAIT)
    assert rec.names == ["say:Look at the tree outside the window."]


def test_without_a_system_voice_a_persons_cue_is_the_step_chime(
    made: list[Sound], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voice, "system_voice", lambda platform=None: None)
    rec = Recorder()
    s = Sound(backend=rec)
    made.append(s)
    s.cue("Look at the tree outside the window.", user=True)
    s.flush(WAIT)
    assert rec.names == ["chime-step-normal.wav"]


def test_a_system_voice_that_fails_never_fails_the_player(
    made: list[Sound], caplog: pytest.LogCaptureFixture
) -> None:
    def broken(text: str) -> None:
        raise OSError("no speech server")

    caplog.set_level(logging.DEBUG, logger="companion.sound")
    s = Sound(backend=Recorder(), speaker=broken)
    made.append(s)
    for _ in range(3):
        s.cue("My own words.", user=True)
        assert s.flush(WAIT)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        "the system voice did not start: no speech server"
    ]


def test_the_english_voice_is_silent_in_the_pseudo_locale(made: list[Sound]) -> None:
    text = shipped_cue()
    i18n.use(i18n.PSEUDO)
    try:
        rec = Recorder()
        s = make(made, rec)
        s.cue(text)
        s.flush(WAIT)
        assert rec.names == ["chime-step-normal.wav"]
        assert voice.cue_file(text, "normal") is None
    finally:
        i18n.use("en")


# -- guidance, tones and chimes -----------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_tones_only_hears_cues_as_the_step_chime_and_silent_hears_nothing(
    made: list[Sound],
) -> None:
    rec = Recorder()
    s = make(made, rec, guidance="tones", ticks=True)
    s.cue(shipped_cue())
    s.flush(WAIT)
    s.play("hold")
    s.flush(WAIT)
    assert rec.names == ["chime-step-normal.wav", "breath-hold-normal.wav"]
    s.set_guidance("silent")
    s.flush(WAIT)
    assert rec.alive() == []
    for event in ("start", "inhale", "end"):
        s.play(event)
    s.cue(shipped_cue())
    s.flush(WAIT)
    assert len(rec.names) == 2
    with pytest.raises(ValueError, match="voice, tones, silent"):
        s.set_guidance("loud")


@pytest.mark.usefixtures("english")
def test_leaving_the_voice_hushes_what_it_is_saying(made: list[Sound]) -> None:
    rec = Recorder()
    s = make(made, rec)
    s.cue(shipped_cue())
    s.flush(WAIT)
    s.set_guidance("tones")
    s.flush(WAIT)
    assert rec.alive() == []


def test_breath_tones_follow_the_setting(made: list[Sound]) -> None:
    rec = Recorder()
    s = make(made, rec)  # breath tones off
    for event in ("inhale", "hold", "exhale"):
        s.play(event)
    s.flush(WAIT)
    assert rec.names == []
    s.set_ticks(True)
    for event in ("inhale", "hold", "exhale"):
        s.play(event)
        s.flush(WAIT)
    assert rec.names == ["breath-in-normal.wav", "breath-hold-normal.wav", "breath-out-normal.wav"]


@pytest.mark.usefixtures("english")
def test_mute_is_still_accepted_and_plays_nothing(made: list[Sound]) -> None:
    rec = Recorder()
    s = make(made, rec, level="mute", ticks=True)
    s.cue(shipped_cue())
    s.cue("mine", user=True)
    s.play("inhale")
    s.play("start")
    s.flush(WAIT)
    assert rec.names == []


@pytest.mark.usefixtures("english")
def test_the_fake_and_the_real_sound_hear_the_same(made: list[Sound]) -> None:
    """A practice's sounds as the player asks for them: the fake used by the player's
    tests and the real Sound agree on what is heard."""
    text = shipped_cue()
    script = [
        ("play", "start"),
        ("cue", text),
        ("play", "inhale"),
        ("play", "hold"),
        ("play", "exhale"),
        ("cue", ""),
        ("hush", ""),
        ("play", "end"),
    ]
    for guidance, ticks in itertools.product(("voice", "tones", "silent"), (True, False)):
        rec = Recorder()
        real = make(made, rec, guidance=guidance, ticks=ticks)
        fake = FakeSound(guidance=guidance)
        fake.set_ticks(ticks)
        for what, arg in script:
            for s in (real, fake):
                if what == "hush":
                    s.hush()
                else:
                    getattr(s, what)(arg)
            real.flush(WAIT)
        expected = [
            f"{key_of(h[4:])}-normal.mp3" if h.startswith("cue:") else _file(h)
            for h in fake.heard()
        ]
        assert rec.names == expected, (guidance, ticks)


def _file(event: str) -> str:
    path = sound_mod.sound_file(event, "normal")
    assert path is not None
    return path.name


# -- telling the truth ----------------------------------------------------------------------


def test_no_player_is_said_in_one_line_with_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made: list[Sound]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("PLAYSOUND3_BACKEND", raising=False)
    s = Sound()
    made.append(s)
    line = s.problem()
    assert "\n" not in line
    assert "No audio player" in line
    assert "sudo apt install gstreamer1.0-plugins-base-apps" in line
    assert not s.voice_available()
    assert Sound(backend=Recorder()).problem() == ""


def test_voice_status_says_whether_the_voice_is_here(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    i18n.use("en")
    ok, line = voice.voice_status()
    assert ok and "spoken cues" in line
    voice._clips.cache_clear()
    monkeypatch.setattr(voice, "voice_dir", lambda: tmp_path)
    try:
        ok, line = voice.voice_status()
        assert not ok and "not installed" in line
        assert not voice.voice_present()
    finally:
        monkeypatch.undo()
        voice._clips.cache_clear()


# -- the system voice's command lines -------------------------------------------------------


def test_system_voice_commands_are_slow_and_never_parse_the_text() -> None:
    text = 'Rest; $(rm -rf ~) `x` -- "quoted"'
    spd = voice.speak_command(text, "spd-say", "linux")
    assert spd[:2] == ["spd-say", "--wait"] and spd[-1] == text and "--" in spd
    say = voice.speak_command(text, "say", "darwin")
    assert say[-1] == text and "-r" in say
    ps = voice.speak_command(text, r"C:\Windows\powershell.exe", "win32")
    assert text not in " ".join(ps)  # the text goes through the environment
    assert "$env:COMPANION_SAY_TEXT" in ps[-1]


def test_speech_runs_a_program_and_stops_it(tmp_path: Path) -> None:
    program = tmp_path / "say"
    program.write_text("#!/bin/sh\nexec /bin/sleep 60\n")
    program.chmod(0o755)
    speech = voice.Speech("Hello", str(program), "darwin")
    assert speech.is_alive()
    speech.stop()
    assert not speech.is_alive()


# -- the tones themselves -----------------------------------------------------------------


def _read(name: str) -> list[int]:
    with wave.open(str(asset("sounds", name)), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 44_100)
        n = w.getnframes()
        return list(struct.unpack(f"<{n}h", w.readframes(n)))


def _pitch(samples: list[int]) -> float:
    """Zero crossings a second: follows the pitch of a near-pure tone."""
    flips = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return flips / (len(samples) / 44_100) / 2


def _rms(samples: list[int]) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples))


NEW = ["chime-step", "breath-in", "breath-out", "breath-hold"]


@pytest.mark.parametrize("stem", NEW)
@pytest.mark.parametrize("level", ["quiet", "normal"])
def test_new_tones_are_soft_short_and_clean(stem: str, level: str) -> None:
    samples = _read(f"{stem}-{level}.wav")
    assert len(samples) / 44_100 <= 1.5
    assert max(abs(s) for s in samples) < 0.3 * 32_767  # softer than the start chime
    assert abs(samples[0]) < 200 and abs(samples[-1]) < 50


@pytest.mark.parametrize("stem", NEW)
def test_quiet_tones_are_quieter(stem: str) -> None:
    ratio = _rms(_read(f"{stem}-normal.wav")) / _rms(_read(f"{stem}-quiet.wav"))
    assert 20 * math.log10(ratio) >= 6


def test_in_rises_out_falls_hold_stays() -> None:
    def ends(stem: str) -> tuple[float, float]:
        s = _read(f"{stem}-normal.wav")
        third = len(s) // 3
        return _pitch(s[:third]), _pitch(s[-third:])

    first, last = ends("breath-in")
    assert last > first * 1.15
    first, last = ends("breath-out")
    assert last < first / 1.15
    first, last = ends("breath-hold")
    assert abs(last - first) < first * 0.03
    # and each is told apart from the others by pitch where it ends
    assert ends("breath-in")[1] > ends("breath-hold")[1] > ends("breath-out")[1]
