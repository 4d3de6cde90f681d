"""Load on the team database: N client processes (20 by default) each make M changes (500) against one local
PostgreSQL server (a throwaway cluster, Unix socket only, as in the tests), syncing every K changes (50).

Each client creates its own partners and edits a few partners every client shares, so concurrent edits of one
partner happen all the time. At the end each client syncs until its queue is empty, then the figures are printed
and checked: no partner created is missing on the server, and every change sent was either accepted by the server
or reported as a conflict with both versions kept (sent + conflicts == queued, for every sync of every client).

    PYTHONPATH=. .venv/bin/python benchmarks/team_load_bench.py [--clients 20] [--changes 500] [--every 50]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the throwaway cluster of the tests

SHARED = 10  # partners every client edits


def client(index: int, url: str, folder: str, changes: int, every: int, shared_uids: list[str], out) -> None:  # noqa: ANN001
    from qpvdesk.errors import TeamError
    from qpvdesk.team.membership import join, status
    from qpvdesk.team.sync import sync
    from qpvdesk.userdata import PartnerFields, open_user_data

    rng = random.Random(index)
    data = open_user_data(Path(folder), backup=False)
    join(data, url, f"Client {index:02d}", password="bench")
    sync(data, "bench")  # receive the shared partners
    latencies, checks, created, conflicts, failures = [], [], [], 0, 0

    def one_sync() -> None:
        nonlocal conflicts, failures
        queued = status(data, probe=False).pending
        start = time.perf_counter()
        try:
            report = sync(data, "bench")
        except TeamError:
            failures += 1
            return
        latencies.append(time.perf_counter() - start)
        conflicts += len(report.conflicts)
        checks.append((queued, report.sent_partners + report.sent_notes + len(report.conflicts)))

    for n in range(changes):
        if rng.random() < 0.2:
            uid = rng.choice(shared_uids)
            current = data.get_partner(uid)
            data.update_partner(uid, PartnerFields(name=current.name, kind=current.kind, commune=current.commune,
                                                   phone=f"c{index:02d}-{n:04d}"))
        else:
            created.append(data.create_partner(PartnerFields(name=f"Partenaire {index:02d}-{n:04d}",
                                                             kind="association", commune="Toulouse")).uid)
        if (n + 1) % every == 0:
            one_sync()
    for _ in range(20):
        if status(data, probe=False).pending == 0:
            break
        one_sync()
    out.put(json.dumps({"index": index, "latencies": latencies, "checks": checks, "created": created,
                        "conflicts": conflicts, "failures": failures,
                        "pending": status(data, probe=False).pending}))
    data.close()


def main() -> int:
    from pg_cluster import remove, start_cluster

    from qpvdesk.team.membership import join
    from qpvdesk.team.server import add_member, init_server
    from qpvdesk.team.sync import sync
    from qpvdesk.userdata import PartnerFields, open_user_data

    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--changes", type=int, default=500)
    parser.add_argument("--every", type=int, default=50)
    args = parser.parse_args()
    cluster = start_cluster()
    if isinstance(cluster, str):
        print(cluster)
        return 1
    try:
        admin = cluster.new_database("charge")
        init_server(admin)
        logins = [f"client{i:02d}" for i in range(args.clients)] + ["amorce"]
        for login in logins:
            add_member(admin, login, "bench")
        work = Path(tempfile.mkdtemp(prefix="qpv-team-bench-"))
        seed = open_user_data(work / "amorce", backup=False)
        join(seed, cluster.url(user="amorce", password=None, database="charge"), "Amorce", password="bench")
        shared = [seed.create_partner(PartnerFields(name=f"Partenaire commun {i}", kind="association",
                                                    commune="Toulouse")).uid for i in range(SHARED)]
        sync(seed, "bench")
        seed.close()
        queue = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=client, args=(i, cluster.url(user=logins[i], password=None,
                                                                              database="charge"),
                                                               str(work / logins[i]), args.changes, args.every,
                                                               shared, queue))
                 for i in range(args.clients)]
        start = time.perf_counter()
        for proc in procs:
            proc.start()
        results = [json.loads(queue.get(timeout=3600)) for _ in procs]
        for proc in procs:
            proc.join()
        wall = time.perf_counter() - start
        import psycopg

        with psycopg.connect(host=str(cluster.folder), user="qpvadmin", password="admin", dbname="charge") as conn:
            on_server = {r[0] for r in conn.execute("SELECT uid FROM local_partner")}
    finally:
        remove(cluster)
    latencies = sorted(x for r in results for x in r["latencies"])
    created = [uid for r in results for uid in r["created"]]
    missing = [uid for uid in created if uid not in on_server]
    bad_checks = [(r["index"], c) for r in results for c in r["checks"] if c[0] != c[1]]
    total = args.clients * args.changes
    print(f"{args.clients} clients × {args.changes} modifications, synchronisation toutes les {args.every} "
          f"(2 vCPU partagés, PostgreSQL {cluster.bin.parent.name}, socket Unix)")
    print(f"durée totale : {wall:.1f} s ; débit : {total / wall:.0f} modifications/s de bout en bout")
    print(f"synchronisations réussies : {len(latencies)} ; échouées (réessayées ensuite) : "
          f"{sum(r['failures'] for r in results)}")
    if latencies:
        print(f"latence d'une synchronisation : médiane {statistics.median(latencies) * 1000:.0f} ms, "
              f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    print(f"conflits signalés (deux versions gardées) : {sum(r['conflicts'] for r in results)}")
    print(f"partenaires créés : {len(created)} ; absents du serveur : {len(missing)} ; "
          f"files non vides à la fin : {sum(1 for r in results if r['pending'])}")
    print(f"synchronisations où envoyés + conflits ≠ file : {len(bad_checks)}")
    ok = not missing and not bad_checks and not any(r["pending"] for r in results)
    print("AUCUNE PERTE" if ok else "PERTE OU ÉCART : voir ci-dessus")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
