"""Is the person busy? A live call, a locked or idle screen, the desktop's Do Not Disturb
(DESIGN.md, "Never interrupt").

    check = make_presence_check()      # on the GUI thread, after the QApplication exists
    presence = check.check()           # Presence(call=..., away=..., dnd=..., detail=...)

One small interface (`PresenceCheck.check() -> Presence`) with one implementation per
platform, `NoPresence` (always free: the setting is off) and `FakePresence` (tests). There
is no thread or timer here: the caller asks, only while an offer is due or waiting, so an
idle app spends nothing on it.

What each platform reads (the modules say how and what is not seen):

- **Linux** (linux.py). Call: recording streams (`pactl`, on PulseAudio or PipeWire),
  `/dev/video*` held open, PipeWire screen casts and cameras (`pw-dump`). Away: logind's
  `LockedHint` / `IdleHint`, the ScreenSaver interface. Do Not Disturb: the notification
  server's `Inhibited` (KDE), dunst, the GNOME / Cinnamon / Xfce switch.
- **Windows** (windows.py). Call: the consent store (microphone, webcam). Away: the input
  desktop, the last input, the notification state. Do Not Disturb: Focus Assist (an
  undocumented WNF state), presentation mode, a full-screen program.
- **macOS** (macos.py). Call: CoreAudio input, CoreMediaIO cameras. Away: the session's
  lock, the last input. Do Not Disturb: a Focus switched on by hand.

Screen sharing is detected on Linux through PipeWire only (Wayland; not X11).

`check()` never raises. On Linux it takes about 5-25 ms (one to three short helper runs:
`pactl`, `pw-dump`, `gsettings`; D-Bus reads take well under a millisecond), so the GUI
thread may call it every few seconds. Its worst case is bounded: each helper is stopped
after 1 s and then left alone for a minute (_run.py), each D-Bus read after 0.5 s. Calls
are serialized, and everything it needs is imported when it is made, so a worker thread
may call it too (runtime/tasks.py: first imports belong on the GUI thread). Make it after
the QApplication exists (QtDBus needs one; without one the D-Bus signals are off).
Privacy: `detail` names the signal ("a recording stream is open"), never a program, a
device's name or a window's title; nothing leaves the machine.
"""

from __future__ import annotations

import sys

from companion.runtime.presence.model import FREE, FakePresence, NoPresence, Presence, PresenceCheck

__all__ = ["FREE", "FakePresence", "NoPresence", "Presence", "PresenceCheck", "make_presence_check"]


def make_presence_check(platform: str | None = None) -> PresenceCheck:
    """The check for `platform` (default: this one, `sys.platform`); NoPresence where no
    signal is known."""
    platform = sys.platform if platform is None else platform
    if platform.startswith("linux"):
        from companion.runtime.presence.linux import LinuxPresence

        return LinuxPresence()
    if platform == "win32":
        from companion.runtime.presence.windows import WindowsPresence

        return WindowsPresence()
    if platform == "darwin":
        from companion.runtime.presence.macos import MacPresence

        return MacPresence()
    return NoPresence()
