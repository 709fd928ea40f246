"""Chimes: the right file for each event and level, silence done politely, shipped WAVs."""

from __future__ import annotations

import itertools
import logging
import math
import os
import struct
import subprocess
import sys
import threading
import types
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.assets import asset
from companion.runtime import sound as sound_mod
from companion.runtime.sound import Sound, detect_player, install_hint, sound_file

WAIT = 5.0  # seconds; a bound on waiting for the worker thread, never a sleep


class FakeHandle:
    def __init__(self, path: str) -> None:
        self.path = path
        self.alive = True

    def is_alive(self) -> bool:
        return self.alive

    def stop(self) -> None:
        self.alive = False


class FakeBackend:
    def __init__(self) -> None:
        self.handles: list[FakeHandle] = []
        self.alive_at_start: list[int] = []

    def __call__(self, path: str) -> FakeHandle:
        self.alive_at_start.append(sum(h.alive for h in self.handles))
        handle = FakeHandle(path)
        self.handles.append(handle)
        return handle

    @property
    def names(self) -> list[str]:
        return [Path(h.path).name for h in self.handles]


@pytest.fixture
def sounds() -> Iterator[list[Sound]]:
    """Sounds made in a test, closed after it so no worker thread outlives it."""
    made: list[Sound] = []
    yield made
    for s in made:
        s.close()


