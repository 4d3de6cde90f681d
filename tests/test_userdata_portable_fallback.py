"""The portable archive unpacked where the user cannot write (by an administrator into /opt, on a locked USB
stick, on a read-only share): the user's data goes to their own data folder, and they are told so once, in
French, instead of a modal error at every start and no partners, notes or favourites."""

from __future__ import annotations

import pytest
from readonly_folder import protect

from qpvdesk.cli import main
from qpvdesk.userdata import location, open_user_data


@pytest.fixture()
def locked_portable_app(tmp_path, monkeypatch):
    """A portable copy of the app (marker file present) in a folder nobody can write; XDG_DATA_HOME is the user's."""
    monkeypatch.delenv(location.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home-data"))
    app = tmp_path / "opt" / "qpvdesk"
    app.mkdir(parents=True)
    (app / location.PORTABLE_MARKER).write_text("", encoding="utf-8")
    monkeypatch.setattr(location, "app_dir", lambda: app)
    undo = protect(app)
    yield app
    undo()


def test_unwritable_portable_folder_falls_back_to_the_users_folder(locked_portable_app, tmp_path):
    assert location.is_portable()
    assert location.portable_fallback() == locked_portable_app / location.PORTABLE_DIR
    assert location.user_dir() == tmp_path / "home-data" / "qpvdesk"
    label = location.location_label()
    assert "n'est pas modifiable" in label and str(tmp_path / "home-data" / "qpvdesk") in label


def test_the_user_is_told_once_and_the_data_is_kept(locked_portable_app, tmp_path):
    with open_user_data() as first:
        assert first.folder == tmp_path / "home-data" / "qpvdesk"
        [notice] = first.startup.messages
        assert "Mode portable" in notice and str(locked_portable_app / location.PORTABLE_DIR) in notice
        assert str(first.folder) in notice and "copiez-la dans un dossier où vous pouvez écrire" in notice
        first.add_favourite("anru")
    with open_user_data() as again:  # the next start is quiet, and finds what was saved
        assert again.startup.messages == []
        assert [f.entity_id for f in again.list_favourites()] == ["anru"]
    assert not (locked_portable_app / location.PORTABLE_DIR).exists()


def test_cli_works_and_warns_instead_of_failing(locked_portable_app, capsys, mini_catalogue_path):
    assert main(["--catalogue", str(mini_catalogue_path), "partners", "list"]) == 0
    err = capsys.readouterr().err
    assert "Attention : Mode portable" in err and "Erreur" not in err


def test_writable_portable_folder_keeps_everything_beside_the_app(tmp_path, monkeypatch):
    monkeypatch.delenv(location.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home-data"))
    app = tmp_path / "usb" / "qpvdesk"
    app.mkdir(parents=True)
    (app / location.PORTABLE_MARKER).write_text("", encoding="utf-8")
    monkeypatch.setattr(location, "app_dir", lambda: app)
    with open_user_data() as data:
        assert data.folder == app / location.PORTABLE_DIR and data.startup.messages == []
    assert not (tmp_path / "home-data").exists()  # nothing written elsewhere
