"""The Day tab: working hours, the breaks between sessions, the end of the day and the
week's look back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.settings import Settings
from companion.i18n import N_, _, pgettext
from companion.ui import kit, text
from companion.ui.settings.page import Page, add_row
from companion.ui.settings.week_editor import minutes_suffix


def _qtime(hhmm: str) -> QTime:
    return QTime.fromString(hhmm, "HH:mm")


class DayPage(Page):
    title = N_("&Day")

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(self._hours_box())
        layout.addWidget(self._breaks_box())
        layout.addWidget(self._end_box())
        layout.addWidget(self._week_box())
        layout.addStretch(1)
        self.fields = {
            "working_start": self.working_start,
            "working_end": self.working_end,
            "min_gap_minutes": self.min_gap,
            "grace_minutes": self.grace,
            "wrapup_minutes": self.wrapup,
            "hold_for_calls": self.hold_for_calls,
            "reflection_delay_minutes": self.reflection_delay,
            "reflection_time": self.reflection_time,
            "reflection_on_free_days": self.free_days,
            "weekly_review_day": self.review_day,
            "heavy_limit_percent": self.heavy_limit,
        }
        self.load(settings)

    def _hours_box(self) -> QGroupBox:
        box = QGroupBox(_("Working hours"))
        form = kit.form(box)
        row = QHBoxLayout()
        self.working_start = kit.time_edit("08:00", _("Working hours start"))
        self.working_end = kit.time_edit("18:30", _("Working hours end"))
        start_label = QLabel(_("&From"))
        start_label.setBuddy(self.working_start)
        end_label = QLabel(_("&until"))
        end_label.setBuddy(self.working_end)
        for w in (start_label, self.working_start, end_label, self.working_end):
            row.addWidget(w)
        row.addStretch(1)
        form.addRow(row)
        form.addRow(kit.hint(_("Outside these hours nothing is offered.")))
        return box

    def _breaks_box(self) -> QGroupBox:
        box = QGroupBox(_("Breaks between sessions"))
        form = kit.form(box)
        unit = minutes_suffix()
        self.min_gap = kit.spin("min_gap_minutes", 4, _("Shortest break worth an offer"), unit)
        self.grace = kit.spin("grace_minutes", 0, _("Minutes kept for notes after a session"), unit)
        self.wrapup = kit.spin(
            "wrapup_minutes", 1, _("Minutes kept free before the next session"), unit
        )
        add_row(form, _("Shortest &break worth an offer:"), self.min_gap)
        add_row(form, _("Time for n&otes after a session:"), self.grace)
        add_row(form, _("Time free before the &next session:"), self.wrapup)
        self.hold_for_calls = kit.named(
            QCheckBox(_("Wait while I am on a &call or away from the screen")),
            _("Hold an offer while a call is live or the screen is locked"),
            _(
                "While a microphone, camera or screen share is in use, or the screen is "
                "locked, an offer waits, and comes when that ends if the break still has room"
            ),
        )
        form.addRow(self.hold_for_calls)
        return box

    def _end_box(self) -> QGroupBox:
        box = QGroupBox(_("End of the day"))
        layout = QVBoxLayout(box)
        # The two choices as a form, each radio button the label of its field: side by
        # side when there is room, the field under its choice when a translation is long.
        choices = kit.form()
        self.reflect_after = kit.named(
            QRadioButton(_("Open the reflection &after the last session, plus")),
            _("Reflection after the last session"),
        )
        self.reflection_delay = kit.spin(
            "reflection_delay_minutes", 10, _("Minutes after the last session"), minutes_suffix()
        )
        choices.addRow(self.reflect_after, self.reflection_delay)
        self.reflect_fixed = kit.named(
            QRadioButton(_("Open the reflection at a fi&xed time:")),
            _("Reflection at a fixed time"),
        )
        self.reflection_time = kit.time_edit("17:30", _("Reflection time"))
        choices.addRow(self.reflect_fixed, self.reflection_time)
        layout.addLayout(choices)
        group = QButtonGroup(box)
        group.addButton(self.reflect_after)
        group.addButton(self.reflect_fixed)
        self.reflect_fixed.toggled.connect(self._reflection_mode)
        self.free_days = kit.named(
            QCheckBox(_("Offer the reflection on days &without sessions too")),
            _("Reflection on free days"),
        )
        layout.addWidget(self.free_days)
        return box

    def _week_box(self) -> QGroupBox:
        box = QGroupBox(_("The week"))
        form = kit.form(box)
        self.review_day = kit.named(QComboBox(), _("Weekly review day"))
        self.review_day.addItems([text.weekday_name(d) for d in range(7)])
        self.heavy_limit = kit.spin(
            "heavy_limit_percent",
            50,
            _("Heavy share worth a mention"),
            suffix=pgettext("spin box suffix", " %"),
        )
        add_row(form, _("&Look back at the week on:"), self.review_day)
        add_row(form, _("Mention it when heavy sessions are &more than:"), self.heavy_limit)
        form.addRow(
            kit.hint(_("A share of the week's sessions; the weekly look-back notes it gently."))
        )
        return box

    def _reflection_mode(self, fixed: bool) -> None:
        self.reflection_time.setEnabled(fixed)
        self.reflection_delay.setEnabled(not fixed)

    # ---------------------------------------------------------------------------------

    def load(self, settings: Settings) -> None:
        s = settings
        self.working_start.setTime(_qtime(s.working_start))
        self.working_end.setTime(_qtime(s.working_end))
        self.min_gap.setValue(s.min_gap_minutes)
        self.grace.setValue(s.grace_minutes)
        self.wrapup.setValue(s.wrapup_minutes)
        self.hold_for_calls.setChecked(s.hold_for_calls)
        self.reflection_delay.setValue(s.reflection_delay_minutes)
        self.reflection_time.setTime(_qtime(s.reflection_time or "17:30"))
        (self.reflect_fixed if s.reflection_time else self.reflect_after).setChecked(True)
        self._reflection_mode(bool(s.reflection_time))
        self.free_days.setChecked(s.reflection_on_free_days)
        self.review_day.setCurrentIndex(s.weekly_review_day)
        self.heavy_limit.setValue(s.heavy_limit_percent)

    def changes(self) -> dict[str, Any]:
        fixed = self.reflect_fixed.isChecked()
        return {
            "working_start": kit.hhmm_of(self.working_start),
            "working_end": kit.hhmm_of(self.working_end),
            "min_gap_minutes": self.min_gap.value(),
            "grace_minutes": self.grace.value(),
            "wrapup_minutes": self.wrapup.value(),
            "hold_for_calls": self.hold_for_calls.isChecked(),
            "reflection_delay_minutes": self.reflection_delay.value(),
            "reflection_time": kit.hhmm_of(self.reflection_time) if fixed else "",
            "reflection_on_free_days": self.free_days.isChecked(),
            "weekly_review_day": self.review_day.currentIndex(),
            "heavy_limit_percent": self.heavy_limit.value(),
        }
