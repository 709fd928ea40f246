"""The practice library: the shipped practices and the person's own, in one place.

This is the front door to practices; what it gathers lives in three modules below it,
and their names are re-exported here so callers import from one place:

    exercise_model.py   BreathPattern, the steps, Exercise (plain data)
    exercise_files.py   reading and validating TOML files (read_exercise, check_file)
    fitting.py          fit() a practice into a break; choose_for_window()

A practice file describes one practice (see assets/exercises/README.md for the schema).
The shipped files come from `companion.assets.asset("exercises")`; the user's own folder
(`Paths.user_practices`) is read after them, and a user file with the same `id` replaces
the shipped one. A broken user file is skipped and described in `Library.problems`, one
line each, in the shape `"<file>: <field>: <what is wrong>"`.

A practice also says where it turns attention (`direction`: outward or inward), what it
does to arousal (`effect`: settling, energising or either), when it is meant to be offered
(`use`: any break, the end of the day, a decompression) and, where a body can come to
harm, a `caution` shown before it starts. A person's own file may leave them out: the
direction and effect then follow its kind (`exercise_files.DEFAULT_DIRECTION`).

Practices can come in families: a file with `short_of = "body-scan-10"` is a shorter
version of that practice; the library links each family (see `Library`).

The shipped practices speak through gettext (titles, about texts, cues and button
labels are translated as they are loaded; `make pot` extracts them from the TOML files
with `companion.i18n_extract`). A person's own files are their own words: left as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from companion.assets import asset
from companion.core.exercise_files import (
    MAX_FILE_BYTES,
    MAX_MINUTES,
    MAX_PHASE_SECONDS,
    MAX_STEP_SECONDS,
    MAX_STEPS,
    MAX_TEXT,
    MINUTES_TOLERANCE,
    check_file,
    cycles_in,
    parse_exercise,
    read_exercise,
)
from companion.core.exercise_model import (
    DIRECTIONS,
    EFFECTS,
    KINDS,
    STEP_TYPES,
    USES,
    BreathingStep,
    BreathPattern,
    Exercise,
    GuidedStep,
    SelfPacedStep,
    Step,
)
from companion.core.fitting import (
    MIN_CYCLES,
    MIN_PRACTICE_SECONDS,
    MIN_SELF_PACED_SECONDS,
    SHORTENED_WEIGHT,
    choose_for_window,
    fit,
)
from companion.i18n import _

__all__ = [
    "DIRECTIONS",
    "EFFECTS",
    "KINDS",
    "MAX_FILE_BYTES",
    "MAX_MINUTES",
    "MAX_PHASE_SECONDS",
    "MAX_STEPS",
    "MAX_STEP_SECONDS",
    "MAX_TEXT",
    "MINUTES_TOLERANCE",
    "MIN_CYCLES",
    "MIN_PRACTICE_SECONDS",
    "MIN_SELF_PACED_SECONDS",
    "SHORTENED_WEIGHT",
    "STEP_TYPES",
    "USES",
    "BreathPattern",
    "BreathingStep",
    "Exercise",
    "GuidedStep",
    "Library",
    "SelfPacedStep",
    "Step",
    "check_file",
    "choose_for_window",
    "cycles_in",
    "fit",
    "load_library",
    "parse_exercise",
    "read_exercise",
    "shipped_dir",
]


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
                        _(
                            "{file}: short_of: no practice has the id {id!r}; showing it on its own"
                        ).format(file=label(ex), id=ex.short_of)
                    )
                break
            if parent.id in seen:
                problems.append(
                    _(
                        "{file}: short_of: goes round in a circle ({chain}); showing it on its own"
                    ).format(file=label(ex), chain=" -> ".join([*seen, parent.id]))
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
    """The practices in `folder`. The shipped ones speak the person's language; a
    person's own files keep their words as written."""
    found: list[Exercise] = []
    seen: dict[str, Path] = {}
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".toml")
    except FileNotFoundError:
        return found
    except OSError as exc:
        problems.append(
            _("{folder}: folder: cannot be read ({reason})").format(
                folder=folder, reason=exc.strerror or exc
            )
        )
        return found
    for path in files:
        exercise, lines = read_exercise(path, translate=None if user else _)
        if exercise is None:
            problems.extend(_("{problem} (skipped)").format(problem=line) for line in lines)
            continue
        if exercise.id in seen:
            problems.append(
                _("{file}: id: {id!r} is also used by {other}; using {name}").format(
                    file=path, id=exercise.id, other=seen[exercise.id].name, name=path.name
                )
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
