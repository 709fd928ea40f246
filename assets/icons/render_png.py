"""Render the app icon for packaging: companion.png (256 px), .ico (Windows), .icns (macOS).

    python assets/icons/render_png.py [--size 256] [--out DIR]

Uses PySide6's QtSvg (part of PySide6-Essentials) offscreen, so it runs without a
display. It also draws each tray icon at the sizes panels use (tray/<state>-<px>.png):
the running app loads those PNGs rather than the SVGs, so it never loads QtSvg, about
2 MiB of resident memory for a program that sits in the tray all day (bench/idle.py).
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = "companion.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
TRAY_STATES = ("between", "session", "off", "paused", "offer")
TRAY_SIZES = (16, 22, 24, 32, 48, 64)


def render(svg: Path, size: int) -> object:
    """The SVG drawn into a transparent `size` x `size` QImage."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: object) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[attr-defined]
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG per size (Qt's writer stores one bitmap only).

    Each size is drawn from the SVG, not scaled down from 256, so 16 and 24 stay crisp.
    """
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, blob in sorted(pngs.items()):
        edge = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the app icon to PNG/ICO/ICNS.")
    parser.add_argument("--size", type=int, default=256, help="edge in pixels (default 256)")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    svg = HERE / SOURCE
    image = render(svg, args.size)
    (out / "companion.png").write_bytes(png_bytes(image))
    sizes = sorted({*(s for s in ICO_SIZES if s < args.size), args.size})
    (out / "companion.ico").write_bytes(ico_bytes({s: png_bytes(render(svg, s)) for s in sizes}))
    if not image.save(str(out / "companion.icns")):  # type: ignore[attr-defined]
        print("companion.icns: this Qt cannot write .icns files, skipped", file=sys.stderr)
    tray = out / "tray"
    tray.mkdir(exist_ok=True)
    for state in TRAY_STATES:
        for size in TRAY_SIZES:
            image_at = render(HERE / f"tray-{state}.svg", size)
            (tray / f"{state}-{size}.png").write_bytes(png_bytes(image_at))
    print(f"tray/: {len(TRAY_STATES) * len(TRAY_SIZES)} PNGs")
    for name in ("companion.png", "companion.ico", "companion.icns"):
        if (out / name).exists():
            print(f"{name}: {(out / name).stat().st_size // 1024} KiB")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
