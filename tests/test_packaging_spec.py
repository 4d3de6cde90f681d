"""The packaging files, checked without building anything (fast; the bundle itself: test_packaging_bundle.py).

- build.spec never excludes a module the app imports or loads (a size trim that removes QtSvg or
  sqlalchemy.connectors.asyncio only fails in the frozen app, on users' machines);
- the Qt plugins and translations the app needs are kept;
- the launchers, the .desktop entry, the Inno Setup script and the release workflow say what they must.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "build.spec"
LINUX = REPO / "packaging" / "linux"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux seulement")


def spec_constant(name: str):
    """A literal assigned at the top level of build.spec (it cannot be imported outside PyInstaller)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} absent de build.spec")


def is_excluded(module: str, excludes: list[str]) -> bool:
    return any(module == ex or module.startswith(ex + ".") for ex in excludes)


def all_imports(path: Path) -> set[str]:
    """Every absolute import in a file, including those inside functions (lazy imports)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_excluded_module_is_imported_by_the_app():
    excludes = spec_constant("EXCLUDES")
    offenders = {}
    for path in sorted((REPO / "qpvdesk").rglob("*.py")):
        bad = sorted(m for m in all_imports(path) if is_excluded(m, excludes))
        if bad:
            offenders[str(path.relative_to(REPO))] = bad
    assert offenders == {}, f"build.spec exclut des modules importés par l'application : {offenders}"


def test_no_excluded_module_is_loaded_at_run_time(mini_catalogue_path, tmp_path):
    """Runs the core paths in a fresh interpreter and compares sys.modules with EXCLUDES (catches indirect
    imports, e.g. the sqlite dialect importing sqlalchemy.connectors.asyncio)."""
    code = textwrap.dedent(
        """
        import contextlib, io, json, sys
        from qpvdesk.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            for argv in (["check"], ["search", "anru"], ["show", "anru"], ["list"]):
                assert main(["--catalogue", sys.argv[1], *argv]) == 0, argv
        from qpvdesk.service import CatalogueService
        service = CatalogueService(sys.argv[1])
        service.tree(); service.partners(); service.glossary()
        import qpvdesk.ui.app
        try:
            import qpvdesk.userdata.database  # user database and its Alembic migrations, when present
        except ImportError:
            pass
        # the team database: joining a server that is not there loads the driver (psycopg, libpq) and the keyring
        import os, tempfile
        os.environ["QPVDESK_USER_DIR"] = tempfile.mkdtemp()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["team", "join", "postgresql://x@/db?host=/nonexistent-qpvdesk", "--name", "X"]) == 1
        assert "psycopg" in sys.modules
        print(json.dumps(sorted(sys.modules)))
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QPVDESK_USER_DIR=str(tmp_path / "user"))
    result = subprocess.run([sys.executable, "-c", code, str(mini_catalogue_path)], capture_output=True, text=True,
                            env=env, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    # Excluded on purpose although imported: hashlib falls back to its built-in hashes without _hashlib. The
    # frozen app runs without it (test_packaging_bundle.py, packaging/build_linux.sh's self-check).
    optional = {"_hashlib"}
    excludes = [m for m in spec_constant("EXCLUDES") + spec_constant("BUILD_ONLY") if m not in optional]
    assert "sqlalchemy.connectors.asyncio" in loaded or "sqlalchemy" not in loaded
    assert [m for m in loaded if is_excluded(m, excludes)] == []


def test_kept_qt_plugins_and_translations():
    plugins = spec_constant("KEEP_PLUGINS")
    assert {"platforms/libqxcb", "platforms/libqoffscreen", "platforms/qwindows", "platforms/libqcocoa"} <= plugins
    assert "printsupport/libcupsprintersupport" in plugins  # printing the fiches
    assert not any(p.startswith(("tls/", "networkinformation/", "sqldrivers/")) for p in plugins)
    assert "qtbase_fr.qm" in spec_constant("KEEP_TRANSLATIONS")
    assert "PySide6.QtNetwork" in spec_constant("EXCLUDES")


@linux_only
def test_kept_linux_plugins_exist_in_this_pyside6():
    """A PySide6 upgrade that renames a plugin must not silently drop it from the bundle."""
    import PySide6

    plugin_dir = Path(PySide6.__file__).parent / "Qt" / "plugins"
    for name in spec_constant("KEEP_PLUGINS"):
        if Path(name).name.startswith("lib") and "mac" not in name and "cocoa" not in name:
            assert (plugin_dir / f"{name}.so").is_file(), name
    for qm in spec_constant("KEEP_TRANSLATIONS"):
        assert (plugin_dir.parent / "translations" / qm).is_file(), qm


def test_version_comes_from_the_package():
    text = SPEC.read_text(encoding="utf-8")
    assert "from qpvdesk import __version__" in text
    assert "onefile" not in text.lower().replace("never one-file", "").replace("one-file:", "")


@linux_only
@pytest.mark.parametrize(
    "given, expected",
    [({}, "C.UTF-8"), ({"LANG": "C"}, "C.UTF-8"), ({"LANG": "fr_FR.UTF-8"}, "fr_FR.UTF-8"), ({"LC_ALL": "fr_FR.UTF-8"}, "")],
)
@pytest.mark.parametrize("launcher", ["qpvdesk-launcher.sh", "qpvdesk-portable.sh"])
def test_launchers_set_a_utf8_locale_only_when_none_is_set(tmp_path, launcher, given, expected):
    fake_app = tmp_path / "qpvdesk"
    fake_app.write_text('#!/bin/sh\necho "LANG=${LANG:-} ARGS=$*"\n', encoding="utf-8")
    fake_app.chmod(0o755)
    script = tmp_path / launcher
    script.write_text((LINUX / launcher).read_text(encoding="utf-8").replace("/opt/qpvdesk/qpvdesk", str(fake_app)),
                      encoding="utf-8")
    script.chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", **given}
    out = subprocess.run([str(script), "check", "--json"], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == f"LANG={expected} ARGS=check --json"


def test_desktop_entry_is_french_and_valid():
    entry = (LINUX / "qpvdesk.desktop").read_text(encoding="utf-8")
    for line in ("Exec=qpvdesk", "Icon=qpvdesk", "Terminal=false", "Type=Application"):
        assert line in entry.splitlines()
    assert "politique de la ville" in entry
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(LINUX / "qpvdesk.desktop")], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_icon_sizes_for_the_hicolor_theme():
    icons = REPO / "resources" / "icons"
    assert (icons / "qpvdesk.svg").is_file()
    for size in (16, 32, 48, 64, 128, 256):
        data = (icons / f"qpvdesk-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20], "big") == size  # IHDR width


def test_portable_marker_matches_the_user_data_code():
    marker = LINUX / "qpvdesk-portable"
    assert marker.is_file()
    try:
        from qpvdesk.userdata import location
    except ImportError:
        pytest.skip("qpvdesk.userdata absent")
    assert location.PORTABLE_MARKER == marker.name
    assert location.PORTABLE_DIR in marker.read_text(encoding="utf-8")


def test_inno_setup_installs_per_user_in_french():
    iss = (REPO / "packaging" / "windows" / "qpvdesk.iss").read_text(encoding="utf-8")
    for line in ("PrivilegesRequired=lowest", "DefaultDirName={autopf}\\qpvdesk",
                 'Name: "fr"; MessagesFile: "compiler:Languages\\French.isl"'):
        assert line in iss.splitlines(), line
    assert "NON CONSTRUIT NI TESTÉ" in iss


def test_release_workflow_is_marked_as_not_run():
    import yaml

    text = (REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert set(workflow["jobs"]) == {"windows", "macos"}
    assert "NOT RUN HERE" in text and "non exécuté ici" in workflow["name"]


def test_package_extra_holds_only_pyinstaller():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    package = project["optional-dependencies"]["package"]
    assert len(package) == 1 and package[0].lower().startswith("pyinstaller")
    assert not any(dep.lower().startswith("pyinstaller") for dep in project["dependencies"])
