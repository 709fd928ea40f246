"""Fitting a practice into the minutes a break has, and choosing what to offer.

`fit()` uses a family's shorter version instead of cutting a guided practice off
mid-way; breathing practices simply lose a few cycles and self-paced steps get shorter
time limits. `choose_for_window()` orders what fits, one version per family, outward
practices first after a heavy session. Nothing here reads a clock or a file: durations
are planned seconds.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from companion.core.exercise_model import BreathingStep, Exercise, GuidedStep, SelfPacedStep, Step

MIN_PRACTICE_SECONDS = 60.0
"""`fit()` offers nothing shorter than this: under a minute is not a practice."""
MIN_CYCLES = 2
"""A breathing step is never shortened below this many cycles."""
MIN_SELF_PACED_SECONDS = 15.0
"""A self-paced step's time limit is never shortened below this."""


def fit(exercise: Exercise, seconds: float) -> Exercise | None:
    """A version of `exercise` that takes at most `seconds`, or None if none fits sensibly.

    The options are the practice and each of its family's shorter versions (see
    `Exercise.shorter`), each as it is when it fits, else shortened (fewer breathing
    cycles, shorter self-paced limits; guided steps are never cut, so a body scan or
    PMR falls back to its shorter version). The option that fills the most of the
    window wins, a shortened one counting SHORTENED_WEIGHT of its length, so a version
    written for about that length beats a longer one cut down. Nothing under
    MIN_PRACTICE_SECONDS and no breathing step under MIN_CYCLES cycles.
    """
    if seconds < MIN_PRACTICE_SECONDS:
        return None
    best: Exercise | None = None
    for candidate in (exercise, *exercise.shorter):
        option = candidate if candidate.total_seconds <= seconds else _shorten(candidate, seconds)
        if option is not None and (best is None or _worth(option) > _worth(best)):
            best = option
    return best


SHORTENED_WEIGHT = 0.9
"""How much a shortened practice's length counts when choosing (see `fit`)."""


def _worth(exercise: Exercise) -> float:
    return exercise.total_seconds * (SHORTENED_WEIGHT if exercise.shortened else 1.0)


def _shorten(exercise: Exercise, seconds: float) -> Exercise | None:
    flexible = [s for s in exercise.steps if not isinstance(s, GuidedStep)]
    if not flexible:
        return None
    fixed = sum(s.seconds for s in exercise.steps if isinstance(s, GuidedStep))
    budget = seconds - fixed
    flexible_total = sum(s.seconds for s in flexible)
    if budget <= 0 or flexible_total <= 0:
        return None
    scale = min(1.0, budget / flexible_total)
    steps: list[Step] = []
    for step in exercise.steps:
        if isinstance(step, BreathingStep):
            cycles = math.floor(step.cycles * scale + 1e-9)
            if cycles < MIN_CYCLES:
                return None
            steps.append(replace(step, cycles=cycles))
        elif isinstance(step, SelfPacedStep):
            limit = math.floor(step.limit_seconds * scale)
            if limit < MIN_SELF_PACED_SECONDS:
                return None
            steps.append(replace(step, limit_seconds=float(limit)))
        else:
            steps.append(step)
    # Use any whole cycles the rounding left over, longest steps first, while they fit.
    total = sum(s.seconds for s in steps)
    for index in sorted(
        (i for i, s in enumerate(steps) if isinstance(s, BreathingStep)),
        key=lambda i: -steps[i].seconds,
    ):
        step = steps[index]
        assert isinstance(step, BreathingStep)
        original = exercise.steps[index]
        assert isinstance(original, BreathingStep)
        while step.cycles < original.cycles and total + step.pattern.cycle_seconds <= seconds:
            total += step.pattern.cycle_seconds
            step = replace(step, cycles=step.cycles + 1)
        steps[index] = step
    result = replace(
        exercise,
        steps=tuple(steps),
        minutes=round(total / 60, 1),
        shortened=True,
        shorter=(),
    )
    if result.total_seconds > seconds or result.total_seconds < MIN_PRACTICE_SECONDS:
        return None
    return result


_KIND_ORDER = ("breathing", "grounding", "movement", "compassion", "body-scan", "pmr")
"""Breaks ties between practices that use the window equally well."""
INWARD_MOST = ("body-scan", "pmr")
"""After a heavy session these come last: eyes closed, attention deep in the body."""

DECOMPRESSION_SECONDS = 15 * 60.0
"""A decompression (`use = "decompression"`) is offered only in a gap this long or longer,
after a run of heavy sessions (the planner's `HEAVY_RUN`)."""


def choose_for_window(
    library: Iterable[Exercise],
    seconds: float,
    *,
    after_heavy: bool = False,
    prefer_long: bool = False,
    favourites: Sequence[str] = (),
    avoid: Sequence[str] = (),
    include: Collection[str] = (),
    lead: str = "",
) -> list[Exercise]:
    """Every practice that fits in `seconds`, already fitted, best first; one per family.

    `seconds` is the time the practice may take (the caller has already left the
    margin before the next session). Practices written for a moment (`use`:
    "end-of-day", "decompression") are left out unless that use is in `include` or is
    `lead`. The order is deterministic:

    1. practices whose `use` is `lead` (their moment has come: the last break of the
       day, a long gap after a run of heavy sessions);
    2. the user's favourites that fit, in the order given;
    3. everyday practices before those of an `include`d use;
    4. with `after_heavy` (`prefer_long` is its former name), outward practices first
       (eyes open, the senses, the room, movement), then the other inward ones, and the
       body scan and PMR last: inward only once the person has landed (CONTENT.md,
       "Direction after a heavy session");
    5. by how well they use the window (a practice written for that length beats a
       shortened one), then by kind and id;

    and practices named in `avoid` (e.g. the one just done) after all the others of
    their rank, still on offer. Favourites and `avoid` match a practice's id or its
    family's id.
    """
    heavy = after_heavy or prefer_long
    wanted = {"", *include, lead}
    # The longest version of each family: its `shorter` holds all the others.
    longest: dict[str, Exercise] = {}
    for ex in library:
        if ex.use not in wanted:
            continue
        held = longest.get(ex.family)
        if held is None or (ex.total_seconds, len(ex.shorter)) > (
            held.total_seconds,
            len(held.shorter),
        ):
            longest[ex.family] = ex
    candidates = [f for f in (fit(ex, seconds) for ex in longest.values()) if f is not None]

    def rank(ex: Exercise) -> tuple[int, int, int, int, int, float, int, str]:
        names = (ex.id, ex.family)
        leading = 0 if lead and ex.use == lead else 1
        favourite = min(
            (i for i, name in enumerate(favourites) if name in names), default=len(favourites)
        )
        avoided = int(any(name in avoid for name in names))
        special = int(bool(ex.use) and ex.use != lead)
        direction = _direction_rank(ex) if heavy else 0
        score = _worth(ex) / seconds
        kind = _KIND_ORDER.index(ex.kind) if ex.kind in _KIND_ORDER else len(_KIND_ORDER)
        return (leading, avoided, favourite, special, direction, -round(score, 6), kind, ex.id)

    return sorted(candidates, key=rank)


def _direction_rank(exercise: Exercise) -> int:
    """After a heavy session: 0 outward, 1 inward, 2 the body scan and PMR."""
    if exercise.direction == "outward":
        return 0
    return 2 if exercise.kind in INWARD_MOST else 1
