"""The practice player: a calm window that walks through one practice.

It shows what `PracticeRun.state()` says (the core decides steps, pauses and the end)
and turns keys and buttons into intents: Space pauses or resumes, Right or Enter moves
on, Esc stops. The flow is:

    [how activated? 0-10, optional] -> the practice -> [how activated now?]
    -> saved -> the glimmer question -> `finished(PracticeRecord)` -> closed

The player writes nothing itself: it hands the practice (and the glimmer) to `save`,
the app's one journal writer. A practice that could not be saved keeps the end page
open with one calm line and Try again; a glimmer that could not be saved keeps its
prompt open with the words in it. "Don't ask me again" goes to the settings' one
owner (`settings_store.update(ratings=False)`).

Nothing here counts ticks. One single-shot timer ("player-tick") is set for the next
moment something on screen changes (the countdown's next second, a step's end, the
two-minute note, the end); while the window is hidden it wakes only for steps and the
end. The pacer has its own frame timer, which runs only while it is visible. The rating
and end pages live in `companion.ui.player_pages`.
"""

from __future__ import annotations

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
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.exercises import BreathingStep, Exercise, SelfPacedStep
from companion.core.pacing import WARN_BEFORE_SECONDS, BreathState, PracticeRun, RunState
from companion.core.records import PracticeRecord
from companion.core.settings import Settings, SettingsError
from companion.i18n import N_, _
from companion.ui import kit, style
from companion.ui.glimmer import GlimmerDialog
from companion.ui.pacer import BreathPacer
from companion.ui.player_pages import ENDED_TEXT, ControlButton, EndPage, RatingPage, format_left

if TYPE_CHECKING:
    from datetime import datetime

    from companion.core.clock import Clock
    from companion.core.records import GlimmerRecord
    from companion.core.writer import Save
    from companion.runtime.settings_store import SettingsStore

log = logging.getLogger("companion.player")

WARN_TEXT = N_("Your next session starts soon. You might let this be enough.")
KEYS_HINT = N_("Space: pause or resume   ·   Right or Enter: next   ·   Esc: stop")


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


