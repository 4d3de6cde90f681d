#!/usr/bin/env bash
# Construit les livrables Linux de qpvdesk, en une commande :
#
#   packaging/build_linux.sh            (depuis n'importe quel dossier ; --no-bundle réutilise dist/qpvdesk)
#
#  1. le dossier PyInstaller (build.spec, one-folder)          → dist/qpvdesk/
#  2. son auto-contrôle : `--smoke` et `check` du binaire figé, hors écran, environnement vide
#  3. le paquet Debian                                          → dist/qpvdesk_<version>_amd64.deb
#       /opt/qpvdesk/ (l'application), /usr/bin/qpvdesk (lanceur), /usr/share/applications/qpvdesk.desktop,
#       /usr/share/icons/hicolor/*/apps/qpvdesk.{png,svg}, /usr/share/doc/qpvdesk/copyright
#  4. l'archive portable                                        → dist/qpvdesk-<version>-linux-x86_64.tar.gz
#  5. les tailles (dossier, .tar.gz, .deb)
#
# Prérequis (Debian 12 ; le README les donne en une ligne, le script les vérifie et dit quoi installer) :
#   - .venv créé avec le Python de Debian (/usr/bin/python3.11, jamais celui de pyenv) et les versions figées :
#       /usr/bin/python3.11 -m venv .venv && .venv/bin/pip install -c packaging/constraints.txt -e ".[package,test]"
#   - binutils (readelf, objdump, strip), dpkg-dev (dpkg-shlibdeps calcule Depends), libpython3.11 (la
#     bibliothèque partagée que PyInstaller embarque), libcups2 et les bibliothèques xcb de Qt (BUILD_PACKAGES).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PY="${PYTHON:-$REPO/.venv/bin/python}"
BUILD_BUNDLE=1
[ "${1:-}" = "--no-bundle" ] && BUILD_BUNDLE=0

say() { printf '\n=== %s\n' "$*"; }
fail() { printf '\nÉCHEC : %s\n' "$*" >&2; exit 1; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# ---- Build machine checks (issue 20: a fresh Debian 12 either builds or says, in French, what is missing) ----------
[ -x "$PY" ] || fail "pas d'environnement $PY : /usr/bin/python3.11 -m venv .venv && .venv/bin/pip install -c packaging/constraints.txt -e \".[package,test]\""
# The Python that gets frozen must be Debian's: a pyenv or self-built one leaves RUNPATHs to a home folder in 50 files
# and ships an unstripped libpython (installer-audit M5). QPVDESK_ANY_PYTHON=1 accepts another one knowingly.
base=$("$PY" -c 'import sys; print(sys.base_prefix)')
if [ "$base" != /usr ] && [ "${QPVDESK_ANY_PYTHON:-0}" != 1 ]; then
    fail "le Python de $PY vient de $base, pas de Debian (/usr/bin/python3.11).
Recréez l'environnement : rm -rf .venv && /usr/bin/python3.11 -m venv .venv && .venv/bin/pip install -c packaging/constraints.txt -e \".[package,test]\""
fi
# Every dependency at the version pinned in packaging/constraints.txt (the same application next year).
"$PY" packaging/check_constraints.py packaging/constraints.txt \
    || fail "versions différentes de packaging/constraints.txt : .venv/bin/pip install -c packaging/constraints.txt -e \".[package,test]\""
for tool in readelf objdump strip dpkg-shlibdeps dpkg-deb; do
    command -v "$tool" >/dev/null || fail "outil $tool absent : apt-get install binutils dpkg-dev"
done

VERSION=$("$PY" -c 'import qpvdesk; print(qpvdesk.__version__)')
ARCH=$(dpkg --print-architecture)
[ "$ARCH" = amd64 ] || echo "attention : architecture $ARCH (testé seulement sur amd64)"
DIST="$REPO/dist"
BUNDLE="$DIST/qpvdesk"
DEB="$DIST/qpvdesk_${VERSION}_${ARCH}.deb"
PORTABLE_NAME="qpvdesk-${VERSION}-linux-$(uname -m)"
TARGZ="$DIST/$PORTABLE_NAME.tar.gz"

# The xcb libraries must be on the build machine: PyInstaller only warns when one is missing, and the bundle
# would then depend on the target having it (packaging-measurements.md, pitfall 4).
# libpython3.11: Debian's /usr/bin/python3.11 is linked statically, PyInstaller needs the shared library.
# libcups2: the print plugin links it (never bundled, but dpkg-shlibdeps must find it to name its package).
BUILD_PACKAGES="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
libxcb-randr0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1 libegl1 libgl1 libfontconfig1 libdbus-1-3 libpython3.11
libcups2"
missing=""
for pkg in $BUILD_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] || fail "paquets à installer sur la machine de construction : apt-get install$missing"

