"""Whether a key's organisation and region exist in the graph (``innograph keys create``).

Why a separate check from ``api.keys.check_binding_form``: the key file is managed beside a
running server, and the CLI may be run on a folder whose store is not built yet; the form is
always checked, existence only when a store is there to ask.
"""

from __future__ import annotations

from common.errors import NotFoundError
from graph import _entity_queries as q
from graph.organisations import organisation_iri
from graph.regions import region_codes
from graph.store import GraphStore


def check_binding(store: GraphStore, organisation: str | None, region: str | None) -> None:
    """``NotFoundError`` naming what is unknown: the organisation id, or the NUTS code."""
    if organisation is not None:
        org = organisation_iri(organisation)
        if not q.ask(store, q.ORG_EXISTS, org=org):
            raise NotFoundError(f"organisation: no organisation with id {organisation!r} ({org.value}) in the store; "
                                "see GET /organisations/{id} or `innograph stats`")
    if region is not None:
        codes = region_codes(store)
        if region not in codes:
            raise NotFoundError(f"region: no NUTS 2021 region with code {region!r} in the store "
                                f"(known: {', '.join(codes[:6]) or 'none loaded'} ...)")
