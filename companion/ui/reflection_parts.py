"""The pieces of the end-of-day window (`companion.ui.reflection`): its questions and
words, the 0-10 check-in sliders, the "today at a glance" tiles, the week summary with
its heavy-share bar, and the gentle note's text.

Nothing here saves or decides: what to show comes from `companion.core.insights`, and
every word a person sees or hears is marked for translation (module-level texts with
`N_`, translated where shown; counts through `ngettext`; dates and times through
`companion.ui.text`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from companion.core import insights
from companion.i18n import N_, _, ngettext
from companion.ui import kit, style, text
from companion.ui.welcome.flow import FlowLayout

PROQOL_URL = "https://proqol.org"

# (key, question, placeholder): one line each, all optional. What went well and your part
# in it is Three Good Things (Sexton & Adair 2019); the word to set down follows the NHS
# "Going Home" checklist.
QUESTIONS = (
    ("went_well", N_("What went well today, and your part in it?"), N_("A line, if you like")),
    (
        "resilience",
        N_("A moment of resilience you witnessed today, if any, big or small?"),
        N_("Some days hold none; that is fine"),
    ),
    ("body", N_("Where did you feel that moment?"), N_("How it felt, in a few words, if you like")),
    (
        "set_down",
        N_("Anything to set down before you go? (a word, no details)"),
        N_("One word is enough"),
    ),
)
SUPERVISION_HINT = N_(
    "Today's words, including what you set down, and the signs you ticked go on your "
    "supervision summary (Settings, System)."
)
KEEPS_ME = N_("Once a month: what keeps you in this work?")
SUPPORT_LINK = N_("If today was a lot…")
SUPPORT_NAME = N_("If today was a lot: people you chose and lines for support")
SLIDERS = (
    (
        "still_with_me",
        N_("How much of today's client material is still with you?"),
        N_("none"),
        N_("a lot"),
    ),
    ("energy", N_("How is your energy?"), N_("depleted"), N_("energised")),
    ("connected", N_("How connected did the work feel?"), N_("distant"), N_("connected")),
)
WARNING_LABELS = (
    ("intrusion", N_("Client images or dreams coming back")),
    ("avoidance", N_("Dreading or steering away from some material")),
    ("emotional-shift", N_("Feeling numb, irritable or helpless")),
    ("body", N_("In the body: sleep, headaches, tension, tiredness")),
    ("hyperarousal", N_("On guard: scanning for exits, hard to switch off")),
    ("worldview", N_("The world seeming less safe, or people less trustworthy")),
)
SUPERVISION_LABELS = (
    ("yes", N_("Yes")),
    ("no", N_("No")),
    ("not-needed", N_("Not needed this week")),
)
TREND_NAMES = {
    "still_with_me": N_("Material still with you"),
    "energy": N_("Energy"),
    "connected": N_("Connection"),
}
PRIVACY_HINT = N_("Please leave out names or details that could identify a client.")


def warning_text(key: str) -> str:
    """A warning-sign family in the person's language."""
    return _(dict(WARNING_LABELS)[key])


# --- the check-in sliders --------------------------------------------------------------------