# --- 1. The bundle -----------------------------------------------------------------------------------------------
if [ "$BUILD_BUNDLE" = 1 ]; then
    say "1. PyInstaller (build.spec) — qpvdesk $VERSION"
    "$PY" -c 'import PyInstaller' 2>/dev/null || fail "PyInstaller absent : .venv/bin/pip install -e \".[package]\""
    start=$(date +%s)
    "$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath "$DIST" --workpath "$REPO/build/pyinstaller" build.spec
    echo "construction : $(( $(date +%s) - start )) s"
fi
[ -x "$BUNDLE/qpvdesk" ] || fail "pas de dossier $BUNDLE : lancez sans --no-bundle"

# --- 2. Self-check of the frozen app --------------------------------------------------------------------------------
say "2. Auto-contrôle du binaire figé (hors écran, environnement vide, depuis /)"
dangling=$(find "$BUNDLE" -xtype l)
[ -z "$dangling" ] || fail "liens symboliques cassés dans le dossier : $dangling"
SELF_USER="$REPO/build/selfcheck-user"
frozen() {
    (cd / && env -i HOME="$REPO/build/home" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 \
        QPVDESK_USER_DIR="$SELF_USER" "$BUNDLE/qpvdesk" "$@")
}
rm -rf "$SELF_USER"
mkdir -p "$REPO/build/home"
frozen --version
frozen --smoke 2> >(grep -v propagateSizeHints >&2) || fail "qpvdesk --smoke a échoué (figé)"
frozen check > /dev/null || fail "qpvdesk check a échoué (figé)"
frozen search "renouvellement urbain" --limit 1 > /dev/null || fail "qpvdesk search a échoué (figé)"
if [ -d qpvdesk/userdata/migrations ]; then
    # --smoke opened the user database: the Alembic migrations ran inside the frozen app
    revision=$("$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT version_num FROM alembic_version").fetchone()[0])' \
        "$SELF_USER/qpvdesk-utilisateur.sqlite" 2>/dev/null) || fail "base utilisateur non créée par le binaire figé (migrations ?)"
    echo "base utilisateur créée par les migrations Alembic du binaire figé : révision $revision"
fi
# the team database's driver: psycopg and the libpq of its binary wheel load from the bundle, with no PostgreSQL
# client on the machine: joining a server that does not exist must say « injoignable » in French (no traceback)
team_out=$(frozen team join "postgresql://controle@/qpvdesk?host=/nonexistent-qpvdesk-socket" --name "Contrôle" 2>&1) \
    && fail "team join a réussi sans serveur (figé) ?"
grep -q "injoignable" <<<"$team_out" || fail "pilote PostgreSQL absent ou cassé dans le binaire figé : $team_out"
echo "smoke, check, search, pilote PostgreSQL : OK"

