"""The open-data files under resources/data: producer, date, licence, origin and caveats.

Licence Ouverte 2.0 requires the producer and the date of the data to be cited: each
entry becomes a `Dataset` row (shown in « À propos des données ») and a `Source` row
cited by every relation derived from the file. See resources/data/SOURCES.md.
"""

from __future__ import annotations

from dataclasses import dataclass

LICENCE = "Licence Ouverte 2.0"


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    file: str
    title: str
    producer: str
    date: str  # partial ISO date of the data
    url: str  # where the copied file comes from
    note: str
    licence: str = LICENCE

    @property
    def ref(self) -> str:
        return f"resources/data/{self.file}"


def _gh(repo: str, commit: str, path: str) -> str:
    return f"https://github.com/{repo}/blob/{commit}/{path}"


QPV_2024 = DatasetInfo(
    "qpv-2024",
    "qpv2024_simplified.geojson",
    "Quartiers prioritaires de la politique de la ville — liste 2024 et périmètres (simplifiés)",
    "ANCT (SIG Ville)",
    "2024",
    _gh("RemiG1984/MaFrance", "36dbf1727e3efabecf8ff4f30dfd3ba824bfcfcd", "setup/inputFiles/qpv2024_simplified.geojson"),
    "Copie du fichier ANCT « QP2024_France_Hexagonale_Outre_Mer_WGS84 » (data.gouv.fr). Périmètres simplifiés "
    "par un tiers : bons pour une carte, pas pour dire si une adresse est en QPV. Mayotte : les 42 quartiers de la "
    "liste initiale ; l'ANCT les a depuis remplacés par 17 QPV couvrant chacun une commune entière.",
)
CORRESPONDENCE = DatasetInfo(
    "qpv-correspondance-2024-2015",
    "qpv_correspondance_2024_2015_v0.csv",
    "Correspondance des codes QPV 2024 → QPV 2015",
    "ANCT",
    "2024",
    _gh("Jpmartinslag/neural-temporal-relational-model", "e637d02eaa6ede87853906962792d1bde8da8683",
        "data/interim/policy/qpv_correspondance_2024_2015_v0.csv"),
    "Fichier ANCT « liste-correspondance-qp2024-qp2015.csv » réécrit sans modification des lignes (en-têtes en "
    "minuscules). Trois lignes où le statut diffère de la lettre du code, telles que publiées. Donne la liste "
    "révisée de Mayotte (codes en C).",
)
QPV_2015 = DatasetInfo(
    "qpv-2015",
    "qpv_info_nom_commune_1514.csv",
    "Quartiers prioritaires 2015 — liste complète (codes et noms)",
    "ANCT / INSEE",
    "2015",
    _gh("amegard64/M-moire-DU-SDA", "a3be7fafbbb00000a78f91826c33de86d321711c", "data/processed/qpv_info_nom_commune.csv"),
    "Liste des 1 514 QPV 2015 (décrets n° 2014-1750 et 2014-1751). Les communes y sont celles du QPV 2024 "
    "successeur ; vides pour les quartiers sortis.",
)
QPV_2015_COMMUNES = DatasetInfo(
    "qpv-2015-communes",
    "qpv_info_nom_commune.csv",
    "Quartiers prioritaires 2015 — commune principale (table d'appartenance géographique)",
    "INSEE",
    "2025",
    _gh("amegard64/M-moire-DU-SDA", "db03b90ed72e7723ebf3de65c700f09394d5a4f6", "data/processed/qpv_info_nom_commune.csv"),
    "Extrait de la table TAG_QPV2015_2025 de l'INSEE : seule la première commune des quartiers "
    "intercommunaux est donnée ; Polynésie française et Saint-Martin absents.",
)
CITES_EDUCATIVES = DatasetInfo(
    "cites-educatives",
    "citeduc_geom.geojson",
    "Cités éducatives",
    "ANCT",
    "2024-03-05",
    _gh("anct-carto/superposeur-anct", "d1bfea94af925e3ffba3f757b8dd3ba11068d1ab", "data/geom/geojsonV2/citeduc_geom.geojson"),
    "État début 2024, par commune ; la liste des QPV couverts par chaque cité n'est pas publiée dans ce fichier.",
)
CITES_EMPLOI = DatasetInfo(
    "cites-emploi",
    "cde_geom.geojson",
    "Cités de l'emploi",
    "ANCT",
    "2024-03-05",
    _gh("anct-carto/superposeur-anct", "d1bfea94af925e3ffba3f757b8dd3ba11068d1ab", "data/geom/geojsonV2/cde_geom.geojson"),
    "État début 2024, par commune.",
)
FRANCE_SERVICES = DatasetInfo(
    "france-services",
    "liste-fs-20240801.csv",
    "Liste des structures France services",
    "ANCT",
    "2024-08-01",
    _gh("anct-carto/france_services", "e1016fd717a8c9cc53406621959c837fb74fc0c9", "data/liste-fs-20240801.csv"),
    "Adresses et contacts au 1er août 2024 ; horaires non repris (ils changent souvent).",
)
CONTRATS_2024 = DatasetInfo(
    "contrats-ville-2024",
    "ci-ville2_geom_cv_ctr.json",
    "Contrats de ville « Engagements Quartiers 2030 » (génération 2024)",
    "ANCT (Ci.Ville)",
    "2026-03-11",
    _gh("anct-carto/ci-ville2", "1d5413c0e2f184855cd85fdf5b6b69ec1f3b33ed", "src/assets/geom_cv_ctr.json"),
    "Seuls les codes CN… sont importés (les lignes CV… du fichier reprennent l'ancienne génération). Le champ "
    "« pop » n'est pas documenté : il n'est pas affiché. Rattachement des QPV déduit du SIREN de l'EPCI ou du "
    "code commune.",
)
CONTRATS_2015 = DatasetInfo(
    "contrats-ville-2015",
    "ci-ville_geom_cv_ctr.json",
    "Contrats de ville 2015-2023",
    "ANCT (Ci.Ville)",
    "2023-05-11",
    _gh("anct-carto/ci-ville", "d0e1231afa9af742cbc968ca4e77fff315878dfc", "src/assets/geom_cv_ctr.json"),
    "Génération précédente, gardée comme historique. Champ « pop » non documenté, non affiché.",
)
DEPARTEMENTS_INSETS = DatasetInfo(
    "departements-anct",
    "ci-ville2_geom_dep.json",
    "Départements et collectivités d'outre-mer (contours en encarts)",
    "ANCT",
    "2023-05-11",
    _gh("anct-carto/ci-ville2", "d0e1231afa9af742cbc968ca4e77fff315878dfc", "src/assets/geom_dep.json"),
    "Outre-mer déplacé et agrandi à côté de la métropole (encarts) : positions non réelles. Utilisé pour les "
    "contours d'outre-mer et les noms des départements.",
)
DEPARTEMENTS_IGN = DatasetInfo(
    "departements-ign",
    "departements-version-simplifiee.geojson",
    "Contours des départements de métropole (simplifiés)",
    "IGN (Admin Express COG 2018) et INSEE (COG 2018)",
    "2018",
    _gh("gregoiredavid/france-geojson", "45daa2d069a8da3ec4efb6672388fc3dc02e36e2", "departements-version-simplifiee.geojson"),
    "Géographie 2018, simplifiée par l'auteur du dépôt (mapshaper) ; toujours valable pour les départements.",
)
REGIONS_IGN = DatasetInfo(
    "regions-ign",
    "regions-version-simplifiee.geojson",
    "Contours des régions de métropole (simplifiés)",
    "IGN (Admin Express COG 2018) et INSEE (COG 2018)",
    "2018",
    _gh("gregoiredavid/france-geojson", "5d34ee6d0140c29f785fdb047d9329f1aab58833", "regions-version-simplifiee.geojson"),
    "Géographie 2018, simplifiée par l'auteur du dépôt (mapshaper) ; toujours valable pour les régions.",
)

