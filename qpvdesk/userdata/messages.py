"""Every French message about the user's data, declared once (the UI and the CLI show them as they are)."""

from __future__ import annotations

from qpvdesk.errors import UserDataError  # noqa: F401 (declared with the other errors; imported from here too)


class Msg:
    # start, backups, recovery
    RECOVERED = (
        "Votre base de données personnelle était endommagée ({reason}). Elle a été mise de côté, sans rien "
        "effacer, sous le nom « {aside} ». La sauvegarde la plus récente en bon état ({backup}) a été restaurée : "
        "les modifications faites après cette sauvegarde ne sont pas dans la base restaurée."
    )
    RECOVERED_EMPTY = (
        "Votre base de données personnelle était endommagée ({reason}) et aucune sauvegarde en bon état n'a été "
        "trouvée. Elle a été mise de côté, sans rien effacer, sous le nom « {aside} », et une base vide a été créée. "
        "Conservez ce fichier : un informaticien pourra peut-être en récupérer une partie."
    )
    UPGRADED = "Vos données ont été mises à jour pour cette version de qpvdesk (copie de sécurité : {backup})."
    NEWER_SCHEMA = (
        "Vos données personnelles ont été enregistrées par une version plus récente de qpvdesk (schéma {revision}). "
        "Installez cette version plus récente, ou restaurez une sauvegarde. Rien n'a été modifié."
    )
    NOT_WRITABLE = (
        "Impossible d'écrire dans le dossier de vos données ({folder}) : {error}. "
        "Vérifiez les droits sur ce dossier ou utilisez le mode portable."
    )
    READ_ONLY = (
        "Vos données sont ouvertes en lecture seule : {reason} ({folder}). Vous pouvez les consulter, mais aucune "
        "modification ne pourra être enregistrée. Libérez de la place sur le disque ou vérifiez les droits sur ce "
        "dossier, puis relancez qpvdesk."
    )
    READ_ONLY_REFUSED = "Modification impossible : vos données sont ouvertes en lecture seule ({reason}). Rien n'a été modifié."
    WRITE_FAILED = "Vos données n'ont pas pu être enregistrées : {reason}. Rien n'a été modifié."
    UPGRADE_READ_ONLY = (
        "Vos données doivent être mises à jour pour cette version de qpvdesk, ce qui est impossible : {reason} "
        "({folder}). Rien n'a été modifié."
    )
    INDEX_FAULT = (
        "Le contrôle complet de vos données a trouvé un défaut ({reason}). La copie de sécurité en bon état la plus "
        "récente est conservée dans le dossier des sauvegardes ; faites une copie de vos données (export) et "
        "signalez-le."
    )
    WAL_DAMAGED = (
        "Le journal de vos dernières modifications était endommagé ({reason}) : les modifications qu'il contenait "
        "n'ont pas pu être récupérées. Il a été mis de côté, sans rien effacer, sous le nom « {aside} »."
    )
    BUSY = (
        "Vos données sont occupées par une autre fenêtre de qpvdesk (opération longue en cours). "
        "Réessayez dans un instant."
    )
    BACKUP_UNREADABLE = "Ce fichier n'est pas une sauvegarde qpvdesk lisible ({reason}). Rien n'a été modifié."
    RESTORED = (
        "La sauvegarde du {date} a été restaurée. Vos données d'avant la restauration ont été copiées dans "
        "« {safety} »."
    )
    FOREIGN_DB = "ce fichier n'est pas une base qpvdesk"
    EMPTY_FILE = "fichier vide"

    # partners
    NAME_EMPTY = "le nom est obligatoire"
    NAME_TOO_LONG = "nom trop long ({length} caractères, maximum {limit})"
    FIELD_TOO_LONG = "champ « {field} » trop long ({length} caractères, maximum {limit})"
    KIND_UNKNOWN = "type inconnu « {value} » (types possibles : {choices})"
    COMMUNE_UNKNOWN = "commune inconnue « {value} » : vouliez-vous dire « {suggestion} » ?"
    COMMUNE_ABSENT = (
        "commune « {value} » absente du catalogue (il ne connaît que les communes ayant un QPV ou un site de "
        "programme) : gardée telle quelle"
    )
    QPV_UNKNOWN = "code QPV inconnu « {value} »"
    PROGRAMME_UNKNOWN = "programme inconnu du catalogue « {value} » (gardé tel quel)"
    PARTNER_MISSING = "Ce partenaire local n'existe plus (supprimé depuis une autre fenêtre ?)."

    # import / export of files
    FILE_MISSING = "fichier impossible à lire : {path}"
    # a line with a known uid that differs from the local copy, whose date cannot say which is newer
    CONFLICT_NO_DATE = ("conflit : date de modification absente, impossible de savoir quelle version est la plus récente ; "
                        "votre version, différente, est conservée")
    CONFLICT_BAD_DATE = ("conflit : date de modification « {value} » illisible (attendu 12/03/2026 09:32 ou "
                         "2026-03-12T09:32:00+00:00) ; votre version, différente, est conservée")
    CONFLICT_VAGUE_DATE = ("conflit : date de modification « {value} » sans heure précise, la même que celle de votre "
                           "version ; votre version, différente, est conservée")
    FILE_TOO_BIG = "fichier trop volumineux ({size} Mo ; maximum {limit} Mo)"
    TOO_MANY_ROWS = "trop de lignes (plus de {limit}, le maximum) : découpez le fichier en plusieurs"
    TOO_MANY_ITEMS = "trop d'éléments (plus de {limit}, le maximum) : découpez le fichier en plusieurs"
    JSON_ELEMENT_TOO_BIG = ("élément démesuré vers la ligne {line} (plus de {limit} Mo) : une note ou un partenaire "
                            "exporté par qpvdesk est bien plus court")
    BLANK_COLUMN = "colonne {number} sans titre"
    ENCODING_UTF16_NO_BOM = "fichier lu en UTF-16 sans BOM (encodage deviné) : vérifiez les accents dans le rapport"
    BAD_CHARACTER = "champ « {field} » : caractère invalide (moitié isolée d'une paire UTF-16, « \\u{code:04x} »)"
    ELEMENT_PROBLEM = "{file}, élément {index} : {problem}"
    BINARY = "ce fichier n'est pas un fichier texte (contenu binaire : image, tableur .xlsx, archive… ?)"
    ENCODING = (
        "encodage des caractères non reconnu : enregistrez le fichier en « CSV UTF-8 » "
        "(Excel : Fichier › Enregistrer sous › CSV UTF-8)"
    )
    ENCODING_CP1252 = "fichier lu en Windows-1252 (pas en UTF-8) : vérifiez les accents dans le rapport"
    SEPARATOR = "séparateur « {found} » détecté au lieu de « ; » : fichier lu avec « {found} »"
    NO_HEADER = "la première ligne doit donner les noms des colonnes (nom ; type ; commune…) ; aucune colonne reconnue"
    MISSING_COLUMNS = "colonne(s) obligatoire(s) manquante(s) : {columns}"
    IGNORED_COLUMNS = "colonnes ignorées (inconnues) : {columns}"
    DUPLICATE_COLUMNS = "colonne présente deux fois : {column}"
    BAD_COLUMN_COUNT = "{found} colonne(s) au lieu de {expected} (séparateur ou guillemet mal placé ?)"
    CSV_SYNTAX = "ligne {line} illisible (guillemet non fermé, caractère nul ou champ démesuré ?)"
    JSON_SYNTAX = "JSON illisible ou tronqué (ligne {line}, colonne {column})"
    JSON_SHAPE = "le fichier JSON doit contenir une liste « partners » d'objets"
    JSON_NOT_OBJECT = "élément qui n'est pas un objet JSON"
    JSON_NOT_TEXT = "champ « {field} » : texte attendu"
    UNKNOWN_FORMAT = "format inconnu « {suffix} » : choisissez un fichier .csv ou .json"
    EXPORT_JSON_ONLY = "ce fichier s'enregistre en JSON : donnez un nom qui finit par .json (pas « {suffix} »)"
    EXPORT_FORMAT = ("format d'export inconnu « {suffix} » : choisissez .csv (s'ouvre dans Excel ou LibreOffice) "
                     "ou .json")
    EXPORT_OVER_IMPORT_LIMIT = ("ce fichier compte plus de {limit} partenaires, le maximum d'un import : pour le "
                                "réimporter, découpez-le en plusieurs fichiers")
    JSON_EXPECTED = "fichier .json attendu (exporté par qpvdesk), pas « {suffix} »"
    NO_ROWS = "aucune ligne de données"
    BAD_UID = "identifiant « {value} » invalide : un nouvel identifiant sera attribué"
    DUP_SAME = "déjà présent, identique"
    DUP_LOCAL_NEWER = "déjà présent ; la version de votre base est plus récente et est conservée"
    DUP_NAME_COMMUNE = "doublon de « {name} » ({commune}) : même nom et même commune"
    DUP_IN_FILE = "doublon de la ligne {line} du même fichier"
    MODIFIED = "mis à jour (même identifiant, contenu différent)"
    RESTORED_PARTNER = "partenaire supprimé auparavant dans votre base : il sera rétabli"
    CANCELLED = "Import annulé : rien n'a été modifié."

    # favourites / notes files
    FAV_SHAPE = "le fichier doit contenir une liste « favourites » d'identifiants"
    NOTES_SHAPE = "le fichier doit contenir une liste « notes » (entity_id, text)"
    NOTE_MERGE_HEADER = "— Note importée le {date} —"
