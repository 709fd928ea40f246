"""The shipped icons: every tray state draws at panel size and can be told apart."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from companion.assets import asset

TRAY_STATES = ("between", "session", "off", "paused", "offer")


def _draw(name: str, size: int) -> QImage:
    renderer = QSvgRenderer(str(asset("icons", name)))
    assert renderer.isValid(), name
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def _pixels(image: QImage) -> list[int]:
    return [image.pixel(x, y) for y in range(image.height()) for x in range(image.width())]


@pytest.mark.parametrize("size", [16, 22, 24])
@pytest.mark.parametrize("name", ["companion.svg", *(f"tray-{s}.svg" for s in TRAY_STATES)])
def test_icon_draws_something_at_panel_size(qapp: QApplication, name: str, size: int) -> None:
    opaque = sum(1 for p in _pixels(_draw(name, size)) if (p >> 24) > 128)
    assert opaque >= size * size // 8  # a visible mark, not a speck


def test_tray_states_look_different_at_16px(qapp: QApplication) -> None:
    drawn = {state: _pixels(_draw(f"tray-{state}.svg", 16)) for state in TRAY_STATES}
    for a, b in itertools.combinations(TRAY_STATES, 2):
        differing = sum(1 for p, q in zip(drawn[a], drawn[b], strict=True) if p != q)
        assert differing >= 20, f"{a} and {b} are hard to tell apart"


def test_packaging_icon_is_rendered(qapp: QApplication) -> None:
    image = QImage(str(asset("icons", "companion.png")))
    assert (image.width(), image.height()) == (256, 256)
    assert image.hasAlphaChannel()
