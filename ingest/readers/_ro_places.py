"""Which Romanian county an organisation is in, and how that was found.

Why a method per placement: CORDIS gives no NUTS code for its organisations, so the county is
derived, and a broker must be able to see from what. In order, the first that answers wins:

1. ``coordinates``: the point lies in one of the bundled NUTS 2021 county polygons (1:60M);
2. ``postcode``: the first two digits of a six-digit Romanian postcode (data/ro_places/postcode_county.csv);
3. ``city``: the locality table (data/ro_places/localities.csv), matched with and without diacritics.

A city whose name exists in several counties, or that disagrees with the postcode, places nothing:
the organisation stays unplaced with the reason, never a silent guess. Coordinates that fall in
another county than the declared postcode or city (2 of 44 Romanian H2020 rows: a Bacău address
geocoded into Vrancea, a Pantelimon one inside the coarse București polygon) yield to the address,
and the evidence says so.

>>> places().place(None, "050474", "Bucuresti").nuts
'RO321'
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
POLYGONS = DATA / "vocab" / "nuts2021_ro" / "nuts2021_ro_polygons_60M_4326.geojson"
POSTCODES = DATA / "ro_places" / "postcode_county.csv"
LOCALITIES = DATA / "ro_places" / "localities.csv"
#: Romania's bounding box with a margin (lat 43.6-48.3, lon 20.2-29.7): a point outside is not in Romania.
RO_BOX = (43.5, 48.4, 20.1, 29.8)
_SIX_DIGITS = re.compile(r"^[0-9]{6}$")

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Placement:
    """A county (``nuts``) with how it was found, or ``None`` with the reason in ``evidence``."""

    nuts: str | None
    method: str | None
    evidence: str


def fold(text: str) -> str:
    """Upper case, no diacritics (ș, ş, ţ, ț alike), punctuation as spaces: 'Târgu-Mureș' -> 'TARGU MURES'."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^A-Z0-9 ]", " ", plain.upper()).split())


def in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting: is (lon, lat) inside the closed ring? Why not shapely: 42 small polygons need no dependency."""
    inside = False
    j = len(ring) - 1
    for i, (xi, yi) in enumerate(ring):
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def clean_postcode(raw: str) -> str:
    """'RO 077125' -> '077125'; spaces and a leading country code removed, nothing else changed."""
    value = raw.strip().upper().replace(" ", "")
    return value.removeprefix("RO").removeprefix("-")


class Places:
    """The three look-up tables, loaded once."""

    def __init__(self) -> None:
        self.counties: list[tuple[str, list[tuple[Ring, list[Ring]]]]] = []
        geo = json.loads(POLYGONS.read_text(encoding="utf-8"))
        for feature in geo["features"]:
            if feature["properties"].get("LEVL_CODE") != 3:
                continue
            geometry = feature["geometry"]
            polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            shapes = [([tuple(p) for p in poly[0]], [[tuple(p) for p in hole] for hole in poly[1:]]) for poly in polys]
            self.counties.append((feature["properties"]["NUTS_ID"], shapes))
        with POSTCODES.open(encoding="utf-8", newline="") as handle:
            self.prefixes = {row["prefix"]: row["nuts"] for row in csv.DictReader(handle)}
        self.localities: dict[str, tuple[str, str]] = {}  # folded name -> (nuts, other counties)
        with LOCALITIES.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                self.localities[fold(row["locality"])] = (row["nuts"], row["ambiguous_with"])
                for alias in filter(None, row["aliases"].split("|")):
                    self.localities[fold(alias)] = (row["nuts"], "")

    def county_of_point(self, lat: float, lon: float) -> str | None:
        """The county polygon holding the point; București before Ilfov, which surrounds it."""
        hits = [
            code
            for code, shapes in self.counties
            for outer, holes in shapes
            if in_ring(lon, lat, outer) and not any(in_ring(lon, lat, hole) for hole in holes)
        ]
        return "RO321" if "RO321" in hits else (hits[0] if hits else None)

    def county_of_postcode(self, postcode: str) -> str | None:
        code = clean_postcode(postcode)
        return self.prefixes.get(code[:2]) if _SIX_DIGITS.match(code) else None

    def county_of_city(self, city: str) -> tuple[str | None, str]:
        """(county, why): None with the reason when the city is unknown or ambiguous."""
        name = fold(city)
        if not name:
            return None, "no city"
        hit = self.localities.get(name)
        if hit is None:
            return None, f"city {city!r} is not in data/ro_places/localities.csv"
        nuts, others = hit
        if others:
            return None, f"city {city!r} names a locality in {nuts} and in {others.replace('|', ', ')}"
        return nuts, f"city {city!r} -> {nuts}"

    def place(self, point: tuple[float, float] | None, postcode: str, city: str) -> Placement:
        """The county by the first method that answers; a postcode/city disagreement places nothing."""
        by_city, why = self.county_of_city(city)
        by_postcode = self.county_of_postcode(postcode)
        declared = by_postcode or by_city
        note = ""
        if point is not None:
            county = self.county_of_point(*point)
            if county and (declared is None or county == declared):
                return Placement(county, "coordinates", f"point {point[0]},{point[1]} in NUTS 2021 polygon {county}")
            if county:  # the geocode or the coarse (1:60M) polygon disagrees with the declared address
                note = f"; point {point[0]},{point[1]} falls in {county}, the address wins"
        if by_postcode:
            if by_city and by_city != by_postcode:
                return Placement(None, None, f"postcode {postcode!r} gives {by_postcode} but {why}")
            prefix = clean_postcode(postcode)[:2]
            return Placement(by_postcode, "postcode",
                             f"postcode {postcode.strip()}, prefix {prefix} -> {by_postcode}{note}")
        if by_city:
            return Placement(by_city, "city", why + note)
        reason = "no six-digit postcode" if not postcode.strip() else f"postcode {postcode.strip()!r} is not six digits"
        return Placement(None, None, f"{reason}; {why}")


@lru_cache(maxsize=1)
def places() -> Places:
    return Places()


def table_files() -> list[Path]:
    """The files a placement depends on: hashed with the source so that editing a table re-runs it."""
    return [POSTCODES, LOCALITIES, POLYGONS]
