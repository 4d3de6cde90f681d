"""Gathers the licence texts the bundle must carry into one folder (build.spec ships it as `licences/`).

- the committed texts of resources/licences/ (qpvdesk, the data's Licence Ouverte 2.0, Qt's LGPL-3 and GPL-3,
  ICU) and their index.tsv;
- Python's own licence, from the interpreter being frozen (it also lists the libraries CPython embeds);
- every Python distribution the app installs (qpvdesk's requirements and the extras they ask for, followed
  recursively), from its dist-info: SQLAlchemy, Alembic, Mako, psycopg and psycopg-binary, keyring…;
- the native libraries a wheel carries in its `<package>.libs/` folder (auditwheel's and delvewheel's layout:
  psycopg-binary's libpq, OpenSSL, Kerberos, OpenLDAP, Cyrus SASL…): the licence texts of the same projects,
  committed in resources/licences/bundled/ (WHEEL_LIBRARIES says which text covers each), so that every platform's
  build carries them;
- Linux: the Debian copyright file of every system library still bundled (libpython's package included).

The result has an `index.json` (component, licence, file) that the « Aide › Licences » dialog lists.
`python packaging/licences.py OUT_DIR [LIB…]` runs it by hand.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "resources" / "licences"


# stem of a library bundled inside a wheel (libpq-e9b5c9ac.so.5.18 -> libpq; libssl-3-x64-<hash>.dll -> libssl) ->
# its project's licence text in resources/licences/bundled/ (copied from Debian 12's copyright files of the same
# projects). An unknown stem stops the build: someone must look its licence up and add it first.
WHEEL_LIBRARIES = {
    "libpq": "PostgreSQL-libpq.txt",  # PostgreSQL licence
    "libssl": "OpenSSL.txt", "libcrypto": "OpenSSL.txt",  # OpenSSL 3: Apache-2.0
    "libkrb5": "MIT-Kerberos.txt", "libkrb5support": "MIT-Kerberos.txt", "libk5crypto": "MIT-Kerberos.txt",
    "libgssapi_krb5": "MIT-Kerberos.txt",
    "libcom_err": "com_err.txt",
    "libldap": "OpenLDAP.txt", "liblber": "OpenLDAP.txt",  # OpenLDAP Public Licence
    "libsasl2": "Cyrus-SASL.txt",  # Cyrus SASL (BSD-style)
    "libkeyutils": "keyutils.txt",  # LGPL-2.1+
    "libcrypt": "libxcrypt.txt",  # LGPL-2.1+
}
BUNDLED_LICENCES = {"PostgreSQL-libpq.txt": "PostgreSQL", "OpenSSL.txt": "Apache-2.0", "MIT-Kerberos.txt": "MIT",
                    "com_err.txt": "MIT", "OpenLDAP.txt": "OLDAP-2.8", "Cyrus-SASL.txt": "BSD (CMU)",
                    "keyutils.txt": "LGPL-2.1+", "libxcrypt.txt": "LGPL-2.1+"}
WHEEL_LIBRARY = re.compile(r"^(lib[A-Za-z0-9_+]+?)(?:-\d+(?:-x64)?)?-[0-9a-f]{8,}\.(?:so|dll|dylib)")


class LicenceError(RuntimeError):
    """A licence text that must ship could not be found (the build stops: shipping without it is not allowed)."""


def committed_index() -> list[dict]:
    """resources/licences/index.tsv: component, licence, file (tab-separated; JSON files under resources/ would
    change the catalogue's content hash)."""
    rows = []
    for line in (COMMITTED / "index.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            component, licence, file = line.split("\t")
            rows.append({"component": component, "licence": licence, "file": file})
    return rows


def python_licence() -> Path:
    candidates = [Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt",
                  Path(f"/usr/share/doc/python{sys.version_info.major}.{sys.version_info.minor}/copyright")]
    for path in candidates:
        if path.is_file():
            return path
    raise LicenceError(f"licence de Python introuvable (cherchée dans {', '.join(map(str, candidates))})")


def requirement_closure(root: str = "qpvdesk") -> list[metadata.Distribution]:
    """The distributions installed for `root`: its requirements and the extras they ask for (psycopg[binary] ->
    psycopg-binary), followed recursively; a requirement whose marker excludes this platform is not installed."""
    from packaging.requirements import Requirement  # PyInstaller's dependency: always in the build environment

    seen: dict[str, metadata.Distribution] = {}
    todo: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    while todo:
        name, extras = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen and not extras:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an environment marker excluded it (e.g. a Windows-only requirement)
        seen[key] = dist
        for raw in dist.requires or []:
            requirement = Requirement(raw)
            wanted = [{"extra": extra} for extra in (*extras, "")]
            if requirement.marker is None or any(requirement.marker.evaluate(env) for env in wanted):
                todo.append((requirement.name, frozenset(requirement.extras)))
    return [dist for key, dist in sorted(seen.items()) if key != root]


def wheel_libraries(dist: metadata.Distribution) -> list[str]:
    """Names of the native libraries bundled in the wheel's `<top-level package>.libs/` folder (auditwheel)."""
    top = (dist.read_text("top_level.txt") or "").split() or [dist.metadata["Name"].replace("-", "_")]
    found = []
    for package in top:
        folder = Path(str(dist.locate_file(f"{package}.libs")))
        if folder.is_dir():
            found += sorted(p.name for p in folder.iterdir() if p.is_file())
    return found


def distribution_licences(dist: metadata.Distribution) -> list[Path]:
    files = [Path(str(dist.locate_file(f))) for f in dist.files or []
             if re.search(r"(^|/)(licen[cs]e|copying|notice|authors)[^/]*$", str(f), re.IGNORECASE) and ".dist-info" in str(f)]
    return sorted(p for p in files if p.is_file())


def licence_name(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    value = meta.get("License-Expression") or meta.get("License") or ""
    if not value or len(value) > 80:  # some put the whole text there
        classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
        value = ", ".join(classifiers) or "voir le texte"
    return value


def debian_copyright(library: Path) -> tuple[str, Path] | None:
    """(package, its copyright file) for a library of the build machine, via dpkg -S."""
    if not shutil.which("dpkg"):
        return None
    for candidate in (library, library.resolve()):
        out = subprocess.run(["dpkg", "-S", str(candidate)], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout:
            package = out.stdout.split(":", 1)[0].strip()
            copyright_file = Path("/usr/share/doc") / package / "copyright"
            if copyright_file.is_file():
                return package.split(":")[0], copyright_file
    return None


def collect(out: Path, system_libraries: list[str] | tuple[str, ...] = ()) -> list[dict]:
    """Fills `out` (emptied first) and returns the index written to out/index.json."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    index = committed_index()
    for entry in index:
        shutil.copy2(COMMITTED / entry["file"], out / entry["file"])

    python = python_licence()
    shutil.copy2(python, out / "Python.txt")
    index.append({"component": f"Python {sys.version.split()[0]}", "licence": "PSF-2.0", "file": "Python.txt"})

    for dist in requirement_closure():
        name, version = dist.metadata["Name"], dist.version
        texts = distribution_licences(dist)
        if not texts and name.lower().startswith(("pyside6", "shiboken6")):
            # Qt's wheels carry no licence file: their licence is the committed LGPL-3.0 text
            index.append({"component": f"{name} {version}", "licence": "LGPL-3.0", "file": "LGPL-3.0.txt"})
            continue
        if not texts:
            raise LicenceError(f"aucun texte de licence dans la distribution {name} {version}")
        target = f"python-{name}.txt"
        (out / target).write_text("\n\n".join(p.read_text(encoding="utf-8", errors="replace") for p in texts),
                                  encoding="utf-8")
        index.append({"component": f"{name} {version}", "licence": licence_name(dist), "file": target})

    bundled: dict[str, list[str]] = {}
    for dist in requirement_closure():
        for library in wheel_libraries(dist):
            match = WHEEL_LIBRARY.match(library)
            text = WHEEL_LIBRARIES.get(match.group(1)) if match else None
            if text is None:
                raise LicenceError(f"{library} (dans {dist.metadata['Name']}) : licence inconnue, à ajouter dans "
                                   "WHEEL_LIBRARIES de packaging/licences.py (et son texte dans resources/licences/bundled/)")
            bundled.setdefault(text, []).append(f"{library} ({dist.metadata['Name']})")
    for text, libraries in sorted(bundled.items()):
        shutil.copy2(COMMITTED / "bundled" / text, out / f"bundled-{text}")
        index.append({"component": ", ".join(sorted(libraries)), "licence": BUNDLED_LICENCES[text],
                      "file": f"bundled-{text}"})

    packages: dict[str, list[str]] = {}
    for library in system_libraries:
        found = debian_copyright(Path(library))
        if found is None:
            raise LicenceError(f"bibliothèque système {library} : paquet Debian ou fichier copyright introuvable")
        package, copyright_file = found
        if package not in packages:
            shutil.copy2(copyright_file, out / f"debian-{package}.txt")
            packages[package] = []
        packages[package].append(Path(library).name)
    for package, libs in sorted(packages.items()):
        index.append({"component": f"{', '.join(sorted(libs))} (Debian {package})",
                      "licence": "fichier copyright Debian", "file": f"debian-{package}.txt"})

    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    return index


if __name__ == "__main__":
    for item in collect(Path(sys.argv[1]), sys.argv[2:]):
        print(f"{item['component']:<60} {item['licence']:<40} {item['file']}")
