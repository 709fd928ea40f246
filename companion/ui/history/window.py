"""The Look back window: a week or a month of calm charts, and the glimmer jar.

It opens at once. Its frame, the period's title and every chart's frame are on screen
before any record is read; the period's numbers are read in a worker
(`companion.runtime.tasks.run_in_background`, through the window's own read-only
`JournalReader`, see reading.py) and fill the charts in when they come back. Each
period's numbers are kept for as long as the window lives, so stepping back to a period
already seen is instant. An answer for a period the person has already left is kept but
never shown over the period they are looking at; a read that fails says so in one line,
and so does a read that had to leave part of the journal out (a year set aside as damaged,
a file too large to open): the charts show the rest.

The period comes in words first (`companion.core.lookback`: "This week: 23 sessions, 6
heavy (26%, your limit 50%). …"), then its charts: the numbers come from
`companion.core.insights.history` and, for what helped per starting state, from
`lookback.what_helped`; specs.py puts them into words, chart.py draws them. A chart with
nothing to show is hidden and named in one line instead of an empty frame.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core import insights, lookback
from companion.core.clock import Clock
from companion.core.journal import Journal
from companion.core.records import PracticeRecord, Record
from companion.core.settings import Settings
from companion.core.writer import JournalWriter
from companion.i18n import N_, _, ngettext
from companion.runtime.tasks import Outcome, first_line, run_in_background
from companion.ui import kit, style
from companion.ui.history.chart import ChartCard
from companion.ui.history.jar import GlimmerJar
from companion.ui.history.reading import JournalReader, Skipped, after_paint
from companion.ui.history.specs import (
    chart_specs,
    period_title,
    placeholder_specs,
    says_little,
    summary,
)

log = logging.getLogger("companion.history")
LOADING = N_("Loading…")
NOT_READ = N_("Not read.")

# A period's numbers: its charts, its facts in words, what helped per state.
Numbers = tuple[insights.History, lookback.PeriodFacts, lookback.WhatHelped]
# (numbers, titles read with them, what the read left out: one line each)
Loaded = tuple[Numbers, dict[str, str] | None, list[str]]


def load_titles(user_practices: Path) -> dict[str, str]:
    """Practice titles by id (in a worker; titles are a nicety, ids will do)."""
    try:
        from companion.core.exercises import load_library

        return {e.id: e.title for e in load_library(user_practices)}
    except Exception:
        return {}


class HistoryWindow(QWidget):
    """ "Look back": week and month views, and the glimmer jar.

    `journal` is the app's; the window only reads, through its own `JournalReader` on the
    same folder. `titles` names practices (read from the library when not given);
    `today_sessions` / `today_heavy` count today's sessions before the day is over.
    """

    period_changed = Signal(object)  # insights.Period: now chosen (its numbers may be loading)
    history_shown = Signal(object)  # insights.History: its charts are on screen

    def __init__(
        self,
        journal: Journal,
        clock: Clock,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        titles: Mapping[str, str] | None = None,
        today_sessions: int | None = None,
        today_heavy: int | None = None,
        writer: JournalWriter | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.journal = journal
        self.clock = clock
        self.settings = settings
        self.reader = JournalReader(journal)
        # Marking a glimmer for supervision in the jar writes through this (the app's).
        self.writer = writer if writer is not None else JournalWriter(journal)
        self.today = clock.now().date()
        self._titles = dict(titles) if titles is not None else None
        self._live = (today_sessions, today_heavy)
        self._cache: dict[insights.Period, Numbers] = {}
        self._left_out: dict[insights.Period, list[str]] = {}
        self._loading: set[insights.Period] = set()
        self.current: insights.History | None = None  # what the charts show; None: loading
        self.facts: lookback.PeriodFacts | None = None  # what the words say, with `current`
        self.helped: lookback.WhatHelped | None = None
        self.period = insights.period_containing("week", self.today)
        self._chosen = [self.period]  # the period chosen, for workers (they touch no widget)
        self.setObjectName("history")
        self.setWindowTitle(_("Look back · Grounding Companion"))
        self.setAccessibleName(_("Look back"))
        self._build()
        self.show_period(self.period)
        self._size_for_screen()

    # --- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(_("Look back"))
        outer.addWidget(self.tabs)

        page = QWidget()
        pv = QVBoxLayout(page)
        pv.setContentsMargins(20, 12, 20, 0)
        pv.setSpacing(10)
        top = QHBoxLayout()
        self.title = kit.heading()
        top.addWidget(self.title, 1)
        self.week_button = kit.chip(_("Week"), _("Show a week"))
        self.month_button = kit.chip(_("Month"), _("Show a month"))
        self.kind_group = QButtonGroup(self)
        em = self.fontMetrics().horizontalAdvance("M")
        for b, kind in ((self.week_button, "week"), (self.month_button, "month")):
            b.setMinimumWidth(em * 7)
            self.kind_group.addButton(b)
            b.clicked.connect(lambda _=False, k=kind: self.set_kind(k))
            top.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        self.week_button.setChecked(True)
        pv.addLayout(top)

        nav = QHBoxLayout()
        said = QVBoxLayout()  # the words, or in their place one line saying what went wrong
        said.setSpacing(4)
        self.summary = kit.muted()
        self.summary.setObjectName("words")  # the period in words, first: plain text colour
        self.summary.setFont(style.font(1.05))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # room for two lines from the start, so "Loading…" becoming the words moves little
        self.summary.setMinimumHeight(2 * self.summary.fontMetrics().lineSpacing())
        self.not_charted = kit.hint()  # the charts that say nothing yet, named in one line
        self.not_charted.setAccessibleName(_("Charts not shown"))
        self.not_charted.hide()
        self.error = kit.error_line(_("Why the numbers are not shown"))
        self.left_out = kit.hint()  # a year set aside, a file not read: the rest is shown
        self.left_out.setAccessibleName(_("What is not shown"))
        self.left_out.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.left_out.hide()
        said.addWidget(self.summary)
        said.addWidget(self.error)
        said.addWidget(self.left_out)
        said.addWidget(self.not_charted)
        nav.addStretch(1)
        self.prev_button = kit.button(_("‹ Earlier"), _("Earlier"))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.now_button = kit.button(_("This week"))
        self.now_button.clicked.connect(self.back_to_now)
        self.next_button = kit.button(_("Later ›"), _("Later"))
        self.next_button.clicked.connect(lambda: self.step(1))
        for b in (self.prev_button, self.now_button, self.next_button):
            nav.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        pv.addLayout(nav)
        pv.addLayout(said)

        holder = QWidget()
        self.grid = QGridLayout(holder)
        self.grid.setContentsMargins(0, 0, 0, 16)
        self.grid.setSpacing(14)
        self.scroll_area = kit.scrolling(holder)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        pv.addWidget(self.scroll_area, 1)
        self.cards: dict[str, ChartCard] = {}
        self.quiet: set[str] = set()  # the cards with nothing to show: hidden, named in a line
        limit = self.settings.heavy_limit_percent
        for key, spec, note in placeholder_specs(self.period, _(LOADING), limit):
            self.cards[key] = ChartCard(spec, note)
        self._columns = 0
        self.tabs.addTab(page, _("Charts"))

        self.jar = GlimmerJar(self.reader, self.today, self.writer.replace)
        self.tabs.addTab(self.jar, _("Glimmer jar"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self._place_cards()

    def _size_for_screen(self) -> None:
        em = self.fontMetrics().horizontalAdvance("M")
        width, height = style.fit_to_screen(self, em * 80, em * 62)
        self.setMinimumSize(min(em * 34, width), min(em * 26, height))

    def _place_cards(self, *, again: bool = False) -> None:
        """Lay the cards out in one or two columns; a hidden card (it says nothing) leaves
        no hole."""
        em = self.fontMetrics().horizontalAdvance("M")
        columns = 2 if self.width() >= em * 62 else 1
        if columns == self._columns and not again:
            return
        self._columns = columns
        for card in self.cards.values():
            self.grid.removeWidget(card)
        shown = [c for k, c in self.cards.items() if k not in self.quiet]
        for i, card in enumerate(shown):
            self.grid.addWidget(card, i // columns, i % columns)
        for col in range(2):
            self.grid.setColumnStretch(col, 1 if col < columns else 0)
        for row in range(len(self.cards) + 1):
            self.grid.setRowStretch(row, 0)
        self.grid.setRowStretch((len(shown) + columns - 1) // columns, 1)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.week_button,
            self.month_button,
            self.prev_button,
            self.now_button,
            self.next_button,
        ]
        for key, card in self.cards.items():
            if key not in self.quiet:
                chain += [card.toggle, card.chart, card.table]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    # --- periods ---------------------------------------------------------------------------

    def show_period(self, period: insights.Period) -> None:
        """Show `period`: its title and buttons at once, its charts when its numbers are
        read (at once when they were read before)."""
        self.period = self._chosen[0] = period
        title = period_title(period)
        self.title.setText(title)
        self.title.setAccessibleName(_("Showing {period}").format(period=title))
        current = insights.period_containing(period.kind, self.today)
        self.next_button.setEnabled(period.start < current.start)
        self.now_button.setText(_("This week") if period.kind == "week" else _("This month"))
        self.now_button.setAccessibleName(self.now_button.text())
        self.now_button.setEnabled(period != current)
        cached = self._cache.get(period)
        if cached is not None:
            self._show_history(*cached)
        else:
            self._show_placeholders(period, _(LOADING))
            self.summary.setText(_(LOADING))
            self.not_charted.hide()
            self.summary.setAccessibleName(self.summary.text())
            kit.show_error(self.error, "")
            self._say_left_out([])
            self.summary.show()
            after_paint(self.title, lambda: self._load(period))
        self.period_changed.emit(period)

    def set_kind(self, kind: insights.PeriodKind) -> None:
        anchor = self.today if self.period.contains(self.today) else self.period.start
        (self.week_button if kind == "week" else self.month_button).setChecked(True)
        if kind != self.period.kind:
            self.show_period(insights.period_containing(kind, anchor))

    def step(self, steps: int) -> None:
        target = self.period.shifted(steps)
        if target.start > self.today:
            return
        self.show_period(target)

    def back_to_now(self) -> None:
        self.show_period(insights.period_containing(self.period.kind, self.today))

    def show_jar(self) -> None:
        self.tabs.setCurrentWidget(self.jar)

    def titles(self) -> Mapping[str, str]:
        return self._titles or {}

    # --- reading (in a worker) and showing (here) -------------------------------------------

    def _load(self, period: insights.Period) -> None:
        if period != self.period or period in self._cache or period in self._loading:
            return  # left already, read before, or already on its way
        self._loading.add(period)
        need_titles = self._titles is None
        limit = self.settings.heavy_limit_percent
        live_sessions, live_heavy = self._live
        today = self.today
        user_practices = self.journal.paths.user_practices
        reader = self.reader

        def read(journal: Journal) -> Loaded:
            start, end = insights.history_range(period)
            records: list[Record] = journal.query(None, start, end)
            rated_from = period.end - timedelta(days=insights.ACTIVATION_DAYS - 1)
            rated = journal.query(PracticeRecord, rated_from, period.end)
            h = insights.history(
                records,
                period,
                limit,
                today=today,
                live_sessions=live_sessions,
                live_heavy=live_heavy,
            )
            facts = lookback.period_facts(
                records,
                period,
                limit,
                today=today,
                live_sessions=live_sessions,
                live_heavy=live_heavy,
            )
            helped = lookback.what_helped(rated)
            wants_titles = need_titles and any(helped.any_for(s) for s in lookback.DIRECTED)
            left_out = journal.read_problems(min(start, rated_from), period.end)
            titles = load_titles(user_practices) if wants_titles else None
            return (h, facts, helped), titles, left_out

        chosen = self._chosen
        run_in_background(
            lambda: reader.read(read, wanted=lambda: chosen[0] == period),
            lambda outcome: self._arrived(period, outcome),
            context=self,
            imports=("companion.core.exercises",) if need_titles else (),
            name="history-load",
        )

    def _arrived(self, period: insights.Period, outcome: Outcome[Loaded | Skipped]) -> None:
        self._loading.discard(period)
        try:
            result = outcome.result()
        except Exception as exc:  # one calm line, never a traceback; going back tries again
            log.warning("could not read the history of %s: %s", period, first_line(exc))
            if period == self.period:
                self._show_failure(first_line(exc))
            return
        if isinstance(result, Skipped):  # left before it was read
            if period == self.period:  # ... and came back meanwhile
                self._load(period)
            return
        numbers, titles, left_out = result
        if titles is not None and self._titles is None:
            self._titles = titles
        self._cache[period] = numbers
        self._left_out[period] = left_out
        if period == self.period:  # an older answer never covers the period now shown
            self._show_history(*numbers)

    def _show_history(
        self, h: insights.History, facts: lookback.PeriodFacts, helped: lookback.WhatHelped
    ) -> None:
        self.current, self.facts, self.helped = h, facts, helped
        hidden = []
        quiet = set()
        for key, spec, note in chart_specs(h, helped, self.titles()):
            self.cards[key].set_spec(spec, note)
            if says_little(key, spec, h, helped):
                quiet.add(key)
                hidden.append(spec.title)
        if quiet != self.quiet:
            self.quiet = quiet
            for key, card in self.cards.items():
                card.setVisible(key not in quiet)
            self._place_cards(again=True)
        self._say_not_charted(hidden)
        self.summary.setText(summary(facts))
        self.summary.setAccessibleName(self.summary.text())
        kit.show_error(self.error, "")
        self._say_left_out(self._left_out.get(h.period, []))
        self.summary.show()
        self.history_shown.emit(h)

    def _say_not_charted(self, titles: list[str]) -> None:
        """The charts that have nothing to show yet, in one line instead of empty frames."""
        if not titles:
            self.not_charted.hide()
            return
        # Translators: the charts hidden because they have nothing yet, joined by " · ".
        line = _("Not charted yet, nothing to show: {charts}.").format(charts=" · ".join(titles))
        self.not_charted.setText(line)
        self.not_charted.setAccessibleDescription(line)
        self.not_charted.show()

    def _say_left_out(self, lines: list[str]) -> None:
        """One calm line under the summary when the read left part of the journal out."""
        if not lines:
            self.left_out.hide()
            return
        text = _("Not shown here: {problem}").format(problem=lines[0])
        if len(lines) > 1:
            text = ngettext(
                "{first} (and {n} more; `companion doctor` lists them)",
                "{first} (and {n} more; `companion doctor` lists them)",
                len(lines) - 1,
            ).format(first=text, n=len(lines) - 1)
        self.left_out.setText(text)
        self.left_out.setAccessibleDescription(text)
        self.left_out.show()

    def _show_failure(self, reason: str) -> None:
        self.current = None
        self._show_placeholders(self.period, _(NOT_READ))
        self.summary.hide()
        self.not_charted.hide()
        self._say_left_out([])
        kit.show_error(
            self.error, _("Look back could not read your journal: {reason}").format(reason=reason)
        )

    def _show_placeholders(self, period: insights.Period, status: str) -> None:
        self.current = self.facts = self.helped = None
        for key, spec, note in placeholder_specs(period, status, self.settings.heavy_limit_percent):
            self.cards[key].set_spec(spec, note)

    # --- events ----------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.jar:
            self.jar.load()
            self.jar.search.setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_cards()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if not event.spontaneous():  # closed or hidden, not minimised: hold no parsed journal
            self.reader.release(self)
