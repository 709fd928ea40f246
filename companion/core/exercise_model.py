"""What a guided practice is: breath patterns, the three kinds of step, and `Exercise`.

Plain frozen data, no reading of files and no clock: `exercise_files.py` builds these
from TOML, `fitting.py` shortens them to fit a break, `exercises.py` gathers them into
the library, and `pacing.py` turns planned seconds into what is on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from companion.i18n import N_, _

KINDS = ("breathing", "body-scan", "pmr", "grounding", "movement", "compassion")
#: Where a practice turns attention: "outward" (eyes open, the senses, the room, movement)
#: or "inward" (breath, body). After a heavy session outward comes first (CONTENT.md).
DIRECTIONS = ("outward", "inward")
#: What a practice does to arousal: "settling" suits someone wired, "energising" someone
#: flat, "either" both.
EFFECTS = ("settling", "energising", "either")
#: When a practice is meant to be offered: "" any break, "end-of-day" as the last practice
#: of the day, "decompression" a long gap after several heavy sessions.
USES = ("", "end-of-day", "decompression")
STEP_TYPES = ("breathing", "guided", "self-paced")
#: The move-on button of a self-paced step when its file names none (translate where shown).
NEXT = N_("Next")


@dataclass(frozen=True)
class BreathPattern:
    """One breath cycle in seconds: in, an optional short top-up in, hold, out, hold.

    Phases run in the order inhale, top_up, hold_in, exhale, hold_out; a phase of 0
    seconds is left out.
    """

    inhale: float
    exhale: float
    hold_in: float = 0
    hold_out: float = 0
    top_up: float = 0

    @property
    def cycle_seconds(self) -> float:
        return self.inhale + self.top_up + self.hold_in + self.exhale + self.hold_out

    @property
    def breaths_per_minute(self) -> float:
        return 60.0 / self.cycle_seconds

    def describe(self) -> str:
        """A short label such as "4-4-4-4" or "2+1 in, 6 out"."""
        if self.top_up:
            if self.hold_in and self.hold_out:
                text = _("{inhale}+{top_up} in, hold {hold_in}, {exhale} out, hold {hold_out}")
            elif self.hold_in:
                text = _("{inhale}+{top_up} in, hold {hold_in}, {exhale} out")
            elif self.hold_out:
                text = _("{inhale}+{top_up} in, {exhale} out, hold {hold_out}")
            else:
                text = _("{inhale}+{top_up} in, {exhale} out")
            return text.format(
                inhale=plain_number(self.inhale),
                top_up=plain_number(self.top_up),
                hold_in=plain_number(self.hold_in),
                exhale=plain_number(self.exhale),
                hold_out=plain_number(self.hold_out),
            )
        numbers = [self.inhale, self.hold_in, self.exhale, self.hold_out]
        if not self.hold_out:
            numbers = numbers[:3] if self.hold_in else [self.inhale, self.exhale]
        return "-".join(plain_number(n) for n in numbers)


@dataclass(frozen=True)
class BreathingStep:
    """A breathing pattern repeated for a whole number of cycles."""

    type: ClassVar[str] = "breathing"
    pattern: BreathPattern
    cycles: int
    cue: str = ""

    @property
    def seconds(self) -> float:
        return self.pattern.cycle_seconds * self.cycles


@dataclass(frozen=True)
class GuidedStep:
    """A cue on screen for a fixed number of seconds."""

    type: ClassVar[str] = "guided"
    cue: str
    seconds: float


@dataclass(frozen=True)
class SelfPacedStep:
    """A cue the user moves on from when ready (`next_label` names that button), or when
    `limit_seconds` has passed. Its planned length is the limit."""

    type: ClassVar[str] = "self-paced"
    cue: str
    next_label: str = NEXT
    limit_seconds: float = 60.0

    @property
    def seconds(self) -> float:
        return self.limit_seconds


Step = BreathingStep | GuidedStep | SelfPacedStep


@dataclass(frozen=True)
class Exercise:
    """One practice.

    `minutes` is what the file declares (shown to people); `total_seconds` is what the
    steps really take and is what planning uses. `family` is the id of the longest
    practice this one is a version of (its own id when it stands alone); `shorter` holds
    the family's shorter versions, longest first (filled in by `Library`).
    `shortened` is True on a copy that `fit()` made shorter.
    """

    id: str
    title: str
    kind: str
    minutes: float
    steps: tuple[Step, ...]
    source: str = ""
    about: str = ""
    caution: str = ""  # shown on the practice's first screen, every time
    direction: str = "inward"
    effect: str = "settling"
    use: str = ""
    short_of: str | None = None
    family: str = ""
    shorter: tuple[Exercise, ...] = field(default=(), compare=False, repr=False)
    shortened: bool = False
    path: Path | None = field(default=None, compare=False)
    user: bool = False

    def __post_init__(self) -> None:
        if not self.family:
            object.__setattr__(self, "family", self.id)

    @property
    def total_seconds(self) -> float:
        return sum(step.seconds for step in self.steps)

    @property
    def breathing_steps(self) -> tuple[BreathingStep, ...]:
        return tuple(s for s in self.steps if isinstance(s, BreathingStep))

    @property
    def is_deep(self) -> bool:
        """Practices that settle the body more deeply: body scan, PMR, and breathing at
        resonance pace (4.5-6.5 breaths a minute, no holds). Preferred after a heavy
        session."""
        if self.kind in ("body-scan", "pmr"):
            return True
        breaths = self.breathing_steps
        return bool(breaths) and all(
            4.5 <= b.pattern.breaths_per_minute <= 6.5
            and not (b.pattern.hold_in or b.pattern.hold_out)
            for b in breaths
        )


def plain_number(value: float) -> str:
    """A number of seconds or minutes as written in a practice file: "4", "2.5"."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
