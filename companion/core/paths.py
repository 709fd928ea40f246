"""Where things live.

Data (journal, backups, calendar cache, logs): `--data-dir`, else
`$COMPANION_DATA_DIR`, else the platform's user data folder.
Config (settings.json, the user's own practices/): `$COMPANION_CONFIG_DIR`, else
the data folder when one was given explicitly (a self-contained profile: handy for
`--demo`, tests and a second profile), else the platform's user config folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from companion.core.files import ensure_private_dir

APP_NAME = "grounding-companion"


@dataclass(frozen=True)
class Paths:
    data: Path
    config: Path

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


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    explicit = data_dir or os.environ.get("COMPANION_DATA_DIR")
    data = Path(explicit).expanduser() if explicit else Path(platformdirs.user_data_dir(APP_NAME))
    config_env = os.environ.get("COMPANION_CONFIG_DIR")
    if config_env:
        config = Path(config_env).expanduser()
    elif explicit:
        config = data
    else:
        config = Path(platformdirs.user_config_dir(APP_NAME))
    return Paths(data=data.absolute(), config=config.absolute())
