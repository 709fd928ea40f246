"""The welcome window: what will happen, then one screen each for when you see clients,
time for notes, start at login and a sound check, and the coming day.

Shown on a first start (while `schedule_confirmed` is False) and later from the tray as
"How it works". Every screen but the first and last can be skipped; nothing is written
until Done, and then all at once through the settings store (`store.update`), with
`schedule_confirmed=True` when a schedule was chosen. Closing the window, or skipping the
schedule, confirms nothing: the app keeps offering nothing rather than guess.

    window = WelcomeWindow(store, paths, library, clock=clock, sound=sound)
    window.finished.connect(on_finished)   # on_finished(confirmed: bool)

Keyboard: Tab moves through a screen and then to Skip, Back and Next; Enter is Next (or
presses the focused button); Escape closes. Each screen's fields have mnemonics.

Hooks a test (or another platform) can replace: `read_calendar_days(specs, rules,
first_day, days)` (reads the calendar for the coming day, in a worker).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.calendar import secrets as secrets_module
from companion.core.calendar.errors import CalendarError
from companion.core.calendar.session import Session
from companion.core.calendar.sources import sessions_from_specs
from companion.core.calendar.warm import warm_up
from companion.core.calendar.week import week_sessions
from companion.core.clock import Clock
from companion.core.exercises import Exercise
from companion.core.paths import Paths
from companion.core.planner import plan_day
from companion.core.quick_week import coming_day
from companion.core.settings import Settings, SettingsError
from companion.i18n import APP_NAME, _
from companion.runtime import autostart as autostart_module
from companion.runtime.settings_store import SettingsStore
from companion.runtime.tasks import Outcome, first_line, run_in_background
from companion.ui import kit, style
from companion.ui.welcome.schedule import ScheduleStep
from companion.ui.welcome.steps import (
    ComingDayStep,
    IntroStep,
    LoginStep,
    NotesStep,
    SoundStep,
    Step,
)

#: How many days ahead the coming day is looked for.
HORIZON_DAYS = 8

ReadCalendarDays = Callable[[list[str], Settings, date, int], "list[Session] | str"]


def read_calendar_days(
    specs: list[str], rules: Settings, first_day: date, days: int
) -> list[Session] | str:
    """The sessions of the local days [first_day, +days) from paths or links, read with
    `rules`; one line when a calendar cannot be read. Runs in a worker."""
    try:
        return sessions_from_specs(specs, rules, first_day, days)
    except CalendarError as exc:
        return str(exc)


class WelcomeWindow(QWidget):
    """See the module docstring. `finished(True)` after Done confirmed a schedule;
    `finished(False)` when the window closed without (or Done with the schedule skipped)."""

    finished = Signal(bool)

    def __init__(
        self,
        store: SettingsStore,
        paths: Paths,
        library: Iterable[Exercise] | None,
        *,
        clock: Clock,
        sound: Any = None,
        autostart: Any = None,
        secrets: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if parent is not None:
            self.setWindowFlag(Qt.WindowType.Window)
        self._store = store
        self._clock = clock
        self._library = list(library or ())
        self._titles = {ex.id: ex.title for ex in self._library}
        self._autostart: Any = autostart if autostart is not None else autostart_module
        if sound is None:
            from companion.runtime.sound import Sound

            sound = Sound(store.settings.sound)
        self._sound: Any = sound
        self._reported = False
        self._read_token = 0
        self.read_calendar_days: ReadCalendarDays = read_calendar_days

        settings = store.settings
        first_run = not settings.schedule_confirmed
        title = _("Welcome · {app}") if first_run else _("How it works · {app}")
        self.setWindowTitle(title.format(app=_(APP_NAME)))
        self.setAccessibleName(_("Welcome") if first_run else _("How it works"))

        from companion.runtime.sound import install_hint

        self.intro = IntroStep(first_run=first_run)
        self.schedule = ScheduleStep(
            settings,
            paths,
            clock=clock,
            secrets=secrets if secrets is not None else secrets_module,
        )
        self.notes = NotesStep(settings)
        self.login = LoginStep(settings, self._autostart)
        self.sound_check = SoundStep(settings, self._sound, install_hint())
        self.coming = ComingDayStep()
        self.steps: tuple[Step, ...] = (
            self.intro,
            self.schedule,
            self.notes,
            self.login,
            self.sound_check,
            self.coming,
        )
        self.skipped: set[Step] = set()

        layout = QVBoxLayout(self)
        em = self.fontMetrics().height()
        self.progress = kit.muted()
        self.progress.setAccessibleName(_("Step"))
        self.progress.setIndent(round(em * 1.2))  # in line with the screen's heading
        layout.addWidget(self.progress)
        self.stack = QStackedWidget()
        for step in self.steps:
            self.stack.addWidget(kit.scrolling(step))
        layout.addWidget(self.stack, 1)
        self.error = kit.error_line(_("Why it could not be finished"))
        layout.addWidget(self.error)

        nav = QHBoxLayout()
        self.skip_button = kit.link_button(_("S&kip"), _("Skip"))
        self.skip_button.clicked.connect(self.skip)
        self.back_button = kit.button(_("&Back"), _("Back"), _("The screen before"))
        self.back_button.clicked.connect(self.back)
        self.next_button = kit.primary_button(_("Next"), _("Next"))
        self.next_button.clicked.connect(self.next)
        nav.addWidget(self.skip_button)
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        layout.addLayout(nav)

        fm = self.fontMetrics()
        style.fit_to_screen(self, fm.averageCharWidth() * 96, fm.height() * 36)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.go(0)

    # --- moving between screens ---------------------------------------------------------------

    def index(self) -> int:
        return self.stack.currentIndex()

    def current(self) -> Step:
        return self.steps[self.index()]

    def go(self, index: int) -> None:
        index = max(0, min(index, len(self.steps) - 1))
        self.stack.setCurrentIndex(index)
        step = self.steps[index]
        kit.show_error(self.error, "")
        last = index == len(self.steps) - 1
        if index == 0:
            self.progress.hide()
            self._name(self.skip_button, _("Not now"), _("&Not now"), _("Close; ask again later"))
        else:
            self.progress.setText(
                _("Step {n} of {total}").format(n=index, total=len(self.steps) - 1)
            )
            self.progress.show()
            self._name(self.skip_button, _("Skip"), _("S&kip"), _("Leave this as it is for now"))
        self.skip_button.setVisible(index == 0 or step.skippable)
        self.back_button.setVisible(index > 0)
        if last:
            self._name(self.next_button, _("Done"), _("Done"), _("Save these choices and close"))
        else:
            self._name(self.next_button, _("Next"), _("Next"), _("The next screen"))
        if step is self.notes:
            self.notes.set_gap(self.schedule.usual_gap())
        if step is self.coming:
            self.plan_coming_day()
        step.enter()
        if index == 0:
            self.next_button.setFocus()

    @staticmethod
    def _name(button: QPushButton, name: str, label: str, description: str) -> None:
        button.setText(label)
        button.setAccessibleName(name)
        button.setAccessibleDescription(description)
        button.setToolTip(description)

    def next(self) -> None:
        """Next (or Done on the last screen), if this screen's choice can be used."""
        step = self.current()
        if step.ready():
            return  # the step says why, where it is
        self.skipped.discard(step)
        if self.index() == len(self.steps) - 1:
            self.done()
        else:
            self.go(self.index() + 1)

    def skip(self) -> None:
        """Not now (the first screen: close), or go on leaving this screen's setting alone."""
        if self.index() == 0:
            self.close()
            return
        self.skipped.add(self.current())
        self.go(self.index() + 1)

    def back(self) -> None:
        self.go(self.index() - 1)

    # --- the coming day ---------------------------------------------------------------------------

    def _choices(self) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for step in self.steps:
            if step not in self.skipped:
                changes.update(step.changes())
        return changes

    def plan_coming_day(self) -> None:
        """Show the next day with sessions under the schedule chosen, with its breaks."""
        step = self.coming
        if self.schedule in self.skipped:
            step.show_message(
                _(
                    "Your week is not set up yet, so no practice will be offered. You can set "
                    "it up any time from the tray menu: How it works, or Settings."
                )
            )
            return
        try:
            settings = self._store.settings.with_changes(**self._choices())
        except SettingsError as exc:
            step.show_message(str(exc))
            return
        now = self._clock.now()
        if not self.schedule.uses_calendar():
            self._show_day(week_sessions(settings, now.date(), HORIZON_DAYS), settings, now)
            return
        calendars = self.schedule.calendars
        resolvers = [calendars.spec_resolver(source) for source in calendars.sources()]
        read, today = self.read_calendar_days, now.date()
        could_not = _("Your calendar could not be read just now: {reason}")
        the_link = _("the link")

        def task() -> list[Session] | str:
            specs: list[str] = []
            try:
                specs = [resolve() for resolve in resolvers]
                return read(specs, settings, today, HORIZON_DAYS)
            except Exception as exc:  # one line on the screen, never a traceback or a link
                reason = first_line(exc)
                for spec in specs:
                    reason = reason.replace(spec, the_link)
                return could_not.format(reason=reason)

        self._read_token += 1
        token = self._read_token
        step.show_message(_("Reading your calendar…"))
        run_in_background(
            task,
            lambda outcome: self._calendar_read(token, outcome, settings, now),
            context=self,
            prepare=warm_up,
            name="welcome-calendar",
        )

    def _calendar_read(
        self, token: int, outcome: Outcome[list[Session] | str], settings: Settings, now: datetime
    ) -> None:
        if token != self._read_token:
            return
        try:
            found = outcome.result()
        except Exception as exc:  # the task catches everything; belt and braces
            found = first_line(exc)
        if isinstance(found, str):
            self.coming.show_message(found)
            return
        self._show_day(found, settings, now)

    def _show_day(self, sessions: list[Session], settings: Settings, now: datetime) -> None:
        day = coming_day(sessions, now)
        if day is None:
            self.coming.show_message(
                _("No session in the coming week, so no practice is planned yet.")
            )
            return
        plan = plan_day(sessions, settings, day, self._library)
        self.coming.show_plan(plan, self._titles)

    # --- done ---------------------------------------------------------------------------

    def done(self) -> bool:
        """Save everything chosen in one `store.update`; `finished(confirmed)`; close."""
        changes = self._choices()
        confirmed = self.schedule not in self.skipped
        if confirmed:
            changes["schedule_confirmed"] = True
        try:
            self._store.settings.with_changes(**changes)
        except SettingsError as exc:
            self._refuse(str(exc))
            return False
        calendars = self.schedule.calendars
        if confirmed and self.schedule.uses_calendar():
            try:
                calendars.store_links(self._store.settings.calendars)
            except Exception as exc:  # keyring back ends raise their own types
                self._refuse(
                    _("The calendar link could not be kept in the keyring ({reason}).").format(
                        reason=first_line(exc)
                    )
                )
                return False
        if self.login not in self.skipped:
            try:
                self.login.apply(autostart_module.default_command())
            except OSError as exc:
                self._refuse(
                    _(
                        "Start at login could not be changed ({reason}). Go back and untick "
                        "it, or try again."
                    ).format(reason=exc.strerror or exc)
                )
                return False
        try:
            if changes:
                self._store.update(**changes)
        except SettingsError as exc:
            self._refuse(str(exc))
            return False
        except OSError as exc:
            self._refuse(
                _("{path}: could not be written ({reason})").format(
                    path=self._store.path, reason=exc.strerror or exc
                )
            )
            return False
        calendars.forget_pending()
        self._report(confirmed)
        self.close()
        return True

    def _refuse(self, message: str) -> None:
        kit.show_error(self.error, _("Not saved. {reason}").format(reason=message))

    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    def _report(self, confirmed: bool) -> None:
        if not self._reported:
            self._reported = True
            self.finished.emit(confirmed)

    # --- keys and closing -----------------------------------------------------------------------

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A mnemonic may move the focus below the fold: scroll the screen to it (Tab
        does this by itself; a jump by Alt+letter does not)."""
        if new is None or not shiboken6.isValid(self):
            return
        area = self.stack.currentWidget()
        if isinstance(area, QScrollArea) and area.isAncestorOf(new):
            area.ensureWidgetVisible(new)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter: the focused button, else Next. Escape: close. (Fields that use Enter
        themselves, such as the calendar link, keep it.)"""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = QApplication.focusWidget()
            if (
                isinstance(focus, QPushButton)
                and focus is not self.next_button
                and focus.isEnabled()
                and self.isAncestorOf(focus)
            ):
                focus.click()
            elif self.next_button.isEnabled():
                self.next_button.click()
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            event.accept()
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.sound_check.changed_level:
            # The chime was played here with sounds muted: back to what the settings say.
            set_level = getattr(self._sound, "set_level", None)
            if set_level is not None:
                set_level(self._store.settings.sound)
            self.sound_check.changed_level = False
        self._report(False)
        super().closeEvent(event)
