"""What a member's offer or request is made of: its fields, their RDF terms, its statuses.

Why one table (``FIELDS``): the API schema, the validation errors (which name the field), the
RDF written, the history's "what changed" and the read model all speak of the same fields;
one mapping keeps them from drifting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pyoxigraph as ox

from ontology import entity_iri
from ontology._namespaces import DCTERMS, GRAPH, IG, PROV, RDF, VOCAB

Kind = Literal["offer", "request"]
STATUSES = ("draft", "published", "expired", "withdrawn")
STATUS_PREFIX = f"{VOCAB}record-status/"
#: Where members' records live: one named graph per organisation (``member/osim``).
MEMBER_GRAPH_PREFIX = f"{GRAPH}member/"
MAX_TITLE = 500
MAX_DESCRIPTION = 20_000
MAX_KEYWORDS = 30
MAX_KEYWORD = 100
MAX_CODES = 20


def n(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


TYPE, TITLE, DESCRIPTION, IDENTIFIER = n(RDF.type), n(DCTERMS.title), n(DCTERMS.description), n(DCTERMS.identifier)
PUBLISHER, CREATED, MODIFIED = n(DCTERMS.publisher), n(DCTERMS.created), n(DCTERMS.modified)
ATTRIBUTED = n(PROV.wasAttributedTo)
STATUS, EXPIRES, ILLUSTRATIVE = n(IG.status), n(IG.expires), n(IG.illustrative)
CLASS = {"offer": n(IG.TechnologyOffer), "request": n(IG.TechnologyRequest)}
LINK = {"offer": n(IG.offers), "request": n(IG.needs)}


@dataclass(frozen=True)
class Field:
    """One field of the API and the predicate it is written with."""

    name: str
    predicate: ox.NamedNode
    scheme: str | None = None  # a vocabulary the values are resolved in (422 naming the field if unknown)
    multi: bool = False
    kinds: tuple[Kind, ...] = ("offer", "request")


FIELDS = (
    Field("title", TITLE),
    Field("description", DESCRIPTION),
    Field("trl", n(IG.trl), "trl", kinds=("offer",)),
    Field("ipr_status", n(IG.iprStatus), "ipr-status", kinds=("offer",)),
    Field("desired_trl", n(IG.desiredTrl), "trl", kinds=("request",)),
    Field("region", n(IG.region), "nuts2021", kinds=("request",)),
    Field("fields", n(IG.field), "euroscivoc", multi=True),
    Field("sectors", n(IG.sector), "nace2", multi=True),
    Field("keywords", n(IG.keyword), multi=True),
    Field("expires", EXPIRES),
    Field("status", STATUS),
)
BY_NAME = {f.name: f for f in FIELDS}
#: SHACL sh:name (shapes.ttl) -> API field, so a shape's violation names the field the caller sent.
SHAPE_NAMES = {"title": "title", "description": "description", "TRL": "trl", "IPR status": "ipr_status",
               "desired TRL": "desired_trl", "region": "region", "field of science": "fields",
               "sector": "sectors", "keyword": "keywords", "status": "status", "expiry date": "expires"}


def fields_of(kind: Kind) -> list[Field]:
    return [f for f in FIELDS if kind in f.kinds]


def record_iri(kind: Kind, record_id: str) -> ox.NamedNode:
    return entity_iri(kind, record_id)


def member_graph(org_id: str) -> ox.NamedNode:
    """The named graph of one organisation's own records (``pic/999918293`` -> ``member/pic-999918293``)."""
    return ox.NamedNode(MEMBER_GRAPH_PREFIX + org_id.replace("/", "-"))


@dataclass
class Record:
    """An offer or request as the API shows it (values as codes, not IRIs)."""

    id: str
    iri: str
    kind: Kind
    organisation: str
    title: str
    description: str
    status: str
    effective_status: str  # ``expired`` once the expiry date passed, whatever ``status`` says
    expires: str | None
    created: str | None
    modified: str | None
    illustrative: bool
    managed: bool  # kept through the API (a member graph); False: loaded from a source file
    sources: list[str]
    etag: str
    trl: int | None = None
    ipr_status: str | None = None
    desired_trl: int | None = None
    region: str | None = None
    fields: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


@dataclass
class Change:
    """One entry of a record's history."""

    at: str
    action: str
    by: str  # a pseudonym of the API key (its id and name stay in the key file: operational data)
    changed: list[str]
    record: dict[str, object]
