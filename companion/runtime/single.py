"""One Grounding Companion per data folder, and commands to it from a terminal.

The running app listens on a local socket named after the user and the data folder.
`companion run` a second time sends "show" and exits 0; `companion glimmer` (no text)
and `companion reflect` send "glimmer" / "reflect". The client side uses a plain Unix
socket where there is one, so those commands do not need to start Qt just to knock.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import hashlib
import os
import socket
import tempfile
from pathlib import Path

COMMANDS = ("show", "glimmer", "reflect", "history", "settings", "plan", "practice")
TIMEOUT_S = 2.0


def server_name(data_dir: Path) -> str:
    """An absolute socket path on POSIX (short enough for AF_UNIX), a pipe name elsewhere."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:12]
    try:
        user = getpass.getuser()
    except Exception:
        user = "user"
    safe_user = "".join(ch for ch in user if ch.isalnum())[:16] or "user"
    name = f"grounding-companion-{safe_user}-{digest}"
    if os.name == "posix":
        return str(Path(tempfile.gettempdir()) / name)
    return name


def _paths_for(args: argparse.Namespace) -> Path:
    from companion.core.paths import resolve_paths

    return resolve_paths(getattr(args, "data_dir", None)).data


def send(data_dir: Path, command: str) -> bool:
    """Send `command` to the running app; True if it answered."""
    name = server_name(data_dir)
    if hasattr(socket, "AF_UNIX") and os.name == "posix":
        if not os.path.exists(name):
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(TIMEOUT_S)
                sock.connect(name)
                sock.sendall(f"{command}\n".encode())
                return sock.recv(16).startswith(b"ok")
        except OSError:
            return False
    return _send_with_qt(name, command)


def _send_with_qt(name: str, command: str) -> bool:
    from PySide6.QtNetwork import QLocalSocket

    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(int(TIMEOUT_S * 1000)):
        return False
    sock.write(f"{command}\n".encode())
    sock.waitForBytesWritten(int(TIMEOUT_S * 1000))
    ok = sock.waitForReadyRead(int(TIMEOUT_S * 1000)) and bytes(sock.readAll().data()).startswith(
        b"ok"
    )
    sock.disconnectFromServer()
    return ok


def send_command(which: str, args: argparse.Namespace) -> bool:
    """For the CLI: ask the running app (for this data folder) to open `which`."""
    return send(_paths_for(args), which)


class Server:
    """The listening side, created by the app on the GUI thread."""

    def __init__(self, data_dir: Path, on_command: object) -> None:
        from PySide6.QtCore import QLockFile
        from PySide6.QtNetwork import QLocalServer

        self.name = server_name(data_dir)
        self.on_command = on_command
        self._lock = QLockFile(str(data_dir / ".instance.lock"))
        self._lock.setStaleLockTime(0)
        self.server = QLocalServer()
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self.owner = False

    def listen(self) -> bool:
        """True if we are now the one instance; False if another one holds the lock."""
        from PySide6.QtNetwork import QLocalServer

        if not self._lock.tryLock(100):
            return False
        lock_path = Path(self._lock.fileName())
        if os.name == "posix" and lock_path.exists():
            lock_path.chmod(0o600)
        QLocalServer.removeServer(self.name)  # a stale socket from a crash
        self.owner = self.server.listen(self.name)
        return self.owner

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read(c))
            conn.disconnected.connect(conn.deleteLater)

    def _read(self, conn: object) -> None:
        line = bytes(conn.readLine().data()).decode(errors="replace").strip()  # type: ignore[attr-defined]
        if line in COMMANDS:
            conn.write(b"ok\n")  # type: ignore[attr-defined]
            conn.flush()  # type: ignore[attr-defined]
            self.on_command(line)  # type: ignore[operator]
        else:
            conn.write(b"unknown\n")  # type: ignore[attr-defined]

    def close(self) -> None:
        self.server.close()
        with contextlib.suppress(Exception):
            self._lock.unlock()
