"""The tray draws pre-rendered PNGs (no QtSvg at run time); they must exist for every
state and size and match their SVG sources."""

from __future__ import annotations

import importlib.util

import pytest

from companion.assets import asset
from companion.core.status import State
from companion.ui.tray import TRAY_SIZES, icon_for


def _renderer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("render_png", asset("icons", "render_png.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("offer", [False, True])
def test_every_state_has_an_icon_at_every_panel_size(qapp, offer: bool) -> None:  # type: ignore[no-untyped-def]
    for state in State:
        icon = icon_for(state, offer=offer)
        for size in TRAY_SIZES:
            pixmap = icon.pixmap(size, size)
            assert not pixmap.isNull() and pixmap.width() == size


def test_pngs_match_their_svgs(qapp) -> None:  # type: ignore[no-untyped-def]
    render = _renderer()
    for state in render.TRAY_STATES:
        for size in TRAY_SIZES:
            fresh = render.png_bytes(render.render(asset("icons", f"tray-{state}.svg"), size))
            stored = asset("icons", "tray", f"{state}-{size}.png").read_bytes()
            assert fresh == stored, (
                f"tray/{state}-{size}.png is stale: run python assets/icons/render_png.py"
            )
