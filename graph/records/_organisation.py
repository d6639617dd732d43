"""A member edits its own organisation's profile: ``PATCH /organisations/{id}``.

What a member may state: description, competences (free keywords, ``ig:keyword``), fields
(EuroSciVoc), sectors (NACE), region (NUTS 2021) and website (``foaf:homepage``). Contact
details are NOT part of it: they are private operational data and never enter the graph.

How the member's statements relate to the bundled sources (the decision):

- they are written about the organisation's own IRI in its member graph
  (``graph/member/<org>``), in one transaction with a PROV ``ig:RecordChange`` (pseudonymous
  agent, as for offers and requests: ``graph.records._service``), which is the history;
- the sources' statements are never deleted or changed: they stay in their own graphs
  (CORDIS, the directory tables ...), so ``GRAPH ?g`` still tells who said what;
- the profile view (``GET /organisations/{id}``) shows the member's value FIRST: for the
  single-valued description, website and region the member's value is the one shown
  (the source's stays queryable in its graph); fields, sectors and competences are the
  union of the sources' and the member's;
- SHACL validates the organisation as the view sees it: the member's values in place of the
  sources' for the fields the member set, the rest of the sources' statements beside them;
  only violations on the member's own fields refuse the edit (``_validate_org``);
- matching: the edit moves the organisation's rows in the loaded indexes at once, without a
  rebuild, as offers and requests do (``graph.records._follow.apply_organisation``: its profile
  read from the whole store, all graphs, exactly as a full build reads it). The member's
  description is indexed BESIDE the source's (both texts) and its competences beside the linked
  technologies.
  Known limitation: in the union of all graphs an organisation may then carry two
  descriptions / regions / websites (the source's and the member's); the profile view picks
  the member's, the matching region filter takes whichever comes first.

The ETag is a hash of every statement about the organisation in every graph except the
history, so a re-ingest of a source changes it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox

from common.errors import InvalidInputError, NotFoundError
from graph.records import _model as m
from graph.records._service import Actor, RecordService, _check_precondition, _etag, _terms
from graph.store import PROVENANCE_GRAPH, GraphStore
from graph.views import entity_queries as eq
from graph.views import organisation_iri
from ingest.loading import shapes
from ontology._namespaces import FOAF, IG

HOMEPAGE = m.n(FOAF.homepage)
MAX_WEBSITE = 500
#: The fields a member may set on its organisation (None clears the member's own value).
ORG_FIELDS = (
    m.Field("description", m.DESCRIPTION),
    m.Field("competences", m.n(IG.keyword), multi=True),
    m.Field("fields", m.n(IG.field), "euroscivoc", multi=True),
    m.Field("sectors", m.n(IG.sector), "nace2", multi=True),
    m.Field("region", m.n(IG.region), "nuts2021"),
    m.Field("website", HOMEPAGE),
)
ORG_BY_NAME = {f.name: f for f in ORG_FIELDS}


@dataclass
class OwnProfile:
    """What the organisation's members stated themselves (codes, not IRIs), and its ETag."""

    organisation: str
    iri: str
    etag: str
    description: str | None = None
    website: str | None = None
    region: str | None = None
    competences: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)


def organisation_etag(store: Any, org: ox.NamedNode) -> str:
    """The version of everything the store says about ``org`` (history excluded)."""
    quads = [q for q in store.oxigraph.quads_for_pattern(org, None, None, None) if q.graph_name != PROVENANCE_GRAPH]
    return _etag(quads)


def own_profile(records: RecordService, org_id: str) -> OwnProfile:
    org = _existing(records, org_id)
    graph = m.member_graph(org_id)
    values: dict[str, list[str]] = {}
    for quad in records.store.oxigraph.quads_for_pattern(org, None, None, graph):
        for spec in ORG_FIELDS:
            if quad.predicate == spec.predicate:
                values.setdefault(spec.name, []).append(quad.object.value)  # type: ignore[union-attr]
    def one(name: str) -> str | None:
        found = sorted(values.get(name, []))
        return found[0] if found else None

    region = one("region")
    return OwnProfile(organisation=org_id, iri=org.value, etag=organisation_etag(records.store, org),
                      description=one("description"), website=one("website"),
                      region=region.rstrip("/").rsplit("/", 1)[-1] if region else None,
                      competences=sorted(values.get("competences", [])), fields=sorted(values.get("fields", [])),
                      sectors=sorted(values.get("sectors", [])))


