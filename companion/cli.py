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

# Order is the order `companion --help` lists them.
COMMANDS = (
    "run",
    "practice",
    "plan",
    "exercises",
    "glimmer",
    "reflect",
    "history",
    "export",
    "doctor",
)


class UserError(Exception):
    """A failure to report as one line (exit 1)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _available_commands() -> list[object]:
    modules = []
    for name in COMMANDS:
        try:
            modules.append(importlib.import_module(f"companion.commands.{name.replace('-', '_')}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"companion.commands.{name.replace('-', '_')}":
                raise
    return modules


def build_parser() -> argparse.ArgumentParser:
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
    for module in _available_commands():
        module.add_parser(sub)  # type: ignore[attr-defined]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="companion: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.WARNING)  # the terminal gets warnings; the log file gets more
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "run"])
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
