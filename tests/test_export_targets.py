"""Every export (partners CSV/JSON, notes, favourites, PDF) writes through a symbolic link, refuses a pipe or a
device without replacing it, creates a private file, and names the file the user chose in its errors."""

from __future__ import annotations

import os
import stat

import pytest

from qpvdesk.cli import main
from qpvdesk.userdata import PartnerFields, open_user_data

# each export command, with the argv that writes to a given path
EXPORTS = {
    "partners-csv": lambda p: ["partners", "export", p],
    "partners-json": lambda p: ["partners", "export", p, "--format", "json"],
    "notes": lambda p: ["notes", "export", p],
    "favourites": lambda p: ["favourites", "export", p],
    "pdf": lambda p: ["export-pdf", "anru", p],
}


@pytest.fixture()
def user_dir(tmp_path, monkeypatch, mini_catalogue_path, qapp):  # qapp: the PDF export reuses the QApplication
    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "ud"))
    monkeypatch.setenv("QPVDESK_CATALOGUE", str(mini_catalogue_path))
    with open_user_data(tmp_path / "ud") as data:
        data.create_partner(PartnerFields(name="Centre social Élan", contact_name="Mme Durand", email="d@example.org"))
        data.add_favourite("anru")
        data.set_note("anru", "Réunion du 12 : voir Mme Durand")
    return tmp_path / "ud"


# the name each export accepts (partners: the format follows the extension; notes and favourites: .json)
SUFFIX = {"partners-csv": ".csv", "partners-json": ".json", "notes": ".json", "favourites": ".json", "pdf": ".pdf"}


def export(kind: str, path, catalogue) -> int:
    return main(["--catalogue", str(catalogue), *EXPORTS[kind](str(path))])


@pytest.mark.skipif(os.name != "posix", reason="symbolic links, FIFOs and Unix permissions")
@pytest.mark.parametrize("kind", EXPORTS)
def test_export_through_a_symbolic_link_replaces_its_target_and_keeps_the_link(kind, user_dir, tmp_path, mini_catalogue_path):
    synced = tmp_path / "dossier synchronisé"
    synced.mkdir()
    target = synced / f"export{SUFFIX[kind]}"
    target.write_bytes(b"ANCIEN")
    link = tmp_path / f"export{SUFFIX[kind]}"
    link.symlink_to(target)
    assert export(kind, link, mini_catalogue_path) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)  # the link is still a link…
    assert target.read_bytes() != b"ANCIEN" and len(target.read_bytes()) > 20  # …and its target has the new content
    assert sorted(p.name for p in synced.iterdir()) == [f"export{SUFFIX[kind]}"]  # no temporary file left there


@pytest.mark.skipif(os.name != "posix", reason="symbolic links, FIFOs and Unix permissions")
@pytest.mark.parametrize("kind", EXPORTS)
def test_export_onto_a_named_pipe_is_refused_and_the_pipe_kept(kind, user_dir, tmp_path, mini_catalogue_path, capsys):
    fifo = tmp_path / f"tube{SUFFIX[kind]}"
    os.mkfifo(fifo)
    assert export(kind, fifo, mini_catalogue_path) == 1
    err = capsys.readouterr().err
    assert "tube nommé" in err and "pas un fichier ordinaire" in err and str(fifo) in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # nothing half-written


@pytest.mark.skipif(os.name != "posix", reason="symbolic links, FIFOs and Unix permissions")
def test_export_onto_a_device_node_is_refused(user_dir, tmp_path, mini_catalogue_path, capsys):
    if os.geteuid() != 0:
        pytest.skip("creating a device node needs root")
    for kind in EXPORTS:
        node = tmp_path / f"plein{SUFFIX[kind]}"
        if not node.exists():
            os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # like /dev/full, in a scratch folder
        assert export(kind, node, mini_catalogue_path) == 1
        assert "périphérique" in capsys.readouterr().err
        assert stat.S_ISCHR(os.lstat(node).st_mode)


@pytest.mark.parametrize("kind", EXPORTS)
def test_write_errors_name_the_chosen_file_not_a_hidden_temporary(kind, user_dir, tmp_path, mini_catalogue_path, capsys):
    wanted = tmp_path / "absent" / f"x{SUFFIX[kind]}"
    assert export(kind, wanted, mini_catalogue_path) == 1
    err = capsys.readouterr().err
    assert "introuvable" in err and f"({wanted})" in err
    assert ".tmp" not in err and ".qpvdesk-" not in err


@pytest.mark.skipif(os.name != "posix", reason="symbolic links, FIFOs and Unix permissions")
@pytest.mark.parametrize("kind", EXPORTS)
def test_exports_are_readable_by_their_owner_only(kind, user_dir, tmp_path, mini_catalogue_path):
    target = tmp_path / f"export{SUFFIX[kind]}"
    old = os.umask(0o022)
    try:
        assert export(kind, target, mini_catalogue_path) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # names, phones and e-mails of people
