#!/usr/bin/env bash
# Preuve sur un système propre : installe le .deb de qpvdesk dans un Debian 12 minimal, sans Python, puis
# lance `qpvdesk --smoke` et `qpvdesk check` sans réseau.
#
#   sudo packaging/prove_clean_install.sh [dist/qpvdesk_X.Y.Z_amd64.deb]      (root requis : debootstrap, chroot)
#
# Étapes :
#  1. debootstrap --variant=minbase bookworm dans build/clean-system/ (ignoré par git). Le résultat est gardé
#     en archive (base.tar) ; chaque preuve repart d'une copie neuve de cette archive. `--fresh` la refait.
#  2. `apt-get install ./qpvdesk_….deb` dans le chroot : apt résout les dépendances déclarées (Depends) depuis
#     les dépôts Debian — seule étape qui utilise le réseau.
#  3. Vérifie qu'aucun Python n'est installé dans ce système.
#  4. Dans un espace de noms réseau vide (`unshare -n` : seule l'interface lo, éteinte), en utilisateur
#     ordinaire, environnement vidé (`env -i`), QT_QPA_PLATFORM=offscreen : `qpvdesk --version`,
#     `qpvdesk --smoke`, `qpvdesk check`.
#  5. Désinstalle (`apt-get purge`) et vérifie qu'il ne reste rien sous /opt/qpvdesk, /usr/bin, applications,
#     icônes.
#
# Les montages (/proc) sont faits dans un espace de noms de montage privé (`unshare -m`) : ils disparaissent
# avec lui, et l'effacement du dossier ne peut jamais toucher le /proc ou le /dev de la machine.
# Durée : ~4–8 min la première fois (debootstrap), ~15 s ensuite (apt + tests, mesuré).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

FRESH=0
DEB=""
for arg in "$@"; do
    case "$arg" in
        --fresh) FRESH=1 ;;
        --base-only) DEB="--base-only" ;;
        *) DEB="$arg" ;;
    esac
done

SUITE="${SUITE:-bookworm}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
WORK="$REPO/build/clean-system"
BASE="$WORK/base-$SUITE.tar"
ROOT="$WORK/root"

say() { printf '\n=== %s\n' "$*"; }
fail() { printf '\nÉCHEC : %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "à lancer en root (debootstrap et chroot)."
command -v debootstrap >/dev/null || fail "debootstrap absent : apt-get install debootstrap"
command -v unshare >/dev/null || fail "unshare absent (util-linux)"

# Never delete a folder that has something mounted inside it.
safe_rm_root() {
    if [ -d "$ROOT" ]; then
        if grep -q " $ROOT/" /proc/mounts; then
            fail "un point de montage reste sous $ROOT : je ne l'efface pas."
        fi
        rm -rf --one-file-system "$ROOT"
    fi
}

# Runs a command in the chroot, with its own /proc, in a private mount namespace (so nothing leaks out).
MOUNTS='mount -t proc proc "$0/proc" && mount -t devpts -o newinstance,ptmxmode=0666 devpts "$0/dev/pts"'
in_chroot() {
    unshare --mount --propagation private --fork \
        sh -c "$MOUNTS"' && exec chroot "$0" "$@"' "$ROOT" "$@"
}

# Same, and with no network at all: a new network namespace holding only a loopback interface that is down.
in_chroot_offline() {
    unshare --net --mount --propagation private --fork \
        sh -c "$MOUNTS"' && mount -t sysfs sysfs "$0/sys" && exec chroot "$0" "$@"' "$ROOT" "$@"
}

mkdir -p "$WORK"
if [ "$FRESH" = 1 ] || [ ! -f "$BASE" ]; then
    say "1. debootstrap --variant=minbase $SUITE (système minimal, une seule fois)"
    tmp="$WORK/base-build"
    rm -rf --one-file-system "$tmp"
    start=$(date +%s)
    debootstrap --variant=minbase "$SUITE" "$tmp" "$MIRROR"
    tar -C "$tmp" -cf "$BASE.part" .
    mv "$BASE.part" "$BASE"
    rm -rf --one-file-system "$tmp"
    echo "debootstrap : $(( $(date +%s) - start )) s, archive $(du -h "$BASE" | cut -f1)"
fi
[ "$DEB" = "--base-only" ] && { echo "Système de base prêt : $BASE"; exit 0; }

if [ -z "$DEB" ]; then
    DEB=$(ls -t "$REPO"/dist/qpvdesk_*_amd64.deb 2>/dev/null | head -1 || true)
fi
[ -n "$DEB" ] && [ -f "$DEB" ] || fail "aucun .deb : lancez d'abord packaging/build_linux.sh"
DEB=$(readlink -f "$DEB")

say "1. Système neuf depuis $BASE"
safe_rm_root
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$BASE"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"   # name resolution for apt only
# Make sure the chroot only sees Debian's own repository (main), whatever the host's configuration.
printf 'deb %s %s main\n' "$MIRROR" "$SUITE" > "$ROOT/etc/apt/sources.list"
rm -f "$ROOT"/etc/apt/sources.list.d/*
echo "Debian : $(cat "$ROOT/etc/debian_version") ; paquets installés : $(in_chroot dpkg-query -W -f='.\n' | wc -l)"

say "2. apt-get install ./$(basename "$DEB") (dépendances résolues par apt)"
cp "$DEB" "$ROOT/tmp/"
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get update -q
start=$(date +%s)
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "/tmp/$(basename "$DEB")" \
    | grep -E '^(Inst|Setting up|The following NEW|Need to get|After this|  )' || true
in_chroot dpkg-query -W -f='${Status}\n' qpvdesk | grep -q "install ok installed" || fail "qpvdesk n'est pas installé"
echo "installation : $(( $(date +%s) - start )) s ; paquets installés : $(in_chroot dpkg-query -W -f='.\n' | wc -l)"
in_chroot dpkg-query -W -f='qpvdesk ${Version}, Installed-Size ${Installed-Size} KiB\nDepends: ${Depends}\n' qpvdesk

say "3. Pas de Python dans ce système"
pythons=$(in_chroot sh -c 'ls /usr/bin/python* /usr/local/bin/python* 2>/dev/null; dpkg-query -W -f="\${Package}\n" | grep -E "^(lib)?python[0-9.]*(-minimal)?$" || true')
if [ -n "$pythons" ]; then
    fail "Python est présent dans le système propre : $pythons"
fi
echo "aucun exécutable python, aucun paquet python3 / libpython3 : OK"

say "4. Sans réseau (unshare -n), utilisateur ordinaire, environnement vide, QT_QPA_PLATFORM=offscreen"
in_chroot useradd --create-home --shell /bin/sh agent
OFFLINE_ENV=(env -i HOME=/home/agent USER=agent PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen)
echo "--- interfaces réseau vues par l'application :"
in_chroot_offline sh -c 'for i in /sys/class/net/*; do echo "  ${i##*/} : $(cat "$i/operstate")"; done'
echo "--- essai de connexion TCP vers $MIRROR (doit échouer) :"
if in_chroot_offline bash -c 'exec 3<>/dev/tcp/deb.debian.org/80' 2>/dev/null; then
    fail "le réseau est joignable dans l'espace de noms censé être hors ligne"
