"""Synthesise the chimes, breath tones and tick that the app plays, with the standard
library only.

Run it from anywhere; it writes next to itself (or into `--out`):

    python assets/sounds/make_chimes.py

Each sound is a soft bell: a few inharmonic partials (the ratios of a small struck
bell), a gentle raised-cosine attack so there is no click, and an exponential decay in
which the upper partials die first, as they do in a real bell. `start` rises (a low
strike, then a softer one a fifth above); `end` falls and rings a little lower and
longer. `chime-step` is one soft, short strike for a guided step with no spoken cue.
`tick` is a very short, soft wooden tock (the old single breath sound).

The breath tones are not bells but a soft hum that swells and fades, so they sit under
a spoken cue without competing with it: `breath-in` glides up (E4 to A4), `breath-out`
glides down, a little longer (A4 to D4), and `breath-hold` stays on one note (G4),
shorter and quieter. Each has a quiet octave above for warmth.

playsound3 has no volume control, so every level is its own pre-scaled file:
`chime-start-quiet.wav`, `chime-start-normal.wav`, ... `tick-normal.wav`. "mute" has
no file: the app simply plays nothing. The output is deterministic (no noise, no
dither), so running the script again rewrites identical bytes.
"""

from __future__ import annotations

import argparse
import io
import math
import struct
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

RATE = 44_100
HERE = Path(__file__).resolve().parent

# Peak level of each file, as a fraction of full scale. "normal" sits at about -8 dBFS
# so it is heard without startling; "quiet" is about 10 dB below it.
LEVELS = {"quiet": 0.12, "normal": 0.40}
TICK_LEVELS = {"quiet": 0.06, "normal": 0.18}
STEP_LEVELS = {"quiet": 0.08, "normal": 0.26}
BREATH_LEVELS = {"quiet": 0.07, "normal": 0.22}
HOLD_LEVELS = {"quiet": 0.05, "normal": 0.16}

# (frequency ratio, relative amplitude, decay time constant as a fraction of the base one)
BELL_PARTIALS: tuple[tuple[float, float, float], ...] = (
    (1.000, 1.00, 1.00),
    (2.000, 0.35, 0.60),
    (2.756, 0.22, 0.42),
    (4.070, 0.09, 0.28),
    (5.404, 0.04, 0.20),
)


@dataclass(frozen=True)
class Strike:
    """One strike of the bell: when, how high, how loud."""

    at: float  # seconds from the start of the file
    freq: float  # fundamental, Hz
    gain: float  # relative to the loudest strike


def bell(
    strikes: Sequence[Strike], seconds: float, decay: float, attack: float = 0.012
) -> list[float]:
    """Mix the strikes into one buffer of floats in [-1, 1], peak-normalised to 1."""
    n = round(seconds * RATE)
    out = [0.0] * n
    for strike in strikes:
        first = round(strike.at * RATE)
        attack_n = max(1, round(attack * RATE))
        for ratio, amp, tau_scale in BELL_PARTIALS:
            freq = strike.freq * ratio
            if freq >= RATE / 2:
                continue
            tau = decay * tau_scale
            step = 2 * math.pi * freq / RATE
            for i in range(n - first):
                t = i / RATE
                env = math.exp(-t / tau)
                if i < attack_n:
                    env *= 0.5 - 0.5 * math.cos(math.pi * i / attack_n)
                out[first + i] += strike.gain * amp * env * math.sin(step * i)
    _fade_tail(out, 0.25)
    return _normalise(out)


def tick(seconds: float = 0.09) -> list[float]:
    """A short soft tock: two low partials, a 2 ms attack and a 14 ms decay."""
    n = round(seconds * RATE)
    out = [0.0] * n
    attack_n = round(0.002 * RATE)
    for freq, amp, tau in ((880.0, 1.0, 0.016), (1_320.0, 0.35, 0.009)):
        step = 2 * math.pi * freq / RATE
        for i in range(n):
            env = amp * math.exp(-i / RATE / tau)
            if i < attack_n:
                env *= 0.5 - 0.5 * math.cos(math.pi * i / attack_n)
            out[i] += env * math.sin(step * i)
    _fade_tail(out, 0.02)
    return _normalise(out)


def glide(
    start_hz: float, end_hz: float, seconds: float, attack: float, release: float
) -> list[float]:
    """A soft hum from `start_hz` to `end_hz` (an even glide in pitch): it swells in over
    `attack` seconds and fades over `release`, with a quiet octave above."""
    n = round(seconds * RATE)
    out = [0.0] * n
    attack_n = max(1, round(attack * RATE))
    release_n = max(1, round(release * RATE))
    phase = 0.0
    ratio = end_hz / start_hz
    for i in range(n):
        freq = start_hz * ratio ** (i / (n - 1))
        phase += 2 * math.pi * freq / RATE
        env = 1.0
        if i < attack_n:
            env = 0.5 - 0.5 * math.cos(math.pi * i / attack_n)
        elif i >= n - release_n:
            env = 0.5 + 0.5 * math.cos(math.pi * (i - (n - release_n)) / release_n)
        out[i] = env * (math.sin(phase) + 0.15 * math.sin(2 * phase))
    return _normalise(out)


def _fade_tail(samples: list[float], seconds: float) -> None:
    """Bring the last `seconds` smoothly to zero so the cut is never heard."""
    n = min(len(samples), round(seconds * RATE))
    start = len(samples) - n
    for i in range(n):
        samples[start + i] *= 0.5 + 0.5 * math.cos(math.pi * i / n)


def _normalise(samples: list[float]) -> list[float]:
    peak = max(abs(s) for s in samples) or 1.0
    return [s / peak for s in samples]


def wav_bytes(samples: Sequence[float], peak: float) -> bytes:
    """16-bit mono PCM at `peak` of full scale."""
    scale = 32_767 * peak
    frames = struct.pack(f"<{len(samples)}h", *(round(s * scale) for s in samples))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)
    return buffer.getvalue()


def sounds() -> dict[str, tuple[list[float], dict[str, float]]]:
    """Every sound by file stem, with the peak of each level."""
    start = bell(
        [Strike(0.0, 587.33, 1.0), Strike(0.16, 880.0, 0.55)],  # D5, then A5: rising
        seconds=2.2,
        decay=0.55,
    )
    end = bell(
        [Strike(0.0, 523.25, 0.8), Strike(0.24, 392.0, 1.0)],  # C5, then G4: settling
        seconds=2.8,
        decay=0.75,
    )
    step = bell([Strike(0.0, 659.25, 1.0)], seconds=1.4, decay=0.35)  # E5, once
    return {
        "chime-start": (start, LEVELS),
        "chime-end": (end, LEVELS),
        "chime-step": (step, STEP_LEVELS),
        "breath-in": (glide(329.63, 440.0, 0.9, attack=0.3, release=0.35), BREATH_LEVELS),
        "breath-out": (glide(440.0, 293.66, 1.1, attack=0.25, release=0.5), BREATH_LEVELS),
        "breath-hold": (glide(392.0, 392.0, 0.6, attack=0.2, release=0.3), HOLD_LEVELS),
        "tick": (tick(), TICK_LEVELS),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    args = parser.parse_args(argv)
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    for stem, (samples, levels) in sounds().items():
        for level, peak in levels.items():
            path = out_dir / f"{stem}-{level}.wav"
            data = wav_bytes(samples, peak)
            path.write_bytes(data)
            print(f"{path.name}: {len(data) // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
