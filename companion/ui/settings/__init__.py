"""The settings window and its parts: `window.py` (SettingsWindow), one page per tab
(`schedule_page`, `day_page`, `practice_page`, `system_page`, on the `page.Page` base),
and the widgets another window reuses: `week_editor.WeekEditor`,
`calendar_setup.CalendarSetup` and `delete_dialog.DeleteDataDialog`."""

from companion.ui.settings.window import SettingsWindow

__all__ = ["SettingsWindow"]
