"""What every presence signal shares: run a helper program briefly, and say a thing once.

A helper that is missing, fails or takes longer than its timeout means "that signal is
off"; it is said once in the log (logger "companion.presence"), never raised. The helper's
output is parsed here, in memory, and never logged: it can name programs and devices.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass

log = logging.getLogger("companion.presence")

TIMEOUT_S = 1.0  # a helper that takes longer is stopped and its signal is off this time
REST_S = 60.0  # ... and is not asked again for this long: a hung sound server stays hung,
# and a check on the GUI thread must not wait a second for it every few seconds
# PyInstaller points these at the bundle's own libraries; a system helper (pactl, gsettings)
# that inherits them may load our copies and crash (see runtime/sound.py).
_LIBRARY_PATH_VARS = ("LD_LIBRARY_PATH", "LIBPATH")

_said: set[str] = set()
_said_lock = threading.Lock()
_resting: dict[str, float] = {}  # program -> time.monotonic() until which it is not run


def say_once(key: str, message: str, *args: object, level: int = logging.INFO) -> None:
    """Log `message` the first time `key` is seen in this process, at `level`."""
    with _said_lock:
        if key in _said:
            return
        _said.add(key)
    log.log(level, message, *args)


def forget_said() -> None:
    """For tests: every "once" may be said again, and every helper is asked again."""
    with _said_lock:
        _said.clear()
        _resting.clear()


@dataclass(frozen=True)
class Output:
    """What a helper program printed, and how it ended."""

    code: int
    out: str
    err: str = ""

    @property
    def ok(self) -> bool:
        return self.code == 0


def helper_env() -> dict[str, str]:
    """The environment for a helper: ours, untranslated (its messages are parsed), and
    with the library path a PyInstaller bundle changed put back."""
    env = dict(os.environ)
    for name in _LIBRARY_PATH_VARS:
        original = env.get(f"{name}_ORIG")
        if original is not None:
            env[name] = original
        else:
            env.pop(name, None)
    env["LC_ALL"] = "C"
    env.pop("LANGUAGE", None)
    return env


def run(argv: list[str], *, timeout: float = TIMEOUT_S) -> Output | None:
    """Run a helper program; None when it is not installed, cannot start or times out
    (each said once). A non-zero exit comes back as an Output: the caller decides."""
    program = argv[0]
    with _said_lock:
        if _resting.get(program, 0.0) > time.monotonic():
            return None
    path = shutil.which(program)
    if path is None:
        say_once(f"missing:{program}", "%s is not installed: the signal it gives is off", program)
        return None
    try:
        done = subprocess.run(
            [path, *argv[1:]],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            env=helper_env(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        with _said_lock:
            _resting[program] = time.monotonic() + REST_S
        say_once(
            f"timeout:{program}",
            "%s took longer than %.1f s and was stopped: its signal is off for %d s at a time"
            " while it is slow",
            program,
            timeout,
            REST_S,
            level=logging.WARNING,
        )
        return None
    except OSError as exc:
        say_once(
            f"oserror:{program}",
            "%s could not be started (%s): its signal is off",
            program,
            type(exc).__name__,
        )
        return None
    return Output(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )
