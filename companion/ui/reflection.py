"""The end-of-day reflection: today at a glance, three questions, a short check-in,
and on the weekly day a look at the week.

The window shows state and emits intents. What it shows is decided in
`companion.core.insights` (the glance, the week, the pattern note, the reminder);
what is typed is kept as a draft through `companion.core.drafts` a moment after
each change, so closing the window, a crash or a logout loses nothing.

Signals: `saved(ReflectionRecord)`, `skipped()`, `closed()`.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShortcut,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from companion.core import insights
from companion.core.clock import Clock
from companion.core.drafts import Draft, DraftStore
from companion.core.journal import Journal
from companion.core.paths import Paths
from companion.core.records import (
    GlimmerRecord,
    NoteShownRecord,
    Record,
    ReflectionRecord,
)
from companion.core.settings import Settings
from companion.ui import style

DRAFT_DELAY_MS = 600
PROQOL_URL = "https://proqol.org"

QUESTIONS = (
    ("resilience", "What moment of resilience did you witness today?"),
    ("body", "Where and how did you feel it in your body?"),
    ("did_well", "One thing you did well today"),
)
SLIDERS = (
    ("still_with_me", "How much of today's client material is still with you?", "none", "a lot"),
    ("energy", "How is your energy?", "depleted", "energised"),
    ("connected", "How connected did the work feel?", "distant", "connected"),
)
WARNING_LABELS = (
    ("intrusion", "Client images or dreams coming back"),
    ("avoidance", "Dreading or steering away from some material"),
    ("emotional-shift", "Feeling numb, irritable or helpless"),
    ("body", "In the body: sleep, headaches, tension, tiredness"),
)
SUPERVISION_LABELS = (("yes", "Yes"), ("no", "No"), ("not-needed", "Not needed this week"))
TREND_NAMES = {
    "still_with_me": "Material still with you",
    "energy": "Energy",
    "connected": "Connection",
}
GlimmerPrompt = Callable[[QWidget | None, Journal, Clock, str], GlimmerRecord | None]
PRIVACY_HINT = "Please leave out names or details that could identify a client."


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _day_label(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B')}"


def _short_day(day: date) -> str:
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"


class _Slider(QObject):
    """A 0-10 slider with words at both ends and its value; None until first moved.

    Its widgets go into a grid shared by all three (`place`), so the sliders line up.
    """

    changed = Signal()

    def __init__(self, key: str, question: str, low: str, high: str) -> None:
        super().__init__()
        self.key = key
        self.touched = False
        self.question = question
        self.label = QLabel(question)
        self.label.setWordWrap(True)
        self.low = QLabel(low)
        self.low.setObjectName("muted")
        self.low.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.high = QLabel(high)
        self.high.setObjectName("muted")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName(f"s-{key}")
        self.slider.setRange(0, 10)
        self.slider.setValue(5)
        self.slider.setPageStep(2)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.slider.setAccessibleName(question)
        self.value_label = QLabel()
        self.value_label.setObjectName("slider-unset")
        self.value_label.setMinimumWidth(
            self.value_label.fontMetrics().horizontalAdvance("not set ")
        )
        self.label.setBuddy(self.slider)
        self.slider.valueChanged.connect(self._moved)
        self._low, self._high = low, high
        self._show_value()

    def place(self, grid: QGridLayout, row: int) -> None:
        grid.addWidget(self.label, row, 0, 1, 4)
        grid.addWidget(self.low, row + 1, 0)
        grid.addWidget(self.slider, row + 1, 1)
        grid.addWidget(self.high, row + 1, 2)
        grid.addWidget(self.value_label, row + 1, 3)

    def _moved(self) -> None:
        self.touched = True
        self._show_value()
        self.changed.emit()

    def _show_value(self) -> None:
        if self.touched:
            v = self.slider.value()
            self.value_label.setText(str(v))
            self.value_label.setObjectName("slider-value")
            where = f"{v} of 10"
        else:
            self.value_label.setText("not set")
            self.value_label.setObjectName("slider-unset")
            where = "not set yet; use the arrow keys"
        self.value_label.style().unpolish(self.value_label)
        self.value_label.style().polish(self.value_label)
        # an unanswered slider shows no filled groove, so it does not look like an answer
        pal = QPalette(self.slider.palette())
        pal.setColor(
            QPalette.ColorRole.Highlight,
            QGuiApplication.palette().color(QPalette.ColorRole.Highlight)
            if self.touched
            else style.palette_colors(self.slider).ring,
        )
        self.slider.setPalette(pal)
        self.slider.setAccessibleDescription(f"0 is {self._low}, 10 is {self._high}. Now {where}.")

    def value(self) -> int | None:
        return self.slider.value() if self.touched else None

    def set_value(self, value: int | None) -> None:
        if value is None:
            return
        self.slider.blockSignals(True)
        self.slider.setValue(value)
        self.slider.blockSignals(False)
        self.touched = True
        self._show_value()


class ReflectionWindow(QWidget):
    """The end-of-day window. Construct, `show()`; it saves to the journal itself."""

    saved = Signal(object)  # ReflectionRecord
    skipped = Signal()
    closed = Signal()

    def __init__(
        self,
        journal: Journal,
        clock: Clock,
        settings: Settings,
        paths: Paths,
        *,
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
        self.day = clock.now().date()
        self.drafts = DraftStore(paths)
        self._live = (today_sessions, today_heavy)
        self._rng = rng or random.Random()  # noqa: S311 (which glimmer to recall)
        self._finished = False
        self._note: insights.PatternNote | None = None
        self._note_id: str | None = None

        self.setObjectName("reflection")
        self.setWindowTitle("End of the day · Grounding Companion")
        self.setAccessibleName("End of the day reflection")
        self._draft_timer = QTimer(self)
        self._draft_timer.setObjectName("reflection-draft-timer")
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)

        recent: list[Record] = journal.query(None, self.day - timedelta(days=27), self.day)
        self._recent = recent
        self.week_due = insights.week_review_due(
            self.day,
            settings.weekly_review_day,
            [r for r in recent if isinstance(r, ReflectionRecord)],
        )
        self._build()
        self._fill_glance()
        self._fill_reminder()
        self._restore()
        self._wire_draft()
        self._maybe_show_note(self._reflections())
        self._size_for_screen()

    # --- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        c = style.palette_colors(self)
        self.setStyleSheet(
            f"""
            QLabel#muted, QLabel#hint {{ color: {c.muted.name()}; }}
            QLabel#slider-value {{ color: {c.accent.name()}; font-weight: bold; }}
            QLabel#slider-unset {{ color: {c.muted.name()}; font-style: italic; }}
            QFrame#card {{ border: 1px solid {c.ring.name()}; border-radius: 10px; }}
            QFrame#note {{ border: 1px solid {c.warm.name()}; border-radius: 10px; }}
            QLabel#note-title {{ color: {c.warm.name()}; }}
            QLabel#tile-number {{ color: {c.accent.name()}; }}
            QPlainTextEdit {{ border: 1px solid {c.ring.name()}; border-radius: 6px;
                padding: 4px; }}
            QPlainTextEdit:focus {{ border: 2px solid {c.accent.name()}; }}
            QPushButton {{ padding: 0.35em 1em; border-radius: 8px;
                border: 1px solid {c.ring.name()}; }}
            QPushButton:focus {{ border: 2px solid {c.accent.name()}; }}
            QPushButton#primary {{ background: {c.accent.name()}; color: {c.background.name()};
                border: none; font-weight: bold; }}
            QPushButton#primary:focus {{ border: 2px solid {c.text.name()}; }}
            """
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.scroll_area, 1)
        body = QWidget()
        body.setObjectName("reflection-body")
        self.scroll_area.setWidget(body)
        col = QVBoxLayout(body)
        col.setContentsMargins(28, 22, 28, 16)
        col.setSpacing(14)
        self._col = col

        title = QLabel("End of the day")
        title.setFont(style.font(1.6, bold=True))
        title.setAccessibleName(f"End of the day, {_day_label(self.day)}")
        when = QLabel(_day_label(self.day))
        when.setObjectName("muted")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(when, 0, Qt.AlignmentFlag.AlignBottom)
        col.addLayout(head)

        # Today at a glance
        self.glance = QFrame()
        self.glance.setObjectName("card")
        g = QVBoxLayout(self.glance)
        g.setContentsMargins(16, 12, 16, 12)
        g.setSpacing(8)
        g.addWidget(self._heading("Today at a glance"))
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
        self.note_frame = QFrame()
        self.note_frame.setObjectName("note")
        self.note_frame.hide()
        n = QVBoxLayout(self.note_frame)
        n.setContentsMargins(16, 12, 16, 12)
        n.setSpacing(6)
        note_title = QLabel("A gentle note")
        note_title.setObjectName("note-title")
        note_title.setFont(style.font(1.05, bold=True))
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
        note_row.addStretch(1)
        self.note_dismiss = QPushButton("Thank you, hide this")
        self.note_dismiss.setAccessibleName("Hide the gentle note")
        self.note_dismiss.clicked.connect(self._dismiss_note)
        note_row.addWidget(self.note_dismiss)
        n.addLayout(note_row)
        col.addWidget(self.note_frame)

        # The form
        self.form = QWidget()
        f = QVBoxLayout(self.form)
        f.setContentsMargins(0, 0, 0, 0)
        f.setSpacing(8)
        f.addWidget(self._heading("A few moments for you"))
        self.fields: dict[str, QPlainTextEdit] = {}
        for key, question in QUESTIONS:
            label = QLabel(question)
            label.setWordWrap(True)
            edit = QPlainTextEdit()
            edit.setObjectName(f"q-{key}")
            edit.setTabChangesFocus(True)
            edit.setAccessibleName(question)
            edit.setAccessibleDescription(PRIVACY_HINT)
            lines = 2.6
            edit.setFixedHeight(int(edit.fontMetrics().lineSpacing() * lines + 14))
            label.setBuddy(edit)
            f.addWidget(label)
            f.addWidget(edit)
            self.fields[key] = edit
        hint = QLabel(PRIVACY_HINT)
        hint.setObjectName("hint")
        hint.setFont(style.font(0.85))
        hint.setWordWrap(True)
        f.addWidget(hint)

        f.addSpacing(6)
        f.addWidget(self._heading("A quick check-in"))
        self.sliders: dict[str, _Slider] = {}
        sliders = QGridLayout()
        sliders.setHorizontalSpacing(10)
        sliders.setVerticalSpacing(4)
        sliders.setColumnStretch(1, 1)
        for i, (key, question, low, high) in enumerate(SLIDERS):
            s = _Slider(key, question, low, high)
            s.setParent(self)
            s.place(sliders, 2 * i)
            if i:
                sliders.setRowMinimumHeight(2 * i, self.fontMetrics().height() + 10)
            s.label.setContentsMargins(0, 6 if i else 0, 0, 0)
            self.sliders[key] = s
        f.addLayout(sliders)
        f.addSpacing(4)
        noticed = QLabel("Noticed today? Tick any that fit.")
        noticed.setWordWrap(True)
        f.addWidget(noticed)
        self.checks: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        for i, (key, text) in enumerate(WARNING_LABELS):
            box = QCheckBox(text)
            box.setObjectName(f"w-{key}")
            box.setAccessibleName(text)
            box.setAccessibleDescription("a warning sign to notice, not a score")
            grid.addWidget(box, i, 0)
            self.checks[key] = box
        f.addLayout(grid)

        # The week, on the weekly day
        self.week_box = QFrame()
        self.week_box.setObjectName("card")
        self.supervision: dict[str, QRadioButton] = {}
        self.supervision_group = QButtonGroup(self)
        if self.week_due:
            self._build_week()
            f.addSpacing(6)
            f.addWidget(self.week_box)
        col.addWidget(self.form)
        col.addStretch(1)

        # The thank-you page (after Save, when a note is to be shown)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setFont(style.font(1.15))
        self.done_label.hide()
        col.insertWidget(1, self.done_label)

        # Buttons (outside the scroll area: always visible)
        bar = QFrame()
        bar.setObjectName("button-bar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(28, 10, 28, 14)
        self.glimmer_button = QPushButton("Note a glimmer…")
        self.glimmer_button.setAccessibleName("Note a glimmer")
        self.glimmer_button.clicked.connect(self._note_glimmer)
        self.glimmer_button.setVisible(_glimmer_prompt() is not None)
        row.addWidget(self.glimmer_button)
        row.addStretch(1)
        self.skip_button = QPushButton("Skip today")
        self.skip_button.setAccessibleName("Skip today's reflection")
        self.skip_button.clicked.connect(self.skip)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("primary")
        self.save_button.setAccessibleName("Save the reflection")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton("Close")
        self.close_button.setObjectName("primary")
        self.close_button.setAccessibleName("Close the window")
        self.close_button.clicked.connect(self.close)
        self.close_button.hide()
        row.addWidget(self.skip_button)
        row.addWidget(self.save_button)
        row.addWidget(self.close_button)
        outer.addWidget(bar)

        QShortcut(QKeySequence("Ctrl+Return"), self, self._save_shortcut)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self._save_shortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self._set_tab_order()

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setFont(style.font(1.12, bold=True))
        label.setAccessibleName(text)
        return label

    def _build_week(self) -> None:
        items: list[Record] = self.journal.query(None, self.day - timedelta(days=13), self.day)
        week = insights.week_summary(
            items,
            self.day,
            self.settings.heavy_limit_percent,
            live_sessions=self._live[0],
            live_heavy=self._live[1],
        )
        self.week = week
        w = QVBoxLayout(self.week_box)
        w.setContentsMargins(16, 12, 16, 12)
        w.setSpacing(6)
        w.addWidget(
            self._heading(f"Your week · {_short_day(week.start)} to {_short_day(week.end)}")
        )
        lines = [_sessions_line(week), _practice_line(week)]
        text = QLabel(lines[0])
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        w.addWidget(text)
        if week.heavy_share is not None:
            w.addWidget(_ShareBar(week.heavy_share, week.limit_percent))
        w.addWidget(QLabel(lines[1]))
        trends = QGridLayout()
        trends.setHorizontalSpacing(18)
        trends.setVerticalSpacing(2)
        for col, head in enumerate(("Check-in, on average", "this week", "the week before")):
            h = QLabel(head)
            h.setObjectName("muted")
            trends.addWidget(h, 0, col, alignment=_right if col else _left)
        spoken = []
        for row, t in enumerate(week.trends, start=1):
            now, before = _avg(t.mean), _avg(t.previous)
            trends.addWidget(QLabel(TREND_NAMES[t.key]), row, 0)
            trends.addWidget(QLabel(now), row, 1, alignment=_right)
            trends.addWidget(QLabel(before), row, 2, alignment=_right)
            spoken.append(_trend_line(t))
        trends.setColumnStretch(3, 1)
        w.addLayout(trends)
        self.week_text = text
        text.setAccessibleName("Your week")
        text.setAccessibleDescription(_plain(" ".join([*lines, *spoken])))
        self.week_lines = [_plain(line) for line in (*lines, *spoken)]
        w.addSpacing(4)
        q = QLabel("Did you have supervision or peer consultation this week?")
        q.setWordWrap(True)
        w.addWidget(q)
        answers = QHBoxLayout()
        for value, label in SUPERVISION_LABELS:
            rb = QRadioButton(label)
            rb.setObjectName(f"sup-{value}")
            rb.setAccessibleName(f"Supervision or peer consultation this week: {label}")
            self.supervision_group.addButton(rb)
            self.supervision[value] = rb
            answers.addWidget(rb)
        answers.addStretch(1)
        w.addLayout(answers)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.note_text, self.note_dismiss]
        chain += [self.fields[k] for k, _ in QUESTIONS]
        chain += [self.sliders[k].slider for k, *_ in SLIDERS]
        chain += [self.checks[k] for k, _ in WARNING_LABELS]
        chain += [self.supervision[k] for k, _ in SUPERVISION_LABELS if k in self.supervision]
        chain += [self.glimmer_button, self.skip_button, self.save_button, self.close_button]
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
        if glance.sessions is None:
            sessions = ("–", "sessions not counted")
        else:
            heavy = f", {glance.heavy} heavy" if glance.heavy else ""
            sessions = (
                str(glance.sessions),
                ("session" if glance.sessions == 1 else "sessions") + heavy,
            )
        tiles = [
            sessions,
            (f"{glance.taken} of {glance.offered}", "breaks taken"),
            (str(glance.practice_minutes), "minutes of practice"),
            (
                str(len(glance.glimmers)),
                "glimmer noted" if len(glance.glimmers) == 1 else "glimmers noted",
            ),
        ]
        for number, caption in tiles:
            self.tiles.addWidget(_tile(number, caption), 1)
        if glance.glimmers:
            bullets = "".join(
                f"<li>{_esc(g.text)} <span style='color:{style.palette_colors(self).muted.name()}'>"
                f"· {g.at.strftime('%H:%M')}</span></li>"
                for g in glance.glimmers
            )
            self.glimmers_today.setText(
                f"What you noticed today:<ul style='margin:2px 0 0 -20px'>{bullets}</ul>"
            )
            self.glimmers_today.setAccessibleName(
                "Glimmers noted today: " + "; ".join(g.text for g in glance.glimmers)
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
        muted = style.palette_colors(self).muted.name()
        when = f"{g.on.day} {g.on.strftime('%B %Y')}"
        self.reminder.setText(
            f"<span style='color:{muted}'>From your glimmer jar, {when}:</span><br>"
            f"<i>“{_esc(g.text)}”</i>"
        )
        self.reminder.setAccessibleName(f"A glimmer from {when}: {g.text}")
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
        summary = note.summary[0].upper() + note.summary[1:]
        self.note_text.setText(
            f"{_esc(summary)}.<br><br>"
            "That is a pattern, not a verdict: this work leaves traces in anyone who "
            "does it with care.<br>"
            "It may help to bring it to supervision, a peer consultation or your own "
            "therapy.<br><br>"
            f"For a monthly self-check, the ProQOL is free at "
            f"<a href='{PROQOL_URL}'>proqol.org</a>."
        )
        self.note_text.setAccessibleName("A gentle note")
        self.note_text.setAccessibleDescription(
            f"{summary}. A pattern, not a verdict. It may help to bring it to supervision, "
            "peer consultation or your own therapy. For a monthly self-check, the ProQOL "
            "is free at proqol.org."
        )
        self.note_frame.show()
        record = NoteShownRecord(at=self.clock.now(), day=self.day, note=note.summary)
        self.journal.add(record)
        self._recent.append(record)
        self._note_id = record.id
        return True

    def _dismiss_note(self) -> None:
        if self._note is not None:
            self.journal.add(
                NoteShownRecord(
                    at=self.clock.now(), day=self.day, note=self._note.summary, dismissed=True
                )
            )
        self.note_frame.hide()
        if self._finished:
            self.close()
        else:
            self.fields["resilience"].setFocus()

    # --- draft -----------------------------------------------------------------------------

    def _wire_draft(self) -> None:
        for edit in self.fields.values():
            edit.textChanged.connect(self._changed)
        for s in self.sliders.values():
            s.changed.connect(self._changed)
        for box in self.checks.values():
            box.toggled.connect(self._changed)
        self.supervision_group.buttonToggled.connect(self._changed)

    def _changed(self, *_: object) -> None:
        if not self._finished:
            self._draft_timer.start()

    def draft(self) -> Draft:
        """What the form holds now."""
        chosen = [k for k, rb in self.supervision.items() if rb.isChecked()]
        return Draft(
            day=self.day,
            resilience=self.fields["resilience"].toPlainText().strip(),
            body=self.fields["body"].toPlainText().strip(),
            did_well=self.fields["did_well"].toPlainText().strip(),
            still_with_me=self.sliders["still_with_me"].value(),
            energy=self.sliders["energy"].value(),
            connected=self.sliders["connected"].value(),
            warning_signs=tuple(k for k, _ in WARNING_LABELS if self.checks[k].isChecked()),
            supervision=chosen[0] if chosen else None,
        )

    def save_draft(self) -> None:
        self._draft_timer.stop()
        if self._finished:
            return
        draft = self.draft()
        if draft.is_empty:
            self.drafts.discard(self.day)
        else:
            self.drafts.save(draft)

    def _restore(self) -> None:
        self.drafts.prune(self.day)
        draft = self.drafts.load(self.day)
        if draft is None:
            earlier = insights.saved_reflections(self._recent).get(self.day)
            if earlier is None:
                return
            draft = Draft(
                day=self.day,
                resilience=earlier.resilience,
                body=earlier.body,
                did_well=earlier.did_well,
                still_with_me=earlier.still_with_me,
                energy=earlier.energy,
                connected=earlier.connected,
                warning_signs=earlier.warning_signs,
                supervision=earlier.supervision,
            )
        self.restored = draft
        self.fields["resilience"].setPlainText(draft.resilience)
        self.fields["body"].setPlainText(draft.body)
        self.fields["did_well"].setPlainText(draft.did_well)
        for edit in self.fields.values():
            edit.moveCursor(QTextCursor.MoveOperation.End)  # go on where you left off
        self.sliders["still_with_me"].set_value(draft.still_with_me)
        self.sliders["energy"].set_value(draft.energy)
        self.sliders["connected"].set_value(draft.connected)
        for key, box in self.checks.items():
            box.setChecked(key in draft.warning_signs)
        if draft.supervision in self.supervision:
            self.supervision[draft.supervision].setChecked(True)

    # --- intents ---------------------------------------------------------------------------

    def _save_shortcut(self) -> None:
        if not self._finished:
            self.save()

    def save(self) -> ReflectionRecord:
        d = self.draft()
        record = ReflectionRecord(
            at=self.clock.now(),
            day=self.day,
            resilience=d.resilience,
            body=d.body,
            did_well=d.did_well,
            still_with_me=d.still_with_me,
            energy=d.energy,
            connected=d.connected,
            warning_signs=d.warning_signs,
            supervision=d.supervision if self.week_due else None,
        )
        self.journal.add(record)
        self._finish()
        self.saved.emit(record)
        if self._maybe_show_note(self._reflections([record])):
            self._thank_you()
        else:
            self.close()
        return record

    def skip(self) -> ReflectionRecord:
        record = ReflectionRecord(at=self.clock.now(), day=self.day, skipped=True)
        self.journal.add(record)
        self._finish()
        self.skipped.emit()
        self.close()
        return record

    def _finish(self) -> None:
        self._finished = True
        self._draft_timer.stop()
        self.drafts.discard(self.day)

    def _thank_you(self) -> None:
        """Saved, and today's answers made a pattern: stay open to show the note."""
        self.form.hide()
        self.glance.hide()
        self.reminder.hide()
        self.done_label.setText("Saved. Thank you for taking these moments.")
        self.done_label.show()
        self.skip_button.hide()
        self.save_button.hide()
        self.glimmer_button.hide()
        self.close_button.show()
        self.close_button.setFocus()

    def _note_glimmer(self) -> None:
        prompt = _glimmer_prompt()
        if prompt is None:
            return
        prompt(self, self.journal, self.clock, "reflection")
        self._fill_glance()

    def set_live_counts(self, sessions: int | None, heavy: int | None) -> None:
        """Today's session counts from the app (they win over the journal's)."""
        self._live = (sessions, heavy)
        self._fill_glance()

    # --- Qt --------------------------------------------------------------------------------

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._finished:
            focus = self.note_dismiss if self.note_frame.isVisible() else self.fields["resilience"]
            QTimer.singleShot(0, focus.setFocus)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._finished:
            self.save_draft()
        super().closeEvent(event)
        self.closed.emit()


