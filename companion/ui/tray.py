"""The tray icon and its menu, and the small window that stands in when there is no tray.

Both show the same status and offer the same actions, and both only emit intents. The
status text comes from the app already in the person's language; every word built
here is marked for translation.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from companion.assets import asset
from companion.i18n import APP_NAME, N_, _

if TYPE_CHECKING:
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QAction, QCloseEvent

    from companion.core.status import State

# The icon is shown before anything else is loaded (companion/launch.py): what only the
# menu, the stand-in window or the running app need is imported where it is used. The
# `Qt` namespace, the day's `State` (dataclasses, datetime) and some Qt classes take a
# few milliseconds each the first time, all before the icon's pixels.

PAUSE_REST_OF_DAY = -1
RESUME = 0
NO_TRAY_REASON = N_(
    "Your desktop has no system tray, so this small window stands in for it. "
    "Offers will still appear at the end of each session."
)

TRAY_SIZES = (16, 22, 24, 32, 48, 64)
#: The icon for each state (State's values: see companion/core/status.py).
_ICONS = {"in-session": "session", "between": "between", "off-duty": "off", "paused": "paused"}
#: The icon shown before the day is known.
START_ICON = "off"


def icon_for(state: State | None, *, offer: bool = False) -> QIcon:
    """The tray icon for a state, from PNGs pre-drawn at panel sizes (assets/icons/tray/,
    made by assets/icons/render_png.py): loading the SVGs would pull in QtSvg for good."""
    look = "between" if state is None else _ICONS.get(state.value, "between")
    return _icon_named("offer" if offer else look)


@functools.cache
def _icon_named(name: str) -> QIcon:
    icon = QIcon()
    for size in TRAY_SIZES:
        icon.addFile(str(asset("icons", "tray", f"{name}-{size}.png")), QSize(size, size))
    return icon


class Intents(QObject):
    """What the user asked for, from the tray menu or the stand-in window."""

    practice = Signal(str)  # an exercise id
    glimmer = Signal()
    reflect = Signal()
    history = Signal()
    support = Signal()  # "If today was a lot…"
    pause = Signal(int)  # minutes; PAUSE_REST_OF_DAY; RESUME
    plan = Signal()
    settings = Signal()
    show_offer = Signal()  # the notification was clicked: bring the card up
    tray_clicked = Signal()  # the icon itself: the card, or with none the menu
    problems = Signal()  # "What needs attention…"
    welcome = Signal()  # "Set up your week…" / "How it works"
    quit = Signal()


def build_menu(
    intents: Intents, parent: QWidget | None = None, *, menu: QMenu | None = None
) -> tuple[QMenu, QMenu, QAction]:
    """The menu shared by the tray icon and the stand-in window's "More" button (made,
    or filled in if given)."""
    if menu is None:
        menu = QMenu(parent)
    menu.setAccessibleName(_("Grounding Companion menu"))
    day = menu.addAction(_("Getting ready…"), intents.welcome.emit)
    day.setObjectName("menu-day")  # where the day stands; "Set up your week…" at first
    day.setEnabled(False)
    attention = menu.addAction(_("What needs attention…"), intents.problems.emit)
    attention.setObjectName("menu-attention")
    attention.setVisible(False)  # shown while something at start-up needs the person
    practices = menu.addMenu(_("Start a practice now"))
    practices.setObjectName("menu-practices")
    menu.addAction(_("Note a glimmer…"), intents.glimmer.emit)
    menu.addAction(_("End-of-day reflection…"), intents.reflect.emit)
    menu.addAction(_("Look back…"), intents.history.emit)
    support = menu.addAction(_("If today was a lot…"), intents.support.emit)
    support.setObjectName("menu-support")
    menu.addSeparator()
    pause = menu.addMenu(_("Pause reminders"))
    pause.addAction(_("For 30 minutes"), lambda: intents.pause.emit(30))
    pause.addAction(_("For 1 hour"), lambda: intents.pause.emit(60))
    pause.addAction(_("For the rest of today"), lambda: intents.pause.emit(PAUSE_REST_OF_DAY))
    resume = pause.addAction(_("Resume reminders"), lambda: intents.pause.emit(RESUME))
    menu.addAction(_("Today's plan…"), intents.plan.emit)
    menu.addAction(_("Settings…"), intents.settings.emit)
    menu.addAction(_("How it works"), intents.welcome.emit)
    menu.addSeparator()
    menu.addAction(_("Quit"), intents.quit.emit)
    return menu, practices, resume


def show_day_line(menu: QMenu, text: str, *, setup: bool) -> None:
    """The menu's first line: where the day stands (not a button), or, before the week
    is set up, "Set up your week…", which opens the welcome."""
    from PySide6.QtGui import QAction

    action = menu.findChild(QAction, "menu-day")
    if action is not None:
        if action.text() != text:
            action.setText(text)
        action.setEnabled(setup)


def show_attention(menu: QMenu, on: bool) -> None:
    """Show or hide "What needs attention…" at the top of the menu."""
    from PySide6.QtGui import QAction

    action = menu.findChild(QAction, "menu-attention")
    if action is not None:
        action.setVisible(on)


def fill_practices(menu: QMenu, intents: Intents, practices: Sequence[tuple[str, str]]) -> None:
    """The "Start a practice now" submenu. Rebuilt only when what fits has changed: the
    status is refreshed every minute, and a menu rebuilt under the pointer would jump."""
    wanted = tuple(practices)
    if getattr(menu, "_filled_with", None) == wanted:
        return
    menu._filled_with = wanted  # type: ignore[attr-defined]
    menu.clear()
    if not practices:
        none = menu.addAction(_("Nothing fits before the next session"))
        none.setEnabled(False)
        return
    for ex_id, label in practices:
        menu.addAction(label, functools.partial(intents.practice.emit, ex_id))


class Tray(QObject):
    """The system tray icon. With `menu_later` its menu is empty until `fill_menu` (at
    start-up the icon is shown first and the menu filled after its first paint)."""

    def __init__(
        self, intents: Intents, parent: QObject | None = None, *, menu_later: bool = False
    ) -> None:
        super().__init__(parent)
        self.intents = intents
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu()
        self.practices_menu: QMenu | None = None
        self.resume_action: QAction | None = None
        self.paused = False
        if not menu_later:
            self.fill_menu()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(intents.show_offer.emit)
        self.icon.setIcon(_icon_named(START_ICON))  # as set_status(OFF_DUTY) would
        self.set_status_text(_(APP_NAME))

    def fill_menu(self) -> None:
        if self.practices_menu is None:
            _menu, self.practices_menu, self.resume_action = build_menu(
                self.intents, menu=self.menu
            )
            self.resume_action.setEnabled(self.paused)

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def set_status(self, state: State, text: str, *, offer: bool = False) -> None:
        """Touch the icon only when something changed: every setIcon makes the tray host
        redraw it and, on X11, starts one more wake-up of the app 30 s later."""
        icon = icon_for(state, offer=offer)  # cached: the same QIcon for the same look
        if icon.cacheKey() != self.icon.icon().cacheKey():
            self.icon.setIcon(icon)
        self.set_status_text(text)
        self.paused = state.value == "paused"
        if self.resume_action is not None:
            self.resume_action.setEnabled(self.paused)

    def set_practices(self, practices: Sequence[tuple[str, str]]) -> None:
        self.fill_menu()
        assert self.practices_menu is not None
        fill_practices(self.practices_menu, self.intents, practices)

    def set_attention(self, on: bool) -> None:
        self.fill_menu()
        show_attention(self.menu, on)

    def set_day_line(self, text: str, *, setup: bool = False) -> None:
        self.fill_menu()
        show_day_line(self.menu, text, setup=setup)

    def set_status_text(self, text: str) -> None:
        tip = _("Grounding Companion\n{status}").format(status=text)
        if self.icon.toolTip() != tip:
            self.icon.setToolTip(tip)

    def notify(self, title: str, text: str) -> None:
        if QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, text, self.icon.icon(), 15_000)

    def anchor(self) -> QRect | None:
        return self.icon.geometry()

    def popup_menu(self) -> None:
        """Open the menu at the pointer (macOS already opens it on any click)."""
        if sys.platform != "darwin":
            from PySide6.QtGui import QCursor

            self.menu.popup(QCursor.pos())

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.intents.tray_clicked.emit()


class CompanionWindow(QWidget):
    """Stands in for the tray where there is none: the same status and actions."""

    def __init__(self, intents: Intents, *, reason: str = "") -> None:
        from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

        super().__init__()
        self.intents = intents
        self.setWindowTitle(_(APP_NAME))
        self.setWindowIcon(QIcon(str(asset("icons", "companion.png"))))
        self.setAccessibleName(_(APP_NAME))
        em = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(int(em * 1.2), em, int(em * 1.2), em)
        layout.setSpacing(int(em * 0.6))
        from companion.ui import kit  # only the stand-in window: the icon appears sooner

        self.status = kit.heading(level=2)
        self.status.setAccessibleName(_("Status"))
        layout.addWidget(self.status)
        if reason:
            layout.addWidget(kit.muted(reason))
        self.menu, self.practices_menu, self.resume_action = build_menu(intents, self)
        row = QHBoxLayout()
        practice = kit.button(_("&Practice now"), _("Start a practice now"))
        practice.setMenu(self.practices_menu)
        glimmer = kit.button(_("Note a &glimmer…"))
        glimmer.clicked.connect(intents.glimmer.emit)
        more = kit.button(_("&More"), _("More actions"))
        more.setMenu(self.menu)
        for b in (practice, glimmer, more):
            row.addWidget(b)
        layout.addLayout(row)
        support = QHBoxLayout()  # one click away here too, not only inside More
        self.support_button = kit.link_button(
            _("If today was a &lot…"),
            _("If today was a lot…"),
            _("People you chose, and crisis lines"),
        )
        self.support_button.clicked.connect(intents.support.emit)
        support.addWidget(self.support_button)
        support.addStretch(1)
        layout.addLayout(support)
        self.state: State | None = None
        self.quitting = False

    def set_status(self, state: State, text: str, *, offer: bool = False) -> None:
        self.state = state
        self.set_status_text(text)
        self.setWindowIcon(icon_for(state, offer=offer))
        self.resume_action.setEnabled(state.value == "paused")

    def set_practices(self, practices: Sequence[tuple[str, str]]) -> None:
        fill_practices(self.practices_menu, self.intents, practices)

    def set_attention(self, on: bool) -> None:
        show_attention(self.menu, on)

    def set_day_line(self, text: str, *, setup: bool = False) -> None:
        show_day_line(self.menu, text, setup=setup)

    def set_status_text(self, text: str) -> None:
        if self.status.text() == text:
            return
        self.status.setText(text)
        self._fit_height()

    def _fit_height(self) -> None:
        """A status that wraps onto more lines makes the window taller (a top-level
        window does not grow for a word-wrapped label by itself, and the lines would run
        into the text below)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = max(self.width(), layout.minimumSize().width())
        need = layout.heightForWidth(width) if layout.hasHeightForWidth() else -1
        need = max(need, layout.minimumSize().height())
        self.setMinimumHeight(need)
        if self.height() < need:
            self.resize(width, need)

    def notify(self, title: str, text: str) -> None:
        """No tray means no tray balloon; the offer card itself is the notice."""

    def anchor(self) -> QRect | None:
        return None

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the only window would leave the app running invisibly: minimise instead
        # (Quit is in the More menu). When the app itself quits, let it close.
        if self.quitting:
            event.accept()
            return
        from PySide6.QtCore import Qt  # not at import: the `Qt` namespace takes ~13 ms

        event.ignore()
        self.setWindowState(self.windowState() | Qt.WindowState.WindowMinimized)


def make_view(
    intents: Intents,
    tray: bool | None = None,
    parent: QObject | None = None,
    *,
    menu_later: bool = False,
) -> Tray | CompanionWindow:
    """The tray icon, or the small stand-in window where the desktop has no tray. With
    `menu_later` the tray's menu is filled by `Tray.fill_menu` (start-up: after the
    icon's first paint; the stand-in window needs its menu at once)."""
    if tray is None:
        tray = QSystemTrayIcon.isSystemTrayAvailable()
    if tray:
        return Tray(intents, parent, menu_later=menu_later)
    return CompanionWindow(intents, reason=_(NO_TRAY_REASON))