# The highest glibc symbol version any file of the bundle needs: the floor of the tar.gz and the .deb (issue 20:
# Ubuntu 22.04 and Mint 21 have glibc 2.35). tests/test_packaging_bundle.py checks the same, file by file.
glibc=$(find "$BUNDLE" -type f \( -name '*.so*' -o -name qpvdesk \) -exec objdump -T {} + 2>/dev/null \
    | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
echo "version de glibc la plus haute demandée : GLIBC_$glibc"
[ "$(printf '%s\n' "$glibc" 2.35 | sort -V | tail -1)" = 2.35 ] || fail "le dossier demande GLIBC_$glibc (> 2.35) : Ubuntu 22.04 ne le lancerait pas"

# --- 3. The .deb ------------------------------------------------------------------------------------------------------
say "3. Paquet Debian"
PKG="$REPO/build/deb/qpvdesk"
rm -rf --one-file-system "$REPO/build/deb"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" "$PKG/usr/share/doc/qpvdesk"
cp -a "$BUNDLE" "$PKG/opt/qpvdesk"
# The .deb ships no copy of a library a Debian package provides: Qt's xcb helpers, bundled for the portable
# archive (build.spec, KEEP_SYSTEM_LIBS), are removed here and become Depends. libpython3.11 (Ubuntu 22.04 has none)
# and libsqlite3 (the SQLite the search is tested with) stay.
for lib in libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-image.so.0 libxcb-render-util.so.0 \
           libxcb-util.so.1 libxkbcommon-x11.so.0 libxcb-xkb.so.1; do
    rm -f "$PKG/opt/qpvdesk/_internal/$lib"  # (its licence text stays: the system copy is still used)
done
# Depends computed from what the files need (dpkg-shlibdeps: packages and minimal versions from the symbols they
# use), plus what no ELF file names: fontconfig's configuration and one font. The print plugin's libcups2 is only
# recommended: without it Qt still prints to PDF.
mkdir -p "$REPO/build/shlibdeps/debian"
printf 'Source: qpvdesk\n\nPackage: qpvdesk\nArchitecture: any\n' > "$REPO/build/shlibdeps/debian/control"
cups_plugin=$(find "$PKG/opt/qpvdesk" -name 'libcupsprintersupport.so')
elf_files=$(find "$PKG/opt/qpvdesk" -type f \( -name '*.so*' -o -name qpvdesk \) ! -name libcupsprintersupport.so)
private_dirs=$(find "$PKG/opt/qpvdesk/_internal" -type f -name '*.so*' -printf '-l%h\n' | sort -u)
# shellcheck disable=SC2086  # word splitting of the file lists is wanted
shlibdeps=$(cd "$REPO/build/shlibdeps" && dpkg-shlibdeps -O --ignore-missing-info $private_dirs \
    -dDepends $elf_files ${cups_plugin:+-dRecommends $cups_plugin} 2>"$REPO/build/shlibdeps/warnings.txt") \
    || { grep -i error "$REPO/build/shlibdeps/warnings.txt" >&2; fail "dpkg-shlibdeps n'a pas pu calculer Depends (voir ci-dessus)"; }
shlib_depends=$(echo "$shlibdeps" | sed -n 's/^shlibs:Depends=//p')
shlib_recommends=$(echo "$shlibdeps" | sed -n 's/^shlibs:Recommends=//p')
[ -n "$shlib_depends" ] || fail "dpkg-shlibdeps n'a rendu aucune dépendance"
# Two bounds come from Debian 12 shlibs files (one version for the whole library, not per symbol): libzstd1 >= 1.5.2
# and libx11-xcb1 >= 2:1.8.4, which Ubuntu 22.04 / Mint 21 (1.4.8, 2:1.7.5) would refuse. Qt imports only
# ZSTD_decompress, ZSTD_getFrameContentSize, ZSTD_isError, ZSTD_getErrorName (zstd >= 1.3) and XGetXCBConnection
# (libX11 >= 1.2): the bound becomes Ubuntu 22.04's version. tests/test_packaging_bundle.py checks the imports.
shlib_depends=$(echo "$shlib_depends" | sed -e 's/libzstd1 (>= [^)]*)/libzstd1 (>= 1.4.8)/' \
    -e 's/libx11-xcb1 (>= [^)]*)/libx11-xcb1 (>= 2:1.7.5)/')
DEPENDS="$shlib_depends, fontconfig-config, fonts-dejavu-core | fonts-freefont-ttf | fonts-liberation2"
RECOMMENDS="${shlib_recommends:-libcups2}"
echo "Depends (calculé par dpkg-shlibdeps) : $DEPENDS"
echo "Recommends : $RECOMMENDS"
libc_floor=$(echo "$DEPENDS" | sed -n 's/.*libc6 (>= \([0-9.]*\)).*/\1/p')
[ -z "$libc_floor" ] || [ "$(printf '%s\n' "$libc_floor" 2.35 | sort -V | tail -1)" = 2.35 ] \
    || fail "Depends demande libc6 (>= $libc_floor) : Ubuntu 22.04 (2.35) refuserait le paquet"
install -m 0755 packaging/linux/qpvdesk-launcher.sh "$PKG/usr/bin/qpvdesk"
install -m 0644 packaging/linux/qpvdesk.desktop "$PKG/usr/share/applications/qpvdesk.desktop"
for size in 16 32 48 64 128 256; do
    install -D -m 0644 "resources/icons/qpvdesk-$size.png" "$PKG/usr/share/icons/hicolor/${size}x${size}/apps/qpvdesk.png"
done
install -D -m 0644 resources/icons/qpvdesk.svg "$PKG/usr/share/icons/hicolor/scalable/apps/qpvdesk.svg"
install -m 0644 packaging/linux/copyright "$PKG/usr/share/doc/qpvdesk/copyright"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$PKG/usr/share/applications/qpvdesk.desktop" || fail ".desktop invalide"
fi
chmod -R u=rwX,go=rX "$PKG"
installed_kib=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
cat > "$PKG/DEBIAN/control" <<EOF
Package: qpvdesk
Version: $VERSION
Architecture: $ARCH
Maintainer: Équipe qpvdesk <qpvdesk@localhost>
Installed-Size: $installed_kib
Depends: $DEPENDS
Recommends: $RECOMMENDS
Section: education
Priority: optional
Description: explorateur hors ligne de la politique de la ville
 qpvdesk présente les acteurs (État, ANRU, ANAH, ANCT…), les programmes et les
 quartiers prioritaires de la politique de la ville, chaque fait avec sa source
 et sa date. Il fonctionne entièrement hors ligne : le catalogue est embarqué
 et l'application n'utilise jamais le réseau.
EOF
# No maintainer scripts: dpkg removes every file it installed, and the icon cache and the .desktop database
# are refreshed by the triggers of hicolor-icon-theme and desktop-file-utils when those are installed.
start=$(date +%s)
dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" > /dev/null
echo "$(basename "$DEB") : $(( $(date +%s) - start )) s (xz)"
dpkg-deb --info "$DEB" | sed -n '/Package:/,$p' | grep -E '^ (Package|Version|Installed-Size|Depends|Recommends):'

# --- 4. The portable archive ---------------------------------------------------------------------------------------------
say "4. Archive portable"
STAGE="$REPO/build/portable/$PORTABLE_NAME"
rm -rf --one-file-system "$REPO/build/portable"
mkdir -p "$STAGE"
cp -a "$BUNDLE/." "$STAGE/"
install -m 0755 packaging/linux/qpvdesk-portable.sh "$STAGE/qpvdesk.sh"
install -m 0644 packaging/linux/qpvdesk-portable "$STAGE/qpvdesk-portable"
install -m 0644 packaging/linux/LISEZMOI-portable.txt "$STAGE/LISEZMOI.txt"
install -m 0644 resources/icons/qpvdesk-256.png "$STAGE/qpvdesk.png"
start=$(date +%s)
tar -C "$REPO/build/portable" --owner=0 --group=0 --numeric-owner --sort=name -cf - "$PORTABLE_NAME" | gzip -9 -n > "$TARGZ"
echo "$(basename "$TARGZ") : $(( $(date +%s) - start )) s (gzip -9)"

# --- 5. Sizes -------------------------------------------------------------------------------------------------------------
say "5. Tailles"
bundle_bytes=$(du -sb "$BUNDLE" | cut -f1)
printf '%-46s %s (%s fichiers)\n' "dossier dist/qpvdesk/" "$(mib "$bundle_bytes")" "$(find "$BUNDLE" -type f | wc -l)"
printf '%-46s %s\n' "$(basename "$TARGZ")" "$(mib "$(stat -c %s "$TARGZ")")"
printf '%-46s %s\n' "$(basename "$DEB")" "$(mib "$(stat -c %s "$DEB")")"
echo "glibc la plus haute demandée : GLIBC_$glibc"
echo
echo "Preuve sur un système propre (root, quelques minutes) : sudo packaging/prove_clean_install.sh $DEB"
