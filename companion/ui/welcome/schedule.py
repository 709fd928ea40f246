"""The welcome window's first question: when do you see clients?

Either a quick week (`companion.core.quick_week` decides what it means): which days, the
first and last start at any minute, the session length and spacing, a gap such as
lunch, and days that differ (the settings' `WeekEditor`, for a day unlike the others),
drawn as a small timeline of the week that follows every keystroke. Or a calendar link or
file (the settings' `CalendarSetup`, with its Test), with a line on where each common
calendar keeps its private link.

Nothing here is saved: the window asks `changes()` when the person presses Done.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion.core.clock import Clock
from companion.core.paths import Paths
from companion.core.quick_week import (
    EVERY_RANGE,
    Gap,
    QuickWeek,
    QuickWeekError,
    build,
    days_that_differ,
    from_week,
    typical_gap,
)
from companion.core.settings import Settings, SettingsError, WeeklySession
from companion.i18n import _, ngettext
from companion.ui import kit, text
from companion.ui.settings.calendar_setup import CalendarSetup
from companion.ui.settings.page import add_row
from companion.ui.settings.week_editor import WeekEditor, minutes_suffix
from companion.ui.welcome.flow import FlowLayout
from companion.ui.welcome.steps import Step, reveal
from companion.ui.welcome.timeline import WeekTimeline, short_weekday
from companion.ui.welcome.vendors import VENDORS

#: The gap assumed between sessions when the schedule is a calendar (for the notes example).
USUAL_GAP = 10


class ScheduleStep(Step):
    """A quick week or a calendar. `week_changed` fires when the quick week changes."""

    week_changed = Signal()

    def __init__(
        self,
        settings: Settings,
        paths: Paths,
        *,
        clock: Clock,
        secrets: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("When do you see clients?"), parent)
        self._settings = settings
        self._own: dict[int, tuple[WeeklySession, ...]] = {}
        self._generated: tuple[WeeklySession, ...] = ()
        self._loading = True

        self.use_week = kit.named(
            QRadioButton(_("A &quick week: the same hours on most days")),
            _("Sessions from a quick week"),
        )
        self.use_calendar = kit.named(
            QRadioButton(_("My &calendar: a private link or a file")),
            _("Sessions from my calendar"),
        )
        group = QButtonGroup(self)
        for radio in (self.use_week, self.use_calendar):
            group.addButton(radio)
            self.body.addWidget(radio)

        self.quick = self._quick_panel()
        self.body.addWidget(self.quick)
        self.calendar_panel = self._calendar_panel(settings, paths, clock, secrets)
        self.body.addWidget(self.calendar_panel)
        self.finish_layout()

        self._load(settings)
        self.use_week.toggled.connect(lambda _on: self._show_source())
        self._loading = False
        self._show_source()
        self._update()

    # --- building ----------------------------------------------------------------------

    def _quick_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        form = kit.form()

        # The days above the form, not in it: a form row does not follow a field whose
        # height depends on its width (the chips wrap in a longer language).
        days_label = QLabel(_("On these &days:"))
        layout.addWidget(days_label)
        chips = QWidget()
        row = FlowLayout(chips)  # wraps in a longer language rather than widen the window
        self.day_chips: list[QPushButton] = []
        for day in range(7):
            chip = kit.chip(short_weekday(day), text.weekday_name(day))
            chip.toggled.connect(lambda _on: self._update())
            self.day_chips.append(chip)
            row.addWidget(chip)
        days_label.setBuddy(self.day_chips[0])
        layout.addWidget(chips)

        self.first_edit = kit.time_edit("09:00", _("First session starts at"))
        self.last_edit = kit.time_edit("16:00", _("Last session starts at"))
        self.length = kit.spin("session_minutes", 50, _("Session length"), minutes_suffix())
        self.every = kit.named(QSpinBox(), _("A new session starts every"))
        self.every.setRange(*EVERY_RANGE)
        self.every.setSuffix(minutes_suffix())
        self.every.setAccelerated(True)
        add_row(form, _("&First session starts at:"), self.first_edit)
        add_row(form, _("La&st session starts at:"), self.last_edit)
        add_row(form, _("Each session &lasts:"), self.length)
        add_row(form, _("A new session starts e&very:"), self.every)

        gap_row = QHBoxLayout()
        self.gap_box = kit.named(QCheckBox(_("A &gap, such as lunch:")), _("A gap in the day"))
        self.gap_start = kit.time_edit("12:00", _("The gap starts at"))
        self.gap_end = kit.time_edit("13:00", _("The gap ends at"))
        gap_row.addWidget(self.gap_box)
        gap_row.addWidget(self.gap_start)
        gap_row.addWidget(QLabel(_("to")))
        gap_row.addWidget(self.gap_end)
        gap_row.addStretch(1)
        form.addRow(gap_row)
        layout.addLayout(form)

        for edit in (self.first_edit, self.last_edit, self.gap_start, self.gap_end):
            edit.timeChanged.connect(lambda _t: self._update())
        for box in (self.length, self.every):
            box.valueChanged.connect(lambda _v: self._update())
        self.gap_box.toggled.connect(self._gap_toggled)

        # Why a choice cannot be used comes right under the fields, where the eyes are.
        self.error = kit.error_line(_("Why this week cannot be used"))
        layout.addWidget(self.error)
        self.timeline = WeekTimeline()
        layout.addWidget(self.timeline)
        self.summary = kit.muted()
        self.summary.setAccessibleName(_("Sessions a week"))
        layout.addWidget(self.summary)

        toggle_row = QHBoxLayout()
        self.differ_toggle = kit.link_button(
            _("Days that diff&er…"),
            _("Days that differ"),
            _("Change a single day, such as a shorter Friday"),
        )
        self.differ_toggle.setCheckable(True)
        self.differ_toggle.toggled.connect(self._show_differ)
        toggle_row.addWidget(self.differ_toggle)
        toggle_row.addStretch(1)
        layout.addLayout(toggle_row)

        self.differ_box = kit.card()  # the link above is its title
        differ = QVBoxLayout(self.differ_box)
        differ.addWidget(
            kit.hint(
                _(
                    "Change a day here (F2 edits a time or length); the quick week above "
                    "fills in the other days."
                )
            )
        )
        self.editor = WeekEditor()
        self.editor.setMinimumHeight(self.fontMetrics().height() * 12)
        self.editor.changed.connect(self._editor_changed)
        differ.addWidget(self.editor)
        own_row = QHBoxLayout()
        self.own_label = kit.muted()
        self.own_label.setAccessibleName(_("Days set by hand"))
        self.reset_button = kit.button(
            _("&Use the quick week for every day"),
            _("Use the quick week for every day"),
            _("Forget the changes made to single days"),
        )
        self.reset_button.clicked.connect(self.forget_own_days)
        own_row.addWidget(self.own_label, 1)
        own_row.addWidget(self.reset_button)
        differ.addLayout(own_row)
        self.differ_box.hide()
        layout.addWidget(self.differ_box)
        return panel

    def _calendar_panel(
        self, settings: Settings, paths: Paths, clock: Clock, secrets: Any
    ) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)

        help_box = QGroupBox(_("Where is my calendar's private link?"))
        help_layout = QVBoxLayout(help_box)
        form = kit.form()
        self.vendor = kit.named(QComboBox(), _("Your calendar"))
        for name, _where in VENDORS:
            self.vendor.addItem(_(name))
        add_row(form, _("&Which calendar:"), self.vendor)
        help_layout.addLayout(form)
        self.vendor_help = QLabel()
        self.vendor_help.setWordWrap(True)
        self.vendor_help.setAccessibleName(_("Where to find the link"))
        help_layout.addWidget(self.vendor_help)
        help_layout.addWidget(
            kit.hint(
                _(
                    "The link is private: it works like a password. It is kept in your "
                    "system's keyring and shown shortened, and only session times are read "
                    "from it."
                )
            )
        )
        self.vendor.currentIndexChanged.connect(self._show_vendor)
        self._show_vendor(0)
        layout.addWidget(help_box)

        self.calendars = CalendarSetup(settings, paths, clock=clock, secrets=secrets)
        self.calendars.rules_box.hide()
        layout.addWidget(self.calendars)
        rules_row = QHBoxLayout()
        self.rules_toggle = kit.link_button(
            _("W&hich events count as sessions…"),
            _("Which events count as sessions"),
            _("Words that pick out sessions, heavy sessions, and events to leave out"),
        )
        self.rules_toggle.setCheckable(True)
        self.rules_toggle.toggled.connect(self._show_rules)
        rules_row.addWidget(self.rules_toggle)
        rules_row.addStretch(1)
        layout.addLayout(rules_row)
        self.calendar_error = kit.error_line(_("Why the calendar cannot be used yet"))
        layout.addWidget(self.calendar_error)
        self.calendars.sources_changed.connect(lambda: kit.show_error(self.calendar_error, ""))
        return panel

    def _show_rules(self, on: bool) -> None:
        self.calendars.rules_box.setVisible(on)
        if on:
            reveal(self.calendars.rules_box)

    def _show_vendor(self, index: int) -> None:
        if 0 <= index < len(VENDORS):
            self.vendor_help.setText(_(VENDORS[index][1]))

    # --- loading --------------------------------------------------------------------------

    def _load(self, settings: Settings) -> None:
        spec, own = from_week(settings.week)
        if not spec.days and not own:
            spec = QuickWeek()
        self._own = dict(own)
        for day, chip in enumerate(self.day_chips):
            chip.setChecked(day in spec.days)
        self.first_edit.setTime(QTime.fromString(spec.first, "HH:mm"))
        self.last_edit.setTime(QTime.fromString(spec.last, "HH:mm"))
        self.length.setValue(spec.minutes)
        self.every.setValue(spec.every)
        self.gap_box.setChecked(spec.gap is not None)
        gap = spec.gap or Gap("12:00", "13:00")
        self.gap_start.setTime(QTime.fromString(gap.start, "HH:mm"))
        self.gap_end.setTime(QTime.fromString(gap.end, "HH:mm"))
        self._gap_toggled(spec.gap is not None)
        calendar = settings.schedule_source == "calendar" and bool(settings.calendars)
        (self.use_calendar if calendar else self.use_week).setChecked(True)
        if own:
            self.differ_toggle.setChecked(True)

    # --- the quick week -------------------------------------------------------------------

    def spec(self) -> QuickWeek:
        """The quick week as the form holds it."""
        gap = (
            Gap(kit.hhmm_of(self.gap_start), kit.hhmm_of(self.gap_end))
            if self.gap_box.isChecked()
            else None
        )
        return QuickWeek(
            days=frozenset(d for d, chip in enumerate(self.day_chips) if chip.isChecked()),
            first=kit.hhmm_of(self.first_edit),
            last=kit.hhmm_of(self.last_edit),
            minutes=self.length.value(),
            every=self.every.value(),
            gap=gap,
        )

    def own_days(self) -> dict[int, tuple[WeeklySession, ...]]:
        return dict(self._own)

    def week(self) -> tuple[WeeklySession, ...]:
        """The standing week chosen; QuickWeekError if it cannot be meant."""
        return build(self.spec(), self._own)

    def _gap_toggled(self, on: bool) -> None:
        self.gap_start.setEnabled(on)
        self.gap_end.setEnabled(on)
        self._update()

    def _update(self) -> None:
        """Redraw after any change to the form: the timeline, the count, or why not."""
        if self._loading:
            return
        spec = self.spec()
        # The days that differ are compared with the last quick week that made sense.
        with contextlib.suppress(QuickWeekError):
            self._generated = build(spec) if spec.days else ()
        try:
            week = build(spec, self._own)
        except QuickWeekError as exc:
            self._refused(str(exc))
            return
        self._refused("")
        self.timeline.show_week(week, self._own)
        self.summary.setText(
            ngettext("{n} session a week", "{n} sessions a week", len(week)).format(n=len(week))
        )
        if self.differ_box.isVisible() or self.differ_toggle.isChecked():
            self.editor.load(week, day=self.editor.current_day())
        self._show_own()
        self.week_changed.emit()

    def _editor_changed(self) -> None:
        """A day was changed by hand: it now differs (or no longer does)."""
        self._own = days_that_differ(self.editor.sessions(), self._generated)
        try:
            week = build(self.spec(), self._own)
        except QuickWeekError as exc:
            self._refused(str(exc))
            return
        self._refused("")
        self.timeline.show_week(week, self._own)
        self.summary.setText(
            ngettext("{n} session a week", "{n} sessions a week", len(week)).format(n=len(week))
        )
        self._show_own()
        self.week_changed.emit()

    def _refused(self, reason: str) -> None:
        """Say why the week as typed cannot be used ("" when it can); the timeline keeps
        the last week that could, drawn faint, until then."""
        kit.show_error(self.error, reason)
        self.timeline.setEnabled(not reason)

    def _show_own(self) -> None:
        if self._own:
            names = ", ".join(text.weekday_name(d) for d in sorted(self._own))
            self.own_label.setText(_("Set by hand: {days}").format(days=names))
        else:
            self.own_label.setText(_("Every day follows the quick week."))
        self.reset_button.setEnabled(bool(self._own))

    def forget_own_days(self) -> None:
        self._own = {}
        self._update()

    def _show_differ(self, on: bool) -> None:
        self.differ_box.setVisible(on)
        if on and not self._loading:
            reveal(self.differ_box)
        if on:
            try:
                self.editor.load(self.week(), day=self.editor.current_day())
            except QuickWeekError:
                self.editor.load(self._generated)
            self._show_own()

    # --- the source ---------------------------------------------------------------------

    def uses_calendar(self) -> bool:
        return self.use_calendar.isChecked()

    def _show_source(self) -> None:
        calendar = self.uses_calendar()
        self.quick.setVisible(not calendar)
        self.calendar_panel.setVisible(calendar)

    def usual_gap(self) -> int:
        """The minutes between two sessions, for the example on the notes screen."""
        if self.uses_calendar():
            return USUAL_GAP
        try:
            self.week()
        except QuickWeekError:
            return USUAL_GAP
        return typical_gap(self.spec())

    # --- the step ----------------------------------------------------------------------------

    def _field_widget(self, name: str) -> QWidget:
        return {
            "days": self.day_chips[0],
            "first": self.first_edit,
            "last": self.last_edit,
            "minutes": self.length,
            "every": self.every,
            "gap": self.gap_start,
        }.get(name, self.use_week)

    def enter(self) -> None:
        (self.use_calendar if self.uses_calendar() else self.use_week).setFocus()

    def ready(self) -> str:
        """ "" when the chosen schedule can be used; else the reason, shown on this screen,
        with the focus on what to change."""
        if self.uses_calendar():
            problem = ""
            if not self.calendars.sources():
                problem = _("Add a calendar file or link first, or choose Skip.")
                self.calendars.url_edit.setFocus()
            else:
                try:
                    self.calendars.rules()
                except SettingsError as exc:
                    problem = str(exc)
                    self.rules_toggle.setChecked(True)
            kit.show_error(self.calendar_error, problem)
            if problem:
                reveal(self.calendar_error)
            return problem
        try:
            self.week()
        except QuickWeekError as exc:
            self._refused(str(exc))
            self._field_widget(exc.field).setFocus()
            reveal(self.error)
            return str(exc)
        return ""

    def changes(self) -> dict[str, Any]:
        if self.uses_calendar():
            return {"schedule_source": "calendar", **self.calendars.values()}
        return {"schedule_source": "week", "week": self.week()}
