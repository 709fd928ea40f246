"""Opening a window from the command line: ask the running app first, else open it here."""

from __future__ import annotations

import argparse

from companion.i18n import N_, _

# One whole sentence per window (a window's name is not glued into a sentence).
_ASKED = {
    "reflect": N_("Asked the running Grounding Companion to open its reflect window."),
    "history": N_("Asked the running Grounding Companion to open its history window."),
    "glimmer": N_("Asked the running Grounding Companion to open its glimmer window."),
}
_NOT_YET = {
    "reflect": N_(
        "the reflect window is not available yet; for a glimmer, give it as text: "
        'companion glimmer "..."'
    ),
    "history": N_(
        "the history window is not available yet; for a glimmer, give it as text: "
        'companion glimmer "..."'
    ),
    "glimmer": N_(
        "the glimmer window is not available yet; for a glimmer, give it as text: "
        'companion glimmer "..."'
    ),
}


def open_window(which: str, args: argparse.Namespace) -> int:
    """Ask a running Grounding Companion to open `which`; with none running, open it here."""
    from companion.cli import UserError

    try:
        from companion.runtime import single
    except ImportError:
        single = None  # type: ignore[assignment]
    if single is not None and single.send_command(which, args):
        print(_(_ASKED[which]))
        return 0
    try:
        from companion.standalone import open_standalone
    except ImportError:
        raise UserError(_(_NOT_YET[which])) from None
    return open_standalone(which, args)