def edit_organisation(records: RecordService, org_id: str, actor: Actor, if_match: str | None,
                      values: dict[str, Any]) -> OwnProfile:
    """Set the given fields of the member's own statements about ``org_id`` (one transaction, PROV, history)."""
    org = _existing(records, org_id)
    actor.check(org_id)
    graph = m.member_graph(org_id)
    for name in values:
        if name not in ORG_BY_NAME:
            raise InvalidInputError(name, "is not a field of an organisation's own profile")
    with records._lock:
        _check_precondition(if_match, organisation_etag(records.store, org))
        old = set(records.store.oxigraph.quads_for_pattern(org, None, None, graph))
        touched = {ORG_BY_NAME[name].predicate for name in values}
        new = {q for q in old if q.predicate not in touched}
        for name, value in values.items():
            new |= {ox.Quad(org, ORG_BY_NAME[name].predicate, t, graph) for t in _org_terms(records.store, name, value)}
        # in the validated graph itself (the shapes read only that one): the organisation as the view sees it
        stated = touched | {q.predicate for q in new}  # the member's values stand in for the sources' ones
        context = {ox.Quad(q.subject, q.predicate, q.object, graph)
                   for q in records.store.oxigraph.quads_for_pattern(org, None, None, None)
                   if q.graph_name not in (graph, PROVENANCE_GRAPH) and q.predicate not in stated}
        _validate_org(records.store, org, graph, new | context)
        records._commit("offer", org, org_id, old, new, actor, "update-organisation", sorted(values))
    return own_profile(records, org_id)


def _validate_org(store: GraphStore, org: ox.NamedNode, graph: ox.NamedNode, quads: set[ox.Quad]) -> None:
    """SHACL on the organisation as the view will see it; only the constraints on the member's fields count.

    Why filtered: the sources may disagree among themselves (two names from two tables), which is
    for their editors to settle; a member must not be blocked by it, nor slip past the rules of
    what it states itself (one region, one website, a NUTS concept ...).
    """
    scratch = ox.Store()
    scratch.extend(quads)
    refs = {q.object for q in quads if isinstance(q.object, ox.NamedNode)}  # the concepts' types, as records do
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in store.types_of(refs, exclude=graph))
    mine = {spec.predicate.value: spec.name for spec in ORG_FIELDS}
    for violation in shapes().validate(scratch, graph):
        name = mine.get((violation.path or "").strip("^<>"))
        if violation.severity == "Violation" and name is not None and violation.focus_node in (org.value, str(org)):
            raise InvalidInputError(name, violation.message)


def _org_terms(store: GraphStore, name: str, value: Any) -> list[ox.NamedNode | ox.Literal]:
    if value is None or value == []:
        return []
    spec = ORG_BY_NAME[name]
    items = list(value) if spec.multi else [value]
    if name == "competences" and len(items) > m.MAX_KEYWORDS:
        raise InvalidInputError("competences", f"at most {m.MAX_KEYWORDS} competences")
    if name == "website":
        url = str(value).strip()
        parts = urlsplit(url)
        if len(url) > MAX_WEBSITE or parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
            raise InvalidInputError("website", f"{url[:80]!r} is not an absolute http(s) address "
                                    f"(at most {MAX_WEBSITE} characters)")
        try:
            return [ox.NamedNode(url)]
        except ValueError:
            raise InvalidInputError("website", f"{url[:80]!r} is not a valid address") from None
    return _terms(store, "offer", spec, items)


def _existing(records: RecordService, org_id: str) -> ox.NamedNode:
    org = organisation_iri(org_id)
    if not eq.ask(records.store, eq.ORG_EXISTS, org=org):
        raise NotFoundError(f"no organisation with id {org_id!r} ({org.value})")
    return org
