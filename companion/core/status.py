"""The app's states, named once: the tray shows them, the day decides them. Kept in a
module of its own so the tray icon can appear without loading the rest of the core."""

from __future__ import annotations

from enum import Enum


class State(Enum):
    IN_SESSION = "in-session"
    BETWEEN = "between"
    OFF_DUTY = "off-duty"
    PAUSED = "paused"
