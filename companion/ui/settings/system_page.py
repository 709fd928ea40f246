"""The System tab: start at login, where the data is, Export, and "Delete all my data".

Export also writes the one-page supervision summary ("Supervision summary (Markdown)..."),
with the same code as `companion export --supervision` (`companion.core.supervision`).

Export runs off the GUI thread (`companion.runtime.tasks`): the tab says it is
exporting, then shows one line with the result (or why it did not finish). Deleting is
the window's business: this tab only asks for it (`delete_requested`).

Hooks a test can replace: `choose_export_target(fmt)` (the file or folder picker; `fmt`
is "supervision" for the summary) and `open_folder(path)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from companion.core import export, supervision
from companion.core.clock import Clock
from companion.core.journal import Journal, JournalError
from companion.core.paths import Paths
from companion.core.settings import Settings
from companion.i18n import N_, _, ngettext
from companion.runtime.tasks import Outcome, first_line, run_in_background
from companion.ui import kit, text
from companion.ui.settings.page import Page

EXPORT_FORMATS = (
    ("json", N_("JSON: everything, for another program")),
    ("md", N_("Markdown: a readable journal")),
    ("csv", N_("CSV: one table per kind of record (a folder)")),
)


@dataclass(frozen=True)
class Exported:
    """What an export wrote: how many records, and how many CSV files (None: one file)."""

    records: int
    files: int | None
    out: Path
    missing: tuple[str, ...] = ()  # one line for each part of the journal left out
    marked: int | None = None  # the supervision summary: how many marked items it holds


def export_journal(
    paths: Paths,
    clock: Clock,
    fmt: str,
    out: Path,
    titles: dict[str, str],
    *,
    limit_percent: int = Settings().heavy_limit_percent,
) -> Exported:
    """Read the journal and write it as `fmt` to `out` ("supervision": the one-page summary
    for supervision, the last 30 days against `limit_percent`). Runs in a worker; touches
    no widget."""
    journal = Journal(paths, clock, backups=False, size_limit=None)  # every year, however big
    try:
        records = journal.all()
        missing = tuple(journal.read_problems())
    finally:
        journal.close()
    if fmt == "csv":
        return Exported(len(records), len(export.to_csv_files(records, out)), out, missing)
    if fmt == "supervision":
        today = clock.now().date()
        page = supervision.to_markdown(records, today, limit_percent)
        export.write_export(out, page.encode("utf-8"))
        marked = supervision.marked_count(records, today)
        return Exported(len(records), None, out, missing, marked)
    if fmt == "json":
        written = export.to_json(records, clock.now())
    else:
        written = export.to_markdown(records, titles=titles)
    export.write_export(out, written.encode("utf-8"))  # 0600; the folder's mode is left alone
    return Exported(len(records), None, out, missing)


def exported_line(outcome: Outcome[Exported]) -> str:
    """The one line the tab shows after an export."""
    try:
        done = outcome.result()
    except (OSError, JournalError) as exc:
        reason = getattr(exc, "strerror", None) or first_line(exc)
        return _("The export did not finish: {reason}").format(reason=reason)
    except Exception as exc:  # one calm line, never a traceback
        return _("The export did not finish: {reason}").format(reason=first_line(exc))
    if done.marked is not None:
        line = supervision.wrote_line(done.marked, done.out)
    elif done.files is None:
        line = ngettext(
            "Exported {n} record to {out}", "Exported {n} records to {out}", done.records
        ).format(n=done.records, out=done.out)
    else:
        files = ngettext("{n} CSV file", "{n} CSV files", done.files).format(n=done.files)
        line = _("Exported {records} to {files} in {out}").format(
            records=text.records(done.records), files=files, out=done.out
        )
    for missing in done.missing:  # a damaged year left out is said, never skipped silently
        line += "\n" + _("Not in this export: {what}").format(what=missing)
    return line


class SystemPage(Page):
    title = N_("S&ystem")

    exported = Signal(str)  # the line shown after an export
    exporting = Signal(bool)  # an export started (True) or ended (False)
    delete_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        paths: Paths,
        *,
        clock: Clock,
        autostart: Any,
        practices: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._clock = clock
        self._autostart = autostart
        self._titles = dict(practices)
        self.autostart_was = False
        self._limit = settings.heavy_limit_percent
        # Hooks a test (or another platform) can replace.
        self.choose_export_target: Callable[[str], str] = self._pick_export_target
        self.open_folder: Callable[[Path], object] = lambda p: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(p))
        )
        layout = QVBoxLayout(self)

        login = QGroupBox(_("Starting"))
        login_layout = QVBoxLayout(login)
        self.start_at_login = kit.named(
            QCheckBox(_("Start Grounding Companion when I &log in")), _("Start at login")
        )
        login_layout.addWidget(self.start_at_login)
        layout.addWidget(login)
        layout.addWidget(self._data_box())
        layout.addWidget(self._delete_box())
        layout.addStretch(1)
        self.fields = {"start_at_login": self.start_at_login}
        self.load(settings)

    def _data_box(self) -> QGroupBox:
        box = QGroupBox(_("Your data"))
        layout = QVBoxLayout(box)
        layout.addWidget(
            kit.hint(_("Everything stays on this computer. Your journal and settings are in:"))
        )
        row = QHBoxLayout()
        self.folder_label = QLabel(str(self._paths.data))
        self.folder_label.setAccessibleName(_("Data folder"))
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.open_folder_button = kit.button(_("&Open folder"), _("Open the data folder"))
        self.open_folder_button.clicked.connect(lambda: self.open_folder(self._paths.data))
        row.addWidget(self.folder_label, 1)
        row.addWidget(self.open_folder_button)
        layout.addLayout(row)

        row = QHBoxLayout()
        self.export_format = kit.named(QComboBox(), _("Export format"))
        # A long choice may be shortened in the closed box (the list shows it whole)
        # rather than widen the page.
        self.export_format.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.export_format.setMinimumContentsLength(24)
        for key, label in EXPORT_FORMATS:
            self.export_format.addItem(_(label), key)
        export_label = QLabel(_("&Export as"))
        export_label.setBuddy(self.export_format)
        self.export_button = kit.button(
            _("E&xport..."), _("Export the journal"), _("Choose where to save the export")
        )
        self.export_button.clicked.connect(self.export_journal)
        row.addWidget(export_label)
        row.addWidget(self.export_format, 1)
        row.addWidget(self.export_button)
        layout.addLayout(row)

        row = QHBoxLayout()
        self.supervision_button = kit.button(
            _("S&upervision summary (Markdown)..."),
            _("Write a supervision summary"),
            _("Choose where to save the one-page summary to take to supervision"),
        )
        self.supervision_button.clicked.connect(self.export_supervision)
        row.addWidget(self.supervision_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(
            kit.hint(
                _(
                    "One page for supervision: only what you marked to bring, the last 30 "
                    "days of the check-in in words, and your heavy share."
                )
            ),
            1,
        )
        layout.addLayout(row)
        self.export_status = kit.muted()
        self.export_status.setAccessibleName(_("Export result"))
        self.export_status.setTextFormat(Qt.TextFormat.PlainText)
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_status.hide()
        layout.addWidget(self.export_status)
        return box

    def _delete_box(self) -> QGroupBox:
        box = QGroupBox(_("Delete"))
        layout = QVBoxLayout(box)
        layout.addWidget(
            kit.hint(
                _(
                    "Removes your journal, backups, drafts, calendar cache, settings and saved "
                    "calendar links. You will be asked to confirm."
                )
            )
        )
        self.delete_button = kit.button(_("Dele&te all my data..."), _("Delete all my data"))
        self.delete_button.clicked.connect(self.delete_requested)
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    # --- values -----------------------------------------------------------------------

    def load(self, settings: Settings) -> None:
        """Start at login shows what the desktop has (the file may say otherwise)."""
        self._limit = settings.heavy_limit_percent
        try:
            self.autostart_was = bool(self._autostart.is_enabled())
        except OSError:
            self.autostart_was = settings.start_at_login
        self.start_at_login.setChecked(self.autostart_was)

    def changes(self) -> dict[str, Any]:
        return {"start_at_login": self.start_at_login.isChecked()}

    def apply_start_at_login(self, on: bool, command: list[str]) -> None:
        """Add or remove the login entry when `on` differs from what it was; raises OSError."""
        if on == self.autostart_was:
            return
        if on:
            self._autostart.enable(command)
        else:
            self._autostart.disable()
        self.autostart_was = on

    # --- export -----------------------------------------------------------------------

    def _pick_export_target(self, fmt: str) -> str:
        if fmt == "csv":
            return str(
                QFileDialog.getExistingDirectory(self, _("Choose a folder for the CSV files"))
            )
        name = f"grounding-companion-journal.{fmt}"
        if fmt == "supervision":
            name = f"for-supervision-{self._clock.now().date().isoformat()}.md"
            caption, pattern = _("Save the supervision summary"), _("Markdown (*.md)")
        elif fmt == "md":
            caption, pattern = _("Save the journal as Markdown"), _("Markdown (*.md)")
        else:
            caption, pattern = _("Save the journal as JSON"), _("JSON (*.json)")
        path, _filter = QFileDialog.getSaveFileName(self, caption, str(Path.home() / name), pattern)
        return str(path)

    def export_journal(self) -> None:
        """Ask where, then export in the background; the result is one line here."""
        self._export(str(self.export_format.currentData()))

    def export_supervision(self) -> None:
        """Ask where, then write the supervision summary, as the export does."""
        self._export("supervision")

    def _export(self, fmt: str) -> None:
        target = self.choose_export_target(fmt)
        if not target:
            return
        out = Path(target).expanduser()
        paths, clock, titles = self._paths, self._clock, dict(self._titles)
        limit = self._limit
        self.export_button.setEnabled(False)
        self.supervision_button.setEnabled(False)
        self._show_export(_("Exporting…"))
        self.exporting.emit(True)
        run_in_background(
            lambda: export_journal(paths, clock, fmt, out, titles, limit_percent=limit),
            self._export_done,
            context=self,
            name="export",
        )

    def _export_done(self, outcome: Outcome[Exported]) -> None:
        self.exporting.emit(False)
        self.export_button.setEnabled(True)
        self.supervision_button.setEnabled(True)
        line = exported_line(outcome)
        self._show_export(line)
        self.exported.emit(line)

    def _show_export(self, line: str) -> None:
        self.export_status.setText(line)
        self.export_status.show()
