"""The practice player: a calm window that walks through one practice, on screen and
aloud.

It shows what `PracticeRun.state()` says (the core decides steps, pauses and the end)
and turns keys and buttons into intents: Space pauses or resumes (wherever the focus
is: a focused Stop never takes Space), Right moves on (Enter presses the focused button,
and on the first screen begins at once), Esc stops. The flow:

    first screen (title, caution, the optional one-tap check-in) -> LEAD_IN_S later
    the practice starts by itself -> the end screen (how long, the optional after
    check-in, the glimmer question after a session) -> saved -> closed

Aloud (through `Sound`, see tests/fake_sound.py for the contract): "start" when the
practice begins; at every step's start `hush()` then `cue(step.cue)` (the voice, or the
soft step chime); at every breath phase's start "inhale", "exhale" or "hold"; "end"
when it ran its course. Pausing hushes the voice: playsound3 cannot pause a file, so the
voice stops on pause and speaks again at the next step's cue (a half sentence resumed
mid-word would be worse than silence). Stop, closing, and the end hush it; after Stop
nothing more is heard.

The player writes nothing itself: it hands the practice (and a glimmer) to `save`, the
app's one journal writer, when the end screen closes. One single-shot timer
("player-tick") is set for the next moment something changes (the lead-in's end, the
countdown's next second, a breath phase, a step's end, the two-minute note, the end).
"""

from __future__ import annotations

import logging
import math
import random
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.exercises import BreathingStep, Exercise, SelfPacedStep
from companion.core.pacing import WARN_BEFORE_SECONDS, BreathState, Phase, PracticeRun, RunState
from companion.core.records import GlimmerRecord, PracticeRecord
from companion.core.settings import Settings
from companion.i18n import _
from companion.ui import kit
from companion.ui.player_end import EndScreen
from companion.ui.player_pages import ENDED_TEXT, format_left, still_words
from companion.ui.player_view import WARN_TEXT, PracticePage

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from companion.core.clock import Clock
    from companion.core.writer import Save

__all__ = ["CHECKIN_WINDOW_S", "LEAD_IN_S", "WARN_TEXT", "PlayerWindow", "clock_rate"]

log = logging.getLogger("companion.player")

LEAD_IN_S = 2.0
"""Seconds from the first screen to the first cue: time to see the title and the
caution (and tap the check-in), well inside the three-second promise."""
CHECKIN_WINDOW_S = 30.0
"""The before check-in stays on screen this long into the practice, then makes room."""
TONES = {
    Phase.INHALE: "inhale",
    Phase.TOP_UP: "inhale",
    Phase.HOLD: "hold",
    Phase.EXHALE: "exhale",
    Phase.HOLD_OUT: "hold",
}


