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
from collections.abc import Iterable, Sequence
from typing import Any

from companion import __version__
from companion.i18n import N_, _

# Order is the order `companion --help` lists them. Only the chosen command's module is
# imported (so `companion run` does not pay for the others); the rest are listed by name.
# The summaries are translated where they are shown (each command's module says the same).
COMMANDS = {
    "run": N_("start the tray app (the default with no command)"),
    "practice": N_("open the practice player now (without the tray)"),
    "plan": N_("show a day's sessions and planned breaks"),
    "exercises": N_("list the guided practices, or check a practice file"),
    "glimmer": N_("note a glimmer (a moment of safety, connection or a client's resilience)"),
    "reflect": N_("open the end-of-day reflection"),
    "history": N_("look back over your weeks and months, and browse your glimmers"),
    "export": N_("export the journal as JSON, CSV or Markdown"),
    "support": N_("show the people you chose to turn to, and where help is in a crisis"),
    "doctor": N_("check the data folder, journal, settings, calendar, tray and sound"),
}


class UserError(Exception):
    """A failure to report as one line (exit 1)."""


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, with its own words ("usage:") in the person's language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An argparse parser that speaks through companion.i18n: its headings, its -h help
    and its one-line errors. (argparse's own error texts, such as "invalid choice", come
    from Python and stay English inside our translated line.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", help=_("show this help message and exit")
            )

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(
            2, _("{prog}: {problem} (see --help)").format(prog=self.prog, problem=message) + "\n"
        )


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
        description=_("Grounding Companion: short grounding practices between sessions."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"companion {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--data-dir",
        metavar="PATH",
        help=_(
            "use this folder for the journal and settings (default: your user data folder; "
            "also {variable})"
        ).format(variable="$COMPANION_DATA_DIR"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    chosen = _chosen(sys.argv[1:] if argv is None else argv)
    for name, summary in COMMANDS.items():
        if name == chosen:
            module = importlib.import_module(f"companion.commands.{name}")
            module.add_parser(sub)
        else:
            sub.add_parser(name, help=_(summary))
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
        where = exc.filename or _("file")
        print(f"companion: {exc.strerror or exc} ({where})", file=sys.stderr)
        return 1
