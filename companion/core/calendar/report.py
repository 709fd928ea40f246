"""The calendar rows of `companion doctor`: each source's cache and last error, and the keyring.

It reads what `sources` left in the cache and names sources the way `sources` does, so it
sits above both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.core.calendar import cache
from companion.core.calendar.secrets import fallback_path, keyring_usable
from companion.core.calendar.sources import source_name

if TYPE_CHECKING:
    from companion.core.paths import Paths
    from companion.core.settings import Settings


def doctor_report(paths: Paths, settings: Settings) -> list[tuple[bool, str, str]]:
    """(ok, detail, fix) rows for `companion doctor`."""
    if settings.schedule_source != "calendar":
        return [(True, f"standing week ({len(settings.week)} sessions a week)", "")]
    if not settings.calendars:
        return [(False, "calendar chosen but no calendar configured", "add one in Settings")]
    entries = cache.load(paths.calendar_cache)
    rows: list[tuple[bool, str, str]] = []
    for source in settings.calendars:
        name = source_name(source)
        entry = entries.get(source.id)
        if entry is None:
            rows.append((False, f"{name}: not loaded yet", "run `companion plan` to load it"))
            continue
        cached = ""
        if entry.refreshed_at is not None and entry.first_day is not None:
            cached = (
                f"{len(entry.sessions)} sessions cached for {entry.first_day} + {entry.days} "
                f"days, refreshed {entry.refreshed_at:%Y-%m-%d %H:%M}"
            )
        if entry.error:
            when = f" ({entry.error_at:%Y-%m-%d %H:%M})" if entry.error_at else ""
            keep = f"; meanwhile the {cached}" if cached else "; nothing cached to fall back on"
            rows.append(
                (False, f"{entry.error}{when}", f"check the file or link in Settings{keep}")
            )
        else:
            rows.append((True, f"{name}: {cached}", ""))
    if any(s.kind == "url" for s in settings.calendars) and not keyring_usable():
        rows.append(
            (
                False,
                f"no system keyring: calendar links are kept in {fallback_path(paths)} (0600)",
                "install or unlock a keyring (GNOME Keyring, KWallet, macOS Keychain)",
            )
        )
    return rows
