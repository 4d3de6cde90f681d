"""Startup benchmark: time to first paint and to "catalogue loaded", qpvdesk against a bare PySide6 window.

    .venv/bin/python benchmarks/startup_bench.py [--runs 11] [--platform offscreen|xcb] [--no-frozen]
    QPVDESK_BENCH_TREE=/tmp/other-checkout .venv/bin/python benchmarks/startup_bench.py --no-frozen  # before/after

Variants, run interleaved round-robin (less drift), after one warm-up round that is not counted:
- bare window, unfrozen: benchmarks/bare_window.py with the venv's Python (the floor);
- qpvdesk, unfrozen: `python -m qpvdesk --smoke` with QPVDESK_STARTUP_TIMES=1;
- if dist/qpvdesk/qpvdesk exists (packaging/build_linux.sh): qpvdesk frozen, and the bare window frozen the same
  way (one-folder PyInstaller build of bare_window.py with the same Qt excludes, made once under build/bench/).

qpvdesk is byte-compiled first (as an installed copy is), even where PYTHONDONTWRITEBYTECODE is set.
t0 is taken right before the process is spawned; the programs print time.monotonic() (CLOCK_MONOTONIC, shared by
all processes) at their first paint and when the catalogue is loaded. Prints medians and [min–max], and the ratio
qpvdesk first paint / bare first paint (aim: ≤ 1.3), the catalogue-loaded time (aim: ≤ 0.4 s) and each process's
own peak resident memory (os.wait4 ru_maxrss; aim for `--smoke` unfrozen: ≤ 110 MiB).
Timings on a shared 2-vCPU VM are noisy (±30 %): compare medians of the same run, not across runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FROZEN_APP = REPO / "dist" / "qpvdesk" / "qpvdesk"
BARE_SCRIPT = REPO / "benchmarks" / "bare_window.py"
BARE_BUILD = REPO / "build" / "bench"
FROZEN_BARE = BARE_BUILD / "dist" / "bare_window" / "bare_window"
RSS_AIM_MIB = 110  # peak resident memory of `python -m qpvdesk --smoke`, unfrozen


def run_once(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """One run: the monotonic stamps the program prints, its exit time and its own peak RSS (MiB)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, text=True, cwd="/")
        # wait4 reaps this very child and gives its own peak resident memory (ru_maxrss, KiB on Linux)
        _pid, status, usage = os.wait4(proc.pid, 0)
        t_exit = time.monotonic() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} : code {proc.returncode}\n{stderr[-2000:]}")
    times = {"exit": t_exit, "rss_mib": usage.ru_maxrss / 1024}
    for line in stdout.splitlines():
        if line.startswith("qpvdesk-startup "):
            key, value = line.split()[1].split("=")
            times[key] = float(value) if key.endswith("_cpu") else float(value) - t0  # CPU time: from the process start
    if "first_paint" not in times:
        raise RuntimeError(f"{' '.join(cmd)} : pas de mesure de premier affichage\n{proc.stdout[-2000:]}")
    return times


def build_frozen_bare() -> bool:
    """One-folder build of bare_window.py (same Qt module excludes as build.spec), cached under build/bench/."""
    if FROZEN_BARE.exists() and FROZEN_BARE.stat().st_mtime > BARE_SCRIPT.stat().st_mtime:
        return True
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print("(PyInstaller absent : pas de fenêtre nue figée ; pip install -e \".[package]\")")
        return False
    print("Construction de la fenêtre nue figée (PyInstaller, une fois)…", flush=True)
    excludes = ["PySide6.QtNetwork", "PySide6.QtDBus", "PySide6.QtQml", "PySide6.QtQuick", "tkinter", "unittest"]
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--onedir", "--log-level", "ERROR",
           "--distpath", str(BARE_BUILD / "dist"), "--workpath", str(BARE_BUILD / "work"),
           "--specpath", str(BARE_BUILD), *[f"--exclude-module={m}" for m in excludes], str(BARE_SCRIPT)]
    subprocess.run(cmd, check=True)
    return FROZEN_BARE.exists()


