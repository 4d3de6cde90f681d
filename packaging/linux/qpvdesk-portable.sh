#!/bin/sh
# Lanceur de la version portable de qpvdesk : fonctionne depuis n'importe quel dossier (clé USB comprise).
# Le fichier « qpvdesk-portable » à côté de ce script active le mode portable (voir LISEZMOI.txt).
here=$(dirname "$(readlink -f "$0")")
if [ -z "${LC_ALL:-}" ] && { [ -z "${LANG:-}" ] || [ "$LANG" = C ] || [ "$LANG" = POSIX ]; }; then
    export LANG=C.UTF-8
fi
if [ -z "${QT_QPA_PLATFORM:-}" ] && [ -n "${WAYLAND_DISPLAY:-}" ] && [ -n "${DISPLAY:-}" ]; then
    export QT_QPA_PLATFORM=xcb
fi
exec "$here/qpvdesk" "$@"