@pytest.fixture
def no_players(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("PLAYSOUND3_BACKEND", raising=False)


def _fake_bin(tmp_path: Path, *names: str) -> str:
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    for name in names:
        program = folder / name
        program.write_text("#!/bin/sh\nexit 0\n")
        program.chmod(0o755)
    return str(folder)


def _sound_logs(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "companion.sound" and r.levelno >= logging.INFO]


# -- choosing the file --------------------------------------------------------------------


@pytest.mark.parametrize("level", ["quiet", "normal"])
def test_fake_backend_gets_the_file_for_each_event_and_level(
    level: str, sounds: list[Sound]
) -> None:
    backend = FakeBackend()
    s = Sound(level, backend=backend, ticks=True)
    sounds.append(s)
    for event in ("start", "tick", "end"):
        s.play(event)
        assert s.flush(WAIT)
    assert backend.names == [
        f"chime-start-{level}.wav",
        f"tick-{level}.wav",
        f"chime-end-{level}.wav",
    ]
    assert all(Path(h.path).is_file() for h in backend.handles)


def test_changing_level_changes_the_file(sounds: list[Sound]) -> None:
    backend = FakeBackend()
    s = Sound("normal", backend=backend)
    sounds.append(s)
    s.play("start")
    s.flush(WAIT)
    s.set_level("quiet")
    s.play("start")
    s.flush(WAIT)
    assert backend.names == ["chime-start-normal.wav", "chime-start-quiet.wav"]


def test_mute_plays_nothing_and_silences_a_playing_chime(sounds: list[Sound]) -> None:
    backend = FakeBackend()
    s = Sound("mute", backend=backend, ticks=True)
    sounds.append(s)
    for event in ("start", "tick", "end"):
        s.play(event)
    assert s.flush(WAIT)
    assert backend.handles == []

    s.set_level("normal")
    s.play("end")
    s.flush(WAIT)
    assert backend.handles[0].alive
    s.set_level("mute")
    assert s.flush(WAIT)
    assert not backend.handles[0].alive


def test_ticks_off_plays_no_tick_but_still_chimes(sounds: list[Sound]) -> None:
    backend = FakeBackend()
    s = Sound("normal", backend=backend)
    sounds.append(s)
    s.play("start")
    s.flush(WAIT)
    for _ in range(3):
        s.play("tick")
    s.flush(WAIT)
    s.play("end")
    s.flush(WAIT)
    assert backend.names == ["chime-start-normal.wav", "chime-end-normal.wav"]

    s.set_ticks(True)
    s.play("tick")
    s.flush(WAIT)
    assert backend.names[-1] == "tick-normal.wav"


def test_unknown_level_or_event_is_refused() -> None:
    with pytest.raises(ValueError, match="mute, quiet, normal"):
        Sound("loud", backend=FakeBackend())
    with pytest.raises(ValueError, match="loud"):
        Sound(backend=FakeBackend()).set_level("loud")
    with pytest.raises(ValueError, match="unknown sound event"):
        sound_file("ring", "normal")
    assert sound_file("start", "mute") is None


# -- never blocking, never two at once ------------------------------------------------------


def test_play_returns_while_the_player_is_still_starting(sounds: list[Sound]) -> None:
    started = threading.Event()
    release = threading.Event()
    calls: list[str] = []

    def slow_backend(path: str) -> None:
        started.set()
        release.wait(WAIT)
        calls.append(path)

    s = Sound(backend=slow_backend)
    sounds.append(s)
    s.play("start")  # returns although the backend has not finished
    assert started.wait(WAIT)
    assert calls == []
    release.set()
    assert s.flush(WAIT)
    assert len(calls) == 1


def test_previous_sound_is_stopped_before_the_next_starts(sounds: list[Sound]) -> None:
    backend = FakeBackend()
    s = Sound("normal", backend=backend, ticks=True)
    sounds.append(s)
    for event in ("start", "tick", "tick", "end"):
        s.play(event)
        s.flush(WAIT)
    assert backend.alive_at_start == [0, 0, 0, 0]
    assert [h.alive for h in backend.handles] == [False, False, False, True]
    s.close()
    assert not backend.handles[-1].alive


def test_a_real_player_process_is_ended_before_the_next(sounds: list[Sound]) -> None:
    processes: list[subprocess.Popen[bytes]] = []

    def process_backend(path: str) -> subprocess.Popen[bytes]:
        # A stand-in player that would run for a minute.
        proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        processes.append(proc)
        return proc

    s = Sound(backend=process_backend)
    sounds.append(s)
    s.play("start")
    s.flush(WAIT)
    s.play("end")
    s.flush(WAIT)
    assert processes[0].poll() is not None  # ended and reaped
    assert processes[1].poll() is None
    s.close()
    assert processes[1].poll() is not None


def test_a_backend_that_raises_logs_once_and_the_app_goes_on(
    sounds: list[Sound], caplog: pytest.LogCaptureFixture
) -> None:
    def broken(path: str) -> None:
        raise OSError("device busy")

    caplog.set_level(logging.DEBUG, logger="companion.sound")
    s = Sound(backend=broken)
    sounds.append(s)
    for _ in range(4):
        s.play("start")
        s.flush(WAIT)
    logs = _sound_logs(caplog)
    assert len(logs) == 1
    assert "device busy" in logs[0].getMessage()


# -- no player on the system ---------------------------------------------------------------


@pytest.mark.usefixtures("no_players")
def test_no_player_is_silent_with_exactly_one_log_line(
    sounds: list[Sound], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="companion.sound")
    s = Sound("normal", ticks=True)
    sounds.append(s)
    assert not s.available()
    for event in ("start", "tick", "end", "start", "end"):
        s.play(event)
    assert s.flush(WAIT)
    logs = _sound_logs(caplog)
    assert len(logs) == 1
    assert "no audio player" in logs[0].getMessage()
    assert "apt install" in logs[0].getMessage()
    assert not any(t.name == "companion-sound" for t in threading.enumerate())


def test_player_whose_import_fails_is_silent_with_one_log_line(
    sounds: list[Sound], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYSOUND3_BACKEND", "gstreamer")
    monkeypatch.setitem(sys.modules, "playsound3", None)  # import raises ImportError
    caplog.set_level(logging.DEBUG, logger="companion.sound")
    s = Sound("normal")
    sounds.append(s)
    for _ in range(3):
        s.play("start")
        s.flush(WAIT)
    logs = _sound_logs(caplog)
    assert len(logs) == 1
    assert "sounds are off" in logs[0].getMessage()
    assert not s.available()


def test_detect_player_follows_playsound3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLAYSOUND3_BACKEND", raising=False)
    monkeypatch.setenv("PATH", _fake_bin(tmp_path))
    assert detect_player("linux") is None
    assert detect_player("darwin") is None
    assert detect_player("win32") == "winmm"
    _fake_bin(tmp_path, "aplay")
    assert detect_player("linux") is None  # playsound3's ALSA backend also needs mpg123
    _fake_bin(tmp_path, "mpg123")
    assert detect_player("linux") == "aplay"
    _fake_bin(tmp_path, "ffplay")
    assert detect_player("linux") == "ffplay"
    _fake_bin(tmp_path, "gst-play-1.0")
    assert detect_player("linux") == "gst-play-1.0"


def test_install_hint_names_the_package() -> None:
    assert "sudo apt install gstreamer1.0-plugins-base-apps" in install_hint("linux")
    assert "nothing to install" in install_hint("darwin")


# -- the real playsound3 path, with a stand-in module --------------------------------------


def _fake_playsound3(record: list[dict[str, object]]) -> types.ModuleType:
    module = types.ModuleType("playsound3")

    def playsound(path: str, block: bool = True) -> FakeHandle:
        record.append(
            {"path": path, "block": block, "LD_LIBRARY_PATH": os.environ.get("LD_LIBRARY_PATH")}
        )
        return FakeHandle(path)

    module.playsound = playsound  # type: ignore[attr-defined]
    module.DEFAULT_BACKEND = "gstreamer"  # type: ignore[attr-defined]
    return module


def test_playsound3_is_called_without_blocking(
    sounds: list[Sound], monkeypatch: pytest.MonkeyPatch
) -> None:
    record: list[dict[str, object]] = []
    monkeypatch.setenv("PLAYSOUND3_BACKEND", "gstreamer")
    monkeypatch.setitem(sys.modules, "playsound3", _fake_playsound3(record))
    s = Sound("quiet")
    sounds.append(s)
    assert s.available()
    s.play("end")
    s.flush(WAIT)
    assert [(Path(str(r["path"])).name, r["block"]) for r in record] == [
        ("chime-end-quiet.wav", False)
    ]


@pytest.mark.parametrize(("orig", "expected"), [("/usr/local/lib", "/usr/local/lib"), (None, None)])
def test_frozen_bundle_player_gets_the_system_library_path(
    orig: str | None,
    expected: str | None,
    sounds: list[Sound],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record: list[dict[str, object]] = []
    monkeypatch.setenv("PLAYSOUND3_BACKEND", "gstreamer")
    monkeypatch.setitem(sys.modules, "playsound3", _fake_playsound3(record))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", f"/opt/companion/_internal:{orig or ''}".rstrip(":"))
    if orig is None:
        monkeypatch.delenv("LD_LIBRARY_PATH_ORIG", raising=False)
    else:
        monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", orig)
    s = Sound()
    sounds.append(s)
    s.play("start")
    s.flush(WAIT)
    assert record[0]["LD_LIBRARY_PATH"] == expected
    # the app's own environment is untouched
    assert os.environ["LD_LIBRARY_PATH"].startswith("/opt/companion/_internal")


def _live_children() -> list[int]:
    """PIDs of this process's children that are not yet reaped zombies (Linux /proc)."""
    me = os.getpid()
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        state, ppid = text.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == me and state != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and aplay")
def test_real_playsound3_keeps_one_player_process(
    tmp_path: Path, sounds: list[Sound], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real playsound3, probing and starting stand-in `aplay`/`mpg123` programs."""
    folder = Path(_fake_bin(tmp_path))
    for name in ("aplay", "mpg123"):
        (folder / name).write_text(
            '#!/bin/sh\ncase "$1" in --version) exit 0;; esac\nexec /bin/sleep 60\n'
        )
        (folder / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("PLAYSOUND3_BACKEND", raising=False)
    for module in ("playsound3", "playsound3.playsound3", "playsound3.backends"):
        monkeypatch.delitem(sys.modules, module, raising=False)  # import and probe afresh
    assert _live_children() == []

    s = Sound("normal", ticks=True)
    sounds.append(s)
    assert detect_player() == "aplay"
    assert s.available()
    seen = set()
    for event in ("start", "tick", "end"):
        s.play(event)
        assert s.flush(WAIT)
        alive = _live_children()
        assert len(alive) == 1
        seen.update(alive)
    assert len(seen) == 3  # three players started, each ended before the next
    s.close()
    assert _live_children() == []


def test_module_has_no_qt_and_no_eager_playsound3() -> None:
    source = Path(sound_mod.__file__).read_text()
    assert "PySide6" not in source
    assert "\nimport playsound3" not in source and "\nfrom playsound3" not in source


# -- the shipped WAVs ---------------------------------------------------------------------


def _read(name: str) -> tuple[wave._wave_params, list[int]]:
    with wave.open(str(asset("sounds", name)), "rb") as w:
        params = w.getparams()
        frames = w.readframes(params.nframes)
    return params, list(struct.unpack(f"<{params.nframes}h", frames))


def _rms(samples: list[int]) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples))


def _crossings_per_second(samples: list[int]) -> float:
    flips = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return flips / (len(samples) / 44_100)


ALL_WAVS = [
    f"{stem}-{level}.wav"
    for stem in ("chime-start", "chime-end", "tick")
    for level in ("quiet", "normal")
]


@pytest.mark.parametrize("name", ALL_WAVS)
def test_shipped_wav_is_valid_small_and_clean(name: str) -> None:
    params, samples = _read(name)
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 44_100)
    seconds = params.nframes / params.framerate
    if name.startswith("tick"):
        assert seconds < 0.3
    else:
        assert 1.5 <= seconds <= 3.5
    assert asset("sounds", name).stat().st_size < 300_000
    assert max(abs(s) for s in samples) < 0.8 * 32_767  # no clipping, nothing harsh
    assert abs(samples[0]) < 200 and abs(samples[-1]) < 50  # no click at either end


@pytest.mark.parametrize("stem", ["chime-start", "chime-end", "tick"])
def test_quiet_is_quieter_than_normal(stem: str) -> None:
    _, quiet = _read(f"{stem}-quiet.wav")
    _, normal = _read(f"{stem}-normal.wav")
    ratio_db = 20 * math.log10(_rms(normal) / _rms(quiet))
    assert ratio_db >= 6


@pytest.mark.parametrize("stem", ["chime-start", "chime-end"])
def test_chime_decays(stem: str) -> None:
    _, samples = _read(f"{stem}-normal.wav")
    half_second = 22_050
    head = _rms(samples[:half_second])
    tail = _rms(samples[-half_second:])
    assert 20 * math.log10(head / tail) >= 20


def test_end_chime_is_lower_and_longer_than_start() -> None:
    start_params, start = _read("chime-start-normal.wav")
    end_params, end = _read("chime-end-normal.wav")
    assert end_params.nframes > start_params.nframes
    assert _crossings_per_second(end[22_050:]) < _crossings_per_second(start[22_050:])
