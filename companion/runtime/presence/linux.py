"""Presence on Linux: the microphone, cameras and screen shares, the lock, Do Not Disturb.

`check()` asks, in order of cost, and stops asking about a call at the first sign of
one: a recording stream (`pactl`, pulse.py), a camera device held open (/sys and /proc,
video.py), the PipeWire graph (`pw-dump`, video.py: screen casts, cameras, and recording
streams when pactl could not answer); then the lock and idle state and Do Not Disturb
(D-Bus and the desktop's settings, desktop.py). Nothing runs between checks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from companion.runtime.presence._run import log, say_once
from companion.runtime.presence.dbus import DBusProbe, default_probe
from companion.runtime.presence.desktop import DesktopState
from companion.runtime.presence.model import Presence
from companion.runtime.presence.pulse import PulseMicrophone
from companion.runtime.presence.video import CameraDevices, PipeWireGraph


def _ask(name: str, signal: Callable[[], str | None]) -> str | None:
    """One signal, whose failure of any kind means "nothing to say" (said once)."""
    try:
        return signal()
    except Exception as exc:
        say_once(f"failed:{name}", "the %s signal failed (%s): it is off", name, type(exc).__name__)
        return None


class LinuxPresence:
    def __init__(
        self,
        *,
        microphone: PulseMicrophone | None = None,
        camera: CameraDevices | None = None,
        graph: PipeWireGraph | None = None,
        desktop: DesktopState | None = None,
        dbus: DBusProbe | None = None,
    ) -> None:
        self._microphone = microphone or PulseMicrophone()
        self._camera = camera or CameraDevices()
        self._graph = graph or PipeWireGraph()
        self._desktop = desktop or DesktopState(dbus or default_probe())
        self._lock = threading.Lock()
        self._last: Presence | None = None

    def _graph_check(self) -> str | None:
        # The graph tells of recording streams too when pactl could not (see video.py).
        return self._graph.check(recording=not getattr(self._microphone, "answered", True))

    def check(self) -> Presence:
        with self._lock:
            call = (
                _ask("microphone", self._microphone.check)
                or _ask("camera", self._camera.check)
                or _ask("screen", self._graph_check)
            )
            away = _ask("away", self._desktop.away)
            dnd = _ask("dnd", self._desktop.dnd)
            presence = Presence(
                call=call is not None,
                away=away is not None,
                dnd=dnd is not None,
                detail="; ".join(d for d in (call, away, dnd) if d),
            )
            if presence != self._last:
                log.debug("presence: %s", presence.detail or "free")
                self._last = presence
            return presence
