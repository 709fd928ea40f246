"""`companion support`: the people you chose to turn to, and where help is in a crisis.

It prints the same card as "If today was a lot…" in the tray, and it prints the crisis
lines whatever happens to the settings: a file that cannot be read costs one line on
stderr, never the lines below it.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from companion.i18n import _

if TYPE_CHECKING:
    from companion.core.settings import SupportContact


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "support",
        help=_("show the people you chose to turn to, and where help is in a crisis"),
        description=_(
            'Show what "If today was a lot…" shows: the people you saved in Settings '
            "(a supervisor, your own therapist, a trusted colleague) and how to reach "
            "them, then crisis lines. It asks nothing and saves nothing."
        ),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from companion.core.support import render_text

    sys.stdout.write(render_text(_contacts(args)))
    return 0


def _contacts(args: argparse.Namespace) -> tuple[SupportContact, ...] | None:
    """The saved people; on any trouble one line on stderr and what could be read."""
    from companion.core.paths import resolve_paths
    from companion.core.settings import SettingsError, load_settings
    from companion.core.support import saved_contacts

    try:
        path = resolve_paths(getattr(args, "data_dir", None)).settings
    except Exception as exc:  # nothing may stand between the person and the crisis lines
        print(f"companion: {exc}", file=sys.stderr)
        return None
    try:
        return load_settings(path).support_contacts
    except SettingsError as exc:
        problem = str(exc)
    except OSError as exc:  # a migrated file that could not be written back, a folder
        problem = _("{path}: could not be read ({reason})").format(
            path=path, reason=exc.strerror or exc
        )
    print(f"companion: {problem}", file=sys.stderr)
    return saved_contacts(path)
