"""The practice player: a calm window that walks through one practice.

It shows what `PracticeRun.state()` says (the core decides steps, pauses and the end)
and turns keys and buttons into intents: Space pauses or resumes, Right or Enter moves
on, Esc stops. The flow is:

    [how activated? 0-10, optional] -> the practice -> [how activated now?]
    -> the glimmer question -> journaled -> `finished(PracticeRecord)` -> closed

Nothing here counts ticks. One single-shot timer ("player-tick") is set for the next
moment something on screen changes (the countdown's next second, a step's end, the
two-minute note, the end); while the window is hidden it wakes only for steps and the
end. The pacer has its own frame timer, which runs only while it is visible.
"""

from __future__ import annotations

import itertools
import logging
import math
import random
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.exercises import BreathingStep, Exercise, SelfPacedStep
from companion.core.journal import JournalError
from companion.core.pacing import WARN_BEFORE_SECONDS, BreathState, PracticeRun, RunState
from companion.core.records import PracticeRecord
from companion.core.settings import Settings, SettingsError, load_settings, save_settings
from companion.ui import style
from companion.ui.glimmer import GlimmerDialog, make_glimmer_record
from companion.ui.pacer import BreathPacer

if TYPE_CHECKING:
    from datetime import datetime

    from companion.core.clock import Clock
    from companion.core.journal import Journal
    from companion.core.records import GlimmerRecord

log = logging.getLogger("companion.player")

WARN_TEXT = "Your next session starts soon. You might let this be enough."
KEYS_HINT = "Space: pause or resume   ·   Right or Enter: next   ·   Esc: stop"
ENDED_TEXT = {
    "completed": "That's the end of the practice.",
    "out_of_time": "Time to get ready for your next session.",
    "stopped": "You stopped here. That's completely fine.",
}
THANKS = "Thank you for taking this time for yourself."


class SoundPlayer(Protocol):
    """What the player needs from `companion.runtime.sound.Sound`."""

    def play(self, event: str) -> None: ...


def clock_rate(clock: Clock) -> float:
    """Seconds of `clock` per real second: 1.0, or more for a compressed demo clock
    (one that has a `rate` attribute)."""
    rate = getattr(clock, "rate", 1.0)
    try:
        value = float(rate)
    except (TypeError, ValueError):
        return 1.0
    return value if value > 0 else 1.0


def format_left(seconds: float) -> str:
    whole = max(0, math.ceil(seconds - 1e-6))
    return f"{whole // 60}:{whole % 60:02d} left"


def _muted(label: QLabel, colors: style.Colors) -> QLabel:
    label.setStyleSheet(f"color: {colors.muted.name()};")
    return label


