"""Members' offers and requests: create, edit, renew, withdraw, read, history.

How a change is written (``RecordService._commit``), all or nothing:

1. the caller may act for the record's organisation (a member key only for its own:
   ``NotYourOrganisationError`` naming the rule; editors and admins for any);
2. the values are resolved in the bundled vocabularies (an unknown sector code is a 422 naming
   ``sectors``) and checked (expiry in the future, texts within their limits);
3. the record's new version is validated against ``ontology/shapes.ttl`` in a scratch store,
   with the types it points to copied from the store as context (as ingest does); a violation
   is a 422 naming the field (the shape's ``sh:name`` mapped to the API's field);
4. ONE SPARQL update removes the old version from the organisation's graph
   (``graph/member/<org>``), inserts the new one and the PROV record of the change
   (``ig:RecordChange``: who = the API key, when, which record, what changed and the record
   as it stood afterwards, which is the history). Nothing is written if any step fails.

Optimistic concurrency: a record's ETag is a hash of everything the store says about it, so
any change by anyone gives a new ETag; an edit must send the ETag it read (``If-Match``) and
a stale one is refused (412) under the service lock, so two edits can never both pass.

Records loaded from source files (the illustrative data, an editor's upload) are read here
too, but only a source re-ingest changes them (409): they stay exactly as their source, and
illustrative, says. A member's record is ``ig:illustrative false``, ``dcterms:publisher`` and
``prov:wasAttributedTo`` its organisation: published by that organisation, nothing more.

What follows a change (``graph.records._follow``): the matching indexes in place, the SPARQL
replica (told at once; until it has replayed the change queries read the disk store, so SPARQL
sees the change immediately), and every cache keyed on the store generation (network,
statistics, the Cypher projection) on its next use, since the change adds a PROV run.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

import pyoxigraph as ox

from common.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    NotYourOrganisationError,
    PermissionDeniedError,
    PreconditionFailedError,
    PreconditionRequiredError,
)
from graph.records import _model as m
from graph.records import _queries as q
from graph.store import PROVENANCE_GRAPH, GraphStore
from graph.store import diff_update as _diff_update
from graph.views import entity_queries as eq
from graph.views import organisation_iri, record_owner, resolve_codes
from ingest.loading import shapes
from ontology import entity_iri
from ontology._keys import check_local_key
from ontology._namespaces import IG, PROV, XSD

_DATE, _DATETIME = m.n(XSD.date), m.n(XSD.dateTime)
_BOOLEAN = m.n(XSD.boolean)
#: The status value only ``withdraw`` writes (a PATCH cannot withdraw: DELETE does, with its own history entry).
WITHDRAW = "withdrawn (DELETE)"


class Actor:
    """Who changes a record: an API key's id, and the organisation a member key is bound to."""

    def __init__(self, key_id: str | None, organisation: str | None, any_organisation: bool,
                 pseudonym: str | None = None) -> None:
        if key_id is None:
            raise PermissionDeniedError("changing records needs an API key of role member or higher")
        self.key_id = key_id
        self.organisation = organisation
        self.any_organisation = any_organisation
        self.pseudonym = pseudonym or key_id

    @property
    def agent(self) -> ox.NamedNode:
        """The PROV agent: a pseudonym of the key, so the public graph never tells which key acts for which
        organisation (key bindings are operational data); the API maps it back for owners and editors."""
        return entity_iri("agent", f"key-{self.pseudonym}")

    def check(self, org_id: str) -> None:
        """``NotYourOrganisationError`` unless this actor may change ``org_id``'s records."""
        if self.any_organisation or self.organisation == org_id:
            return
        raise NotYourOrganisationError(
            f"rule member-own-organisation: key {self.key_id} is a member key of organisation "
            f"{self.organisation!r} and may change only that organisation's records; this one belongs to "
            f"{org_id!r} (editors may change any organisation's records)"
        )