NPNRU = DatasetInfo(
    "npnru-2015",
    "npnru/npnru_qp2015_codes_fcu.json",
    "Liste des quartiers du NPNRU (codes de la liste 2015 des QPV)",
    "ANRU (liste reprise par France Chaleur Urbaine, 2025)",
    "2025-01-30",
    _gh("betagouv/france-chaleur-urbaine", "0e70651b4341776609c720656f96abede233822f", "docs/import_qpv.md"),
    "448 quartiers définis sur la liste 2015 (422 en métropole). Sans la répartition entre intérêt national "
    "(PRIN) et régional (PRIR), ni nom de projet, ni état des conventions. Un QPV 2024 est « issu d'un quartier "
    "du NPNRU (liste 2015) » : les périmètres ont changé en 2024.",
)
POPULATION = DatasetInfo(
    "population-qpv-2024",
    "population/qpv2024_popmuniqpv.csv",
    "Population municipale des QPV 2024 (popMuniQPV)",
    "INSEE / ANCT (SIG Ville)",
    "2020",
    _gh("RemiG1984/MaFrance", "36dbf1727e3efabecf8ff4f30dfd3ba824bfcfcd", "setup/inputFiles/analyse_qpv.csv"),
    "Population municipale (INSEE ; millésime non précisé par le fichier, probablement 2020). Seule cette "
    "colonne est reprise ; les autres indicateurs du fichier ne sont pas vérifiés et ne sont pas affichés. "
    "Absente pour 91 QPV (Saint-Martin, Polynésie française, quelques autres).",
)
POSTCODES = DatasetInfo(
    "codes-postaux-2022",
    "codes-postaux/laposte_hexasmal_2022_communes.csv",
    "Base officielle des codes postaux",
    "La Poste",
    "2022",
    _gh("giloop/parrainages-communes-2022", "498a55e115c6deaf2e2c7a1abe03b94dd768a26e", "laposte_hexasmal.csv"),
    "Millésime 2022 : les communes fusionnées depuis gardent leur ancien code INSEE. Un code postal dessert "
    "souvent plusieurs communes ; un nombre à 5 chiffres peut être le code postal d'une commune et le code "
    "INSEE d'une autre.",
)
STATE_CONTACTS = DatasetInfo(
    "contacts-etat",
    "contacts-etat/anct_annuaire_services_etat.csv",
    "Annuaire des délégués territoriaux de l'ANCT — services de l'État, points d'entrée par département",
    "ANCT",
    "2025-05-20",
    _gh("anct-carto/annuaire_delegues_anct", "7c8164327fcc71f72fda74d3587c07354bc0ae97", "data/data_contacts.csv"),
    "Coordonnées des services (préfecture, sous-préfecture, DDT(M)) mises à jour surtout en 2023-2024 ; "
    "Paris absent. Les noms et courriels des personnes ne sont pas repris.",
    licence="Licence non précisée (coordonnées publiques de services de l'État)",
)

ALL: tuple[DatasetInfo, ...] = (
    QPV_2024, CORRESPONDENCE, QPV_2015, QPV_2015_COMMUNES, CITES_EDUCATIVES, CITES_EMPLOI, FRANCE_SERVICES,
    CONTRATS_2024, CONTRATS_2015, DEPARTEMENTS_INSETS, DEPARTEMENTS_IGN, REGIONS_IGN,
    NPNRU, POPULATION, POSTCODES, STATE_CONTACTS,
)
BY_ID: dict[str, DatasetInfo] = {info.id: info for info in ALL}

MAP_ATTRIBUTION = (
    "Données : ANCT (QPV 2024, Cités éducatives et Cités de l'emploi 2024, France services 08/2024, "
    "contrats de ville, contours d'outre-mer) ; IGN-INSEE 2018 (contours de métropole) — Licence Ouverte 2.0"
)
