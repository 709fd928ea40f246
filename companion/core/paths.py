"""Where things live.

Data (journal, backups, calendar cache, logs): `--data-dir`, else
`$COMPANION_DATA_DIR`, else the platform's user data folder.
Config (settings.json, the user's own practices/): `$COMPANION_CONFIG_DIR`, else
the data folder when one was given explicitly (a self-contained profile: handy for
`--demo`, tests and a second profile), else the platform's user config folder.

`data_to_delete` lists what "Delete all my data" removes (everything the app wrote, not
the person's own practice files) and `delete_paths` removes it.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from companion.core.files import ensure_private_dir

APP_NAME = "grounding-companion"


#: Where calendar links are kept when there is no keyring (0600; see calendar/secrets.py).
FALLBACK_NAME = "calendar-links.json"


class Paths:
    """The data folder and the config folder; immutable. (A plain class, not a dataclass:
    this is read before the tray icon shows, and `dataclasses` alone takes about 2 ms.)"""

    __slots__ = ("config", "data")
    data: Path
    config: Path

    def __init__(self, data: Path, config: Path) -> None:
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "config", config)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Paths is immutable: cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Paths is immutable: cannot delete {name}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Paths):
            return NotImplemented
        return (self.data, self.config) == (other.data, other.config)

    def __hash__(self) -> int:
        return hash((self.data, self.config))

    def __repr__(self) -> str:
        return f"Paths(data={self.data!r}, config={self.config!r})"

    @property
    def journal(self) -> Path:
        return self.data / "journal.json"

    @property
    def backups(self) -> Path:
        return self.data / "backups"

    @property
    def settings(self) -> Path:
        return self.config / "settings.json"

    @property
    def user_practices(self) -> Path:
        return self.config / "practices"

    @property
    def calendar_cache(self) -> Path:
        return self.data / "calendar-cache.json"

    @property
    def log(self) -> Path:
        return self.data / "companion.log"

    @property
    def status(self) -> Path:
        """Small machine-written notes for `doctor` (last calendar error, last corrupt file)."""
        return self.data / "status.json"

    def ensure(self) -> Paths:
        ensure_private_dir(self.data)
        ensure_private_dir(self.config)
        return self


def user_dir(kind: str) -> Path:
    """The platform's user folder for our "data" or "config", as platformdirs says.

    On Linux that is the XDG rule, written out here: `$XDG_DATA_HOME` (`$XDG_CONFIG_HOME`)
    when it is an absolute path, else ~/.local/share (~/.config) in an absolute $HOME,
    then our name. Importing platformdirs takes about 5 ms, before the tray icon shows;
    anywhere else, or with no absolute $HOME, it is asked."""
    if sys.platform.startswith("linux"):
        variable, default = {
            "data": ("XDG_DATA_HOME", (".local", "share")),
            "config": ("XDG_CONFIG_HOME", (".config",)),
        }[kind]
        value = os.environ.get(variable, "")
        if os.path.isabs(value):
            return Path(value) / APP_NAME
        home = os.environ.get("HOME", "")
        if os.path.isabs(home):
            return Path(home, *default) / APP_NAME
    import platformdirs

    find = platformdirs.user_data_dir if kind == "data" else platformdirs.user_config_dir
    return Path(find(APP_NAME))


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    explicit = data_dir or os.environ.get("COMPANION_DATA_DIR")
    data = Path(explicit).expanduser() if explicit else user_dir("data")
    config_env = os.environ.get("COMPANION_CONFIG_DIR")
    if config_env:
        config = Path(config_env).expanduser()
    elif explicit:
        config = data
    else:
        config = user_dir("config")
    return Paths(data=data.absolute(), config=config.absolute())


def data_to_delete(paths: Paths) -> list[Path]:
    """Everything the app wrote that "Delete all my data" removes, as it exists now.

    The user's own practice files (config/practices) are theirs and stay.
    """
    data = paths.data
    found: list[Path] = []
    if data.is_dir():
        patterns = (
            "journal*.json*",  # every year, and corrupt copies kept aside
            "drafts",
            "draft*.json",
            paths.calendar_cache.name + "*",  # and its lock file
            paths.status.name,
            paths.log.name + "*",
            FALLBACK_NAME + "*",  # calendar links kept without a keyring
            ".*.tmp",  # a write interrupted by a crash
            ".journal.lock",
        )
        for pattern in patterns:
            found += sorted(data.glob(pattern))
        if paths.backups.exists():
            found.append(paths.backups)
    if paths.settings.exists():
        found.append(paths.settings)
    if paths.settings.parent.is_dir():  # settings kept aside when unreadable, and temp files
        for pattern in (paths.settings.name + ".*", ".*.tmp"):
            found += sorted(p for p in paths.settings.parent.glob(pattern) if p not in found)
    return found


def delete_paths(targets: Sequence[Path]) -> list[str]:
    """Delete files and folders; returns one line per thing that could not be deleted."""
    problems = []
    for target in targets:
        try:
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        except OSError as exc:
            problems.append(f"{target}: {exc.strerror or exc}")
    return problems
