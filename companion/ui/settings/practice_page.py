"""The Practice tab: favourite practices, the sound level, and what happens during a
practice (ticks, reduced motion, ratings)."""

from __future__ import annotations

from collections.abc import Sequence
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

from companion.core.settings import SOUND_LEVELS, Settings
from companion.i18n import N_, _
from companion.ui import kit
from companion.ui.settings.page import Page

#: Each sound level: its button (with mnemonic) and its accessible name.
SOUND_TEXTS = {
    "mute": (N_("&Mute"), N_("Sound: mute")),
    "quiet": (N_("&Quiet"), N_("Sound: quiet")),
    "normal": (N_("&Normal"), N_("Sound: normal")),
}


class PracticePage(Page):
    title = N_("&Practice")

    def __init__(
        self,
        settings: Settings,
        practices: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
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

        sound = QGroupBox(_("Sound"))
        sound_layout = QHBoxLayout(sound)
        self.sound_buttons: dict[str, QRadioButton] = {}
        group = QButtonGroup(sound)
        for level in SOUND_LEVELS:
            label, name = SOUND_TEXTS[level]
            button = kit.named(QRadioButton(_(label)), _(name))
            group.addButton(button)
            sound_layout.addWidget(button)
            self.sound_buttons[level] = button
        sound_layout.addStretch(1)
        layout.addWidget(sound)

        player = QGroupBox(_("During a practice"))
        player_layout = QVBoxLayout(player)
        self.phase_ticks = kit.named(
            QCheckBox(_("A soft &tick at each change of breath")),
            _("Tick at each change of breath"),
        )
        self.reduced_motion = kit.named(
            QCheckBox(_("Reduced m&otion: a still bar instead of a moving circle")),
            _("Reduced motion"),
        )
        self.ratings = kit.named(
            QCheckBox(_("Ask for a 0–10 &rating before and after")),
            _("Ratings before and after a practice"),
        )
        for box in (self.phase_ticks, self.reduced_motion, self.ratings):
            player_layout.addWidget(box)
        layout.addWidget(player)

        self.fields = {
            "favourite_practices": self.favourites,
            "sound": self.sound_buttons["normal"],
            "phase_ticks": self.phase_ticks,
            "reduced_motion": self.reduced_motion,
            "ratings": self.ratings,
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
        for level, button in self.sound_buttons.items():
            button.setChecked(s.sound == level)
        self.phase_ticks.setChecked(s.phase_ticks)
        self.reduced_motion.setChecked(s.reduced_motion)
        self.ratings.setChecked(s.ratings)

    def changes(self) -> dict[str, Any]:
        favourites = [
            self.favourites.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.favourites.count())
            if self.favourites.item(i).checkState() == Qt.CheckState.Checked
        ]
        sound = next((k for k, b in self.sound_buttons.items() if b.isChecked()), "normal")
        return {
            "favourite_practices": tuple(favourites) + self._unlisted_favourites,
            "sound": sound,
            "phase_ticks": self.phase_ticks.isChecked(),
            "reduced_motion": self.reduced_motion.isChecked(),
            "ratings": self.ratings.isChecked(),
        }