class RecordService:
    """Members' records over one store; ``follow`` applies each change to derived structures."""

    def __init__(self, store: GraphStore, expiry_months: int = 12,
                 follow: Callable[[Callable[[], None], ox.NamedNode], None] | None = None) -> None:
        self.store = store
        self.expiry_months = expiry_months
        self._follow = follow
        self._lock = threading.Lock()

    # --- reading ---------------------------------------------------------------------------

    def owner(self, kind: m.Kind, record_id: str) -> tuple[ox.NamedNode, str]:
        """(record IRI, organisation id) of an existing record; ``NotFoundError`` otherwise."""
        try:
            check_local_key(record_id)
        except ValueError:
            raise NotFoundError(f"no {kind} with id {record_id!r}") from None
        found = record_owner(self.store, kind, record_id)
        if found is None:
            raise NotFoundError(f"no {kind} with id {record_id!r} ({m.record_iri(kind, record_id).value})")
        return found.iri, found.owner

    def get(self, kind: m.Kind, record_id: str) -> m.Record:
        iri, org_id = self.owner(kind, record_id)
        return self._read(kind, record_id, iri, org_id)

    def history(self, kind: m.Kind, record_id: str) -> list[m.Change]:
        iri, _ = self.owner(kind, record_id)
        out = []
        for row in self.store.select(q.RECORD_HISTORY, {"item": iri, "prov": PROVENANCE_GRAPH}):
            note = json.loads(row["text"].value)
            out.append(m.Change(at=row["ended"].value, action=note["action"],
                                by=row["agent"].value.rsplit("/key-", 1)[-1],
                                changed=note["changed"], record=note["record"]))
        return out

    def _quads(self, iri: ox.NamedNode) -> list[ox.Quad]:
        about = list(self.store.oxigraph.quads_for_pattern(iri, None, None, None))
        links = [q for q in self.store.oxigraph.quads_for_pattern(None, None, iri, None)
                 if q.graph_name != PROVENANCE_GRAPH]  # the history's links are not the record
        return about + links

    def _read(self, kind: m.Kind, record_id: str, iri: ox.NamedNode, org_id: str) -> m.Record:
        quads = self._quads(iri)
        values: dict[ox.NamedNode, list[ox.NamedNode | ox.Literal]] = {}
        for quad in quads:
            if quad.subject == iri:
                values.setdefault(quad.predicate, []).append(quad.object)  # type: ignore[arg-type]

        def one(predicate: ox.NamedNode) -> str | None:
            found = sorted(v.value for v in values.get(predicate, []))
            return found[0] if found else None

        def many(predicate: ox.NamedNode) -> list[str]:
            return sorted({v.value for v in values.get(predicate, [])})

        status = (one(m.STATUS) or f"{m.STATUS_PREFIX}published").removeprefix(m.STATUS_PREFIX)
        expires = one(m.EXPIRES)
        effective = "expired" if status == "published" and expires and expires < date.today().isoformat() else status
        graphs = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
        record = m.Record(
            id=record_id, iri=iri.value, kind=kind, organisation=org_id, title=one(m.TITLE) or "",
            description=one(m.DESCRIPTION) or "", status=status, effective_status=effective, expires=expires,
            created=one(m.CREATED), modified=one(m.MODIFIED), illustrative=one(m.ILLUSTRATIVE) == "true",
            managed=any(g.startswith(m.MEMBER_GRAPH_PREFIX) for g in graphs), sources=graphs,
            etag=_etag(quads), fields=many(m.BY_NAME["fields"].predicate),
            sectors=many(m.BY_NAME["sectors"].predicate), keywords=many(m.BY_NAME["keywords"].predicate),
        )
        for name in ("trl", "desired_trl"):
            level = one(m.BY_NAME[name].predicate)
            setattr(record, name, int(level.rsplit("/", 1)[-1]) if level else None)
        for name in ("ipr_status", "region"):
            value = one(m.BY_NAME[name].predicate)
            setattr(record, name, value.rsplit("/", 1)[-1] if value else None)
        return record

    # --- writing ---------------------------------------------------------------------------

    def create(self, kind: m.Kind, actor: Actor, org_id: str | None, values: dict[str, Any]) -> m.Record:
        """A new record of ``org_id`` (a member's own organisation when None)."""
        org_id = org_id or actor.organisation
        if org_id is None:
            raise InvalidInputError("organisation", "say which organisation publishes the record (its id)")
        actor.check(org_id)
        org = organisation_iri(org_id)
        if not eq.ask(self.store, eq.ORG_EXISTS, org=org):
            raise InvalidInputError("organisation", f"no organisation with id {org_id!r} in the graph")
        for required in ("title", "description"):
            if not values.get(required):
                raise InvalidInputError(required, "is required and must not be empty")
        values = {"status": "published", **values}
        if "expires" not in values or values["expires"] is None:
            values["expires"] = _months_later(date.today(), self.expiry_months)
        record_id = f"{org_id.replace('/', '-')}-{secrets.token_hex(4)}"
        iri = m.record_iri(kind, record_id)
        now = _now()
        fixed: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [(iri, m.TYPE, m.CLASS[kind]), (iri, m.IDENTIFIER, ox.Literal(record_id)),
                 (iri, m.ILLUSTRATIVE, ox.Literal("false", datatype=_BOOLEAN)), (iri, m.PUBLISHER, org),
                 (iri, m.ATTRIBUTED, org), (iri, m.CREATED, now), (iri, m.MODIFIED, now), (org, m.LINK[kind], iri)]
        new = {ox.Quad(s, p, o, m.member_graph(org_id)) for s, p, o in fixed}
        new |= self._value_quads(kind, iri, m.member_graph(org_id), values)
        with self._lock:
            self._commit(kind, iri, org_id, set(), new, actor, "create", sorted(values))
            return self._read(kind, record_id, iri, org_id)

    def update(self, kind: m.Kind, record_id: str, actor: Actor, if_match: str | None,
               values: dict[str, Any], action: str = "update") -> m.Record:
        """Change the given fields (None clears an optional one); ``if_match`` must be the current ETag."""
        iri, org_id = self.owner(kind, record_id)
        actor.check(org_id)
        with self._lock:
            current = self._read(kind, record_id, iri, org_id)
            _check_precondition(if_match, current.etag)
            if not current.managed:
                raise ConflictError(f"{kind} {record_id} was loaded from a source file ({', '.join(current.sources)}): "
                                    "change it in that source and ingest it again")
            if current.status == "withdrawn":
                raise ConflictError(f"{kind} {record_id} was withdrawn by its organisation and can no longer be "
                                    "changed; publish a new one instead")
            for required in ("title", "description"):
                if required in values and not values[required]:
                    raise InvalidInputError(required, "is required and must not be empty")
            graph = m.member_graph(org_id)
            old = set(self.store.oxigraph.quads_for_pattern(iri, None, None, graph))
            old |= set(self.store.oxigraph.quads_for_pattern(None, None, iri, graph))  # the organisation's link
            touched = {m.BY_NAME[name].predicate for name in values} | {m.MODIFIED}
            kept = {q for q in old if q.subject != iri or q.predicate not in touched}
            new = kept | self._value_quads(kind, iri, graph, values)
            new.add(ox.Quad(iri, m.MODIFIED, _now(), graph))
            self._commit(kind, iri, org_id, old, new, actor, action, sorted(values))
            return self._read(kind, record_id, iri, org_id)

    def withdraw(self, kind: m.Kind, record_id: str, actor: Actor, if_match: str | None) -> m.Record:
        """Status withdrawn: out of matching at once, kept (and queryable) with its history."""
        return self.update(kind, record_id, actor, if_match, {"status": WITHDRAW}, "withdraw")

    def renew(self, kind: m.Kind, record_id: str, actor: Actor, if_match: str | None) -> m.Record:
        """A new expiry ``expiry_months`` from today; an expired record is published again."""
        values: dict[str, Any] = {"expires": _months_later(date.today(), self.expiry_months)}
        if self.get(kind, record_id).effective_status == "expired":
            values["status"] = "published"
        return self.update(kind, record_id, actor, if_match, values, "renew")

    def _value_quads(self, kind: m.Kind, iri: ox.NamedNode, graph: ox.NamedNode,
                     values: dict[str, Any]) -> set[ox.Quad]:
        """The quads of the given values; ``InvalidInputError`` naming the first field that is wrong."""
        allowed = {f.name for f in m.fields_of(kind)}
        out: set[ox.Quad] = set()
        for name, value in values.items():
            if name not in allowed:
                raise InvalidInputError(name, f"is not a field of a {kind}")
            spec = m.BY_NAME[name]
            if value is None or value == []:
                continue  # cleared
            items = list(value) if spec.multi else [value]
            for term in _terms(self.store, kind, spec, items):
                out.add(ox.Quad(iri, spec.predicate, term, graph))
        return out

    def _commit(self, kind: m.Kind, iri: ox.NamedNode, org_id: str, old: set[ox.Quad], new: set[ox.Quad],
                actor: Actor, action: str, changed: list[str]) -> None:
        _validate(self.store, iri, m.member_graph(org_id), new)
        graph = m.member_graph(org_id)
        stored = _canonical(new)
        run = entity_iri("run", "record", f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-{secrets.token_hex(3)}")
        snapshot: dict[str, list[str]] = {}
        for quad in sorted(stored, key=str):
            if quad.subject == iri:
                name = quad.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                snapshot.setdefault(name, []).append(quad.object.value)  # type: ignore[union-attr]
        note = json.dumps({"action": action, "changed": changed, "record": snapshot}, ensure_ascii=False,
                          sort_keys=True)
        p = PROVENANCE_GRAPH
        prov: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
                (run, m.TYPE, m.n(IG.RecordChange)), (run, m.TYPE, m.n(PROV.Activity)),
                (run, m.n(PROV.startedAtTime), _now()), (run, m.n(PROV.endedAtTime), _now()),
                (run, m.n(PROV.wasAssociatedWith), actor.agent), (run, m.n(IG.changedRecord), iri),
                (run, m.n(IG.updateText), ox.Literal(note)), (run, m.n(PROV.generated), graph),
                (graph, m.TYPE, m.n(IG.SourceGraph)), (graph, m.n(PROV.wasGeneratedBy), run)]
        inserts = (stored - old) | {ox.Quad(s, pr, o, p) for s, pr, o in prov}
        text = _diff_update(old - stored, inserts)

        def write() -> None:
            self.store.update(text)

        if self._follow is not None:
            self._follow(write, iri)
        else:
            write()