fi
echo "connexion impossible : OK"
status=0
run_offline() {
    printf "$ qpvdesk"; printf " %q" "$@"; echo
    local start end rc=0
    start=$(date +%s%N)
    in_chroot_offline /usr/sbin/chroot --userspec=agent:agent / "${OFFLINE_ENV[@]}" qpvdesk "$@" || rc=$?
    end=$(date +%s%N)
    echo "(code de sortie $rc, $(( (end - start) / 1000000 )) ms)"
    [ "$rc" -eq 0 ] || status=1
}
run_offline --version
run_offline --smoke
run_offline check
run_offline search "renouvelement urbain" --limit 3
help=$(in_chroot_offline qpvdesk --help 2>/dev/null || true)
if echo "$help" | grep -q export-pdf; then
    run_offline export-pdf anru /home/agent/anru.pdf
fi
if echo "$help" | grep -q partners; then
    run_offline partners list
    # the user database, created by `--smoke` through the Alembic migrations shipped in the bundle
    userdb=$(in_chroot sh -c 'ls -l /home/agent/.local/share/qpvdesk/*.sqlite 2>/dev/null' || true)
    [ -n "$userdb" ] || { echo "base utilisateur absente"; status=1; }
    echo "base utilisateur : $userdb"
fi
[ "$status" -eq 0 ] || fail "qpvdesk a échoué hors ligne dans le système propre"

say "5. Désinstallation (apt-get purge qpvdesk)"
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q qpvdesk | grep -E '^(Removing|Purging)' || true
leftovers=$(in_chroot sh -c 'ls -d /opt/qpvdesk /usr/bin/qpvdesk /usr/share/applications/qpvdesk.desktop /usr/share/icons/hicolor/*/apps/qpvdesk.* /usr/share/doc/qpvdesk 2>/dev/null' || true)
[ -z "$leftovers" ] || fail "fichiers restants après désinstallation : $leftovers"
echo "rien ne reste sous /opt/qpvdesk, /usr/bin, /usr/share/applications, /usr/share/icons, /usr/share/doc : OK"
echo "(les données de l'utilisateur, ~/.local/share/qpvdesk, restent : dpkg ne touche pas aux dossiers personnels)"

say "PREUVE RÉUSSIE : le .deb s'installe et fonctionne hors ligne sur un Debian $SUITE minimal sans Python."
