"""Reader of the CORDIS organisation directory (kind ``cordis-organisations``; (c) European Union, CC BY 4.0).

Why a source of its own: the H2020 participations table knows organisations only by PIC. This
directory (data/cordis/organisation_directory: the FP7 organisations table and part of the H2020
one) names them, with short names, addresses, SME flags and, for part of H2020, coordinates. It
only *describes* organisations known by PIC: it never states a type, a participation or a project,
so an organisation that takes part in nothing does not appear because of it.

Which name is shown, when sources disagree (the one rule, also in ``graph.views._labels``):
1. the newest H2020 organisation record (latest ``contentUpdateDate``),
2. then the FP7 record (last updated 2018),
3. then the participation tables' own text (the composite's names, the "PIC n" placeholder).
The chosen name is this graph's ``skos:prefLabel`` and ``rov:legalName``; every other name found
here is a ``skos:altLabel``, and the display code shows a prefLabel that is also an altLabel of the
same node (a name that lost this precedence in another source) only when nothing better exists.

Romanian organisations get a county (``ig:region``) with ``ig:placementMethod`` and
``ig:placementEvidence``, or ``ig:unplacedReason`` (see ``ingest.readers._ro_places``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from ingest.readers import _terms as t
from ingest.readers._model import Location, MappedRecord, Rejection, SourceReader
from ingest.readers._ro_places import RO_BOX, clean_postcode, places, table_files
from ingest.readers.cordis import _header, _open_text, pic_org
from ontology._keys import entity_iri, is_pic
from ontology._namespaces import IG, LOCN
from ontology._namespaces import NUTS as NUTS_NS

FP7 = "fp7_organizations.csv.gz"
H2020 = "h2020_organizations_latest_union.csv.gz"
SHORT_NAME, LATITUDE, LONGITUDE = t.n(IG.shortName), t.n(IG.latitude), t.n(IG.longitude)
METHOD, EVIDENCE, UNPLACED = t.n(IG.placementMethod), t.n(IG.placementEvidence), t.n(IG.unplacedReason)
ADDRESS, ADDRESS_CLASS = t.n(LOCN.address), t.n(LOCN.Address)
STREET, POST_CODE, POST_NAME = t.n(LOCN.thoroughfare), t.n(LOCN.postCode), t.n(LOCN.postName)
FULL_ADDRESS, COUNTRY_TEXT = t.n(LOCN.fullAddress), t.n(LOCN.adminUnitL1)
NUTS = str(NUTS_NS)


@dataclass
class _Row:
    """One directory row after validation, with the table it came from (0 = H2020, 1 = FP7)."""

    location: Location
    table: int
    updated: str
    name: str
    short: str = ""
    sme: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    point: tuple[float, float] | None = None


@dataclass
class _Org:
    rows: list[_Row] = field(default_factory=list)

    def ordered(self) -> list[_Row]:
        """Precedence: H2020 before FP7, then the newest record first."""
        return sorted(self.rows, key=lambda r: (r.table, _desc(r.updated), r.location.line or 0))


def _desc(text: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


class CordisOrganisationsReader(SourceReader):
    """Folder with ``fp7_organizations.csv.gz`` and/or ``h2020_organizations_latest_union.csv.gz``."""

    kind = "cordis-organisations"

    @classmethod
    def detect(cls, path: Path) -> bool:
        if not path.is_dir():
            return False
        return ("organisationID_PIC" in _header(path / FP7)) or ("organisationID" in _header(path / H2020))

    def files(self) -> list[Path]:
        return [p for p in (self.path / H2020, self.path / FP7) if p.is_file()] + table_files()

    def default_name(self) -> str:
        return "cordis-organisations"

    def read(self) -> Iterator[MappedRecord | Rejection]:
        orgs: dict[str, _Org] = {}
        for table, (name, pic_column) in enumerate(((H2020, "organisationID"), (FP7, "organisationID_PIC"))):
            path = self.path / name
            if not path.is_file():
                continue
            with _open_text(path) as handle:
                reader = csv.DictReader(handle)
                for raw in reader:
                    location = Location(str(path), line=reader.line_num)
                    row, problems = self._row(raw, pic_column, table, location)
                    yield from problems
                    if row is not None:
                        orgs.setdefault(raw[pic_column], _Org()).rows.append(row)
        for pic, org in orgs.items():
            yield self._record(pic, org.ordered())

    @staticmethod
    def _row(raw: dict[str, str], pic_column: str, table: int, location: Location) -> tuple[_Row | None, list[Rejection]]:
        """A validated row, and the problems found: a bad PIC or empty name drops the row,
        a bad postcode or coordinate only that field (reported, the rest kept)."""
        pic = raw[pic_column].strip()
        if not is_pic(pic):
            return None, [Rejection(location, pic_column, f"PIC must have 9 digits, got {pic!r}")]
        name = " ".join(raw["name"].split())
        if not name:
            return None, [Rejection(location, "name", f"organisation PIC {pic} has an empty name")]
        country = raw["country"].strip()
        postcode_column = "postCode"
        row = _Row(location, table, raw.get("contentUpdateDate") or raw.get("last_update", ""), name,
                   short=" ".join(raw.get("shortName", "").split()), sme=raw.get("SME", ""),
                   street=raw["street"].strip(), postcode=raw[postcode_column].strip(), city=raw["city"].strip(),
                   country=country)
        problems: list[Rejection] = []
        if country == "RO" and row.postcode:
            code = clean_postcode(row.postcode)
            if not code.isdigit():
                problems.append(Rejection(location, postcode_column,
                                          f"postcode {row.postcode!r} is not a Romanian postal code (digits only) "
                                          "for a Romanian organisation; postcode ignored, rest of the row kept"))
                row.postcode = ""
            elif len(code) != 6:
                problems.append(Rejection(location, postcode_column,
                                          f"postcode {row.postcode!r} is not a six-digit (2003) Romanian postal code; "
                                          "not used for the county, rest of the row kept"))
        geo = raw.get("geolocation", "").strip()
        if geo:
            try:
                lat, lon = (float(Decimal(part.strip())) for part in geo.split(","))
            except (ValueError, InvalidOperation):
                problems.append(Rejection(location, "geolocation", f"geolocation {geo!r} is not 'latitude,longitude'"))
            else:
                lat_min, lat_max, lon_min, lon_max = RO_BOX
                if country == "RO" and not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
                    problems.append(Rejection(location, "geolocation",
                                              f"coordinates {geo!r} lie outside Romania for a Romanian organisation; "
                                              "coordinates ignored, rest of the row kept"))
                elif -90 <= lat <= 90 and -180 <= lon <= 180:
                    row.point = (lat, lon)
        return row, problems

    @staticmethod
    def _record(pic: str, rows: list[_Row]) -> MappedRecord:
        best = rows[0]
        record = MappedRecord(best.location)
        org = pic_org(pic)
        record.add(org, t.PREF_LABEL, t.text(best.name))
        record.add(org, t.LEGAL_NAME, t.text(best.name))
        for other in sorted({r.name for r in rows} - {best.name}):
            record.add(org, t.ALT_LABEL, t.text(other))
        short = next((r.short for r in rows if r.short), "")
        if short:
            record.add(org, SHORT_NAME, t.text(short))
        sme = next((r.sme for r in rows if r.sme in {"True", "False"}), "")
        if sme:
            record.add(org, t.IS_SME, t.boolean(sme == "True"))
        where = next((r for r in rows if r.city or r.street or r.postcode), None)
        if where is not None:
            address = entity_iri("address", "pic", pic)
            record.add(org, ADDRESS, address)
            record.add(address, t.TYPE, ADDRESS_CLASS)
            for value, prop in ((where.street, STREET), (where.postcode, POST_CODE), (where.city, POST_NAME),
                                (where.country, COUNTRY_TEXT)):
                if value:
                    record.add(address, prop, t.text(value))
            full = ", ".join(v for v in (where.street, where.postcode, where.city, where.country) if v)
            record.add(address, FULL_ADDRESS, t.text(full))
        point = next((r.point for r in rows if r.point is not None), None)
        if point is not None:
            record.add(org, LATITUDE, t.decimal(Decimal(str(point[0]))))
            record.add(org, LONGITUDE, t.decimal(Decimal(str(point[1]))))
        if best.country == "RO":
            located = next((r for r in rows if r.postcode or r.city), best)
            placement = places().place(point, located.postcode, located.city)
            if placement.nuts is not None and placement.method is not None:
                record.add(org, t.REGION, ox.NamedNode(NUTS + placement.nuts))
                record.add(org, METHOD, t.text(placement.method))
                record.add(org, EVIDENCE, t.text(placement.evidence))
            else:
                record.add(org, UNPLACED, t.text(placement.evidence))
        return record
