"""A virtual X desktop with a real system tray, for the start-up and idle benchmarks.

    with desktop() as env:      # Xvfb + openbox + trayer (as ../shared/tools/desktop-shot)
        subprocess.run([...], env=env)

`TrayWatch(display)` watches the tray's pixels from this process through Xlib and the X
DAMAGE extension (ctypes; no Python package needed): `wait_for_icon(t0, timeout)` returns
the wall time at which pixels other than the empty tray's first reached the screen inside
the tray, that is, when a person could first see the icon. Each DAMAGE event on the tray
(or any window in it) is checked with XGetImage of the tray's rectangle on the root
window, so a repaint of the tray's own background is not taken for the icon.

Linux with Xvfb, openbox, trayer, libX11 and libXdamage (Debian: xvfb openbox trayer
libxdamage1); `desktop()` says what is missing.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

TRAY_TINT = 0x303030
TRAY_HEIGHT = 28
STRIP_WIDTH = 240


def _free_display() -> int:
    n = 70
    while Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists():
        n += 1
    return n


@contextlib.contextmanager
def desktop(size: str = "1280x800") -> Iterator[dict[str, str]]:
    """Start Xvfb, a window manager and trayer; yield an environment using them."""
    missing = [p for p in ("Xvfb", "openbox", "trayer", "xdpyinfo") if not shutil.which(p)]
    if missing:
        raise SystemExit(
            f"needs {', '.join(missing)} (Debian: xvfb openbox trayer x11-utils); "
            "../shared/tools/desktop-shot installs them"
        )
    n = _free_display()
    env = {**os.environ, "DISPLAY": f":{n}", "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    procs: list[subprocess.Popen[bytes]] = []
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    try:
        procs.append(
            subprocess.Popen(
                ["Xvfb", f":{n}", "-screen", "0", f"{size}x24", "-br", "-nolisten", "tcp"], **quiet
            )
        )
        for _ in range(100):
            if subprocess.run(["xdpyinfo"], env=env, **quiet, check=False).returncode == 0:
                break
            time.sleep(0.05)
        if shutil.which("dbus-launch"):
            out = subprocess.run(
                ["dbus-launch", "--sh-syntax"], env=env, capture_output=True, text=True, check=False
            ).stdout
            for line in out.splitlines():
                if "=" in line and line.startswith("DBUS_"):
                    key, _, value = line.rstrip(";").partition("=")
                    value = value.strip("'")
                    env[key] = value
        procs.append(subprocess.Popen(["openbox"], env=env, **quiet))
        procs.append(
            subprocess.Popen(
                [
                    "trayer",
                    "--edge",
                    "top",
                    "--align",
                    "right",
                    "--widthtype",
                    "request",
                    "--height",
                    str(TRAY_HEIGHT),
                    "--transparent",
                    "false",
                    "--tint",
                    f"0x{TRAY_TINT:06x}",
                ],
                env=env,
                **quiet,
            )
        )
        time.sleep(1.0)
        yield env
    finally:
        pid = env.get("DBUS_SESSION_BUS_PID")
        for p in reversed(procs):
            p.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=5)
        if pid and pid.isdigit():
            with contextlib.suppress(OSError):
                os.kill(int(pid), 15)


# --- Xlib through ctypes ---------------------------------------------------------------

_ulong = ctypes.c_ulong
ZPixmap = 2
AllPlanes = ~0 & 0xFFFFFFFFFFFFFFFF
XDamageReportRawRectangles = 0


class _XImage(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.POINTER(ctypes.c_ubyte)),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
    ]


class TrayWatch:
    """The tray on `display`: where it is and when an icon's pixels appear in it."""

    def __init__(self, display: str) -> None:
        self.x = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        self.xd = ctypes.CDLL(ctypes.util.find_library("Xdamage") or "libXdamage.so.1")
        x = self.x
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = _ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XInternAtom.restype = _ulong
        x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        x.XGetSelectionOwner.restype = _ulong
        x.XGetSelectionOwner.argtypes = [ctypes.c_void_p, _ulong]
        x.XGetImage.restype = ctypes.POINTER(_XImage)
        x.XGetImage.argtypes = [
            ctypes.c_void_p,
            _ulong,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            _ulong,
            ctypes.c_int,
        ]
        x.XDestroyImage = None  # a macro in C; XFree the data and the struct instead
        x.XFree.argtypes = [ctypes.c_void_p]
        x.XPending.argtypes = [ctypes.c_void_p]
        x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        x.XConnectionNumber.argtypes = [ctypes.c_void_p]
        x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x.XFlush.argtypes = [ctypes.c_void_p]
        xd = self.xd
        xd.XDamageQueryExtension.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_int),
        ]
        xd.XDamageCreate.restype = _ulong
        xd.XDamageCreate.argtypes = [ctypes.c_void_p, _ulong, ctypes.c_int]
        self.dpy = x.XOpenDisplay(display.encode())
        if not self.dpy:
            raise RuntimeError(f"cannot open display {display}")
        self.root = x.XDefaultRootWindow(self.dpy)
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xd.XDamageQueryExtension(
            self.dpy, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            raise RuntimeError("the X server has no DAMAGE extension")
        self.damage_event = event_base.value  # XDamageNotify == 0
        x.XDisplayWidth.argtypes = [ctypes.c_void_p, ctypes.c_int]
        atom = x.XInternAtom(self.dpy, b"_NET_SYSTEM_TRAY_S0", 0)
        deadline = time.monotonic() + 15.0  # trayer may take a while on a busy machine
        while not x.XGetSelectionOwner(self.dpy, atom):
            if time.monotonic() > deadline:
                raise RuntimeError("no system tray on this display (is trayer running?)")
            time.sleep(0.1)
        time.sleep(0.5)  # and has drawn itself
        # Damage on the root window reports every change on the screen (as VNC servers
        # use it); each is checked against the strip the tray grows into, top right.
        xd.XDamageCreate(self.dpy, self.root, XDamageReportRawRectangles)
        width = x.XDisplayWidth(self.dpy, 0)
        self.strip = (width - STRIP_WIDTH, 0, STRIP_WIDTH, TRAY_HEIGHT)
        x.XSync(self.dpy, 0)
        self.empty = self._pixels_of_tray()
        self.events = 0

    def _pixels_of_tray(self) -> set[int]:
        """The colours on screen in the tray's strip (read from the root window, so what
        is shown, embedded icons included)."""
        rx, ry, w, h = self.strip
        img = self.x.XGetImage(self.dpy, self.root, rx, ry, w, h, AllPlanes, ZPixmap)
        if not img:
            return set()
        im = img.contents
        colours: set[int] = set()
        step = im.bits_per_pixel // 8
        raw = ctypes.string_at(im.data, im.bytes_per_line * im.height)
        for row in range(im.height):
            line = raw[row * im.bytes_per_line : row * im.bytes_per_line + im.width * step]
            colours.update(line[i : i + step] for i in range(0, len(line), step))
        self.x.XFree(im.data)
        self.x.XFree(img)
        return {int.from_bytes(c[:3], "little") for c in colours}

    def icon_visible(self) -> bool:
        return bool(self._pixels_of_tray() - self.empty - {TRAY_TINT})

    def drain(self) -> None:
        event = ctypes.create_string_buffer(192)
        while self.x.XPending(self.dpy):
            self.x.XNextEvent(self.dpy, event)

    def wait_for_icon(self, timeout: float) -> float | None:
        """Wall time of the first DAMAGE (or tray child) event after which the tray shows
        an icon's pixels; None if none within `timeout` seconds."""
        fd = self.x.XConnectionNumber(self.dpy)
        event = ctypes.create_string_buffer(192)
        deadline = time.monotonic() + timeout
        while True:
            got = False
            while self.x.XPending(self.dpy):
                self.x.XNextEvent(self.dpy, event)
                self.events += 1
                got = True
            if got:
                at = time.time()
                if self.icon_visible():
                    return at
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            select.select([fd], [], [], min(left, 0.05))

    def wait_until_empty(self, timeout: float = 5.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.icon_visible():
            time.sleep(0.05)
        self.drain()
