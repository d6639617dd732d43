"""The organisation profile as a typed result: what ``organisation_profile`` returns and, field for
field, what ``GET /organisations/{id}`` answers (``api.schemas.organisations`` derives from it).

Why pydantic here and not a dataclass: the read model and the API's schema were two copies of the
same fields (issue 14); one definition with its field descriptions serves both sides, and the
OpenAPI document is generated from it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from graph.views._labels import ConceptRef, EntityRef

_REF = ConfigDict(frozen=True, from_attributes=True)


class ProjectRole(BaseModel):
    """The organisation's part in one project."""

    model_config = _REF

    project: EntityRef
    acronym: str | None
    role: ConceptRef | None = Field(description="coordinator, participant, partner ... (GET /vocabularies/role)")
    ec_contribution: float | None = Field(description="EU contribution to this participant, in euro.")
    start_date: str | None
    end_date: str | None


class Partner(BaseModel):
    model_config = _REF

    organisation: EntityRef
    shared_projects: int


class OfferOrRequest(BaseModel):
    model_config = _REF

    iri: str
    title: str
    trl: ConceptRef | None = Field(description="Offers: TRL reached; requests: lowest TRL wanted.")
    illustrative: bool = Field(description="True for invented example records, never real data.")


class Membership(BaseModel):
    model_config = _REF

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


#: How an organisation's county was found (ingest.readers.cordis_organisations), or why it was not
#: (no docstring: it would become the schema's description, which the OpenAPI document never had).
class Placement(BaseModel):
    model_config = _REF

    method: str | None = Field(description="coordinates, postcode or city; null when unplaced.")
    evidence: str | None = Field(description="The source fact the county was derived from.")
    unplaced_reason: str | None = Field(description="Why no county could be found.")


class OrganisationProfile(BaseModel):
    """What the graph knows about one organisation, joined over every source."""

    model_config = ConfigDict(from_attributes=True)

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
