"""The calendar rows of `companion doctor`: each source's cache and last error, the events
its last good read skipped (how many and why), and the keyring.

It reads what `sources` left in the cache and names sources the way `sources` does, so it
sits above both.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from companion.core.calendar import cache
from companion.core.calendar.errors import skipped_fix, skipped_line
from companion.core.calendar.secrets import fallback_path, keyring_usable
from companion.core.calendar.sources import source_name
from companion.i18n import _, hm, ngettext

if TYPE_CHECKING:
    from companion.core.paths import Paths
    from companion.core.settings import Settings


def _stamp(at: datetime) -> dict[str, str]:
    return {"day": f"{at:%Y-%m-%d}", "time": hm(at)}


def doctor_report(paths: Paths, settings: Settings) -> list[tuple[bool, str, str]]:
    """(ok, detail, fix) rows for `companion doctor`."""
    if settings.schedule_source != "calendar":
        n = len(settings.week)
        week = ngettext(
            "standing week ({n} session a week)", "standing week ({n} sessions a week)", n
        )
        return [(True, week.format(n=n), "")]
    if not settings.calendars:
        return [(False, _("calendar chosen but no calendar configured"), _("add one in Settings"))]
    entries = cache.load(paths.calendar_cache)
    rows: list[tuple[bool, str, str]] = []
    for source in settings.calendars:
        name = source_name(source)
        entry = entries.get(source.id)
        if entry is None:
            rows.append(
                (
                    False,
                    _("{name}: not loaded yet").format(name=name),
                    _("run `companion plan` to load it"),
                )
            )
            continue
        cached = ""
        if entry.refreshed_at is not None and entry.first_day is not None:
            n = len(entry.sessions)
            cached = ngettext(
                "{n} session cached for {first_day} + {days} days, refreshed {day} {time}",
                "{n} sessions cached for {first_day} + {days} days, refreshed {day} {time}",
                n,
            ).format(n=n, first_day=entry.first_day, days=entry.days, **_stamp(entry.refreshed_at))
        if entry.error:
            detail = (
                _("{problem} ({day} {time})").format(problem=entry.error, **_stamp(entry.error_at))
                if entry.error_at
                else entry.error
            )
            fix = (
                _("check the file or link in Settings; meanwhile the {cached}").format(
                    cached=cached
                )
                if cached
                else _("check the file or link in Settings; nothing cached to fall back on")
            )
            rows.append((False, detail, fix))
        else:
            rows.append((True, _("{name}: {cached}").format(name=name, cached=cached), ""))
        skipped = skipped_line(name, entry.skipped)  # a count and a reason, never the events
        if skipped:
            rows.append((False, skipped, skipped_fix()))
    if any(s.kind == "url" for s in settings.calendars) and not keyring_usable():
        rows.append(
            (
                False,
                _("no system keyring: calendar links are kept in {path} (0600)").format(
                    path=fallback_path(paths)
                ),
                _("install or unlock a keyring (GNOME Keyring, KWallet, macOS Keychain)"),
            )
        )
    return rows
