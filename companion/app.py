"""The composition root: the one place that knows every part and wires them together.

Core decides (`Day`: what happens when; `choices`: what fits and how it reads), the
runtime wakes us (`Wakeups`, the jump check, logind), the UI shows and reports intents.
Each thing has one owner: the settings the `SettingsStore` (everyone listens to its
`changed`), the journal the `JournalWriter` (windows are handed its `save`), slow work
`runtime.tasks` (the calendar refresh runs there and comes back on the GUI thread).
Everything here runs on the GUI thread.
"""

from __future__ import annotations

import logging
import os
import sys
import time as time_module
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from companion.app_windows import AppWindows
from companion.core import choices
from companion.core.aside import SetAside, set_aside
from companion.core.clock import Clock
from companion.core.day import Day, HideOffer, JumpDetector, Offer, OpenReflection, ShowOffer
from companion.core.exercises import Exercise, Library, load_library
from companion.core.journal import Journal, JournalError
from companion.core.no_journal import UnavailableJournal
from companion.core.paths import Paths, data_to_delete, delete_paths
from companion.core.settings import CALENDAR_FIELDS, PLANNING_FIELDS, Settings
from companion.core.writer import JournalWriter
from companion.i18n import APP_NAME, _
from companion.runtime import tasks
from companion.runtime.scheduler import JUMP_CHECK_MS, ApsWakeups, SleepWatch
from companion.runtime.settings_store import SettingsStore
from companion.ui import text
from companion.ui.offer import OfferCard, headline_for
from companion.ui.tray import (
    PAUSE_REST_OF_DAY,
    RESUME,
    CompanionWindow,
    Intents,
    Tray,
    make_view,
)

log = logging.getLogger("companion")

CALENDAR_REFRESH_MS = 15 * 60 * 1000
# How often the desktop is asked while something waits (DESIGN.md, "Never interrupt"):
# with a card up every 5 s, since a call that starts (a screen share) must take it down
# at once; with an offer held and no card, every 15 s (a check costs about 4 ms of CPU:
# 0.03 % of one core at that pace). Nothing waiting: never.
PRESENCE_POLL_MS = 5_000
HELD_POLL_MS = 15_000


