"""Chimes, breath tones and spoken cues through playsound3, behind a small interface
that never blocks.

The contract (tests/fake_sound.py is its stand-in for tests):

- `play(event)`: "start" and "end" of a practice, "step" (a soft chime for a guided step
  with no spoken cue), and the breath tones "inhale", "exhale", "hold" (only while breath
  tones are on, `set_ticks`). "tick" is the old single breath sound, still accepted.
- `cue(text, user=False)`: a cue, spoken at the start of its step: the shipped practice's
  rendered voice (`companion.runtime.voice`), the system's voice for a person's own
  practice (`user=True`), else the "step" chime. Speech still playing stops first.
- `hush()`: stop speech now (a step boundary, pause, Stop). `stop()` stops everything.
- `set_guidance("voice" | "tones" | "silent")`: "tones" hears every cue as the step
  chime; "silent" plays nothing. `set_level("quiet" | "normal")` is the volume ("mute"
  is still accepted and plays nothing).
- `available()`, and `problem()`: one line saying why nothing can be heard, or "".

playsound3 has no volume control, so each level is a pre-scaled file (the WAVs of
`assets/sounds/make_chimes.py`, the MP3s of `assets/voice/render.py`). Its import probes
the system's players by running them (`gst-play-1.0 --version`, ...), which is slow on a
cold GStreamer registry and can raise, so it is imported lazily, inside a try, on a
worker thread. Every request goes to that one thread, which keeps two channels: speech
and tones. A new sound on a channel stops that channel's previous one first, so at most
one voice and one tone are ever alive (a breath tone may sound under a spoken cue), and
the caller (the GUI thread) only puts a request on a queue.

With no player on the system the app stays silent and says so in exactly one log line
(logger "companion.sound"); `companion doctor` shows `install_hint()`.

In a PyInstaller bundle the bootloader points LD_LIBRARY_PATH at the bundle's own
libraries; a system player that inherits it may load our Qt/glib copies and crash.
Around every call that may start a process, the original value is put back
(`LD_LIBRARY_PATH_ORIG`, as PyInstaller documents) or the variable is removed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from companion import i18n
from companion.assets import asset
from companion.i18n import N_, _
from companion.runtime import voice

log = logging.getLogger("companion.sound")

LEVELS = ("mute", "quiet", "normal")
EVENTS = ("start", "end", "step", "inhale", "exhale", "hold", "tick")
#: The breath tones: played only while breath tones are on.
BREATH_EVENTS = ("inhale", "exhale", "hold", "tick")
GUIDANCE = ("voice", "tones", "silent")
_STEMS = {
    "start": "chime-start",
    "end": "chime-end",
    "step": "chime-step",
    "inhale": "breath-in",
    "exhale": "breath-out",
    "hold": "breath-hold",
    "tick": "tick",
}

# What gives playsound3 a player on Debian/Ubuntu: its first choice, GStreamer's
# gst-play-1.0, which Debian and Ubuntu ship in plugins-base-apps (not in -tools); the WAV
# parser and the desktop audio sink are in plugins-good. packaging/system-deps.sh says the
# same (a test keeps them equal).
APT_PACKAGES = "gstreamer1.0-plugins-base-apps gstreamer1.0-plugins-good"
_LIBRARY_PATH_VARS = ("LD_LIBRARY_PATH", "LIBPATH")  # PyInstaller: Linux, AIX

Backend = Callable[[str], object]


def sound_file(event: str, level: str) -> Path | None:
    """The WAV for `event` at `level`, or None when the level is "mute"."""
    if event not in EVENTS:
        raise ValueError(f"unknown sound event {event!r} (one of {', '.join(EVENTS)})")
    _check_level(level)
    if level == "mute":
        return None
    return asset("sounds", f"{_STEMS[event]}-{level}.wav")


def detect_player(platform: str | None = None) -> str | None:
    """The audio player playsound3 would use here, or None when it would find none.

    Found with `shutil.which`, without running anything, in playsound3's order. On
    macOS `afplay` and on Windows `winmm` are part of the system. A player forced with
    `PLAYSOUND3_BACKEND` is taken at its word.
    """
    platform = platform or sys.platform
    forced = os.environ.get("PLAYSOUND3_BACKEND")
    if forced:
        return forced
    if shutil.which("gst-play-1.0"):
        return "gst-play-1.0"
    if shutil.which("ffplay"):
        return "ffplay"
    if platform == "darwin":
        return "afplay" if shutil.which("afplay") else None
    if platform == "win32":
        return "winmm"
    if shutil.which("aplay") and shutil.which("mpg123"):
        return "aplay"
    return None


def no_player_line() -> str:
    """The one line that says nothing can be heard, and what to install: Settings, the
    practice's first screen and `Sound.problem` all say it so."""
    return _("No audio player was found, so practices are silent. To hear them: {hint}").format(
        hint=install_hint()
    )


