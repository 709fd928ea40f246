"""Presence on macOS (not run here: each answer's reading is unit-tested with fakes and
recorded files; the system calls are thin ctypes wrappers).

Helpers such as `ioreg`, `log` or `system_profiler` are far too slow for a check asked
every few seconds, so everything is read in-process, in microseconds:

**Call.** The microphone: CoreAudio's process objects (macOS 14.2 and later: any process
but ours with `kAudioProcessPropertyIsRunningInput`), else the default input device's
`kAudioDevicePropertyDeviceIsRunningSomewhere` (a headset that is one device for both
directions also reads "running" while it plays sound). The camera: CoreMediaIO's
`kCMIODevicePropertyDeviceIsRunningSomewhere` on every video device. The same two
properties the menu bar's privacy dots follow. **Screen sharing is not detected**: macOS
has no public way to ask who is capturing the screen.

**Away.** `CGSessionCopyCurrentDictionary()`'s `CGSSessionScreenIsLocked`, and
`CGEventSourceSecondsSinceLastEventType` for idle (away after IDLE_AFTER_S).

**Do Not Disturb.** A Focus switched on by hand (macOS 12 and later):
`~/Library/DoNotDisturb/DB/Assertions.json` holds an assertion while it is on. A Focus
turned on by a schedule is not seen (its triggers would have to be evaluated), and on
versions that protect that folder (Full Disk Access) the file cannot be read: then off,
said once. macOS 11 and earlier: the `doNotDisturb` key of
`~/Library/Preferences/ByHost/com.apple.notificationcenterui.*.plist`.
"""

from __future__ import annotations

import json
import os
import plistlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from companion.runtime.presence._run import say_once
from companion.runtime.presence.model import Presence

IDLE_AFTER_S = 300.0
ASSERTIONS = Path("Library/DoNotDisturb/DB/Assertions.json")
LEGACY_PREFS = Path("Library/Preferences/ByHost")


def fourcc(code: str) -> int:
    return int.from_bytes(code.encode("ascii"), "big")


def focus_from_assertions(text: str) -> bool:
    """Assertions.json -> is a Focus on? Raises ValueError on text that is not that file."""
    data = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise ValueError("not a Focus assertions file")
    for store in data["data"]:
        if isinstance(store, dict) and store.get("storeAssertionRecords"):
            return True
    return False


def dnd_from_legacy_plist(raw: bytes) -> bool:
    prefs = plistlib.loads(raw)
    return isinstance(prefs, dict) and prefs.get("doNotDisturb") is True


def focus_on(home: Path) -> bool | None:
    """Is a Focus (Do Not Disturb) on? None when it cannot be read."""
    try:
        return focus_from_assertions((home / ASSERTIONS).read_text(encoding="utf-8"))
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        say_once(
            "mac:focus",
            "the Focus state cannot be read (%s): Do Not Disturb is off",
            type(exc).__name__,
        )
        return None
    try:
        for plist in sorted((home / LEGACY_PREFS).glob("com.apple.notificationcenterui.*.plist")):
            if dnd_from_legacy_plist(plist.read_bytes()):
                return True
    except (OSError, ValueError, plistlib.InvalidFileException):
        return None
    return False


class MacApi(Protocol):
    """The system's answers, each None when it could not be had."""

    def microphone_in_use(self, own_pid: int) -> bool | None: ...

    def camera_in_use(self) -> bool | None: ...

    def screen_locked(self) -> bool | None: ...

    def idle_seconds(self) -> float | None: ...


class NoMacApi:
    def microphone_in_use(self, own_pid: int) -> bool | None:
        return None

    def camera_in_use(self) -> bool | None:
        return None

    def screen_locked(self) -> bool | None:
        return None

    def idle_seconds(self) -> float | None:
        return None


_FRAMEWORKS = "/System/Library/Frameworks/{0}.framework/{0}"
_GLOBAL = fourcc("glob")
_MAIN = 0
_SYSTEM_OBJECT = 1


