"""The command-line front door.

Each subcommand lives in `companion.commands.<name>` with `add_parser(subparsers)`
and `run(args) -> int`. Modules are imported to build the parser, so they must be
cheap to import: nothing at module level pulls in Qt or the calendar libraries.
Errors reach the user as one line on stderr: exit 2 for usage, 1 for failures,
never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from companion import __version__

# Order is the order `companion --help` lists them. Only the chosen command's module is
# imported (so `companion run` does not pay for the others); the rest are listed by name.
COMMANDS = {
    "run": "start the tray app (the default with no command)",
    "practice": "open the practice player now (without the tray)",
    "plan": "show a day's sessions and planned breaks",
    "exercises": "list the guided practices, or check a practice file",
    "glimmer": "note a glimmer (a moment of safety, connection or a client's resilience)",
    "reflect": "open the end-of-day reflection",
    "history": "look back over your weeks and months, and browse your glimmers",
    "export": "export the journal as JSON, CSV or Markdown",
    "doctor": "check the data folder, journal, settings, calendar, tray and sound",
}


class UserError(Exception):
    """A failure to report as one line (exit 1)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _chosen(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line, if any (skipping global options)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--data-dir":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="companion",
        description="Grounding Companion: short grounding practices between sessions.",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="PATH",
        help="use this folder for the journal and settings (default: your user data folder; "
        "also $COMPANION_DATA_DIR)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    chosen = _chosen(sys.argv[1:] if argv is None else argv)
    for name, summary in COMMANDS.items():
        if name == chosen:
            module = importlib.import_module(f"companion.commands.{name}")
            module.add_parser(sub)
        else:
            sub.add_parser(name, help=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="companion: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.WARNING)  # the terminal gets warnings; the log file gets more
    given = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(given).parse_args(given)
    if args.command is None:
        given.append("run")
        args = build_parser(given).parse_args(given)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        print(f"companion: {exc.strerror or exc} ({exc.filename or 'file'})", file=sys.stderr)
        return 1
