import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")  # Qt warns about the C locale otherwise
# nothing a test (or Qt, or pytest-qt's own application) writes may land in the real ~/.config
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="qpvdesk-tests-config-")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Each test gets its own empty QSettings and user folder: no state leaks between tests or from the machine."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("qpvdesk-tests")
    QCoreApplication.setApplicationName("qpvdesk-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "user"))
    yield


@pytest.fixture(scope="session")
def mini_catalogue_path(tmp_path_factory) -> Path:
    """A small catalogue built from tests/fixtures/mini (stable, independent of the real content)."""
    from qpvdesk.build.content.build import build_catalogue

    target = tmp_path_factory.mktemp("mini") / "data.sqlite"
    build_catalogue(MINI, target)
    return target


@pytest.fixture(scope="session")
def territory_catalogue_path(tmp_path_factory) -> Path:
    """Mini content plus the real open-data territories (built once for all territory tests)."""
    from test_territories_support import territory_catalogue

    return territory_catalogue(tmp_path_factory)


@pytest.fixture(scope="session")
def real_catalogue_path() -> Path:
    path = REPO / "data.sqlite"
    assert path.is_file(), "data.sqlite must be committed (run: qpvdesk build-data)"
    return path


@pytest.fixture(scope="session")
def real_service(real_catalogue_path):
    from qpvdesk.service import CatalogueService

    return CatalogueService(real_catalogue_path)


@pytest.fixture()
def mini_resources(tmp_path) -> Path:
    """A writable copy of the mini content, for tests that break it on purpose."""
    target = tmp_path / "resources"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture()
def loaded_window(qtbot):
    """Factory: a MainWindow loaded on the given catalogue, shown, and closed after the test."""

    def make(path: Path, with_user_data: bool = False):
        from qpvdesk.service import CatalogueService
        from qpvdesk.ui.app import load_user_data
        from qpvdesk.ui.main_window import MainWindow

        window = MainWindow()
        qtbot.addWidget(window)
        service = CatalogueService(path)
        user_data = load_user_data(service) if with_user_data else None  # in QPVDESK_USER_DIR (per test)
        window.set_loaded(service, service.tree(), service.partners(), service.glossary(), user_data)
        window.show()
        return window

    return make


def _running(start):  # noqa: ANN001 - pg_cluster.start_cluster or start_tls_cluster
    """The started cluster for the session, stopped and removed at its end; skip (saying why) when none can run."""
    from pg_cluster import remove

    cluster = start()
    if isinstance(cluster, str):
        pytest.skip(cluster)
    try:
        yield cluster
    finally:
        remove(cluster)


@pytest.fixture(scope="session")
def pg_cluster():
    """One throwaway PostgreSQL server (Unix socket only) for the whole session; see tests/pg_cluster.py."""
    from pg_cluster import start_cluster

    yield from _running(start_cluster)


@pytest.fixture(scope="session")
def pg_tls_cluster():
    """A second throwaway server reachable at 127.0.0.1 with TLS only, French-speaking when it can; see
    tests/pg_cluster.py start_tls_cluster."""
    from pg_cluster import start_tls_cluster

    yield from _running(start_tls_cluster)


# --- the team database (issue 21): tests/team_support.py -----------------------------------------------------


@pytest.fixture()
def team(pg_cluster):
    """A fresh team database on the session's server, with two member logins (alice, bob); see team_support.py."""
    from team_support import new_team

    return new_team(pg_cluster)


def _member(team, folder, login: str, name: str):  # noqa: ANN001
    from team_support import PASSWORDS, member_data

    from qpvdesk.team.membership import join

    data = member_data(folder)
    join(data, team.url(login), name, password=PASSWORDS[login])
    return data


@pytest.fixture()
def alice(team, tmp_path):
    """Alice's own user database, joined to `team` as « Alice Martin »."""
    data = _member(team, tmp_path / "alice", "alice", "Alice Martin")
    yield data
    data.close()


@pytest.fixture()
def bob(team, tmp_path):
    """Bob's own user database, joined to `team` as « Bob Diallo »."""
    data = _member(team, tmp_path / "bob", "bob", "Bob Diallo")
    yield data
    data.close()
