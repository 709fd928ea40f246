"""`companion history`: open "Look back" (the week and month views and the glimmer jar)."""

from __future__ import annotations

import argparse

from companion.i18n import _


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "history",
        help=_("look back over your weeks and months, and browse your glimmers"),
        description=_(
            "Open Look back: practice, check-ins, breaks and heavy sessions by week "
            "and month, and the glimmer jar. The running app opens it; with none running, it "
            "opens here."
        ),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from companion.commands import _window

    return _window.open_window("history", args)