# --- small pieces ----------------------------------------------------------------------------


def _glimmer_prompt() -> GlimmerPrompt | None:
    """`ask_glimmer` from the glimmer prompt, when it is there."""
    try:
        from companion.ui.glimmer import ask_glimmer
    except ImportError:
        return None
    return ask_glimmer


def _tile(number: str, caption: str) -> QWidget:
    tile = QWidget()
    v = QVBoxLayout(tile)
    v.setContentsMargins(0, 0, 0, 0)
    v.setSpacing(0)
    n = QLabel(number)
    n.setObjectName("tile-number")
    n.setFont(style.font(1.5, bold=True))
    cap = QLabel(caption)
    cap.setObjectName("muted")
    cap.setWordWrap(True)
    v.addWidget(n)
    v.addWidget(cap)
    v.addStretch(1)
    tile.setAccessibleName(f"{number} {caption}")
    return tile


_left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _avg(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


class _ShareBar(QWidget):
    """The week's heavy share as a quiet bar, with the user's own limit marked."""

    def __init__(self, share: float, limit: int) -> None:
        super().__init__()
        self.share, self.limit = share, limit
        self.setFixedHeight(self.fontMetrics().height() + 4)
        self.setAccessibleName(f"Heavy share {share:.0f} percent; your limit {limit} percent")

    def paintEvent(self, event: QPaintEvent) -> None:
        c = style.palette_colors(self)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        h = 8.0
        top = (self.height() - h) / 2
        width = float(self.width() - 2)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c.ring)
        p.drawRoundedRect(QRectF(1, top, width, h), h / 2, h / 2)
        p.setBrush(c.warm if self.share > self.limit else c.accent)
        p.drawRoundedRect(QRectF(1, top, width * min(self.share, 100) / 100, h), h / 2, h / 2)
        x = 1 + width * self.limit / 100
        p.setPen(QPen(c.text, 2))
        p.drawLine(QPointF(x, 1), QPointF(x, self.height() - 1))
        p.end()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(html: str) -> str:
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        html = html.replace(tag, "")
    return html


