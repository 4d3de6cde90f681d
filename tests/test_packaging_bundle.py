"""The frozen app (PyInstaller one-folder bundle), the .deb and the portable archive. All marked slow: CI runs
`-m "not slow"`; run them with `.venv/bin/python -m pytest -m slow tests/test_packaging_bundle.py` (Linux, with
`pip install -e ".[package]"`; about 2 minutes, plus a few minutes for the clean-system proof when enabled).

They run only when asked for with `-m slow` (a plain `pytest tests` skips them). The bundle is built once per
session into a temporary folder, unless QPVDESK_BUNDLE_DIR names an existing one (e.g. dist/qpvdesk); the
build_linux.sh test then copies it to dist/qpvdesk and rewrites dist/ (.deb, .tar.gz).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from qpvdesk import __version__

REPO = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="bundle Linux"),
]


@pytest.fixture(autouse=True, scope="session")
def only_when_asked(request):
    """These tests build the bundle (~30 s) and rewrite dist/ (build_linux.sh): they run only when selected
    explicitly with `-m slow`, never as part of a plain `pytest tests`."""
    if "slow" not in (request.config.getoption("markexpr", "") or "") or "not slow" in request.config.getoption("markexpr"):
        pytest.skip("tests d'empaquetage lents : lancer avec -m slow")


def frozen_env(tmp_path: Path) -> dict[str, str]:
    """What a user's session has at least: HOME, PATH; no PYTHONPATH, no venv, no LANG."""
    return {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
            "QPVDESK_USER_DIR": str(tmp_path / "user")}


def unshare_prefix() -> list[str]:
    for prefix in (["unshare", "-n"], ["unshare", "-r", "-n"]):
        if shutil.which("unshare") and subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    return []


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    given = os.environ.get("QPVDESK_BUNDLE_DIR")
    if given:
        return Path(given)
    pytest.importorskip("PyInstaller", reason='pip install -e ".[package]"')
    work = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", str(work / "dist"),
         "--workpath", str(work / "build"), str(REPO / "build.spec")],
        check=True, cwd=REPO, capture_output=True, timeout=600,
    )
    return work / "dist" / "qpvdesk"


def run_frozen(bundle: Path, tmp_path: Path, *args: str, offline: bool = False) -> subprocess.CompletedProcess:
    prefix = unshare_prefix() if offline else []
    return subprocess.run([*prefix, str(bundle / "qpvdesk"), *args], capture_output=True, text=True, timeout=120,
                          env=frozen_env(tmp_path), cwd="/")


def test_bundle_layout_is_trimmed(bundle):
    internal = bundle / "_internal"
    assert (bundle / "qpvdesk").is_file() and (internal / "data.sqlite").is_file()
    assert not (internal / "resources" / "content").exists()  # read by build-data only
    dangling = [str(p) for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]
    assert dangling == []
    names = {p.name for p in bundle.rglob("*")}
    for forbidden in ("libQt6Network.so.6", "libQt6Qml.so.6", "libQt6Quick.so.6", "libssl.so.3", "libcrypto.so.3",
                      "libqopensslbackend.so", "libqgtk3.so", "libqwayland.so", "libcups.so.2", "QtNetwork.abi3.so"):
        assert forbidden not in names, forbidden
    for needed in ("libqxcb.so", "libqoffscreen.so", "qtbase_fr.qm", "libxcb-cursor.so.0", "libcupsprintersupport.so"):
        assert needed in names, needed
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    # 141.4 MiB measured on 4 Dec 2026 (issue 21): Qt 81 MiB, catalogue 26 MiB (funded structures and territory
    # depth), the team database's driver 10.3 MiB (psycopg's libpq with its own OpenSSL and Kerberos), Python 10 MiB
    assert size < 150 * 2**20, f"{size / 2**20:.1f} MiB"


def glibc_versions(path: Path) -> set[tuple[int, ...]]:
    out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True, check=False).stdout
    return {tuple(int(x) for x in v.split(".")) for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", out)}


@pytest.mark.skipif(shutil.which("objdump") is None, reason="objdump absent (binutils)")
def test_every_elf_file_runs_on_glibc_2_35(bundle):
    """Ubuntu 22.04 and Mint 21 have glibc 2.35: no file of the bundle may need a newer symbol (Debian 12's own
    libstdc++ and libexpat need GLIBC_2.36 and stopped the app there)."""
    elf_files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink() and p.read_bytes()[:4] == b"\x7fELF"]
    assert len(elf_files) > 30
    too_new = {}
    for path in elf_files:
        newest = max(glibc_versions(path), default=())
        if newest > (2, 35):
            too_new[str(path.relative_to(bundle))] = "GLIBC_" + ".".join(map(str, newest))
    assert too_new == {}


