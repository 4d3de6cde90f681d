"""Checks that the environment holds exactly the versions pinned in a constraints file (packaging/constraints.txt).

    python packaging/check_constraints.py packaging/constraints.txt     → code 0, or the differences and code 1

build_linux.sh runs it before freezing, so that a rebuild next year gives the same application; the release
workflow installs with `pip install -c packaging/constraints.txt` and runs it too.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path


def applies_here(marker: str) -> bool:
    """Environment markers (`; sys_platform == "win32"`) are honoured: a Windows-only pin is not checked on Linux."""
    if not marker.strip():
        return True
    from packaging.markers import Marker  # a dependency of PyInstaller, so always in the build environment

    return Marker(marker).evaluate()


def pinned(path: Path) -> dict[str, str]:
    pins = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        requirement, _, marker = raw.split("#", 1)[0].partition(";")
        if not requirement.strip() or not applies_here(marker):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*==\s*(\S+)", requirement.strip())
        if not match:
            raise SystemExit(f"{path}:{number} : ligne illisible « {raw} » (attendu : nom==version)")
        pins[match.group(1)] = match.group(2)
    return pins


def differences(pins: dict[str, str]) -> list[str]:
    wrong = []
    for name, want in sorted(pins.items(), key=lambda item: item[0].lower()):
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            have = "absent"
        if have != want:
            wrong.append(f"{name} : installé {have}, attendu {want}")
    return wrong


def main(argv: list[str]) -> int:
    wrong = differences(pinned(Path(argv[0] if argv else "packaging/constraints.txt")))
    for line in wrong:
        print(f"  {line}", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
