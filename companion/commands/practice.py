"""`companion practice [ID] [--minutes N]`: open the practice player directly, without the
tray (for a desktop shortcut or a terminal).

It builds what the tray app would otherwise hand the player: a journal writer
(`JournalWriter(journal).save`), the settings, and the sound (volume, breath tones and
guidance as set), so a failed save behaves here exactly as in the app. No session has
just ended, so the end screen asks no glimmer question.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from companion.i18n import _, ngettext

if TYPE_CHECKING:
    from companion.core.exercises import Exercise, Library

DEFAULT_MINUTES = 5
"""With no ID and no --minutes, a practice that fits in this many minutes is chosen."""
MAX_MINUTES = 60
EXERCISES = "companion exercises"  # a command to type: never translated


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "practice",
        help=_("open the practice player now (without the tray)"),
        description=_(
            "Open the practice player now, without the tray. With no ID, a practice "
            "that fits the time is chosen ({minutes} minutes unless {option} says). "
            "See the ids with: {command}"
        ).format(minutes=DEFAULT_MINUTES, option="--minutes", command=EXERCISES),
    )
    p.add_argument("id", nargs="?", metavar="ID", help=_("the practice to open"))
    p.add_argument(
        "--minutes",
        type=float,
        metavar="N",
        help=_("the time you have; the practice is shortened to fit it"),
    )
    p.set_defaults(func=run)


def choose(library: Library, exercise_id: str | None, minutes: float | None) -> Exercise:
    """The practice to play; raises UserError (one line) when there is none."""
    from companion.cli import UserError
    from companion.core.exercises import choose_for_window, fit

    if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
        raise UserError(
            _("{option}: {value} is not allowed; use 1 to {most}").format(
                option="--minutes", value=f"{minutes:g}", most=MAX_MINUTES
            )
        )
    if exercise_id is not None:
        exercise = library.get(exercise_id)
        if exercise is None:
            raise UserError(
                _("there is no practice with the id {id}; see the ids with: {command}").format(
                    id=repr(exercise_id), command=EXERCISES
                )
            )
        if minutes is None:
            return exercise
        fitted = fit(exercise, minutes * 60)
        if fitted is None:
            raise UserError(
                _(
                    "{id} cannot be made to fit in {minutes}; "
                    "try more minutes, or leave out the id to get one that fits"
                ).format(id=repr(exercise_id), minutes=_minutes(minutes))
            )
        return fitted
    window = (minutes if minutes is not None else DEFAULT_MINUTES) * 60
    options = choose_for_window(library, window)
    if options:
        return options[0]
    if len(library) == 0:
        raise UserError(
            _("no practices were found; check the install with: {command}").format(
                command="companion doctor"
            )
        )
    raise UserError(
        _("no practice fits in {minutes}; try a little more time").format(minutes=_minutes(minutes))
        if minutes is not None
        else _("no practice could be chosen; give an id (see: {command})").format(command=EXERCISES)
    )


def _minutes(value: float) -> str:
    """ "1 minute", "2.5 minutes" (a fraction counts as many)."""
    n = int(value) if float(value).is_integer() else 2
    return ngettext("{n} minute", "{n} minutes", n).format(n=f"{value:g}")


def run(args: argparse.Namespace) -> int:
    from companion.commands._common import paths_from
    from companion.core.exercises import load_library

    paths = paths_from(args)
    library = load_library(paths.user_practices)
    exercise = choose(library, args.id, args.minutes)

    import sys

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from companion.assets import asset
    from companion.commands._common import open_journal
    from companion.core.clock import SystemClock
    from companion.core.writer import JournalWriter
    from companion.runtime.settings_store import SettingsStore
    from companion.runtime.sound import Sound
    from companion.ui import style, text
    from companion.ui.player import PlayerWindow

    store = SettingsStore(paths.settings)
    if store.problem is not None:
        print(
            _("companion: {problem}; using the built-in defaults for now").format(
                problem=store.problem
            ),
            file=sys.stderr,
        )
    settings = store.settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Grounding Companion")
    app.setDesktopFileName("grounding-companion")
    icon = asset("icons", "companion.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    style.apply(app)
    text.install()
    sound = Sound(settings.sound, ticks=settings.phase_ticks, guidance=settings.guidance)
    set_guidance = getattr(sound, "set_guidance", None)
    if set_guidance is not None:
        set_guidance(settings.guidance)
    with open_journal(args) as journal:
        player = PlayerWindow(
            exercise,
            SystemClock(),
            settings,
            sound,
            save=JournalWriter(journal).save,
            after_session=False,  # no session just ended: no glimmer question
        )
        player.show()
        player.raise_()
        player.activateWindow()
        app.exec()
    sound.close()
    return 0
