"""Away (the screen locked, the session idle) and Do Not Disturb, on a Linux desktop.

**Away.** logind's `LockedHint` and `IdleHint` on this user's session
(`/org/freedesktop/login1/session/auto`: the caller's session, or the user's graphical
one), which GNOME, KDE and others set when the screen locks or the session goes idle.
When logind says neither, the freedesktop `org.freedesktop.ScreenSaver.GetActive` and
GNOME's `org.gnome.ScreenSaver.GetActive` are asked (for lockers that do not tell logind).

**Do Not Disturb.** The freedesktop notification server's `Inhibited` property (KDE Plasma's
Do Not Disturb), dunst's `paused`, and the desktop's own switch: GNOME's
`org.gnome.desktop.notifications show-banners` (false = Do Not Disturb), Cinnamon's
`display-notifications`, Xfce's `xfce4-notifyd /do-not-disturb`. Not read: mako's modes,
and any other notification daemon's own switch.

Every failure means "not away" / "not Do Not Disturb", said once in the log.

The desktop's switch is a program to run (`gsettings`, about 5 ms of CPU); its answer is
kept for SWITCH_TTL_S, so a check every few seconds while an offer waits runs it at most
once a minute. The D-Bus reads cost well under a millisecond and are made every time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping

from companion.runtime.presence._run import Output, run, say_once
from companion.runtime.presence.dbus import DBusProbe

LOGIN1 = "org.freedesktop.login1"
SESSION_AUTO = "/org/freedesktop/login1/session/auto"
SESSION_IFACE = "org.freedesktop.login1.Session"
SCREENSAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)
NOTIFICATIONS = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications")

# The desktop's own switch: (the desktops it belongs to, the command, the value that means
# Do Not Disturb). XDG_CURRENT_DESKTOP names the desktop; with none named, GNOME's is asked.
GNOME_DND = ("gsettings", "get", "org.gnome.desktop.notifications", "show-banners")
CINNAMON_DND = ("gsettings", "get", "org.cinnamon.desktop.notifications", "display-notifications")
XFCE_DND = ("xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb")
#: How long the desktop switch's answer is kept (seconds).
SWITCH_TTL_S = 60.0
_GNOME_LIKE = ("gnome", "unity", "ubuntu", "budgie", "pantheon", "pop", "cosmic")

Runner = Callable[[list[str]], Output | None]


def desktop_switch(environ: Mapping[str, str]) -> tuple[tuple[str, ...], str] | None:
    """The command that reads this desktop's Do Not Disturb switch, and the output that
    means it is on; None for desktops whose switch is read over D-Bus (KDE) or unknown."""
    names = [
        n.strip().lower() for n in environ.get("XDG_CURRENT_DESKTOP", "").split(":") if n.strip()
    ]
    if any("cinnamon" in n for n in names):
        return CINNAMON_DND, "false"
    if "xfce" in names:
        return XFCE_DND, "true"
    if not names or any(n in _GNOME_LIKE or "gnome" in n for n in names):
        return GNOME_DND, "false"
    return None


class DesktopState:
    """`away()` and `dnd()`: each a detail for the log, or None."""

    def __init__(
        self,
        dbus: DBusProbe,
        *,
        runner: Runner = run,
        environ: Mapping[str, str] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._dbus = dbus
        self._run = runner
        self._environ = environ
        self._monotonic = monotonic
        self._switch_broken: set[tuple[str, ...]] = set()
        self._switch_answer: tuple[float, str | None] | None = None  # (when, answer)

    def away(self) -> str | None:
        locked = self._dbus.get("system", LOGIN1, SESSION_AUTO, SESSION_IFACE, "LockedHint")
        if locked is True:
            return "the screen is locked (logind)"
        idle = self._dbus.get("system", LOGIN1, SESSION_AUTO, SESSION_IFACE, "IdleHint")
        if idle is True:
            return "the session is idle (logind)"
        if locked is None and idle is None:
            say_once(
                "logind:none",
                "logind does not say whether the screen is locked: asking the screen saver",
            )
        for service, path, interface in SCREENSAVERS:
            if self._dbus.call("session", service, path, interface, "GetActive") is True:
                return "the screen saver is on"
        return None

    def dnd(self) -> str | None:
        service, path = NOTIFICATIONS
        if (
            self._dbus.get("session", service, path, "org.freedesktop.Notifications", "Inhibited")
            is True
        ):
            return "notifications are inhibited (Do Not Disturb)"
        if self._dbus.get("session", service, path, "org.dunstproject.cmd0", "paused") is True:
            return "notifications are paused (dunst)"
        now = self._monotonic()
        if self._switch_answer is not None and now - self._switch_answer[0] < SWITCH_TTL_S:
            return self._switch_answer[1]
        answer = self._switch()
        self._switch_answer = (now, answer)
        return answer

    def _switch(self) -> str | None:
        environ = os.environ if self._environ is None else self._environ
        switch = desktop_switch(environ)
        if switch is None or switch[0] in self._switch_broken:
            return None
        command, means_on = switch
        out = self._run(list(command))
        if out is None:
            return None
        if not out.ok:
            if "no such schema" in out.err.lower() or "no such key" in out.err.lower():
                self._switch_broken.add(command)  # asking again will not help
                say_once(
                    f"dnd:{command[2]}",
                    "this desktop has no %s: its Do Not Disturb is not seen",
                    command[2],
                )
            return None  # e.g. xfconf's "property does not exist": never switched on
        if out.out.strip().lower() == means_on:
            return "the desktop's Do Not Disturb is on"
        return None