class App(QObject, AppWindows):
    status_changed = Signal(str)

    def __init__(
        self,
        paths: Paths,
        clock: Clock,
        *,
        wakeups: Any = None,
        tray: bool | None = None,
        sound: Any = None,
        player_clock: Clock | None = None,
        demo: bool = False,
        intents: Intents | None = None,
        view: Tray | CompanionWindow | None = None,
        presence: Any = None,
    ) -> None:
        super().__init__()
        text.install()  # every time the app writes, core messages included, in the locale's form
        self.paths = paths.ensure()
        self.clock = clock
        self.player_clock = player_clock or clock
        self.demo = demo
        self.messages: list[str] = []
        self.kept_aside: list[SetAside] = []
        self.store = SettingsStore(self.paths.settings, self)
        if self.store.problem:
            self.messages.append(
                _("{problem}; using the built-in defaults until it is fixed").format(
                    problem=self.store.problem
                )
            )
        self.store.changed.connect(self._settings_changed)
        self.journal: Journal | UnavailableJournal = self._open_journal()
        self.messages += self.journal.notices
        self.writer = JournalWriter(self.journal)
        self.library = self._load_library()
        if sound is None:
            from companion.runtime.sound import Sound

            sound = Sound(
                self.settings.sound,
                ticks=self.settings.phase_ticks,
                guidance=self.settings.guidance,
            )
        self.sound = sound
        self._follow_guidance(self.settings)
        self.calendar_problems: tuple[str, ...] = ()
        # One calendar read at a time: a request meanwhile reads again, with the settings
        # of that moment, once the running one is back (so an older read never overwrites
        # a newer one); `_erased` counts "Delete all my data", so a read that began before
        # it cannot bring back what it cached.
        self._reading = False
        self._read_again = False
        self._erased = 0
        self._quitting = False
        self.day = Day(
            clock=clock, journal=self.journal, settings=self.settings, plan_for=self.plan_for
        )
        self.intents = intents if intents is not None else Intents(self)
        self._connect_intents()
        if view is None:
            view = make_view(self.intents, tray, parent=self)
        self.view: Tray | CompanionWindow = view
        self.has_tray = isinstance(view, Tray)
        self.wakeups = wakeups if wakeups is not None else ApsWakeups(self)
        self.wakeups.wake.connect(self.on_wake)
        self.jump = JumpDetector(clock)
        self.jump_timer = QTimer(self)
        self.jump_timer.setObjectName("clock-jump-check")
        self.jump_timer.setInterval(JUMP_CHECK_MS)
        self.jump_timer.timeout.connect(self.check_clock)
        self.sleep_watch = SleepWatch(self)
        self.sleep_watch.resumed.connect(self.replan)
        self.calendar_timer = QTimer(self)
        self.calendar_timer.setObjectName("calendar-refresh")
        self.calendar_timer.setInterval(CALENDAR_REFRESH_MS)
        self.calendar_timer.timeout.connect(self.refresh_calendar)
        # Is a call live, the screen locked, Do Not Disturb on? Asked only while an offer
        # (or the reflection) waits, then every few seconds until it can be shown.
        self.presence = presence
        self.dnd = False
        self.presence_timer = QTimer(self)
        self.presence_timer.setObjectName("presence-check")
        self.presence_timer.setSingleShot(True)
        self.presence_timer.setInterval(PRESENCE_POLL_MS)
        self.presence_timer.timeout.connect(self.on_wake)
        self.cards: dict[str, OfferCard] = {}
        self.windows: dict[str, QWidget] = {}
        self.player: QWidget | None = None

    @property
    def settings(self) -> Settings:
        return self.store.settings

    # --- start and stop ----------------------------------------------------------------

    def start(self) -> None:
        self.view.show()
        if not self.has_tray:
            log.warning("no system tray found; showing a small window instead")
        for message in self.messages:
            print(f"companion: {message}", file=sys.stderr)
            self.view.notify(_(APP_NAME), message)
        self.kept_aside = set_aside(self.paths)  # damaged files, until the person dismisses
        shown = [str(a.path) for a in self.kept_aside]
        # The journal's own notice of a file it set aside is the same news: said once.
        self.messages = [m for m in self.messages if not any(p in m for p in shown)]
        if self.messages or self.kept_aside:  # said in a window, kept in the menu meanwhile
            self.view.set_attention(True)
            self.open_problems()
        if not self.settings.schedule_confirmed:  # a first run: nothing is guessed
            self.open_welcome()
        self.replan()
        self.jump_timer.start()
        if self.settings.schedule_source == "calendar":
            self.refresh_calendar()
            self.calendar_timer.start()
        if os.environ.get("COMPANION_BENCH_SHOWN"):
            # bench/startup.py: the day is planned and the app fully working; now leave.
            print(f"ready {time_module.time():.6f}", flush=True)
            if os.environ["COMPANION_BENCH_SHOWN"] != "stay":  # "stay": the bench stops it
                QTimer.singleShot(0, self.quit)

    def quit(self) -> None:
        self._quitting = True  # a calendar read that comes back now changes nothing
        self.presence_timer.stop()
        self.wakeups.shutdown()
        self.jump_timer.stop()
        self.calendar_timer.stop()
        self.day.closing()  # a card still up was left unanswered: journaled as ignored
        for card in list(self.cards.values()):
            card.close()
        close = getattr(self.sound, "close", None)
        if close is not None:
            close()
        self.journal.close()
        if isinstance(self.view, CompanionWindow):
            self.view.quitting = True  # Qt 6's quit() asks every window; this one must agree
        app = QApplication.instance()
        if app is not None:
            app.quit()

    # --- planning ------------------------------------------------------------------------

    def _open_journal(self) -> Journal | UnavailableJournal:
        """The journal, or, when it cannot be opened at all (written by a newer version,
        a folder that cannot be read), a stand-in: the app runs with what it can."""
        try:
            return Journal(self.paths, self.clock).open()
        except (JournalError, OSError) as exc:
            reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
            log.warning("the journal could not be opened: %s", reason)
            self.messages.append(
                _(
                    "The journal could not be opened ({reason}). Practices are still "
                    "offered, but nothing is saved until it is fixed."
                ).format(reason=reason)
            )
            return UnavailableJournal(self.paths, self.clock, reason)

    def _load_library(self) -> Library:
        library = load_library(self.paths.user_practices)
        self.messages += [_("{problem} (skipped)").format(problem=p) for p in library.problems]
        return library

    def plan_for(self, day: date) -> Any:
        """Today's plan from what is known now (a calendar is served from its cache;
        the worker refresh re-plans when it brings news). A standing week needs none of
        the calendar code, so the idle app of someone without a calendar never loads it."""
        from companion.core.planner import plan_day, sessions_span

        first, days = sessions_span(day)  # the days around it too: breaks across midnight
        if self.settings.schedule_source != "calendar":
            from companion.core.calendar.week import week_sessions

            sessions = week_sessions(self.settings, first, days)
            return plan_day(sessions, self.settings, day, self.library)
        from companion.core.calendar.sources import sessions_for

        found = sessions_for(
            self.settings, first, paths=self.paths, clock=self.clock, days=days, refresh=False
        )
        if found.problems or found.skipped_lines:  # else a refresh's own line stays
            self.calendar_problems = (*found.problems, *found.skipped_lines)
        return plan_day(list(found.sessions), self.settings, day, self.library)

    @Slot()
    def replan(self) -> None:
        self.day.replan(self.settings)
        self.on_wake()

    @Slot()
    def check_clock(self) -> None:
        if self.jump.check():
            log.info("the clock moved (sleep, a change of time or zone); planning again")
            self.replan()
        else:
            self.refresh_view()

    def refresh_calendar(self) -> None:
        """Read or fetch the calendar sources in the background; re-plan with the news."""
        from companion.core.calendar import sources, warm

        if self._reading:
            self._read_again = True  # with the settings as they will be then
            return
        self._reading, self._read_again = True, False
        settings, paths, clock, erased = self.settings, self.paths, self.clock, self._erased
        tasks.run_in_background(
            lambda: sources.refresh_calendars(settings, paths=paths, clock=clock),
            lambda outcome: self._calendar_done(outcome, erased),
            context=self,
            prepare=warm.warm_up,
            name="calendar-refresh",
        )

    def _calendar_done(self, outcome: tasks.Outcome[Any], erased: int) -> None:
        self._reading = False
        if self._quitting:
            return
        if erased != self._erased:
            # Everything was deleted while this read ran: what it cached goes too.
            cache = self.paths.calendar_cache.name
            delete_paths([p for p in data_to_delete(self.paths) if p.name.startswith(cache)])
        calendar = self.settings.schedule_source == "calendar"
        if self._read_again and calendar:
            self.refresh_calendar()  # this answer is already out of date
            return
        if not calendar:
            self.calendar_problems = ()  # switched to a standing week meanwhile
        elif erased == self._erased:
            try:
                result = outcome.result()
            except Exception as exc:  # one line in the tooltip; the last good plan stays
                log.warning("the calendar refresh failed: %s", type(exc).__name__)
                self.calendar_problems = (
                    _("calendar: {reason}").format(reason=type(exc).__name__),
                )
            else:
                self.calendar_problems = (
                    *getattr(result, "problems", ()),
                    *getattr(result, "skipped_lines", ()),
                )
        self.replan()

    # --- the clock reaches something ------------------------------------------------------

    @Slot()
    def on_wake(self) -> None:
        waiting = self.day.offer_waiting() or self.day.reflection_waiting()
        self._sense(waiting)
        for action in self.day.tick():
            if isinstance(action, ShowOffer):
                self.show_offer(action.offer)
            elif isinstance(action, HideOffer):
                self.hide_offer(action.key)
            elif isinstance(action, OpenReflection):
                self.open_reflection(automatic=True)
        self.reschedule()
        self.refresh_view()
        # A card up, or an offer held by a call or an absence: ask again; nothing waits: no ask.
        if self.cards:
            self.presence_timer.start(PRESENCE_POLL_MS)  # a call that starts takes it down
        elif self.day.busy and (self.day.offer_waiting() or self.day.reflection_waiting()):
            self.presence_timer.start(HELD_POLL_MS)
        else:
            self.presence_timer.stop()
        self.journal.release()  # idle until the next wake-up: hold no parsed journal

    def _sense(self, waiting: bool) -> None:
        """Ask the desktop, but only while something waits to be shown (or is up)."""
        if not (waiting or self.cards) or not self.settings.hold_for_calls:
            self.day.busy, self.dnd = frozenset(), False
            return
        if self.presence is None:
            from companion.runtime.presence import make_presence_check

            self.presence = make_presence_check()
        now = self.presence.check()
        self.day.busy = frozenset(
            reason for reason, on in (("call", now.call), ("away", now.away)) if on
        )
        self.dnd = now.dnd

    def reschedule(self) -> None:
        self.wakeups.set_times(self.day.wake_times())

    def refresh_view(self) -> None:
        status = self.day.status()
        text = status.describe()
        if self.calendar_problems:
            text += f"\n{self.calendar_problems[0]}"
        self.view.set_status(status.state, text, offer=bool(self.cards))
        self.view.set_day_line(status.day_line(), setup=status.unconfirmed)
        self.view.set_practices(self.practices_now())
        self.refresh_cards()
        self.status_changed.emit(text)

    # --- offers ----------------------------------------------------------------------------

    def practice_deadline(self) -> datetime | None:
        """When a practice started now must be over (core/choices.py decides)."""
        now = self.clock.now()
        return choices.practice_deadline(
            next_start=self.day.status().next_start, window=self.day.window_at(now)
        )

    def seconds_until_next(self) -> float | None:
        """How long a practice started now may take, or None with no session ahead today."""
        return choices.seconds_left(self.practice_deadline(), self.clock.now())

    def practices_now(self) -> list[choices.Choice]:
        plan = self.day.plan  # after the day's last session "leave it at the door" leads
        ends = [s.end for s in plan.sessions] if plan is not None else []
        done = choices.day_is_done(ends, self.day.status().next_start, self.clock.now())
        return choices.practices_now(
            self.library,
            self.seconds_until_next(),
            self.settings.favourite_practices,
            day_done=done,
        )

    def _offer_choices(self, offer: Offer) -> choices.OfferChoices:
        return choices.offer_choices(
            self.library, offer, self.clock.now(), self.settings.favourite_practices
        )

    def show_offer(self, offer: Offer) -> None:
        if offer.key in self.cards:
            return
        now = self.clock.now()
        suggestion, others = self._offer_choices(offer)
        card = OfferCard(
            self.clock,
            headline=headline_for(now, offer.end, offer.next_session),
            suggestion=suggestion,
            others=others,
            note=choices.heavy_note(offer),
            can_snooze=self.day.can_snooze(offer.key),
            # Left alone, the card goes down to the tray, whose icon keeps saying an offer
            # waits; with no tray it only stops staying on top.
            hide_when_lowered=self.has_tray,
        )
        card.start.connect(lambda ex_id, k=offer.key: self._offer_taken(k, ex_id))
        card.snooze.connect(lambda k=offer.key: self._offer_snoozed(k))
        card.skip.connect(lambda k=offer.key: self._offer_skipped(k))
        self.cards[offer.key] = card
        card.place_near(self.view.anchor())
        card.show()
        if card.isVisible():
            return  # one offer, one place: the card, and no notification beside it
        if suggestion is not None:
            text = _("{headline}. Suggested: {practice}.").format(
                headline=card.headline.text(), practice=suggestion.label
            )
        else:
            text = _("{headline}.").format(headline=card.headline.text())
        if not self.dnd:  # only where the card could not be shown (and never in Do Not Disturb)
            self.view.notify(_("A few minutes for you"), text)

    def refresh_cards(self) -> None:
        """Minutes pass while a card waits: keep its count, its choices and its snooze
        button true (called on every wake-up and by the once-a-minute check)."""
        now = self.clock.now()
        for key, card in self.cards.items():
            offer = self.day.offer(key)
            if offer is None:
                continue
            suggestion, others = self._offer_choices(offer)
            card.refresh(
                headline_for(now, offer.end, offer.next_session),
                suggestion,
                others,
                can_snooze=self.day.can_snooze(key),
            )

    def hide_offer(self, key: str) -> None:
        card = self.cards.pop(key, None)
        if card is not None:
            card.close()
            card.deleteLater()

    def _offer_taken(self, key: str, exercise_id: str) -> None:
        # by the practice deadline (the card's window); a session has just ended
        if self.start_practice(exercise_id, after_session=True):
            self.day.taken(key)
        else:
            self.day.expired(key)
            self.view.notify(
                _(APP_NAME), _("Too little time is left for a practice before you go.")
            )
        self.hide_offer(key)
        self.on_wake()

    def _offer_snoozed(self, key: str) -> None:
        self.day.snooze(key)
        self.hide_offer(key)
        self.on_wake()

    def _offer_skipped(self, key: str) -> None:
        self.day.skipped(key)
        self.hide_offer(key)
        self.on_wake()

    @Slot()
    def bring_offer_forward(self) -> None:
        """The waiting card comes up (a click on its notification, a second `run`)."""
        for card in self.cards.values():
            card.show()
            card.raise_()

    @Slot()
    def tray_clicked(self) -> None:
        """A click on the icon: the waiting card, or with none the menu, which is what a
        left click is expected to open. Only a real click opens it: it takes the pointer
        and the keyboard, so nothing else may."""
        if self.cards:
            self.bring_offer_forward()
        elif isinstance(self.view, Tray):
            self.view.popup_menu()

    # --- windows ---------------------------------------------------------------------------

    def start_practice(self, exercise_id: str, *, after_session: bool = False) -> bool:
        """Open the player, the practice fitted to end by the practice deadline. False if
        it is unknown or nothing of it fits. `after_session`: it came from the offer after
        a session (only then does its end screen ask for a glimmer)."""
        from companion.core.exercises import fit
        from companion.ui.player import LEAD_IN_S, PlayerWindow

        exercise = self.library.get(exercise_id)
        if exercise is None:
            log.warning("no practice called %r", exercise_id)
            return False
        seconds = self.seconds_until_next()
        ends_by = None
        if seconds is not None and self.day.session_at(self.clock.now()) is None:
            fitted = fit(exercise, seconds - LEAD_IN_S)  # it begins after the first screen
            if fitted is None:
                return False
            exercise = fitted
            ends_by = self.player_clock.monotonic() + seconds
        if self.player is not None:
            self.player.close()
        player = PlayerWindow(
            exercise,
            self.player_clock,
            self.settings,
            self.sound,
            save=self.writer.save,
            ends_by=ends_by,
            wall=self.clock,  # in --demo the records follow the demo's day
            after_session=after_session,
            suggest=lambda state, s=seconds, f=exercise.family: self._for_state(state, s, f),
        )
        player.switch.connect(lambda ex_id, a=after_session: self._switch_practice(ex_id, a))
        player.destroyed.connect(lambda *_: setattr(self, "player", None))
        self.player = player
        player.show()
        player.raise_()
        player.activateWindow()
        return True

    def _for_state(self, state: str, seconds: float | None, family: str) -> Exercise | None:
        """The practice that suits `state` best, other than `family` (the one open)."""
        fitted = choices.for_state(
            self.library, seconds, state, favourites=self.settings.favourite_practices
        )
        return next((ex for ex in fitted if ex.family != family), None)

    def _switch_practice(self, exercise_id: str, after_session: bool) -> None:
        """The first screen's one-click switch: the player that offered it has closed."""
        QTimer.singleShot(0, lambda: self.start_practice(exercise_id, after_session=after_session))

    @Slot(object, object)
    def _settings_changed(self, settings: Settings, names: frozenset[str]) -> None:
        """The store saved a change (from any window): follow what it touches."""
        self.day.settings = settings
        if "sound" in names:
            set_level = getattr(self.sound, "set_level", None)
            if set_level is not None:
                set_level(settings.sound)
        if "phase_ticks" in names:
            set_ticks = getattr(self.sound, "set_ticks", None)
            if set_ticks is not None:
                set_ticks(settings.phase_ticks)
        if "guidance" in names:
            self._follow_guidance(settings)
        if names & PLANNING_FIELDS:
            self.replan()
        if names & CALENDAR_FIELDS:
            if settings.schedule_source == "calendar":
                self.refresh_calendar()
                self.calendar_timer.start()
            else:
                self.calendar_timer.stop()
                self.calendar_problems = ()
                self.refresh_view()

    def _follow_guidance(self, settings: Settings) -> None:
        """Voice and tones, tones only, or silent: the sound follows the setting."""
        set_guidance = getattr(self.sound, "set_guidance", None)
        if set_guidance is not None:
            set_guidance(settings.guidance)

    def _data_deleted(self) -> None:
        """ "Delete all my data" removed the files: start over on a fresh journal and the
        built-in settings."""
        self._erased += 1  # a calendar read under way must not bring its cache back
        self.journal.close()
        self.journal = self._open_journal()
        self.day.journal = self.journal
        self.writer.journal = self.journal
        self.store.forget()
        self.replan()

    # --- pauses and commands ------------------------------------------------------------

    def pause(self, minutes: int) -> None:
        if minutes == RESUME:
            self.day.resume("manual")
        else:
            self.day.pause_for("manual", None if minutes == PAUSE_REST_OF_DAY else minutes)
        if minutes != RESUME:
            for key in list(self.cards):
                self.day.skipped(key)
                self.hide_offer(key)
        self.on_wake()

    def handle_command(self, command: str) -> None:
        """A command from another `companion` process (see runtime/single.py)."""
        actions: dict[str, Callable[[], None]] = {
            "show": self._bring_forward,
            "glimmer": self.open_glimmer,
            "reflect": self.open_reflection,
            "history": self.open_history,
            "settings": self.open_settings,
            "plan": self.open_plan,
        }
        action = actions.get(command)
        if action is not None:
            QTimer.singleShot(0, action)

    def _bring_forward(self) -> None:
        if isinstance(self.view, CompanionWindow):
            self.view.showNormal()
            self.view.raise_()
            self.view.activateWindow()
        else:
            self.view.notify(_(APP_NAME), _("Already running here in the tray."))
        self.bring_offer_forward()

    def _connect_intents(self) -> None:
        i = self.intents
        i.problems.connect(self.open_problems)
        i.welcome.connect(self.open_welcome)
        i.practice.connect(self.start_practice)
        i.glimmer.connect(self.open_glimmer)
        i.reflect.connect(self.open_reflection)
        i.history.connect(self.open_history)
        i.support.connect(self.open_support)
        i.pause.connect(self.pause)
        i.plan.connect(self.open_plan)
        i.settings.connect(self.open_settings)
        i.show_offer.connect(self.bring_offer_forward)
        i.tray_clicked.connect(self.tray_clicked)
        i.quit.connect(self.quit)