class PlayerWindow(QWidget):
    """Plays one practice. See the module docstring for the flow.

    `ends_by` is a monotonic deadline (the next session, less its margin): two minutes
    before it a gentle note appears (if the practice would run into it), and the practice
    ends by it. `clock` paces the practice: a SystemClock in use and a FakeClock in tests
    (drive it with `advance()` and `tick()`); `wall`, when given, dates the records.
    `save` writes a record (`companion.core.writer.Save`); `settings_store`, when given,
    keeps "Don't ask me again" (without one it holds for this window only).
    """

    finished = Signal(object)
    """The player is closing after the practice; carries the PracticeRecord (saved,
    unless the person closed the end page that said it was not)."""
    ended = Signal(object)
    """The practice itself is over (done, stopped or out of time); carries the final
    RunState. The after-rating and the glimmer question may still follow."""
    dismissed = Signal()
    """Closed before the practice began; nothing was saved."""

    def __init__(
        self,
        exercise: Exercise,
        clock: Clock,
        settings: Settings,
        sound: SoundPlayer,
        *,
        save: Save,
        settings_store: SettingsStore | None = None,
        ends_by: float | None = None,
        wall: Clock | None = None,
        parent: QWidget | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("player")
        self.exercise = exercise
        self._clock = clock
        # What the records are dated by: the app's day (in --demo, the demo's compressed
        # clock, so its reflection and Look back show what was just done); `clock` paces.
        self._wall = wall or clock
        self._save = save
        self._store = settings_store
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
        self.record_saved = False
        self.glimmer: GlimmerRecord | None = None
        self.glimmer_dialog: GlimmerDialog | None = None

        self._timer = QTimer(self)
        self._timer.setObjectName("player-tick")
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)

        self.setWindowTitle(_("{title} · Grounding Companion").format(title=exercise.title))
        self.setAccessibleName(_("Practice: {title}").format(title=exercise.title))
        self._build()
        em = self.fontMetrics().height()
        # Room for the pacer, and never less than what every page needs (a longer
        # language or 150 % scaling widens the rating row).
        need = self.minimumSizeHint()
        self.setMinimumSize(max(int(em * 26), need.width()), max(int(em * 22), need.height()))
        self.resize(max(int(em * 36), need.width()), max(int(em * 28), need.height()))

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        em = self.fontMetrics().height()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(int(em * 1.5), int(em * 1.2), int(em * 1.5), int(em * 1.0))
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)

        self.before_page = RatingPage(
            self.exercise.title, _("How activated do you feel right now?"), self.exercise.about
        )
        self.before_page.chosen.connect(self._rated_before)
        self.before_page.skipped.connect(self.start_practice)
        self.before_page.never.connect(self._never_before)
        self.pages.addWidget(self.before_page)

        self.practice_page = self._build_practice_page(em)
        self.pages.addWidget(self.practice_page)

        self.after_page = RatingPage("", _("And now, how activated do you feel?"))
        self.after_page.chosen.connect(self._rated_after)
        self.after_page.skipped.connect(self._after_answered)
        self.after_page.never.connect(self._never_after)
        self.pages.addWidget(self.after_page)

        self.done_page = EndPage()
        self.done_page.retry.connect(self._save_again)
        self.done_page.close_requested.connect(self._finish)
        self.done_label = self.done_page.label
        self.pages.addWidget(self.done_page)

    def _build_practice_page(self, em: int) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(int(em * 0.5))

        self.title_label = kit.heading(self.exercise.title)
        self.title_label.setFont(style.font(1.35, bold=True))
        layout.addWidget(self.title_label)

        info = QHBoxLayout()
        self.step_label = kit.muted(wrap=False)
        self.step_label.setFont(style.font(1.05))
        self.time_label = kit.muted(wrap=False)
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

        # A gentle note in the warm colour (never alarm red).
        self.note_label = QLabel(_(WARN_TEXT))
        self.note_label.setObjectName("gentle")
        self.note_label.setWordWrap(True)
        self.note_label.setFont(style.font(1.05))
        self.note_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.note_label.setAccessibleName(_(WARN_TEXT))
        self.note_label.hide()
        layout.addWidget(self.note_label)

        buttons = QHBoxLayout()
        self.pause_button = self._control(_("Pause"), _("Pause the practice (Space)"))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.next_button = self._control(
            _("Next step"), _("Move on to the next step (Right or Enter)")
        )
        self.next_button.setObjectName("primary")  # the one main action, as kit.primary_button
        self.next_button.clicked.connect(self.next_step)
        self.stop_button = self._control(_("Stop"), _("End the practice now (Esc)"))
        self.stop_button.clicked.connect(self.stop)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        layout.addLayout(buttons)

        hint = kit.hint(_(KEYS_HINT))
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(hint)

        QWidget.setTabOrder(self.pause_button, self.next_button)
        QWidget.setTabOrder(self.next_button, self.stop_button)
        return page

    def _control(self, text: str, description: str) -> QPushButton:
        button = kit.named(ControlButton(text), text, description)
        button.setAutoDefault(False)
        button.setFont(style.font(1.1))
        button.setMinimumHeight(int(self.fontMetrics().height() * 2.2))
        button.setMinimumWidth(int(self.fontMetrics().height() * 6))
        # Clicking must not move the keyboard focus, so Space stays "pause" for mouse users;
        # Tab still reaches every button.
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
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
        self._started_wall = self._wall.now()
        self._sound.play("start")
        self.pacer.set_running(True)
        self.pause_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.tick()

    def toggle_pause(self) -> None:
        if not self._running:
            return
        self.run.toggle_pause()
        paused = self.run.state().paused
        word = _("Resume") if paused else _("Pause")
        self.pause_button.setText(word)
        kit.named(
            self.pause_button,
            word,
            _("Go on with the practice (Space)") if paused else _("Pause the practice (Space)"),
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
            self.step_label.setText(
                _("Step {n} of {count}").format(n=state.step_index + 1, count=state.step_count)
            )
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
                label = _("Finish") if last else _("Next step")
            self.next_button.setText(label)
            self.next_button.setAccessibleName(label)
            self.pacer.refresh()
        self.time_label.setText(format_left(state.remaining_seconds, paused=state.paused))
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
            message = _(ENDED_TEXT["out_of_time"])
        elif self._stopped_by_user:
            message = _(ENDED_TEXT["stopped"])
        else:  # the end, reached (even by skipping through: the journal says which)
            message = _(ENDED_TEXT["completed"])
        self.done_label.setText(message)
        self.ended.emit(state)
        if self._ratings:
            self.after_page.heading.setText(message)
            self.pages.setCurrentWidget(self.after_page)
            self.after_page.buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._after_answered()

    def _after_answered(self) -> None:
        """The after-rating is answered or skipped (or was not asked): save, then ask for
        a glimmer."""
        if self.record is not None:
            return
        self.pages.setCurrentWidget(self.done_page)
        record = self._record_practice()
        dialog = GlimmerDialog(
            self,
            source="after-session",
            rng=self._rng,
            save=self._save,
            clock=self._wall,
            practice_id=record.id,
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(self._glimmer_answered)
        self.glimmer_dialog = dialog
        dialog.open()

    def _record_practice(self) -> PracticeRecord:
        state = self._over if self._over is not None else self.run.state()
        record = PracticeRecord(
            at=self._started_wall or self._wall.now(),
            exercise=self.exercise.id,
            planned_seconds=round(self.exercise.total_seconds),
            actual_seconds=round(state.elapsed_active_seconds),
            completed=state.completed,
            rating_before=self.rating_before,
            rating_after=self.rating_after,
        )
        self.record = record
        self._save_practice()
        return record

    def _save_practice(self) -> None:
        """Hand the practice to the writer; a failure is said on the end page."""
        if self.record is None or self.record_saved:
            return
        saved = self._save(self.record)
        self.record_saved = bool(saved)
        self.done_page.show_failure("" if saved else saved.message)

    @property
    def save_error(self) -> str:
        """The calm line shown when the practice could not be saved ("" when it was)."""
        return self.done_page.error.text() if not self.record_saved else ""

    def _save_again(self) -> None:
        self._save_practice()
        if self.record_saved:
            self._finish()

    def _glimmer_answered(self, _code: int) -> None:
        """The glimmer prompt closed (it saved the glimmer itself, if one was given)."""
        dialog = self.glimmer_dialog
        if dialog is None:
            return
        self.glimmer_dialog = None
        if dialog.record is not None:
            self.glimmer = dialog.record
        dialog.deleteLater()
        if self.record_saved:
            self._finish()
        else:  # the end page keeps saying so, with Try again and Close
            self.done_page.offer_retry()

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
        """ "Don't ask me again": off for this window at once, and for good through the
        settings' one owner when there is one (it tells everyone who listens)."""
        self._ratings = False
        if self._store is None:
            return
        try:
            self._store.update(ratings=False)
        except (SettingsError, OSError) as exc:
            log.warning("could not save the ratings preference: %s", exc)

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
        early and is saved; before it began, nothing is."""
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
