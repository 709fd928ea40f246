"""Guided practices as data: the model, loading and validating TOML files, and fitting a
practice into the minutes a break has.

A practice file describes one practice (see assets/exercises/README.md for the schema).
The shipped files come from `companion.assets.asset("exercises")`; the user's own folder
(`Paths.user_practices`) is read after them, and a user file with the same `id` replaces
the shipped one. A broken user file is skipped and described in `Library.problems`, one
line each, in the shape `"<file>: <field>: <what is wrong>"`.

Practices can come in families: a file with `short_of = "body-scan-10"` is a shorter
version of that practice. `fit()` uses the shorter version instead of cutting a guided
practice off mid-way; breathing practices simply lose a few cycles and self-paced steps
get shorter time limits.

Nothing here reads a clock: durations are planned seconds, and `pacing.py` turns them
into what is on screen at a given moment.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from companion.assets import asset

KINDS = ("breathing", "body-scan", "pmr", "grounding", "movement")
STEP_TYPES = ("breathing", "guided", "self-paced")

MIN_PRACTICE_SECONDS = 60.0
"""`fit()` offers nothing shorter than this: under a minute is not a practice."""
MIN_CYCLES = 2
"""A breathing step is never shortened below this many cycles."""
MIN_SELF_PACED_SECONDS = 15.0
"""A self-paced step's time limit is never shortened below this."""
MINUTES_TOLERANCE = 0.10
"""A file's declared `minutes` must be within this fraction of its steps' real total."""

MAX_MINUTES = 60
MAX_FILE_BYTES = 256 * 1024
MAX_STEPS = 200
MAX_STEP_SECONDS = 3600.0
MAX_PHASE_SECONDS = 30.0
MAX_TEXT = 400
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")


# --- the model ------------------------------------------------------------------------------


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
        in_part = f"{_num(self.inhale)}+{_num(self.top_up)} in" if self.top_up else ""
        if self.top_up:
            parts = [in_part]
            if self.hold_in:
                parts.append(f"hold {_num(self.hold_in)}")
            parts.append(f"{_num(self.exhale)} out")
            if self.hold_out:
                parts.append(f"hold {_num(self.hold_out)}")
            return ", ".join(parts)
        numbers = [self.inhale, self.hold_in, self.exhale, self.hold_out]
        if not self.hold_out:
            numbers = numbers[:3] if self.hold_in else [self.inhale, self.exhale]
        return "-".join(_num(n) for n in numbers)


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
    next_label: str = "Next"
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


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- reading and checking files -------------------------------------------------------------

_TOP_FIELDS = ("id", "title", "kind", "minutes", "source", "about", "short_of", "steps")
_STEP_FIELDS: Mapping[str, tuple[str, ...]] = {
    "breathing": (
        "type",
        "inhale",
        "top_up",
        "hold_in",
        "exhale",
        "hold_out",
        "cycles",
        "seconds",
        "cue",
    ),
    "guided": ("type", "cue", "seconds"),
    "self-paced": ("type", "cue", "next", "limit"),
}


class _Problems:
    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: list[str] = []

    def add(self, where: str, what: str) -> None:
        self.lines.append(f"{self.name}: {where}: {what}")


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _number(
    raw: Mapping[str, Any],
    key: str,
    where: str,
    problems: _Problems,
    *,
    required: bool = True,
    default: float = 0.0,
    allow_zero: bool = False,
    maximum: float = MAX_STEP_SECONDS,
) -> float | None:
    if key not in raw:
        if required:
            problems.add(where, "missing; give a number of seconds")
            return None
        return default
    value = raw[key]
    if not _is_number(value):
        problems.add(where, f"{value!r} is not a number")
        return None
    number = float(value)
    if number < 0 or (number == 0 and not allow_zero):
        lowest = "0 or more" if allow_zero else "more than 0"
        problems.add(where, f"{_num(number)} is not allowed; use {lowest}")
        return None
    if number > maximum:
        problems.add(where, f"{_num(number)} is too long; use at most {_num(maximum)}")
        return None
    return number


