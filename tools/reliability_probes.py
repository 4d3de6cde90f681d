"""Re-runnable battery of the CLI bad-input probes of the December 2026 reliability audit.

    PYTHONPATH=$PWD python tools/reliability_probes.py [--big] [--jobs 2] [--only cat-] [--keep]

Each probe runs `python -m qpvdesk …` as a subprocess on a fresh copy of a seeded user folder
(QPVDESK_USER_DIR: 3 partners, 2 notes, 2 favourites) and is judged on what a user would see:
a Python traceback, « erreur inattendue », an exit code against the expectation, and a change of the
user data where none may happen (a dry run, a refused file, any verb that is not an import).
Prints one table per family, the failures, and the totals; exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
REPO = TOOLS.parent
sys.path.insert(0, str(TOOLS))

import catalogue_damage  # noqa: E402 (a sibling of this script, importable once tools/ is on the path)
import probe_inputs  # noqa: E402

USER_DB = "qpvdesk-utilisateur.sqlite"


@dataclass
class Probe:
    family: str
    name: str
    argv: list  # str or bytes (non-UTF-8 arguments)
    expect: str = "any"  # "ok" (exit 0), "err" (exit 1 or 2, a message), "any"
    may_change: bool = False  # only a real import of a valid file may change the user data
    check: object = None  # optional callable(workdir) -> str | None (a problem found after the run)


@dataclass
class Result:
    probe: Probe
    rc: int
    seconds: float
    last_line: str
    problems: list[str] = field(default_factory=list)


def user_data_digest(folder: Path) -> str:
    """A hash of every row of every user table (not of the file: SQLite may rewrite pages for nothing)."""
    path = folder / USER_DB
    if not path.exists():
        return "absent"
    digest = hashlib.sha256()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            rows = sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table}"'))
            digest.update(table.encode() + b"\0" + "\n".join(rows).encode("utf-8", "backslashreplace"))
    finally:
        conn.close()
    return digest.hexdigest()


class Runner:
    def __init__(self, work: Path, python: str, code: Path = REPO) -> None:
        self.work, self.python, self.code = work, python, code
        self.seed = work / "seed-user"

    def env(self, user: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QPVDESK_", "XDG_"))}
        home = self.work / "home"
        env.update(HOME=str(home), XDG_DATA_HOME=str(home / "d"), XDG_CONFIG_HOME=str(home / "c"),
                   XDG_CACHE_HOME=str(home / "k"), QPVDESK_USER_DIR=str(user), QT_QPA_PLATFORM="offscreen",
                   LANG="C.UTF-8", PYTHONPATH=str(self.code))
        return env

    def qpvdesk(self, argv: list, user: Path, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([self.python, "-m", "qpvdesk", *argv], env=self.env(user), cwd=self.work,
                              capture_output=True, timeout=timeout, check=False)

    def make_seed(self, seeds: dict[str, Path]) -> None:
        for verb, path in (("partners", seeds["partners"]), ("notes", seeds["notes"]), ("favourites", seeds["favourites"])):
            done = self.qpvdesk([verb, "import", str(path)], self.seed)
            if done.returncode != 0:
                raise SystemExit(f"seeding failed ({verb}): {done.stderr.decode(errors='replace')}")

    def run(self, probe: Probe, index: int) -> Result:
        user = self.work / "runs" / f"{index:03d}"
        shutil.copytree(self.seed, user)
        before = user_data_digest(user)
        start = time.monotonic()
        try:
            done = self.qpvdesk(probe.argv, user)
            rc, out, err = done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")
        except subprocess.TimeoutExpired:
            rc, out, err = -1, "", "(délai dépassé)"
        seconds = time.monotonic() - start
        lines = [line for line in (err + "\n" + out).splitlines() if line.strip()]
        result = Result(probe, rc, seconds, lines[-1][:150] if lines else "")
        if "Traceback" in err:
            result.problems.append("traceback")
            result.last_line = err.strip().splitlines()[-1][:150]
        if "erreur inattendue" in err:
            result.problems.append("erreur inattendue")
        if rc < 0:
            result.problems.append("délai dépassé" if rc == -1 else f"tué (signal {-rc})")
        elif probe.expect == "ok" and rc != 0:
            result.problems.append(f"code {rc} (0 attendu)")
        elif probe.expect == "err" and rc == 0:
            result.problems.append("code 0 (refus attendu)")
        dry = "--dry-run" in probe.argv
        if user_data_digest(user) != before and (dry or rc != 0 or not probe.may_change):
            result.problems.append("données modifiées")
        if probe.check is not None and (problem := probe.check(self.work)):
            result.problems.append(problem)
        shutil.rmtree(user, ignore_errors=True)
        return result


# --- the probes --------------------------------------------------------------------------------


def import_probes(family: str, verb: str, folder: Path, names: list[str], expect: str, valid: bool) -> list[Probe]:
    probes = []
    for name in names:
        for dry in (True, False):
            argv = [verb, "import", str(folder / name)] + (["--dry-run"] if dry else [])
            probes.append(Probe(family, f"{family}-{name}{'-dry' if dry else ''}", argv, expect, may_change=valid))
    return probes


def catalogue_variants(work: Path, catalogue: Path, seed_db: Path) -> dict[str, Path]:
    cat = work / "cat"
    cat.mkdir()
    (cat / "dir.sqlite").mkdir()
    sqlite3.connect(cat / "empty.sqlite").execute("CREATE TABLE x(a)").connection.execute("DROP TABLE x").connection.close()
    (cat / "random.sqlite").write_bytes(os.urandom(64 * 1024))
    (cat / "text.sqlite").write_text("ceci n'est pas une base\n" * 1000, encoding="utf-8")
    data = catalogue.read_bytes()
    (cat / "hz.sqlite").write_bytes(bytes(100) + data[100:])
    variants = {"missing": cat / "nope.sqlite", "empty": cat / "empty.sqlite", "dir": cat / "dir.sqlite",
                "random": cat / "random.sqlite", "text": cat / "text.sqlite", "userdb": seed_db,
                "trunc-half": catalogue_damage.truncated(catalogue, cat / "trunc-half.sqlite"),
                "trunc-100": catalogue_damage.truncated(catalogue, cat / "trunc-100.sqlite", keep=100 / len(data)),
                "header-zeroed": cat / "hz.sqlite",
                "page-garbled": catalogue_damage.garbled_page(catalogue, cat / "page-garbled.sqlite"),
                "encoding": catalogue_damage.wrong_encoding(catalogue, cat / "encoding.sqlite")}
    for seed in range(3):
        variants[f"scribble{seed}"] = catalogue_damage.scribbled(catalogue, cat / f"scribble{seed}.sqlite", seed=seed)
    return variants


def catalogue_probes(work: Path, variants: dict[str, Path]) -> list[Probe]:
    verbs = {"check": ["check"], "search": ["search", "anru"], "show": ["show", "anru"],
             "list": ["list", "--kind", "programme"], "partners": ["partners", "list"],
             "export-pdf": ["export-pdf", "anru", str(work / "out" / "cat.pdf")]}
    probes = []
    for variant, path in variants.items():
        for verb, argv in verbs.items():
            # your own data must stay reachable whatever the catalogue; the rest may work or refuse
            expect = "ok" if verb == "partners" else "err" if verb == "check" else "any"
            probes.append(Probe("catalogue", f"cat-{variant}-{verb}", ["--catalogue", str(path), *argv], expect))
    return probes


def still_a_device(path: Path):
    def check(_work: Path) -> str | None:
        return None if stat.S_ISCHR(path.lstat().st_mode) else "nœud de périphérique remplacé par un fichier"
    return check


def verb_probes(work: Path, inputs: Path) -> list[Probe]:
    out = work / "out"
    (out / "dir.sqlite").mkdir(parents=True, exist_ok=True)
    (out / "a-file").write_text("pas un dossier", encoding="utf-8")
    probes = []
    queries = ["", '"', '""', "*", "NEAR(a b)", "anru OR", "AND", "^", "a:b", "(", ")", "'", "%", "_", "x" * 100_000,
               b"\xff\xfe", "🙂🙂", "é" * 10_000, "93001", "QN09301M", "qn00101m", "col:anru", "\u202e", "a" * 300,
               " ".join(["anru"] * 200)]
    for i, q in enumerate(queries):
        probes.append(Probe("search-show", f"search-{i:02d}", ["search", "--json", "--", q], "ok"))
    probes += [Probe("search-show", f"search-limit-{n}", ["search", "--limit", n, "anru"], e)
               for n, e in (("0", "err"), ("-1", "err"), ("1000000000", "ok"), ("abc", "err"))]
    for i, ident in enumerate(["", "x" * 100_000, b"\xff\xfe", "'; DROP TABLE entity; --", "%", "*", "QN00101M",
                               "local:../../etc/passwd", "local:00000000-0000-0000-0000-000000000000"]):
        probes.append(Probe("search-show", f"show-{i}", ["show", "--", ident], "ok" if ident == "QN00101M" else "err"))
    probes += [Probe("search-show", "list-bogus", ["list", "--kind", "bogus"], "err"),
               Probe("search-show", "list-empty", ["list", "--kind", ""], "any"),
               Probe("search-show", "check-json", ["check", "--json"], "ok")]
    probes += [
        Probe("export", "pdf-unknown", ["export-pdf", "nope-nope", str(out / "u.pdf")], "err"),
        Probe("export", "pdf-dir", ["export-pdf", "anru", str(out / "dir.sqlite")], "err"),
        Probe("export", "pdf-nodir", ["export-pdf", "anru", "/nonexistent/dir/x.pdf"], "err"),
        Probe("export", "pdf-nonutf8", ["export-pdf", "anru", os.fsencode(out) + b"/\xff\xfe.pdf"], "ok"),
        Probe("export", "pdf-newline", ["export-pdf", "anru", str(out / "a\nb.pdf")], "ok"),
        Probe("export", "pdf-noext", ["export-pdf", "anru", str(out / "noext")], "ok"),
        Probe("export", "pdf-300ids", ["export-pdf", *["anru", "npnru", "anah"] * 100, str(out / "many.pdf")], "ok"),
        Probe("export", "pdf-qpv", ["export-pdf", "qn00101m", str(out / "qpv.pdf")], "ok"),
        Probe("export", "pexp-dir", ["partners", "export", str(out / "dir.sqlite")], "err"),
        Probe("export", "pexp-nodir", ["partners", "export", "/nonexistent/x.csv"], "err"),
        Probe("export", "pexp-xlsx", ["partners", "export", str(out / "x.xlsx")], "any"),
        Probe("export", "pexp-fmt-xml", ["partners", "export", str(out / "x.xml"), "--format", "xml"], "err"),
        Probe("export", "pexp-nonutf8", ["partners", "export", os.fsencode(out) + b"/\xe9t\xe9.csv"], "ok"),
        Probe("export", "nexp-dir", ["notes", "export", str(out / "dir.sqlite")], "err"),
        Probe("export", "nexp-csv", ["notes", "export", str(out / "notes.csv")], "any"),
        Probe("export", "fexp-nodir", ["favourites", "export", "/nonexistent/f.json"], "err"),
    ]
    probes += _device_probes(out)
    probes += [
        Probe("build-data", "build-dry-nores", ["build-data", "--dry-run", "--resources", "/nonexistent"], "err"),
        Probe("build-data", "build-emptyres", ["build-data", "--resources", str(out / "dir.sqlite"),
                                               "--output", str(out / "built.sqlite")], "err"),
        Probe("build-data", "build-out-proc", ["build-data", "--output", "/proc/nope/x.sqlite"], "err"),
        Probe("build-data", "build-out-dir", ["build-data", "--output", str(out / "dir.sqlite")], "err"),
        # a missing folder is created (a full build, ~30 s); one that cannot be is refused
        Probe("build-data", "build-out-missing", ["build-data", "--output", str(out / "nope" / "x.sqlite")], "ok"),
        Probe("build-data", "build-out-under-file", ["build-data", "--output", str(out / "a-file" / "x.sqlite")], "err"),
    ]
    probes += [
        Probe("argv", "unknown-verb", ["frobnicate"], "err"),
        Probe("argv", "partners-alone", ["partners"], "err"),
        Probe("argv", "catalogue-novalue", ["--catalogue"], "err"),
        Probe("argv", "nonutf8-verb", [b"\xff"], "err"),
        Probe("argv", "search-nonutf8-noflag", ["search", b"\xe9cole"], "ok"),
        Probe("argv", "show-nonutf8-latin1", ["show", b"Cit\xe9s \xe9ducatives"], "ok"),
        Probe("argv", "import-missing-arg", ["partners", "import"], "err"),
        Probe("argv", "pimp-nonutf8-path", ["partners", "import", os.fsencode(inputs) + b"/\xe9t\xe9.csv", "--dry-run"], "ok"),
        Probe("argv", "version", ["--version"], "ok"),
    ]
    (inputs / os.fsdecode(b"\xe9t\xe9.csv")).write_text("nom;commune\nAsso Octets;Grigny\n", encoding="utf-8")
    return probes


def _device_probes(out: Path) -> list[Probe]:
    """Exports aimed at a character device (a copy of /dev/null's node): it must stay a device. Needs mknod (root)."""
    probes = []
    for name, argv in (("pdf-device", ["export-pdf", "anru"]), ("pexp-device", ["partners", "export"]),
                       ("nexp-device", ["notes", "export"]), ("fexp-device", ["favourites", "export"])):
        node = out / f"{name}-node"
        try:
            os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except (OSError, AttributeError):
            return []
        probes.append(Probe("export", name, [*argv, str(node)], "any", check=still_a_device(node)))
    return probes


def all_probes(work: Path, catalogue: Path, big: bool) -> list[Probe]:
    inputs = work / "in"
    inputs.mkdir()
    bad = probe_inputs.partner_bad_files(inputs, big)
    odd = probe_inputs.partner_odd_files(inputs, big)
    notes = probe_inputs.notes_files(inputs, big)
    favourites = probe_inputs.favourites_files(inputs, big)
    probes = import_probes("partners-bad", "partners", inputs, bad, "err", valid=False)
    probes += import_probes("partners-odd", "partners", inputs, odd, "any", valid=True)
    probes += import_probes("notes-import", "notes", inputs, notes, "any", valid=True)
    probes += import_probes("favourites-import", "favourites", inputs, favourites, "any", valid=True)
    probes += catalogue_probes(work, catalogue_variants(work, catalogue, work / "seed-user" / USER_DB))
    probes += verb_probes(work, inputs)
    return probes


# --- report ------------------------------------------------------------------------------------


def print_report(results: list[Result]) -> int:
    by_family: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        c = by_family[r.probe.family]
        c["essais"] += 1
        c["code 0" if r.rc == 0 else "refus"] += 1
        c["traceback"] += "traceback" in r.problems
        c["erreur inattendue"] += "erreur inattendue" in r.problems
        c["données modifiées"] += "données modifiées" in r.problems
        c["autre écart"] += any(p not in ("traceback", "erreur inattendue", "données modifiées") for p in r.problems)
    columns = ["essais", "refus", "code 0", "traceback", "erreur inattendue", "données modifiées", "autre écart"]
    print("| famille | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    total: Counter = Counter()
    for family, counts in by_family.items():
        total.update(counts)
        print(f"| {family} | " + " | ".join(str(counts[c]) for c in columns) + " |")
    print("| **total** | " + " | ".join(f"**{total[c]}**" for c in columns) + " |")
    failed = [r for r in results if r.problems]
    if failed:
        print(f"\n{len(failed)} sonde(s) en échec :")
        for r in failed:
            print(f"  {r.probe.name} (code {r.rc}, {r.seconds:.1f} s) : {', '.join(r.problems)} — {r.last_line}")
    slow = sorted(results, key=lambda r: -r.seconds)[:3]
    print("\nLes plus lentes : " + ", ".join(f"{r.probe.name} {r.seconds:.1f} s" for r in slow))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", action="store_true", help="add the 200 000-row and 50 MB+ files (minutes, GB of RAM)")
    parser.add_argument("--jobs", type=int, default=2, help="probes run at once (default 2)")
    parser.add_argument("--only", default="", help="run only one family, or the probes whose name starts with this")
    parser.add_argument("--catalogue", default=str(REPO / "data.sqlite"), help="sound catalogue to damage copies of")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (its path is printed)")
    parser.add_argument("--code", default=str(REPO), help="checkout whose qpvdesk is probed (e.g. an older commit, to compare)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="qpvdesk-probes-"))
    try:
        runner = Runner(work, sys.executable, Path(args.code))
        runner.make_seed(probe_inputs.seed_files(work))
        probes = [p for p in all_probes(work, Path(args.catalogue), args.big)
                  if p.family == args.only or p.name.startswith(args.only)]
        print(f"{len(probes)} sondes, {args.jobs} à la fois, dossier {work}", flush=True)
        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(runner.run, probes, range(len(probes))))
        return print_report(results)
    finally:
        if args.keep:
            print(f"Dossier gardé : {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
