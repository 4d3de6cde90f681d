"""Start-up: the window is painted before the heavy work, and the benchmark's timestamps work.

Timings themselves are printed by benchmarks/startup_bench.py, never asserted (a shared VM is too noisy).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True, cwd=REPO, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    ).stdout
    return set(out.split())


def test_window_modules_do_not_import_sqlalchemy():
    """SQLAlchemy (~0.2–0.4 s to import) is imported on the loading thread, after the first paint."""
    loaded = modules_after("import qpvdesk.ui.app, qpvdesk.ui.main_window")
    assert not any(m == "sqlalchemy" or m.startswith("sqlalchemy.") for m in loaded)


def test_cli_entry_does_not_import_qt_or_sqlalchemy():
    """`qpvdesk check/search…` start without Qt; the parser alone loads neither Qt nor SQLAlchemy."""
    loaded = modules_after("from qpvdesk.cli import build_parser; build_parser()")
    assert not any(m.split(".")[0] in {"PySide6", "sqlalchemy"} for m in loaded)


def test_startup_timestamps_for_the_benchmark(mini_catalogue_path, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QPVDESK_STARTUP_TIMES="1", QPVDESK_USER_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "qpvdesk", "--catalogue", str(mini_catalogue_path), "--smoke"],
        capture_output=True, text=True, timeout=60, env=env, cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    stamps = dict(line.split()[1].split("=") for line in result.stdout.splitlines() if line.startswith("qpvdesk-startup"))
    assert set(stamps) == {"first_paint", "loaded", "first_paint_cpu", "loaded_cpu"}  # wall clock and CPU time
    assert all(float(v) > 0 for v in stamps.values())
    assert float(stamps["loaded_cpu"]) >= float(stamps["first_paint_cpu"])


def test_no_timestamps_without_the_variable(mini_catalogue_path, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "QPVDESK_STARTUP_TIMES"}
    env.update(QT_QPA_PLATFORM="offscreen", QPVDESK_USER_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "qpvdesk", "--catalogue", str(mini_catalogue_path), "--smoke"],
        capture_output=True, text=True, timeout=60, env=env, cwd=REPO,
    )
    assert result.returncode == 0 and "qpvdesk-startup" not in result.stdout
