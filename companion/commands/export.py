"""`companion export --format json|csv|md [--out PATH]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.i18n import _, ngettext


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export",
        help=_("export the journal as JSON, CSV or Markdown"),
        description=_(
            "Export the journal. json: everything, to stdout or --out FILE. "
            "csv: one file per record type into the --out folder. md: a readable journal by day."
        ),
    )
    p.add_argument("--format", choices=("json", "csv", "md"), default="json")
    p.add_argument("--out", metavar="PATH", help=_("file (json, md) or folder (csv)"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from companion.cli import UserError
    from companion.commands._common import open_journal
    from companion.core import export
    from companion.core.clock import SystemClock
    from companion.core.files import write_atomic

    with open_journal(args) as journal:
        records = journal.all()
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
    if args.format == "json":
        text = export.to_json(records, SystemClock().now())
    else:
        text = export.to_markdown(records, titles=_titles())
    if args.out:
        out = Path(args.out).expanduser()
        if out.is_dir():
            raise UserError(_("--out {path}: is a folder; give a file name").format(path=out))
        write_atomic(out, text.encode("utf-8"))
        print(
            ngettext(
                "Exported {n} record to {path}", "Exported {n} records to {path}", len(records)
            ).format(n=len(records), path=out),
            file=sys.stderr,
        )
    else:
        sys.stdout.write(text)
    return 0


def _titles() -> dict[str, str]:
    """Practice titles for the readable export; ids if the library cannot be read."""
    try:
        from companion.core.exercises import load_library

        return {ex.id: ex.title for ex in load_library()}
    except Exception:  # the export must not fail over a practice title
        return {}