def _terms(store: GraphStore, kind: m.Kind, spec: m.Field, items: list[Any]) -> list[ox.NamedNode | ox.Literal]:
    if spec.name == "status":
        wanted = {"draft": "draft", "published": "published", WITHDRAW: "withdrawn"}.get(str(items[0]))
        if wanted is None:
            raise InvalidInputError("status", f"{items[0]!r}: PATCH may set draft or published; withdraw with DELETE")
        return [ox.NamedNode(m.STATUS_PREFIX + wanted)]
    if spec.name == "expires":
        day = items[0] if isinstance(items[0], date) else _parse_date(str(items[0]))
        if day <= date.today():
            raise InvalidInputError("expires", f"{day.isoformat()} is not in the future: give a later date, or "
                                    "leave it out for the default (renewable)")
        if day > _months_later(date.today(), 36):
            raise InvalidInputError("expires", "is more than 3 years ahead: renew the record instead")
        return [ox.Literal(day.isoformat(), datatype=_DATE)]
    if spec.scheme is not None:
        codes = [str(v) for v in items]
        if spec.name in ("trl", "desired_trl") and not all(c.isdigit() and 1 <= int(c) <= 9 for c in codes):
            raise InvalidInputError(spec.name, f"{codes[0]} is not a technology readiness level: give 1 to 9")
        if len(codes) > m.MAX_CODES:
            raise InvalidInputError(spec.name, f"at most {m.MAX_CODES} values")
        return [ox.NamedNode(c) for c in resolve_codes(store, spec.scheme, spec.name, codes)]
    texts = [str(v).strip() for v in items]
    limit = {"title": m.MAX_TITLE, "description": m.MAX_DESCRIPTION}.get(spec.name, m.MAX_KEYWORD)
    if spec.name == "keywords" and len(texts) > m.MAX_KEYWORDS:
        raise InvalidInputError("keywords", f"at most {m.MAX_KEYWORDS} keywords")
    for text in texts:
        if not text:
            raise InvalidInputError(spec.name, "must not be empty")
        if len(text) > limit:
            raise InvalidInputError(spec.name, f"is {len(text):,} characters long; at most {limit:,} are allowed")
    return [ox.Literal(t) for t in texts]