def _text(
    raw: Mapping[str, Any],
    key: str,
    where: str,
    problems: _Problems,
    *,
    required: bool = True,
    default: str = "",
) -> str | None:
    if key not in raw:
        if required:
            problems.add(where, "missing; it needs some text")
            return None
        return default
    value = raw[key]
    if not isinstance(value, str):
        problems.add(where, f"{value!r} is not text; put it in quotes")
        return None
    text = value.strip()
    if required and not text:
        problems.add(where, "is empty; it needs some text")
        return None
    if len(text) > MAX_TEXT:
        problems.add(where, f"is {len(text)} characters long; keep it under {MAX_TEXT}")
        return None
    return text


def _unknown_keys(raw: Mapping[str, Any], known: Sequence[str], where: str, p: _Problems) -> None:
    for key in raw:
        if key not in known:
            p.add(f"{where}{key}", f"unknown field; use one of {', '.join(known)}")


def _parse_step(raw: object, where: str, p: _Problems) -> Step | None:
    if not isinstance(raw, dict):
        p.add(where, "is not a table; write each step as a [[steps]] block")
        return None
    before = len(p.lines)
    kind = raw.get("type")
    if kind is None:
        p.add(f"{where}.type", f"missing; use one of {', '.join(STEP_TYPES)}")
        return None
    if kind not in STEP_TYPES:
        p.add(f"{where}.type", f"{kind!r} is not a step type; use one of {', '.join(STEP_TYPES)}")
        return None
    _unknown_keys(raw, _STEP_FIELDS[kind], f"{where}.", p)

    step: Step | None = None
    if kind == "guided":
        cue = _text(raw, "cue", f"{where}.cue", p)
        seconds = _number(raw, "seconds", f"{where}.seconds", p)
        if cue is not None and seconds is not None:
            step = GuidedStep(cue=cue, seconds=seconds)
    elif kind == "self-paced":
        cue = _text(raw, "cue", f"{where}.cue", p)
        label = _text(raw, "next", f"{where}.next", p, required=False, default="Next")
        limit = _number(raw, "limit", f"{where}.limit", p)
        if cue is not None and label is not None and limit is not None:
            step = SelfPacedStep(cue=cue, next_label=label or "Next", limit_seconds=limit)
    else:
        step = _parse_breathing(raw, where, p)
    return step if len(p.lines) == before else None


def _parse_breathing(raw: Mapping[str, Any], where: str, p: _Problems) -> BreathingStep | None:
    phase_max = MAX_PHASE_SECONDS
    inhale = _number(raw, "inhale", f"{where}.inhale", p, maximum=phase_max)
    exhale = _number(raw, "exhale", f"{where}.exhale", p, maximum=phase_max)
    extras = {
        key: _number(
            raw, key, f"{where}.{key}", p, required=False, allow_zero=True, maximum=phase_max
        )
        for key in ("top_up", "hold_in", "hold_out")
    }
    cue = _text(raw, "cue", f"{where}.cue", p, required=False)
    if inhale is None or exhale is None or cue is None or None in extras.values():
        return None
    pattern = BreathPattern(
        inhale=inhale,
        exhale=exhale,
        hold_in=extras["hold_in"] or 0.0,
        hold_out=extras["hold_out"] or 0.0,
        top_up=extras["top_up"] or 0.0,
    )
    has_cycles, has_seconds = "cycles" in raw, "seconds" in raw
    if has_cycles and has_seconds:
        p.add(f"{where}.cycles", "give cycles or seconds, not both")
        return None
    if not has_cycles and not has_seconds:
        p.add(f"{where}.cycles", "missing; give cycles = N or seconds = N")
        return None
    if has_cycles:
        cycles = raw["cycles"]
        if isinstance(cycles, bool) or not isinstance(cycles, int):
            p.add(f"{where}.cycles", f"{cycles!r} is not allowed; use a whole number")
            return None
        if cycles < 1:
            p.add(f"{where}.cycles", f"{cycles} is not allowed; use 1 or more")
            return None
    else:
        seconds = _number(raw, "seconds", f"{where}.seconds", p)
        if seconds is None:
            return None
        cycles = cycles_in(pattern, seconds)
        if cycles < 1:
            p.add(
                f"{where}.seconds",
                f"{_num(seconds)} is shorter than one breath cycle "
                f"({_num(pattern.cycle_seconds)} s)",
            )
            return None
    step = BreathingStep(pattern=pattern, cycles=cycles, cue=cue)
    if step.seconds > MAX_STEP_SECONDS:
        p.add(f"{where}.cycles", f"{cycles} cycles take too long; keep a step under an hour")
        return None
    return step


