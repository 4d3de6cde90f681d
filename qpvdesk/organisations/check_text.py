"""`qpvdesk check` in French: what the build made of the ANCT files of funded posts."""

from __future__ import annotations

from qpvdesk.organisations.vocabulary import DOUBTFUL_TEXT, PROGRAMMES, doubtful, euros


def check_lines(stats: dict) -> list[str]:
    lines = [
        (
            f"  structures financées (adultes-relais, FONJEP) : {stats['count']} — {stats['by_siret']} par SIRET "
            f"(dont {stats['fonjep_joined_to_siret']} avec des postes FONJEP rattachés par le nom), "
            f"{stats['by_name']} par le nom ; "
            f"{stats['name_matches_left_apart']} rapprochements par le nom laissés de côté (fiches séparées)"
        ),
        (
            f"  postes sans contrat de ville dans la source (gardés, département seul) : {stats['records_without_code_cv']} ; "
            f"sans département : {stats['records_without_departement']} ; "
            f"avec un code de contrat absent des données : {stats['records_with_unknown_contrat']}"
        ),
    ]
    for programme, years in stats["totals"].items():
        for year, t in years.items():
            amount = euros(t["amount_cents"])
            if doubtful(programme, int(year)):
                amount = f"{DOUBTFUL_TEXT} : {amount}"
            lines.append(f"  {PROGRAMMES[programme][0]} {year} : {t['posts']} postes, {t['organisations']} structures, {amount}")
    return lines