def install_hint(platform: str | None = None, *, translated: bool = True) -> str:
    """What to install so the app can play sounds: in the person's language for `doctor`
    and Settings, in English for the log line (`translated=False`; logs stay greppable)."""
    platform = platform or sys.platform
    if platform == "win32":
        hint = N_("Windows plays sounds through winmm; nothing to install.")
    elif platform == "darwin":
        hint = N_("macOS plays sounds through afplay; nothing to install.")
    else:
        hint = N_(
            "{command} (Debian/Ubuntu; elsewhere install GStreamer's "
            "gst-play-1.0, or ffmpeg's ffplay)"
        )
    return (_(hint) if translated else hint).format(command=f"sudo apt install {APT_PACKAGES}")


def _no_player() -> str:
    """The log line for no player (English: logs are not translated)."""
    return f"no audio player found, sounds are off; {install_hint(translated=False)}"


@contextlib.contextmanager
def host_library_path() -> Iterator[None]:
    """Inside a frozen bundle, give child processes the system's library path back."""
    if not getattr(sys, "frozen", False):
        yield
        return
    saved = {name: os.environ.get(name) for name in _LIBRARY_PATH_VARS}
    try:
        for name in _LIBRARY_PATH_VARS:
            original = os.environ.get(f"{name}_ORIG")
            if original is not None:
                os.environ[name] = original
            else:
                os.environ.pop(name, None)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class _NoPlayerError(Exception):
    """No usable audio player; the message is the one log line."""


class Playsound3Backend:
    """Plays a file with playsound3 (`block=False`); imported on first use."""

    def __init__(self) -> None:
        self._playsound: Callable[..., object] | None = None

    def __call__(self, path: str) -> object:
        if self._playsound is None:
            self._playsound = self._load()
        with host_library_path():
            return self._playsound(path, block=False)

    @staticmethod
    def _load() -> Callable[..., object]:
        player = detect_player()
        if player is None:
            raise _NoPlayerError(_no_player())
        # playsound3 logs its own warning when it finds nothing; we say it once, ourselves.
        ps_log = logging.getLogger("playsound3.playsound3")
        was_disabled = ps_log.disabled
        ps_log.disabled = True
        try:
            with host_library_path():
                import playsound3
        except Exception as exc:
            raise _NoPlayerError(
                f"audio player {player} did not start ({exc}), sounds are off; "
                f"{install_hint(translated=False)}"
            ) from exc
        finally:
            ps_log.disabled = was_disabled
        if playsound3.DEFAULT_BACKEND is None:
            raise _NoPlayerError(_no_player())
        return playsound3.playsound


