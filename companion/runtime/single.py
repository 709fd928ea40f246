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
import logging
import os
import socket
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("companion.single")

COMMANDS = ("show", "glimmer", "reflect", "history", "settings", "plan", "practice")
TIMEOUT_S = 2.0
MAX_SOCKET_PATH = 100  # AF_UNIX allows 104 (macOS) to 108 (Linux) bytes

Then = Callable[[], object] | None  # what to do once the reply is sent
Handler = Callable[[str], tuple[bytes, Then]]


def server_name(data_dir: Path) -> str:
    """An absolute socket path on POSIX (short enough for AF_UNIX), a pipe name elsewhere."""
    # not a secret, just a stable tag per folder (hashlib would load OpenSSL for this)
    key = str(data_dir.resolve()).encode()
    digest = f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}"
    try:
        user = getpass.getuser()
    except Exception:
        user = "user"
    safe_user = "".join(ch for ch in user if ch.isalnum())[:16] or "user"
    name = f"grounding-companion-{safe_user}-{digest}"
    if os.name == "posix":
        runtime = os.environ.get("XDG_RUNTIME_DIR", "")  # per-user and 0700 where it exists
        path = str(Path(runtime) / name)
        if runtime and os.path.isdir(runtime) and len(path.encode()) <= MAX_SOCKET_PATH:
            return path
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
    """The listening side, created by the app on the GUI thread.

    On POSIX it is a plain Unix socket watched by QSocketNotifier: QLocalServer would do
    the same job but loads QtNetwork, about 2.6 MiB of a tray app's idle memory for one
    short line now and then. Elsewhere it is QLocalServer (a named pipe).
    """

    MAX_LINE = 64  # every command is a short word; anything longer is not ours

    def __init__(self, data_dir: Path, on_command: object) -> None:
        from PySide6.QtCore import QLockFile

        self.name = server_name(data_dir)
        self.on_command = on_command
        self._lock = QLockFile(str(data_dir / ".instance.lock"))
        self._lock.setStaleLockTime(0)
        self._impl: _UnixListener | _PipeListener | None = None

    def listen(self) -> bool:
        """True if we are now the one instance; False if another one holds the lock."""
        if not self._lock.tryLock(100):
            return False
        lock_path = Path(self._lock.fileName())
        if os.name == "posix" and lock_path.exists():
            lock_path.chmod(0o600)
        impl_type = _UnixListener if os.name == "posix" else _PipeListener
        self._impl = impl_type(self.name, self._handle)
        if not self._impl.listen():
            # We hold the folder, so we are the one app; only knocking from a terminal
            # will not reach us. Say so once rather than refuse to start.
            log.warning(
                "cannot listen at %s; `companion glimmer` and the like will open their own windows",
                self.name,
            )
        return True

    def _handle(self, line: str) -> tuple[bytes, Then]:
        """The reply, and what to do once it is sent (a window never delays the answer)."""
        if line in COMMANDS:
            return b"ok\n", lambda: self.on_command(line)  # type: ignore[operator]
        return b"unknown\n", None

    def close(self) -> None:
        if self._impl is not None:
            self._impl.close()
            self._impl = None
        with contextlib.suppress(Exception):
            self._lock.unlock()


class _UnixListener:
    """A Unix socket (0600) whose readiness the Qt event loop watches."""

    def __init__(self, path: str, handle: Handler) -> None:
        self.path = path
        self.handle = handle
        self.sock: socket.socket | None = None
        self.notifier: Any = None
        self.clients: dict[int, tuple[socket.socket, Any, bytearray]] = {}

    def listen(self) -> bool:
        from PySide6.QtCore import QSocketNotifier

        with contextlib.suppress(OSError):
            os.unlink(self.path)  # we hold the lock, so this one is stale (a crash)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_umask = os.umask(0o177)  # the socket file is born 0600: only this user knocks
        try:
            sock.bind(self.path)
        except OSError:
            sock.close()
            return False
        finally:
            os.umask(old_umask)
        sock.listen(8)
        sock.setblocking(False)
        self.sock = sock
        self.notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read)
        self.notifier.activated.connect(self._accept)
        return True

    def _accept(self, *_: object) -> None:
        from PySide6.QtCore import QSocketNotifier, QTimer

        assert self.sock is not None
        while True:
            try:
                conn, _addr = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of file descriptors, say: rest, don't spin
                log.warning("cannot accept a local connection: %s", exc.strerror or exc)
                self.notifier.setEnabled(False)
                QTimer.singleShot(1000, self._resume_accepting)
                return
            conn.setblocking(False)
            notifier = QSocketNotifier(conn.fileno(), QSocketNotifier.Type.Read)
            fd = conn.fileno()
            notifier.activated.connect(lambda *_a, fd=fd: self._read(fd))
            self.clients[fd] = (conn, notifier, bytearray())
            # a client that connects and says nothing is let go after TIMEOUT_S
            QTimer.singleShot(int(TIMEOUT_S * 1000), lambda fd=fd, c=conn: self._expire(fd, c))

    def _resume_accepting(self) -> None:
        if self.notifier is not None:
            self.notifier.setEnabled(True)

    def _expire(self, fd: int, conn: socket.socket) -> None:
        if self.clients.get(fd, (None,))[0] is conn:
            self._drop(fd)

    def _read(self, fd: int) -> None:
        if fd not in self.clients:  # let go a moment ago
            return
        conn, _notifier, buffer = self.clients[fd]
        try:
            chunk = conn.recv(Server.MAX_LINE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        buffer += chunk
        if b"\n" in buffer or not chunk or len(buffer) > Server.MAX_LINE:
            line = bytes(buffer).split(b"\n", 1)[0].decode(errors="replace").strip()
            reply, then = self.handle(line)
            with contextlib.suppress(OSError):
                conn.sendall(reply)
            self._drop(fd)
            if then is not None:
                then()

    def _drop(self, fd: int) -> None:
        conn, notifier, _buffer = self.clients.pop(fd)
        notifier.setEnabled(False)
        notifier.deleteLater()
        conn.close()

    def close(self) -> None:
        for fd in list(self.clients):
            self._drop(fd)
        if self.notifier is not None:
            self.notifier.setEnabled(False)
            self.notifier = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None
            with contextlib.suppress(OSError):
                os.unlink(self.path)


class _PipeListener:  # pragma: no cover - Windows: Python has no AF_UNIX there
    """QLocalServer (a named pipe) where there is no Unix socket."""

    def __init__(self, name: str, handle: Handler) -> None:
        from PySide6.QtNetwork import QLocalServer

        self.name = name
        self.handle = handle
        self.server = QLocalServer()
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.name)
        return bool(self.server.listen(self.name))

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read(c))
            conn.disconnected.connect(conn.deleteLater)

    def _read(self, conn: Any) -> None:
        line = bytes(conn.readLine().data()).decode(errors="replace").strip()
        reply, then = self.handle(line)
        conn.write(reply)
        conn.flush()
        if then is not None:
            then()

    def close(self) -> None:
        self.server.close()
