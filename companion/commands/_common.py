"""Small pieces the subcommands share: paths, the journal, settings, stderr notices."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from companion.i18n import _

if TYPE_CHECKING:
    from companion.core.journal import Journal
    from companion.core.paths import Paths
    from companion.core.settings import Settings


def paths_from(args: argparse.Namespace) -> Paths:
    from companion.core.paths import resolve_paths

    return resolve_paths(getattr(args, "data_dir", None)).ensure()


def open_journal(
    args: argparse.Namespace, *, any_size: bool = False, quiet: bool = False
) -> Journal:
    """Open the journal; any notice (a corrupt file moved aside) goes to stderr, one line each,
    even when opening then fails (the disk is full): it is said before the failure is.

    `any_size` opens files over the journal's size limit too (export reads everything out);
    `quiet` leaves the notices to the caller when the open succeeds."""
    from companion.cli import UserError
    from companion.core.clock import SystemClock
    from companion.core.journal import MAX_FILE_BYTES, Journal, JournalError

    limit = None if any_size else MAX_FILE_BYTES
    journal = Journal(paths_from(args), SystemClock(), size_limit=limit)
    try:
        journal.open()
    except BaseException as exc:
        flush_notices(journal)
        if isinstance(exc, JournalError):
            raise UserError(str(exc)) from None
        raise
    if not quiet:
        flush_notices(journal)
    return journal


def flush_notices(journal: Journal, *, besides: str = "") -> None:
    """Print the journal's notices to stderr, one line each (not one equal to `besides`,
    which the caller is about to say itself), and forget them."""
    for notice in journal.notices:
        if notice != besides:
            print(f"companion: {notice}", file=sys.stderr)
    journal.notices.clear()


def settings_from(args: argparse.Namespace) -> Settings:
    """The user's settings; an unreadable file is reported and defaults are used for this
    run (the file itself is left untouched)."""
    from companion.core.settings import SettingsError, first_run_settings, load_settings

    try:
        return load_settings(paths_from(args).settings)
    except SettingsError as exc:
        print(
            "companion: " + _("{problem}; using the built-in defaults for now").format(problem=exc),
            file=sys.stderr,
        )
        return first_run_settings()  # never guess the schedule from defaults
