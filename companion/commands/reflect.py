"""`companion reflect`: open the end-of-day reflection."""

from __future__ import annotations

import argparse

from companion.i18n import _


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "reflect",
        help=_("open the end-of-day reflection"),
        description=_(
            "Open the end-of-day reflection: a look at today, a few short optional lines "
            "and a check-in. The running app opens it; with none running, it opens here."
        ),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from companion.commands import _window

    return _window.open_window("reflect", args)
