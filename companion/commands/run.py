"""`companion` / `companion run [--demo]`: the tray app."""

from __future__ import annotations

import argparse

from companion.i18n import _


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "run",
        help=_("start the tray app (the default with no command)"),
        description=_("Start Grounding Companion in the system tray."),
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help=_("play a compressed working day with a throwaway journal, to see how it behaves"),
    )
    p.add_argument(
        "--demo-speed",
        type=float,
        default=30.0,
        metavar="N",
        help=_("how much faster than real time the demo day runs (default 30)"),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from companion.launch import run_app

    if getattr(args, "demo_speed", 30.0) <= 0:
        from companion.cli import UserError

        raise UserError(_("--demo-speed: use a number above 0"))
    return run_app(args)
