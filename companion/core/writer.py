"""The one place the running app writes the journal, with one policy for a failed write.

Windows never call `Journal.add`: they are handed a `Save` (this writer's `save`) and
call it with what the person saved. A write that fails (the disk is full, another
program holds the journal's lock past its timeout, the folder became read-only) is:

- logged as one line, naming the kind of record and the reason, never its text;
- answered with a `Saved` that is false and carries one calm line for the person,
  which the window shows while it keeps the words on screen (or in its draft), so
  nothing typed is lost and the person can simply try again;
- passed to `on_failure`, if given (for a caller with no window to show it in).

A record written earlier can be changed in place (`replace`: a glimmer marked "Bring to
supervision" from the jar in Look back), by its `id`, with the same policy.

The day's own bookkeeping (offers and what became of them, the day's summary) goes
through it too (`Day._write`): a failed write there is a line in the log, and the day
goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.journal import JournalError
from companion.core.locking import LockTimeout
from companion.i18n import _

if TYPE_CHECKING:
    from companion.core.journal import Journal
    from companion.core.records import Record

log = logging.getLogger("companion.journal")


@dataclass(frozen=True)
class Saved:
    """The answer to a save: true when the record is on disk; else `message` says why,
    in one line for the person."""

    ok: bool
    message: str = ""

    def __bool__(self) -> bool:
        return self.ok


#: What a window is given to save a record with.
Save = Callable[["Record"], Saved]


#: Records that hold the person's own words: a failed save says those words are kept.
TYPED = frozenset({"glimmer", "reflection"})


def failure_line(reason: str, kind: str = "glimmer") -> str:
    """The one line a person sees when a record could not be saved: for their own words
    (a glimmer, a reflection) that the words are still there; else, just to try again."""
    if kind in TYPED:
        return _(
            "Not saved: {reason}. What you wrote is still here; try again in a moment."
        ).format(reason=reason)
    return _("Not saved: {reason}. Try again in a moment.").format(reason=reason)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text


class JournalWriter:
    """Writes records for the app's windows; `journal` may be swapped (after "Delete all
    my data" the app starts a fresh one)."""

    def __init__(
        self, journal: Journal, *, on_failure: Callable[[str], None] | None = None
    ) -> None:
        self.journal = journal
        self.on_failure = on_failure

    def save(self, record: Record) -> Saved:
        try:
            self.journal.add(record)
        except (JournalError, LockTimeout, OSError) as exc:
            reason = _reason(exc)
            log.warning("could not save the %s to the journal: %s", record.kind, reason)
            line = failure_line(reason, record.kind)
            if self.on_failure is not None:
                self.on_failure(line)
            return Saved(False, line)
        return Saved(True)

    def replace(self, record: Record) -> Saved:
        """Write `record` in place of the journal's record with the same `id` (and kind,
        on the same day): a change of mind about one field, such as a glimmer marked for
        supervision later. False, with one line, when it is not found or not written."""
        try:
            found = self.journal.replace(record)
        except (JournalError, LockTimeout, OSError) as exc:
            reason = _reason(exc)
            log.warning("could not change the %s in the journal: %s", record.kind, reason)
            line = failure_line(reason, "change")
            if self.on_failure is not None:
                self.on_failure(line)
            return Saved(False, line)
        if not found:
            log.warning("the %s to change was not found in the journal", record.kind)
            return Saved(False, _("Not changed: it is no longer in the journal."))
        return Saved(True)

    __call__ = save
