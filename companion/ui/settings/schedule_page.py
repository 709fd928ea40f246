"""The Schedule tab: where the sessions come from, a standing week or calendars.

Only the chosen source's editor is shown (the other takes no room). The standing week
is a `WeekEditor`, the calendars a `CalendarSetup`: both are widgets the first-run
welcome embeds as well.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.clock import Clock
from companion.core.paths import Paths
from companion.core.settings import Settings
from companion.i18n import N_, _
from companion.ui import kit
from companion.ui.settings.calendar_setup import CalendarSetup
from companion.ui.settings.page import Page
from companion.ui.settings.week_editor import WeekEditor


class SchedulePage(Page):
    title = N_("Sc&hedule")

    def __init__(
        self,
        settings: Settings,
        paths: Paths,
        *,
        clock: Clock | None = None,
        secrets: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)

        # The choice stacks (a label, then one line each), so a long translation of
        # "my calendar (iCalendar file or link)" never widens the page.
        layout.addWidget(QLabel(_("My sessions come from:")))
        self.source_week = kit.named(
            QRadioButton(_("a standing &week")), _("Sessions from a standing week")
        )
        self.source_calendar = kit.named(
            QRadioButton(_("my &calendar (iCalendar file or link)")),
            _("Sessions from my calendar"),
        )
        group = QButtonGroup(self)
        choices = QVBoxLayout()
        indent = self.fontMetrics().averageCharWidth() * 2
        choices.setContentsMargins(indent, 0, 0, 0)
        for radio in (self.source_week, self.source_calendar):
            group.addButton(radio)
            choices.addWidget(radio)
        layout.addLayout(choices)

        self.week_box = QGroupBox(_("Standing week"))
        week_layout = QVBoxLayout(self.week_box)
        self.week = WeekEditor(settings.week)
        week_layout.addWidget(self.week, 1)
        week_layout.addWidget(
            kit.hint(
                _(
                    "Double-click a time or length (or press F2) to change it. Mark a session "
                    "heavy if it usually leaves you carrying a lot: after it, a longer "
                    "practice is offered."
                )
            )
        )
        layout.addWidget(self.week_box, 1)

        self.calendars = CalendarSetup(settings, paths, clock=clock, secrets=secrets)
        self.calendars.sources_changed.connect(self._calendar_added_or_removed)
        layout.addWidget(self.calendars, 1)

        self.fields = {
            "schedule_source": self.source_week,
            "week": self.week.table,
            "one_offs": self.week.table,
            **self.calendars.fields,
        }
        self.source_week.toggled.connect(lambda on: self._show_source(calendar=not on))
        self.load(settings)

    def load(self, settings: Settings) -> None:
        self.week.load(settings.week)
        self.calendars.load(settings)
        calendar = settings.schedule_source == "calendar"
        (self.source_calendar if calendar else self.source_week).setChecked(True)
        self._show_source(calendar=calendar)

    def changes(self) -> dict[str, Any]:
        return {
            "schedule_source": "calendar" if self.source_calendar.isChecked() else "week",
            "week": self.week.sessions(),
            **self.calendars.values(),
        }

    def _calendar_added_or_removed(self) -> None:
        if self.calendars.sources():  # a calendar was just added: that is the choice
            self.source_calendar.setChecked(True)

    def _show_source(self, *, calendar: bool) -> None:
        """Show the editor for one source; the hidden one takes no room in the layout."""
        self.week_box.setVisible(not calendar)
        self.calendars.setVisible(calendar)

    def show_field(self, name: str) -> bool:
        widget = self.fields.get(name)
        if widget is not None and not widget.isVisibleTo(self):
            # The field belongs to the source not chosen: go to the choice itself.
            (self.source_week if name in ("week", "one_offs") else self.source_calendar).setFocus()
            return True
        return super().show_field(name)
