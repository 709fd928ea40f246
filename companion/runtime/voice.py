"""Spoken cues: the rendered voice of the shipped practices, and the system's own voice.

The shipped practices are spoken by a voice rendered ahead of time (`assets/voice/`,
made by `make voice`, see its README). Each cue's audio is found by a hash of its text
(`text_key`), through `assets/voice/manifest.json`: a shortened version of a practice
shares the audio of the longer one, and a cue whose words changed has no audio until it
is rendered again (tests/test_voice_assets.py fails until then). The rendered voice is
English, so it speaks only while the app's language is English.

A person's own practices are spoken by the system's voice where there is one:
speech-dispatcher's `spd-say` on Linux, `say` on macOS, the Windows speech API through
PowerShell. Nothing here may fail the player: a voice that cannot start is logged once
(by `companion.runtime.sound`) and the cue is heard as a chime instead.

No Qt here, and nothing is run at import.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion import i18n
from companion.assets import asset
from companion.i18n import N_, _

#: The levels with rendered audio ("mute" has none: it plays nothing).
VOICE_LEVELS = ("quiet", "normal")
#: Words a minute assumed for a cue with no rendered audio (the system voice is slowed to
#: about this; `companion exercises check` uses it to estimate).
ESTIMATED_WPM = 150.0
MANIFEST = "manifest.json"

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[\w'’-]+")


def normalise(text: str) -> str:
    """The text as it is keyed: whitespace collapsed, ends stripped."""
    return _SPACE.sub(" ", text).strip()


def text_key(text: str) -> str:
    """The key of a cue's audio: the first 16 hex digits of the SHA-256 of its text."""
    import hashlib  # here, not at import: it loads OpenSSL, about 3.7 MiB of the idle app

    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:16]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Clip:
    """One rendered cue: its text, files by level and spoken length."""

    key: str
    text: str
    files: dict[str, str]
    seconds: float
    words: int

    def path(self, level: str) -> Path | None:
        name = self.files.get(level)
        return voice_dir() / name if name else None


def voice_dir() -> Path:
    return asset("voice")


def read_manifest(folder: Path | None = None) -> dict[str, Any]:
    """The manifest as stored, or an empty one when it is missing or unreadable."""
    path = (folder or voice_dir()) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"cues": {}}
    if not isinstance(data, dict) or not isinstance(data.get("cues"), dict):
        return {"cues": {}}
    return data


@functools.lru_cache(maxsize=1)
def _clips() -> dict[str, Clip]:
    clips: dict[str, Clip] = {}
    for key, entry in read_manifest()["cues"].items():
        try:
            clips[key] = Clip(
                key=key,
                text=str(entry["text"]),
                files={str(k): str(v) for k, v in dict(entry["files"]).items()},
                seconds=float(entry["seconds"]),
                words=int(entry["words"]),
            )
        except (KeyError, TypeError, ValueError):
            continue
    return clips


def clip(text: str) -> Clip | None:
    """The rendered audio of `text`, whatever the language, or None."""
    found = _clips().get(text_key(text))
    return found if found is not None and found.text == normalise(text) else None


def speaks_language() -> bool:
    """Whether the rendered (English) voice fits the language in use."""
    return i18n.language().split("_")[0] == "en"


def cue_file(text: str, level: str) -> Path | None:
    """The audio file for `text` at `level`, or None: no audio for it, not English, a level
    without audio ("mute"), or the file is missing."""
    if not text or level not in VOICE_LEVELS or not speaks_language():
        return None
    found = clip(text)
    path = found.path(level) if found else None
    return path if path is not None and path.is_file() else None


def spoken_seconds(text: str) -> tuple[float, bool]:
    """How long `text` takes to say: (seconds, True) from its rendered audio, or
    (an estimate at ESTIMATED_WPM, False) when it has none."""
    found = clip(text)
    if found is not None:
        return found.seconds, True
    return word_count(text) * 60.0 / ESTIMATED_WPM, False


