"""Show the practice player's first screen or its end screen, without the tray (for
screenshots).

    python bench/show_practice.py first|end [--id box-5] [--scale 1.5] [--no-player]
                                             [--scale-checkin] [--grab PNG]

"first": the first screen as it opens (title, caution, the one-tap check-in, the first
cue). "end": the end screen after the practice ran its course after a session (how long,
the after check-in, the glimmer question), with "in between" tapped before. Nothing is
saved (the journal writer is a stand-in). COMPANION_LANG=pseudo shows the pseudo-locale.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


class _Sound:
    """No sound (a screenshot is silent); `available` says whether to show the line."""

    def __init__(self, player: bool) -> None:
        self.player = player

    def available(self) -> bool:
        return self.player

    def play(self, event: str) -> None:
        pass

    def cue(self, text: str, *, user: bool = False) -> None:
        pass

    def hush(self) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=("first", "end"))
    parser.add_argument("--id", default="box-5")
    parser.add_argument("--scale", type=float, default=0.0, help="QT_SCALE_FACTOR, e.g. 1.5")
    parser.add_argument("--no-player", action="store_true", help="as with no audio player")
    parser.add_argument("--scale-checkin", action="store_true", help="the 0-10 check-in")
    parser.add_argument("--grab", metavar="PNG", help="save the window to PNG and quit")
    args = parser.parse_args()
    if args.scale:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from companion.core.clock import FakeClock
    from companion.core.exercises import load_library
    from companion.core.settings import Settings
    from companion.core.writer import Saved
    from companion.ui import style, text
    from companion.ui.player import LEAD_IN_S, PlayerWindow

    app = QApplication(sys.argv[:1])
    style.apply(app)
    text.install()
    clock = FakeClock(datetime(2026, 3, 2, 10, 51).astimezone())
    exercise = load_library(None)[args.id]
    settings = Settings(checkin_style="scale" if args.scale_checkin else "state")
    player = PlayerWindow(
        exercise,
        clock,
        settings,
        _Sound(not args.no_player),
        save=lambda record: Saved(True),
        after_session=True,
    )
    player.show()
    if args.which == "end":
        assert player.checkin is not None
        player.checkin.choose("between")
        clock.advance(LEAD_IN_S)
        player.tick()
        clock.advance(exercise.total_seconds)
        player.tick()
        player.end_page.stop_waiting()  # stays up for the screenshot
    else:
        player._timer.stop()  # held on the first screen for the screenshot
    geometry = player.frameGeometry()
    print(f"window at {geometry.x()},{geometry.y()} {geometry.width()}x{geometry.height()}")
    if args.grab:

        def grab() -> None:
            player.grab().save(args.grab)
            app.quit()

        QTimer.singleShot(500, grab)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
