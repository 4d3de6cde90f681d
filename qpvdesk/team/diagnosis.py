"""Why the team server refused an operation or could not be reached, in French, from the driver's error.

In this order, because the server's own text is in the server's language (its `lc_messages`: often French on a
local authority's server) and must not be what we rely on:

1. the SQLSTATE the server sent with an error during the exchange (psycopg.errors classes: the same in any language);
2. for a failed connection, what libpq knows without text (it needed a password and had none);
3. the server's refusals DURING the connection (wrong password, role without login, pg_hba.conf): libpq gives psycopg
   no SQLSTATE for them, only the server's text, so they are recognised by its wording in English and in French
   (PostgreSQL 15's French catalogue, postgres-15.mo; other languages fall through to a plain « injoignable »);
4. libpq's own client-side messages (TLS, timeout, refused, host name): always English, since the libpq bundled in
   psycopg's binary wheel is built without translations. Only the system's part (strerror: « Connexion refusée »
   once Qt has set the French locale) follows the desktop's language, so the needles are libpq's framing around it
   (« Is the server running… », « could not receive data from server »), never the system's words.
"""

from __future__ import annotations

import re

from qpvdesk.errors import TeamError


class Msg:
    OFFLINE = "Serveur de la base d'équipe injoignable ({reason}) : vous travaillez hors ligne, rien n'est perdu."
    PASSWORD = "Mot de passe refusé par le serveur pour « {login} » : rien n'a été envoyé ni reçu."
    NO_PASSWORD = "Le serveur demande un mot de passe pour « {login} » : rien n'a été envoyé ni reçu."
    NOT_ALLOWED = ("Le serveur n'autorise pas « {login} » à se connecter ({reason}) : la personne qui administre le "
                   "serveur doit vérifier cet identifiant. Rien n'a été envoyé ni reçu.")
    NEEDS_TLS = ("Le serveur exige une connexion chiffrée : ajoutez « ?sslmode=verify-full » à l'adresse (avec "
                 "« &sslrootcert=chemin » du certificat de l'autorité que le service informatique vous a remis). "
                 "Rien n'a été envoyé ni reçu.")
    TLS = "Connexion chiffrée impossible : {reason}. Rien n'a été envoyé ni reçu."
    NO_DATABASE = "La base indiquée dans l'adresse n'existe pas sur ce serveur : vérifiez l'adresse. Rien n'a été écrit."
    READ_ONLY = ("Le serveur de la base d'équipe n'accepte pas d'écriture pour l'instant ({reason}) : vos modifications "
                 "restent sur ce poste et partiront à une prochaine synchronisation.")
    BUSY = ("Le serveur de la base d'équipe est occupé ({reason}) : vos modifications restent sur ce poste et partiront "
            "à la prochaine synchronisation.")
    REFUSED = "Le serveur a refusé l'opération ({reason}) : rien n'a été écrit sur le serveur."