def cycles_in(pattern: BreathPattern, seconds: float) -> int:
    """The most whole cycles of `pattern` that fit in `seconds`."""
    return math.floor(seconds / pattern.cycle_seconds + 1e-9)


def parse_exercise(data: Mapping[str, Any], name: str) -> tuple[Exercise | None, list[str]]:
    """Build an Exercise from parsed TOML; `name` labels the problem lines."""
    p = _Problems(name)
    _unknown_keys(data, _TOP_FIELDS, "", p)

    ex_id = _text(data, "id", "id", p)
    if ex_id is not None and not _ID.match(ex_id):
        p.add(
            "id",
            f"{ex_id!r} is not allowed; use lower-case letters, digits and dashes "
            "(up to 64, starting with a letter or digit)",
        )
        ex_id = None
    title = _text(data, "title", "title", p)
    kind = data.get("kind")
    if kind is None:
        p.add("kind", f"missing; use one of {', '.join(KINDS)}")
    elif kind not in KINDS:
        p.add("kind", f"{kind!r} is not a kind of practice; use one of {', '.join(KINDS)}")
        kind = None
    minutes: float | None = None
    if "minutes" not in data:
        p.add("minutes", "missing; say how many minutes the practice takes")
    elif not _is_number(data["minutes"]) or not 0 < data["minutes"] <= MAX_MINUTES:
        p.add("minutes", f"{data['minutes']!r} is not allowed; use a number above 0, up to 60")
    else:
        minutes = data["minutes"]
    source = _text(data, "source", "source", p, required=False)
    about = _text(data, "about", "about", p, required=False)
    short_of = _text(data, "short_of", "short_of", p, required=False)
    if short_of and not _ID.match(short_of):
        p.add("short_of", f"{short_of!r} is not a practice id")

    steps: list[Step] = []
    raw_steps = data.get("steps")
    if raw_steps is None:
        p.add("steps", "missing; add at least one [[steps]] block")
    elif not isinstance(raw_steps, list) or not raw_steps:
        p.add("steps", "add at least one step as a [[steps]] block")
    elif len(raw_steps) > MAX_STEPS:
        p.add("steps", f"{len(raw_steps)} steps is too many; use at most {MAX_STEPS}")
    else:
        for number, raw in enumerate(raw_steps, start=1):
            step = _parse_step(raw, f"steps[{number}]", p)
            if step is not None:
                steps.append(step)

    if p.lines:
        return None, p.lines
    assert ex_id is not None and title is not None and isinstance(kind, str)
    assert minutes is not None and source is not None and about is not None
    exercise = Exercise(
        id=ex_id,
        title=title,
        kind=kind,
        minutes=minutes,
        steps=tuple(steps),
        source=source,
        about=about,
        short_of=short_of or None,
    )
    total_minutes = exercise.total_seconds / 60
    if total_minutes > MAX_MINUTES:
        p.add("steps", f"add up to {total_minutes:.1f} minutes; keep a practice within an hour")
    elif abs(total_minutes - minutes) > MINUTES_TOLERANCE * minutes:
        p.add(
            "minutes",
            f"says {_num(minutes)} but the steps add up to {total_minutes:.1f} minutes; "
            "keep them within 10 %",
        )
    if short_of == ex_id:
        p.add("short_of", "names the practice itself; name the longer practice instead")
    if p.lines:
        return None, p.lines
    return exercise, []


