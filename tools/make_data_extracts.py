"""Rebuild the reduced copies under resources/data from the original open-data files (a developer tool,
never run by build-data): `python tools/make_data_extracts.py ORIGINALS_DIR` (the folder holding
population/, codes-postaux/ and contacts-etat/ as described in resources/data/SOURCES.md)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "data"
POPULATION = ["COG", "lib_com", "codeQPV", "lib_qp", "insee_dep", "siren_epci", "popMuniQPV"]
POSTCODES = ["Code_commune_INSEE", "Nom_commune", "Code_postal", "Libellé_d_acheminement"]
CONTACTS = ["id", "insee_dep", "lib_dep", "fiche_lib_admin", "interlocuteur_adresse", "interlocuteur_comp_adresse",
            "interlocuteur_cp", "interlocuteur_ville", "interlocuteur_cedex", "fiche_telephone", "fiche_mel", "site_web",
            "Date mise à jour"]


def _write(path: Path, header: list[str], rows) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        n = 0
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


def _personal(row: dict, emails: set[str]) -> bool:
    """A « service » e-mail that is in fact a person's: someone's own address, or prénom.nom@."""
    mail = row["fiche_mel"].strip().lower()
    first, last = (row[k].strip().lower().replace(" ", "-") for k in ("interlocuteur_prenom", "interlocuteur_nom"))
    return bool(mail) and (mail in emails or bool(first and last and f"{first}.{last}" in mail.split("@")[0]))


def main(src: Path) -> None:
    with (src / "population" / "qpv2024_indicateurs_analyse_qpv.csv").open(encoding="utf-8", newline="") as f:
        n = _write(OUT / "population" / "qpv2024_popmuniqpv.csv", POPULATION,
                   ([r[k] for k in POPULATION] for r in csv.DictReader(f)))
    print("population", n)
    seen: set[tuple[str, ...]] = set()
    with (src / "codes-postaux" / "laposte_hexasmal_2022.csv").open(encoding="utf-8", newline="") as f:
        rows = []
        for r in csv.DictReader(f, delimiter=";"):
            key = tuple(r[k] for k in POSTCODES)
            if key not in seen:  # Ligne_5 (lieu-dit) dropped: its rows repeat the commune
                seen.add(key)
                rows.append(key)
        n = _write(OUT / "codes-postaux" / "laposte_hexasmal_2022_communes.csv", POSTCODES, rows)
    print("codes postaux", n)
    with (src / "contacts-etat" / "anct_annuaire_delegues_data_contacts.csv").open(encoding="utf-8", newline="") as f:
        contacts = list(csv.DictReader(f))
    emails = {r["interlocuteur_mel"].strip().lower() for r in contacts if r["interlocuteur_mel"].strip()}
    out_rows, blanked = [], 0
    for r in contacts:
        values = dict(r)
        if _personal(r, emails):
            values["fiche_mel"] = ""
            blanked += 1
        out_rows.append([values[k] for k in CONTACTS])
    n = _write(OUT / "contacts-etat" / "anct_annuaire_services_etat.csv", CONTACTS, out_rows)
    print("contacts", n, "courriels personnels retirés", blanked)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