class Sound:
    """The app's sounds and spoken cues; see the module docstring for the contract.

    `backend` plays one file without waiting and returns a handle; a handle with
    `stop()` (or `terminate()`) is stopped before the next sound on its channel starts.
    Without one, playsound3 is used. `speaker` says a text with the system's voice and
    returns such a handle (by default `voice.Speech` with `voice.system_voice()`; None
    when there is none). Calls return at once: playing happens on one worker thread,
    started with the first sound.
    """

    def __init__(
        self,
        level: str = "normal",
        *,
        backend: Backend | None = None,
        ticks: bool = False,
        guidance: str = "voice",
        speaker: Backend | None = None,
    ) -> None:
        _check_level(level)
        _check_guidance(guidance)
        self._level = level
        self._ticks = ticks
        self._guidance = guidance
        self._backend: Backend = backend if backend is not None else Playsound3Backend()
        self._injected = backend is not None
        self._speaker = speaker
        self._silenced = False  # set once the backend has proved unusable
        self._silenced_reason = ""
        self._logged_failure = False
        self._logged_speech_failure = False
        self._current: dict[str, object | None] = {_TONE: None, _VOICE: None}
        # Requests: (kind, payload). `_pending` counts the unhandled ones.
        self._requests: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self._pending = 0
        self._idle = threading.Condition()
        self._worker: threading.Thread | None = None

    @property
    def level(self) -> str:
        return self._level

    @property
    def ticks(self) -> bool:
        return self._ticks

    @property
    def guidance(self) -> str:
        return self._guidance

    def set_level(self, level: str) -> None:
        """ "quiet" or "normal" ("mute" plays nothing); muting also stops what plays."""
        _check_level(level)
        self._level = level
        if level == "mute":
            self.stop()

    def set_ticks(self, enabled: bool) -> None:
        """Breath tones on or off."""
        self._ticks = enabled

    def set_guidance(self, guidance: str) -> None:
        """ "voice", "tones" or "silent"; going silent stops what plays, leaving the voice
        hushes it."""
        _check_guidance(guidance)
        self._guidance = guidance
        if guidance == "silent":
            self.stop()
        elif guidance == "tones":
            self.hush()

    def available(self) -> bool:
        """Whether a sound would be heard at an audible level."""
        if self._silenced:
            return False
        return self._injected or detect_player() is not None

    def problem(self) -> str:
        """One line saying why nothing can be heard (with what to install), or ""."""
        return "" if self.available() else no_player_line()

    def voice_available(self) -> bool:
        """Whether shipped practices would be spoken (audio present, English, a player)."""
        return self.available() and voice.speaks_language() and voice.voice_present()

    def play(self, event: str) -> None:
        """Play the sound for `event` (see EVENTS); never waits."""
        path = sound_file(event, self._level)
        if path is None or self._guidance == "silent" or self._silenced:
            return
        if event in BREATH_EVENTS and not self._ticks:
            return
        if self._player_missing():
            return
        self._submit(_TONE, str(path))

    def cue(self, text: str, *, user: bool = False) -> None:
        """Speak `text` at the start of its step (stopping speech still playing), or
        play the step chime when it cannot be spoken; never waits."""
        if self._guidance == "silent" or self._level == "mute":
            return
        if self._guidance == "voice" and text.strip():
            path = voice.cue_file(text, self._level)
            if path is not None and not self._silenced and not self._player_missing():
                self._submit(_VOICE, str(path))
                return
            # A person's own words, or a shipped cue in a language the rendered voice
            # does not speak (the pseudo-locale is no language): the system's voice.
            translated = not voice.speaks_language() and i18n.language() != i18n.PSEUDO
            if (user or translated) and self._speaker_for_system() is not None:
                self._submit(_SAY, text)
                return
        if self._worker is not None:
            self._submit(_HUSH, "")
        self.play("step")

    def hush(self) -> None:
        """Stop speech now (in order with the requests before it)."""
        if self._worker is not None:
            self._submit(_HUSH, "")

    def stop(self) -> None:
        """Stop whatever is playing, speech and tones (in order with what came before)."""
        if self._worker is not None:
            self._submit(_STOP, "")

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every request so far is handled; False if `timeout` ran out."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float = 1.0) -> None:
        """Stop what plays and end the worker; waits at most `timeout` seconds."""
        worker = self._worker
        if worker is None:
            return
        self._submit(_QUIT, "")
        worker.join(timeout)
        self._worker = None

    # -- choosing ------------------------------------------------------------------------

    def _player_missing(self) -> bool:
        if not self._injected and detect_player() is None:
            self._give_up(_no_player())
            return True
        return False

    def _speaker_for_system(self) -> Backend | None:
        if self._speaker is not None:
            return self._speaker
        program = voice.system_voice()
        if program is None:
            return None
        return lambda text: voice.Speech(text, program)

    # -- the worker thread ---------------------------------------------------------------

    def _submit(self, kind: str, payload: str) -> None:
        with self._idle:
            self._pending += 1
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._run, name="companion-sound", daemon=True
                )
                self._worker.start()
        self._requests.put((kind, payload))

    def _run(self) -> None:
        while True:
            batch = [self._requests.get()]
            # Several requests waiting: a sound that a later one would stop at once is
            # not worth a process.
            while True:
                try:
                    batch.append(self._requests.get_nowait())
                except queue.Empty:
                    break
            quit_now = False
            try:
                for n, (kind, payload) in enumerate(batch):
                    if kind == _QUIT:
                        self._stop_channels(_TONE, _VOICE)
                        quit_now = True
                        break
                    channels = _CHANNELS[kind]
                    self._stop_channels(*channels)
                    if kind in (_TONE, _VOICE, _SAY) and not _superseded(
                        channels[0], batch[n + 1 :]
                    ):
                        self._start(kind, payload)
            finally:
                with self._idle:
                    self._pending -= len(batch)
                    self._idle.notify_all()
            if quit_now:
                return

    def _start(self, kind: str, payload: str) -> None:
        channel = _CHANNELS[kind][0]
        if kind == _SAY:
            speaker = self._speaker_for_system()
            try:
                self._current[channel] = speaker(payload) if speaker else None
            except Exception as exc:  # a voice that will not speak must not stop the app
                if not self._logged_speech_failure:
                    self._logged_speech_failure = True
                    log.warning("the system voice did not start: %s", exc)
            return
        if self._silenced:
            return
        try:
            self._current[channel] = self._backend(payload)
        except _NoPlayerError as exc:
            self._give_up(str(exc))
        except Exception as exc:  # a broken player must never take the app down
            if not self._logged_failure:
                self._logged_failure = True
                log.warning("could not play %s: %s", Path(payload).name, exc)

    def _stop_channels(self, *channels: str) -> None:
        for channel in channels:
            handle, self._current[channel] = self._current[channel], None
            if handle is not None:
                _stop_handle(handle)

    def _give_up(self, message: str) -> None:
        with self._idle:
            if self._silenced:
                return
            self._silenced = True
        log.warning("%s", message)