def read_exercise(path: Path) -> tuple[Exercise | None, list[str]]:
    """Read and validate one practice file: (the practice, []) or (None, problem lines)."""
    name = str(path)
    try:
        raw = path.read_bytes()
        if len(raw) > MAX_FILE_BYTES:
            return None, [f"{name}: file: is {len(raw)} bytes; a practice file stays under 256 KB"]
        text = raw.decode("utf-8")
    except FileNotFoundError:
        return None, [f"{name}: file: not found"]
    except IsADirectoryError:
        return None, [f"{name}: file: is a folder, not a practice file"]
    except OSError as exc:
        return None, [f"{name}: file: cannot be read ({exc.strerror or exc})"]
    except UnicodeDecodeError as exc:
        return None, [f"{name}: file: is not UTF-8 text (byte {exc.start})"]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.match(message)
        if match:
            what = match.group("msg").rstrip(".")
            return None, [
                f"{name}: line {match.group('line')}: not valid TOML "
                f"({what[:1].lower()}{what[1:]}, column {match.group('col')})"
            ]
        return None, [f"{name}: file: not valid TOML ({message})"]
    return parse_exercise(data, name)


def check_file(path: Path) -> list[str]:
    """Every problem with one practice file, one line each: "<file>: <field>: <what>".
    An empty list means the file is a valid practice."""
    return read_exercise(path)[1]


# --- the library ----------------------------------------------------------------------------


class Library:
    """The practices on offer, in a stable order (by kind, family, length, id).

    Build it with `load_library()`, or directly from Exercise objects (tests, demos).
    Families are linked here: every practice's `family` is the id at the top of its
    `short_of` chain and its `shorter` holds the family's shorter versions.
    """

    def __init__(self, exercises: Iterable[Exercise], problems: Iterable[str] = ()) -> None:
        self.problems: list[str] = list(problems)
        by_id: dict[str, Exercise] = {}
        for ex in exercises:
            by_id[ex.id] = ex
        linked = _link_families(by_id, self.problems)
        self._by_id = linked
        self._order = sorted(
            linked.values(), key=lambda e: (KINDS.index(e.kind), e.family, e.total_seconds, e.id)
        )

    def get(self, exercise_id: str) -> Exercise | None:
        return self._by_id.get(exercise_id)

    def __getitem__(self, exercise_id: str) -> Exercise:
        return self._by_id[exercise_id]

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def families(self) -> list[Exercise]:
        """One practice per family: its longest version (the root), in library order."""
        return [e for e in self._order if e.id == e.family]


def _link_families(by_id: dict[str, Exercise], problems: list[str]) -> dict[str, Exercise]:
    def label(ex: Exercise) -> str:
        return str(ex.path) if ex.path else ex.id

    family_of: dict[str, str] = {}
    for ex in by_id.values():
        seen = [ex.id]
        current = ex
        while current.short_of:
            parent = by_id.get(current.short_of)
            if parent is None:
                if current is ex:
                    problems.append(
                        f"{label(ex)}: short_of: no practice has the id {ex.short_of!r}; "
                        "showing it on its own"
                    )
                break
            if parent.id in seen:
                problems.append(
                    f"{label(ex)}: short_of: goes round in a circle "
                    f"({' -> '.join([*seen, parent.id])}); showing it on its own"
                )
                current = ex
                break
            seen.append(parent.id)
            current = parent
        family_of[ex.id] = current.id

    members: dict[str, list[Exercise]] = {}
    for ex in by_id.values():
        members.setdefault(family_of[ex.id], []).append(ex)

    linked: dict[str, Exercise] = {}
    for family, group in members.items():
        built: list[Exercise] = []
        for ex in sorted(group, key=lambda e: (e.total_seconds, e.id)):
            shorter = tuple(b for b in reversed(built) if b.total_seconds < ex.total_seconds)
            new = replace(ex, family=family, shorter=shorter)
            built.append(new)
            linked[ex.id] = new
    return linked