class CoreApis:
    """MacApi through ctypes: CoreAudio, CoreMediaIO, CoreGraphics, CoreFoundation."""

    def __init__(self) -> None:
        import ctypes

        c: Any = ctypes
        self._c = c

        class Address(c.Structure):  # type: ignore[misc]
            _fields_ = (("selector", c.c_uint32), ("scope", c.c_uint32), ("element", c.c_uint32))

        self._address = Address
        self._audio = c.CDLL(_FRAMEWORKS.format("CoreAudio"))
        self._cmio = c.CDLL(_FRAMEWORKS.format("CoreMediaIO"))
        self._cg = c.CDLL(_FRAMEWORKS.format("CoreGraphics"))
        self._cf = c.CDLL(_FRAMEWORKS.format("CoreFoundation"))
        p, u32 = c.POINTER(Address), c.c_uint32
        self._audio.AudioObjectGetPropertyDataSize.argtypes = [
            u32,
            p,
            u32,
            c.c_void_p,
            c.POINTER(u32),
        ]
        self._audio.AudioObjectGetPropertyData.argtypes = [
            u32,
            p,
            u32,
            c.c_void_p,
            c.POINTER(u32),
            c.c_void_p,
        ]
        self._cmio.CMIOObjectGetPropertyDataSize.argtypes = [
            u32,
            p,
            u32,
            c.c_void_p,
            c.POINTER(u32),
        ]
        self._cmio.CMIOObjectGetPropertyData.argtypes = [
            u32,
            p,
            u32,
            c.c_void_p,
            u32,
            c.POINTER(u32),
            c.c_void_p,
        ]
        for lib in (self._audio, self._cmio):
            for fn in ("ObjectGetPropertyDataSize", "ObjectGetPropertyData"):
                getattr(lib, ("Audio" if lib is self._audio else "CMIO") + fn).restype = c.c_int32
        self._cg.CGEventSourceSecondsSinceLastEventType.restype = c.c_double
        self._cg.CGEventSourceSecondsSinceLastEventType.argtypes = [c.c_int32, c.c_uint32]
        self._cg.CGSessionCopyCurrentDictionary.restype = c.c_void_p
        self._cf.CFStringCreateWithCString.restype = c.c_void_p
        self._cf.CFStringCreateWithCString.argtypes = [c.c_void_p, c.c_char_p, c.c_uint32]
        self._cf.CFDictionaryGetValue.restype = c.c_void_p
        self._cf.CFDictionaryGetValue.argtypes = [c.c_void_p, c.c_void_p]
        self._cf.CFGetTypeID.restype = c.c_ulong
        self._cf.CFGetTypeID.argtypes = [c.c_void_p]
        self._cf.CFBooleanGetTypeID.restype = c.c_ulong
        self._cf.CFBooleanGetValue.restype = c.c_bool
        self._cf.CFBooleanGetValue.argtypes = [c.c_void_p]
        self._cf.CFRelease.argtypes = [c.c_void_p]
        self._locked_key = self._cf.CFStringCreateWithCString(
            None, b"CGSSessionScreenIsLocked", 0x08000100
        )

    # CoreAudio and CoreMediaIO share the property model; `cmio` picks the library.
    def _ids(self, obj: int, selector: str, *, cmio: bool = False) -> list[int] | None:
        c = self._c
        address = self._address(fourcc(selector), _GLOBAL, _MAIN)
        size = c.c_uint32(0)
        get_size = (
            self._cmio.CMIOObjectGetPropertyDataSize
            if cmio
            else self._audio.AudioObjectGetPropertyDataSize
        )
        if get_size(obj, c.byref(address), 0, None, c.byref(size)) != 0:
            return None
        count = size.value // 4
        ids = (c.c_uint32 * max(count, 1))()
        if cmio:
            used = c.c_uint32(0)
            status = self._cmio.CMIOObjectGetPropertyData(
                obj, c.byref(address), 0, None, size, c.byref(used), ids
            )
        else:
            status = self._audio.AudioObjectGetPropertyData(
                obj, c.byref(address), 0, None, c.byref(size), ids
            )
        return list(ids[: size.value // 4]) if status == 0 else None

    def _u32(self, obj: int, selector: str, *, cmio: bool = False) -> int | None:
        c = self._c
        address = self._address(fourcc(selector), _GLOBAL, _MAIN)
        value = c.c_uint32(0)
        size = c.c_uint32(4)
        if cmio:
            used = c.c_uint32(0)
            status = self._cmio.CMIOObjectGetPropertyData(
                obj, c.byref(address), 0, None, 4, c.byref(used), c.byref(value)
            )
        else:
            status = self._audio.AudioObjectGetPropertyData(
                obj, c.byref(address), 0, None, c.byref(size), c.byref(value)
            )
        return int(value.value) if status == 0 else None

    def microphone_in_use(self, own_pid: int) -> bool | None:
        processes = self._ids(_SYSTEM_OBJECT, "prs#")  # macOS 14.2+
        if processes is not None:
            for process in processes:
                if self._u32(process, "ppid") != own_pid and self._u32(process, "piri"):
                    return True
            return False
        device = self._u32(_SYSTEM_OBJECT, "dIn ")  # the default input device
        if not device:
            return None
        running = self._u32(device, "gone")
        return None if running is None else bool(running)

    def camera_in_use(self) -> bool | None:
        devices = self._ids(_SYSTEM_OBJECT, "dev#", cmio=True)
        if devices is None:
            return None
        return any(self._u32(device, "gone", cmio=True) for device in devices)

    def screen_locked(self) -> bool | None:
        cf = self._cf
        session = self._cg.CGSessionCopyCurrentDictionary()
        if not session:
            return None
        try:
            value = cf.CFDictionaryGetValue(session, self._locked_key)
            if not value:
                return False
            return cf.CFGetTypeID(value) == cf.CFBooleanGetTypeID() and bool(
                cf.CFBooleanGetValue(value)
            )
        finally:
            cf.CFRelease(session)

    def idle_seconds(self) -> float | None:
        # kCGEventSourceStateHIDSystemState, kCGAnyInputEventType
        return float(self._cg.CGEventSourceSecondsSinceLastEventType(1, 0xFFFFFFFF))


def _safe(name: str, answer: Callable[[], Any]) -> Any:
    try:
        return answer()
    except Exception as exc:
        say_once(f"mac:{name}", "the %s signal failed (%s): it is off", name, type(exc).__name__)
        return None


class MacPresence:
    def __init__(
        self,
        *,
        api: MacApi | None = None,
        home: Path | None = None,
        own_pid: int | None = None,
        idle_after_s: float = IDLE_AFTER_S,
    ) -> None:
        self._api = api if api is not None else (_safe("system", CoreApis) or NoMacApi())
        self._home = home if home is not None else Path.home()
        self._own_pid = os.getpid() if own_pid is None else own_pid
        self._idle_after_s = idle_after_s
        self._lock = threading.Lock()

    def check(self) -> Presence:
        with self._lock:
            call = None
            if _safe("microphone", lambda: self._api.microphone_in_use(self._own_pid)):
                call = "a microphone is in use"
            elif _safe("camera", self._api.camera_in_use):
                call = "a camera is in use"
            away = None
            if _safe("lock", self._api.screen_locked):
                away = "the screen is locked"
            else:
                idle = _safe("idle", self._api.idle_seconds)
                if idle is not None and idle >= self._idle_after_s:
                    away = "no input for a while"
            dnd = "a Focus is on" if _safe("focus", lambda: focus_on(self._home)) else None
            return Presence(
                call=call is not None,
                away=away is not None,
                dnd=dnd is not None,
                detail="; ".join(d for d in (call, away, dnd) if d),
            )
