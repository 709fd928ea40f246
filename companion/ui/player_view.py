"""The practice page of the player: the title, the caution, the optional check-in, the
step and time left, the cue (over the pacer for breathing), the gentle note, and the
Pause, Next and Stop buttons. `companion.ui.player.PlayerWindow` fills it and answers its
buttons; this only lays it out."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from companion.core.exercises import Exercise
from companion.core.pacing import BreathState
from companion.i18n import N_, _
from companion.ui import kit, style
from companion.ui.pacer import BreathPacer
from companion.ui.player_pages import CheckInRow, ControlButton

WARN_TEXT = N_("Your next session starts soon. You might let this be enough.")
KEYS_HINT = N_("Space: pause or resume   ·   Right: next   ·   Esc: stop")


class PracticePage(QWidget):
    """The first screen and the practice itself (one page: the practice begins on it)."""

    def __init__(
        self,
        exercise: Exercise,
        *,
        checkin_style: str,
        no_sound: str,
        breath: Callable[[], BreathState | None],
        reduced_motion: bool,
        rate: float,
    ) -> None:
        super().__init__()
        em = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(int(em * 0.5))

        self.title_label = kit.heading(exercise.title)
        self.title_label.setFont(style.font(1.35, bold=True))
        layout.addWidget(self.title_label)

        # The caution, every time, in the warm colour (never alarm red); it stays up.
        self.caution_label = QLabel(exercise.caution)
        self.caution_label.setObjectName("gentle")
        self.caution_label.setWordWrap(True)
        self.caution_label.setAccessibleName(_("Before you start"))
        self.caution_label.setAccessibleDescription(exercise.caution)
        self.caution_label.setVisible(bool(exercise.caution))
        layout.addWidget(self.caution_label)

        self.no_sound_label = kit.hint(no_sound)
        self.no_sound_label.setVisible(bool(self.no_sound_label.text()))
        layout.addWidget(self.no_sound_label)

        self.checkin: CheckInRow | None = None
        if checkin_style:
            question = (
                _("How activated do you feel right now? (optional)")
                if checkin_style == "scale"
                else _("How are you right now? (optional)")
            )
            self.checkin = CheckInRow(checkin_style, question)
            layout.addWidget(self.checkin)
        # A practice that suits the state just tapped better, one click away (filled in
        # by the player when the tap and this practice pull in opposite directions).
        self.switch_button = kit.link_button(
            "", _("Another practice"), _("Close this practice and start that one")
        )
        self.switch_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.switch_button.hide()
        layout.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignLeft)

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
        self.pacer = BreathPacer(breath, reduced_motion=reduced_motion, clock_rate=rate)
        self.pacer.set_running(False)
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
        self.next_button = self._control(_("Next step"), _("Move on to the next step (Right)"))
        self.next_button.setObjectName("primary")  # the one main action, as kit.primary_button
        self.stop_button = self._control(_("Stop"), _("End the practice now (Esc)"))
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

    def _control(self, text: str, description: str) -> QPushButton:
        button = kit.named(ControlButton(text), text, description)
        button.setAutoDefault(False)
        button.setFont(style.font(1.1))
        button.setMinimumHeight(int(self.fontMetrics().height() * 2.2))
        button.setMinimumWidth(int(self.fontMetrics().height() * 6))
        # Clicking must not move the keyboard focus; Tab still reaches every button, and
        # Space on any of them pauses (ControlButton leaves it to the window).
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button