# why the server cannot write or serve for now, by SQLSTATE: the next sync retries (offline, nothing lost)
UNAVAILABLE = {
    "25006": "serveur en lecture seule",
    "53100": "disque du serveur plein",
    "53200": "mémoire du serveur insuffisante",
    "53300": "trop de connexions ouvertes",
    "53400": "limite de configuration du serveur atteinte",
    "40001": "accès simultané d'un autre membre",
    "40P01": "accès simultané d'un autre membre",
    "55P03": "données verrouillées par un autre membre",
    "57014": "opération annulée par le serveur",
}
CANNOT_WRITE = ("25006", "53100", "53200", "53400")  # read-only, disk or memory full, a limit reached
CUT = "connexion coupée par le serveur (arrêt ou intervention de la personne qui l'administre)"
# libpq's client-side messages (English in every build psycopg ships) -> French reason; first match wins
LIBPQ_OFFLINE: tuple[tuple[tuple[str, ...], str], ...] = (
    (("timeout expired", "timed out"), "délai dépassé"),
    (("could not translate host name", "failed to resolve host"), "nom de serveur inconnu"),  # (psycopg's, the 2nd)
    (("connection refused", "no such file or directory", "is the server running"), "serveur arrêté ou réseau coupé"),
    (("server closed the connection", "could not receive data", "could not send data", "eof detected",
      "ssl syscall", "ssl connection has been closed", "unexpected eof", "consuming input failed", "connection is lost",
      "connection is closed"), "connexion coupée pendant l'échange"),
)
LIBPQ_TLS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("does not match host name",),
     "le certificat du serveur est établi pour un autre nom que « {host} » : écrivez dans l'adresse le nom du serveur "
     "inscrit dans son certificat"),
    (("root certificate file",), "fichier du certificat de l'autorité introuvable ou illisible (sslrootcert)"),
    (("certificate verify failed", "self-signed certificate", "unable to get local issuer"),
     "certificat du serveur non vérifié : il n'est pas signé par l'autorité indiquée (sslrootcert)"),
    (("server does not support ssl",), "le serveur n'accepte pas les connexions chiffrées"),
)
TLS_OTHER = ("ssl", "certificate", "tls")  # after LIBPQ_OFFLINE: a TLS session cut mid-sync is a cut, not a refusal
# the server's refusals while connecting: (what it means, its wording in English and in French)
SERVER_REFUSALS = (
    ("password", ("password authentication failed", "authentification par mot de passe échouée")),
    ("no-login", ("is not permitted to log in", "n'est pas autorisé à se connecter")),
    ("hba", ("pg_hba.conf rejects", "no pg_hba.conf entry", "pg_hba.conf rejette", "aucune entrée dans pg_hba.conf")),
    ("no-database", ("database \"", "la base de données « ")),  # with « does not exist », checked below
    ("no-connect", ("permission denied for database", "droit refusé pour la base de données")),
    ("busy", ("too many clients", "trop de clients", "connection slots are reserved", "emplacements de connexions")),
    ("starting", ("the database system is", "le système de base")),  # starting up, shutting down, recovering
)
_SPACES = re.compile(r"\s+")


def describe(exc: BaseException, login: str = "") -> TeamError:
    """A French TeamError for a driver error (SQLAlchemy's DBAPIError or psycopg's own); `offline` when the server
    could not be reached or cannot serve for now, so that the next sync simply retries."""
    from psycopg import errors as pg  # here: importing qpvdesk.team must not load the driver

    orig = getattr(exc, "orig", None) or exc
    raw = str(orig).strip()
    text = _SPACES.sub(" ", raw).lower()
    sqlstate = getattr(orig, "sqlstate", None) or ""
    if sqlstate:
        return _by_sqlstate(orig, sqlstate, login)
    if isinstance(orig, pg.ConnectionTimeout):
        return _offline("délai dépassé")
    if isinstance(orig, (pg.DataError, pg.ProgrammingError)):  # refused by the driver before sending (a NUL in a text)
        return TeamError(Msg.REFUSED.format(reason="donnée que le serveur ne peut pas enregistrer"))
    pgconn = getattr(orig, "pgconn", None)
    if pgconn is not None and getattr(pgconn, "needs_password", False):
        return TeamError(Msg.NO_PASSWORD.format(login=login))
    if "no password supplied" in text:
        return TeamError(Msg.NO_PASSWORD.format(login=login))
    refusal = _server_refusal(text)
    if refusal is not None:
        return _refused_at_connection(refusal, login, text)
    for needles, reason in LIBPQ_TLS:
        if any(n in text for n in needles):
            host = _host(pgconn, text)
            return TeamError(Msg.TLS.format(reason=reason.format(host=host)))
    for needles, reason in LIBPQ_OFFLINE:
        if any(n in text for n in needles):
            return _offline(reason)
    if any(n in text for n in TLS_OTHER):
        return TeamError(Msg.TLS.format(reason="échec de la négociation TLS"))
    return _offline(raw.splitlines()[0][:300] if raw else type(orig).__name__)


