"""Files the app set aside rather than overwrite, listed from the files themselves.

When the app finds a file it cannot read (a journal year, the settings, the saved
calendar links) it renames it, byte for byte, to `<name>.corrupt-<time>` or
`<name>.unreadable[-<time>]` and goes on without it. This module is how the person keeps
hearing about such a file until they say they have seen it:

- `set_aside(paths)` lists every such file in the data and config folders. The list is
  read from the folders each time, so nothing has to be written when a file is set
  aside: a file found damaged while the disk is full is still reported once space is
  back (and by every later start).
- `dismiss_set_aside(paths, path)` stops reporting one of them (the file itself stays;
  the person may still want it). Dismissals are kept by file name in `status.json`.

Nothing here is ever deleted by the app: the person decides.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from companion.core.files import write_atomic
from companion.core.paths import FALLBACK_NAME, Paths
from companion.i18n import _

#: `<original>.corrupt-YYYYmmdd-HHMMSS[-n]` (the journal) or `<original>.unreadable[-...]`
#: (settings, calendar links).
ASIDE_RE = re.compile(
    r"^(?P<original>.+?)\.(?P<how>corrupt|unreadable)"
    r"(?:-(?P<stamp>\d{8}-\d{6})(?:-\d+)?)?$"
)
_JOURNAL_RE = re.compile(r"^journal(?:-(\d{4}))?\.json$")
DISMISSED_KEY = "set_aside_dismissed"


@dataclass(frozen=True)
class SetAside:
    """One file set aside: where it is, what it was, when it was set aside."""

    path: Path
    original: str  # the name it had ("journal-2025.json")
    when: datetime  # local time it was set aside (from its name; else its file time)
    size: int  # bytes

    @property
    def year(self) -> int | None:
        """The journal year it held (None when it was not a journal year file)."""
        match = _JOURNAL_RE.match(self.original)
        return int(match.group(1)) if match and match.group(1) else None

    @property
    def is_journal(self) -> bool:
        return _JOURNAL_RE.match(self.original) is not None

    @property
    def what(self) -> str:
        """What the file was, in a few words for the person."""
        if self.year is not None:
            return _("your journal for {year}").format(year=self.year)
        if self.is_journal:
            return _("your journal")
        if self.original == "settings.json":
            return _("your settings")
        if self.original == FALLBACK_NAME:
            return _("your saved calendar links")
        return self.original

    def line(self) -> str:
        """One line for the person: what could not be read, and where it is now."""
        return _("{what} could not be read; it was kept as {path} ({when})").format(
            what=self.what, path=self.path, when=self.when.strftime("%Y-%m-%d %H:%M")
        )


def _folders(paths: Paths) -> list[Path]:
    return [paths.data] if paths.config == paths.data else [paths.data, paths.config]


def _found(folder: Path) -> list[SetAside]:
    out: list[SetAside] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return out
    for path in entries:
        match = ASIDE_RE.match(path.name)
        if not match:
            continue
        try:
            st = path.stat()
        except OSError:
            continue
        if not path.is_file():
            continue
        when = None
        if match.group("stamp"):
            try:
                when = datetime.strptime(match.group("stamp"), "%Y%m%d-%H%M%S")
            except ValueError:
                when = None
        if when is None:
            when = datetime.fromtimestamp(st.st_mtime)
        out.append(SetAside(path, match.group("original"), when, st.st_size))
    return out


def set_aside(paths: Paths, *, dismissed: bool = False) -> list[SetAside]:
    """Every file set aside in the data and config folders, oldest first; those the person
    dismissed only when `dismissed` is true. Never raises: a folder that cannot be listed
    has nothing to report."""
    gone = set() if dismissed else dismissed_names(paths)
    found = [a for folder in _folders(paths) for a in _found(folder) if a.path.name not in gone]
    return sorted(found, key=lambda a: (a.when, a.path.name))


def dismissed_names(paths: Paths) -> set[str]:
    names = _read_status(paths).get(DISMISSED_KEY)
    return {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()


def dismiss_set_aside(paths: Paths, path: Path | str) -> SetAside:
    """Stop reporting the set-aside file at `path` (it stays where it is). Returns it.

    Raises LookupError (one line) when `path` is not a file the app set aside, and
    OSError when the note cannot be written (say, the disk is full)."""
    wanted = Path(path).expanduser()
    every = set_aside(paths, dismissed=True)
    match = next((a for a in every if _same(a.path, wanted)), None)
    if match is None:
        raise LookupError(
            _("{path} is not a file Grounding Companion set aside").format(path=wanted)
        )
    present = {a.path.name for a in every}
    status = _read_status(paths)
    names = (dismissed_names(paths) & present) | {match.path.name}
    status[DISMISSED_KEY] = sorted(names)
    write_atomic(paths.status, (json.dumps(status, indent=2) + "\n").encode("utf-8"))
    return match


def _same(a: Path, b: Path) -> bool:
    if a == b or (not b.is_absolute() and b.name == str(b) and a.name == b.name):
        return True
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _read_status(paths: Paths) -> dict[str, Any]:
    try:
        data = json.loads(paths.status.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
