#!/bin/sh
# Lanceur de qpvdesk (paquet Debian) : l'application elle-même est dans /opt/qpvdesk.
# Sans locale, Qt se plaint (« Detected locale "C" ») et les accents peuvent mal s'afficher.
if [ -z "${LC_ALL:-}" ] && { [ -z "${LANG:-}" ] || [ "$LANG" = C ] || [ "$LANG" = POSIX ]; }; then
    export LANG=C.UTF-8
fi
# Session Wayland : le greffon Wayland de Qt n'est pas livré ; XWayland (xcb) l'affiche sans avertissement.
if [ -z "${QT_QPA_PLATFORM:-}" ] && [ -n "${WAYLAND_DISPLAY:-}" ] && [ -n "${DISPLAY:-}" ]; then
    export QT_QPA_PLATFORM=xcb
fi
exec /opt/qpvdesk/qpvdesk "$@"
