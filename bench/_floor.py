"""The bare PySide6 tray app every start-up and idle figure is compared against:
QApplication + QSystemTrayIcon shown, nothing else (DESIGN.md's floor).

With COMPANION_BENCH_SHOWN set it prints "shown <time>" once the icon is asked for, and
quits at once unless the value is "stay" (bench/startup.py stops it once it has seen
the icon's pixels)."""

import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

app = QApplication(sys.argv[:1])
pixmap = QPixmap(22, 22)
pixmap.fill()
tray = QSystemTrayIcon(QIcon(pixmap))
tray.show()
if os.environ.get("COMPANION_BENCH_SHOWN"):
    print(f"shown {time.time():.6f}", flush=True)
    if os.environ["COMPANION_BENCH_SHOWN"] != "stay":
        QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
