"""The Practice tab: favourite practices, how a practice is guided aloud (voice and
tones, tones only, or silent) and how loud, and what happens during a practice (breath
tones, reduced motion, the one-tap check-in). When no audio player can be found, it says
so in one line, with what to install: the settings never claim a sound nobody hears."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.settings import CHECKIN_STYLES, GUIDANCE, Settings
from companion.i18n import N_, _
from companion.ui import kit
from companion.ui.settings.page import Page

#: Each guidance: its button (with mnemonic) and its accessible name.
GUIDANCE_TEXTS = {
    "voice": (N_("&Voice and tones"), N_("Guidance: voice and tones")),
    "tones": (N_("&Tones only"), N_("Guidance: tones only")),
    "silent": (N_("S&ilent"), N_("Guidance: silent")),
}
#: Each volume: its button (with mnemonic) and its accessible name ("mute" is the older
#: form of silent guidance and has no button).
SOUND_TEXTS = {
    "quiet": (N_("&Quiet"), N_("Volume: quiet")),
    "normal": (N_("&Normal"), N_("Volume: normal")),
}
CHECKIN_TEXTS = {
    "state": (N_("&Wired / in between / flat"), N_("Check-in: wired, in between or flat")),
    "scale": (N_("&0–10"), N_("Check-in: 0 to 10")),
}


def _player_found() -> bool:
    from companion.runtime.sound import detect_player

    return detect_player() is not None


def _no_player_line() -> str:
    from companion.runtime.sound import no_player_line

    return no_player_line()


def _radios(
    box: QHBoxLayout | QVBoxLayout, keys: Sequence[str], texts: dict[str, tuple[str, str]]
) -> dict[str, QRadioButton]:
    group = QButtonGroup(box)
    buttons: dict[str, QRadioButton] = {}
    for key in keys:
        label, name = texts[key]
        button = kit.named(QRadioButton(_(label)), _(name))
        group.addButton(button)
        box.addWidget(button)
        buttons[key] = button
    box.addStretch(1)
    return buttons


class PracticePage(Page):
    title = N_("&Practice")

    def __init__(
        self,
        settings: Settings,
        practices: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
        *,
        player_found: Callable[[], bool] = _player_found,
    ) -> None:
        super().__init__(parent)
        self._loaded_sound = settings.sound
        self._practices = list(practices)
        self._unlisted_favourites: tuple[str, ...] = ()
        layout = QVBoxLayout(self)

        fav = QGroupBox(_("Favourite practices"))
        fav_layout = QVBoxLayout(fav)
        fav_layout.addWidget(kit.hint(_("Favourites are suggested first when they fit the break.")))
        self.favourites = kit.named(
            QListWidget(), _("Favourite practices"), _("Space ticks or unticks a practice")
        )
        self.favourites.setSpacing(2)
        for pid, title in self._practices:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, pid)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            self.favourites.addItem(item)
        if self.favourites.count():
            self.favourites.setCurrentRow(0)
        fav_layout.addWidget(self.favourites)
        layout.addWidget(fav, 1)

        sound = QGroupBox(_("Guidance aloud"))
        sound_layout = QVBoxLayout(sound)
        column = QVBoxLayout()
        self.guidance_buttons = _radios(column, GUIDANCE, GUIDANCE_TEXTS)
        sound_layout.addLayout(column)
        row = QHBoxLayout()
        row.addWidget(kit.muted(_("Volume:"), wrap=False))
        self.sound_buttons = _radios(row, tuple(SOUND_TEXTS), SOUND_TEXTS)
        sound_layout.addLayout(row)
        # Said, not hidden: with no player the practice is silent whatever is chosen here.
        self.no_player = kit.hint("" if player_found() else _no_player_line())
        self.no_player.setObjectName("gentle")
        self.no_player.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.no_player.setAccessibleName(_("No audio player"))
        self.no_player.setVisible(bool(self.no_player.text()))
        sound_layout.addWidget(self.no_player)
        self.guidance_buttons["silent"].toggled.connect(self._silent_toggled)
        layout.addWidget(sound)

        player = QGroupBox(_("During a practice"))
        player_layout = QVBoxLayout(player)
        self.phase_ticks = kit.named(
            QCheckBox(_("&Breath tones: soft sounds for in, out and hold")),
            _("Breath tones"),
        )
        self.reduced_motion = kit.named(
            QCheckBox(_("Reduced m&otion: a still circle and a count")),
            _("Reduced motion"),
        )
        self.ratings = kit.named(
            QCheckBox(_("&Ask how I am, before and after (one tap)")),
            _("Check-in before and after a practice"),
        )
        for box in (self.phase_ticks, self.reduced_motion, self.ratings):
            player_layout.addWidget(box)
        row = QHBoxLayout()
        row.addSpacing(self.fontMetrics().height())
        self.checkin_buttons = _radios(row, CHECKIN_STYLES, CHECKIN_TEXTS)
        player_layout.addLayout(row)
        self.ratings.toggled.connect(self._ratings_toggled)
        layout.addWidget(player)

        self.fields = {
            "favourite_practices": self.favourites,
            "guidance": self.guidance_buttons["voice"],
            "sound": self.sound_buttons["normal"],
            "phase_ticks": self.phase_ticks,
            "reduced_motion": self.reduced_motion,
            "ratings": self.ratings,
            "checkin_style": self.checkin_buttons["state"],
        }
        self.load(settings)

    def load(self, settings: Settings) -> None:
        s = settings
        for i in range(self.favourites.count()):
            item = self.favourites.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in s.favourite_practices
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        # Favourites the library does not have right now (a removed file) are kept as they are.
        known = {pid for pid, _title in self._practices}
        self._unlisted_favourites = tuple(p for p in s.favourite_practices if p not in known)
        self._loaded_sound = s.sound
        silent = s.guidance == "silent" or s.sound == "mute"  # "mute": the older silent
        for key, button in self.guidance_buttons.items():
            button.setChecked(key == ("silent" if silent else s.guidance))
        for level, button in self.sound_buttons.items():
            button.setChecked(s.sound == level)
        self.phase_ticks.setChecked(s.phase_ticks)
        self.reduced_motion.setChecked(s.reduced_motion)
        self.ratings.setChecked(s.ratings)
        for key, button in self.checkin_buttons.items():
            button.setChecked(s.checkin_style == key)
        self._silent_toggled(silent)
        self._ratings_toggled(s.ratings)

    def _silent_toggled(self, silent: bool) -> None:
        """Silent: no volume, no breath tones to choose (they keep their values)."""
        for button in self.sound_buttons.values():
            button.setEnabled(not silent)
        self.phase_ticks.setEnabled(not silent)

    def _ratings_toggled(self, on: bool) -> None:
        for button in self.checkin_buttons.values():
            button.setEnabled(on)

    def changes(self) -> dict[str, Any]:
        favourites = [
            self.favourites.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.favourites.count())
            if self.favourites.item(i).checkState() == Qt.CheckState.Checked
        ]
        guidance = next((k for k, b in self.guidance_buttons.items() if b.isChecked()), "voice")
        # No volume chosen: the older "mute" stays as it was (it means silent).
        sound = next(
            (k for k, b in self.sound_buttons.items() if b.isChecked()), self._loaded_sound
        )
        checkin = next((k for k, b in self.checkin_buttons.items() if b.isChecked()), "state")
        return {
            "favourite_practices": tuple(favourites) + self._unlisted_favourites,
            "guidance": guidance,
            "sound": sound,
            "checkin_style": checkin,
            "phase_ticks": self.phase_ticks.isChecked(),
            "reduced_motion": self.reduced_motion.isChecked(),
            "ratings": self.ratings.isChecked(),
        }