def _stop_handle(handle: object) -> None:
    try:
        is_alive = getattr(handle, "is_alive", None)
        if callable(is_alive) and not is_alive():
            return
        stop = getattr(handle, "stop", None) or getattr(handle, "terminate", None)
        if callable(stop):
            stop()
        process = getattr(handle, "subprocess", handle)
        if isinstance(process, subprocess.Popen):
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=2)
    except Exception as exc:  # a player that will not stop must not stop the app
        log.debug("could not stop the previous sound: %s", exc)


def _superseded(channel: str, later: list[tuple[str, str]]) -> bool:
    """Whether a later request stops `channel` again at once."""
    return any(channel in _CHANNELS[kind] for kind, _ in later)


# Channels, and what each request stops before it starts anything.
_TONE, _VOICE = "tone", "voice"
_SAY, _HUSH, _STOP, _QUIT = "say", "hush", "stop", "quit"
_CHANNELS: dict[str, tuple[str, ...]] = {
    _TONE: (_TONE,),
    _VOICE: (_VOICE,),
    _SAY: (_VOICE,),
    _HUSH: (_VOICE,),
    _STOP: (_TONE, _VOICE),
    _QUIT: (_TONE, _VOICE),
}


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"sound level must be one of {', '.join(LEVELS)}, not {level!r}")


def _check_guidance(guidance: str) -> None:
    if guidance not in GUIDANCE:
        raise ValueError(f"guidance must be one of {', '.join(GUIDANCE)}, not {guidance!r}")
