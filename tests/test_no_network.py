"""No network, ever: the core and `--smoke` run with network sockets forbidden, and nothing tries to connect.

Two independent guards:
- a socket guard (Python level): socket.socket refuses connect/bind/send for every family but AF_UNIX (local
  IPC, e.g. D-Bus), and name lookups (getaddrinfo, gethostbyname) fail; every attempt is recorded, so even an
  attempt whose error the code swallows fails the test. In-process through a fixture; in a subprocess through a
  sitecustomize.py put first on PYTHONPATH (it also records that it was loaded, so the test cannot pass vacuously);
- `unshare -n` (a network namespace with only a loopback interface that is down), where the kernel allows it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

GUARD_SOURCE = textwrap.dedent(
    '''
    """Test guard (tests/test_no_network.py): network sockets and name lookups fail and are recorded."""
    import json, os, socket, traceback

    _real_socket = socket.socket


    def _record(what, detail):
        entry = {"what": what, "detail": repr(detail), "stack": traceback.format_stack(limit=8)}
        log = os.environ.get("QPVDESK_NETGUARD_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\\n")
        return OSError(f"réseau interdit pendant les tests : {what} {detail!r}")


    class GuardedSocket(_real_socket):
        def _check(self, what, address):
            if self.family != getattr(socket, "AF_UNIX", None):
                raise _record(what, address)

        def connect(self, address):
            self._check("connect", address)
            return super().connect(address)

        def connect_ex(self, address):
            self._check("connect_ex", address)
            return super().connect_ex(address)

        def bind(self, address):
            self._check("bind", address)
            return super().bind(address)

        def sendto(self, *args):
            self._check("sendto", args[-1])
            return super().sendto(*args)


    def _refuse(name):
        def refuse(*args, **kwargs):
            raise _record(name, args[:2])
        return refuse


    def install():
        socket.socket = GuardedSocket
        for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "create_connection"):
            setattr(socket, name, _refuse(name))


    if os.environ.get("QPVDESK_NETGUARD_INSTALL") and os.environ.get("QPVDESK_NETGUARD_LOG"):
        install()
        with open(os.environ["QPVDESK_NETGUARD_LOG"], "a", encoding="utf-8") as f:
            f.write(json.dumps({"what": "guard-active"}) + "\\n")
    '''
)


@pytest.fixture()
def guard_dir(tmp_path) -> Path:
    folder = tmp_path / "netguard"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(GUARD_SOURCE, encoding="utf-8")
    return folder


def load_guard(guard_dir: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("qpvdesk_netguard", guard_dir / "sitecustomize.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def no_network(guard_dir, tmp_path, monkeypatch):
    """In-process guard; yields the log of attempts, and fails the test if any was made."""
    log = tmp_path / "netguard.log"
    monkeypatch.setenv("QPVDESK_NETGUARD_LOG", str(log))
    guard = load_guard(guard_dir)
    monkeypatch.setattr(socket, "socket", guard.GuardedSocket)
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "create_connection"):
        monkeypatch.setattr(socket, name, guard._refuse(name))
    yield log
    attempts = read_log(log)
    assert attempts == [], f"tentatives réseau : {attempts}"


def read_log(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def subprocess_env(guard_dir: Path, log: Path, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(guard_dir), str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["QPVDESK_NETGUARD_LOG"] = str(log)
    env["QPVDESK_NETGUARD_INSTALL"] = "1"
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["QPVDESK_USER_DIR"] = str(tmp_path / "user")  # user data, if any, goes to the test folder
    env.setdefault("LANG", "C.UTF-8")
    return env


# --- the guard itself ---------------------------------------------------------------------------------------------


def test_guard_refuses_and_records_a_connection(guard_dir, tmp_path, monkeypatch):
    log = tmp_path / "netguard.log"
    monkeypatch.setenv("QPVDESK_NETGUARD_LOG", str(log))
    guard = load_guard(guard_dir)
    monkeypatch.setattr(socket, "socket", guard.GuardedSocket)
    with pytest.raises(OSError, match="réseau interdit"):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never reached, refused before any packet
    monkeypatch.setattr(socket, "getaddrinfo", guard._refuse("getaddrinfo"))
    with pytest.raises(OSError):
        socket.getaddrinfo("deb.debian.org", 80)
    assert [entry["what"] for entry in read_log(log)] == ["connect", "getaddrinfo"]


# --- the core, in process -------------------------------------------------------------------------------------------


def test_core_functions_make_no_network_attempt(no_network, real_catalogue_path, capsys):
    from qpvdesk.catalogue import Catalogue, fts5_available
    from qpvdesk.cli import main
    from qpvdesk.search import Searcher
    from qpvdesk.service import CatalogueService

    assert fts5_available()
    catalogue = Catalogue(real_catalogue_path)
    hits = Searcher(catalogue).search("renouvelement urbain").hits
    assert hits
    assert catalogue.entity(hits[0].id) is not None
    assert catalogue.list_entities()
    service = CatalogueService(real_catalogue_path)
    assert service.tree() is not None
    service.partners()
    service.glossary()
    for argv in (["check", "--json"], ["search", "anru", "--json"], ["show", "anru", "--json"], ["list", "--json"]):
        assert main(["--catalogue", str(real_catalogue_path), *argv]) == 0, argv
    capsys.readouterr()


# --- the whole app, in a subprocess ----------------------------------------------------------------------------------


def test_smoke_and_cli_make_no_network_attempt(guard_dir, tmp_path, real_catalogue_path):
    log = tmp_path / "netguard.log"
    env = subprocess_env(guard_dir, log, tmp_path)
    runs = [
        ["--smoke"],
        ["check"],
        ["search", "politique de la ville", "--limit", "3"],
        ["export-pdf", "anru", str(tmp_path / "anru.pdf")],
    ]
    for args in runs:
        if args[0] == "export-pdf" and "export-pdf" not in subprocess.run(
            [sys.executable, "-m", "qpvdesk", "--help"], capture_output=True, text=True, env=env, cwd=tmp_path
        ).stdout:
            continue
        result = subprocess.run(
            [sys.executable, "-m", "qpvdesk", "--catalogue", str(real_catalogue_path), *args],
            capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path,
        )
        assert result.returncode == 0, (args, result.stderr[-2000:])
        if args == ["--smoke"]:
            assert "smoke: ok" in result.stdout
    entries = read_log(log)
    loaded = [e for e in entries if e["what"] == "guard-active"]
    attempts = [e for e in entries if e["what"] != "guard-active"]
    assert len(loaded) >= len(runs) - 1, "la garde réseau ne s'est pas chargée dans le sous-processus"
    assert attempts == [], f"tentatives réseau : {attempts}"


def unshare_prefix() -> list[str] | None:
    """`unshare -n` as root, `unshare -rn` (user namespace) otherwise; None where the kernel refuses both."""
    if not shutil.which("unshare"):
        return None
    for prefix in (["unshare", "-n"], ["unshare", "-r", "-n"]):
        if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    return None


@pytest.mark.skipif(unshare_prefix() is None, reason="unshare -n indisponible (espaces de noms refusés)")
def test_smoke_and_check_without_any_network_interface(guard_dir, tmp_path, real_catalogue_path):
    prefix = unshare_prefix()
    log = tmp_path / "netguard.log"
    env = subprocess_env(guard_dir, log, tmp_path)
    # the namespace really has no network: a connection to a public address fails at once
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80), timeout=2)"],
        capture_output=True, text=True,
    )
    assert probe.returncode != 0 and "unreachable" in probe.stderr.lower(), probe.stderr
    for args in (["--smoke"], ["check"]):
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "qpvdesk", "--catalogue", str(real_catalogue_path), *args],
            capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path,
        )
        assert result.returncode == 0, (args, result.stderr[-2000:])
    assert [e for e in read_log(log) if e["what"] != "guard-active"] == []
