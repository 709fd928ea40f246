"""`companion practice [ID] [--minutes N]`: open the practice player directly, without the
tray (for a desktop shortcut or a terminal)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.core.exercises import Exercise, Library

DEFAULT_MINUTES = 5
"""With no ID and no --minutes, a practice that fits in this many minutes is chosen."""
MAX_MINUTES = 60


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "practice",
        help="open the practice player now (without the tray)",
        description="Open the practice player now, without the tray. With no ID, a practice "
        f"that fits the time is chosen ({DEFAULT_MINUTES} minutes unless --minutes says). "
        "See the ids with: companion exercises",
    )
    p.add_argument("id", nargs="?", metavar="ID", help="the practice to open")
    p.add_argument(
        "--minutes",
        type=float,
        metavar="N",
        help="the time you have; the practice is shortened to fit it",
    )
    p.set_defaults(func=run)


def choose(library: Library, exercise_id: str | None, minutes: float | None) -> Exercise:
    """The practice to play; raises UserError (one line) when there is none."""
    from companion.cli import UserError
    from companion.core.exercises import choose_for_window, fit

    if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
        raise UserError(f"--minutes: {minutes:g} is not allowed; use 1 to {MAX_MINUTES}")
    if exercise_id is not None:
        exercise = library.get(exercise_id)
        if exercise is None:
            raise UserError(
                f"there is no practice with the id {exercise_id!r}; "
                "see the ids with: companion exercises"
            )
        if minutes is None:
            return exercise
        fitted = fit(exercise, minutes * 60)
        if fitted is None:
            raise UserError(
                f"{exercise_id!r} cannot be made to fit in {_minutes(minutes)}; "
                "try more minutes, or leave out the id to get one that fits"
            )
        return fitted
    window = (minutes if minutes is not None else DEFAULT_MINUTES) * 60
    options = choose_for_window(library, window)
    if options:
        return options[0]
    if len(library) == 0:
        raise UserError("no practices were found; check the install with: companion doctor")
    raise UserError(
        f"no practice fits in {_minutes(minutes)}; try a little more time"
        if minutes is not None
        else "no practice could be chosen; give an id (see: companion exercises)"
    )


def _minutes(value: float) -> str:
    return "1 minute" if value == 1 else f"{value:g} minutes"


def run(args: argparse.Namespace) -> int:
    from companion.commands._common import paths_from, settings_from
    from companion.core.exercises import load_library

    paths = paths_from(args)
    library = load_library(paths.user_practices)
    exercise = choose(library, args.id, args.minutes)
    settings = settings_from(args)

    import sys

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from companion.assets import asset
    from companion.commands._common import open_journal
    from companion.core.clock import SystemClock
    from companion.runtime.sound import Sound
    from companion.ui import style
    from companion.ui.player import PlayerWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Grounding Companion")
    app.setDesktopFileName("grounding-companion")
    icon = asset("icons", "companion.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    style.apply(app)
    sound = Sound(settings.sound, ticks=settings.phase_ticks)
    with open_journal(args) as journal:
        player = PlayerWindow(exercise, SystemClock(), journal, settings, sound)
        player.show()
        player.raise_()
        player.activateWindow()
        app.exec()
    sound.close()
    return 0
