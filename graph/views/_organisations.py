"""The profile of one organisation: who it is, where, its units, projects, partners, offers, needs.

Why one function and not one query: the profile joins facts from several sources (CORDIS
gives PIC, kind and projects; our tables give names, regions, units, memberships), each
part is a small indexed query bound to the organisation (``graph.views._queries``), and
labels are read per resource on the page only. On the full bundled data a profile of an
organisation with hundreds of projects takes tens of milliseconds.

>>> from graph.store import GraphStore
>>> organisation_profile(GraphStore(None), "osim")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
common.errors.NotFoundError: no organisation with id 'osim' ...
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from common.errors import NotFoundError
from graph.store import GraphStore
from graph.views import _queries as q
from graph.views._labels import (
    ALT_LABEL,
    LEGAL_NAME,
    PREF_LABEL,
    ConceptRef,
    concept_ref,
    display_label,
    entity_ref,
    literals,
    pick_label,
)
from graph.views._organisation_model import (
    Membership,
    OfferOrRequest,
    OrganisationProfile,
    Partner,
    Placement,
    ProjectPage,
    ProjectRole,
)
from ontology import organisation_iri as _organisation_iri
from ontology._namespaces import DCTERMS, FOAF, GRAPH, IG, LOCN, ORG, RDF

#: Most partners listed in a profile (the busiest organisations have thousands).
TOP_PARTNERS = 50

_P = {name: str(term) for name, term in {
    "type": RDF.type, "kind": IG.kind, "country": IG.country, "region": IG.region, "unit_of": ORG.unitOf,
    "pic": IG.pic, "registration": IG.registrationNumber, "sme": IG.isSME, "homepage": FOAF.homepage,
    "description": DCTERMS.description, "field": IG.field, "sector": IG.sector,
    "competence": IG.hasCompetence, "illustrative": IG.illustrative, "evidence": IG.evidence,
    "short": IG.shortName, "method": IG.placementMethod, "placed_from": IG.placementEvidence,
    "unplaced": IG.unplacedReason, "lat": IG.latitude, "lon": IG.longitude, "address": LOCN.address,
    "cordis": IG.cordisRecord,
}.items()}
_CORDIS_RECORD = ox.NamedNode(str(IG.cordisRecord))
_FULL_ADDRESS = ox.NamedNode(str(LOCN.fullAddress))
_POST_NAME = ox.NamedNode(str(LOCN.postName))
_OFFERS = str(IG.offers)
_UNIT = str(ORG.OrganizationalUnit)
_ACRONYM = ox.NamedNode(str(IG.acronym))
#: The organisation's own statements (``PATCH /organisations/{id}``, graph.records._organisation):
#: shown first, in place of the sources' single values; the sources' stay in their graphs.
_MEMBER_GRAPHS = f"{GRAPH}member/"
_KEYWORD = str(IG.keyword)




def organisation_iri(org_id: str) -> ox.NamedNode:
    """The IRI of ``org_id`` (``osim``, ``pic/999918293``); ``NotFoundError`` when it cannot be one."""
    try:
        return _organisation_iri(org_id)
    except ValueError:
        raise NotFoundError(f"no organisation with id {org_id!r}: it contains characters no IRI may hold") from None


def organisation_profile(
    store: GraphStore, org_id: str, *, projects_limit: int = 20, projects_offset: int = 0
) -> OrganisationProfile:
    """Everything the graph says about one organisation; projects paginated, newest first."""
    org = organisation_iri(org_id)
    if not q.ask(store, q.ORG_EXISTS, org=org):
        raise NotFoundError(f"no organisation with id {org_id!r} ({org.value})")
    facts: dict[str, list[ox.NamedNode | ox.Literal]] = {}
    own: dict[str, list[ox.NamedNode | ox.Literal]] = {}
    sources: set[str] = set()
    for quad in store.oxigraph.quads_for_pattern(org, None, None, None):
        facts.setdefault(quad.predicate.value, []).append(quad.object)  # type: ignore[arg-type]
        if isinstance(quad.graph_name, ox.NamedNode):
            sources.add(quad.graph_name.value)
            if quad.graph_name.value.startswith(_MEMBER_GRAPHS):
                own.setdefault(quad.predicate.value, []).append(quad.object)  # type: ignore[arg-type]

    def values(name: str) -> list[str]:
        return sorted({term.value for term in facts.get(_P[name], [])})

    def first(name: str) -> str | None:
        mine = sorted(term.value for term in own.get(_P[name], []))  # the member's own value first
        found = mine or values(name)
        return found[0] if found else None

    def concept(name: str) -> ConceptRef | None:
        iri = first(name)
        return concept_ref(store, iri) if iri else None

    names = literals(store, org.value, PREF_LABEL) + literals(store, org.value, LEGAL_NAME)
    alternatives = literals(store, org.value, ALT_LABEL)
    name = pick_label(names, frozenset(lit.value for lit in alternatives)) or org_id
    others = {lit.value for lit in names + alternatives} - {name}
    parent = first("unit_of")
    projects = _projects(store, org, projects_limit, projects_offset)
    partners, partners_count = _partners(store, org)
    offers, requests = _offers_and_requests(store, org)
    sme = first("sme")
    return OrganisationProfile(
        id=org_id,
        iri=org.value,
        name=name,
        other_names=sorted(others),
        kind=concept("kind"),
        country=concept("country"),
        region=concept("region"),
        is_unit=_UNIT in values("type"),
        parent=entity_ref(store, parent) if parent else None,
        pic=first("pic"),
        registration_number=first("registration"),
        website=first("homepage"),
        description=first("description"),
        sme=None if sme is None else sme == "true",
        illustrative=first("illustrative") == "true",
        evidence=first("evidence"),
        units=[entity_ref(store, row["unit"].value) for row in q.select(store, q.ORG_UNITS, org=org)],
        fields=[concept_ref(store, iri) for iri in values("field")],
        sectors=[concept_ref(store, iri) for iri in values("sector")],
        competences=sorted(set(filter(None, (display_label(store, iri) for iri in values("competence"))))
                           | {term.value for term in own.get(_KEYWORD, [])}),
        projects=projects,
        partners=partners,
        partners_count=partners_count,
        offers=offers,
        requests=requests,
        memberships=_memberships(store, org),
        sources=sorted(sources),
        short_name=first("short"),
        **_address(store, first("address")),
        latitude=_float(first("lat")),
        longitude=_float(first("lon")),
        placement=Placement(method=first("method"), evidence=first("placed_from"), unplaced_reason=first("unplaced"))
        if first("method") or first("unplaced") else None,
        cordis_records=[entity_ref(store, iri) for iri in values("cordis")],
        record_of=sorted({entity_ref(store, q.subject.value)  # type: ignore[union-attr]
                          for q in store.oxigraph.quads_for_pattern(None, _CORDIS_RECORD, org, None)},
                         key=lambda ref: ref.iri),
    )


def _float(value: str | None) -> float | None:
    return float(value) if value is not None else None


def _address(store: GraphStore, address: str | None) -> dict[str, str | None]:
    """Full address and city of the directory's address node (``locn:address``), if any."""
    if address is None:
        return {"address": None, "city": None}
    full, city = literals(store, address, _FULL_ADDRESS), literals(store, address, _POST_NAME)
    return {"address": full[0].value if full else None, "city": city[0].value if city else None}


