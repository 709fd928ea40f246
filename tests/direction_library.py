"""A small practice library with the direction, effect and use of the clinical issue set,
built in code so the tests of direction do not wait for the shipped files."""

from __future__ import annotations

from companion.core.exercises import (
    BreathingStep,
    BreathPattern,
    Exercise,
    GuidedStep,
    Library,
    SelfPacedStep,
)


def practice(
    ex_id: str,
    kind: str,
    minutes: float,
    *,
    direction: str = "inward",
    effect: str = "settling",
    use: str = "",
    short_of: str | None = None,
    self_paced: bool = False,
) -> Exercise:
    """A practice of `minutes`: guided (fits whole or not at all) or self-paced (shrinks)."""
    seconds = minutes * 60
    if self_paced:
        steps: tuple[GuidedStep | SelfPacedStep | BreathingStep, ...] = tuple(
            SelfPacedStep(cue=f"Step {i}.", limit_seconds=seconds / 4) for i in range(4)
        )
    else:
        steps = (GuidedStep(cue="Notice.", seconds=seconds),)
    return Exercise(
        id=ex_id,
        title=ex_id.replace("-", " ").capitalize(),
        kind=kind,
        minutes=minutes,
        steps=steps,
        direction=direction,
        effect=effect,
        use=use,
        short_of=short_of,
    )


def breathing(ex_id: str, minutes: float, *, effect: str = "settling") -> Exercise:
    pattern = BreathPattern(inhale=5.5, exhale=5.5)
    cycles = int(minutes * 60 // pattern.cycle_seconds)
    return Exercise(
        id=ex_id,
        title=ex_id.replace("-", " ").capitalize(),
        kind="breathing",
        minutes=minutes,
        steps=(BreathingStep(pattern=pattern, cycles=cycles),),
        effect=effect,
    )


def direction_library() -> Library:
    """Outward: orienting (2 min), the senses (5, shrinks), a walk (5, energising), a
    listening anchor (3). Inward: a body scan (10, and 5), PMR (7), resonance breathing
    (10, shrinks), a brisk breath (3, energising). For a moment: leave it at the door
    (1, end of day) and a decompression (15)."""
    return Library(
        [
            practice("orienting", "grounding", 2, direction="outward", effect="either"),
            practice("senses", "grounding", 5, direction="outward", self_paced=True),
            practice("walk", "movement", 5, direction="outward", effect="energising"),
            practice("listening", "grounding", 3, direction="outward"),
            practice("body-scan-10", "body-scan", 10),
            practice("body-scan-5", "body-scan", 5, short_of="body-scan-10"),
            practice("pmr-7", "pmr", 7),
            breathing("resonance", 10),
            breathing("brisk-breath", 3, effect="energising"),
            practice(
                "door", "grounding", 1, direction="outward", effect="either", use="end-of-day"
            ),
            practice("decompression", "grounding", 15, direction="outward", use="decompression"),
        ]
    )
