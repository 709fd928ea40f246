"""Chimes and ticks through playsound3, behind a small interface that never blocks.

playsound3 has no volume control, so each level is a pre-scaled WAV
(`assets/sounds/make_chimes.py`); "mute" plays nothing. Its import probes the
system's players by running them (`gst-play-1.0 --version`, ...), which is slow on a
cold GStreamer registry and can raise, so it is imported lazily, inside a try, on a
worker thread. Every request goes to that one thread, which stops the previous sound
before it starts the next: at most one player process is ever alive, and the caller
(the GUI thread) only puts a path on a queue.

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

from companion.assets import asset
from companion.i18n import N_, _

log = logging.getLogger("companion.sound")

LEVELS = ("mute", "quiet", "normal")
EVENTS = ("start", "end", "tick")

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
    stem = "tick" if event == "tick" else f"chime-{event}"
    return asset("sounds", f"{stem}-{level}.wav")


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
    """The app's chimes: `play("start")`, `play("end")`, `play("tick")`.

    `backend` plays one file without waiting and returns a handle; a handle with
    `stop()` (or `terminate()`) is stopped before the next sound starts. Without one,
    playsound3 is used. Calls return at once: playing happens on one worker thread,
    started with the first sound.
    """

    def __init__(
        self, level: str = "normal", *, backend: Backend | None = None, ticks: bool = False
    ) -> None:
        _check_level(level)
        self._level = level
        self._ticks = ticks
        self._backend: Backend = backend if backend is not None else Playsound3Backend()
        self._injected = backend is not None
        self._silenced = False  # set once the backend has proved unusable
        self._logged_failure = False
        self._current: object | None = None
        # Requests: a path to play, _STOP, or _QUIT. `_pending` counts the unhandled ones.
        self._requests: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._pending = 0
        self._idle = threading.Condition()
        self._worker: threading.Thread | None = None

    @property
    def level(self) -> str:
        return self._level

    @property
    def ticks(self) -> bool:
        return self._ticks

    def set_level(self, level: str) -> None:
        """ "mute", "quiet" or "normal"; muting also stops a sound that is playing."""
        _check_level(level)
        self._level = level
        if level == "mute":
            self.stop()

    def set_ticks(self, enabled: bool) -> None:
        self._ticks = enabled

    def available(self) -> bool:
        """Whether a sound would be heard at an audible level."""
        if self._silenced:
            return False
        return self._injected or detect_player() is not None

    def play(self, event: str) -> None:
        """Play the sound for `event` ("start", "end" or "tick"); never waits."""
        path = sound_file(event, self._level)
        if path is None or (event == "tick" and not self._ticks) or self._silenced:
            return
        if not self._injected and detect_player() is None:
            self._give_up(_no_player())
            return
        self._submit(str(path))

    def stop(self) -> None:
        """Stop whatever is playing (in order with the plays before it)."""
        if self._worker is not None:
            self._submit(_STOP)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every request so far is handled; False if `timeout` ran out."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float = 1.0) -> None:
        """Stop the current sound and end the worker; waits at most `timeout` seconds."""
        worker = self._worker
        if worker is None:
            return
        self._submit(_QUIT)
        worker.join(timeout)
        self._worker = None

    # -- the worker thread ---------------------------------------------------------------

    def _submit(self, request: str) -> None:
        with self._idle:
            self._pending += 1
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._run, name="companion-sound", daemon=True
                )
                self._worker.start()
        self._requests.put(request)

    def _run(self) -> None:
        while True:
            request = self._requests.get()
            taken = 1
            # Several requests waiting: only the newest is worth a process.
            while request != _QUIT:
                try:
                    request = self._requests.get_nowait()
                except queue.Empty:
                    break
                taken += 1
            try:
                self._stop_current()
                if request not in (_STOP, _QUIT):
                    self._start(request)
            finally:
                with self._idle:
                    self._pending -= taken
                    self._idle.notify_all()
            if request == _QUIT:
                return

    def _start(self, path: str) -> None:
        if self._silenced:
            return
        try:
            self._current = self._backend(path)
        except _NoPlayerError as exc:
            self._give_up(str(exc))
        except Exception as exc:  # a broken player must never take the app down
            if not self._logged_failure:
                self._logged_failure = True
                log.warning("could not play %s: %s", Path(path).name, exc)

    def _stop_current(self) -> None:
        handle, self._current = self._current, None
        if handle is None:
            return
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

    def _give_up(self, message: str) -> None:
        with self._idle:
            if self._silenced:
                return
            self._silenced = True
        log.warning("%s", message)


_STOP = "\0stop"
_QUIT = "\0quit"


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"sound level must be one of {', '.join(LEVELS)}, not {level!r}")
