"""Expressions of interest in offers and requests: sent by a member, seen by the owner and its region's brokers.

Why here and not in the graph: an expression of interest, its message and the contact details in
it are private between two organisations (and the brokers of the owner's region, whose job is to
follow them up). They live in the operational store (``graph.operations``); the graph is only read,
to find the offer or request, its owner, its status and the owner's region.

The rules, each enforced here and named in the error a caller gets:

- only a key bound to an organisation sends one (the sender is an organisation, not a person);
- the offer or request must exist (404) and be open: withdrawn, expired or draft records take no
  interest (409); an organisation does not express interest in its own records (422);
- one open (pending) expression per organisation and record (409 for a second);
- the owner organisation's keys, the brokers of the owner's region (keys bound to a NUTS code
  the owner's region falls under) and editors see it; the sender sees its own;
- only the owner accepts or declines, once, a decline with a reason from ``REASONS``;
- contact details are shown to the two parties only once it is accepted; brokers never see them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from common.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from graph.operations._store import OperationalStore
from graph.store import GraphStore
from graph.views import record_owner, region_codes_of
from ontology import entity_prefix, organisation_iri

Kind = Literal["offer", "request"]
MAX_MESSAGE = 2000
MAX_NOTE = 500
#: Why an owner declines: code -> English and Romanian labels (fixed, so declines can be counted).
REASONS: dict[str, dict[str, str]] = {
    "too-early": {"en": "Too early for us", "ro": "Prea devreme pentru noi"},
    "not-our-field": {"en": "Not our field", "ro": "Nu este domeniul nostru"},
    "no-capacity": {"en": "No capacity at the moment", "ro": "Nu avem capacitate în acest moment"},
    "other": {"en": "Other reason", "ro": "Alt motiv"},
}
CLOSED = {"withdrawn", "expired", "draft"}
VISIBILITY_RULE = ("an expression of interest is visible only to the sending organisation, the owner "
                   "organisation, the brokers of the owner's region and editors")



# The target's owner, title, status and expiry, and the NUTS codes of the owner's region, come from
# ``graph.views.record_owner`` / ``region_codes_of``: the lookup members' records use too.
# ``ig:status`` (.../record-status/withdrawn ...) and ``ig:expires`` are the records' life cycle;
# records without them are published.


@dataclass(frozen=True)
class Party:
    """Who acts: the key's id, role rank, organisation id and broker region (from ``api.auth.Principal``)."""

    key_id: str
    organisation: str | None
    region: str | None
    editor: bool


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _status_word(status: str | None) -> str:
    if status is None:
        return "published"
    return status.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower()


def find_target(store: GraphStore, kind: Kind, target_id: str) -> dict[str, Any]:
    """The offer or request ``target_id`` with its owner: NotFound, or Conflict when it is not open."""
    target = record_owner(store, kind, target_id)
    if target is None:
        raise NotFoundError(f"no {kind} with id {target_id!r} ({entity_prefix(kind)}{target_id})")
    status = _status_word(target.status)
    expires = target.expires[:10] if target.expires is not None else None
    if status not in CLOSED and expires is not None and expires < date.today().isoformat():
        status = "expired"
    if status in CLOSED:
        raise ConflictError(f"{kind} {target_id!r} is {status}: it takes no expressions of interest"
                            + (f" (expired on {expires})" if status == "expired" and expires else ""))
    return {"iri": target.iri.value, "title": target.title if target.title is not None else target_id,
            "owner": target.owner, "codes": "|".join(sorted(region_codes_of(store, target.owner_iri)))}


def _check_text(field: str, value: str | None, limit: int, required: bool) -> str | None:
    if value is None or not value.strip():
        if required:
            raise InvalidInputError(field, "is empty: write a few words")
        return None
    value = value.strip()
    if len(value) > limit:
        raise InvalidInputError(field, f"is {len(value):,} characters long; at most {limit:,} are allowed")
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise InvalidInputError(field, "contains control characters")
    return value


