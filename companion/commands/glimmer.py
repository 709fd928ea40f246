"""`companion glimmer [TEXT]`: note a glimmer from a terminal."""

from __future__ import annotations

import argparse

from companion.core.records import FELT_IN
from companion.i18n import _


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "glimmer",
        help=_("note a glimmer (a moment of safety, connection or a client's resilience)"),
        description=_(
            "Note a glimmer. With no text, the running app opens its glimmer prompt. "
            "Please leave out anything that could identify a client."
        ),
    )
    p.add_argument("text", nargs="*", help=_("the glimmer, in a few words"))
    p.add_argument(
        "--felt-in",
        metavar="PLACES",
        default="",
        help=_("where you felt it, comma-separated: {places}").format(places=", ".join(FELT_IN)),
    )
    p.add_argument(
        "--supervision",
        action="store_true",
        help=_("mark it to bring to supervision (companion export --format md --supervision)"),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from companion.cli import UserError

    text = " ".join(args.text).strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # argv bytes that are not UTF-8, kept as surrogates by Python
        raise UserError(
            _(
                "the glimmer holds bytes that are not UTF-8 text (is the terminal set to "
                "another encoding?), so nothing was saved; set the terminal to UTF-8, or run "
                "`companion glimmer` with no text to type it in a window"
            )
        ) from None
    felt = tuple(part.strip() for part in args.felt_in.split(",") if part.strip())
    unknown = [f for f in felt if f not in FELT_IN]
    if unknown:
        raise UserError(
            _("--felt-in: {value!r} is not one of {places}").format(
                value=unknown[0], places=", ".join(FELT_IN)
            )
        )
    if not text:
        from companion.commands import _window

        return _window.open_window("glimmer", args)

    from companion.commands._common import flush_notices, open_journal
    from companion.core.clock import SystemClock
    from companion.core.journal import JournalError
    from companion.core.records import GlimmerRecord

    with open_journal(args, quiet=True) as journal:
        try:
            journal.add(
                GlimmerRecord(
                    at=SystemClock().now(),
                    text=text,
                    felt_in=felt,
                    for_supervision=args.supervision,
                )
            )
        except JournalError as exc:  # locked too long, a file too large: one line
            flush_notices(journal, besides=str(exc))  # what happened first, said once
            raise UserError(_("the glimmer was not saved: {reason}").format(reason=exc)) from None
        finally:
            flush_notices(journal)  # a file set aside at open, even if the write then failed
    print(_("Glimmer saved. Thank you for noticing it."))
    return 0
