"""Time-zone names in iCalendar feeds, made something the parser can resolve.

Outlook's Windows zone names ("Eastern Standard Time") are mapped to IANA zones, with
or without a VTIMEZONE block. Other non-IANA VTIMEZONE blocks (Outlook's "Customized
Time Zone") are renamed per definition, because icalendar caches custom zones
process-wide by name: two feeds with different "Customized Time Zone" blocks must not
share one. `ical.py` applies the renames to the text it hands to the parser.
"""

from __future__ import annotations

import re
from functools import lru_cache

from companion.core.calendar.scan import Span, unfold

_TZID_LINE = re.compile(r"^TZID[;:][^\n]*$", re.MULTILINE | re.IGNORECASE)
_TZID_PARAM = re.compile(r";TZID=(\"[^\"\n]*\"|[^;:\n]*)", re.IGNORECASE)


def all_standard(text: str) -> bool:
    """True when every TZID parameter in `text` names a zone this computer knows (an IANA
    name), so none can be left unresolved by the parser (the common case: Google, Apple)."""
    return all(_is_iana(m.group(1).strip('"')) for m in _TZID_PARAM.finditer(text))


@lru_cache(maxsize=512)
def _is_iana(name: str) -> bool:
    from zoneinfo import ZoneInfo  # lazy, like icalendar: only parsing a feed needs it

    try:
        ZoneInfo(name)
    except Exception:
        return False
    return True


@lru_cache(maxsize=1)
def _windows_zones() -> dict[str, str]:
    try:  # icalendar stays lazy: it is only loaded to parse a feed (start-up time, memory)
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # pragma: no cover - icalendar always ships it today
        return dict(_FALLBACK_WINDOWS)
    return {**_FALLBACK_WINDOWS, **WINDOWS_TO_OLSON}


# The common ones, should icalendar ever stop shipping its table.
_FALLBACK_WINDOWS = {
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles",
    "GMT Standard Time": "Europe/London",
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest",
    "AUS Eastern Standard Time": "Australia/Sydney",
}


def windows_to_iana(name: str) -> str | None:
    """The IANA zone for an Outlook/Windows zone name, e.g. "Eastern Standard Time"."""
    return _windows_zones().get(name.strip().strip('"'))


def _tzid_value(line: str) -> str:
    return line.split(":", 1)[1].strip() if ":" in line else ""


def _quote(name: str) -> str:
    return f'"{name}"' if any(c in name for c in ':;,"') else name


def zone_renames(text: str, blocks: list[Span]) -> dict[str, str]:
    """TZID renames: Windows names -> IANA; other non-IANA definitions -> a name per content."""
    import hashlib  # lazy: hashlib loads OpenSSL, which the idle app does without

    renames: dict[str, str] = {}
    for start, end in blocks:
        block = unfold(text[start:end])
        m = _TZID_LINE.search(block)
        if not m:
            continue
        tzid = _tzid_value(m.group(0)).strip('"')
        if not tzid or tzid in renames or _is_iana(tzid):
            continue
        iana = windows_to_iana(tzid)
        if iana:
            renames[tzid] = iana
        else:
            digest = hashlib.blake2b(block.encode(), digest_size=5).hexdigest()
            renames[tzid] = f"{tzid} ~{digest}"
    return renames


def apply_renames(chunk: str, renames: dict[str, str], *, timezone_block: bool) -> str:
    def param(m: re.Match[str]) -> str:
        tzid = m.group(1).strip('"')
        new = renames.get(tzid)
        return f";TZID={_quote(new)}" if new else m.group(0)

    out = _TZID_PARAM.sub(param, chunk)
    if timezone_block:

        def line(m: re.Match[str]) -> str:
            tzid = _tzid_value(m.group(0)).strip('"')
            new = renames.get(tzid)
            return f"TZID:{new}" if new else m.group(0)

        out = _TZID_LINE.sub(line, out)
    return out
