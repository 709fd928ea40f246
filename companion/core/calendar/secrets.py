"""Calendar feed URLs are secrets: the token in a private feed link is a password.

They live in the operating system's keyring (`keyring`), one entry per calendar
source id. When there is no usable keyring (a bare session, a headless box, the null
backend in tests), they go to a 0600 file in the data folder, and a warning is logged
once per process. Anything shown to a person uses `mask_url`: scheme and host only.

`keyring` is imported inside the functions that use it: it loads its backends (D-Bus,
Secret Service) and costs start-up time and memory, while `mask_url` is needed wherever
a source is named.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from companion.core.files import write_atomic
from companion.core.paths import FALLBACK_NAME
from companion.i18n import _

if TYPE_CHECKING:
    from companion.core.paths import Paths

log = logging.getLogger(__name__)

SERVICE = "grounding-companion"
_warned: set[str] = set()  # what has been warned about in this process


def mask_url(url: str) -> str:
    """Scheme and host, then an ellipsis: "https://calendar.google.com/…".

    User names, passwords, paths, query strings and fragments never appear.
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return _("(calendar link)…")
    if not parts.scheme or not host:
        return _("(calendar link)…")
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc += f":{port}"
    return f"{parts.scheme.lower()}://{netloc}/…"


#: A web address without its scheme: a host name with a dot, then a path
#: ("calendar.google.com/calendar/ical/…"), not inside a longer path.
_BARE_LINK = re.compile(
    r"(?<![\w/.~%@-])(?:[\w.%+-]+(?::[^@\s/]*)?@)?((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?::\d+)?/\S*"
)
_LINK = re.compile(r"(?<![\w.+-])[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"]*")


def is_url(spec: str) -> bool:
    """True for a link with its scheme ("https://…", "webcal://…")."""
    return "://" in spec[:12]


def looks_like_link(spec: str) -> bool:
    """True for a web address written without its scheme (`calendar.google.com/…`)."""
    return not is_url(spec) and _BARE_LINK.match(spec.strip()) is not None


def shown(spec: str) -> str:
    """How a calendar path or link is named to a person: a link masked to its host
    (with its scheme if it had one), a file path as it is."""
    if is_url(spec):
        return mask_url(spec)
    bare = _BARE_LINK.match(spec.strip())
    if bare:
        return f"{bare.group(1).lower()}/…"
    return spec


def scrub(text: str) -> str:
    """`text` with anything that looks like a link masked (for lines kept or shown that
    may hold one: an older cache's error line, a name typed into a setting)."""

    def masked(m: re.Match[str]) -> str:
        link = m.group(0)
        tail = len(link) - len(link.rstrip(":;,.)!?"))  # the sentence's, not the link's
        return shown(link[: len(link) - tail]) + link[len(link) - tail :]

    return _BARE_LINK.sub(masked, _LINK.sub(masked, text))


def _account(source_id: str) -> str:
    return f"calendar-url:{source_id}"


def keyring_usable() -> bool:
    """True when a real keyring backend is available (not the null or fail backend)."""
    try:
        import keyring

        backend = keyring.get_keyring()
        return float(getattr(backend, "priority", 0)) > 0
    except Exception:
        return False


def fallback_path(paths: Paths) -> Path:
    return paths.data / FALLBACK_NAME


def _warn_fallback(path: Path) -> None:
    if "fallback" not in _warned:
        _warned.add("fallback")
        log.warning(
            "no usable system keyring; calendar links are kept in %s (readable only by you)",
            path,
        )


def _read_fallback(path: Path) -> dict[str, str]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        log.warning("%s cannot be read; calendar links kept there are unavailable", path)
        return {}
    links = raw.get("links") if isinstance(raw, dict) else None
    if not isinstance(links, dict):
        return {}
    return {str(k): str(v) for k, v in links.items() if isinstance(v, str)}


def _write_fallback(path: Path, links: dict[str, str]) -> None:
    if path.exists() and not _read_fallback(path) and path.stat().st_size > 0:
        # Unreadable: keep it aside rather than overwrite what may be the only copy.
        path.replace(path.with_name(path.name + ".unreadable"))
    text = json.dumps({"version": 1, "links": links}, indent=2) + "\n"
    write_atomic(path, text.encode("utf-8"))


def store_url(source_id: str, url: str, paths: Paths) -> bool:
    """Keep `url` for `source_id`. Returns True if the system keyring holds it, False if
    the private fallback file does (a warning is logged once)."""
    if keyring_usable():
        try:
            import keyring

            keyring.set_password(SERVICE, _account(source_id), url)
        except Exception as exc:  # locked keyring, no D-Bus, ...
            log.warning("the system keyring refused the calendar link (%s)", type(exc).__name__)
        else:
            _forget_fallback(source_id, paths)
            return True
    path = fallback_path(paths)
    _warn_fallback(path)
    links = _read_fallback(path)
    links[source_id] = url
    _write_fallback(path, links)
    return False


def get_url(source_id: str, paths: Paths) -> str | None:
    """The URL kept for `source_id`, from the keyring or the fallback file; None if none."""
    if keyring_usable():
        try:
            import keyring

            url = keyring.get_password(SERVICE, _account(source_id))
        except Exception as exc:
            log.warning("the system keyring could not be read (%s)", type(exc).__name__)
        else:
            if url:
                return url
    path = fallback_path(paths)
    links = _read_fallback(path)
    if source_id in links:
        _warn_fallback(path)
    return links.get(source_id)


def _forget_fallback(source_id: str, paths: Paths) -> None:
    path = fallback_path(paths)
    if not path.exists():
        return
    links = _read_fallback(path)
    if source_id in links:
        del links[source_id]
        _write_fallback(path, links)


def delete_url(source_id: str, paths: Paths) -> None:
    """Forget the URL for `source_id` everywhere it may be kept."""
    if keyring_usable():
        try:
            import keyring

            keyring.delete_password(SERVICE, _account(source_id))
        except Exception as exc:  # not there, or the keyring is locked
            log.debug("keyring delete: %s", type(exc).__name__)
    _forget_fallback(source_id, paths)
