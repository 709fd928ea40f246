"""Opening a window from the command line: ask the running app first, else open it here."""

from __future__ import annotations

import argparse


def open_window(which: str, args: argparse.Namespace) -> int:
    """Ask a running Grounding Companion to open `which`; with none running, open it here."""
    from companion.cli import UserError

    try:
        from companion.runtime import single
    except ImportError:
        single = None  # type: ignore[assignment]
    if single is not None and single.send_command(which, args):
        print(f"Asked the running Grounding Companion to open its {which} window.")
        return 0
    try:
        from companion.app import open_standalone
    except ImportError:
        raise UserError(
            f"the {which} window is not available yet; for a glimmer, give it as text: "
            'companion glimmer "..."'
        ) from None
    return open_standalone(which, args)
