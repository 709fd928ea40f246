"""The end-of-day reflection: today at a glance, three questions, a short check-in,
and on the weekly day a look at the week.

The window shows state and hands what the person saved to `save` (the app's one
journal writer); it never writes the journal itself, and only reads recent records
from `journal`. What it shows is decided in `companion.core.insights` (the glance, the
week, the pattern note, the reminder); what is typed is kept as a draft through
`companion.core.drafts` a moment after each change, so closing the window, a crash or a
logout loses nothing. When a save fails, the window stays open with one calm line
near its buttons, keeps every word on screen and in the draft, and Save simply works
again once the disk does. Its pieces (sliders, tiles, the week) are in
`companion.ui.reflection_parts`.

Signals: `saved(ReflectionRecord)`, `skipped()`, `closed()`, and
`support_requested()` when the person follows "If today was a lot…" (in the footer, and
in the gentle note): the app opens its Support window then. The window itself shows no
contacts and assesses nothing.
"""

from __future__ import annotations

import itertools
import logging
import random
from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from companion.core import insights
from companion.core.clock import Clock
from companion.core.journal import Journal
from companion.core.paths import Paths
from companion.core.records import GlimmerRecord, NoteShownRecord, Record, ReflectionRecord
from companion.core.reflection_drafts import ReflectionDraft, ReflectionDraftStore
from companion.core.settings import Settings
from companion.core.writer import Save, Saved
from companion.i18n import _
from companion.ui import kit, style, text
from companion.ui.reflection_form import ReflectionForm
from companion.ui.reflection_parts import (
    SUPERVISION_LABELS,
    SUPPORT_LINK,
    SUPPORT_NAME,
    WeekBox,
    glance_tiles,
    glimmers_html,
    note_html,
    reminder_html,
    tile,
)

log = logging.getLogger("companion.reflection")

DRAFT_DELAY_MS = 600

#: Opens the glimmer prompt over `parent` and saves what is given through `save`:
#: (parent, save, clock, source) -> None.
GlimmerPrompt = Callable[[QWidget, Save, Clock, str], None]


