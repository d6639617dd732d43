"""Who owns an offer or request, and where an organisation is: the one lookup behind members'
records (``graph.records``: may this key change it?) and expressions of interest
(``graph.operations``: who receives it, which brokers' regions see it).

Why here, in the read models: both rooms need the same answer and ``graph.operations`` sits below
``graph.records``; two copies of the query (one with ``rdf:type``, one without) had started to
disagree on what counts as an offer.

>>> from graph.store import GraphStore
>>> record_owner(GraphStore(None), "offer", "no-such-offer") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox

from graph.store import GraphStore
from graph.views import _queries as q
from ontology import entity_iri, organisation_id
from ontology._namespaces import IG

OwnedKind = Literal["offer", "request"]
_CLASS = {"offer": str(IG.TechnologyOffer), "request": str(IG.TechnologyRequest)}


@dataclass(frozen=True)
class RecordOwner:
    """An offer or request with its owner and the facts a caller decides on (title, status, expiry)."""

    iri: ox.NamedNode
    owner: str
    """The owner's API id (``osim``, ``pic/999918293``); its IRI when it is not one of ours."""
    owner_iri: ox.NamedNode
    title: str | None
    status: str | None
    """The IRI of its ``ig:status`` (None: published)."""
    expires: str | None


def record_owner(store: GraphStore, kind: OwnedKind, record_id: str) -> RecordOwner | None:
    """The offer or request ``record_id`` and the organisation that offers or needs it; None if there is none."""
    try:
        iri = entity_iri(kind, record_id)
    except ValueError:  # characters no IRI may hold: no such record
        return None
    rows = [r for r in q.select(store, q.RECORD_OWNER, item=iri) if r["type"].value == _CLASS[kind]]
    if not rows:
        return None
    row = rows[0]
    owner = row["owner"]
    assert isinstance(owner, ox.NamedNode)  # the subject of ig:offers / ig:needs

    def value(name: str) -> str | None:
        term = row[name]
        return term.value if term is not None else None

    return RecordOwner(iri=iri, owner=organisation_id(owner.value) or owner.value, owner_iri=owner,
                       title=value("title"), status=value("status"), expires=value("expires"))


def region_codes_of(store: GraphStore, org: ox.NamedNode) -> set[str]:
    """The NUTS codes of ``org``'s region and of every region above it (``RO213``, ``RO21``, ``RO2``, ``RO``)."""
    rows = q.select(store, q.ORG_REGION_CODES, org=org)
    return {row["code"].value for row in rows if row["code"] is not None}
