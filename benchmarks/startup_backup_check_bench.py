"""What the full integrity check of each automatic backup adds to a start (user database with many partners).

    PYTHONPATH=. python benchmarks/startup_backup_check_bench.py [PARTNERS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from userdata_fixtures import big_csv  # noqa: E402

from qpvdesk.userdata import backups, database, open_user_data  # noqa: E402
from qpvdesk.userdata.location import BACKUP_DIR, DB_NAME  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    folder = Path(tempfile.mkdtemp(prefix="qpvdesk-bench-")) / "ud"
    with open_user_data(folder) as data:
        data.import_partners(big_csv(folder.parent / "in.csv", count), dry_run=False)
    db = folder / DB_NAME
    print(f"{count} partenaires, base de {db.stat().st_size / 1e6:.1f} Mo")
    for what, run in (
        ("quick_check (chaque démarrage)", lambda: database.quick_check(db)),
        ("copie de sauvegarde", lambda: backups.make_backup(db, folder / BACKUP_DIR, kind="manuelle")),
        ("integrity_check de la copie", lambda: database.integrity_problem(next((folder / BACKUP_DIR).glob("*.sqlite")))),
    ):
        start = time.perf_counter()
        run()
        print(f"{what:35s} {time.perf_counter() - start:6.2f} s")


if __name__ == "__main__":
    main()
