"""PyYAML is a build-time dependency only (the `build` extra): the app starts and answers without it.

`pip install -e .` no longer brings PyYAML; these tests run the app with `import yaml` made impossible, as on
such an install.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# `import yaml` fails as it would without the package; then the command line runs as `python -m qpvdesk` would
WITHOUT_YAML = """
import sys
sys.modules["yaml"] = None
from qpvdesk.cli import main
code = main(sys.argv[1:])
assert "yaml" not in {m for m, v in sys.modules.items() if v is not None}, "yaml imported"
sys.exit(code)
"""


def run_without_yaml(*args: str, user_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QPVDESK_USER_DIR=str(user_dir), PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", WITHOUT_YAML, *args], capture_output=True, text=True, timeout=120,
                          env=env, cwd=REPO)


def test_the_window_opens_and_loads_without_pyyaml(mini_catalogue_path, tmp_path):
    result = run_without_yaml("--catalogue", str(mini_catalogue_path), "--smoke", user_dir=tmp_path)
    assert result.returncode == 0, result.stderr


def test_check_and_search_answer_without_pyyaml(mini_catalogue_path, tmp_path):
    check = run_without_yaml("--catalogue", str(mini_catalogue_path), "check", user_dir=tmp_path)
    assert check.returncode == 0 and "Catalogue : sain" in check.stdout, check.stderr
    search = run_without_yaml("--catalogue", str(mini_catalogue_path), "search", "ville", user_dir=tmp_path)
    assert search.returncode == 0 and "Traceback" not in search.stderr, search.stderr


def test_build_data_without_pyyaml_says_which_extra_to_install(mini_resources, tmp_path):
    output = tmp_path / "data.sqlite"
    result = run_without_yaml("build-data", "--resources", str(mini_resources), "--output", str(output),
                              user_dir=tmp_path)
    assert result.returncode == 1
    assert "PyYAML" in result.stderr and ".[build]" in result.stderr and "Traceback" not in result.stderr
    assert not output.exists()


def test_pyyaml_is_not_a_run_time_dependency():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any(d.lower().startswith("pyyaml") for d in project["dependencies"])
    assert any(d.lower().startswith("pyyaml") for d in project["optional-dependencies"]["build"])
