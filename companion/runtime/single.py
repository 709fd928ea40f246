"""One Grounding Companion per data folder, and commands to it from a terminal.

The running app listens on a local socket named after the user and the data folder.
`companion run` a second time sends "show" and exits 0; `companion glimmer` (no text)
and `companion reflect` send "glimmer" / "reflect". The client side uses a plain Unix
socket where there is one, so those commands do not need to start Qt just to knock.

Only this user's app is ever believed, and only this user is ever listened to. The
socket lives in a folder of this user's own that nobody else can enter: `$XDG_RUNTIME_DIR`
when it is a real folder owned by this user with no access for anyone else, else
`<tmp>/grounding-companion-<uid>/`, made 0700. Before a knock, the folder and the socket
file must be this user's and private (a folder or socket another user made, or one
open to others, is never trusted); after connecting, each side asks the kernel who the
other is (`SO_PEERCRED` on Linux, `LOCAL_PEERCRED` on macOS and the BSDs) and hangs up on
anyone else. So another local user cannot make `companion run` think the app is already
running: the knock goes unanswered and the app starts; when its own folder is in
another user's hands it starts without the terminal channel and says why (`Server.problem`,
`knock_problem`).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import stat
import struct
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.i18n import _

if TYPE_CHECKING:
    import socket  # imported where used: `companion run` checks for a running app, and
    # holds its lock, before its icon shows; the socket module alone takes about 3 ms

log = logging.getLogger("companion.single")

COMMANDS = ("show", "glimmer", "reflect", "history", "settings", "plan", "practice")
TIMEOUT_S = 2.0
#: How long a second `companion run` that found the lock taken keeps knocking: the first
#: one holds its lock before its icon shows and answers only once the icon has painted.
KNOCK_AGAIN_S = 1.5
MAX_SOCKET_PATH = 100  # AF_UNIX allows 104 (macOS) to 108 (Linux) bytes

Then = Callable[[], object] | None  # what to do once the reply is sent
Handler = Callable[[str], tuple[bytes, Then]]
PeerUid = Callable[["socket.socket"], "int | None"]


def current_uid() -> int | None:
    """This process's user id; None where the system has none (Windows)."""
    getuid = getattr(os, "getuid", None)
    return int(getuid()) if getuid is not None else None


def peer_uid(sock: socket.socket) -> int | None:
    """The user id of the process at the other end of a connected Unix socket, as the
    kernel reports it; None where this system cannot say (then the folder and the socket
    file, checked before, are the guard)."""
    import socket

    try:
        if hasattr(socket, "SO_PEERCRED"):  # Linux: struct ucred {pid_t; uid_t; gid_t}
            raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("iII"))
            return int(struct.unpack("iII", raw)[1])
        if sys.platform == "darwin" or "bsd" in sys.platform:
            # struct xucred {u_int cr_version; uid_t cr_uid; ...} at SOL_LOCAL (0); the
            # kernel copies what fits, and its size differs between macOS and FreeBSD
            option = getattr(socket, "LOCAL_PEERCRED", 1)
            raw = sock.getsockopt(0, option, 128)
            return int(struct.unpack_from("II", raw)[1])
    except (OSError, struct.error):
        return None
    return None


