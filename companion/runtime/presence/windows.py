"""Presence on Windows (not run here: the reading of each answer is unit-tested with fakes).

**Call.** The capability access manager's consent store, which Windows keeps for the privacy
indicator: `HKCU\\...\\CapabilityAccessManager\\ConsentStore\\{microphone,webcam}\\<app>`
for Store apps and `...\\NonPackaged\\<C:#path#to#app.exe>` for desktop programs. An app
whose `LastUsedTimeStop` is 0 (and whose `LastUsedTimeStart` is set) is using the device
now. Our own executable is passed over, and so is a start older than 12 hours: a program
that crashed mid-call can leave its stop at 0. **Screen sharing is not detected** (the
Graphics Capture API has no query for who is capturing).

**Away.** `OpenInputDesktop`: when the input desktop cannot be opened, or is not
"Default", the secure desktop (lock screen, sign-in, UAC) is up. Idle: `GetLastInputInfo`,
away after IDLE_AFTER_S without input. `SHQueryUserNotificationState`'s "not present"
(screen saver, locked, another user's session) counts as away too.

**Do Not Disturb.** Focus Assist (Windows 10; "Do not disturb" on Windows 11) has no
documented query. We read the undocumented WNF state
`WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED` through `ntdll!NtQueryWnfStateData` (0 off,
1 priority only, 2 alarms only), which tools have read this way since Windows 10 1803; any
failure means "off". The documented `SHQueryUserNotificationState` adds presentation mode,
a full-screen program or game, and quiet time: all count as Do Not Disturb.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from companion.runtime.presence._run import say_once
from companion.runtime.presence.model import Presence

CONSENT_STORE = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
CAPABILITIES = (("microphone", "a microphone is in use"), ("webcam", "a camera is in use"))
IDLE_AFTER_S = 300.0
STALE_AFTER_S = 12 * 3600
_FILETIME_EPOCH_S = 11_644_473_600  # 1601-01-01 to 1970-01-01
QUIET_HOURS_WNF = 0x0D83063EA3BF1C75  # WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED

# SHQueryUserNotificationState's answers (QUERY_USER_NOTIFICATION_STATE)
QUNS_NOT_PRESENT = 1
QUNS_BUSY = 2
QUNS_RUNNING_D3D_FULL_SCREEN = 3
QUNS_PRESENTATION_MODE = 4
QUNS_ACCEPTS_NOTIFICATIONS = 5
QUNS_QUIET_TIME = 6
QUNS_APP = 7
_DND_STATES = {
    QUNS_BUSY: "a full-screen program is in front",
    QUNS_RUNNING_D3D_FULL_SCREEN: "a full-screen program is in front",
    QUNS_PRESENTATION_MODE: "presentation mode is on",
    QUNS_QUIET_TIME: "Windows' quiet time is on",
    QUNS_APP: "a full-screen app is in front",
}


def filetime(unix_s: float) -> int:
    return int((unix_s + _FILETIME_EPOCH_S) * 10_000_000)


class Registry(Protocol):
    """The little of HKEY_CURRENT_USER that is read."""

    def subkeys(self, path: str) -> list[str]: ...

    def qword(self, path: str, name: str) -> int | None: ...


def apps_using(registry: Registry, capability: str, *, own_exe: str, now_s: float) -> int:
    """How many apps use `capability` ("microphone", "webcam") now, ours left out."""
    base = f"{CONSENT_STORE}\\{capability}"
    own = own_exe.replace("\\", "#").lower()
    oldest = filetime(now_s - STALE_AFTER_S)
    count = 0
    for folder in (base, f"{base}\\NonPackaged"):
        for name in registry.subkeys(folder):
            if folder == base and name == "NonPackaged":
                continue
            if name.lower() == own:
                continue
            key = f"{folder}\\{name}"
            start = registry.qword(key, "LastUsedTimeStart")
            stop = registry.qword(key, "LastUsedTimeStop")
            if stop == 0 and start is not None and start > oldest:
                count += 1
    return count


class WinRegistry:
    """Registry over `winreg`, HKEY_CURRENT_USER, read only."""

    def __init__(self) -> None:
        import winreg  # type: ignore[import-not-found, unused-ignore]

        self._winreg: Any = winreg

    def subkeys(self, path: str) -> list[str]:
        reg = self._winreg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, path) as key:
                names = []
                for i in range(reg.QueryInfoKey(key)[0]):
                    names.append(reg.EnumKey(key, i))
                return names
        except OSError:
            return []

    def qword(self, path: str, name: str) -> int | None:
        reg = self._winreg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, path) as key:
                value, _kind = reg.QueryValueEx(key, name)
        except OSError:
            return None
        return value if isinstance(value, int) else None


class WinApi(Protocol):
    """The Win32 answers, each None when it could not be had."""

    def input_desktop_locked(self) -> bool | None: ...

    def idle_seconds(self) -> float | None: ...

    def notification_state(self) -> int | None: ...

    def focus_assist(self) -> int | None: ...


class NoWinApi:
    def input_desktop_locked(self) -> bool | None:
        return None

    def idle_seconds(self) -> float | None:
        return None

    def notification_state(self) -> int | None:
        return None

    def focus_assist(self) -> int | None:
        return None


class Win32(WinApi):
    """WinApi through ctypes (user32, kernel32, shell32, ntdll)."""

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        self._ctypes: Any = ctypes
        self._wintypes: Any = wintypes
        windll: Any = ctypes.windll  # type: ignore[attr-defined, unused-ignore]
        self._user32, self._kernel32 = windll.user32, windll.kernel32
        self._shell32, self._ntdll = windll.shell32, windll.ntdll
        self._user32.OpenInputDesktop.restype = wintypes.HANDLE
        self._user32.OpenInputDesktop.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
        self._user32.CloseDesktop.argtypes = [wintypes.HANDLE]
        self._user32.GetUserObjectInformationW.argtypes = [
            wintypes.HANDLE,
            ctypes.c_int,
            ctypes.c_void_p,
            wintypes.DWORD,
            ctypes.POINTER(wintypes.DWORD),
        ]
        self._kernel32.GetTickCount.restype = wintypes.DWORD

    def input_desktop_locked(self) -> bool | None:
        ctypes, wintypes = self._ctypes, self._wintypes
        desktop = self._user32.OpenInputDesktop(0, False, 0x0100)  # DESKTOP_SWITCHDESKTOP
        if not desktop:
            return True  # the secure desktop has the input
        try:
            name = ctypes.create_unicode_buffer(256)
            needed = wintypes.DWORD(0)
            if not self._user32.GetUserObjectInformationW(
                desktop,
                2,
                name,
                ctypes.sizeof(name),
                ctypes.byref(needed),  # UOI_NAME
            ):
                return None
            return bool(name.value.lower() != "default")
        finally:
            self._user32.CloseDesktop(desktop)

    def idle_seconds(self) -> float | None:
        ctypes, wintypes = self._ctypes, self._wintypes

        class LastInput(ctypes.Structure):  # type: ignore[name-defined, misc]
            _fields_ = (("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD))

        info = LastInput()
        info.cbSize = ctypes.sizeof(info)
        if not self._user32.GetLastInputInfo(ctypes.byref(info)):
            return None
        return float((self._kernel32.GetTickCount() - info.dwTime) & 0xFFFFFFFF) / 1000.0

    def notification_state(self) -> int | None:
        state = self._ctypes.c_int(0)
        if self._shell32.SHQueryUserNotificationState(self._ctypes.byref(state)) != 0:
            return None
        return int(state.value)

    def focus_assist(self) -> int | None:
        ctypes = self._ctypes
        name = ctypes.c_uint64(QUIET_HOURS_WNF)
        stamp = ctypes.c_ulong(0)
        value = ctypes.c_uint32(0)
        size = ctypes.c_ulong(ctypes.sizeof(value))
        status = self._ntdll.NtQueryWnfStateData(
            ctypes.byref(name),
            None,
            None,
            ctypes.byref(stamp),
            ctypes.byref(value),
            ctypes.byref(size),
        )
        return int(value.value) if status == 0 else None


def _safe(name: str, answer: Callable[[], Any]) -> Any:
    try:
        return answer()
    except Exception as exc:
        say_once(f"win:{name}", "the %s signal failed (%s): it is off", name, type(exc).__name__)
        return None


class WindowsPresence:
    def __init__(
        self,
        *,
        registry: Registry | None = None,
        api: WinApi | None = None,
        own_exe: str | None = None,
        clock: Callable[[], float] = time.time,
        idle_after_s: float = IDLE_AFTER_S,
    ) -> None:
        self._registry = registry if registry is not None else _safe("registry", WinRegistry)
        self._api = api if api is not None else (_safe("win32", Win32) or NoWinApi())
        self._own_exe = own_exe if own_exe is not None else sys.executable
        self._clock = clock
        self._idle_after_s = idle_after_s
        self._lock = threading.Lock()

    def _call(self) -> str | None:
        if self._registry is None:
            return None
        registry, now = self._registry, self._clock()
        for capability, detail in CAPABILITIES:
            try:
                used = apps_using(registry, capability, own_exe=self._own_exe, now_s=now)
            except Exception as exc:
                say_once(
                    f"win:{capability}",
                    "the %s signal failed (%s): it is off",
                    capability,
                    type(exc).__name__,
                )
                continue
            if used:
                return detail
        return None

    def check(self) -> Presence:
        with self._lock:
            call = self._call()
            state = _safe("notification state", self._api.notification_state)
            away = None
            if _safe("lock", self._api.input_desktop_locked) is True:
                away = "the screen is locked"
            elif state == QUNS_NOT_PRESENT:
                away = "the screen is locked or the screen saver is on"
            else:
                idle = _safe("idle", self._api.idle_seconds)
                if idle is not None and idle >= self._idle_after_s:
                    away = "no input for a while"
            dnd = None
            if _safe("focus assist", self._api.focus_assist) in (1, 2):
                dnd = "Focus Assist is on"
            elif state in _DND_STATES:
                dnd = _DND_STATES[state]
            return Presence(
                call=call is not None,
                away=away is not None,
                dnd=dnd is not None,
                detail="; ".join(d for d in (call, away, dnd) if d),
            )
