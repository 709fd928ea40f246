"""The app's states, named once: the tray shows them, the day decides them; and the
`Status` the day reports (what the tooltip and the menu's first line say). Kept in a
module of its own so the tray icon can appear without loading the rest of the core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import Enum

from companion.i18n import _, hm


class State(Enum):
    IN_SESSION = "in-session"
    BETWEEN = "between"
    OFF_DUTY = "off-duty"
    PAUSED = "paused"


@dataclass(frozen=True)
class Status:
    state: State
    until: datetime | None = None  # session end, pause end
    next_start: datetime | None = None  # the next session today
    next_break: tuple[datetime, datetime] | None = None  # the next planned break today
    unconfirmed: bool = False  # the person has not yet said when they see clients

    def describe(self) -> str:
        """The tray tooltip's words."""

        def at(t: datetime | None) -> str:
            return hm(t) if t else ""

        if self.unconfirmed:
            return _("Set up your week: nothing is offered until then")
        if self.state is State.IN_SESSION:
            return _("In a session until {time}").format(time=at(self.until))
        if self.state is State.PAUSED:
            if self.until is None:
                return _("Reminders paused")
            if self.until.time() == time(0, 0):
                return _("Reminders paused for the rest of today")
            return _("Reminders paused until {time}").format(time=at(self.until))
        if self.state is State.BETWEEN:
            return _("Between sessions, next at {time}").format(time=at(self.next_start))
        if self.next_start:
            return _("Off duty · first session at {time}").format(time=at(self.next_start))
        return _("Off duty")

    def day_line(self) -> str:
        """The menu's first line: where the day stands, and the next break if one is
        planned ("In a session until 10:50 · next break 10:50–11:00")."""
        if self.unconfirmed:
            return _("Set up your week…")
        line = self.describe()
        if self.next_break is not None and self.state is not State.PAUSED:
            start, end = self.next_break
            line = _("{status} · next break {start}–{end}").format(
                status=line, start=hm(start), end=hm(end)
            )
        return line