def _sessions_line(week: insights.WeekSummary) -> str:
    if not week.sessions:
        return "No sessions counted this week."
    share = week.heavy_share or 0.0
    base = f"{_plural(week.sessions, 'session')}, {week.heavy} heavy: <b>{share:.0f} %</b> heavy"
    if week.over_limit:
        return f"{base}, above your own limit of {week.limit_percent} %."
    return f"{base}, within your limit of {week.limit_percent} %."


def _practice_line(week: insights.WeekSummary) -> str:
    if week.practices:
        practices = f"{_plural(week.practices, 'practice')} ({week.practice_minutes} min)"
    else:
        practices = "No practices this week"
    glimmers = _plural(week.glimmers, "glimmer") if week.glimmers else "no glimmers"
    return f"{practices} · {glimmers} noted"


def _trend_line(t: insights.Trend) -> str:
    name = TREND_NAMES[t.key]
    if t.mean is None:
        return f"{name}: no check-ins this week."
    line = f"{name}: {t.mean:.1f} on average"
    if t.previous is None:
        return line + "."
    diff = t.mean - t.previous
    if abs(diff) < 0.5:
        return line + f", about the same as the week before ({t.previous:.1f})."
    word = "higher" if diff > 0 else "lower"
    return line + f", {word} than the week before ({t.previous:.1f})."


def warning_text(key: str) -> str:
    return dict(WARNING_LABELS)[key]