def _validate(store: GraphStore, iri: ox.NamedNode, graph: ox.NamedNode, quads: set[ox.Quad]) -> None:
    """SHACL on the record's new version in a scratch store; a violation is a 422 naming the field."""
    scratch = ox.Store()
    scratch.extend(quads)
    refs = {q.object for q in quads if isinstance(q.object, ox.NamedNode)} | {q.subject for q in quads}
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(f"{graph.value}/context"))
                   for t in store.types_of(refs - {iri}, exclude=graph))  # type: ignore[arg-type]
    for violation in shapes().validate(scratch, graph):
        if violation.severity != "Violation":
            continue
        raise InvalidInputError(_field_of(violation.path) or "record", violation.message)


def _field_of(path: str | None) -> str | None:
    if path is None:
        return None
    predicate = path.strip("^<>")
    for spec in m.FIELDS:
        if spec.predicate.value == predicate:
            return spec.name
    return None


def _canonical(quads: set[ox.Quad]) -> set[ox.Quad]:
    """The quads as the store will hold them (Oxigraph canonicalises literals), for an exact diff."""
    scratch = ox.Store()
    scratch.extend(quads)
    return set(scratch)


def _etag(quads: list[ox.Quad]) -> str:
    text = "\n".join(sorted(str(q) for q in quads))
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _check_precondition(if_match: str | None, etag: str) -> None:
    if if_match is None or not if_match.strip():
        raise PreconditionRequiredError(
            "send If-Match with the ETag of the version you edit (GET the record first); "
            "without it a change made meanwhile by someone else would be overwritten")
    offered = [t.strip().removeprefix("W/") for t in if_match.split(",")]
    if etag not in offered and "*" not in offered:
        raise PreconditionFailedError(
            f"the record changed since you read it (your If-Match {if_match.strip()}, now {etag}): "
            "GET it again, re-apply your edit, and send the new ETag")


def _now() -> ox.Literal:
    return ox.Literal(datetime.now(UTC).isoformat(timespec="microseconds"), datatype=_DATETIME)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError("expires", f"{text!r} is not a date such as 2027-06-30") from None


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def record_json(record: m.Record) -> dict[str, Any]:
    return asdict(record)
