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
# Prérequis (Debian 12) : .venv avec `pip install -e ".[package]"`, binutils (readelf, strip), dpkg-deb ;
# les bibliothèques xcb de Qt installées sur la machine de construction, pour qu'elles soient embarquées
# (voir QT_BUILD_LIBS ci-dessous : le script les vérifie).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PY="${PYTHON:-$REPO/.venv/bin/python}"
BUILD_BUNDLE=1
[ "${1:-}" = "--no-bundle" ] && BUILD_BUNDLE=0

say() { printf '\n=== %s\n' "$*"; }
fail() { printf '\nÉCHEC : %s\n' "$*" >&2; exit 1; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

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
QT_BUILD_LIBS="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
libxcb-randr0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1 libegl1 libgl1 libfontconfig1 libdbus-1-3"
missing=""
for pkg in $QT_BUILD_LIBS; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] || fail "bibliothèques à installer sur la machine de construction :$missing"

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
echo "smoke, check, search : OK"

# Shared libraries the bundle needs from the system (NEEDED entries not satisfied inside it), and their packages.
bundled=$(find "$BUNDLE" \( -type f -o -type l \) -name '*.so*' -printf '%f\n' | sort -u)
external=$(find "$BUNDLE" -type f \( -name '*.so*' -o -name qpvdesk \) -exec readelf -d {} + 2>/dev/null \
    | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort -u | grep -vxF -f <(echo "$bundled") || true)
glibc=$(find "$BUNDLE" -type f \( -name '*.so*' -o -name qpvdesk \) -exec objdump -T {} + 2>/dev/null \
    | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)

# --- 3. The .deb ------------------------------------------------------------------------------------------------------
say "3. Paquet Debian"
# Depends: what the bundle links from the system (libc6, libgl1, libegl1, libxcb1), the xcb helpers Qt's xcb
# platform needs since Qt 6.5 (also embedded in the bundle, declared so the system always has them), D-Bus,
# fontconfig's configuration and one font. libcups2 (printing) is only recommended: without it Qt prints to PDF.
DEPENDS="libc6 (>= $glibc), libgl1, libegl1, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, \
libxkbcommon-x11-0, libdbus-1-3, fontconfig-config, fonts-dejavu-core | fonts-freefont-ttf | fonts-liberation2"
RECOMMENDS="libcups2"
# Every library the bundle takes from the system must come from a declared package.
for lib in $external; do
    pkg=$(dpkg -S "*/$lib" 2>/dev/null | head -1 | cut -d: -f1)
    [ -n "$pkg" ] || fail "bibliothèque système $lib : paquet inconnu"
    case " $(echo "$DEPENDS, $RECOMMENDS" | tr -d ',' | sed 's/([^)]*)//g') " in
        *" $pkg "*) echo "  $lib ← $pkg" ;;
        *) fail "$lib vient du paquet $pkg, absent de Depends/Recommends" ;;
    esac
done

PKG="$REPO/build/deb/qpvdesk"
rm -rf --one-file-system "$REPO/build/deb"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" "$PKG/usr/share/doc/qpvdesk"
cp -a "$BUNDLE" "$PKG/opt/qpvdesk"
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
echo "bibliothèques prises au système : $(echo $external | tr '\n' ' ')"
echo
echo "Preuve sur un système propre (root, quelques minutes) : sudo packaging/prove_clean_install.sh $DEB"
