"""The app's log: a private file in the data folder, and no traceback in the user's face.

Log lines carry what the app did and why, never what a calendar event or a journal
entry said (see DESIGN.md, privacy).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from companion.core.paths import Paths
from companion.i18n import _

_MAX_BYTES = 512 * 1024


def _private_file(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    if os.name == "posix":
        path.chmod(0o600)


def setup(paths: Paths, *, level: int = logging.INFO) -> Path:
    """Send the app's log to `companion.log` (0600; past 512 KiB at start the old log
    becomes `companion.log.1`, so at most two are kept). A plain FileHandler: the
    rotating one pulls in `logging.handlers`, pickle and socket at start-up."""
    try:
        if paths.log.stat().st_size > _MAX_BYTES:
            os.replace(paths.log, paths.log.with_name(paths.log.name + ".1"))
    except FileNotFoundError:
        pass
    _private_file(paths.log)
    handler = logging.FileHandler(paths.log, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("companion")
    root.setLevel(level)
    root.addHandler(handler)
    return paths.log


def install_excepthook(log_path: Path) -> None:
    """An unexpected error is written to the log and reported as one line, and the app
    goes on (a Qt slot that raises must not take the whole companion down)."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        logging.getLogger("companion").error(
            "unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb))
        )
        print(
            _("companion: something went wrong ({kind}); details are in {path}").format(
                kind=kind.__name__, path=log_path
            ),
            file=sys.stderr,
        )

    sys.excepthook = hook
