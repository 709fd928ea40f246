"""The data and config folders found without platformdirs on Linux (companion/core/paths.py
`user_dir`, to keep platformdirs off the start-up path) are the ones platformdirs gives."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from companion.core import paths

CASES = [
    {},  # neither set: under $HOME
    {"XDG_DATA_HOME": "/srv/me/data", "XDG_CONFIG_HOME": "/srv/me/conf/"},
    {"XDG_DATA_HOME": "relative/data", "XDG_CONFIG_HOME": " "},  # not absolute: ignored
    {"XDG_DATA_HOME": "", "XDG_CONFIG_HOME": ""},
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is Linux's")
@pytest.mark.parametrize("env", CASES)
def test_the_folders_are_the_ones_platformdirs_gives(monkeypatch, tmp_path: Path, env) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "COMPANION_DATA_DIR", "COMPANION_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    found = paths.resolve_paths()
    assert found.data == Path(platformdirs.user_data_dir(paths.APP_NAME)).absolute()
    assert found.config == Path(platformdirs.user_config_dir(paths.APP_NAME)).absolute()


def test_paths_cannot_be_changed_once_resolved(tmp_path: Path) -> None:
    found = paths.resolve_paths(tmp_path)
    with pytest.raises(AttributeError):
        found.data = tmp_path / "elsewhere"
    assert found == paths.resolve_paths(tmp_path)
    assert len({found, paths.resolve_paths(tmp_path)}) == 1
