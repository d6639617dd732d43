"""Readers of the CORDIS extracts (EU research projects; data (c) European Union, CC BY 4.0).

Two shapes of data, two readers:

- ``CordisH2020Reader``: the table of all 144,726 Horizon 2020 participations (project RCN,
  organisation PIC, activity type, role, contribution, country, dates; no names) with the
  programme parts of each project beside it. The table carries no names and innograph never
  invents one, so an organisation is labelled with what is known ("unnamed organisation, PIC
  999999999, Germany, research organisation") and a project likewise ("H2020 project, LEIT,
  2017-2020, RCN 229886"); the organisation directory (``ingest.readers.cordis_organisations``) names
  most of them, and the display code shows a real name before such a label.
- ``CordisCompositeReader``: 757 projects with their objectives, 2,162 participations and
  1,803 organisations, partly named.

Projects are keyed by CORDIS RCN when known, so both extracts describe the same project
node; organisations by PIC, so they meet our own tabular data that uses ``pic:`` ids.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ingest.readers import _terms as t
from ingest.readers._model import Location, MappedRecord, Rejection, SourceReader
from ontology._files import VOCAB_DIR
from ontology._keys import entity_iri, is_pic, slug
from ontology._vocab import vocabularies

H2020_COLUMNS = {"rcn", "role", "pic", "type", "contribution", "country", "start_date", "end_date"}
COMPOSITE_FILES = ("projects.csv", "participations.csv")
_ROLES = {"coordinator", "participant", "partner", "thirdParty", "associatedPartner", "internationalPartner"}
_KINDS = {"HES", "REC", "PRC", "PUB", "OTH"}

#: Names of the Horizon 2020 programme parts found in the table (Regulation (EU) 1291/2013).
H2020_PARTS = {
    "ERC": "European Research Council",
    "FET": "Future and Emerging Technologies",
    "MSCA": "Marie Skłodowska-Curie actions",
    "RI": "Research infrastructures",
    "LEIT": "Leadership in enabling and industrial technologies",
    "Innovation in SMEs": "Innovation in SMEs",
    "SC1": "Health, demographic change and well-being",
    "SC2": "Food security, sustainable agriculture and forestry, marine and maritime research, bioeconomy",
    "SC3": "Secure, clean and efficient energy",
    "SC4": "Smart, green and integrated transport",
    "SC5": "Climate action, environment, resource efficiency and raw materials",
    "SC6": "Europe in a changing world: inclusive, innovative and reflective societies",
    "SC7": "Secure societies: protecting freedom and security of Europe and its citizens",
    "SEWP": "Spreading excellence and widening participation",
    "SWAFS": "Science with and for Society",
    "Euratom": "Euratom research and training programme",
    "ARF": "Access to risk finance",
}


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return path.open("r", encoding="utf-8", newline="")


def _header(path: Path) -> list[str]:
    try:
        with _open_text(path) as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, EOFError):
        return []


_MISSING = {"", "NA", "nan", "No data"}
_DECIMAL_COMMA = re.compile(r"^[0-9]+,[0-9]{1,2}$")


def _amount(value: str) -> Decimal | None:
    """CORDIS amounts; 'NA'/'No data' mean unknown, '311260,00' is a decimal comma."""
    value = value.strip()
    if value in _MISSING:
        return None
    if _DECIMAL_COMMA.match(value):
        value = value.replace(",", ".")
    number = Decimal(value)
    if not number.is_finite() or number < 0:
        raise ValueError(f"amount must be a non-negative number, got {value!r}")
    return number


def _date(value: str) -> str | None:
    value = value.strip()
    if value in _MISSING:
        return None
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"date {value!r} is neither YYYY-MM-DD nor '1 January 2016'")


#: Short English names of the CORDIS activity types, for the label of an unnamed organisation.
KIND_WORDS = {
    "HES": "higher or secondary education",
    "REC": "research organisation",
    "PRC": "private company",
    "PUB": "public body",
    "OTH": "other organisation",
}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """English names of the country concepts (bundled vocabulary), by concept IRI."""
    store = ox.Store()
    store.load(path=str(VOCAB_DIR / "countries.ttl"), format=ox.RdfFormat.TURTLE)
    return {
        q.subject.value: q.object.value  # type: ignore[union-attr]
        for q in store.quads_for_pattern(None, t.PREF_LABEL, None, None)
        if isinstance(q.object, ox.Literal) and q.object.language == "en"
    }


def unnamed_org_label(pic: str, country: ox.NamedNode | None, kind: str) -> str:
    """What is known of an organisation without a name: "unnamed organisation, PIC n, Germany, private company"."""
    parts = ["unnamed organisation", f"PIC {pic}"]
    if country is not None:
        parts.append(country_names().get(country.value, country.value.rsplit("/", 1)[-1]))
    if kind in KIND_WORDS:
        parts.append(KIND_WORDS[kind])
    return ", ".join(parts)


def untitled_project_label(rcn: str, parts: list[str], start: str | None, end: str | None) -> str:
    """What is known of a project without a title: "H2020 project, LEIT, 2017-2020, RCN 229886"."""
    out = ["H2020 project"]
    if parts:
        out.append(" + ".join(parts))
    years = "-".join(value[:4] for value in (start, end) if value)
    if years:
        out.append(years)
    out.append(f"RCN {rcn}")
    return ", ".join(out)


def project_iri(rcn: str, project_id: str = "", framework: str = "") -> ox.NamedNode:
    if rcn:
        return entity_iri("project", "rcn", rcn)
    return entity_iri("project", slug(framework or "cordis"), project_id)


def pic_org(pic: str) -> ox.NamedNode:
    return entity_iri("org", "pic", pic)


class CordisH2020Reader(SourceReader):
    """The full H2020 participations table (``h2020_participations.csv.gz`` + ``programme_parts``)."""

    kind = "cordis-h2020"

    @classmethod
    def detect(cls, path: Path) -> bool:
        table = cls._table(path)
        return table is not None and H2020_COLUMNS <= set(_header(table))

    @staticmethod
    def _table(path: Path) -> Path | None:
        if path.is_file():
            return path
        hits = sorted(path.glob("*participations*.csv*"))
        return hits[0] if hits else None

    def files(self) -> list[Path]:
        table = self._table(self.path)
        assert table is not None
        parts = sorted(table.parent.glob("programme_parts*.csv*"))
        return [table, *parts[:1]]

    def default_name(self) -> str:
        return "cordis-h2020"

    def expected_records(self) -> int | None:
        return 144_726

    def _programmes(self) -> dict[str, list[str]]:
        parts: dict[str, list[str]] = defaultdict(list)
        for path in self.files()[1:]:
            with _open_text(path) as handle:
                for row in csv.DictReader(handle):
                    parts[row["rcn"]].append(row["programme_part"])
        return parts

    def read(self) -> Iterator[MappedRecord | Rejection]:
        vocab = vocabularies()
        programmes = self._programmes()
        seen_projects: set[str] = set()
        seen_orgs: set[str] = set()
        table = self.files()[0]
        with _open_text(table) as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                location = Location(str(table), line=reader.line_num)
                try:
                    record = MappedRecord(location)
                    self._map(row, record, vocab, programmes, seen_projects, seen_orgs)
                except (ValueError, InvalidOperation) as exc:
                    yield Rejection(location, getattr(exc, "field", None), str(exc))
                    continue
                yield record

    @staticmethod
    def _map(row, record, vocab, programmes, seen_projects, seen_orgs) -> None:  # type: ignore[no-untyped-def]
        rcn, pic, role, kind = row["rcn"], row["pic"], row["role"], row["type"]
        if not rcn.isdigit():
            raise _FieldError("rcn", f"rcn must be digits, got {rcn!r}")
        if not is_pic(pic):
            raise _FieldError("pic", f"pic must have 9 digits, got {pic!r}")
        if role not in _ROLES:
            raise _FieldError("role", f"unknown role {role!r}")
        if kind not in _KINDS:
            raise _FieldError("type", f"unknown activity type {kind!r} (HES, REC, PRC, PUB, OTH)")
        country = vocab.resolve("country", row["country"]) if row["country"] else None
        project = project_iri(rcn)
        org = pic_org(pic)
        if rcn not in seen_projects:
            seen_projects.add(rcn)
            record.add(project, t.TYPE, t.PROJECT)
            record.add(project, t.PREF_LABEL, t.text(untitled_project_label(
                rcn, programmes.get(rcn, []), _date(row["start_date"]), _date(row["end_date"]))))
            record.add(project, t.E_RCN, t.text(rcn))
            record.add(project, t.FRAMEWORK, t.text("H2020"))
            for column, prop in (("start_date", t.E_START), ("end_date", t.E_END)):
                value = _date(row[column])
                if value:
                    record.add(project, prop, t.date(value))
            for column, prop in (("total_cost", t.E_TOTAL_COST), ("max_contribution", t.EC_CONTRIBUTION)):
                amount = _amount(row.get(column, ""))
                if amount is not None:
                    record.add(project, prop, t.decimal(amount))
            for part in programmes.get(rcn, []):
                programme = entity_iri("programme", "h2020", slug(part))
                record.add(project, t.FUNDED_UNDER, programme)
                record.add(programme, t.TYPE, t.PROGRAMME)
                record.add(programme, t.PREF_LABEL, t.text(f"H2020 {H2020_PARTS.get(part, part)}"))
                record.add(programme, t.NOTATION, t.text(part))
        if pic not in seen_orgs:
            seen_orgs.add(pic)
            record.add(org, t.TYPE, t.ORGANIZATION)
            record.add(org, t.PREF_LABEL, t.text(unnamed_org_label(pic, country, kind)))
            record.add(org, t.PIC, t.text(pic))
            record.add(org, t.KIND, t.org_kind(kind))
            record.add(org, t.COUNTRY_P, country)
        participation = entity_iri("participation", "rcn", rcn, pic, role)
        record.add(participation, t.TYPE, t.PARTICIPATION)
        record.add(participation, t.PARTICIPANT, org)
        record.add(participation, t.IN_PROJECT, project)
        record.add(participation, t.PART_ROLE, t.role(role))
        contribution = _amount(row["contribution"])
        if contribution is not None:
            record.add(participation, t.EC_CONTRIBUTION, t.decimal(contribution))


class _FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class CordisCompositeReader(SourceReader):
    """Folder with ``projects.csv`` (objectives), ``participations.csv`` and ``organisations.csv``."""

    kind = "cordis-composite"

    @classmethod
    def detect(cls, path: Path) -> bool:
        return path.is_dir() and all((path / name).is_file() for name in COMPOSITE_FILES) and (
            "objective" in _header(path / "projects.csv")
        )

    def files(self) -> list[Path]:
        return [self.path / name for name in COMPOSITE_FILES]

    def default_name(self) -> str:
        return "cordis-composite"

    def read(self) -> Iterator[MappedRecord | Rejection]:
        vocab = vocabularies()
        keys: dict[str, ox.NamedNode] = {}
        projects_path, participations_path = self.files()
        with projects_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                location = Location(str(projects_path), line=reader.line_num)
                try:
                    record = MappedRecord(location)
                    keys[row["project_id"]] = self._project(row, record)
                except ValueError as exc:
                    yield Rejection(location, getattr(exc, "field", None), str(exc))
                    continue
                yield record
        seen_orgs: set[str] = set()
        with participations_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                location = Location(str(participations_path), line=reader.line_num)
                project = keys.get(row["project_id"])
                if project is None:
                    yield Rejection(location, "project_id", f"project {row['project_id']!r} is not in projects.csv")
                    continue
                try:
                    record = MappedRecord(location)
                    self._participation(row, project, record, vocab, seen_orgs)
                except ValueError as exc:
                    yield Rejection(location, getattr(exc, "field", None), str(exc))
                    continue
                yield record

    @staticmethod
    def _project(row: dict[str, str], record: MappedRecord) -> ox.NamedNode:
        if not row["project_id"]:
            raise _FieldError("project_id", "project_id is empty")
        s = project_iri(row["rcn"], row["project_id"], row["framework"])
        title = row["title"].strip() or f"{row['framework'] or 'CORDIS'} project {row['project_id']}"
        record.add(s, t.TYPE, t.PROJECT)
        record.add(s, t.PREF_LABEL, t.text(title))
        if row["title"].strip():
            record.add(s, t.E_TITLE, t.text(row["title"].strip()))
        record.add(s, t.E_IDENTIFIER, t.text(row["project_id"]))
        if row["rcn"]:
            record.add(s, t.E_RCN, t.text(row["rcn"]))
        if row["acronym"].strip():
            record.add(s, t.E_ACRONYM, t.text(row["acronym"].strip()))
        if row["objective"].strip():
            record.add(s, t.OBJECTIVE, t.text(row["objective"].strip()))
        if row["framework"]:
            record.add(s, t.FRAMEWORK, t.text(row["framework"]))
        for column, prop in (("start_date", t.E_START), ("end_date", t.E_END)):
            try:
                value = _date(row[column])
            except ValueError as exc:
                raise _FieldError(column, str(exc)) from None
            if value:
                record.add(s, prop, t.date(value))
        return s

    @staticmethod
    def _participation(row, project, record, vocab, seen_orgs) -> None:  # type: ignore[no-untyped-def]
        key = row["org_key"]
        if key.startswith("PIC:"):
            if not is_pic(row["pic"]):
                raise _FieldError("pic", f"pic must have 9 digits, got {row['pic']!r}")
            org = pic_org(row["pic"])
        elif key.startswith("NAME:"):
            org = entity_iri("org", "cordis-name", key[5:])
        else:
            raise _FieldError("org_key", f"org_key must start with PIC: or NAME:, got {key!r}")
        role = row["role"]
        if role not in _ROLES:
            raise _FieldError("role", f"unknown role {role!r}")
        if key not in seen_orgs:
            seen_orgs.add(key)
            name = row["org_name"].strip()
            record.add(org, t.TYPE, t.ORGANIZATION)
            if name:
                record.add(org, t.PREF_LABEL, t.text(name))
                record.add(org, t.LEGAL_NAME, t.text(name))
            if row["pic"]:
                record.add(org, t.PIC, t.text(row["pic"]))
            if row["activity_type"]:
                if row["activity_type"] not in _KINDS:
                    raise _FieldError("activity_type", f"unknown activity type {row['activity_type']!r}")
                record.add(org, t.KIND, t.org_kind(row["activity_type"]))
            country = None
            if row["country"]:
                try:
                    country = vocab.resolve("country", row["country"])
                except ValueError as exc:
                    raise _FieldError("country", str(exc)) from None
                record.add(org, t.COUNTRY_P, country)
            if not name:
                label = unnamed_org_label(row["pic"], country, row["activity_type"]) if row["pic"] else (
                    "unnamed organisation" + (f", {country_names().get(country.value, '')}" if country else ""))
                record.add(org, t.PREF_LABEL, t.text(label))
            if row["sme"] in {"True", "False"}:
                record.add(org, t.IS_SME, t.boolean(row["sme"] == "True"))
        project_key = project.value.rsplit("/project/", 1)[-1]
        if project_key.startswith("rcn/") and key.startswith("PIC:"):
            participation = entity_iri("participation", project_key, row["pic"], role)  # same node as H2020
        else:
            participation = entity_iri("participation", project_key, slug(key), role)
        record.add(participation, t.TYPE, t.PARTICIPATION)
        record.add(participation, t.PARTICIPANT, org)
        record.add(participation, t.IN_PROJECT, project)
        record.add(participation, t.PART_ROLE, t.role(role))
        try:
            contribution = _amount(row["ec_contribution"])
        except (ValueError, InvalidOperation):
            raise _FieldError("ec_contribution", f"not an amount: {row['ec_contribution']!r}") from None
        if contribution is not None:
            record.add(participation, t.EC_CONTRIBUTION, t.decimal(contribution))
