"""Look back: week and month views with calm charts, and the glimmer jar.

window.py   the window: periods, loading in a worker, the per-period cache
reading.py  the window's own read-only journal, one worker at a time
specs.py    a period's title, summary and charts in words (dates and plurals via ui.text)
chart.py    the chart widget (QPainter) and its card with a table view
jar.py      the glimmer jar: a searchable list, newest first
"""

from companion.ui.history.chart import ChartCard, ChartSeries, ChartSpec, ChartView
from companion.ui.history.jar import GlimmerJar, GlimmerModel
from companion.ui.history.specs import chart_specs, period_title, summary
from companion.ui.history.window import HistoryWindow

__all__ = [
    "ChartCard",
    "ChartSeries",
    "ChartSpec",
    "ChartView",
    "GlimmerJar",
    "GlimmerModel",
    "HistoryWindow",
    "chart_specs",
    "period_title",
    "summary",
]