def private_problem(path: str, uid: int, *, want_socket: bool = False) -> str | None:
    """None when `path` is this user's own and private: a real folder (or, with
    `want_socket`, a socket), not a link, owned by `uid`, with no access for group or
    others. Else why not, in a few words for the log."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "is missing"
    except OSError as exc:
        return f"cannot be checked ({exc.strerror or exc})"
    is_right_kind = stat.S_ISSOCK(info.st_mode) if want_socket else stat.S_ISDIR(info.st_mode)
    if not is_right_kind:
        return "is not a socket" if want_socket else "is not a folder"
    if info.st_uid != uid:
        return f"belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o077:
        return f"is open to other users (mode {stat.S_IMODE(info.st_mode):04o})"
    return None


def _digest(data_dir: Path) -> str:
    # not a secret, just a stable tag per folder (hashlib would load OpenSSL for this)
    key = str(data_dir.resolve()).encode()
    return f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}"


def server_name(data_dir: Path, *, uid: int | None = None) -> str:
    """An absolute socket path on POSIX, a pipe name elsewhere.

    On POSIX the socket is `<folder>/grounding-companion-<tag>`, the folder being
    `$XDG_RUNTIME_DIR` when it is this user's own and private and the path fits AF_UNIX,
    else `<tmp>/grounding-companion-<uid>` (made 0700 by the server)."""
    digest = _digest(data_dir)
    if os.name == "posix":
        uid = current_uid() if uid is None else uid
        name = f"grounding-companion-{digest}"
        runtime = os.environ.get("XDG_RUNTIME_DIR", "")
        if runtime and os.path.isabs(runtime) and private_problem(runtime, uid or 0) is None:
            path = str(Path(runtime) / name)
            if len(path.encode()) <= MAX_SOCKET_PATH:
                return path
        folder = Path(tempfile.gettempdir()) / f"grounding-companion-{uid}"
        path = str(folder / name)
        # macOS's per-user TMPDIR alone is about 50 bytes: the folder already says whose
        return path if len(path.encode()) <= MAX_SOCKET_PATH else str(folder / digest)
    import getpass

    try:
        user = getpass.getuser()
    except Exception:
        user = "user"
    safe_user = "".join(ch for ch in user if ch.isalnum())[:16] or "user"
    return f"grounding-companion-{safe_user}-{digest}"


def knock_problem(data_dir: Path, *, uid: int | None = None) -> str | None:
    """Why a terminal cannot reach the app for `data_dir` through its socket folder, in one
    line for a person (`companion doctor`); None when the folder is fine or not made yet."""
    if os.name != "posix":
        return None
    uid = current_uid() if uid is None else uid
    folder = str(Path(server_name(data_dir, uid=uid)).parent)
    reason = private_problem(folder, uid or 0)
    if reason is None or reason == "is missing":
        return None
    return _untrusted_line(folder)


def _untrusted_line(folder: str) -> str:
    return _(
        "{folder} is not a private folder of yours, so Grounding Companion does not listen "
        "there: it runs, but `companion glimmer` and the like open their own windows "
        "(set XDG_RUNTIME_DIR to a private folder of yours, or have that one removed)"
    ).format(folder=folder)


def _paths_for(args: argparse.Namespace) -> Path:
    from companion.core.paths import resolve_paths

    return resolve_paths(getattr(args, "data_dir", None)).data


def send(
    data_dir: Path, command: str, *, uid: int | None = None, peer: PeerUid | None = None
) -> bool:
    """Send `command` to this user's running app; True if it answered.

    False, with a log line, when what answers could be another user's: a socket folder or
    socket file that is not this user's own and private, or a peer the kernel says is
    someone else. `uid` and `peer` stand in for `os.getuid()` and `peer_uid` in tests."""
    if os.name != "posix":  # no AF_UNIX for Python on Windows
        return _send_with_qt(server_name(data_dir), command)
    uid = current_uid() if uid is None else uid
    peer = peer or peer_uid
    name = server_name(data_dir, uid=uid)
    if not os.path.lexists(name):
        return False
    import socket

    for path, is_socket in ((str(Path(name).parent), False), (name, True)):
        reason = private_problem(path, uid or 0, want_socket=is_socket)
        if reason is not None:
            log.warning("not knocking at %s: %s %s", name, path, reason)
            return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(TIMEOUT_S)
            sock.connect(name)
            other = peer(sock)
            if other is not None and other != uid:
                log.warning("not knocking at %s: it is held by another user (uid %s)", name, other)
                return False
            sock.sendall(f"{command}\n".encode())
            return sock.recv(16).startswith(b"ok")
    except OSError:
        return False


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

    def __init__(
        self,
        data_dir: Path,
        on_command: object,
        *,
        uid: int | None = None,
        peer: PeerUid | None = None,
    ) -> None:
        from PySide6.QtCore import QLockFile

        self.uid = current_uid() if uid is None else uid
        self.peer = peer or peer_uid
        self.name = server_name(data_dir, uid=self.uid)
        self.on_command = on_command
        #: Why a terminal cannot reach this app (one line for a person), or None.
        self.problem: str | None = None
        self._lock = QLockFile(str(data_dir / ".instance.lock"))
        self._lock.setStaleLockTime(0)
        self._impl: _UnixListener | _PipeListener | None = None

    def listen(self, *, serve: bool = True) -> bool:
        """True if we are now the one instance; False if another one holds the lock.
        Then it listens for commands, or, with `serve=False`, once `serve` is called
        (`companion run`: after the icon's first paint; a second `companion run` that
        knocks meanwhile tries again for a moment, `KNOCK_AGAIN_S`)."""
        if not self._lock.tryLock(100):
            return False
        lock_path = Path(self._lock.fileName())
        if os.name == "posix" and lock_path.exists():
            lock_path.chmod(0o600)
        if serve:
            self.serve()
        return True

    def serve(self) -> None:
        """Listen for commands from a terminal (the lock is ours: `listen`)."""
        if self._impl is not None or self.problem is not None:
            return
        if os.name == "posix":
            folder = str(Path(self.name).parent)
            reason = _make_private_folder(folder, self.uid or 0)
            if reason is not None:
                # We hold the data folder, so we are the one app; only knocking from a
                # terminal will not reach us. Say why rather than refuse to start.
                log.warning("not listening at %s: %s %s", self.name, folder, reason)
                self.problem = _untrusted_line(folder)
                return
            self._impl = _UnixListener(self.name, self._handle, self.uid, self.peer)
        else:
            self._impl = _PipeListener(self.name, self._handle)
        if not self._impl.listen():
            log.warning(
                "cannot listen at %s; `companion glimmer` and the like will open their own windows",
                self.name,
            )
            self.problem = _(
                "cannot listen at {name}, so `companion glimmer` and the like open their own "
                "windows"
            ).format(name=self.name)

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


def _make_private_folder(folder: str, uid: int) -> str | None:
    """Make `folder` (0700) if it is not there; None when it is then this user's own and
    private (a folder of ours left too open is closed), else why it cannot be trusted."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, 0o700)
    reason = private_problem(folder, uid)
    if reason is not None and reason.startswith("is open"):
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)  # ours (lstat said so) and a real folder, not a link
        reason = private_problem(folder, uid)
    return reason


class _UnixListener:
    """A Unix socket (0600) whose readiness the Qt event loop watches."""

    def __init__(self, path: str, handle: Handler, uid: int | None, peer: PeerUid) -> None:
        self.path = path
        self.handle = handle
        self.uid = uid
        self.peer = peer
        self._refused_logged = False
        self.sock: socket.socket | None = None
        self.notifier: Any = None
        self.clients: dict[int, tuple[socket.socket, Any, bytearray]] = {}

    def listen(self) -> bool:
        import socket

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
            other = self.peer(conn)
            if other is not None and other != self.uid:
                if not self._refused_logged:  # once: another user must not fill the log
                    log.warning("hung up on a local connection from another user (uid %s)", other)
                    self._refused_logged = True
                conn.close()
                continue
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
