"""The windows the tray app opens, one builder each (a mixin of `App`, which holds
everything they are given: the store, the writer, the journal, the clock, the library).

A window the app opens deletes itself when closed (`_open_window`), so the next time it
is built fresh: today's date, the settings as they are now; a draft keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from companion.core.aside import SetAside, dismiss_set_aside
from companion.i18n import _


class AppWindows:
    """`open_*`: build the window once, bring it forward after."""

    windows: dict[str, QWidget]

    def open_glimmer(self) -> None:
        """The glimmer prompt, not modal: an offer card stays answerable meanwhile."""
        from companion.ui.glimmer import GlimmerDialog

        def build() -> QWidget:
            # The dialog saves through the writer itself, and stays open with the text
            # when the save fails.
            dialog = GlimmerDialog(None, source="anytime", save=self.writer.save, clock=self.clock)
            dialog.finished.connect(lambda _result: dialog.deleteLater())
            return dialog

        self._open_window("glimmer", build)

    def open_reflection(self, *, automatic: bool = False) -> None:
        from companion.ui.reflection import ReflectionWindow

        self.day.reflection_opened(self.clock.now().date())
        plan = self.day.plan
        sessions = list(plan.sessions) if plan else []

        def build() -> QWidget:
            window = ReflectionWindow(
                self.journal,
                self.clock,
                self.settings,
                self.paths,
                save=self.writer.save,
                today_sessions=len(sessions),
                today_heavy=sum(1 for s in sessions if s.heavy),
            )
            window.support_requested.connect(self.open_support)  # "If today was a lot…"
            return window

        self._open_window("reflect", build)

    def open_history(self) -> None:
        from companion.ui.history import HistoryWindow

        plan = self.day.plan
        sessions = list(plan.sessions) if plan else []
        titles = {ex.id: ex.title for ex in self.library}
        self._open_window(
            "history",
            lambda: HistoryWindow(
                self.journal,
                self.clock,
                self.settings,
                titles=titles,
                writer=self.writer,  # a glimmer flagged in the jar: the app's one writer
                today_sessions=len(sessions),
                today_heavy=sum(1 for s in sessions if s.heavy),
            ),
        )

    def open_plan(self) -> None:
        from companion.ui.plan_dialog import PlanDialog

        self.day.replan(self.settings)
        titles = {ex.id: ex.title for ex in self.library}
        self._open_window("plan", lambda: PlanDialog(self.day.plan, titles=titles))

    def open_settings(self, *, page: str = "") -> None:
        """Settings; `page` names a tab to show ("people"), else it opens as it was."""
        from companion.ui.settings import SettingsWindow

        def build() -> QWidget:
            # The window saves through the store (whose `changed` re-plans) and tests a
            # calendar with the rules as typed and this app's clock (demo time included).
            window = SettingsWindow(
                self.store,
                self.paths,
                practices=[(ex.id, ex.title) for ex in self.library],
                clock=self.clock,
            )
            window.deleted_all.connect(self._data_deleted)
            return window

        self._open_window("settings", build)
        window = self.windows.get("settings")
        if page and isinstance(window, SettingsWindow):
            shown = getattr(window, page, None)
            if shown in window.pages:
                window.tabs.setCurrentIndex(window.pages.index(shown))
                shown.show_field(next(iter(shown.fields), ""))

    def open_support(self) -> None:
        """ "If today was a lot…": the people the person chose, and crisis lines. From the
        tray, the reflection and the pattern note; it asks nothing and saves nothing."""
        from companion.ui.support import SupportWindow

        def build() -> QWidget:
            window = SupportWindow(self.store)
            window.edit_people.connect(self.open_people)
            return window

        self._open_window("support", build)

    def open_people(self) -> None:
        """Settings at the People tab (to add or change the people to turn to)."""
        self.open_settings(page="people")

    def open_about_words(self) -> None:
        """ "About these words" (from "How it works")."""
        from companion.ui.about_words import AboutWordsWindow

        self._open_window("about-words", AboutWordsWindow)

    def _open_window(self, name: str, build: Callable[[], QWidget]) -> None:
        """Bring the window forward, or build it. Closing one deletes it, so it is built
        fresh each time (today's date, the settings as they are; a draft keeps what was
        typed) and holds no memory while the app idles."""
        window = self.windows.get(name)
        if window is None:
            window = build()
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda *_, n=name: self.windows.pop(n, None))
            self.windows[name] = window
        window.show()
        window.raise_()
        window.activateWindow()

    def open_welcome(self) -> None:
        """The welcome: what will happen, and when the person sees clients (first run,
        "Set up your week…", "How it works")."""
        from companion.ui.welcome import WelcomeWindow

        def build() -> QWidget:
            window = WelcomeWindow(
                self.store, self.paths, self.library, clock=self.clock, sound=self.sound
            )
            window.intro.about_words_requested.connect(self.open_about_words)
            return window

        self._open_window("welcome", build)

    def open_problems(self) -> None:
        """What needs attention: the problems met at start-up, each with its fix, and
        the files kept aside until the person dismisses them."""
        from companion.ui.problems import ProblemsWindow

        self._open_window(
            "problems",
            lambda: ProblemsWindow(
                self.messages,
                dismissable=[(a.line(), a) for a in self.kept_aside],
                on_dismiss=self._dismiss_kept_aside,
            ),
        )

    def _dismiss_kept_aside(self, item: object) -> str | None:
        """The person has seen a damaged file kept aside: stop reporting it (it stays)."""
        assert isinstance(item, SetAside)
        try:
            dismiss_set_aside(self.paths, item.path)
        except LookupError as exc:
            return str(exc.args[0]) if exc.args else str(exc)
        except OSError as exc:
            return _("Could not note that: {reason}").format(reason=exc.strerror or exc)
        self.kept_aside = [a for a in self.kept_aside if a.path != item.path]
        self.view.set_attention(bool(self.messages or self.kept_aside))
        return None
