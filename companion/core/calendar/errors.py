"""The one error the calendar package raises for a source that cannot be used, and the
words for the events a read skipped (one bad event costs that event only).

Skipped events are counted per reason, a short key kept in the offline cache
(`{"zone": 2}`), and said in one line that names the source, the count and the reason:
never an event's text, never its time-zone name.
"""

from __future__ import annotations

from collections.abc import Mapping

from companion.i18n import _, ngettext


class CalendarError(Exception):
    """A calendar source that cannot be used. `str()` is one line: source, then what is wrong."""


#: The reason key of an event whose time zone cannot be resolved (its TZID is not a zone
#: this computer knows and the calendar does not define it, or the calendar's own
#: X-WR-TIMEZONE is unknown and the event is a UTC-written series that depends on it).
SKIPPED_ZONE = "zone"

#: Every reason a read may skip an event for, in the order they are said.
SKIP_REASONS = (SKIPPED_ZONE,)


def skipped_total(skipped: Mapping[str, int]) -> int:
    """How many events were skipped, whatever the reasons."""
    return sum(n for n in skipped.values() if n > 0)


def _reason(key: str, n: int) -> str:
    if key == SKIPPED_ZONE:
        return ngettext(
            "its time zone is not one this computer knows",
            "their time zone is not one this computer knows",
            n,
        )
    return ngettext("it could not be read", "they could not be read", n)


def skipped_line(name: str, skipped: Mapping[str, int]) -> str | None:
    """One line for the events a source's read skipped, or None if it skipped none, e.g.
    "work.ics: 2 events skipped (their time zone is not one this computer knows)"."""
    n = skipped_total(skipped)
    if not n:
        return None
    reasons = [k for k in (*SKIP_REASONS, *sorted(skipped)) if skipped.get(k, 0) > 0]
    why = "; ".join(_reason(k, skipped[k]) for k in dict.fromkeys(reasons))
    return ngettext(
        "{name}: {n} event skipped ({why})", "{name}: {n} events skipped ({why})", n
    ).format(name=name, n=n, why=why)


def skipped_fix() -> str:
    """What to do about skipped events (doctor's fix column)."""
    return _(
        "export the calendar with standard time-zone names, or give those events a time "
        "zone in the calendar app; the rest of the calendar is used"
    )
