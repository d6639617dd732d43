"""One organisation's own offers and requests, a page at a time: the list behind "my records".

Why a listing of its own and not a search: a member keeps its records through the API and must
find them again (drafts, expired and withdrawn ones included, which search and matching leave
out) from any browser, not only the one that published them. The status is computed as the
record service shows it (``effective_status``: a published record past its expiry date is
expired), in SPARQL, so the filter and the count agree with each record read afterwards.

>>> from graph.store import GraphStore
>>> organisation_records(RecordService(GraphStore(None)), "osim")
Traceback (most recent call last):
common.errors.NotFoundError: organisation: no organisation with id 'osim' (https://w3id.org/innograph/id/org/osim) in the store
"""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox

from common.errors import InvalidInputError, NotFoundError
from graph.records import _model as m
from graph.records import _queries as q
from graph.records._service import RecordService
from graph.views import entity_queries as eq
from graph.views import organisation_iri
from ontology import entity_prefix
from ontology._namespaces import XSD

_KIND_OF = {m.CLASS["offer"].value: "offer", m.CLASS["request"].value: "request"}


def organisation_records(records: RecordService, org_id: str, kind: m.Kind | None = None, status: str | None = None,
                         limit: int = 20, offset: int = 0, today: date | None = None) -> tuple[list[m.Record], int]:
    """(the page of records, how many match) of ``org_id``'s offers and requests, newest change first.

    ``kind`` (offer, request) and ``status`` (draft, published, expired, withdrawn: the effective
    status as of ``today``) narrow the list; ``limit`` 0 gives the count alone. Each record is read
    whole (with its ETag), as ``GET /offers/{id}`` gives it.
    """
    if status is not None and status not in m.STATUSES:
        raise InvalidInputError("status", f"{status!r}: give one of {', '.join(m.STATUSES)}")
    org = organisation_iri(org_id)
    if not eq.ask(records.store, eq.ORG_EXISTS, org=org):
        raise NotFoundError(f"organisation: no organisation with id {org_id!r} ({org.value}) in the store")
    day = ox.Literal((today or date.today()).isoformat(), datatype=ox.NamedNode(str(XSD.date)))
    latest: dict[str, tuple[str, str, str]] = {}  # item -> (modified, kind, effective status)
    for row in records.store.select(q.ORGANISATION_RECORDS, {"org": org, "today": day}):
        item_kind = _KIND_OF.get(row["type"].value)
        if item_kind is None:
            continue
        modified = row["modified"].value if row["modified"] is not None else ""
        item = row["item"].value
        if item not in latest or modified > latest[item][0]:
            latest[item] = (modified, item_kind, row["effective"].value)
    chosen = [(modified, item, item_kind) for item, (modified, item_kind, effective) in latest.items()
              if (kind is None or item_kind == kind) and (status is None or effective == status)]
    chosen.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)  # newest change first, then by IRI
    page = chosen[offset:offset + limit] if limit else []
    out: list[m.Record] = []
    for _, item, item_kind in page:
        out.append(records.get(item_kind, item.removeprefix(entity_prefix(item_kind))))  # type: ignore[arg-type]
    return out, len(chosen)