class Slider(QObject):
    """A 0-10 slider with words at both ends and its value; None until first moved.

    Its widgets go into a grid shared by all three (`place`), so the sliders line up.
    """

    changed = Signal()

    def __init__(self, key: str, question: str, low: str, high: str) -> None:
        """`question`, `low` and `high` are already in the person's language."""
        super().__init__()
        self.key = key
        self.touched = False
        self.question = question
        self.label = QLabel(question)
        self.label.setWordWrap(True)
        self.low = kit.muted(low, wrap=False)
        self.low.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.high = kit.muted(high, wrap=False)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName(f"s-{key}")
        self.slider.setRange(0, 10)
        self.slider.setValue(5)
        self.slider.setPageStep(2)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.slider.setAccessibleName(question)
        self.value_label = kit.muted(wrap=False)
        self.value_label.setTextFormat(Qt.TextFormat.RichText)
        metrics = self.value_label.fontMetrics()
        self.value_label.setMinimumWidth(
            max(metrics.horizontalAdvance(_("not set")), metrics.horizontalAdvance("10"))
            + metrics.horizontalAdvance(" ")
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
        label = self.value_label
        if self.touched:
            v = self.slider.value()
            label.setText(str(v))
            label.setObjectName("value")
            description = _("0 is {low}, 10 is {high}. Now {value} of 10.").format(
                low=self._low, high=self._high, value=v
            )
        else:
            label.setText(f"<i>{text.escape(_('not set'))}</i>")
            label.setObjectName("muted")
            description = _(
                "0 is {low}, 10 is {high}. Now not set yet; use the arrow keys."
            ).format(low=self._low, high=self._high)
        label.style().unpolish(label)
        label.style().polish(label)
        # an unanswered slider shows no filled groove, so it does not look like an answer
        pal = QPalette(self.slider.palette())
        pal.setColor(
            QPalette.ColorRole.Highlight,
            QGuiApplication.palette().color(QPalette.ColorRole.Highlight)
            if self.touched
            else style.palette_colors(self.slider).ring,
        )
        self.slider.setPalette(pal)
        self.slider.setAccessibleDescription(description)

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


# --- today at a glance -----------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    number: str  # large, in the accent colour
    caption: str  # under it, muted
    name: str  # what a screen reader says for the whole tile


def glance_tiles(glance: insights.DayGlance) -> list[Tile]:
    """The four numbers of the day: sessions, breaks taken, practice, glimmers."""
    if glance.sessions is None:
        sessions = Tile("–", _("sessions not counted"), _("sessions not counted"))
    else:
        n, heavy = glance.sessions, glance.heavy
        if heavy:
            # Translators: under a large number of sessions, e.g. "6" above "sessions, 2 heavy".
            caption = ngettext("session, {heavy} heavy", "sessions, {heavy} heavy", n)
            name = ngettext("{n} session, {heavy} heavy", "{n} sessions, {heavy} heavy", n)
        else:
            # Translators: under a large number, e.g. "6" above "sessions".
            caption = ngettext("session", "sessions", n)
            name = text.sessions(n)
        sessions = Tile(str(n), caption.format(heavy=heavy), name.format(n=n, heavy=heavy))
    taken, offered = glance.taken, glance.offered
    minutes, glimmers = glance.practice_minutes, len(glance.glimmers)
    return [
        sessions,
        Tile(
            # Translators: breaks taken of breaks offered, e.g. "2 of 3".
            _("{taken} of {offered}").format(taken=taken, offered=offered),
            # Translators: under "2 of 3"; the count is of the breaks offered.
            ngettext("break taken", "breaks taken", offered),
            ngettext("{taken} of {n} break taken", "{taken} of {n} breaks taken", offered).format(
                taken=taken, n=offered
            ),
        ),
        Tile(
            str(minutes),
            # Translators: under a large number of minutes.
            ngettext("minute of practice", "minutes of practice", minutes),
            ngettext("{n} minute of practice", "{n} minutes of practice", minutes).format(
                n=minutes
            ),
        ),
        Tile(
            str(glimmers),
            # Translators: under a large number of glimmers.
            ngettext("glimmer noted", "glimmers noted", glimmers),
            ngettext("{n} glimmer noted", "{n} glimmers noted", glimmers).format(n=glimmers),
        ),
    ]


def tile(t: Tile) -> QWidget:
    box = QWidget()
    v = QVBoxLayout(box)
    v.setContentsMargins(0, 0, 0, 0)
    v.setSpacing(0)
    n = QLabel(t.number)
    n.setObjectName("value")
    n.setFont(style.font(1.5, bold=True))
    v.addWidget(n)
    v.addWidget(kit.muted(t.caption))
    v.addStretch(1)
    box.setAccessibleName(t.name)
    return box


def glimmers_html(glance: insights.DayGlance, muted: str) -> str:
    """Today's glimmers as a short list, each with its time in the `muted` colour."""
    bullets = "".join(
        f"<li>{text.escape(g.text)} <span style='color:{muted}'>· {text.hm(g.at)}</span></li>"
        for g in glance.glimmers
    )
    heading = text.escape(_("What you noticed today:"))
    return f"{heading}<ul style='margin:2px 0 0 -20px'>{bullets}</ul>"


def reminder_html(glimmer_text: str, when: str, muted: str) -> str:
    """An older glimmer from the jar, with the day it was noted."""
    caption = _("From your glimmer jar, {date}:").format(date=when)
    return (
        f"<span style='color:{muted}'>{text.escape(caption)}</span><br>"
        f"<i>“{text.escape(glimmer_text)}”</i>"
    )


# --- the gentle note -------------------------------------------------------------------------


def note_summary(note: insights.PatternNote) -> str:
    """What the pattern is, in one sentence in the person's language."""
    high, considered = note.still_with_me_high, note.considered
    days, reflected = note.warning_days, note.reflected_days
    if note.still_with_me and note.warning_signs:
        return ngettext(
            "Client material stayed with you (7 or more) on {high} of your last {considered} "
            "reflections; two or more warning signs were ticked on {days} of {n} day this week.",
            "Client material stayed with you (7 or more) on {high} of your last {considered} "
            "reflections; two or more warning signs were ticked on {days} of {n} days this week.",
            reflected,
        ).format(high=high, considered=considered, days=days, n=reflected)
    if note.still_with_me:
        return ngettext(
            "Client material stayed with you (7 or more) on {high} of your last {n} reflection.",
            "Client material stayed with you (7 or more) on {high} of your last {n} reflections.",
            considered,
        ).format(high=high, n=considered)
    return ngettext(
        "Two or more warning signs were ticked on {days} of {n} day this week.",
        "Two or more warning signs were ticked on {days} of {n} days this week.",
        reflected,
    ).format(days=days, n=reflected)


def note_html(note: insights.PatternNote) -> tuple[str, str]:
    """The note's rich text and what a screen reader says for it."""
    summary = note_summary(note)
    link = f"<a href='{PROQOL_URL}'>proqol.org</a>"
    shown = "<br><br>".join(
        [
            text.escape(summary),
            "<br>".join(
                [
                    text.escape(
                        _(
                            "That is a pattern, not a verdict: this work leaves traces in "
                            "anyone who does it with care."
                        )
                    ),
                    text.escape(
                        _(
                            "It may help to bring it to supervision, a peer consultation or "
                            "your own therapy."
                        )
                    ),
                ]
            ),
            _("For a monthly self-check, the ProQOL is free at {link}.").format(link=link),
        ]
    )
    spoken = _(
        "{summary} A pattern, not a verdict. It may help to bring it to supervision, peer "
        "consultation or your own therapy. For a monthly self-check, the ProQOL is free at "
        "proqol.org."
    ).format(summary=summary)
    return shown, spoken


# --- the week --------------------------------------------------------------------------------

_left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _avg(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


class ShareBar(QWidget):
    """The week's heavy share as a quiet bar, with the person's own limit marked."""

    def __init__(self, share: float, limit: int) -> None:
        super().__init__()
        self.share, self.limit = share, limit
        self.setFixedHeight(self.fontMetrics().height() + 4)
        self.setAccessibleName(
            _("Heavy share {share} percent; your limit {limit} percent").format(
                share=f"{share:.0f}", limit=limit
            )
        )

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


def _plain(html: str) -> str:
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        html = html.replace(tag, "")
    return html


def sessions_line(week: insights.WeekSummary) -> str:
    """Rich text: the week's sessions and heavy share against the person's limit."""
    if not week.sessions:
        return text.escape(_("No sessions counted this week."))
    fields = {
        "n": week.sessions,
        "heavy": week.heavy,
        "share": f"{week.heavy_share or 0.0:.0f}",
        "limit": week.limit_percent,
    }
    if week.over_limit:
        line = ngettext(
            "{n} session, {heavy} heavy: <b>{share} %</b> heavy, above your own limit of "
            "{limit} %.",
            "{n} sessions, {heavy} heavy: <b>{share} %</b> heavy, above your own limit of "
            "{limit} %.",
            week.sessions,
        )
    else:
        line = ngettext(
            "{n} session, {heavy} heavy: <b>{share} %</b> heavy, within your limit of {limit} %.",
            "{n} sessions, {heavy} heavy: <b>{share} %</b> heavy, within your limit of {limit} %.",
            week.sessions,
        )
    return line.format(**fields)


def practice_line(week: insights.WeekSummary) -> str:
    if week.practices:
        practices = _("{practices} ({minutes})").format(
            practices=text.practices(week.practices), minutes=text.minutes(week.practice_minutes)
        )
    else:
        practices = _("No practices this week")
    if week.glimmers:
        glimmers = ngettext("{n} glimmer noted", "{n} glimmers noted", week.glimmers).format(
            n=week.glimmers
        )
    else:
        glimmers = _("no glimmers noted")
    # Translators: e.g. "3 practices (25 min) · 4 glimmers noted".
    return _("{practices} · {glimmers}").format(practices=practices, glimmers=glimmers)


def trend_line(t: insights.Trend) -> str:
    name = _(TREND_NAMES[t.key])
    if t.mean is None:
        return _("{name}: no check-ins this week.").format(name=name)
    mean = f"{t.mean:.1f}"
    if t.previous is None:
        return _("{name}: {mean} on average.").format(name=name, mean=mean)
    before = f"{t.previous:.1f}"
    diff = t.mean - t.previous
    if abs(diff) < 0.5:
        line = _("{name}: {mean} on average, about the same as the week before ({before}).")
    elif diff > 0:
        line = _("{name}: {mean} on average, higher than the week before ({before}).")
    else:
        line = _("{name}: {mean} on average, lower than the week before ({before}).")
    return line.format(name=name, mean=mean, before=before)


class WeekBox(QFrame):
    """The weekly look back: sessions and heavy share, practice, the check-in trends, and
    whether there was supervision this week (its radio buttons join `group`)."""

    def __init__(self, week: insights.WeekSummary, group: QButtonGroup) -> None:
        super().__init__()
        self.setObjectName("card")
        self.week = week
        w = QVBoxLayout(self)
        w.setContentsMargins(16, 12, 16, 12)
        w.setSpacing(6)
        title = _("Your week · {start} to {end}").format(
            start=text.weekday_day_month_short(week.start),
            end=text.weekday_day_month_short(week.end),
        )
        w.addWidget(kit.named(kit.heading(title, level=2), title))
        lines = [sessions_line(week), practice_line(week)]
        self.text = QLabel(lines[0])
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        w.addWidget(self.text)
        if week.heavy_share is not None:
            w.addWidget(ShareBar(week.heavy_share, week.limit_percent))
        practice = QLabel(lines[1])
        practice.setWordWrap(True)
        w.addWidget(practice)

        trends = QGridLayout()
        trends.setHorizontalSpacing(18)
        trends.setVerticalSpacing(2)
        heads = (_("Check-in, on average"), _("this week"), _("the week before"))
        # The words wrap: in a longer language at 150 % they would push the window's
        # form past its right edge (the reflection does not scroll sideways).
        for col, head in enumerate(heads):
            cell = kit.muted(head)
            cell.setAlignment(_right if col else _left)
            trends.addWidget(cell, 0, col)
        spoken = []
        for row, t in enumerate(week.trends, start=1):
            name = QLabel(_(TREND_NAMES[t.key]))
            name.setWordWrap(True)
            trends.addWidget(name, row, 0)
            trends.addWidget(QLabel(_avg(t.mean)), row, 1, alignment=_right)
            trends.addWidget(QLabel(_avg(t.previous)), row, 2, alignment=_right)
            spoken.append(trend_line(t))
        trends.setColumnStretch(3, 1)
        w.addLayout(trends)
        self.text.setAccessibleName(_("Your week"))
        self.text.setAccessibleDescription(_plain(" ".join([*lines, *spoken])))
        self.lines = [_plain(line) for line in (*lines, *spoken)]

        w.addSpacing(4)
        q = QLabel(_("Did you have supervision or peer consultation this week?"))
        q.setWordWrap(True)
        w.addWidget(q)
        answers = FlowLayout()
        self.supervision: dict[str, QRadioButton] = {}
        for value, label in SUPERVISION_LABELS:
            rb = QRadioButton(_(label))
            rb.setObjectName(f"sup-{value}")
            rb.setAccessibleName(
                _("Supervision or peer consultation this week: {answer}").format(answer=_(label))
            )
            group.addButton(rb)
            self.supervision[value] = rb
            answers.addWidget(rb)
        w.addLayout(answers)