class ReflectionWindow(QWidget):
    """The end-of-day window. Construct, `show()`; what is saved goes through `save`."""

    saved = Signal(object)  # ReflectionRecord
    skipped = Signal()
    closed = Signal()
    support_requested = Signal()  # "If today was a lot…": the app shows its Support window

    def __init__(
        self,
        journal: Journal,
        clock: Clock,
        settings: Settings,
        paths: Paths,
        *,
        save: Save,
        today_sessions: int | None = None,
        today_heavy: int | None = None,
        parent: QWidget | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.journal = journal
        self.clock = clock
        self.settings = settings
        self.paths = paths
        self._save = save
        self.day = clock.now().date()
        self.drafts = ReflectionDraftStore(paths)
        self._live = (today_sessions, today_heavy)
        self._rng = rng or random.Random()  # noqa: S311 (which glimmer to recall)
        self._finished = False
        self._note: insights.PatternNote | None = None

        self.setObjectName("reflection")
        self.setWindowTitle(_("End of the day · Grounding Companion"))
        self.setAccessibleName(_("End of the day reflection"))
        self._draft_timer = QTimer(self)
        self._draft_timer.setObjectName("reflection-draft-timer")
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)

        # Four weeks for the pattern note, and the whole month for "once a month" (on the
        # 31st the month began 30 days ago).
        since = min(self.day - timedelta(days=27), self.day.replace(day=1))
        recent: list[Record] = journal.query(None, since, self.day)
        self._recent = recent
        self.week_due = insights.week_review_due(
            self.day,
            settings.weekly_review_day,
            [r for r in recent if isinstance(r, ReflectionRecord)],
        )
        self.monthly = insights.first_of_the_month(self._reflections(), self.day)
        self._build()
        self._fill_glance()
        self._fill_reminder()
        self._restore()
        self._wire_draft()
        self._maybe_show_note(self._reflections())
        self._size_for_screen()

    # --- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        body = QWidget()
        body.setObjectName("reflection-body")
        self.scroll_area = kit.scrolling(body)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.scroll_area, 1)
        col = QVBoxLayout(body)
        col.setContentsMargins(28, 22, 28, 16)
        col.setSpacing(14)

        day = text.day_heading(self.day)
        title = kit.heading(_("End of the day"))
        title.setAccessibleName(_("End of the day, {date}").format(date=day))
        when = kit.muted(day, wrap=False)
        head = QHBoxLayout()
        head.addWidget(title, 1)
        head.addWidget(when, 0, Qt.AlignmentFlag.AlignBottom)
        col.addLayout(head)

        # Today at a glance
        self.glance = kit.card()
        g = QVBoxLayout(self.glance)
        g.setContentsMargins(16, 12, 16, 12)
        g.setSpacing(8)
        g.addWidget(self._heading(_("Today at a glance")))
        self.tiles = QHBoxLayout()
        self.tiles.setSpacing(12)
        g.addLayout(self.tiles)
        self.glimmers_today = QLabel()
        self.glimmers_today.setWordWrap(True)
        self.glimmers_today.setTextFormat(Qt.TextFormat.RichText)
        g.addWidget(self.glimmers_today)
        col.addWidget(self.glance)

        # A remembered glimmer
        self.reminder = QLabel()
        self.reminder.setWordWrap(True)
        self.reminder.setTextFormat(Qt.TextFormat.RichText)
        self.reminder.setContentsMargins(4, 0, 4, 0)
        col.addWidget(self.reminder)

        # The pattern note (filled in when there is one)
        self.note_frame = kit.note_card()
        self.note_frame.hide()
        n = QVBoxLayout(self.note_frame)
        n.setContentsMargins(16, 12, 16, 12)
        n.setSpacing(6)
        note_title = QLabel(_("A gentle note"))
        note_title.setObjectName("note-title")
        note_title.setFont(style.font(1.05, bold=True))
        note_title.setWordWrap(True)
        n.addWidget(note_title)
        self.note_text = QLabel()
        self.note_text.setWordWrap(True)
        self.note_text.setTextFormat(Qt.TextFormat.RichText)
        self.note_text.setOpenExternalLinks(True)
        self.note_text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        n.addWidget(self.note_text)
        note_row = QHBoxLayout()
        self.note_support = kit.link_button(_(SUPPORT_LINK), _(SUPPORT_NAME))
        self.note_support.setObjectName("link")
        self.note_support.clicked.connect(self.support_requested)
        note_row.addWidget(self.note_support)
        note_row.addStretch(1)
        self.note_dismiss = kit.button(_("Thank you, hide this"), _("Hide the gentle note"))
        self.note_dismiss.clicked.connect(self._dismiss_note)
        note_row.addWidget(self.note_dismiss)
        n.addLayout(note_row)
        col.addWidget(self.note_frame)

        # The form
        self.form = ReflectionForm(
            monthly=self.monthly,
            proqol=self.monthly and self.settings.proqol_reminder,
            owner=self,
        )
        self.fields, self.chips = self.form.fields, self.form.chips
        self.sliders, self.checks = self.form.sliders, self.form.checks
        self.for_supervision = self.form.for_supervision
        self.form.submitted.connect(self._save_shortcut)
        f = self.form.layout()
        assert isinstance(f, QVBoxLayout)

        # The week, on the weekly day
        self.supervision_group = QButtonGroup(self)
        self.supervision: dict[str, QRadioButton] = {}
        self.week_box: QFrame = kit.card()
        if self.week_due:
            items: list[Record] = self.journal.query(None, self.day - timedelta(days=13), self.day)
            week = insights.week_summary(
                items,
                self.day,
                self.settings.heavy_limit_percent,
                live_sessions=self._live[0],
                live_heavy=self._live[1],
            )
            week_box = WeekBox(week, self.supervision_group)
            self.week_box, self.week, self.week_text = week_box, week, week_box.text
            self.week_lines = week_box.lines
            self.supervision = week_box.supervision
            f.addSpacing(6)
            f.addWidget(week_box)
        col.addWidget(self.form)
        col.addStretch(1)

        # The thank-you page (after Save, when a note is to be shown)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setFont(style.font(1.15))
        self.done_label.hide()
        col.insertWidget(1, self.done_label)

        # Buttons (outside the scroll area: always visible), with the line that says
        # when something could not be saved
        bar = QFrame()
        bar.setObjectName("button-bar")
        bar_col = QVBoxLayout(bar)
        bar_col.setContentsMargins(28, 10, 28, 14)
        bar_col.setSpacing(8)
        self.error = kit.error_line(_("Could not save"))
        bar_col.addWidget(self.error)
        row = QHBoxLayout()
        self.glimmer_button = kit.button(_("Note a glimmer…"), _("Note a glimmer"))
        self.glimmer_button.clicked.connect(self._note_glimmer)
        self.glimmer_button.setVisible(_glimmer_prompt() is not None)
        row.addWidget(self.glimmer_button)
        row.addStretch(1)
        self.skip_button = kit.button(_("Skip today"), _("Skip today's reflection"))
        self.skip_button.clicked.connect(self.skip)
        self.save_button = kit.primary_button(_("Save"), _("Save the reflection"))
        self.save_button.clicked.connect(self.save)
        self.close_button = kit.primary_button(_("Close"), _("Close the window"))
        self.close_button.setDefault(False)
        self.close_button.clicked.connect(self.close)
        self.close_button.hide()
        row.addWidget(self.skip_button)
        row.addWidget(self.save_button)
        row.addWidget(self.close_button)
        bar_col.addLayout(row)
        footer = QHBoxLayout()
        self.support_link = kit.link_button(_(SUPPORT_LINK), _(SUPPORT_NAME))
        self.support_link.clicked.connect(self.support_requested)
        footer.addWidget(self.support_link)
        footer.addStretch(1)
        bar_col.addLayout(footer)
        outer.addWidget(bar)

        QShortcut(QKeySequence("Ctrl+Return"), self, self._save_shortcut)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self._save_shortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self._set_tab_order()

    def _heading(self, title: str) -> QLabel:
        return kit.named(kit.heading(title, level=2), title)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.note_text, self.note_support, self.note_dismiss]
        chain += self.form.focus_order()
        chain += [self.supervision[k] for k, _s in SUPERVISION_LABELS if k in self.supervision]
        chain += [self.glimmer_button, self.skip_button, self.save_button, self.close_button]
        chain.append(self.support_link)
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    def _size_for_screen(self) -> None:
        em = self.fontMetrics().horizontalAdvance("M")
        self.setMinimumWidth(em * 30)
        style.fit_to_screen(self, em * 54, em * 64)

    # --- content ---------------------------------------------------------------------------

    def _fill_glance(self) -> None:
        while self.tiles.count():
            item = self.tiles.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        today: list[Record] = self.journal.query(None, self.day, self.day)
        glance = insights.day_glance(
            today, self.day, live_sessions=self._live[0], live_heavy=self._live[1]
        )
        self.glance_data = glance
        for t in glance_tiles(glance):
            self.tiles.addWidget(tile(t), 1)
        if glance.glimmers:
            muted = style.palette_colors(self).muted.name()
            self.glimmers_today.setText(glimmers_html(glance, muted))
            self.glimmers_today.setAccessibleName(
                _("Glimmers noted today: {glimmers}").format(
                    glimmers="; ".join(g.text for g in glance.glimmers)
                )
            )
            self.glimmers_today.show()
        else:
            self.glimmers_today.hide()

    def _fill_reminder(self) -> None:
        glimmers = self.journal.query(GlimmerRecord, None, self.day - timedelta(days=1))
        g = insights.pick_reminder(glimmers, self.day, self._rng)
        self.reminder_glimmer = g
        if g is None:
            self.reminder.hide()
            return
        when = text.day_heading_year(g.on)
        self.reminder.setText(reminder_html(g.text, when, style.palette_colors(self).muted.name()))
        self.reminder.setAccessibleName(
            _("A glimmer from {date}: {glimmer}").format(date=when, glimmer=g.text)
        )
        self.reminder.show()

    def _reflections(self, extra: list[ReflectionRecord] | None = None) -> list[ReflectionRecord]:
        refs = [r for r in self._recent if isinstance(r, ReflectionRecord)]
        return refs + (extra or [])

    def _maybe_show_note(self, reflections: list[ReflectionRecord]) -> bool:
        if self._note is not None:
            return False
        notes = [r for r in self._recent if isinstance(r, NoteShownRecord)]
        note = insights.pattern_note(reflections, notes, self.day)
        if note is None:
            return False
        self._note = note
        shown, spoken = note_html(note)
        self.note_text.setText(shown)
        self.note_text.setAccessibleName(_("A gentle note"))
        self.note_text.setAccessibleDescription(spoken)
        self.note_frame.show()
        # The journal keeps the note's plain English summary (like a log line); if it
        # cannot be written the note still shows, and may show again another day.
        record = NoteShownRecord(at=self.clock.now(), day=self.day, note=note.summary)
        if self._save(record):
            self._recent.append(record)
        return True

    def _dismiss_note(self) -> None:
        if self._note is not None:
            self._save(
                NoteShownRecord(
                    at=self.clock.now(), day=self.day, note=self._note.summary, dismissed=True
                )
            )
        self.note_frame.hide()
        if self._finished:
            self.close()
        else:
            self.fields["went_well"].setFocus()

    # --- draft -----------------------------------------------------------------------------

    def _wire_draft(self) -> None:
        self.form.changed.connect(self._changed)
        self.supervision_group.buttonToggled.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        if not self._finished:
            self._draft_timer.start()

    def draft(self) -> ReflectionDraft:
        """What the form holds now."""
        chosen = [k for k, rb in self.supervision.items() if rb.isChecked()]
        restored = getattr(self, "restored", None)
        base = ReflectionDraft(
            day=self.day,
            supervision=chosen[0] if chosen else None,
            did_well=restored.did_well if restored is not None else "",
            keeps_me=restored.keeps_me if restored is not None else "",
        )
        return self.form.draft(base)

    def save_draft(self) -> None:
        self._draft_timer.stop()
        if self._finished:
            return
        draft = self.draft()
        try:
            if draft.is_empty:
                self.drafts.discard(self.day)
            else:
                self.drafts.save(draft)
        except OSError as exc:  # the words stay on screen; the next change tries again
            log.warning("could not keep the reflection draft: %s", exc.strerror or exc)

    def _restore(self) -> None:
        self.drafts.prune(self.day)
        draft = self.drafts.load(self.day)
        if draft is None:
            earlier = insights.saved_reflections(self._recent).get(self.day)
            if earlier is None:
                return
            draft = ReflectionDraft(
                day=self.day,
                went_well=earlier.went_well,
                resilience=earlier.resilience,
                felt_in=earlier.felt_in,
                body=earlier.body,
                did_well=earlier.did_well,
                set_down=earlier.set_down,
                keeps_me=earlier.keeps_me,
                still_with_me=earlier.still_with_me,
                energy=earlier.energy,
                connected=earlier.connected,
                warning_signs=earlier.warning_signs,
                supervision=earlier.supervision,
                for_supervision=earlier.for_supervision,
            )
        self.restored = draft
        self.form.fill(draft)
        if draft.supervision in self.supervision:
            self.supervision[draft.supervision].setChecked(True)

    # --- intents ---------------------------------------------------------------------------

    def _save_shortcut(self) -> None:
        if not self._finished:
            self.save()

    def save(self) -> ReflectionRecord | None:
        """Save the reflection; None (and the window stays, words kept) if it failed."""
        if self._finished:  # saved already: a second press must not save it twice
            return None
        d = self.draft()
        record = ReflectionRecord(
            at=self.clock.now(),
            day=self.day,
            went_well=d.went_well,
            resilience=d.resilience,
            felt_in=d.felt_in,
            body=d.body,
            did_well=d.did_well,
            set_down=d.set_down,
            keeps_me=d.keeps_me,
            still_with_me=d.still_with_me,
            energy=d.energy,
            connected=d.connected,
            warning_signs=d.warning_signs,
            supervision=d.supervision if self.week_due else None,
            for_supervision=d.for_supervision,
        )
        if not self._saved(self._save(record)):
            return None
        self._finish()
        self.saved.emit(record)
        if self._maybe_show_note(self._reflections([record])):
            self._thank_you()
        else:
            self.close()
        return record

    def skip(self) -> ReflectionRecord | None:
        """Record that today was skipped; None (and the window stays) if it failed."""
        if self._finished:
            return None
        record = ReflectionRecord(at=self.clock.now(), day=self.day, skipped=True)
        if not self._saved(self._save(record)):
            return None
        self._finish()
        self.skipped.emit()
        self.close()
        return record

    def _saved(self, saved: Saved) -> bool:
        """Show why a save failed (keeping the words, here and in the draft), or clear it."""
        kit.show_error(self.error, "" if saved else saved.message)
        if not saved:
            self.save_draft()
        return bool(saved)

    def _finish(self) -> None:
        self._finished = True
        self._draft_timer.stop()
        try:
            self.drafts.discard(self.day)
        except OSError as exc:  # saved in the journal; a stale draft is offered back later
            log.warning("could not remove the reflection draft: %s", exc.strerror or exc)

    def _thank_you(self) -> None:
        """Saved, and today's answers made a pattern: stay open to show the note."""
        self.form.hide()
        self.glance.hide()
        self.reminder.hide()
        self.done_label.setText(_("Saved. Thank you for taking these moments."))
        self.done_label.show()
        self.skip_button.hide()
        self.save_button.hide()
        self.glimmer_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def _note_glimmer(self) -> None:
        prompt = _glimmer_prompt()
        if prompt is None:
            return
        prompt(self, self._save, self.clock, "reflection")
        self._fill_glance()

    def set_live_counts(self, sessions: int | None, heavy: int | None) -> None:
        """Today's session counts from the app (they win over the journal's)."""
        self._live = (sessions, heavy)
        self._fill_glance()

    # --- Qt --------------------------------------------------------------------------------

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._finished:
            focus = self.note_dismiss if self.note_frame.isVisible() else self.fields["went_well"]
            QTimer.singleShot(0, focus, focus.setFocus)  # dropped if closed first

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._finished:
            self.save_draft()
        super().closeEvent(event)
        self.closed.emit()


# --- the glimmer prompt ----------------------------------------------------------------------


def _glimmer_prompt() -> GlimmerPrompt | None:
    """How to ask for a glimmer, when the glimmer prompt is there."""
    try:
        from companion.ui import glimmer  # noqa: F401 (is it there?)
    except ImportError:
        return None
    return _ask_glimmer


def _ask_glimmer(parent: QWidget, save: Save, clock: Clock, source: str) -> None:
    """The glimmer dialog over the reflection, waiting for it. The dialog saves through
    `save` itself and stays open with the words if that fails."""
    from companion.ui.glimmer import GlimmerDialog

    dialog = GlimmerDialog(parent, source=source, save=save, clock=clock)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
