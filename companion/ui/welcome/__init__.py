"""The first-run welcome ("How it works" later): `WelcomeWindow` (window.py), its screens
(steps.py), the schedule question with its quick week and calendar (schedule.py), the
week's timeline (timeline.py) and where calendars keep their private link (vendors.py)."""

from companion.ui.welcome.window import WelcomeWindow

__all__ = ["WelcomeWindow"]
