"""The item-data roles of the window's models, one table: each number means one thing everywhere."""

from PySide6.QtCore import Qt

_USER = Qt.ItemDataRole.UserRole
ENTITY_ID_ROLE = _USER + 1  # the id a row opens: a catalogue id, or "local:<uuid>" for a partner added locally
LOCAL_ROLE = _USER + 2  # partners table: True for a partner added locally
KIND_ROLE = _USER + 3  # territory tree: the node's kind (region, departement, commune, qpv…)
TARGET_ROLE = _USER + 4  # search results: ("entity", id) or ("glossary", acronym)
HTML_ROLE = _USER + 5  # search results: the row as rich text (title, status, snippet with matches in bold)
ANSWER_ROLE = _USER + 6  # search results: True on the rows of a question's answer (Enter skips them)