class Interests:
    """Expressions of interest over one operational store and one graph store."""

    def __init__(self, ops: OperationalStore, store: GraphStore) -> None:
        self.ops = ops
        self.store = store

    def received_by_year(self, target_iris: Sequence[str]) -> dict[int, int]:
        """How many expressions of interest these offers and requests received, per year sent.

        Counts only (the regional indicators' ``InterestCounter``): who sent what stays private.
        """
        counts: dict[int, int] = {}
        iris = list(dict.fromkeys(target_iris))
        for start in range(0, len(iris), 500):  # SQLite's bound on parameters of one statement
            chunk = iris[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for year, n in self.ops.read(f"SELECT substr(created, 1, 4), count(*) FROM interests "
                                         f"WHERE target_iri IN ({marks}) GROUP BY 1", tuple(chunk)):
                counts[int(year)] = counts.get(int(year), 0) + int(n)
        return counts

    def received_per_target(self, target_iris: Sequence[str]) -> dict[str, dict[str, int]]:
        """How many expressions of interest each of these offers and requests received, by status.

        Counts only, for the owner's list of its records ("my records"): ``{iri: {"pending": 2,
        "accepted": 1}}``; a record that received none is absent.
        """
        counts: dict[str, dict[str, int]] = {}
        iris = list(dict.fromkeys(target_iris))
        for start in range(0, len(iris), 500):  # SQLite's bound on parameters of one statement
            chunk = iris[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for iri, status, n in self.ops.read(f"SELECT target_iri, status, count(*) FROM interests "
                                                f"WHERE target_iri IN ({marks}) GROUP BY 1, 2", tuple(chunk)):
                counts.setdefault(str(iri), {})[str(status)] = int(n)
        return counts

    def express(self, party: Party, kind: Kind, target_id: str, message: str, contact: dict[str, str]) -> dict[str, Any]:
        if party.organisation is None:
            raise PermissionDeniedError("an expression of interest is sent on behalf of an organisation: it needs "
                                        "a key bound to one (innograph keys create --role member --organisation <id>)")
        text = _check_text("message", message, MAX_MESSAGE, required=True)
        target = find_target(self.store, kind, target_id)
        if target["owner"] == party.organisation:
            raise InvalidInputError("path", f"this {kind} is your own organisation's: interest is expressed in "
                                    "other organisations' records")
        interest_id, now = secrets.token_hex(8), _now()
        with self.ops.transaction() as db:
            open_one = db.execute("SELECT id FROM interests WHERE target_iri=? AND from_org=? AND status='pending'",
                                  (target["iri"], party.organisation)).fetchone()
            if open_one:
                raise ConflictError(f"your organisation already has a pending expression of interest in this {kind} "
                                    f"({open_one[0]}): wait for the owner's answer")
            db.execute("INSERT INTO interests VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       (interest_id, kind, target_id, target["iri"], target["title"], target["owner"],
                        f"|{target['codes']}|", party.key_id, party.organisation, text, json.dumps(contact), None,
                        "pending", None, now, now))
            db.execute("INSERT INTO interest_events VALUES (?,?,?,?,?,?)",
                       (interest_id, now, "pending", party.organisation, None, None))
        return self.get(party, interest_id)

    # --- who sees what ----------------------------------------------------------------------

    def _row(self, interest_id: str) -> Any:
        rows = self.ops.read("SELECT * FROM interests WHERE id=?", (interest_id,))
        if not rows:
            raise NotFoundError(f"no expression of interest with id {interest_id!r}")
        return rows[0]

    @staticmethod
    def _side(party: Party, row: Any) -> str | None:
        if party.organisation is not None and party.organisation == row["owner_org"]:
            return "owner"
        if party.organisation is not None and party.organisation == row["from_org"]:
            return "sender"
        if party.region is not None and f"|{party.region}|" in row["owner_regions"]:
            return "broker"
        return "editor" if party.editor else None

    def get(self, party: Party, interest_id: str) -> dict[str, Any]:
        row = self._row(interest_id)
        side = self._side(party, row)
        if side is None:
            raise PermissionDeniedError(f"{VISIBILITY_RULE}; key {party.key_id} acts for "
                                        f"{party.organisation or 'no organisation'}")
        return self._public(row, side)

    def _public(self, row: Any, side: str) -> dict[str, Any]:
        accepted = row["status"] == "accepted"
        history = [{"at": e["at"], "status": e["status"], "by": e["actor"], "reason": _reason(e["reason"]),
                    "note": e["note"]}
                   for e in self.ops.read("SELECT * FROM interest_events WHERE interest_id=? ORDER BY rowid",
                                          (row["id"],))]
        return {
            "id": row["id"],
            "target": {"kind": row["target_kind"], "id": row["target_id"], "iri": row["target_iri"],
                       "title": row["target_title"]},
            "owner_organisation": row["owner_org"], "from_organisation": row["from_org"],
            "message": row["message"], "status": row["status"], "reason": _reason(row["reason"]),
            "created": row["created"], "updated": row["updated"], "seen_as": side,
            "contact_shared": accepted,
            "contact": json.loads(row["contact"]) if accepted and side in ("owner", "sender") else None,
            "reply_contact": json.loads(row["reply_contact"]) if accepted and row["reply_contact"]
            and side in ("owner", "sender") else None,
            "history": history,
        }

    def _scope(self, party: Party, organisation: str | None, box: str) -> tuple[str, list[object]]:
        """The SQL condition of what ``party`` may list (403 naming the rule for someone else's inbox)."""
        if box == "sent":
            if party.organisation is None:
                raise PermissionDeniedError("the sent box is an organisation's: this key is bound to none")
            if organisation not in (None, party.organisation) and not party.editor:
                raise PermissionDeniedError(f"an organisation's sent box is readable only by its own keys (and "
                                            f"editors); key {party.key_id} acts for {party.organisation}")
            return "from_org=?", [organisation or party.organisation]
        if organisation is not None:
            if organisation == party.organisation or party.editor:
                return "owner_org=?", [organisation]
            if party.region is not None and party.region in self._org_codes(organisation):
                return "owner_org=?", [organisation]
            raise PermissionDeniedError(
                f"an inbox is readable only by the organisation's own keys, the brokers of its region and editors; "
                f"key {party.key_id} acts for {party.organisation or 'no organisation'}"
                + (f" and is a broker of {party.region}" if party.region else ""))
        parts: list[str] = []
        args: list[object] = []
        if party.organisation is not None:
            parts.append("owner_org=?")
            args.append(party.organisation)
        if party.region is not None:
            parts.append("instr(owner_regions, ?) > 0")
            args.append(f"|{party.region}|")
        if party.editor and not parts:
            return "1=1", []
        if not parts:
            raise PermissionDeniedError("an inbox belongs to an organisation or a broker's region: this key is bound "
                                        "to neither (innograph keys create --organisation <id> or --region <NUTS>)")
        return "(" + " OR ".join(parts) + ")", args

    def _org_codes(self, organisation: str) -> set[str]:
        try:
            return region_codes_of(self.store, organisation_iri(organisation))
        except ValueError:  # not an id any IRI may hold: no organisation, no region
            return set()

    def inbox(self, party: Party, organisation: str | None, box: str, status: str | None,
              limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        where, args = self._scope(party, organisation, box)
        if status is not None:
            where += " AND status=?"
            args.append(status)
        count = int(self.ops.read(f"SELECT count(*) FROM interests WHERE {where}", tuple(args))[0][0])
        rows = self.ops.read(f"SELECT * FROM interests WHERE {where} ORDER BY created DESC, id LIMIT ? OFFSET ?",
                             (*args, limit, offset))
        return [self._public(r, self._side(party, r) or "editor") for r in rows], count

    def stats(self, party: Party, organisation: str | None) -> dict[str, Any]:
        """Received expressions by status, and declines by reason (with both labels)."""
        where, args = self._scope(party, organisation, "received")
        by_status = {r[0]: r[1] for r in self.ops.read(
            f"SELECT status, count(*) FROM interests WHERE {where} GROUP BY status", tuple(args))}
        declined = {r[0]: r[1] for r in self.ops.read(
            f"SELECT reason, count(*) FROM interests WHERE {where} AND status='declined' GROUP BY reason", tuple(args))}
        return {"total": sum(by_status.values()),
                "by_status": {s: by_status.get(s, 0) for s in ("pending", "accepted", "declined")},
                "declined_by_reason": [{"code": code, "label_en": labels["en"], "label_ro": labels["ro"],
                                        "count": declined.get(code, 0)} for code, labels in REASONS.items()]}

    # --- the owner's answer -----------------------------------------------------------------

    def decide(self, party: Party, interest_id: str, accept: bool, reason: str | None, note: str | None,
               contact: dict[str, str] | None) -> dict[str, Any]:
        row = self._row(interest_id)
        if party.organisation is None or party.organisation != row["owner_org"]:
            raise PermissionDeniedError(f"only the owner organisation ({row['owner_org']}) accepts or declines an "
                                        f"expression of interest; key {party.key_id} acts for "
                                        f"{party.organisation or 'no organisation'}")
        note = _check_text("note", note, MAX_NOTE, required=False)
        if not accept and reason not in REASONS:
            raise InvalidInputError("reason", f"must be one of {', '.join(REASONS)} (GET /interests/reasons)")
        status = "accepted" if accept else "declined"
        now = _now()
        with self.ops.transaction() as db:
            current = db.execute("SELECT status FROM interests WHERE id=?", (interest_id,)).fetchone()[0]
            if current != "pending":
                raise ConflictError(f"this expression of interest is already {current}; an answer is given once")
            db.execute("UPDATE interests SET status=?, reason=?, reply_contact=?, updated=? WHERE id=?",
                       (status, None if accept else reason, json.dumps(contact) if accept and contact else None,
                        now, interest_id))
            db.execute("INSERT INTO interest_events VALUES (?,?,?,?,?,?)",
                       (interest_id, now, status, party.organisation, None if accept else reason, note))
        return self.get(party, interest_id)


def _reason(code: str | None) -> dict[str, str] | None:
    return {"code": code, **{f"label_{k}": v for k, v in REASONS[code].items()}} if code in REASONS else None
