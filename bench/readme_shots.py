"""The README's screenshots of the offer card, the practice player, Today's plan and the
settings, drawn offscreen from the real windows on sample data (no desktop needed).

    python bench/readme_shots.py [--out assets/screenshots]

The reflection, Look back and the welcome have their own: `bench/show_window.py reflect
--grab PNG`, `... history --grab PNG`, `bench/show_welcome.py --screen 1 --grab PNG`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


class _Silent:
    def play(self, event: str) -> None:
        """No sound for a screenshot."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="assets/screenshots")
    args = parser.parse_args()
    out = Path(args.out)

    from PySide6.QtWidgets import QApplication

    from companion.launch import make_qapp

    app = make_qapp()
    from companion.ui import style, text

    style.ensure_stylesheet()
    text.install()

    from companion.core.calendar.week import week_sessions
    from companion.core.clock import FakeClock
    from companion.core.exercises import load_library
    from companion.core.paths import resolve_paths
    from companion.core.planner import plan_day
    from companion.core.settings import Settings
    from companion.core.writer import Saved
    from companion.runtime.settings_store import SettingsStore
    from companion.ui.offer import OfferCard, headline_for
    from companion.ui.plan_dialog import PlanDialog
    from companion.ui.player import PlayerWindow
    from companion.ui.settings import SettingsWindow

    today = datetime.now().date()
    monday = today + timedelta(days=(7 - today.weekday()) % 7)
    now = datetime.combine(monday, time(9, 51)).astimezone()
    clock = FakeClock(now)
    library = load_library(None)
    titles = {ex.id: ex.title for ex in library}

    def shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        widget.show()
        for _ in range(5):
            QApplication.processEvents()
        widget.grab().save(str(out / name))
        print(f"saved {out / name}")
        widget.close()

    card = OfferCard(
        clock,
        headline=headline_for(now, now + timedelta(minutes=8), now + timedelta(minutes=9)),
        suggestion=("box-5", "Box breathing · 7 min"),
        others=[
            ("cyclic-sighing-5", "Cyclic sighing · 5 min"),
            ("feet-on-the-floor", "Feet on the floor · 2 min"),
            ("grounding-54321", "5-4-3-2-1 grounding · 5 min"),
        ],
    )
    card.place_near(None)
    shoot(card, "offer.png")

    settings = Settings(ratings=False)
    box = library.get("box-5")
    assert box is not None
    player = PlayerWindow(box, clock, settings, _Silent(), save=lambda record: Saved(True))
    player.resize(560, 620)
    player.show()
    clock.advance(2)  # the first screen's lead-in: the practice begins
    player.tick()
    clock.advance(22)  # a few breaths in
    player.tick()
    shoot(player, "player-breathing.png")

    still = PlayerWindow(
        box,
        clock,
        settings.with_changes(reduced_motion=True),
        _Silent(),
        save=lambda r: Saved(True),
    )
    still.resize(560, 620)
    still.show()
    clock.advance(2)  # the first screen's lead-in: the practice begins
    still.tick()
    clock.advance(22)
    still.tick()
    shoot(still, "player-reduced-motion.png")

    scan = library.get("body-scan-5")
    assert scan is not None
    body = PlayerWindow(scan, clock, settings, _Silent(), save=lambda record: Saved(True))
    body.resize(560, 620)
    body.show()
    body.start_practice()
    body.next_step()  # past the settling-in step, to a part of the body
    shoot(body, "player-body-scan.png")

    plan = plan_day(week_sessions(settings, monday), settings, monday, library)
    shoot(PlanDialog(plan, titles=titles), "plan.png")

    with tempfile.TemporaryDirectory() as folder:
        paths = resolve_paths(Path(folder)).ensure()
        store = SettingsStore(paths.settings)
        store.replace(Settings())
        window = SettingsWindow(
            store, paths, practices=[(ex.id, ex.title) for ex in library], clock=clock
        )
        shoot(window, "settings.png")
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
