"""The floor for startup_bench.py: a bare PySide6 window (QMainWindow + QLabel), nothing else.

Prints the time.monotonic() of its first paint the same way qpvdesk does with QPVDESK_STARTUP_TIMES=1
(qpvdesk.ui.app.report_startup_times), then quits. startup_bench.py runs it as a script and, frozen, as a
one-folder PyInstaller build of this file.
"""

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("fenêtre nue")
    window.setCentralWidget(QLabel("Bonjour"))
    window.resize(1000, 700)

    def stamp() -> None:
        print(f"qpvdesk-startup first_paint={time.monotonic():.6f}", flush=True)
        print(f"qpvdesk-startup first_paint_cpu={time.process_time():.6f}", flush=True)
        app.quit()

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt name)
            if event.type() == QEvent.Type.Paint and getattr(obj, "window", lambda: None)() is window:
                app.removeEventFilter(self)
                QTimer.singleShot(0, stamp)
            return False

    watcher = FirstPaint(app)
    app.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(10000, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