class ControlButton(QPushButton):
    """A practice button that leaves the arrow keys to the window (a push button would
    use them to move the focus), so Right means "next" wherever the focus is."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            event.ignore()
            return
        super().keyPressEvent(event)


class RatingPage(QWidget):
    """ "How activated do you feel?" as one row of 0-10 buttons: one tap answers."""

    chosen = Signal(int)
    skipped = Signal()
    never = Signal()

    def __init__(self, heading: str, question: str, detail: str = "") -> None:
        super().__init__()
        colors = style.palette_colors(self)
        em = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setSpacing(int(em * 0.6))
        layout.addStretch(1)

        self.heading = QLabel(heading)
        self.heading.setFont(style.font(1.5, bold=True))
        self.heading.setWordWrap(True)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.heading)
        self.detail = _muted(QLabel(detail), colors)
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.detail.setVisible(bool(detail))
        layout.addWidget(self.detail)
        layout.addSpacing(em)

        self.question = QLabel(question)
        self.question.setFont(style.font(1.25))
        self.question.setWordWrap(True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.question)

        row = QHBoxLayout()
        row.setSpacing(max(2, int(em * 0.25)))
        self.buttons: list[QPushButton] = []
        for value in range(11):
            button = QPushButton(str(value))
            button.setFont(style.font(1.15))
            button.setMinimumWidth(int(em * 2.0))
            button.setMinimumHeight(int(em * 2.2))
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setAccessibleName(f"{value} out of 10")
            button.setAccessibleDescription("0 is settled, 10 is very activated; one press answers")
            button.clicked.connect(lambda _checked=False, v=value: self.chosen.emit(v))
            row.addWidget(button)
            self.buttons.append(button)
        layout.addLayout(row)

        ends = QHBoxLayout()
        ends.addWidget(_muted(QLabel("0 · settled"), colors))
        ends.addStretch(1)
        ends.addWidget(_muted(QLabel("10 · very activated"), colors))
        layout.addLayout(ends)
        layout.addStretch(2)

        bottom = QHBoxLayout()
        self.never_button = QPushButton("Don't ask me again")
        self.never_button.setAccessibleName("Don't ask me again")
        self.never_button.setAccessibleDescription(
            "Turn these ratings off; you can turn them back on in the settings"
        )
        self.never_button.clicked.connect(self.never.emit)
        self.skip_button = QPushButton("Skip")
        self.skip_button.setAccessibleName("Skip the rating")
        self.skip_button.setAccessibleDescription("Go on without answering")
        self.skip_button.clicked.connect(self.skipped.emit)
        bottom.addWidget(self.never_button)
        bottom.addStretch(1)
        bottom.addWidget(self.skip_button)
        layout.addLayout(bottom)

        order: list[QWidget] = [*self.buttons, self.skip_button, self.never_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)


class PlayerWindow(QWidget):
    """Plays one practice. See the module docstring for the flow.

    `ends_by` is a monotonic deadline (the next session, less its margin): two minutes
    before it a gentle note appears, and the practice ends by it. `clock` is a
    SystemClock in use and a FakeClock in tests (drive it with `advance()` and `tick()`).
    """

    finished = Signal(object)
    """The practice was journaled and the player is closing; carries the PracticeRecord."""
    ended = Signal(object)
    """The practice itself is over (done, stopped or out of time); carries the final
    RunState. The after-rating and the glimmer question may still follow."""
    dismissed = Signal()
    """Closed before the practice began; nothing was journaled."""
    settingsChanged = Signal(object)
    """Settings were saved from here ("Don't ask me again"); carries the new Settings."""

    def __init__(
        self,
        exercise: Exercise,
        clock: Clock,
        journal: Journal,
        settings: Settings,
        sound: SoundPlayer,
        *,
        ends_by: float | None = None,
        parent: QWidget | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("player")
        self.exercise = exercise
        self._clock = clock
        self._journal = journal
        self._settings = settings
        self._sound = sound
        self._ends_by = ends_by
        self._rng = rng
        self._rate = clock_rate(clock)
        self.run = PracticeRun(exercise, clock, ends_by=ends_by)
        self._ratings = settings.ratings
        self.rating_before: int | None = None
        self.rating_after: int | None = None
        self.started_at: float | None = None
        self._started_wall: datetime | None = None
        self._stopped_by_user = False
        self._over: RunState | None = None
        self._shown_step = -1
        self._done = False
        self.record: PracticeRecord | None = None
        self.glimmer: GlimmerRecord | None = None
        self.glimmer_dialog: GlimmerDialog | None = None
        self.journal_error: str | None = None

        self._timer = QTimer(self)
        self._timer.setObjectName("player-tick")
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)

        self.setWindowTitle(f"{exercise.title} · Grounding Companion")
        self.setAccessibleName(f"Practice: {exercise.title}")
        self._build()
        em = self.fontMetrics().height()
        self.resize(int(em * 36), int(em * 28))
        self.setMinimumSize(int(em * 26), int(em * 22))

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        colors = style.palette_colors(self)
        em = self.fontMetrics().height()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(int(em * 1.5), int(em * 1.2), int(em * 1.5), int(em * 1.0))
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)

        self.before_page = RatingPage(
            self.exercise.title, "How activated do you feel right now?", self.exercise.about
        )
        self.before_page.chosen.connect(self._rated_before)
        self.before_page.skipped.connect(self.start_practice)
        self.before_page.never.connect(self._never_before)
        self.pages.addWidget(self.before_page)

        self.practice_page = self._build_practice_page(colors, em)
        self.pages.addWidget(self.practice_page)

        self.after_page = RatingPage("", "And now, how activated do you feel?")
        self.after_page.chosen.connect(self._rated_after)
        self.after_page.skipped.connect(self._after_answered)
        self.after_page.never.connect(self._never_after)
        self.pages.addWidget(self.after_page)

        self.done_page = QWidget()
        done = QVBoxLayout(self.done_page)
        done.addStretch(1)
        self.done_label = QLabel("")
        self.done_label.setFont(style.font(1.5))
        self.done_label.setWordWrap(True)
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        done.addWidget(self.done_label)
        thanks = _muted(QLabel(THANKS), colors)
        thanks.setWordWrap(True)
        thanks.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        done.addWidget(thanks)
        done.addStretch(2)
        self.pages.addWidget(self.done_page)

    def _build_practice_page(self, colors: style.Colors, em: int) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(int(em * 0.5))

        self.title_label = QLabel(self.exercise.title)
        self.title_label.setFont(style.font(1.35, bold=True))
        self.title_label.setWordWrap(True)
        layout.addWidget(self.title_label)

        info = QHBoxLayout()
        self.step_label = _muted(QLabel(""), colors)
        self.step_label.setFont(style.font(1.05))
        self.time_label = _muted(QLabel(""), colors)
        self.time_label.setFont(style.font(1.05))
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        info.addWidget(self.step_label)
        info.addStretch(1)
        info.addWidget(self.time_label)
        layout.addLayout(info)

        self.views = QStackedWidget()
        # Breathing: the step's cue, small, over the pacer.
        breathing = QWidget()
        b_layout = QVBoxLayout(breathing)
        b_layout.setContentsMargins(0, int(em * 0.3), 0, 0)
        self.breath_cue = QLabel("")
        self.breath_cue.setFont(style.font(1.1))
        self.breath_cue.setWordWrap(True)
        self.breath_cue.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        b_layout.addWidget(self.breath_cue)
        self.pacer = BreathPacer(
            self._breath_now, reduced_motion=self._settings.reduced_motion, clock_rate=self._rate
        )
        self.pacer.set_running(False)
        self.pacer.phaseChanged.connect(self._phase_changed)
        b_layout.addWidget(self.pacer, 1)
        self.views.addWidget(breathing)
        self.breathing_view = breathing
        # Guided and self-paced: the cue, large and calm.
        cue_view = QWidget()
        c_layout = QVBoxLayout(cue_view)
        c_layout.addStretch(1)
        self.cue_label = QLabel("")
        self.cue_label.setFont(style.font(1.6))
        self.cue_label.setWordWrap(True)
        self.cue_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cue_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        c_layout.addWidget(self.cue_label)
        c_layout.addStretch(1)
        self.views.addWidget(cue_view)
        self.cue_view = cue_view
        layout.addWidget(self.views, 1)

        self.note_label = QLabel(WARN_TEXT)
        self.note_label.setWordWrap(True)
        self.note_label.setFont(style.font(1.05))
        self.note_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.note_label.setStyleSheet(f"color: {colors.warm.name()};")
        self.note_label.setAccessibleName(WARN_TEXT)
        self.note_label.hide()
        layout.addWidget(self.note_label)

        buttons = QHBoxLayout()
        self.pause_button = self._control("Pause", "Pause the practice (Space)")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.next_button = self._control("Next step", "Move on to the next step (Right or Enter)")
        self.next_button.clicked.connect(self.next_step)
        self.stop_button = self._control("Stop", "End the practice now (Esc)")
        self.stop_button.clicked.connect(self.stop)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        layout.addLayout(buttons)

        hint = _muted(QLabel(KEYS_HINT), colors)
        hint.setFont(style.font(0.9))
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(hint)

        QWidget.setTabOrder(self.pause_button, self.next_button)
        QWidget.setTabOrder(self.next_button, self.stop_button)
        return page

    def _control(self, text: str, description: str) -> QPushButton:
        button = ControlButton(text)
        button.setFont(style.font(1.1))
        button.setMinimumHeight(int(self.fontMetrics().height() * 2.2))
        button.setMinimumWidth(int(self.fontMetrics().height() * 6))
        # Clicking must not move the keyboard focus, so Space stays "pause" for mouse users;
        # Tab still reaches every button.
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setAccessibleName(text)
        button.setAccessibleDescription(description)
        button.setToolTip(description)
        return button

    # --- which page -----------------------------------------------------------------------

    @property
    def page(self) -> str:
        """ "before", "practice", "after" or "done"."""
        current = self.pages.currentWidget()
        names: dict[QWidget, str] = {
            self.before_page: "before",
            self.practice_page: "practice",
            self.after_page: "after",
            self.done_page: "done",
        }
        return names[current] if current is not None else "before"

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.started_at is None and not self._done and not self._ratings:
            self.start_practice()
        elif self.started_at is not None:
            self.tick()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and self.started_at is not None:
            self.pacer.refresh()
            self.tick()

    # --- intents --------------------------------------------------------------------------

    def start_practice(self) -> None:
        """Begin (after the first rating, or at once when ratings are off)."""
        if self.started_at is not None or self._done:
            return
        self.pages.setCurrentWidget(self.practice_page)
        self.run.start()
        self.started_at = self._clock.monotonic()
        self._started_wall = self._clock.now()
        self._sound.play("start")
        self.pacer.set_running(True)
        self.pause_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.tick()

    def toggle_pause(self) -> None:
        if not self._running:
            return
        self.run.toggle_pause()
        paused = self.run.state().paused
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setAccessibleName("Resume" if paused else "Pause")
        self.pause_button.setAccessibleDescription(
            "Go on with the practice (Space)" if paused else "Pause the practice (Space)"
        )
        self.pacer.set_running(not paused)
        self.tick()

    def next_step(self) -> None:
        if not self._running:
            return
        self.run.next_step()
        self.tick()

    def stop(self) -> None:
        if not self._running:
            return
        self._stopped_by_user = True
        self.run.stop()
        self.tick()

    @property
    def _running(self) -> bool:
        return self.started_at is not None and self._over is None and self.page == "practice"

    # --- keeping the screen up to date -----------------------------------------------------

    def _breath_now(self) -> BreathState | None:
        return self.run.state().breath

    def tick(self) -> None:
        """Show the practice as of now and plan the next look. Safe to call any time."""
        self._timer.stop()
        if self.started_at is None or self._over is not None:
            return
        state = self.run.state()
        if state.finished:
            self._practice_over(state)
            return
        self._show(state)
        self._plan(state)

    def _show(self, state: RunState) -> None:
        step = state.step
        if state.step_index != self._shown_step and step is not None:
            self._shown_step = state.step_index
            many = state.step_count > 1
            self.step_label.setText(f"Step {state.step_index + 1} of {state.step_count}")
            self.step_label.setVisible(many)
            if isinstance(step, BreathingStep):
                self.breath_cue.setText(step.cue)
                self.breath_cue.setVisible(bool(step.cue))
                self.views.setCurrentWidget(self.breathing_view)
            else:
                self.cue_label.setText(step.cue)
                self.cue_label.setAccessibleName(step.cue)
                self.views.setCurrentWidget(self.cue_view)
            last = state.step_index + 1 >= state.step_count
            if isinstance(step, SelfPacedStep):
                label = step.next_label
            else:
                label = "Finish" if last else "Next step"
            self.next_button.setText(label)
            self.next_button.setAccessibleName(label)
            self.pacer.refresh()
        left = format_left(state.remaining_seconds)
        self.time_label.setText(f"Paused · {left}" if state.paused else left)
        self.time_label.setAccessibleName(self.time_label.text())
        if state.warn_time and not self.note_label.isVisible():
            self.note_label.show()

    def _plan(self, state: RunState) -> None:
        now = self._clock.monotonic()
        waits: list[float] = []
        if not state.paused:
            waits.append(state.step_remaining)
        if self._ends_by is not None:
            if not state.warn_time:
                waits.append(self._ends_by - WARN_BEFORE_SECONDS - now)
            waits.append(self._ends_by - now)
        on_screen = self.isVisible() and not self.isMinimized()
        if on_screen and (not state.paused or self._ends_by is not None):
            # The countdown shows whole seconds, rounded up: it changes as each one passes.
            fraction = state.remaining_seconds - math.floor(state.remaining_seconds)
            waits.append(fraction if fraction > 1e-6 else 1.0)
        if not waits:
            return
        wait = max(0.0, min(waits))
        self._timer.start(math.ceil(wait / self._rate * 1000.0) + 1)

    def _phase_changed(self, _word: str) -> None:
        self._sound.play("tick")  # Sound plays it only when phase ticks are on

    # --- the end --------------------------------------------------------------------------

    def _practice_over(self, state: RunState) -> None:
        self._over = state
        self._timer.stop()
        self.pacer.set_running(False)
        if not self._stopped_by_user:
            self._sound.play("end")
        if state.out_of_time:
            message = ENDED_TEXT["out_of_time"]
        elif self._stopped_by_user:
            message = ENDED_TEXT["stopped"]
        else:  # the end, reached (even by skipping through: the journal says which)
            message = ENDED_TEXT["completed"]
        self.done_label.setText(message)
        self.ended.emit(state)
        if self._ratings:
            self.after_page.heading.setText(message)
            self.pages.setCurrentWidget(self.after_page)
            self.after_page.buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._after_answered()

    def _after_answered(self) -> None:
        """The after-rating is answered or skipped (or was not asked): journal, then ask for
        a glimmer."""
        if self.record is not None:
            return
        self.pages.setCurrentWidget(self.done_page)
        self._record_practice()
        dialog = GlimmerDialog(self, source="after-session", rng=self._rng)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(self._glimmer_answered)
        self.glimmer_dialog = dialog
        dialog.open()

    def _record_practice(self) -> PracticeRecord:
        state = self._over if self._over is not None else self.run.state()
        record = PracticeRecord(
            at=self._started_wall or self._clock.now(),
            exercise=self.exercise.id,
            planned_seconds=round(self.exercise.total_seconds),
            actual_seconds=round(state.elapsed_active_seconds),
            completed=state.completed,
            rating_before=self.rating_before,
            rating_after=self.rating_after,
        )
        self.record = record
        self._journal_add(record)
        return record

    def _glimmer_answered(self, _code: int) -> None:
        dialog = self.glimmer_dialog
        if dialog is None:
            return
        self.glimmer_dialog = None
        practice_id = self.record.id if self.record is not None else None
        glimmer = make_glimmer_record(dialog, self._clock, practice_id)
        dialog.deleteLater()
        if glimmer is not None:
            self.glimmer = glimmer
            self._journal_add(glimmer)
        self._finish()

    def _journal_add(self, record: PracticeRecord | GlimmerRecord) -> None:
        try:
            self._journal.add(record)
        except (JournalError, OSError) as exc:
            self.journal_error = str(exc)
            log.warning("could not save the %s to the journal: %s", record.kind, exc)

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        self._timer.stop()
        self.finished.emit(self.record)
        self.close()

    # --- ratings ---------------------------------------------------------------------------

    def _rated_before(self, value: int) -> None:
        self.rating_before = value
        self.start_practice()

    def _rated_after(self, value: int) -> None:
        self.rating_after = value
        self._after_answered()

    def _never_before(self) -> None:
        self._ratings_off()
        self.start_practice()

    def _never_after(self) -> None:
        self._ratings_off()
        self._after_answered()

    def _ratings_off(self) -> None:
        """Remember "don't ask me again" in the settings file (read fresh, so nothing
        else the user changed meanwhile is lost)."""
        self._ratings = False
        path = self._journal.paths.settings
        try:
            current = load_settings(path)
        except SettingsError:
            current = self._settings
        try:
            new = current.with_changes(ratings=False)
            save_settings(path, new)
        except (SettingsError, OSError) as exc:
            log.warning("could not save the ratings preference: %s", exc)
            return
        self._settings = new
        self.settingsChanged.emit(new)

    # --- keys and closing ------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys the focused button did not take. Space on a focused button presses it
        (as everywhere); the practice buttons never take focus from a click, so for
        mouse users Space always pauses."""
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        page = self.page
        if page == "practice":
            if key == Qt.Key.Key_Space:
                self.toggle_pause()
            elif key == Qt.Key.Key_Right or enter:
                self.next_step()
            elif key == Qt.Key.Key_Escape:
                self.stop()
            else:
                super().keyPressEvent(event)
                return
        elif page in ("before", "after") and enter:
            focused = self.focusWidget()
            if isinstance(focused, QAbstractButton):
                focused.click()
        elif page == "before" and key == Qt.Key.Key_Escape:
            self.close()
        elif page == "after" and key == Qt.Key.Key_Escape:
            self._after_answered()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window is always allowed: a practice under way counts as stopped
        early and is journaled; before it began, nothing is."""
        self._timer.stop()
        self.pacer.timer.stop()
        if not self._done:
            self._done = True
            if self.started_at is None:
                self.dismissed.emit()
            else:
                if self._over is None:
                    self._stopped_by_user = True
                    self.run.stop()
                    self._over = self.run.state()
                if self.record is None:
                    self._record_practice()
                dialog, self.glimmer_dialog = self.glimmer_dialog, None
                if dialog is not None:
                    dialog.finished.disconnect(self._glimmer_answered)
                    dialog.reject()
                    dialog.deleteLater()
                self.finished.emit(self.record)
        super().closeEvent(event)
