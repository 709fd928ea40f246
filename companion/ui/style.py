"""One calm look for every window: soft colours that work in light and dark themes,
generous type that survives 150 % scaling (sizes in points, layouts not fixed in pixels).

`apply(app)` sets the palette and the one app-wide stylesheet (`stylesheet`), keyed on
object names that `companion.ui.kit` gives its widgets: "primary" (the one main action
of a window), "muted" and "hint" (secondary text), "heading", "error", "gentle" (a warm
word, never alarm red), "value", "card", "note", "chip", "link", "danger", "rating".
No window sets a stylesheet of its own, so the primary action, a hint or a card looks
the same everywhere, and keyboard focus shows the same way on every control. Painted
widgets ask `palette_colors(widget)` for the few colours the platform palette has no
role for (the pacer's fill, a gentle accent).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

BASE_POINT_SIZE = 11.0  # body text; cues are larger, hints smaller


@dataclass(frozen=True)
class Colors:
    background: QColor
    text: QColor
    muted: QColor  # secondary text: hints, "step 3 of 7"
    accent: QColor  # the pacer and primary buttons: a soft sage green
    accent_soft: QColor  # the pacer's fill
    ring: QColor  # the still ring on holds, chart grid lines
    warm: QColor  # a gentle note (never alarm red)


LIGHT = Colors(
    background=QColor("#f6f4ef"),
    text=QColor("#2b2f2e"),
    muted=QColor("#5f6664"),
    accent=QColor("#4f7f6a"),
    accent_soft=QColor(79, 127, 106, 70),
    ring=QColor("#b9c4bd"),
    warm=QColor("#9a6b3f"),
)
DARK = Colors(
    background=QColor("#1f2322"),
    text=QColor("#e6e8e3"),
    muted=QColor("#a3aba6"),
    accent=QColor("#8fbfa6"),
    accent_soft=QColor(143, 191, 166, 70),
    ring=QColor("#4b5652"),
    warm=QColor("#d9a877"),
)


def is_dark(widget: QWidget | None = None) -> bool:
    palette = widget.palette() if widget is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def palette_colors(widget: QWidget | None = None) -> Colors:
    return DARK if is_dark(widget) else LIGHT


def font(scale: float = 1.0, *, bold: bool = False) -> QFont:
    f = QFont(QGuiApplication.font())
    f.setPointSizeF(BASE_POINT_SIZE * scale)
    f.setBold(bold)
    return f


#: Where `apply(..., defer_stylesheet=True)` leaves the stylesheet for `ensure_stylesheet`.
DEFERRED = "companion-stylesheet"


def apply(app: QApplication, *, dark: bool | None = None, defer_stylesheet: bool = False) -> None:
    """Give the app our palette (following the system's light/dark choice unless told)
    and its one stylesheet. With `defer_stylesheet` (the tray app at start-up) the
    stylesheet waits until the first window is built (`ensure_stylesheet`, which the
    kit calls): a tray icon alone has nothing to style, and an app-wide stylesheet
    costs the idle app about 0.6 MiB."""
    if dark is None:
        dark = is_dark()
    c = DARK if dark else LIGHT
    pal = QPalette(app.palette())
    pal.setColor(QPalette.ColorRole.Window, c.background)
    pal.setColor(
        QPalette.ColorRole.Base,
        c.background.lighter(104) if not dark else c.background.lighter(120),
    )
    pal.setColor(QPalette.ColorRole.AlternateBase, c.background.darker(104))
    pal.setColor(QPalette.ColorRole.WindowText, c.text)
    pal.setColor(QPalette.ColorRole.Text, c.text)
    pal.setColor(QPalette.ColorRole.ButtonText, c.text)
    pal.setColor(
        QPalette.ColorRole.Button,
        c.background.darker(106) if not dark else c.background.lighter(135),
    )
    pal.setColor(QPalette.ColorRole.Highlight, c.accent)
    pal.setColor(QPalette.ColorRole.HighlightedText, c.background)
    pal.setColor(QPalette.ColorRole.PlaceholderText, c.muted)
    pal.setColor(QPalette.ColorRole.ToolTipBase, c.background)
    pal.setColor(QPalette.ColorRole.ToolTipText, c.text)
    pal.setColor(QPalette.ColorRole.Link, c.accent)
    app.setPalette(pal)
    base = QFont(app.font())
    base.setPointSizeF(BASE_POINT_SIZE)
    app.setFont(base)
    if defer_stylesheet:
        app.setProperty(DEFERRED, stylesheet(c))
    else:
        app.setProperty(DEFERRED, None)
        app.setStyleSheet(stylesheet(c))


def ensure_stylesheet() -> None:
    """Give the app the stylesheet `apply` deferred, if it has not got it yet."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    sheet = app.property(DEFERRED)
    if sheet:
        app.setProperty(DEFERRED, None)
        app.setStyleSheet(sheet)


def stylesheet(c: Colors) -> str:
    """The app's one stylesheet. Sizes in em, so it follows the font and the scale."""
    accent, ring, text, bg = c.accent.name(), c.ring.name(), c.text.name(), c.background.name()
    muted, warm = c.muted.name(), c.warm.name()
    soft = c.accent_soft.name(QColor.NameFormat.HexArgb)
    return f"""
QLabel#muted, QLabel#hint {{ color: {muted}; }}
QLabel#error {{ color: {warm}; }}
QLabel#note-title, QLabel#gentle {{ color: {warm}; }}
QLabel#value {{ color: {accent}; font-weight: bold; }}
QFrame#card {{ border: 1px solid {ring}; border-radius: 10px; }}
QFrame#note {{ border: 1px solid {warm}; border-radius: 10px; }}
QFrame#card QLabel, QFrame#note QLabel {{ border: none; }}

QPushButton {{ padding: 0.35em 1em; border-radius: 8px; border: 1px solid {ring};
    min-height: 1.2em; }}
QPushButton:hover {{ border-color: {accent}; }}
QPushButton:pressed {{ background: {soft}; }}
QPushButton:disabled {{ color: {muted}; }}
QPushButton:focus {{ border: 2px solid {accent}; }}
QPushButton#primary {{ background: {accent}; color: {bg}; border: 2px solid {accent};
    font-weight: bold; }}
QPushButton#primary:hover {{ border-color: {text}; }}
QPushButton#primary:focus {{ border: 2px solid {text}; }}
QPushButton#primary:disabled {{ background: {ring}; border-color: {ring}; color: {muted}; }}
QPushButton#rating {{ padding: 0.35em 0.45em; }}
QPushButton#chip {{ border-radius: 0.8em; padding: 0.3em 0.9em; background: transparent; }}
QPushButton#chip:checked {{ background: {accent}; color: {bg}; border-color: {accent}; }}
QPushButton#chip:focus {{ border: 2px solid {accent}; }}
QPushButton#chip:checked:focus {{ border: 2px solid {text}; }}
QPushButton#danger {{ color: {warm}; }}
QPushButton#danger:disabled {{ color: {muted}; }}
QPushButton#link {{ border: 1px solid transparent; color: {accent}; padding: 0.1em 0.3em;
    background: transparent; }}
QPushButton#link:focus {{ border: 1px solid {accent}; }}
QPushButton:checked {{ background: {accent}; color: {bg}; border-color: {accent}; }}
QPushButton#link:checked {{ background: transparent; color: {accent}; }}

QLineEdit, QPlainTextEdit {{ border: 1px solid {ring}; border-radius: 6px;
    padding: 0.25em 0.4em; }}
QLineEdit:focus, QPlainTextEdit:focus {{ border: 2px solid {accent}; }}
QListView, QTableView {{ border: 1px solid {ring}; border-radius: 6px; }}
QListView:focus, QTableView:focus {{ border: 2px solid {accent}; }}
QCheckBox, QRadioButton {{ border: 1px solid transparent; border-radius: 4px;
    padding: 0.1em 0.25em; }}
QCheckBox:focus, QRadioButton:focus {{ border: 1px solid {accent}; }}
QTabBar::tab:focus {{ color: {accent}; }}
QSlider {{ border: 1px solid transparent; border-radius: 4px; }}
QSlider:focus {{ border: 1px solid {accent}; }}
"""


def fit_to_screen(window: QWidget, width: int, height: int) -> tuple[int, int]:
    """Resize to the wanted size, but never past 90 % of the screen (at 150 % scaling
    on a laptop the wanted size can be taller than the screen; content then scrolls).
    Returns the size given."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, int(room.width() * 0.9))
        height = min(height, int(room.height() * 0.9))
    window.resize(width, height)
    return width, height
