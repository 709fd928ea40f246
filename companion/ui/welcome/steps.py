"""The welcome window's screens but the schedule: what will happen, time for notes, start
at login, the sound check, and the coming day.

Each is a `Step`: a heading and a few controls. The window asks it

    step.enter()      it is being shown: put the focus on its first control
    step.ready()      "" when Next may go on, else one line saying why not
    step.changes()    {settings field: value} it stands for (only if not skipped)

and never looks at its widgets. Steps decide nothing about the day: the coming day is
planned by `companion.core.planner`, the time left for a practice by
`companion.core.quick_week.practice_minutes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from companion.core.planner import DayPlan
from companion.core.quick_week import practice_minutes
from companion.core.settings import Settings
from companion.i18n import APP_NAME, _, ngettext
from companion.ui import kit, text
from companion.ui.plan_dialog import span, summary_line
from companion.ui.settings.page import add_row
from companion.ui.settings.week_editor import minutes_suffix

#: The time for notes offered on a first start (the settings' own default is 0).
FIRST_GRACE_MINUTES = 5


class Step(QWidget):
    """One screen: a heading, then whatever the subclass adds to `self.body`."""

    skippable = True

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        em = self.fontMetrics().height()
        layout.setContentsMargins(round(em * 1.2), round(em * 0.6), round(em * 1.2), em)
        layout.setSpacing(round(em * 0.7))
        self.heading = kit.heading(title)
        self.heading.setAccessibleName(title)
        layout.addWidget(self.heading)
        self.body = layout
        self.first: QWidget | None = None  # what takes the focus when the step is shown

    def finish_layout(self) -> None:
        self.body.addStretch(1)

    def enter(self) -> None:
        if self.first is not None:
            self.first.setFocus(Qt.FocusReason.TabFocusReason)

    def ready(self) -> str:
        return ""

    def changes(self) -> dict[str, Any]:
        return {}


def reveal(widget: QWidget) -> None:
    """Scroll the screen that holds `widget` so it can be seen (once laid out)."""

    def scroll() -> None:
        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None and widget.isVisible():
            parent.ensureWidgetVisible(widget, 0, 0)

    QTimer.singleShot(0, widget, scroll)


def _paragraph(words: str) -> QLabel:
    label = QLabel(words)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


# --- what will happen --------------------------------------------------------------------------


class IntroStep(Step):
    skippable = False
    about_words_requested = Signal()  # "About these words…"

    def __init__(self, *, first_run: bool, parent: QWidget | None = None) -> None:
        title = (_("Welcome to {app}") if first_run else _("How {app} works")).format(
            app=_(APP_NAME)
        )
        super().__init__(title, parent)
        self.body.addWidget(
            _paragraph(
                _(
                    "When a session ends, a short practice sized to the time before your next "
                    "one is offered; never during a session. Everything stays on this computer."
                )
            )
        )
        self.body.addWidget(
            kit.hint(
                _(
                    "The next screens ask when you see clients and a few small things. Each "
                    "can be skipped, and everything can be changed later in Settings."
                )
            )
        )
        if first_run:
            note = kit.note_card()
            note_layout = QVBoxLayout(note)
            note_layout.addWidget(
                _paragraph(_("Until you say when you see clients, no practice is offered."))
            )
            self.body.addWidget(note)
        self.about_words = kit.link_button(
            _("About these &words…"),
            _("About these words"),
            _("Secondary trauma, vicarious trauma, burnout and more, in a few lines each"),
        )
        self.about_words.clicked.connect(self.about_words_requested)
        self.body.addWidget(self.about_words, 0, Qt.AlignmentFlag.AlignLeft)
        self.finish_layout()


# --- time for notes ------------------------------------------------------------------------------


class NotesStep(Step):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(_("Time for notes after a session"), parent)
        self._settings = settings
        self._gap = 10
        self.body.addWidget(
            _paragraph(
                _(
                    "After each session this much time is left for your notes. Then a practice "
                    "is offered, sized to what is left before the next session."
                )
            )
        )
        form = kit.form()
        start = settings.grace_minutes if settings.schedule_confirmed else FIRST_GRACE_MINUTES
        self.grace = kit.spin(
            "grace_minutes", start, _("Minutes for notes after a session"), minutes_suffix()
        )
        add_row(form, _("&Notes after each session:"), self.grace)
        self.body.addLayout(form)
        self.effect = kit.muted()
        self.effect.setAccessibleName(_("What this leaves for a practice"))
        self.body.addWidget(self.effect)
        self.grace.valueChanged.connect(lambda _v: self._show_effect())
        self.first = self.grace
        self.finish_layout()
        self._show_effect()

    def set_gap(self, minutes: int) -> None:
        """The usual gap between two sessions of the chosen schedule (for the example)."""
        self._gap = max(minutes, 0)
        self._show_effect()

    def _show_effect(self) -> None:
        settings = self._settings.with_changes(grace_minutes=self.grace.value())
        left = practice_minutes(self._gap, settings)
        if self._gap <= 0:
            line = _("Your sessions follow each other without a gap; longer gaps get a practice.")
        elif left:
            line = ngettext(
                "With {gap} min between sessions, a practice of up to {n} min is offered "
                "after your notes.",
                "With {gap} min between sessions, a practice of up to {n} min is offered "
                "after your notes.",
                left,
            ).format(gap=self._gap, n=left)
        else:
            line = ngettext(
                "With {gap} min between sessions, notes take the whole gap; longer gaps "
                "still get a practice.",
                "With {gap} min between sessions, notes take the whole gap; longer gaps "
                "still get a practice.",
                self._gap,
            ).format(gap=self._gap)
        self.effect.setText(line)

    def changes(self) -> dict[str, Any]:
        return {"grace_minutes": self.grace.value()}


# --- start when I log in -----------------------------------------------------------------------


class LoginStep(Step):
    def __init__(self, settings: Settings, autostart: Any, parent: QWidget | None = None) -> None:
        super().__init__(_("Start when you log in"), parent)
        self._autostart = autostart
        try:
            self.was = bool(autostart.is_enabled())
        except OSError:
            self.was = settings.start_at_login
        self.start_at_login = kit.named(
            QCheckBox(_("Start {app} when I &log in").format(app=_(APP_NAME))),
            _("Start at login"),
        )
        # On a first start the person sees it checked and may uncheck it; later the box
        # shows what the desktop has.
        self.start_at_login.setChecked(True if not settings.schedule_confirmed else self.was)
        self.body.addWidget(self.start_at_login)
        self.body.addWidget(
            kit.hint(
                _(
                    "It waits quietly in the tray and offers a practice only between "
                    "sessions, so tomorrow is covered too."
                )
            )
        )
        self.first = self.start_at_login
        self.finish_layout()

    def changes(self) -> dict[str, Any]:
        return {"start_at_login": self.start_at_login.isChecked()}

    def apply(self, command: list[str]) -> None:
        """Add or remove the login entry when the choice differs from what the desktop
        has; raises OSError (as the settings window's System page does)."""
        on = self.start_at_login.isChecked()
        if on == self.was:
            return
        if on:
            self._autostart.enable(command)
        else:
            self._autostart.disable()
        self.was = on


# --- the sound check ---------------------------------------------------------------------------


class SoundStep(Step):
    """Plays the start chime. With no audio player it says what to install (the words of
    `companion doctor`) and offers to carry on silently; with sounds muted in Settings it
    says so, and playing the chime here does not unmute them."""

    def __init__(
        self, settings: Settings, sound: Any, install_hint: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Sound check"), parent)
        self._settings = settings
        self._sound = sound
        self.changed_level = False  # the chime was played here with sounds muted
        self.body.addWidget(
            _paragraph(
                _(
                    "A practice begins with a soft chime, and breathing has gentle sounds. "
                    "Play the chime to check that you can hear it."
                )
            )
        )
        row = QHBoxLayout()
        self.play_button = kit.button(
            _("&Play the chime"), _("Play the chime"), _("Plays the sound a practice starts with")
        )
        self.play_button.clicked.connect(self.play)
        row.addWidget(self.play_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.result = kit.muted()
        self.result.setAccessibleName(_("Sound check result"))
        self.result.hide()
        self.body.addWidget(self.result)

        self.no_player = kit.note_card()
        missing = QVBoxLayout(self.no_player)
        missing.addWidget(
            _paragraph(_("No audio player was found, so practices would be silent. To hear them:"))
        )
        self.install = QLabel(install_hint)
        self.install.setWordWrap(True)
        self.install.setTextFormat(Qt.TextFormat.PlainText)
        self.install.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.install.setAccessibleName(_("What to install"))
        missing.addWidget(self.install)
        self.body.addWidget(self.no_player)

        self.silent = kit.named(
            QCheckBox(_("Carry on &silently")),
            _("Carry on silently"),
            _("Practices without sounds; you can turn them on again in Settings"),
        )
        self.silent.setChecked(_is_silent(settings))
        self._changed_guidance = False  # the chime was played here with guidance silent
        self.body.addWidget(self.silent)
        self.muted_note = kit.hint(
            _("Sounds are off in your settings. Untick “Carry on silently” to turn them on.")
        )
        self.body.addWidget(self.muted_note)
        self.first = self.play_button
        self.finish_layout()
        self._show_state()

    def _available(self) -> bool:
        try:
            return bool(self._sound.available())
        except Exception:  # a broken back end is a missing player, never a crash
            return False

    def _show_state(self) -> None:
        missing = not self._available()
        muted = _is_silent(self._settings)
        self.no_player.setVisible(missing)
        self.silent.setVisible(missing or muted)
        self.muted_note.setVisible(muted and not missing)

    def play(self) -> None:
        if getattr(self._sound, "level", "normal") == "mute":
            self._sound.set_level("normal")  # for this check; put back when the window closes
            self.changed_level = True
        if getattr(self._sound, "guidance", "voice") == "silent":
            self._sound.set_guidance("tones")  # for this check; put back when the step goes
            self._changed_guidance = True
        if self._available():
            self._sound.play("start")
            self.result.setText(_("Did you hear it? If not, check the volume of this computer."))
        else:
            self.result.setText(_("No sound could be played."))
        self.result.show()
        self._show_state()

    def hideEvent(self, event: Any) -> None:
        if self._changed_guidance:  # back to what the settings say
            self._changed_guidance = False
            self._sound.set_guidance(self._settings.guidance)
        super().hideEvent(event)

    def changes(self) -> dict[str, Any]:
        if self.silent.isHidden():  # not offered: sounds stay as they are
            return {}
        silent = _is_silent(self._settings)
        if self.silent.isChecked() and not silent:
            return {"guidance": "silent"}
        if not self.silent.isChecked() and silent:
            loud = {"sound": "normal"} if self._settings.sound == "mute" else {}
            return {"guidance": "voice", **loud}
        return {}


def _is_silent(settings: Settings) -> bool:
    """Practices without sound: guidance "silent" (or the older "mute" level)."""
    return settings.guidance == "silent" or settings.sound == "mute"


# --- the coming day ----------------------------------------------------------------------------


class ComingDayStep(Step):
    """The sessions and planned breaks of the next working day, times only."""

    skippable = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Your coming day"), parent)
        self.day = kit.heading(level=2)
        self.day.setAccessibleName(_("Day"))
        self.body.addWidget(self.day)
        self.summary = kit.muted()
        self.summary.setAccessibleName(_("Summary"))
        self.body.addWidget(self.summary)
        self.card = kit.card()
        self.rows = QGridLayout(self.card)
        em = self.fontMetrics().height()
        self.rows.setContentsMargins(em, round(em * 0.7), em, round(em * 0.7))
        self.rows.setHorizontalSpacing(round(em * 1.2))
        self.rows.setVerticalSpacing(round(em * 0.35))
        self.rows.setColumnStretch(1, 1)
        self.body.addWidget(self.card)
        self.message = _paragraph("")
        self.message.setAccessibleName(_("About your coming day"))
        self.body.addWidget(self.message)
        self.body.addWidget(
            kit.hint(
                _(
                    "A practice is offered when a session ends, after your notes. Nothing "
                    "appears during a session. All of this can be changed in Settings."
                )
            )
        )
        self.lines: list[str] = []  # what the rows say, "time  what" (for tests and readers)
        self.finish_layout()
        self.show_message(_("Reading your schedule…"))

    def _clear(self) -> None:
        self.lines = []
        while (item := self.rows.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()

    def show_message(self, words: str) -> None:
        """Nothing to list: say why (no schedule yet, a calendar that could not be read)."""
        self._clear()
        self.day.hide()
        self.summary.hide()
        self.card.hide()
        self.message.setText(words)
        self.message.show()

    def show_plan(self, plan: DayPlan, titles: Mapping[str, str]) -> None:
        self._clear()
        self.day.setText(text.day_heading(plan.date))
        self.summary.setText(summary_line(plan))
        entries: list[tuple[Any, int, str, str, str]] = []
        for s in plan.sessions:
            what = _("Session · heavy") if s.heavy else _("Session")
            entries.append((s.start, 0, span(s.start, s.end), what, "muted"))
        for b in plan.breaks:
            what = ngettext("Break, {n} min", "Break, {n} min", b.minutes).format(n=b.minutes)
            title = titles.get(b.exercise or "", "") if b.exercise else ""
            if title:
                what = _("{what} · {practice}").format(what=what, practice=title)
            entries.append((b.start, 1, span(b.start, b.end), what, "value"))
        if plan.reflection_at is not None:
            entries.append(
                (plan.reflection_at, 2, text.hm(plan.reflection_at), _("End-of-day reflection"), "")
            )
        entries.sort(key=lambda e: (e[0], e[1]))
        for row, (_when, _order, when, what, kind) in enumerate(entries):
            time_label = QLabel(when)
            time_label.setObjectName("muted")
            what_label = QLabel(what)
            what_label.setWordWrap(True)
            if kind == "value":
                what_label.setObjectName("value")
            self.rows.addWidget(time_label, row, 0, Qt.AlignmentFlag.AlignTop)
            self.rows.addWidget(what_label, row, 1)
            self.lines.append(f"{time_label.text()}  {what_label.text()}")  # as shown
        self.day.show()
        self.summary.show()
        self.card.setVisible(bool(entries))
        self.message.hide()
