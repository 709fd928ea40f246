"""Time-zone names in iCalendar feeds, made something the parser can resolve.

Outlook's Windows zone names ("Eastern Standard Time") are mapped to IANA zones, with
or without a VTIMEZONE block. Other non-IANA VTIMEZONE blocks (Outlook's "Customized
Time Zone") are renamed per definition, because icalendar caches custom zones
process-wide by name: two feeds with different "Customized Time Zone" blocks must not
share one. `render.py` applies the renames to the text it hands to the parser: to TZID
parameters, to the blocks' own TZID lines, and to the calendar's X-WR-TIMEZONE, which
is mapped exactly as a TZID parameter is (an empty one is dropped).

A name is read without its quotes, surrounding spaces and control characters: Outlook
Web pads TZIDs with NUL bytes ("W. Europe Standard Time\0\0\0..."), in the block and
in every DTSTART, and icalendar drops a property whose parameter holds one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from companion.core.calendar.scan import Span, unfold

_TZID_LINE = re.compile(r"^TZID[;:][^\n]*$", re.MULTILINE | re.IGNORECASE)
_TZID_PARAM = re.compile(r";TZID=(\"[^\"\n]*\"|[^;:\n]*)", re.IGNORECASE)
_X_WR_TIMEZONE = re.compile(r"^X-WR-TIMEZONE(?:;[^:\n]*)?:([^\n]*)$", re.MULTILINE | re.IGNORECASE)
# Control characters (not tab or line ends) and what surrounds a name.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_name(raw: str) -> str:
    """A TZID or X-WR-TIMEZONE value as the name it means: no quotes, no surrounding
    space, no control characters (Outlook Web's NUL padding)."""
    if _CONTROL.search(raw):
        raw = _CONTROL.sub("", raw)
    return raw.strip().strip('"').strip()


def all_standard(text: str) -> bool:
    """True when every TZID parameter in `text` names a zone this computer knows (an IANA
    name), so none can be left unresolved by the parser (the common case: Google, Apple)."""
    return all(_is_iana(clean_name(m.group(1))) for m in _TZID_PARAM.finditer(text))


def is_iana(name: str) -> bool:
    """True for a zone name this computer knows as it is ("Europe/Berlin", "UTC")."""
    return _is_iana(name)


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
    return _windows_zones().get(clean_name(name))


def _tzid_value(line: str) -> str:
    return clean_name(line.split(":", 1)[1]) if ":" in line else ""


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
        tzid = _tzid_value(m.group(0))
        if not tzid or tzid in renames or _is_iana(tzid):
            continue
        iana = windows_to_iana(tzid)
        if iana:
            renames[tzid] = iana
        else:
            digest = hashlib.blake2b(block.encode(), digest_size=5).hexdigest()
            renames[tzid] = f"{tzid} ~{digest}"
    return renames


def needs_renames(chunk: str, renames: dict[str, str]) -> bool:
    """Whether `apply_renames` could change `chunk` (a cheap test for the common case)."""
    return bool(renames) or _CONTROL.search(chunk) is not None


def apply_renames(chunk: str, renames: dict[str, str], *, timezone_block: bool) -> str:
    """`chunk` with its TZID parameters (and, in a time-zone block, its TZID line) renamed
    by `renames` (keyed by clean names); a name that needed cleaning is written clean."""

    def param(m: re.Match[str]) -> str:
        tzid = clean_name(m.group(1))
        new = renames.get(tzid) or tzid
        return f";TZID={_quote(new)}" if new != m.group(1).strip('"') else m.group(0)

    out = _TZID_PARAM.sub(param, chunk)
    if timezone_block:

        def line(m: re.Match[str]) -> str:
            tzid = _tzid_value(m.group(0))
            new = renames.get(tzid) or tzid
            raw = m.group(0).split(":", 1)[1] if ":" in m.group(0) else ""
            return f"TZID:{new}" if new != raw.strip('"') else m.group(0)

        out = _TZID_LINE.sub(line, out)
    return out


def header_zone(value: str, renames: dict[str, str]) -> str | None:
    """The calendar's X-WR-TIMEZONE mapped exactly as a TZID parameter is: a Windows name
    -> IANA, a name defined by a renamed block -> its new name, anything else as it is
    (clean); None for an empty one (ignored)."""
    name = clean_name(value)
    if not name:
        return None
    if name in renames:
        return renames[name]
    if _is_iana(name):
        return name
    return windows_to_iana(name) or name


def map_header(chunk: str, renames: dict[str, str]) -> str:
    """The calendar's own properties with X-WR-TIMEZONE mapped (see `header_zone`) or,
    when empty, left out. `chunk` is unfolded text between components."""
    if "X-WR-TIMEZONE" not in chunk.upper():
        return chunk

    def line(m: re.Match[str]) -> str:
        zone = header_zone(m.group(1), renames)
        return f"X-WR-TIMEZONE:{zone}" if zone else ""

    return "\n".join(part for part in _X_WR_TIMEZONE.sub(line, chunk).split("\n") if part)
