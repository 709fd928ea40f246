"""The shipped voice: every cue has audio rendered from its current words, the audio
decodes, is calm, quiet enough, consistent, small, and never longer than its step.

When a test here fails after a practice's words changed, run `make voice`
(assets/voice/render.py) and commit the new audio with the text.
"""

from __future__ import annotations

import json
import math
from array import array
from functools import cache
from pathlib import Path

import pytest

from companion import i18n
from companion.core.exercises import (
    MIN_CYCLES,
    MIN_SELF_PACED_SECONDS,
    BreathingStep,
    Exercise,
    SelfPacedStep,
    load_library,
)
from companion.runtime import voice

miniaudio = pytest.importorskip("miniaudio")  # the test extra installs it

VOICE = voice.voice_dir()
MAX_LIBRARY_BYTES = 20_000_000


@cache
def shipped() -> tuple[Exercise, ...]:
    was = i18n.language()
    i18n.use("en")
    try:
        return tuple(e for e in load_library() if not e.user)
    finally:
        i18n.use(was)


def manifest() -> dict[str, dict[str, object]]:
    data = json.loads((VOICE / voice.MANIFEST).read_text(encoding="utf-8"))
    cues: dict[str, dict[str, object]] = data["cues"]
    return cues


def spoken(exercise: Exercise) -> list[str]:
    return [t for t in (s.cue for s in exercise.steps) if t.strip()]


@cache
def decoded(name: str) -> tuple[float, array[int]]:
    """(seconds, 16-bit samples) of one MP3, decoded by miniaudio (dr_mp3)."""
    sound = miniaudio.mp3_read_file_s16(str(VOICE / name))
    assert sound.nchannels == 1
    return sound.num_frames / sound.sample_rate, sound.samples


def _dbfs(samples: array[int]) -> float:
    """RMS of the speech (20 ms frames above -50 dBFS), in dBFS."""
    frame = 441
    loud = []
    for i in range(0, len(samples) - frame, frame):
        chunk = samples[i : i + frame]
        ms = sum(s * s for s in chunk) / frame
        if ms > (32_768 * 10 ** (-50 / 20)) ** 2:
            loud.append(ms)
    return 10 * math.log10(sum(loud) / len(loud) / 32_768**2)


def test_every_shipped_cue_has_audio_of_its_current_words() -> None:
    cues = manifest()
    stale = []
    for exercise in shipped():
        for text in spoken(exercise):
            entry = cues.get(voice.text_key(text))
            if entry is None or entry["text"] != voice.normalise(text):
                stale.append(f"{exercise.id}: {text[:50]}")
                continue
            for name in dict(entry["files"]).values():  # type: ignore[call-overload]
                assert (VOICE / str(name)).is_file(), name
    assert not stale, "run `make voice`; no audio for:\n" + "\n".join(stale)


def test_the_runtime_finds_each_cue_at_each_level() -> None:
    i18n.use("en")
    exercise = shipped()[0]
    text = spoken(exercise)[-1]
    for level in ("quiet", "normal"):
        path = voice.cue_file(text, level)
        assert path is not None and path.name.endswith(f"-{level}.mp3")
    assert voice.cue_file(text, "mute") is None
    assert voice.cue_file(text + " And one word more.", "normal") is None  # changed text


def test_no_audio_is_left_that_no_practice_speaks() -> None:
    wanted = {voice.text_key(t) for e in shipped() for t in spoken(e)}
    assert set(manifest()) <= wanted
    named = {str(n) for entry in manifest().values() for n in dict(entry["files"]).values()}  # type: ignore[call-overload]
    on_disk = {f"cues/{p.name}" for p in (VOICE / "cues").glob("*")}
    assert on_disk == named


def test_audio_decodes_and_matches_the_manifest() -> None:
    for entry in manifest().values():
        seconds = float(entry["seconds"])  # type: ignore[arg-type]
        for name in dict(entry["files"]).values():  # type: ignore[call-overload]
            length, samples = decoded(str(name))
            # MP3 adds a frame or two of encoder delay and padding, no more.
            assert abs(length - seconds) < 0.12, (name, length, seconds)
            assert min(samples) > -32_000 and max(samples) < 32_000, name  # never clipped


def _shortest(step: object) -> float:
    """The least time a step can have once `fit()` has shortened its practice."""
    if isinstance(step, BreathingStep):
        return step.pattern.cycle_seconds * min(step.cycles, MIN_CYCLES)
    if isinstance(step, SelfPacedStep):
        return min(step.limit_seconds, MIN_SELF_PACED_SECONDS)
    return float(step.seconds)  # type: ignore[attr-defined]


def test_every_spoken_cue_ends_before_its_step_does() -> None:
    too_long = []
    for exercise in shipped():
        for n, step in enumerate(exercise.steps, 1):
            if not step.cue.strip():
                continue
            entry = manifest()[voice.text_key(step.cue)]
            length, _ = decoded(str(dict(entry["files"])["normal"]))  # type: ignore[call-overload]
            if length >= _shortest(step):
                too_long.append(f"{exercise.id} step {n}: {length:.1f} s >= {_shortest(step)} s")
    assert not too_long, "\n".join(too_long)


def test_speech_is_calm() -> None:
    words = seconds = 0.0
    for entry in manifest().values():
        length, _ = decoded(str(dict(entry["files"])["normal"]))  # type: ignore[call-overload]
        n = int(entry["words"])  # type: ignore[call-overload]
        assert n == voice.word_count(str(entry["text"]))
        rate = n * 60 / length
        assert 70 <= rate <= 175, (entry["text"], round(rate))
        words += n
        seconds += length
    assert 100 <= words * 60 / seconds <= 150


def test_loudness_is_even_and_quiet_is_quieter() -> None:
    normal = []
    for entry in manifest().values():
        files = dict(entry["files"])  # type: ignore[call-overload]
        loud = _dbfs(decoded(str(files["normal"]))[1])
        soft = _dbfs(decoded(str(files["quiet"]))[1])
        assert 8 <= loud - soft <= 12, entry["text"]
        normal.append(loud)
    # Every cue within a few dB of the others: nothing startles, nothing is lost.
    assert max(normal) - min(normal) < 6, (min(normal), max(normal))
    assert -26 < sum(normal) / len(normal) < -14


def test_the_whole_library_stays_small() -> None:
    total = sum(p.stat().st_size for p in (VOICE / "cues").glob("*.mp3"))
    assert total < MAX_LIBRARY_BYTES


def test_format_plays_everywhere() -> None:
    """Constant-bitrate MPEG audio layer III (winmm trips over variable bitrate), mono."""
    for path in sorted((VOICE / "cues").glob("*.mp3"))[:20]:
        data = path.read_bytes()
        assert data[:2] == b"\xff\xfb" or data[:2] == b"\xff\xf3" or data[:3] == b"ID3", path
        info = miniaudio.mp3_get_info(data)
        assert info.nchannels == 1 and info.sample_rate == 22_050
        assert path.stat().st_size * 8 / info.duration < 48_000  # 40 kb/s, give or take


def test_readme_names_engine_voice_dataset_and_licence() -> None:
    text = (VOICE / "README.md").read_text(encoding="utf-8")
    data = json.loads((VOICE / voice.MANIFEST).read_text(encoding="utf-8"))
    for word in ("Piper", "en_US-joe-medium", "CC0", "lessac", "Blizzard", "make voice"):
        assert word in text, word
    assert data["settings"]["voice"] == "en_US-joe-medium"
    assert Path(VOICE / "render.py").is_file()