def _offline(reason: str) -> TeamError:
    return TeamError(Msg.OFFLINE.format(reason=reason), offline=True)


def _by_sqlstate(orig: BaseException, sqlstate: str, login: str) -> TeamError:
    from psycopg import errors as pg

    if isinstance(orig, pg.InvalidPassword):  # 28P01
        return TeamError(Msg.PASSWORD.format(login=login))
    if isinstance(orig, pg.InvalidAuthorizationSpecification):  # 28000
        return TeamError(Msg.NOT_ALLOWED.format(login=login, reason="identifiant refusé"))
    if sqlstate in UNAVAILABLE:  # the server answered: not « injoignable », but it cannot take the changes now
        message = Msg.READ_ONLY if sqlstate in CANNOT_WRITE else Msg.BUSY
        return TeamError(message.format(reason=UNAVAILABLE[sqlstate]), offline=True)
    if sqlstate == "3D000":
        return TeamError(Msg.NO_DATABASE)
    if sqlstate.startswith("57P") or sqlstate.startswith("08"):  # admin or crash shutdown, connection failures
        return _offline(CUT)
    if isinstance(orig, pg.InsufficientPrivilege):  # 42501: a right the member role does not have, or a policy
        return TeamError(Msg.REFUSED.format(reason="droits insuffisants pour ce membre"))
    if sqlstate.startswith("22"):  # data exception: a value the server cannot store (encoding, range…)
        return TeamError(Msg.REFUSED.format(reason=f"donnée que le serveur ne peut pas enregistrer, code {sqlstate}"))
    if sqlstate.startswith("23"):
        return TeamError(Msg.REFUSED.format(reason=f"donnée refusée par une contrainte du serveur, code {sqlstate}"))
    if sqlstate.startswith("42"):
        return TeamError(Msg.REFUSED.format(reason=f"instruction refusée par le serveur, code {sqlstate}"))
    primary = getattr(getattr(orig, "diag", None), "message_primary", None) or type(orig).__name__
    return TeamError(Msg.REFUSED.format(reason=f"code {sqlstate} : {primary[:200]}"))


def _server_refusal(text: str) -> str | None:
    """What the server refused while connecting, from its text (English or French), or None."""
    for kind, needles in SERVER_REFUSALS:
        if any(n in text for n in needles):
            if kind == "no-database" and "does not exist" not in text and "n'existe pas" not in text:
                continue
            return kind
    return None


def _refused_at_connection(kind: str, login: str, text: str) -> TeamError:
    if kind == "password":
        return TeamError(Msg.PASSWORD.format(login=login))
    if kind == "no-login":
        return TeamError(Msg.NOT_ALLOWED.format(login=login, reason="identifiant sans droit de connexion"))
    if kind == "hba":
        unencrypted = any(n in text for n in ("no encryption", "aucun chiffrement", "ssl off"))
        return TeamError(Msg.NEEDS_TLS if unencrypted else
                         Msg.NOT_ALLOWED.format(login=login, reason="poste ou identifiant non autorisé par pg_hba.conf"))
    if kind == "no-database":
        return TeamError(Msg.NO_DATABASE)
    if kind == "no-connect":
        return TeamError(Msg.NOT_ALLOWED.format(login=login, reason="pas de droit de connexion à cette base"))
    if kind == "busy":
        return _offline(UNAVAILABLE["53300"])
    return _offline("serveur en cours de démarrage, d'arrêt ou de restauration")


def _host(pgconn: object, text: str) -> str:
    host = getattr(pgconn, "host", b"") or b""
    if isinstance(host, bytes):
        host = host.decode("utf-8", "replace")
    if host:
        return host
    found = re.search(r'host name "([^"]+)"', text)
    return found.group(1) if found else "?"