class SoundPlayer(Protocol):
    """What the player needs from `companion.runtime.sound.Sound` (tests/fake_sound.py)."""

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
    `save` writes a record (`companion.core.writer.Save`). `after_session` is True when
    the practice came from the offer after a session: only then, and only when the
    practice ran its course, does the end screen ask for a glimmer.
    """

    finished = Signal(object)
    """The player is closing after the practice; carries the PracticeRecord (saved,
    unless the person closed the end screen that said it was not)."""
    ended = Signal(object)
    """The practice itself is over (done, stopped or out of time); carries the final
    RunState. The end screen follows."""
    dismissed = Signal()
    """Closed before the practice began; nothing was saved."""
    switch = Signal(str)
    """The person took the practice offered for the state they tapped (its id); this one
    closes unsaved (it had barely begun) and the app opens that one."""

    def __init__(
        self,
        exercise: Exercise,
        clock: Clock,
        settings: Settings,
        sound: SoundPlayer,
        *,
        save: Save,
        ends_by: float | None = None,
        wall: Clock | None = None,
        after_session: bool = False,
        suggest: Callable[[str], Exercise | None] | None = None,
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
        self._settings = settings
        self._sound = sound
        self._sound_failed = False
        self._ends_by = ends_by
        self._after_session = after_session
        self._suggest = suggest
        self._switch_to: Exercise | None = None
        self._rate = clock_rate(clock)
        self.run = PracticeRun(exercise, clock, ends_by=ends_by)
        self._checkin_style = settings.checkin_style if settings.ratings else ""
        self.started_at: float | None = None
        self._lead_until: float | None = None
        self._started_wall: datetime | None = None
        self._stopped_by_user = False
        self._over: RunState | None = None
        self._shown_step = -1
        self._spoken_step = -1
        self._breath_key: tuple[int, int, Phase] | None = None
        self._done = False
        self.record: PracticeRecord | None = None
        self.record_saved = False
        self.glimmer: GlimmerRecord | None = None

        self._timer = QTimer(self)
        self._timer.setObjectName("player-tick")
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)

        self.setWindowTitle(_("{title} · Grounding Companion").format(title=exercise.title))
        self.setAccessibleName(_("Practice: {title}").format(title=exercise.title))
        self._build()
        self._show(self.run.state())  # the first screen shows the first cue at once
        em = self.fontMetrics().height()
        # Room for the pacer, and never less than what every page needs (a longer
        # language or 150 % scaling widens the check-in row).
        need = self.minimumSizeHint()
        self.setMinimumSize(max(int(em * 26), need.width()), max(int(em * 24), need.height()))
        screen = self.screen().availableGeometry().size() if self.screen() else None
        tall = max(int(em * 30), need.height())
        if screen is not None:  # never taller than the screen (150 % on a small one)
            tall = max(need.height(), min(tall, screen.height() - 2 * em))
        self.resize(max(int(em * 36), need.width()), tall)

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        em = self.fontMetrics().height()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(int(em * 1.5), int(em * 1.2), int(em * 1.5), int(em * 1.0))
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        page = PracticePage(
            self.exercise,
            checkin_style=self._checkin_style,
            no_sound=self._no_sound_text(),
            breath=self._breath_now,
            reduced_motion=self._settings.reduced_motion,
            rate=self._rate,
        )
        self.practice_page = page
        self.pages.addWidget(page)
        self.title_label, self.caution_label = page.title_label, page.caution_label
        self.no_sound_label, self.checkin = page.no_sound_label, page.checkin
        self.step_label, self.time_label, self.views = page.step_label, page.time_label, page.views
        self.breath_cue, self.pacer, self.cue_label = page.breath_cue, page.pacer, page.cue_label
        self.breathing_view, self.cue_view = page.breathing_view, page.cue_view
        self.note_label = page.note_label
        self.pause_button, self.next_button = page.pause_button, page.next_button
        self.stop_button = page.stop_button
        self.pause_button.clicked.connect(self.toggle_pause)
        self.next_button.clicked.connect(self.next_step)
        self.stop_button.clicked.connect(self.stop)
        self.switch_button = page.switch_button
        self.switch_button.clicked.connect(self._switch)
        if self.checkin is not None:
            self.checkin.chosen.connect(self._tapped_before)
        self.end_page = EndScreen(self._clock, rate=self._rate, rng=None)
        self.end_page.done.connect(self._end_done)
        self.end_page.idle.connect(self._end_idle)
        self.end_page.retry.connect(self._save_again)
        self.end_page.close_requested.connect(self._finish)
        self.done_label = self.end_page.label
        self.pages.addWidget(self.end_page)

    def _no_sound_text(self) -> str:
        """One line when nothing can be heard though guidance is on ("" otherwise)."""
        if self._settings.guidance == "silent":
            return ""
        line = self._sound_call("problem")  # the sound says why (never raises here)
        return line if isinstance(line, str) else ""

    # --- which page -----------------------------------------------------------------------

    @property
    def page(self) -> str:
        """ "practice" (the first screen and the practice) or "end"."""
        return "end" if self.pages.currentWidget() is self.end_page else "practice"

    @property
    def started(self) -> bool:
        return self.started_at is not None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.started_at is None and self._lead_until is None and not self._done:
            self._lead_until = self._clock.monotonic() + LEAD_IN_S
            self.pause_button.setFocus(Qt.FocusReason.OtherFocusReason)
            # The start chime with the first screen, so the first cue, LEAD_IN_S later,
            # is not spoken over it.
            self._sound_call("play", "start")
        self.tick()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and self.started_at is not None:
            self.pacer.refresh()
            self.tick()

    # --- intents --------------------------------------------------------------------------

    def start_practice(self) -> None:
        """Begin now (the lead-in's end does this by itself)."""
        if self.started_at is not None or self._done:
            return
        self.pages.setCurrentWidget(self.practice_page)
        self.run.start()
        self.started_at = self._clock.monotonic()
        self._started_wall = self._wall.now()
        self.pacer.set_running(True)
        if not self.pause_button.hasFocus() and not self._checkin_focused():
            self.pause_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.tick()

    def toggle_pause(self) -> None:
        if not self._running:
            return
        self.run.toggle_pause()
        paused = self.run.state().paused
        if paused:
            self._sound_call("hush")  # the voice speaks again at the next step's cue
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
        if self.started_at is None and not self._done:
            self.start_practice()  # "next" on the first screen: begin now
            return
        if not self._running:
            return
        self.run.next_step()
        self.tick()

    def stop(self) -> None:
        if self.started_at is None and not self._done:
            self.close()  # before it began: nothing to save
            return
        if not self._running:
            return
        self._stopped_by_user = True
        self._sound_call("stop")  # the voice and a breath tone still sounding: silence now
        self.run.stop()
        self.tick()

    @property
    def _running(self) -> bool:
        return self.started_at is not None and self._over is None and self.page == "practice"

    # --- keeping the screen (and the sound) up to date -------------------------------------

    def _breath_now(self) -> BreathState | None:
        return self.run.state().breath if self.started_at is not None else None

    def tick(self) -> None:
        """Show the practice as of now, say what starts now, and plan the next look.
        Safe to call any time."""
        self._timer.stop()
        if self._done or self._over is not None:
            return
        if self.started_at is None:
            if self._lead_until is None:
                return
            if self._clock.monotonic() >= self._lead_until - 1e-9:
                self.start_practice()
            else:
                self._timer.start(self._ms(self._lead_until - self._clock.monotonic()))
            return
        state = self.run.state()
        if state.finished:
            self._practice_over(state)
            return
        self._show(state)
        self._say(state)
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
            cue = self._cue_words(step.cue)
            if isinstance(step, BreathingStep):
                self.breath_cue.setText(cue)
                self.breath_cue.setVisible(bool(cue))
                self.views.setCurrentWidget(self.breathing_view)
            else:
                self.cue_label.setText(cue)
                self.cue_label.setAccessibleName(cue)
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
        first_screen = not state.started or state.elapsed_active_seconds < CHECKIN_WINDOW_S
        if not first_screen:  # the check-in and the sound line make room for the practice
            for first_only in (self.checkin, self.no_sound_label, self.switch_button):
                if first_only is not None and not first_only.isHidden():
                    first_only.hide()

    def _cue_words(self, cue: str) -> str:
        """The cue as shown and spoken: with reduced motion, never a moving circle."""
        return still_words(cue) if self._settings.reduced_motion else cue

    def _say(self, state: RunState) -> None:
        """The sound of what starts now: a step's cue (hushing the one before), a breath
        phase's tone. Each is said once, when its step or phase begins."""
        step = state.step
        if step is None:
            return
        if state.step_index != self._spoken_step:
            self._spoken_step = state.step_index
            self._breath_key = None
            self._sound_call("hush")
            cue = self._cue_words(step.cue)
            if cue or not isinstance(step, BreathingStep):
                # No words: the soft step chime (cue("") is heard as "step").
                self._sound_call("cue", cue, user=self.exercise.user)
        breath = state.breath
        if breath is not None and not state.paused:
            key = (state.step_index, breath.cycle, breath.phase)
            if key != self._breath_key:
                self._breath_key = key
                self._sound_call("play", TONES[breath.phase])

    def _plan(self, state: RunState) -> None:
        now = self._clock.monotonic()
        waits: list[float] = []
        if not state.paused:
            waits.append(state.step_remaining)
            if state.breath is not None:  # the next breath phase's tone, on time
                waits.append(state.breath.phase_remaining)
        if self._ends_by is not None:
            if not state.warn_time:
                waits.append(self._ends_by - WARN_BEFORE_SECONDS - now)
            waits.append(self._ends_by - now)
        on_screen = self.isVisible() and not self.isMinimized()
        if on_screen and (not state.paused or self._ends_by is not None):
            # The countdown shows whole seconds, rounded up: it changes as each one passes.
            fraction = state.remaining_seconds - math.floor(state.remaining_seconds)
            waits.append(fraction if fraction > 1e-6 else 1.0)
        if state.elapsed_active_seconds < CHECKIN_WINDOW_S and not state.paused:
            waits.append(CHECKIN_WINDOW_S - state.elapsed_active_seconds)
        waits = [w for w in waits if w > 1e-9]  # a moment already past is no reason to wake
        if waits:
            self._timer.start(self._ms(min(waits)))

    def _ms(self, seconds: float) -> int:
        return math.ceil(seconds / self._rate * 1000.0) + 1

    def _sound_call(self, name: str, *args: object, **kwargs: object) -> object:
        """Call the sound; a sound that fails (or lacks a call) is one log line, never a
        practice that stops."""
        method = getattr(self._sound, name, None)
        if method is None:
            return None
        try:
            return method(*args, **kwargs)
        except Exception as exc:
            if not self._sound_failed:
                self._sound_failed = True
                log.warning("sound %s failed: %s", name, exc)
            return None

    def _tapped_before(self, state: str) -> None:
        """ "Flat" on a settling practice, or "wired" on an energising one: offer, one
        click away, the practice that suits that state best (never a second window)."""
        effect = self.exercise.effect
        against = (state == "flat" and effect == "settling") or (
            state == "wired" and effect == "energising"
        )
        other = self._suggest(state) if against and self._suggest is not None else None
        self._switch_to = other
        if other is None:
            self.switch_button.hide()
            return
        words = (
            _("Feeling flat? You might try {practice} instead")
            if state == "flat"
            else _("Feeling wired? You might try {practice} instead")
        ).format(practice=other.title)
        self.switch_button.setText(words)
        kit.named(self.switch_button, words, _("Close this practice and start that one"))
        self.switch_button.show()

    def _switch(self) -> None:
        other = self._switch_to
        if other is None or self._done or self._over is not None:
            return
        self._done = True  # closes unsaved: it had barely begun
        self._timer.stop()
        self._sound_call("hush")
        self.switch.emit(other.id)
        self.close()

    # --- the end --------------------------------------------------------------------------

    def _practice_over(self, state: RunState) -> None:
        self._over = state
        self._timer.stop()
        self.pacer.set_running(False)
        self._sound_call("hush")
        if not self._stopped_by_user:
            self._sound_call("play", "end")
        if state.out_of_time:
            message = _(ENDED_TEXT["out_of_time"])
        elif self._stopped_by_user:
            message = _(ENDED_TEXT["stopped"])
        else:  # the end, reached (even by skipping through: the journal says which)
            message = _(ENDED_TEXT["completed"])
        self.record = self._practice_record(state)
        self.ended.emit(state)
        glimmer = self._after_session and not self._stopped_by_user and not state.out_of_time
        self.end_page.ask(
            message, state.elapsed_active_seconds, checkin=self._checkin_style, glimmer=glimmer
        )
        self.pages.setCurrentWidget(self.end_page)
        self.end_page.first_focus()

    def _practice_record(self, state: RunState) -> PracticeRecord:
        before = self.checkin
        return PracticeRecord(
            at=self._started_wall or self._wall.now(),
            exercise=self.exercise.id,
            planned_seconds=round(self.exercise.total_seconds),
            actual_seconds=round(state.elapsed_active_seconds),
            completed=state.completed,
            rating_before=before.rating() if before is not None else None,
            state_before=before.state() if before is not None else None,
        )

    @property
    def glimmer_asked(self) -> bool:
        """Whether the end screen holds the glimmer question."""
        return self.page == "end" and self.end_page.asks_glimmer

    def _with_after(self) -> None:
        """Put the after check-in into the record (until it is saved)."""
        after = self.end_page.checkin
        if self.record is None or self.record_saved or after is None:
            return
        self.record = replace(self.record, rating_after=after.rating(), state_after=after.state())

    def _save_practice(self) -> bool:
        """Hand the practice to the writer; a failure is said on the end screen."""
        if self.record is None:
            return False
        if self.record_saved:
            return True
        self._with_after()
        saved = self._save(self.record)
        self.record_saved = bool(saved)
        self.end_page.show_failure("" if saved else saved.message)
        if not saved:
            self.end_page.offer_retry()
        return self.record_saved

    def _save_glimmer(self) -> bool:
        """The glimmer, if words were given and it is not saved yet."""
        words = self.end_page.glimmer_words()
        if not words or self.glimmer is not None or self.record is None:
            return True
        record = GlimmerRecord(
            at=self._wall.now(), text=words, source="after-session", practice_id=self.record.id
        )
        saved = self._save(record)
        if not saved:
            self.end_page.show_failure(saved.message)
            self.end_page.glimmer_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.glimmer = record
        return True

    def _end_done(self) -> None:
        """Done: the practice with what was answered, then the glimmer if there are words."""
        if self._save_practice() and self._save_glimmer():
            self._finish()

    def _end_idle(self) -> None:
        """Left alone: the practice is kept; an unanswered glimmer question is not."""
        if self._save_practice():
            self._finish()

    @property
    def save_error(self) -> str:
        """The calm line shown when something could not be saved ("" when all was)."""
        error = self.end_page.error
        return error.text() if not error.isHidden() else ""

    def _save_again(self) -> None:
        self._end_done()

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        self._timer.stop()
        self.end_page.stop_waiting()
        self.finished.emit(self.record)
        self.close()

    # --- keys and closing ------------------------------------------------------------------

    def _checkin_focused(self) -> bool:
        focused = self.focusWidget()
        rows = [r for r in (self.checkin, self.end_page.checkin) if r is not None]
        return any(focused in r.buttons.values() for r in rows)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys anywhere in the window: the practice buttons and the check-in leave Space
        and the arrows to it, so Space always pauses, whatever has the focus."""
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        focused = self.focusWidget()
        if enter and self._checkin_focused() and isinstance(focused, QAbstractButton):
            focused.click()
        elif self.page == "practice":
            if key == Qt.Key.Key_Space:
                self.toggle_pause()
            elif (
                enter
                and self.started_at is not None
                and isinstance(focused, QAbstractButton)
                and focused.isVisible()
            ):
                focused.click()  # Enter presses the focused button: Stop stops, Pause pauses
            elif key == Qt.Key.Key_Right or enter:
                self.next_step()
            elif key == Qt.Key.Key_Escape:
                self.stop()
            elif self.checkin is None or not self.checkin.key_choice(event):
                super().keyPressEvent(event)
                return
        elif enter:
            if isinstance(focused, QAbstractButton) and focused.isVisible():
                focused.click()
            elif self.end_page.retry_button.isVisible():
                self._save_again()
            else:
                self._end_done()
        elif key == Qt.Key.Key_Escape:
            self.close()
        elif self.end_page.checkin is None or not self.end_page.checkin.key_choice(event):
            super().keyPressEvent(event)
            return
        event.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window is always allowed: a practice under way counts as stopped
        early and is saved (with what was answered; a glimmer only by Done); before it
        began, nothing is."""
        self._timer.stop()
        self.pacer.timer.stop()
        self.end_page.stop_waiting()
        self._sound_call("stop")
        if not self._done:
            self._done = True
            if self.started_at is None:
                self.dismissed.emit()
            else:
                if self._over is None:
                    self._stopped_by_user = True
                    self.run.stop()
                    self._over = self.run.state()
                    self.record = self._practice_record(self._over)
                self._save_practice()
                self.finished.emit(self.record)
        super().closeEvent(event)
