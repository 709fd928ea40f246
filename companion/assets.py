"""One way to find shipped assets, from a source checkout, an installed wheel or a
PyInstaller bundle (`sys._MEIPASS`)."""

from __future__ import annotations

import sys
from pathlib import Path


def assets_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "assets"
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "assets", here / "assets"):
        if candidate.is_dir():
            return candidate
    return here.parent / "assets"


def asset(*parts: str) -> Path:
    return assets_dir().joinpath(*parts)