def voice_present() -> bool:
    """Whether the shipped practices have their voice here (manifest and files)."""
    clips = _clips()
    return bool(clips) and all(
        (p := c.path("normal")) is not None and p.is_file() for c in clips.values()
    )


def voice_status() -> tuple[bool, str]:
    """(ok, one line) about the rendered voice, for `companion doctor` and Settings."""
    clips = _clips()
    if not clips:
        return False, _("the spoken voice is not installed; practices are guided by chimes")
    missing = sum(1 for c in clips.values() if not ((p := c.path("normal")) and p.is_file()))
    if missing:
        return False, _("{n} of the spoken cues are missing; those are heard as a chime").format(
            n=missing
        )
    if not speaks_language():
        return True, _("the spoken voice is English; in this language cues are heard as chimes")
    return True, _("{n} spoken cues").format(n=len(clips))


# -- the system's voice -------------------------------------------------------------------

# Each is slowed a little from the voice's default, towards a calm ~150 words a minute.
SPD_RATE = "-25"  # spd-say: -100..100
SAY_RATE = "150"  # say: words a minute
SAPI_RATE = "-2"  # SpeechSynthesizer.Rate: -10..10
_POWERSHELL_SCRIPT = (
    "Add-Type -AssemblyName System.Speech; "
    "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
    f"$s.Rate = {SAPI_RATE}; "
    "$s.Speak($env:COMPANION_SAY_TEXT)"
)


def system_voice(platform: str | None = None) -> str | None:
    """The program that gives the system's voice here, or None. Found without running it."""
    platform = platform or sys.platform
    if platform == "darwin":
        return "say" if shutil.which("say") else None
    if platform == "win32":
        return shutil.which("powershell") or shutil.which("pwsh")
    return "spd-say" if shutil.which("spd-say") else None


def system_voice_hint(platform: str | None = None, *, translated: bool = True) -> str:
    """What gives a person's own practices a voice here."""
    platform = platform or sys.platform
    if platform == "darwin":
        hint = N_("macOS speaks through say; nothing to install.")
    elif platform == "win32":
        hint = N_("Windows speaks through its speech API; nothing to install.")
    else:
        hint = N_("{command} (Debian/Ubuntu), for your own practices to be spoken")
    return (_(hint) if translated else hint).format(command="sudo apt install speech-dispatcher")


def speak_command(text: str, program: str, platform: str | None = None) -> list[str]:
    """The command that says `text` with `program` and ends when it has been said."""
    platform = platform or sys.platform
    name = re.split(r"[\\/]", program)[-1].lower()  # a Windows path, on any system
    if name.startswith(("powershell", "pwsh")):
        # The text goes through the environment: nothing in it is read as PowerShell.
        return [program, "-NoProfile", "-NonInteractive", "-Command", _POWERSHELL_SCRIPT]
    if name == "say":
        return [program, "-r", SAY_RATE, "--", text]
    return [program, "--wait", "--rate", SPD_RATE, "--", text]


class Speech:
    """A system voice saying one cue; `stop()` ends it. Looks like a playsound3 handle."""

    def __init__(self, text: str, program: str, platform: str | None = None) -> None:
        self._program = program
        env = dict(os.environ, COMPANION_SAY_TEXT=text)
        kwargs: dict[str, Any] = {
            "stdin": subprocess.DEVNULL,
            "stdout": subprocess.DEVNULL,
            "stderr": subprocess.DEVNULL,
            "env": env,
        }
        if (platform or sys.platform) == "win32":
            kwargs["creationflags"] = 0x08000000  # CREATE_NO_WINDOW
        self.subprocess = subprocess.Popen(speak_command(text, program, platform), **kwargs)

    def is_alive(self) -> bool:
        return self.subprocess.poll() is None

    def stop(self) -> None:
        speaking = self.is_alive()
        self.subprocess.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.subprocess.wait(timeout=2)
        if speaking and Path(self._program).name == "spd-say":
            # Ending spd-say does not end what speech-dispatcher is saying for it.
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                subprocess.run(
                    [self._program, "--stop"],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=2,
                    check=False,
                )
