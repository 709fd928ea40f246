"""`companion exercises [--json]` lists the practices; `companion exercises check PATH...`
validates practice files."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.i18n import _, ngettext

if TYPE_CHECKING:
    from companion.core.exercises import Exercise


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "exercises",
        usage="companion exercises [--json]\n       companion exercises check PATH [PATH ...]",
        help=_("list the guided practices, or check a practice file"),
        description=_(
            "List the guided practices: the ones that ship with the app and your own "
            "(in the practices folder of your config folder). Use 'check' to validate a file."
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print the list as JSON"))
    p.set_defaults(func=run, exercises_action=None)
    actions = p.add_subparsers(dest="exercises_action", metavar="ACTION")
    check = actions.add_parser(
        "check",
        prog="companion exercises check",
        help=_("validate practice files"),
        description=_(
            "Check practice files (or every .toml file in a folder). Prints one line "
            "per problem, naming the file, the field and what is wrong."
        ),
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help=_("a .toml file or a folder"))
    check.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.exercises_action == "check":
        return _check([Path(p) for p in args.paths])
    return _list(args)


def _list(args: argparse.Namespace) -> int:
    from companion.core.exercises import load_library
    from companion.core.paths import resolve_paths

    user_dir = resolve_paths(getattr(args, "data_dir", None)).user_practices
    library = load_library(user_dir)
    for problem in library.problems:
        print(problem, file=sys.stderr)
    if args.json:
        print(json.dumps([_as_json(e) for e in library], indent=2, ensure_ascii=False))
        return 0
    rows = [
        (
            e.id,
            _minutes(e.minutes),
            e.kind,
            e.direction,
            e.effect,
            e.use or "-",
            _("{title} (yours)").format(title=e.title) if e.user else e.title,
        )
        for e in library
    ]
    # Column headings of the table a person reads (`--json` is the machine's list).
    header = (_("ID"), _("MIN"), _("KIND"), _("DIRECTION"), _("EFFECT"), _("USE"), _("TITLE"))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(6)]
    cautions = ["", *(e.caution for e in library)]
    for row, caution in zip([header, *rows], cautions, strict=True):
        cells = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False))
        print(cells + "  " + row[6])
        if caution:  # under its practice, as the player shows it on the first screen
            text = _("Caution: {text}").format(text=caution)
            print(textwrap.fill(text, 96, initial_indent="    ", subsequent_indent="    "))
    print()
    print(
        ngettext(
            "{n} practice. Your own go in {folder}",
            "{n} practices. Your own go in {folder}",
            len(rows),
        ).format(n=len(rows), folder=user_dir)
    )
    return 0


def _as_json(e: Exercise) -> dict[str, Any]:
    return {
        "id": e.id,
        "title": e.title,
        "kind": e.kind,
        "minutes": e.minutes,
        "seconds": e.total_seconds,
        "steps": len(e.steps),
        "family": e.family,
        "short_of": e.short_of,
        "source": e.source,
        "about": e.about,
        "caution": e.caution,
        "direction": e.direction,
        "effect": e.effect,
        "use": e.use,
        "user": e.user,
        "path": str(e.path) if e.path else None,
    }


def _minutes(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _check(paths: list[Path]) -> int:
    from companion.core.exercises import read_exercise

    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".toml")
            if not found:
                problems.append(
                    _("{folder}: folder: has no .toml practice files").format(folder=path)
                )
            files.extend(found)
        else:
            files.append(path)
    for path in files:
        exercise, lines = read_exercise(path)
        if exercise is None:
            problems.extend(lines)
            continue
        too_long = _cues_too_long(path, exercise)
        if too_long:
            problems.extend(too_long)
            continue
        steps = len(exercise.steps)
        total = round(exercise.total_seconds)
        print(
            ngettext(
                "{file}: OK: {id}, {n} step, {length}",
                "{file}: OK: {id}, {n} steps, {length}",
                steps,
            ).format(file=path, id=exercise.id, n=steps, length=f"{total // 60}:{total % 60:02d}")
        )
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


def _cues_too_long(path: Path, exercise: Exercise) -> list[str]:
    """A line for each step whose spoken cue would run into the next step: measured from
    the rendered voice when the cue has one, else estimated at the system voice's pace."""
    from companion.core.exercise_model import plain_number
    from companion.runtime import voice

    lines = []
    for n, step in enumerate(exercise.steps, 1):
        if not step.cue.strip():
            continue
        spoken, measured = voice.spoken_seconds(step.cue)
        if spoken < step.seconds:
            continue
        if measured:
            text = _(
                "{file}: steps[{n}].cue: spoken, it takes {spoken} s, longer than the "
                "step's {seconds} s; use fewer words or a longer step"
            )
        else:
            text = _(
                "{file}: steps[{n}].cue: spoken, it takes about {spoken} s, longer than "
                "the step's {seconds} s; use fewer words or a longer step"
            )
        lines.append(
            text.format(file=path, n=n, spoken=f"{spoken:.1f}", seconds=plain_number(step.seconds))
        )
    return lines