def fmt(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:6.0f} ms [{min(values) * 1000:.0f}–{max(values) * 1000:.0f}]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="mesures par variante (plus une de chauffe)")
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument("--no-frozen", action="store_true", help="ignorer dist/qpvdesk même s'il existe")
    args = parser.parse_args()

    user_dir = tempfile.mkdtemp(prefix="qpvdesk-bench-")
    env = dict(os.environ, QT_QPA_PLATFORM=args.platform, QPVDESK_STARTUP_TIMES="1", QPVDESK_USER_DIR=user_dir)
    env.setdefault("LANG", "C.UTF-8")
    # An installed app runs from bytecode (pip compiles it; the frozen bundle ships it). Some machines set
    # PYTHONDONTWRITEBYTECODE, which would make every unfrozen run recompile qpvdesk from source: compile once.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    tree = Path(os.environ.get("QPVDESK_BENCH_TREE", str(REPO)))  # another checkout, to compare before/after
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "qpvdesk")], check=True)
    variants = {
        "fenêtre nue, non figée": [sys.executable, str(BARE_SCRIPT)],
        "qpvdesk, non figé": [sys.executable, "-m", "qpvdesk", "--smoke"],
    }
    env["PYTHONPATH"] = os.environ.get("QPVDESK_BENCH_TREE", str(REPO))  # `python -m qpvdesk` from cwd=/
    if not args.no_frozen and FROZEN_APP.exists():
        if build_frozen_bare():
            variants["fenêtre nue, figée"] = [str(FROZEN_BARE)]
        variants["qpvdesk, figé"] = [str(FROZEN_APP), "--smoke"]
    elif not args.no_frozen:
        print("(pas de dist/qpvdesk : seulement les variantes non figées ; packaging/build_linux.sh le construit)")

    results: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    for round_no in range(args.runs + 1):
        for name, cmd in variants.items():
            times = run_once(cmd, env)
            if round_no > 0:  # round 0 warms the page cache
                results[name].append(times)

    print(f"\nDémarrage, plateforme Qt « {args.platform} », {args.runs} mesures par variante (médiane [min–max]) :")
    print(f"{'variante':26} {'premier affichage':>26} {'catalogue chargé':>26} {'fin du processus':>26} "
          f"{'mémoire max (RSS)':>24}")
    for name, runs in results.items():
        first = fmt([r["first_paint"] for r in runs])
        loaded = fmt([r["loaded"] for r in runs]) if all("loaded" in r for r in runs) else f"{'—':>26}"
        rss = [r["rss_mib"] for r in runs]
        rss_text = f"{statistics.median(rss):6.0f} Mio [{min(rss):.0f}–{max(rss):.0f}]"
        print(f"{name:26} {first:>26} {loaded:>26} {fmt([r['exit'] for r in runs]):>26} {rss_text:>24}")

    def median(name: str, key: str) -> float | None:
        runs = results.get(name)
        return statistics.median(r[key] for r in runs) if runs and all(key in r for r in runs) else None

    print("\nTemps processeur du processus (tous fils), moins sensible à la charge de la machine :")
    print(f"{'variante':26} {'au premier affichage':>26} {'au catalogue chargé':>26}")
    for name, runs in results.items():
        first = fmt([r["first_paint_cpu"] for r in runs]) if all("first_paint_cpu" in r for r in runs) else f"{'—':>26}"
        loaded = fmt([r["loaded_cpu"] for r in runs]) if all("loaded_cpu" in r for r in runs) else f"{'—':>26}"
        print(f"{name:26} {first:>26} {loaded:>26}")

    print()
    for mode in ("non figé", "figé"):
        app_paint, bare_paint = median(f"qpvdesk, {mode}", "first_paint"), median(f"fenêtre nue, {mode}e", "first_paint")
        loaded = median(f"qpvdesk, {mode}", "loaded")
        rss = median(f"qpvdesk, {mode}", "rss_mib")
        if app_paint is None or bare_paint is None or loaded is None or rss is None:
            continue
        ratio = app_paint / bare_paint
        rss_aim = (
            f"objectif ≤ {RSS_AIM_MIB} Mio : {'atteint' if rss <= RSS_AIM_MIB else 'NON atteint'}"
            if mode == "non figé"
            else "sans objectif"
        )
        print(
            f"{mode:9}: premier affichage qpvdesk / fenêtre nue = {ratio:.2f} (objectif ≤ 1,3 : "
            f"{'atteint' if ratio <= 1.3 else 'NON atteint'}) ; catalogue chargé à {loaded * 1000:.0f} ms du lancement "
            f"(objectif ≤ 400 ms : {'atteint' if loaded <= 0.4 else 'NON atteint'}), "
            f"{(loaded - app_paint) * 1000:.0f} ms après le premier affichage ; "
            f"mémoire max de --smoke {rss:.0f} Mio ({rss_aim})"
        )
        app_cpu, bare_cpu = median(f"qpvdesk, {mode}", "first_paint_cpu"), median(f"fenêtre nue, {mode}e", "first_paint_cpu")
        if app_cpu is not None and bare_cpu is not None:
            print(f"{mode:9}: en temps processeur, premier affichage qpvdesk / fenêtre nue = {app_cpu / bare_cpu:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
