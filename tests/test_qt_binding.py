"""The installed Qt binding must not leak references to None (PySide6 6.12.0 did, on Python 3.11:
the map alone makes ~20,000 void calls, then Python aborts with « none_dealloc »)."""

import sys

from PySide6.QtCore import QObject
from PySide6.QtGui import QPainterPath


def test_void_qt_calls_keep_none_alive():
    obj, path = QObject(), QPainterPath()
    before = sys.getrefcount(None)
    for _ in range(2000):
        obj.setObjectName("x")
        path.moveTo(1.0, 2.0)
    assert sys.getrefcount(None) >= before - 50  # immortal on 3.12+, stable on a sound binding
