"""The shipped catalogue is opened read-only and stays pristine."""

import os
import shutil

import pytest
from readonly_folder import protect

from qpvdesk.catalogue import Catalogue, CatalogueError
from qpvdesk.search import Searcher


def test_reading_leaves_no_journal_files(tmp_path, mini_catalogue_path):
    folder = tmp_path / "install"
    folder.mkdir()
    db = folder / "data.sqlite"
    shutil.copy(mini_catalogue_path, db)
    before = db.read_bytes()
    catalogue = Catalogue(db)
    catalogue.entity("npnru")
    Searcher(catalogue).search("renovation")
    catalogue.close()
    assert sorted(p.name for p in folder.iterdir()) == ["data.sqlite"]
    assert db.read_bytes() == before


def test_works_from_read_only_folder(tmp_path, mini_catalogue_path):
    """As installed under /opt or Program Files: nothing can be written beside the catalogue."""
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(mini_catalogue_path, folder / "data.sqlite")
    undo = protect(folder)
    try:
        with pytest.raises(OSError):
            (folder / "probe").write_text("x")  # the folder really is read-only
        catalogue = Catalogue(folder / "data.sqlite")
        assert catalogue.entity("anru") is not None
        assert Searcher(catalogue).search("anru").hits
        catalogue.close()
        assert sorted(p.name for p in folder.iterdir()) == ["data.sqlite"]
    finally:
        undo()


def test_writing_is_refused(mini_catalogue_path):
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    catalogue = Catalogue(mini_catalogue_path)
    with pytest.raises(OperationalError, match="readonly"):
        with catalogue.engine.begin() as conn:
            conn.execute(text("DELETE FROM entity"))


def test_missing_and_corrupt_files_give_french_messages(tmp_path):
    with pytest.raises(CatalogueError, match="introuvable"):
        Catalogue(tmp_path / "absent.sqlite")
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(os.urandom(8192))
    with pytest.raises(CatalogueError, match="endommagé"):
        Catalogue(corrupt)
    empty_db = tmp_path / "empty.sqlite"
    import sqlite3

    sqlite3.connect(empty_db).execute("CREATE TABLE x (a)").connection.close()
    with pytest.raises(CatalogueError, match="tables manquantes"):
        Catalogue(empty_db)


def test_many_threads_read_at_once(mini_catalogue_path):
    """Searches run on a thread pool: sixteen readers at once must all get their answers."""
    from concurrent.futures import ThreadPoolExecutor

    catalogue = Catalogue(mini_catalogue_path)
    searcher = Searcher(catalogue)
    expected_name = catalogue.entity("npnru").name
    expected_hits = [h.id for h in searcher.search("renovation").hits]

    def read(i: int) -> tuple[str, list[str]]:
        for _ in range(8):
            name = catalogue.entity("npnru").name
            hits = [h.id for h in searcher.search("renovation").hits]
        return name, hits

    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(read, range(32)))
    finally:
        catalogue.close()
    assert results == [(expected_name, expected_hits)] * 32


def test_a_catalogue_from_an_older_qpvdesk_is_refused_in_french(tmp_path, mini_catalogue_path):
    import sqlite3

    old = tmp_path / "ancien.sqlite"
    shutil.copy(mini_catalogue_path, old)
    conn = sqlite3.connect(old)
    conn.execute("ALTER TABLE relation DROP COLUMN origin")  # as built before relations recorded their file
    conn.commit()
    conn.close()
    with pytest.raises(CatalogueError, match="version antérieure de qpvdesk"):
        Catalogue(old)
