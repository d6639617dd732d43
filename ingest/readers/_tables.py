"""The file kinds of our tabular format and how each row maps to the ontology.

One ``Table`` per entity kind. A source folder holds any of ``organisations``,
``research_units``, ``offers``, ``requests``, ``partnerships``, ``memberships``,
``projects``, ``participations`` (``.csv``, ``.json`` or ``.jsonl``). The README's
column reference is generated from these definitions (``innograph formats``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ingest.readers import _columns as c
from ingest.readers import _terms as t
from ingest.readers._model import MappedRecord
from ontology._keys import entity_iri, org_iri, slug

Row = dict[str, Any]


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    id_columns: tuple[str, ...]
    columns: tuple[c.Column, ...]
    map_row: Callable[[Row, MappedRecord], None]

    def column(self, name: str) -> c.Column:
        return next(col for col in self.columns if col.name == name)


C = c.Column
_ORG_KIND = c.concept("org-kind")


def _organisation(row: Row, rec: MappedRecord, kind_default: str | None = None) -> None:
    key: str = row.get("org_id") or row["unit_id"]
    s = org_iri(key)
    rec.add(s, t.TYPE, t.ORGANIZATION)
    kind = row.get("kind") or (t.org_kind(kind_default) if kind_default else None)
    parent = row.get("parent_org_id")
    if parent is not None:
        rec.add(s, t.TYPE, t.UNIT)
        rec.add(s, t.UNIT_OF, parent)
    rec.add(s, t.PREF_LABEL, t.text(row["name"]))
    for alt in [row.get("short_name"), *row.get("other_names", [])]:
        if alt:
            rec.add(s, t.ALT_LABEL, t.text(alt))
    rec.add(s, t.KIND, kind)
    rec.add(s, t.COUNTRY_P, row.get("country"))
    rec.add(s, t.REGION, row.get("nuts"))
    if key.startswith("pic:"):
        rec.add(s, t.PIC, t.text(key[4:]))
    if row.get("registration_id"):
        rec.add(s, t.TYPE, t.REGISTERED_ORG)
        rec.add(s, t.REG_NUMBER, t.text(row["registration_id"]))
        rec.add(s, t.LEGAL_NAME, t.text(row["name"]))
    if row.get("sme") is not None:
        rec.add(s, t.IS_SME, t.boolean(row["sme"]))
    rec.add(s, t.HOMEPAGE, row.get("website"))
    if row.get("description"):
        rec.add(s, t.D_DESCRIPTION, t.text(row["description"]))
    for field in row.get("fields", []):
        rec.add(s, t.FIELD, field)
    for sector in row.get("sectors", []):
        rec.add(s, t.SECTOR, sector)
    for competence in row.get("competences", []):
        tech = entity_iri("technology", slug(competence))
        rec.add(tech, t.TYPE, t.TECHNOLOGY)
        rec.add(tech, t.PREF_LABEL, t.text(competence))
        rec.add(s, t.HAS_COMPETENCE, tech)
    if row.get("illustrative") is not None:
        rec.add(s, t.ILLUSTRATIVE, t.boolean(row["illustrative"]))
    if row.get("evidence"):
        rec.add(s, t.EVIDENCE, t.text(row["evidence"]))


def _offer_or_request(row: Row, rec: MappedRecord, *, request: bool) -> None:
    ident = row["request_id" if request else "offer_id"]
    s = entity_iri("request" if request else "offer", ident)
    rec.add(s, t.TYPE, t.REQUEST if request else t.OFFER)
    rec.add(row["org_id"], t.NEEDS if request else t.OFFERS, s)
    rec.add(s, t.D_IDENTIFIER, t.text(ident))
    rec.add(s, t.D_TITLE, t.text(row["title"]))
    rec.add(s, t.D_DESCRIPTION, t.text(row["description"]))
    if request:
        rec.add(s, t.DESIRED_TRL, row.get("desired_trl"))
        rec.add(s, t.REGION, row.get("nuts"))
    else:
        rec.add(s, t.TRL, row.get("trl"))
        rec.add(s, t.IPR, row.get("ipr_status"))
    for field in row.get("fields", []):
        rec.add(s, t.FIELD, field)
    for sector in row.get("sectors", []):
        rec.add(s, t.SECTOR, sector)
    for word in row.get("keywords", []):
        rec.add(s, t.KEYWORD, t.text(word))
    rec.add(s, t.ILLUSTRATIVE, t.boolean(bool(row.get("illustrative"))))


def _partnership(row: Row, rec: MappedRecord) -> None:
    s = entity_iri("partnership", row["partnership_id"])
    rec.add(s, t.TYPE, t.COLLABORATION)
    rec.add(s, t.PREF_LABEL, t.text(row["name"]))
    if row.get("description"):
        rec.add(s, t.D_DESCRIPTION, t.text(row["description"]))
    for objective in row.get("objectives", []):
        rec.add(s, t.OBJECTIVE, t.text(objective))
    for area in row.get("action_areas", []):
        rec.add(s, t.ACTION_AREA, area)
    rec.add(s, t.D_SOURCE, row.get("source"))
    if row.get("evidence"):
        rec.add(s, t.EVIDENCE, t.text(row["evidence"]))


def _membership(row: Row, rec: MappedRecord) -> None:
    member_key = row["org_id"]
    s = entity_iri("membership", row["partnership_id"], slug(member_key))
    rec.add(s, t.TYPE, t.MEMBERSHIP)
    rec.add(s, t.MEMBER, org_iri(member_key))
    rec.add(s, t.MEMBER_OF_ORG, entity_iri("partnership", row["partnership_id"]))
    rec.add(s, t.ROLE, row.get("role"))
    if row.get("evidence"):
        rec.add(s, t.EVIDENCE, t.text(row["evidence"]))


def _cordis_link(row: Row, rec: MappedRecord) -> None:
    """A reviewed link from one of our organisations to the CORDIS organisation node of its PIC."""
    pic = row["pic"]
    if not pic.isdigit() or len(pic) != 9:
        raise ValueError(f"pic must have 9 digits, got {pic!r}")
    rec.add(row["org_id"], t.CORDIS_RECORD, org_iri(f"pic:{pic}"))


def project_iri(project_id: str) -> Any:
    return entity_iri("project", "id", project_id)


def _project(row: Row, rec: MappedRecord) -> None:
    s = project_iri(row["project_id"])
    rec.add(s, t.TYPE, t.PROJECT)
    rec.add(s, t.PREF_LABEL, t.text(row["title"]))
    rec.add(s, t.E_TITLE, t.text(row["title"]))
    rec.add(s, t.E_IDENTIFIER, t.text(row["project_id"]))
    if row.get("acronym"):
        rec.add(s, t.E_ACRONYM, t.text(row["acronym"]))
    if row.get("objective"):
        rec.add(s, t.OBJECTIVE, t.text(row["objective"]))
    if row.get("framework"):
        rec.add(s, t.FRAMEWORK, t.text(row["framework"]))
    if row.get("start_date"):
        rec.add(s, t.E_START, t.date(row["start_date"]))
    if row.get("end_date"):
        rec.add(s, t.E_END, t.date(row["end_date"]))
    if row.get("total_cost") is not None:
        rec.add(s, t.E_TOTAL_COST, t.decimal(row["total_cost"]))
    if row.get("ec_contribution") is not None:
        rec.add(s, t.EC_CONTRIBUTION, t.decimal(row["ec_contribution"]))
    for field in row.get("fields", []):
        rec.add(s, t.FIELD, field)
    if row.get("programme"):
        programme = entity_iri("programme", slug(row["programme"]))
        rec.add(programme, t.TYPE, t.PROGRAMME)
        rec.add(programme, t.PREF_LABEL, t.text(row["programme"]))
        rec.add(programme, t.NOTATION, t.text(slug(row["programme"])))
        rec.add(s, t.FUNDED_UNDER, programme)


def _participation(row: Row, rec: MappedRecord) -> None:
    org_key = row["org_id"]
    s = entity_iri("participation", "id", row["project_id"], slug(org_key), row["role"].value.rsplit("/", 1)[-1])
    rec.add(s, t.TYPE, t.PARTICIPATION)
    rec.add(s, t.PARTICIPANT, org_iri(org_key))
    rec.add(s, t.IN_PROJECT, project_iri(row["project_id"]))
    rec.add(s, t.PART_ROLE, row["role"])
    if row.get("ec_contribution") is not None:
        rec.add(s, t.EC_CONTRIBUTION, t.decimal(row["ec_contribution"]))


_ORG_COLUMNS = (
    C("name", "Display name in its own language", "Oficiul de Stat pentru Invenții și Mărci", required=True,
      max_length=500),
    C("short_name", "Acronym or short name", "OSIM", max_length=100),
    C("other_names", "Other names (e.g. in Romanian or English), '|'-separated", "State Office for Inventions and "
      "Trademarks", multi=True, max_length=2000),
    C("kind", "Organisation kind (igv:org-kind notation)", "patent-office", parse=_ORG_KIND),
    C("country", "Country, CORDIS two-letter code", "RO", parse=c.concept("country")),
    C("nuts", "NUTS 2021 code of its seat, any level", "RO321", parse=c.concept("nuts2021")),
    C("registration_id", "National trade-register or fiscal number", "RO4266197", max_length=64),
    C("website", "Home page", "https://osim.ro", parse=c.url, max_length=2000),
    C("sme", "SME as defined by Recommendation 2003/361/EC", "false", parse=c.boolean),
    C("description", "What it does, in a few sentences", "", max_length=20_000),
    C("fields", "EuroSciVoc fields (code, label or IRI), '|'-separated", "/21/33", multi=True,
      parse=c.concept("euroscivoc")),
    C("sectors", "NACE Rev.2 / CAEN codes, '|'-separated", "72.19|0111", multi=True, parse=c.concept("nace2")),
    C("competences", "Technologies or competences it masters, '|'-separated", "grain drying|heat pumps",
      multi=True, max_length=5000),
    C("illustrative", "true for invented example records (never real data)", "false", parse=c.boolean),
    C("evidence", "Verbatim passage of the source document this record comes from", "", max_length=5000),
)

TABLES: dict[str, Table] = {
    "organisations": Table(
        "organisations",
        "Organisations of any kind; directorates and other units name their parent.",
        ("org_id",),
        (
            C("org_id", "Natural key: 'pic:' + 9-digit PIC, or a lowercase slug", "osim", required=True,
              parse=c.key),
            C("parent_org_id", "Organisation this one is a unit of", "", parse=c.org_ref),
            *_ORG_COLUMNS,
        ),
        _organisation,
    ),
    "research_units": Table(
        "research_units",
        "Research units inside an organisation (laboratories, departments, centres).",
        ("unit_id",),
        (
            C("unit_id", "Natural key of the unit (slug)", "upb-csit", required=True, parse=c.key),
            C("parent_org_id", "Organisation the unit belongs to", "pic:999865100", required=True,
              parse=c.org_ref),
            *_ORG_COLUMNS,
        ),
        lambda row, rec: _organisation(row, rec, kind_default="research-unit"),
    ),
    "offers": Table(
        "offers",
        "Technology offers (supply).",
        ("offer_id",),
        (
            C("offer_id", "Natural key of the offer", "offer-solar-dryer", required=True, parse=c.key),
            C("org_id", "Organisation or research unit that offers it", "upb-csit", required=True,
              parse=c.org_ref),
            C("title", "Short title", "Solar-assisted grain dryer", required=True, max_length=500),
            C("description", "What is offered and for whom", "", required=True),
            C("trl", "Technology readiness level reached, 1-9", "6", parse=c.concept("trl")),
            C("ipr_status", "igv:ipr-status notation", "patent-granted", parse=c.concept("ipr-status")),
            C("fields", "EuroSciVoc fields, '|'-separated", "", multi=True, parse=c.concept("euroscivoc")),
            C("sectors", "NACE Rev.2 / CAEN codes, '|'-separated", "01.61", multi=True,
              parse=c.concept("nace2")),
            C("keywords", "Free keywords, '|'-separated", "drying|solar", multi=True, max_length=2000),
            C("illustrative", "true for invented example records (never real data)", "true", parse=c.boolean),
        ),
        lambda row, rec: _offer_or_request(row, rec, request=False),
    ),
    "requests": Table(
        "requests",
        "Technology requests (demand).",
        ("request_id",),
        (
            C("request_id", "Natural key of the request", "need-grain-drying", required=True, parse=c.key),
            C("org_id", "Organisation that has the need", "example-agro-sme", required=True, parse=c.org_ref),
            C("title", "Short title", "Cheaper grain drying without gas", required=True, max_length=500),
            C("description", "The need in the requester's own words (Romanian or English)", "",
              required=True),
            C("desired_trl", "Lowest acceptable TRL, 1-9", "7", parse=c.concept("trl")),
            C("nuts", "Where the need is, NUTS 2021 code", "RO21", parse=c.concept("nuts2021")),
            C("fields", "EuroSciVoc fields, '|'-separated", "", multi=True, parse=c.concept("euroscivoc")),
            C("sectors", "NACE Rev.2 / CAEN codes, '|'-separated", "01.11", multi=True,
              parse=c.concept("nace2")),
            C("keywords", "Free keywords, '|'-separated", "", multi=True, max_length=2000),
            C("illustrative", "true for invented example records (never real data)", "true", parse=c.boolean),
        ),
        lambda row, rec: _offer_or_request(row, rec, request=True),
    ),
    "partnerships": Table(
        "partnerships",
        "Partnerships and consortia outside EU projects.",
        ("partnership_id",),
        (
            C("partnership_id", "Natural key", "union-of-innovation", required=True, parse=c.key),
            C("name", "Name", "Union of innovation", required=True, max_length=500),
            C("description", "What it is", ""),
            C("objectives", "Objectives, '|'-separated", "", multi=True),
            C("action_areas", "igv:action-area notations, '|'-separated", "", multi=True,
              parse=c.concept("action-area")),
            C("source", "IRI of the founding document", "", parse=c.url, max_length=2000),
            C("evidence", "Verbatim passage of the source document", "", max_length=5000),
        ),
        _partnership,
    ),
    "memberships": Table(
        "memberships",
        "Who is a member of which partnership, in which role.",
        ("partnership_id", "org_id"),
        (
            C("partnership_id", "Partnership", "union-of-innovation", required=True, parse=c.key),
            C("org_id", "Member organisation", "osim", required=True, parse=c.key),
            C("role", "igv:member-role notation", "member", parse=c.concept("member-role")),
            C("evidence", "Verbatim passage of the source document", "", max_length=5000),
        ),
        _membership,
    ),
    "projects": Table(
        "projects",
        "Projects outside the CORDIS extracts (national or regional funding).",
        ("project_id",),
        (
            C("project_id", "Natural key", "asviloc-plus", required=True, parse=c.key),
            C("title", "Title", "", required=True, max_length=1000),
            C("acronym", "Acronym", "ASVILOC PLUS", max_length=100),
            C("objective", "Objective text", ""),
            C("framework", "Framework or programme family", "SEE", max_length=100),
            C("programme", "Funding programme name", "South East Europe Transnational Cooperation Programme",
              max_length=500),
            C("start_date", "YYYY-MM-DD", "", parse=c.iso_date),
            C("end_date", "YYYY-MM-DD", "", parse=c.iso_date),
            C("total_cost", "Total cost in euro", "", parse=c.amount),
            C("ec_contribution", "EU contribution in euro", "", parse=c.amount),
            C("fields", "EuroSciVoc fields, '|'-separated", "", multi=True, parse=c.concept("euroscivoc")),
        ),
        _project,
    ),
    "cordis_links": Table(
        "cordis_links",
        "Reviewed links from an organisation to its CORDIS record (PIC), with the evidence for each.",
        ("org_id", "pic"),
        (
            C("org_id", "Organisation (our id)", "adr-vest", required=True, parse=c.org_ref),
            C("pic", "Its 9-digit CORDIS PIC", "999548141", required=True),
            C("evidence", "Why the link holds (name, city, seat)", "", max_length=2000),
        ),
        _cordis_link,
    ),
    "participations": Table(
        "participations",
        "Organisations taking part in the projects above.",
        ("project_id", "org_id", "role"),
        (
            C("project_id", "Project", "asviloc-plus", required=True, parse=c.key),
            C("org_id", "Organisation", "pic:999918293", required=True, parse=c.key),
            C("role", "igv:role notation", "participant", required=True, parse=c.concept("role")),
            C("ec_contribution", "EU contribution in euro", "", parse=c.amount),
        ),
        _participation,
    ),
}