def test_distribution_libraries_come_from_the_system(bundle):
    """Copies of libraries Debian keeps patched are not shipped; only the listed exceptions stay (build.spec)."""
    names = {p.name for p in (bundle / "_internal").iterdir()}
    for system_lib in ("libstdc++.so.6", "libgcc_s.so.1", "libexpat.so.1", "libz.so.1", "libpng16.so.16",
                       "libfreetype.so.6", "libfontconfig.so.1", "libglib-2.0.so.0", "libdbus-1.so.3",
                       "libsystemd.so.0", "libgcrypt.so.20", "libX11.so.6", "libxkbcommon.so.0", "libffi.so.8"):
        assert system_lib not in names, system_lib
    assert {"libpython3.11.so.1.0", "libsqlite3.so.0", "libxcb-cursor.so.0"} <= names


def imported_symbols(path: Path) -> set[str]:
    out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True, check=False).stdout
    return {line.split()[-1] for line in out.splitlines() if "*UND*" in line}


def exported_symbols(path: str) -> set[str]:
    out = subprocess.run(["objdump", "-T", path], capture_output=True, text=True, check=False).stdout
    return {line.split()[-1] for line in out.splitlines() if " DF .text" in line}


@pytest.mark.skipif(not Path("/usr/lib/x86_64-linux-gnu/libX11-xcb.so.1").exists(), reason="libx11-xcb1 absent")
def test_relaxed_depends_bounds_match_what_qt_imports(bundle):
    """build_linux.sh lowers libzstd1 and libx11-xcb1 to Ubuntu 22.04's versions: valid while Qt imports only
    functions that zstd 1.3 and libX11 1.2 already had."""
    qt_lib = bundle / "_internal" / "PySide6" / "Qt" / "lib"
    zstd = {s for s in imported_symbols(qt_lib / "libQt6Core.so.6") if s.startswith("ZSTD_")}
    assert zstd <= {"ZSTD_decompress", "ZSTD_getFrameContentSize", "ZSTD_isError", "ZSTD_getErrorName"}, zstd
    x11_xcb = exported_symbols("/usr/lib/x86_64-linux-gnu/libX11-xcb.so.1")
    used = (imported_symbols(qt_lib / "libQt6XcbQpa.so.6") | imported_symbols(
        bundle / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so")) & x11_xcb
    assert used <= {"XGetXCBConnection", "XSetEventQueueOwner"}, used


def test_no_raw_open_data_but_every_licence_text(bundle):
    internal = bundle / "_internal"
    shipped = sorted(str(p.relative_to(internal)) for p in (internal / "resources").rglob("*") if p.is_file())
    assert [p for p in shipped if not p.startswith(("resources/icons/", "resources/translations/"))] == [
        "resources/data/SOURCES.md"]
    assert all(p.endswith(".qm") for p in shipped if p.startswith("resources/translations/"))
    index = json.loads((internal / "licences" / "index.json").read_text(encoding="utf-8"))
    for entry in index:
        assert (internal / "licences" / entry["file"]).stat().st_size > 200, entry
    components = " ".join(entry["component"] for entry in index)
    for name in ("Python", "SQLAlchemy", "alembic", "PySide6", "shiboken6", "ICU", "Données ouvertes",
                 "libsqlite3", "libxcb-cursor", "psycopg-binary", "keyring", "PyNaCl", "libpq-"):
        assert name in components, name
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (internal / "licences" / "LGPL-3.0.txt").read_text(encoding="utf-8")


def test_user_data_migrations_are_shipped_as_files(bundle):
    source = REPO / "qpvdesk" / "userdata" / "migrations"
    if not source.is_dir():
        pytest.skip("pas encore de migrations")
    shipped = bundle / "_internal" / "qpvdesk" / "userdata" / "migrations"
    for path in source.rglob("*.py"):
        if "__pycache__" not in path.parts:
            assert (shipped / path.relative_to(source)).is_file(), path


def test_frozen_version_and_check_with_fts5(bundle, tmp_path):
    result = run_frozen(bundle, tmp_path, "--version")
    assert result.stdout.strip() == f"qpvdesk {__version__}"
    result = run_frozen(bundle, tmp_path, "check", "--json", offline=True)
    assert result.returncode == 0, result.stderr
    assert '"fts5": true' in result.stdout and '"ok": true' in result.stdout


def test_frozen_smoke_without_network(bundle, tmp_path):
    result = run_frozen(bundle, tmp_path, "--smoke", offline=True)
    assert result.returncode == 0, result.stderr
    assert "smoke: ok" in result.stdout
    assert "Traceback" not in result.stderr
    if (REPO / "qpvdesk" / "userdata" / "migrations").is_dir():
        # the window opened the user database: Alembic ran the shipped migrations inside the frozen app
        import sqlite3

        from qpvdesk.userdata.location import DB_NAME

        with sqlite3.connect(tmp_path / "user" / DB_NAME) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_frozen_search_and_pdf(bundle, tmp_path):
    result = run_frozen(bundle, tmp_path, "search", "renouvelement urbain", "--limit", "3", offline=True)
    assert result.returncode == 0 and "npnru" in result.stdout, result.stdout + result.stderr
    if "export-pdf" in run_frozen(bundle, tmp_path, "--help").stdout:
        pdf = tmp_path / "anru.pdf"
        result = run_frozen(bundle, tmp_path, "export-pdf", "anru", str(pdf), offline=True)
        assert result.returncode == 0, result.stderr
        assert pdf.read_bytes()[:5] == b"%PDF-"


def test_frozen_missing_catalogue_is_a_french_message(bundle, tmp_path):
    result = run_frozen(bundle, tmp_path, "--catalogue", str(tmp_path / "absent.sqlite"), "check")
    assert result.returncode == 1
    said = result.stdout + result.stderr  # `check` reports on standard output, like when the catalogue is fine
    assert "introuvable" in said and "Traceback" not in said


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb absent")
def test_build_linux_script_makes_deb_and_portable_archive(bundle, tmp_path):
    """The one script, on the bundle built above (--no-bundle after copying it to dist/qpvdesk)."""
    dist = REPO / "dist"
    if bundle != dist / "qpvdesk":
        if (dist / "qpvdesk").exists():
            shutil.rmtree(dist / "qpvdesk")
        shutil.copytree(bundle, dist / "qpvdesk", symlinks=True)
    result = subprocess.run(["bash", str(REPO / "packaging" / "build_linux.sh"), "--no-bundle"], capture_output=True,
                            text=True, timeout=900, cwd=REPO)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    deb = dist / f"qpvdesk_{__version__}_amd64.deb"
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/qpvdesk/qpvdesk", "./usr/bin/qpvdesk", "./usr/share/applications/qpvdesk.desktop",
                 "./usr/share/icons/hicolor/256x256/apps/qpvdesk.png", "./usr/share/doc/qpvdesk/copyright"):
        assert path in listing, path
    assert "./opt/qpvdesk/_internal/licences/index.json" in listing
    assert "/libxcb-cursor.so.0" not in listing  # the .deb uses Debian's copy: it is in Depends
    control = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True).stdout
    for dep in ("libxcb-cursor0", "libegl1", "libgl1", "libxcb1", "libstdc++6", "libexpat1", "fonts-dejavu-core"):
        assert dep in control, dep
    floor = re.search(r"libc6 \(>= (\d+)\.(\d+)", control)
    assert floor and (int(floor[1]), int(floor[2])) <= (2, 35), control  # Ubuntu 22.04 installs it
    assert "libzstd1 (>= 1.5" not in control and "libx11-xcb1 (>= 2:1.8" not in control  # Ubuntu 22.04: 1.4.8, 1.7.5
    assert "python" not in control.lower()
    archive = dist / f"qpvdesk-{__version__}-linux-x86_64.tar.gz"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    top = f"qpvdesk-{__version__}-linux-x86_64"
    for name in ("qpvdesk", "qpvdesk.sh", "qpvdesk-portable", "LISEZMOI.txt", "_internal/data.sqlite",
                 "_internal/licences/LGPL-3.0.txt", "_internal/licences/Python.txt"):
        assert f"{top}/{name}" in names, name
    assert deb.stat().st_size < 60 * 2**20 and archive.stat().st_size < 60 * 2**20


