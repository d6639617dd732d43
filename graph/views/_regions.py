"""Supply and demand of a NUTS region and every region under it.

Why "under it": a broker asking about Nord-Est (RO21) means its six counties too, so an
organisation counts for a region when its ``ig:region`` is that region or any narrower one
(``skos:broader*``).

Why the country level differs: the CORDIS H2020 table gives an organisation's country but no
NUTS region, so its Romanian participants (about 500 organisations in the bundled data) cannot
be placed in a development region or county. The summary of ``RO`` (the country) therefore
also counts organisations whose country is Romania and that have no NUTS region; sub-regions
(RO1, RO21, RO321 ...) count only organisations with a NUTS region.
``organisations_by_country_only`` says how many of a summary's organisations were counted so.

>>> from graph.store import GraphStore
>>> region_summary(GraphStore(None), "RO99")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
common.errors.NotFoundError: no NUTS 2021 region with code 'RO99'; ...
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import cast

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict, Field

from common.errors import NotFoundError
from graph.store import GraphStore
from graph.views import _queries as q
from graph.views._labels import ConceptRef, concept_ref
from ontology._namespaces import IG, ORG, RDF, SKOS, VOCAB

_RESEARCH_UNIT = f"{VOCAB}org-kind/research-unit"
_BROADER = ox.NamedNode(str(SKOS.broader))
_TYPE = ox.NamedNode(str(RDF.type))
_ORGANIZATION = ox.NamedNode(str(ORG.Organization))
_KIND = ox.NamedNode(str(IG.kind))
_REGION = ox.NamedNode(str(IG.region))
_OFFERS = ox.NamedNode(str(IG.offers))
_NEEDS = ox.NamedNode(str(IG.needs))
_PARTICIPANT = ox.NamedNode(str(IG.participant))
_IN_PROJECT = ox.NamedNode(str(IG.inProject))
_EC = ox.NamedNode(str(IG.ecContribution))
# Organisations by kind (issue 11's map "by kind"): a CORDIS activity type and the project's narrower kinds
# under it (ontology/vocab/org-kinds.ttl). The map (graph.network._supply_demand) shows them beside supply and demand,
# not added to them: a university is already a research unit there, an SME already demand.
KIND_GROUPS = {
    "universities": frozenset({"HES", "university"}),
    "research_organisations": frozenset({"REC", "research-institute"}),
    "public_bodies": frozenset({"PUB", "ministry", "directorate", "national-authority", "agency",
                                "regional-development-agency", "patent-office"}),
    "companies": frozenset({"PRC", "sme", "large-company"}),
}
_IS_SME = ox.NamedNode(str(IG.isSME))
_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
COUNTRY_NOTE = (
    "CORDIS H2020 organisations have a country but no NUTS region; the CORDIS organisation directory places "
    "most named Romanian ones in a county (coordinates, postcode or city, shown as each organisation's "
    "placement). The country-level summary (RO) also includes the Romanian ones without a county; "
    "sub-regions count only organisations with a NUTS region."
)


# One definition for this read model and the API (api.schemas.regions re-exports it): the field
# descriptions and the example are the OpenAPI document's.
class KindCount(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

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


def region_codes(store: GraphStore) -> list[str]:
    """Every NUTS 2021 code in the store, sorted (RO, RO1, RO11, RO111 ...)."""
    return [row["code"].value for row in q.select(store, q.REGION_CODES)]


def _unknown(store: GraphStore, code: str) -> NotFoundError:
    codes = region_codes(store)
    by_level: dict[int, list[str]] = {}
    for c in codes:
        by_level.setdefault(len(c), []).append(c)
    examples = ", ".join(level[0] for _, level in sorted(by_level.items())) or "none loaded"
    return NotFoundError(
        f"no NUTS 2021 region with code {code!r}; valid codes look like {examples} "
        f"({len(codes)} Romanian codes are loaded: see GET /vocabularies/nuts2021)"
    )


def find_region(store: GraphStore, code: str) -> ox.NamedNode:
    """The NUTS concept of ``code`` (any case); ``NotFoundError`` listing valid examples otherwise."""
    rows = q.select(store, q.REGION_BY_CODE, code=ox.Literal(code.strip().upper()))
    if not rows:
        raise _unknown(store, code)
    return cast(ox.NamedNode, rows[0]["region"])


def _objects(store: GraphStore, subject: ox.NamedNode, predicate: ox.NamedNode) -> set[_Term]:
    return {quad.object for quad in store.oxigraph.quads_for_pattern(subject, predicate, None, None)}


def region_summary(store: GraphStore, code: str) -> RegionSummary:
    """Counts of organisations by kind, research units, offers, requests, projects and EC money."""
    region = find_region(store, code)
    located = {row["o"] for row in q.select(store, q.REGION_ORGS_BY_NUTS, region=region)}
    by_country = {row["o"] for row in q.select(store, q.REGION_ORGS_BY_COUNTRY, region=region)} - located
    by_kind: dict[str | None, int] = {}
    offers: set[_Term] = set()
    requests = {row["request"] for row in q.select(store, q.REGION_REQUESTS_OWN, region=region)}
    contributions: dict[_Term, Decimal] = {}
    projects: set[_Term] = set()
    organisations = 0
    groups = dict.fromkeys((*KIND_GROUPS, "smes"), 0)
    for org in located | by_country:
        if not isinstance(org, ox.NamedNode) or not _objects(store, org, _TYPE) & {_ORGANIZATION}:
            continue
        organisations += 1
        kinds_of: list[str | None] = [k.value for k in _objects(store, org, _KIND) if isinstance(k, ox.NamedNode)]
        for key in kinds_of or [None]:
            by_kind[key] = by_kind.get(key, 0) + 1
        notations = {k.rsplit("/", 1)[-1] for k in kinds_of if k}
        flags = _objects(store, org, _IS_SME)
        sme = "sme" in notations or any(isinstance(f, ox.Literal) and f.value in ("true", "1") for f in flags)
        for group, members in KIND_GROUPS.items():
            groups[group] += bool(notations & members) or (group == "companies" and sme)
        groups["smes"] += sme
        offers |= _objects(store, org, _OFFERS)
        requests |= {r for r in _objects(store, org, _NEEDS) if isinstance(r, ox.NamedNode)
                     and not _objects(store, r, _REGION)}
        for quad in store.oxigraph.quads_for_pattern(None, _PARTICIPANT, org, None):
            part = quad.subject
            amounts = [_decimal(a) for a in _objects(store, part, _EC) if isinstance(a, ox.Literal)]  # type: ignore[arg-type]
            contributions[part] = max(amounts, default=Decimal(0))
            projects |= _objects(store, part, _IN_PROJECT)  # type: ignore[arg-type]
    broader = _objects(store, region, _BROADER)
    narrower = q.select(store, q.REGION_CHILDREN, region=region)
    kinds = sorted(by_kind.items(), key=lambda item: (-item[1], item[0] or ""))
    return RegionSummary(
        region=concept_ref(store, region.value),
        broader=concept_ref(store, min(broader, key=str).value) if broader else None,  # type: ignore[union-attr]
        narrower=[concept_ref(store, row["sub"].value) for row in narrower],
        organisations=organisations,
        organisations_by_kind=[KindCount(kind=concept_ref(store, kind) if kind else None, organisations=n)
                               for kind, n in kinds],
        organisations_by_country_only=len(by_country),
        **groups,
        research_units=by_kind.get(_RESEARCH_UNIT, 0),
        offers=len(offers),
        requests=len(requests),
        projects=len(projects),
        participations=len(contributions),
        ec_contribution=float(sum(contributions.values(), Decimal(0))),  # summed exactly, answered as a number
        note=COUNTRY_NOTE,
    )


def _decimal(term: ox.Literal | None) -> Decimal:
    if term is None:
        return Decimal(0)
    try:
        return Decimal(term.value)
    except InvalidOperation:
        return Decimal(0)
