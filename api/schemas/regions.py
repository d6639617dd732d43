"""GET /regions/{nuts}."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import ConceptRef


class KindCount(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: ConceptRef | None = Field(description="Organisation kind; null for organisations without one.")
    organisations: int


class RegionSummary(BaseModel):
    """Supply and demand located in a region and every region under it."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "region": {"iri": "http://data.europa.eu/nuts/code/RO21", "notation": "RO21", "label": "Nord-Est"},
                    "broader": {"iri": "http://data.europa.eu/nuts/code/RO2", "notation": "RO2",
                                "label": "Macroregiunea Doi"},
                    "narrower": [{"iri": "http://data.europa.eu/nuts/code/RO211", "notation": "RO211",
                                  "label": "Bacău"}],
                    "organisations": 2,
                    "organisations_by_kind": [
                        {"kind": {"iri": "https://w3id.org/innograph/vocab/org-kind/sme", "notation": "sme",
                                  "label": "SME"}, "organisations": 1}
                    ],
                    "organisations_by_country_only": 0, "universities": 0, "research_organisations": 0,
                    "public_bodies": 1, "companies": 1, "smes": 1, "research_units": 0, "offers": 0, "requests": 2,
                    "projects": 0, "participations": 0, "ec_contribution": 0.0,
                    "note": "CORDIS H2020 organisations have a country but no NUTS region; the CORDIS organisation directory ...",
                }
            ]
        },
    )

    region: ConceptRef
    broader: ConceptRef | None
    narrower: list[ConceptRef] = Field(description="The regions directly under this one.")
    organisations: int = Field(description="Organisations located here or in a region under it.")
    organisations_by_kind: list[KindCount]
    organisations_by_country_only: int = Field(
        description="Of those, organisations with only a country (CORDIS H2020): counted at country level only."
    )
    universities: int = Field(description="Organisations of kind HES (higher education) or university.")
    research_organisations: int = Field(description="Organisations of kind REC or research institute.")
    public_bodies: int = Field(description="Organisations of kind PUB or a public body under it (ministry, agency ...).")
    companies: int = Field(description="Organisations of kind PRC (private for-profit), SMEs included.")
    smes: int = Field(description="SMEs: kind sme or the CORDIS SME flag.")
    research_units: int
    offers: int = Field(description="Technology offers of the organisations located here.")
    requests: int = Field(description="Technology requests located here (their own NUTS code, else the requester's).")
    projects: int = Field(description="Projects with at least one participant located here.")
    participations: int
    ec_contribution: float = Field(description="EU contribution to the participants located here, in euro.")
    note: str
