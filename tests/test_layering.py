"""The core never imports Qt; the UI never imports SQLAlchemy (it goes through qpvdesk.service)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "qpvdesk"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_does_not_import_qt():
    core_files = [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts]
    assert core_files
    offenders = [str(p) for p in core_files if imported_modules(p) & {"PySide6", "shiboken6"}]
    assert offenders == []


def test_ui_does_not_import_sqlalchemy():
    ui_files = list((PACKAGE / "ui").rglob("*.py"))
    assert ui_files
    offenders = [str(p) for p in ui_files if "sqlalchemy" in imported_modules(p) or "sqlite3" in imported_modules(p)]
    assert offenders == []
