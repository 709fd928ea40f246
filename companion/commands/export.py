"""`companion export --format json|csv|md [--out PATH]`, and
`companion export --supervision [--since DATE]`: the one-page Markdown summary to take to
supervision (`companion.core.supervision`: only what was marked, and counts).

What could not be read (a year set aside as damaged, records of the wrong shape) is said
on stderr, one line each, and the exit status is 1: the export holds everything that could
be read, but a backup script that runs it must notice it is not the whole journal. Once
the person dismisses a set-aside file (`companion doctor --dismiss PATH`) it is no
longer reported here either.

The exported file is 0600; the folder it goes into keeps its own mode."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from companion.i18n import _, ngettext

if TYPE_CHECKING:
    from companion.core.records import Record


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export",
        help=_("export the journal as JSON, CSV or Markdown"),
        description=_(
            "Export the journal. json: everything, to stdout or --out FILE. "
            "csv: one file per record type into the --out folder. md: a readable journal by day. "
            "--supervision: one Markdown page for supervision with only what you marked to "
            "bring, the check-in in words and the heavy share of sessions."
        ),
    )
    p.add_argument("--format", choices=("json", "csv", "md"), default=None)
    p.add_argument("--out", metavar="PATH", help=_("file (json, md) or folder (csv)"))
    p.add_argument(
        "--supervision",
        action="store_true",
        help=_("a one-page summary for supervision: only what you marked, and counts"),
    )
    p.add_argument(
        "--since",
        metavar="DATE",
        help=_("with --supervision: from this day on (YYYY-MM-DD; default 30 days ago)"),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from companion.commands._common import open_journal

    _check_supervision(args)

    with open_journal(args, any_size=True, quiet=True) as journal:
        records = journal.all()
        problems = journal.read_problems()
    code = _write(args, records)
    for problem in problems:
        print(
            "companion: " + _("not in this export: {problem}").format(problem=problem),
            file=sys.stderr,
        )
    return 1 if problems else code


def _write(args: argparse.Namespace, records: list[Record]) -> int:
    from companion.cli import UserError
    from companion.core import export
    from companion.core.clock import SystemClock

    if args.format == "csv":
        if not args.out:
            raise UserError(_("--format csv needs --out FOLDER (one file per record type)"))
        folder = Path(args.out).expanduser()
        if folder.exists() and not folder.is_dir():
            raise UserError(_("--out {path}: is a file; give a folder for CSV").format(path=folder))
        files = export.to_csv_files(records, folder)
        print(
            ngettext(
                "Exported {n} record to {files} CSV files in {folder}",
                "Exported {n} records to {files} CSV files in {folder}",
                len(records),
            ).format(n=len(records), files=len(files), folder=folder)
        )
        return 0
    if args.supervision:
        from companion.commands._common import settings_from
        from companion.core import supervision

        today = SystemClock().now().date()
        limit = settings_from(args).heavy_limit_percent
        text = supervision.to_markdown(records, today, limit, since=args.since_date)
        marked = supervision.marked_count(records, today, args.since_date)

        def done(out: Path) -> str:
            return supervision.wrote_line(marked, out)

    else:
        if args.format == "json":
            text = export.to_json(records, SystemClock().now())
        else:
            text = export.to_markdown(records, titles=_titles())

        def done(out: Path) -> str:
            return ngettext(
                "Exported {n} record to {path}", "Exported {n} records to {path}", len(records)
            ).format(n=len(records), path=out)

    if args.out:
        out = Path(args.out).expanduser()
        if out.is_dir():
            raise UserError(_("--out {path}: is a folder; give a file name").format(path=out))
        export.write_export(out, text.encode("utf-8"))
        print(done(out), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _check_supervision(args: argparse.Namespace) -> None:
    """--supervision writes Markdown; --since goes with it. Sets `args.since_date`."""
    from datetime import date

    from companion.cli import UserError

    args.since_date = None
    if not args.supervision:
        if args.since:
            raise UserError(_("--since goes with --supervision"))
        args.format = args.format or "json"
        return
    if args.format not in (None, "md"):
        raise UserError(_("--supervision writes Markdown: use --format md, or leave it out"))
    args.format = "md"
    if args.since:
        try:
            args.since_date = date.fromisoformat(args.since)
        except ValueError:
            raise UserError(
                _("--since {value!r}: give a date as YYYY-MM-DD").format(value=args.since)
            ) from None
        from companion.core.clock import SystemClock
        from companion.core.supervision import since_problem

        problem = since_problem(args.since_date, SystemClock().now().date())
        if problem is not None:
            raise UserError("--since " + problem)


def _titles() -> dict[str, str]:
    """Practice titles for the readable export; ids if the library cannot be read."""
    try:
        from companion.core.exercises import load_library

        return {ex.id: ex.title for ex in load_library()}
    except Exception:  # the export must not fail over a practice title
        return {}