def test_portable_archive_runs_from_any_folder(tmp_path):
    archive = REPO / "dist" / f"qpvdesk-{__version__}-linux-x86_64.tar.gz"
    if not archive.exists():
        pytest.skip("archive portable absente (packaging/build_linux.sh)")
    with tarfile.open(archive) as tar:
        # filter= exists from Python 3.11.4; the packaging venv runs Debian 12's 3.11.2 (archive made by us)
        tar.extractall(tmp_path / "usb stick", **({"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}))
    folder = tmp_path / "usb stick" / f"qpvdesk-{__version__}-linux-x86_64"
    env = {k: v for k, v in frozen_env(tmp_path).items() if k != "QPVDESK_USER_DIR"}
    result = subprocess.run([str(folder / "qpvdesk.sh"), "--smoke"], capture_output=True, text=True, timeout=120,
                            env=env, cwd="/")
    assert result.returncode == 0 and "smoke: ok" in result.stdout, result.stderr


@pytest.mark.skipif(os.environ.get("QPVDESK_CLEAN_INSTALL_PROOF") != "1",
                    reason="preuve sur système propre : root, debootstrap et le dépôt Debian ; QPVDESK_CLEAN_INSTALL_PROOF=1")
def test_clean_system_proof():
    deb = REPO / "dist" / f"qpvdesk_{__version__}_amd64.deb"
    result = subprocess.run(["bash", str(REPO / "packaging" / "prove_clean_install.sh"), str(deb)],
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "PREUVE RÉUSSIE" in result.stdout
