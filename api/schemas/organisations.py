"""GET /organisations/{id}."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import ConceptRef, EntityRef


class ProjectRole(BaseModel):
    """The organisation's part in one project."""

    model_config = ConfigDict(from_attributes=True)

    project: EntityRef
    acronym: str | None
    role: ConceptRef | None = Field(description="coordinator, participant, partner ... (GET /vocabularies/role)")
    ec_contribution: float | None = Field(description="EU contribution to this participant, in euro.")
    start_date: str | None
    end_date: str | None


class Partner(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    organisation: EntityRef
    shared_projects: int


class OfferOrRequest(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    iri: str
    title: str
    trl: ConceptRef | None = Field(description="Offers: TRL reached; requests: lowest TRL wanted.")
    illustrative: bool = Field(description="True for invented example records, never real data.")


class Membership(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    iri: str
    partnership: EntityRef
    role: ConceptRef | None
    evidence: str | None = Field(description="The passage of the founding text this membership comes from.")


class ProjectPage(BaseModel):
    """The organisation's projects, newest start date first (limit/offset of the request)."""

    data: list[ProjectRole]
    count: int
    limit: int
    offset: int


class Placement(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    method: str | None = Field(description="coordinates, postcode or city; null when unplaced.")
    evidence: str | None = Field(description="The source fact the county was derived from.")
    unplaced_reason: str | None = Field(description="Why no county could be found.")


class OrganisationPublic(BaseModel):
    """What the graph knows about one organisation, joined over every source."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "osim", "iri": "https://w3id.org/innograph/id/org/osim",
                    "name": "State Office for Inventions and Trademarks", "other_names": ["OSIM"],
                    "kind": {"iri": "https://w3id.org/innograph/vocab/org-kind/patent-office",
                             "notation": "patent-office", "label": "patent office"},
                    "country": {"iri": "http://publications.europa.eu/resource/authority/country/ROU",
                                "notation": "RO", "label": "Romania"},
                    "region": {"iri": "http://data.europa.eu/nuts/code/RO321", "notation": "RO321",
                               "label": "Bucureşti"},
                    "is_unit": False, "parent": None, "pic": None, "registration_number": None, "website": None,
                    "description": None, "sme": None, "illustrative": False,
                    "evidence": "State Office for Inventions and Trademarks (OSIM)", "units": [], "fields": [],
                    "sectors": [], "competences": [],
                    "projects": {"data": [], "count": 0, "limit": 20, "offset": 0},
                    "partners": [], "partners_count": 0, "offers": [], "requests": [],
                    "memberships": [
                        {"iri": "https://w3id.org/innograph/id/membership/union-of-innovation/osim",
                         "partnership": {"iri": "https://w3id.org/innograph/id/partnership/union-of-innovation",
                                         "label": "Union of innovation", "id": None},
                         "role": {"iri": "https://w3id.org/innograph/vocab/member-role/member",
                                  "notation": "member", "label": "member"},
                         "evidence": "State Office for Inventions and Trademarks (OSIM)"}
                    ],
                    "sources": ["https://w3id.org/innograph/graph/union-of-innovation"],
                }
            ]
        },
    )

    id: str
    iri: str
    name: str
    other_names: list[str] = Field(description="Short names, legal names, names in other languages.")
    kind: ConceptRef | None = Field(description="Organisation kind (GET /vocabularies/org-kind).")
    country: ConceptRef | None
    region: ConceptRef | None = Field(description="NUTS 2021 region of its seat (none for CORDIS H2020 rows).")
    is_unit: bool = Field(description="True for research units and directorates (see parent).")
    parent: EntityRef | None
    pic: str | None = Field(description="EU Participant Identification Code.")
    registration_number: str | None
    website: str | None
    description: str | None
    sme: bool | None
    illustrative: bool
    evidence: str | None
    units: list[EntityRef]
    fields: list[ConceptRef] = Field(description="EuroSciVoc fields of science.")
    sectors: list[ConceptRef] = Field(description="NACE Rev.2 sectors.")
    competences: list[str]
    projects: ProjectPage
    partners: list[Partner] = Field(description="Top 50 organisations by number of shared projects.")
    partners_count: int = Field(description="All organisations sharing at least one project.")
    offers: list[OfferOrRequest]
    requests: list[OfferOrRequest]
    memberships: list[Membership] = Field(description="Partnerships it is a member of, with its role.")
    sources: list[str] = Field(description="Named graphs (sources) that state something about it.")
    short_name: str | None = Field(default=None, description="Short name or acronym declared in CORDIS.")
    address: str | None = Field(default=None, description="Postal address from the CORDIS organisation directory.")
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    cordis_records: list[EntityRef] = Field(
        default_factory=list,
        description="Its CORDIS organisation records (by PIC), from the reviewed data/union-of-innovation/cordis_links.csv.",
    )
    record_of: list[EntityRef] = Field(
        default_factory=list, description="Our organisations (partnership members) this CORDIS record belongs to."
    )
    placement: Placement | None = Field(
        default=None,
        description="How its county (region) was found: method coordinates, postcode or city, with the evidence; "
        "or why a Romanian organisation could not be placed.",
    )
