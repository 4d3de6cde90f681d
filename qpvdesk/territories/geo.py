"""Plane geometry for the territories: projection, overseas insets, rings, point tests.

Map ("scene") coordinates are Lambert-93 (EPSG:2154) kilometres with y pointing down
(x = E/1000, y = -N/1000), so the UI can draw them as they are.

Overseas territories are drawn next to the metropole, in the inset layout of ANCT's
Ci.Ville map (ci-ville2_geom_dep.json: outlines moved and rescaled next to France).
QPV perimeters and site points come at their real positions; INSETS maps them into the
same layout with x' = a·lon + b, y' = c·lat + d (degrees), fitted once on the data:
- 971, 972, 973, 974: iterative closest point between the real outlines (IGN, 2018,
  départements-avec-outre-mer) and ANCT's inset outlines;
- 976, 978, 987: least squares keeping the QPV perimeters on the inset land and near its
  coast (Moorea, absent from ANCT's Polynésie outline, is kept at its relative position).
tests/test_territories.py checks that the QPV land inside their inset outline.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Iterable, Sequence

# --- Lambert-93 -----------------------------------------------------------------------

_A = 6378137.0
_F = 1 / 298.257222101
_E = math.sqrt(2 * _F - _F * _F)
_LAT1, _LAT2, _LAT0, _LON0 = (math.radians(v) for v in (44.0, 49.0, 46.5, 3.0))
_X0, _Y0 = 700000.0, 6600000.0


def _m(lat: float) -> float:
    return math.cos(lat) / math.sqrt(1 - (_E * math.sin(lat)) ** 2)


def _t(lat: float) -> float:
    s = _E * math.sin(lat)
    return math.tan(math.pi / 4 - lat / 2) / ((1 - s) / (1 + s)) ** (_E / 2)


_N = (math.log(_m(_LAT1)) - math.log(_m(_LAT2))) / (math.log(_t(_LAT1)) - math.log(_t(_LAT2)))
_AF = _A * _m(_LAT1) / (_N * _t(_LAT1) ** _N)
_RHO0 = _AF * _t(_LAT0) ** _N


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 degrees -> Lambert-93 metres (E, N)."""
    rho = _AF * _t(math.radians(lat)) ** _N
    theta = _N * (math.radians(lon) - _LON0)
    return _X0 + rho * math.sin(theta), _Y0 + _RHO0 - rho * math.cos(theta)


def scene_point(lon: float, lat: float) -> tuple[float, float]:
    """Degrees (already in the inset layout) -> scene kilometres, y down."""
    x, y = lambert93(lon, lat)
    return x / 1000.0, -y / 1000.0


# --- overseas insets ------------------------------------------------------------------

# code -> (a, b, c, d): inset lon = a·lon + b, inset lat = c·lat + d
INSETS: dict[str, tuple[float, float, float, float]] = {
    "971": (1.9290983551237675, 114.60584172718333, 1.3203113085517078, 23.97382973915603),
    "972": (1.9947243684467746, 118.07536167245182, 1.3060721995956859, 24.935723773672308),
    "973": (0.7234699355522018, 35.575068488115846, 0.5363811077372502, 40.2942696828575),
    "974": (1.8285956644503514, -103.8452507629786, 1.3357969009838386, 72.78808376459146),
    "976": (2.4510097244170495, -112.80693825354645, 1.7660371422965961, 68.19543830107389),
    "978": (4.335132662319654, 269.0089234929925, 3.136478469973206, -10.224865135792143),
    "987": (1.9252761213913723, 284.59511358674393, 1.3901993811605233, 71.12277852639946),
}

# real-world boxes (lon min, lat min, lon max, lat max) telling which inset a point belongs to
REAL_BOXES: dict[str, tuple[float, float, float, float]] = {
    "971": (-62.0, 15.7, -60.8, 16.7),
    "972": (-61.4, 14.2, -60.6, 15.0),
    "973": (-55.0, 2.0, -51.0, 6.0),
    "974": (55.0, -21.6, 56.0, -20.6),
    "976": (44.8, -13.2, 45.5, -12.4),
    "978": (-63.3, 17.9, -62.8, 18.2),
    "987": (-155.0, -28.0, -134.0, -7.0),
}

# extra move (degrees) of a whole inset, applied after ANCT's layout: Saint-Martin sits right
# next to Tahiti there, where Moorea's QPV (not on ANCT's outline) would land on it
INSET_SHIFTS: dict[str, tuple[float, float]] = {"978": (-0.5, 0.0)}