def _amount(term: ox.Literal | None) -> float | None:
    """Euro, as the API answers them (JSON numbers); None for a value that is no decimal."""
    if term is None:
        return None
    try:
        return float(Decimal(term.value))
    except InvalidOperation:
        return None


def _projects(store: GraphStore, org: ox.NamedNode, limit: int, offset: int) -> ProjectPage:
    rows = q.select(store, q.ORG_PROJECTS, org=org)
    # newest first; projects without a start date last; then by IRI for a stable order
    rows.sort(key=lambda r: r["project"].value)
    rows.sort(key=lambda r: r["start"].value if r["start"] is not None else "", reverse=True)
    page: list[ProjectRole] = []
    for row in rows[offset : offset + limit]:
        project = row["project"].value
        acronyms = literals(store, project, _ACRONYM)
        role = row["role"]
        page.append(
            ProjectRole(
                project=entity_ref(store, project),
                acronym=acronyms[0].value if acronyms else None,
                role=concept_ref(store, role.value) if role is not None else None,
                ec_contribution=_amount(row["ec"]),
                start_date=row["start"].value if row["start"] is not None else None,
                end_date=row["end"].value if row["end"] is not None else None,
            )
        )
    return ProjectPage(data=page, count=len(rows), limit=limit, offset=offset)


def _partners(store: GraphStore, org: ox.NamedNode) -> tuple[list[Partner], int]:
    rows = q.select(store, q.ORG_PARTNERS, org=org)
    rows.sort(key=lambda r: (-int(r["shared"].value), r["other"].value))
    top = [
        Partner(organisation=entity_ref(store, row["other"].value), shared_projects=int(row["shared"].value))
        for row in rows[:TOP_PARTNERS]
    ]
    return top, len(rows)


def _offers_and_requests(store: GraphStore, org: ox.NamedNode) -> tuple[list[OfferOrRequest], list[OfferOrRequest]]:
    offers: list[OfferOrRequest] = []
    requests: list[OfferOrRequest] = []
    for row in q.select(store, q.ORG_OFFERS_REQUESTS, org=org):
        item = row["item"].value
        trl = row["trl"]
        entry = OfferOrRequest(
            iri=item,
            title=row["title"].value if row["title"] is not None else item.rsplit("/", 1)[-1],
            trl=concept_ref(store, trl.value) if trl is not None else None,
            illustrative=row["illustrative"] is not None and row["illustrative"].value == "true",
        )
        (offers if row["rel"].value == _OFFERS else requests).append(entry)
    return offers, requests


def _memberships(store: GraphStore, org: ox.NamedNode) -> list[Membership]:
    out: list[Membership] = []
    for row in q.select(store, q.ORG_MEMBERSHIPS, org=org):
        role = row["role"]
        evidence = row["evidence"]
        out.append(
            Membership(
                iri=row["membership"].value,
                partnership=entity_ref(store, row["partnership"].value),
                role=concept_ref(store, role.value) if role is not None else None,
                evidence=evidence.value if evidence is not None else None,
            )
        )
    return out
