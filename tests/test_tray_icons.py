"""The tray draws pre-rendered PNGs (no QtSvg at run time); they must exist for every
state and size and match their SVG sources."""

from __future__ import annotations

import importlib.util

import pytest
from PySide6.QtWidgets import QApplication, QLabel

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


# --- the menu and the stand-in window, in the person's language -----------------------------


PRACTICES = [("box-5", "Box breathing · 5 min"), ("feet-on-the-floor", "Feet on the floor · 2 min")]


def test_the_menu_and_the_stand_in_window_are_translated(pseudo_locale, house_style, qtbot) -> None:  # type: ignore[no-untyped-def]
    from companion.ui.tray import Intents, build_menu, fill_practices, make_view
    from tests.pseudo_walk import problems, texts

    intents = Intents()
    menu, practices, resume = build_menu(intents)
    fill_practices(practices, intents, PRACTICES)
    labels = [label for _, label in PRACTICES]
    assert problems(menu, allowed=labels) == []
    seen = {text for _, what, text in texts(menu) if what == "menu item"}
    assert set(labels) <= seen and resume.text() in seen  # the submenus were walked too
    _keep, empty, _ = build_menu(intents)  # the submenu lives as long as its menu
    fill_practices(empty, intents, [])
    assert problems(empty) == []

    window = make_view(intents, tray=False)
    qtbot.addWidget(window)
    window.set_status(State.BETWEEN, "⟦status from the app⟧")
    window.set_practices(PRACTICES)
    window.show()
    qtbot.waitExposed(window)
    assert problems(window, allowed=labels) == []
    assert window.windowTitle().startswith("⟦")


def test_the_tooltip_is_one_translated_message(pseudo_locale, qapp) -> None:  # type: ignore[no-untyped-def]
    from companion.ui.tray import Intents, Tray

    tray = Tray(Intents())
    tray.set_status_text("⟦Between sessions⟧")
    tip = tray.icon.toolTip()
    assert tip.startswith("⟦") and "⟦Between sessions⟧" in tip and "\n" in tip


def test_a_long_status_never_runs_into_the_text_below(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The stand-in window's status can grow a calendar problem line: the window grows
    with it instead of letting the lines overlap its description."""
    from companion.core.status import State
    from companion.ui.tray import CompanionWindow, Intents

    window = CompanionWindow(
        Intents(), reason="Your desktop has no system tray, so this small window stands in for it."
    )
    qtbot.addWidget(window)
    window.set_status(State.BETWEEN, "Between sessions")
    window.show()
    qtbot.waitExposed(window)
    window.set_status(
        State.BETWEEN,
        "Between sessions, next at 10:00\ncalendar: /home/someone/calendars/practice.ics: "
        "not loaded yet and nothing cached for 2026-03-02",
    )
    QApplication.processEvents()
    status = window.status
    assert status.height() >= status.heightForWidth(status.width())
    below = [w for w in window.findChildren(QLabel) if w is not status and w.isVisible()]
    assert below and all(status.geometry().bottom() < w.geometry().top() for w in below)