INSET_NAMES = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte*",
    "978": "Saint-Martin",
    "987": "Polynésie française",
}


def inset_of(lon: float, lat: float) -> str | None:
    for code, (x0, y0, x1, y1) in REAL_BOXES.items():
        if x0 <= lon <= x1 and y0 <= lat <= y1:
            return code
    return None


def to_layout(lon: float, lat: float) -> tuple[float, float]:
    """Real WGS84 position -> position in the inset layout (unchanged in the metropole,
    and unchanged for points already given in the inset layout)."""
    code = inset_of(lon, lat)
    if code is None:
        return lon, lat
    a, b, c, d = INSETS[code]
    dx, dy = INSET_SHIFTS.get(code, (0.0, 0.0))
    return a * lon + b + dx, c * lat + d + dy


def shift_layout(code: str, lon: float, lat: float) -> tuple[float, float]:
    """A position already in ANCT's inset layout (outlines, some contract points) -> our layout."""
    dx, dy = INSET_SHIFTS.get(code, (0.0, 0.0))
    return lon + dx, lat + dy


def project_real(lon: float, lat: float) -> tuple[float, float]:
    """Real WGS84 position -> scene kilometres (insets applied)."""
    return scene_point(*to_layout(lon, lat))


# --- rings ----------------------------------------------------------------------------

Ring = array  # array('d') of x0, y0, x1, y1… (scene km)


def geojson_rings(geometry: dict | None) -> list[list[list[float]]]:
    """All rings (exterior and holes) of a Polygon/MultiPolygon, as lists of [lon, lat]."""
    if not geometry:
        return []
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []


def project_rings(rings: Iterable[Sequence[Sequence[float]]], real: bool, inset: str | None = None) -> list[Ring]:
    """Project GeoJSON rings to scene km; `real` applies the inset transform first, `inset` the
    extra move of an outline already in ANCT's layout."""
    out = []
    for ring in rings:
        flat = array("d")
        for lon, lat, *_ in ring:
            if real:
                x, y = project_real(lon, lat)
            else:
                x, y = scene_point(*shift_layout(inset, lon, lat)) if inset else scene_point(lon, lat)
            flat.append(x)
            flat.append(y)
        if len(flat) >= 6:
            out.append(flat)
    return out


def bbox(rings: Iterable[Ring]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for ring in rings:
        xs.extend(ring[0::2])
        ys.extend(ring[1::2])
    return min(xs), min(ys), max(xs), max(ys)


def point_in_rings(x: float, y: float, rings: Iterable[Ring]) -> bool:
    """Even-odd rule over every ring: holes and multipolygons are handled alike."""
    inside = False
    for ring in rings:
        n = len(ring) // 2
        jx, jy = ring[2 * n - 2], ring[2 * n - 1]
        for i in range(n):
            ix, iy = ring[2 * i], ring[2 * i + 1]
            if (iy > y) != (jy > y) and x < (jx - ix) * (y - iy) / (jy - iy) + ix:
                inside = not inside
            jx, jy = ix, iy
    return inside


def distance_to_rings(x: float, y: float, rings: Iterable[Ring]) -> float:
    """Distance from a point to the nearest ring edge (scene units)."""
    best = math.inf
    for ring in rings:
        n = len(ring) // 2
        ax, ay = ring[2 * n - 2], ring[2 * n - 1]
        for i in range(n):
            bx, by = ring[2 * i], ring[2 * i + 1]
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
            best = min(best, math.hypot(x - ax - t * dx, y - ay - t * dy))
            ax, ay = bx, by
    return best


# --- storage --------------------------------------------------------------------------

def encode_rings(rings: Sequence[Ring]) -> tuple[bytes, bytes]:
    """(ring vertex counts as uint32, coordinates as float32), little-endian."""
    counts = array("I", (len(r) // 2 for r in rings))
    coords = array("f")
    for ring in rings:
        coords.extend(array("f", ring))
    if sys.byteorder == "big":
        counts.byteswap()
        coords.byteswap()
    return counts.tobytes(), coords.tobytes()


def decode_rings(counts_blob: bytes, coords_blob: bytes) -> list[Ring]:
    counts = array("I")
    counts.frombytes(counts_blob)
    coords = array("f")
    coords.frombytes(coords_blob)
    if sys.byteorder == "big":
        counts.byteswap()
        coords.byteswap()
    rings, start = [], 0
    for n in counts:
        rings.append(array("d", coords[start : start + 2 * n]))
        start += 2 * n
    return rings