def _read_folder(folder: Path, *, user: bool, problems: list[str]) -> list[Exercise]:
    found: list[Exercise] = []
    seen: dict[str, Path] = {}
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".toml")
    except FileNotFoundError:
        return found
    except OSError as exc:
        problems.append(f"{folder}: folder: cannot be read ({exc.strerror or exc})")
        return found
    for path in files:
        exercise, lines = read_exercise(path)
        if exercise is None:
            problems.extend(f"{line} (skipped)" for line in lines)
            continue
        if exercise.id in seen:
            problems.append(
                f"{path}: id: {exercise.id!r} is also used by {seen[exercise.id].name}; "
                f"using {path.name}"
            )
            found = [e for e in found if e.id != exercise.id]
        seen[exercise.id] = path
        found.append(replace(exercise, path=path, user=user))
    return found


def shipped_dir() -> Path:
    """The folder of practices that ship with the app (works frozen and from source)."""
    return asset("exercises")


def load_library(user_dir: Path | None = None, *, shipped: Path | None = None) -> Library:
    """The shipped practices, then the user's own from `user_dir` (same id replaces the
    shipped one). Never raises for a bad file: it is skipped and described in
    `Library.problems`. `shipped` overrides the shipped folder (tests)."""
    problems: list[str] = []
    exercises = _read_folder(shipped or shipped_dir(), user=False, problems=problems)
    if user_dir is not None:
        exercises += _read_folder(user_dir, user=True, problems=problems)
    return Library(exercises, problems)


# --- fitting into a window ------------------------------------------------------------------


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


_CALM_ORDER = ("breathing", "grounding", "movement", "body-scan", "pmr")
_DEEP_ORDER = ("body-scan", "pmr", "breathing", "grounding", "movement")


def choose_for_window(
    library: Iterable[Exercise],
    seconds: float,
    *,
    prefer_long: bool = False,
    favourites: Sequence[str] = (),
    avoid: Sequence[str] = (),
) -> list[Exercise]:
    """Every practice that fits in `seconds`, already fitted, best first; one per family.

    `seconds` is the time the practice may take (the caller has already left the
    margin before the next session). The order is deterministic:

    1. the user's favourites that fit, in the order given;
    2. the rest by how well they use the window (a practice written for that length
       beats a shortened one); with `prefer_long` (after a heavy session) the deeper
       practices (body scan, PMR, resonance-paced breathing) come first;
    3. practices named in `avoid` (e.g. the one just done) last, still on offer.

    Favourites and `avoid` match a practice's id or its family's id.
    """
    # The longest version of each family: its `shorter` holds all the others.
    longest: dict[str, Exercise] = {}
    for ex in library:
        held = longest.get(ex.family)
        if held is None or (ex.total_seconds, len(ex.shorter)) > (
            held.total_seconds,
            len(held.shorter),
        ):
            longest[ex.family] = ex
    candidates = [f for f in (fit(ex, seconds) for ex in longest.values()) if f is not None]

    order = _DEEP_ORDER if prefer_long else _CALM_ORDER

    def rank(ex: Exercise) -> tuple[int, int, float, int, str]:
        names = (ex.id, ex.family)
        favourite = min(
            (i for i, name in enumerate(favourites) if name in names), default=len(favourites)
        )
        avoided = int(any(name in avoid for name in names))
        score = _worth(ex) / seconds
        if prefer_long and ex.is_deep:
            score += 0.5
        return (avoided, favourite, -round(score, 6), order.index(ex.kind), ex.id)

    return sorted(candidates, key=rank)
