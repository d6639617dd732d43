"""Saved needs that alert: create, list, read, delete, and record new profiles that enter a top 10.

THE ENTRY POINT FOR WRITERS: after anything that adds or changes profiles (``POST /ingest``,
members' offers and requests, SPARQL updates), call

    ``app.state.alerts.evaluate_alerts(new_profile_ids)``  when the writer knows the IRIs, or
    ``app.state.alerts.after_write()``                     when it does not (diffs every profile),

once the matcher's index includes the write. Both are cheap when no alert is saved.

Why a fingerprint table (``profiles_seen``): ``after_write`` must find the profiles a write added
or changed whatever wrote them, also writes made by the CLI while the server was down; a hash of
each profile's matchable content, kept in the operational store, tells them apart in one pass.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from common.errors import NotFoundError, PermissionDeniedError
from graph.alerts._webhook import WebhookPolicy, deliver
from graph.matching import (
    Direction,
    MatchContext,
    Matcher,
    MatchFilters,
    Profile,
    SavedQuery,
    passage_tokens,
    save_query,
    score_batch,
    surface_terms,
)
from graph.operations import OperationalStore

log = logging.getLogger(__name__)
DIRECTIONS: tuple[Direction, ...] = ("supply", "demand")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def fingerprint(profile: Profile) -> str:
    """A hash of what matching reads of a profile: a change here can change its rank."""
    return hashlib.sha1(json.dumps(profile.as_dict(), sort_keys=True).encode()).hexdigest()


class Alerts:
    """The saved needs of one installation (rows in the operational store, never in the graph)."""

    def __init__(self, ops: OperationalStore, matcher: Matcher, webhooks: WebhookPolicy) -> None:
        self.ops = ops
        self.matcher = matcher
        self.webhooks = webhooks
        self._lock = threading.Lock()
        self._states: dict[str, SavedQuery] = {}  # decoded scoring states, kept between evaluations

    # --- saved needs ------------------------------------------------------------------------

    def create(self, owner: str, organisation: str | None, text: str, direction: Direction,
               filters: MatchFilters, context: MatchContext, webhook_url: str | None = None
               ) -> tuple[dict[str, Any], str]:
        """A new alert and its feed token (shown once: only its hash is kept)."""
        if webhook_url is not None:
            self.webhooks.check(webhook_url)
        state = save_query(self.matcher, text, direction, filters, context)
        alert_id, token = secrets.token_hex(8), secrets.token_urlsafe(24)
        with self._lock, self.ops.transaction() as db:
            self._seed(db, direction)
            db.execute(
                "INSERT INTO alerts VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (alert_id, owner, organisation, direction, text.strip(), json.dumps(asdict(filters)),
                 json.dumps(asdict(context)), _now(), token_hash(token), webhook_url, state.dumps(),
                 json.dumps(state.top)),
            )
        return self.get(alert_id), token

    def _seed(self, db: Any, direction: Direction) -> None:
        """First alert of a direction: remember every current profile, so only later ones are new."""
        if db.execute("SELECT 1 FROM profiles_seen WHERE direction=? LIMIT 1", (direction,)).fetchone():
            return
        index = self.matcher.index(direction)
        db.executemany("INSERT OR REPLACE INTO profiles_seen VALUES (?,?,?)",
                       [(direction, p.iri, fingerprint(p)) for p in index.profiles])

    def of_key(self, owner: str | None, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """The alerts of key ``owner`` (None: every alert, for admins)."""
        where, args = ("WHERE key_id=?", (owner,)) if owner is not None else ("", ())
        count = self.ops.read(f"SELECT count(*) FROM alerts {where}", args)[0][0]
        rows = self.ops.read(f"SELECT id FROM alerts {where} ORDER BY created, id LIMIT ? OFFSET ?",
                             (*args, limit, offset))
        return [self.get(r["id"]) for r in rows], int(count)

    def _row(self, alert_id: str) -> Any:
        rows = self.ops.read("SELECT * FROM alerts WHERE id=?", (alert_id,))
        if not rows:
            raise NotFoundError(f"no alert with id {alert_id!r}")
        return rows[0]

    def get(self, alert_id: str) -> dict[str, Any]:
        row = self._row(alert_id)
        hits = self.hits(alert_id)
        return {
            "id": row["id"], "text": row["text"], "direction": row["direction"],
            "filters": json.loads(row["filters"]), "context": json.loads(row["context"]),
            "created": row["created"], "webhook_url": row["webhook_url"], "owner_key": row["key_id"],
            "top": [{"id": iri, "score": score} for iri, score in json.loads(row["top"])],
            "hits": hits, "hit_count": len(hits), "deliveries": self.deliveries(alert_id),
        }

    def check_owner(self, alert_id: str, key_id: str | None, admin: bool) -> None:
        """Only the key that saved an alert (or an admin) may read or delete it: 403 naming the rule."""
        row = self._row(alert_id)
        if not admin and row["key_id"] != key_id:
            raise PermissionDeniedError(f"alert {alert_id} belongs to another API key: an alert is readable and "
                                        "deletable only by the key that saved it (or an admin)")

    def delete(self, alert_id: str) -> None:
        self._row(alert_id)
        with self._lock, self.ops.transaction() as db:
            db.execute("DELETE FROM alerts WHERE id=?", (alert_id,))
            self._states.pop(alert_id, None)

    def hits(self, alert_id: str) -> list[dict[str, Any]]:
        rows = self.ops.read("SELECT * FROM alert_hits WHERE alert_id=? ORDER BY found DESC, score DESC",
                             (alert_id,))
        return [{"id": r["profile"], "name": r["name"], "score": r["score"], "found": r["found"],
                 "explanation": json.loads(r["summary"])} for r in rows]

    def rotate_token(self, alert_id: str) -> str:
        """A new feed token; the old one stops working at once (revocation)."""
        self._row(alert_id)
        token = secrets.token_urlsafe(24)
        with self._lock, self.ops.transaction() as db:
            db.execute("UPDATE alerts SET feed_token_hash=? WHERE id=?", (token_hash(token), alert_id))
        return token

    def by_token(self, alert_id: str, token: str) -> dict[str, Any]:
        """The alert if ``token`` is its current feed token; else NotFound (no hint which part was wrong)."""
        rows = self.ops.read("SELECT feed_token_hash FROM alerts WHERE id=?", (alert_id,))
        if not rows or not secrets.compare_digest(rows[0][0], token_hash(token)):
            raise NotFoundError("no feed at this address: the alert was deleted or its token was revoked")
        return self.get(alert_id)

    # --- evaluation -------------------------------------------------------------------------

    def evaluate_alerts(self, new_profile_ids: list[str] | set[str]) -> int:
        """Score the given (new or changed) profiles against every saved need; record those in a top 10.

        Returns how many hits were recorded. Profiles not in the matcher's current index are
        ignored (a withdrawn record, or one of another direction).
        """
        wanted = set(new_profile_ids)
        recorded = 0
        with self._lock:
            for direction in DIRECTIONS:
                rows = self.ops.read("SELECT id, state, webhook_url, text FROM alerts WHERE direction=?", (direction,))
                if not rows or not wanted:
                    continue
                index = self.matcher.index(direction)
                positions = [i for i, p in enumerate(index.profiles) if p.iri in wanted]
                queries = [self._state(r["id"], r["state"]) for r in rows]
                found = score_batch(self.matcher, index, positions, queries)
                recorded += self._record(rows, queries, found)
                with self.ops.transaction() as db:
                    db.executemany("INSERT OR REPLACE INTO profiles_seen VALUES (?,?,?)",
                                   [(direction, index.profiles[i].iri, fingerprint(index.profiles[i]))
                                    for i in positions])
        return recorded

    def _state(self, alert_id: str, raw: bytes) -> SavedQuery:
        state = self._states.get(alert_id)
        if state is None:
            state = self._states[alert_id] = SavedQuery.loads(raw)
        return state

    def after_write(self) -> int:
        """Find the profiles changed since the last evaluation (fingerprints) and evaluate them."""
        changed: set[str] = set()
        for direction in DIRECTIONS:
            if not self.ops.read("SELECT 1 FROM alerts WHERE direction=? LIMIT 1", (direction,)):
                continue
            seen = {r[0]: r[1] for r in self.ops.read(
                "SELECT iri, fingerprint FROM profiles_seen WHERE direction=?", (direction,))}
            changed.update(p.iri for p in self.matcher.index(direction).profiles
                           if seen.get(p.iri) != fingerprint(p))
        return self.evaluate_alerts(changed) if changed else 0

    def _record(self, rows: list[Any], queries: list[SavedQuery], found: list[Any]) -> int:
        """Admit each candidate into its alert's top 10 (best first), store hits, then notify webhooks."""
        found.sort(key=lambda c: -c.score)
        new_hits: dict[int, list[dict[str, Any]]] = {}
        now = _now()
        try:
            self._store_hits(rows, queries, found, new_hits, now)
        except BaseException:
            self._states.clear()  # admitted in memory, not stored: decode them again from the store
            raise
        for q, hits in new_hits.items():
            url = rows[q]["webhook_url"]
            if url:
                outcome = deliver(self.webhooks, url, {"alert": rows[q]["id"], "hits": hits})
                with self.ops.transaction() as db:
                    db.execute("INSERT INTO alert_deliveries VALUES (?,?,?)", (rows[q]["id"], _now(), outcome))
        return sum(len(h) for h in new_hits.values())

    def _store_hits(self, rows: list[Any], queries: list[SavedQuery], found: list[Any],
                    new_hits: dict[int, list[dict[str, Any]]], now: str) -> None:
        terms = _MatchedTerms()
        hit_rows = []
        for c in found:
            query = queries[c.query]
            if not query.admit(c.profile.iri, c.score):
                continue
            summary = {**c.parts, "matched_terms": terms.of(rows[c.query]["text"], query.language, c.profile),
                       "kind": c.profile.kind, "organisation": c.profile.organisation}
            hit_rows.append((rows[c.query]["id"], c.profile.iri, c.profile.name, c.score, json.dumps(summary), now))
            new_hits.setdefault(c.query, []).append({"id": c.profile.iri, "name": c.profile.name,
                                                     "score": c.score, "explanation": summary})
        with self.ops.transaction() as db:  # one transaction, two statements prepared once
            db.executemany("INSERT OR REPLACE INTO alert_hits VALUES (?,?,?,?,?,?)", hit_rows)
            db.executemany("UPDATE alerts SET state=?, top=? WHERE id=?",
                           [(queries[q].dumps(), json.dumps(queries[q].top), rows[q]["id"]) for q in new_hits])

    def deliveries(self, alert_id: str) -> list[dict[str, str]]:
        return [{"at": r["at"], "outcome": r["outcome"]} for r in self.ops.read(
            "SELECT at, outcome FROM alert_deliveries WHERE alert_id=? ORDER BY rowid", (alert_id,))]


class _MatchedTerms:
    """The words of a need found in a profile (the explanation's ``matched_terms``), for one evaluation.

    Why memoised: a batch admits thousands of (need, profile) pairs over far fewer profiles and
    texts; tokenising each profile's passages again for every pair took most of the time spent
    outside scoring (``benchmarks/bench_alerts.py``).
    """

    def __init__(self) -> None:
        self._docs: dict[str, set[str]] = {}
        self._needs: dict[tuple[str, str], dict[str, str]] = {}

    def of(self, text: str, language: str, profile: Profile) -> list[str]:
        terms = self._needs.get((text, language))
        if terms is None:
            terms = self._needs[(text, language)] = surface_terms(
                text, language if language in ("ro", "en") else None)  # type: ignore[arg-type]
        doc = self._docs.get(profile.iri)
        if doc is None:
            doc = self._docs[profile.iri] = set(passage_tokens(profile.passages))
        return sorted({word for stem, word in terms.items() if stem in doc})


def after_write_alerts(alerts: Alerts | None) -> int:
    """``alerts.after_write()`` for a write path: the write has landed, so a failure here is logged, not raised.

    Why not raised: the caller's data is already stored and acknowledged; an alert that missed a
    profile is caught up at the next write (the fingerprints still differ), a failed write is not.
    """
    if alerts is None:
        return 0
    try:
        return alerts.after_write()
    except Exception:
        log.exception("evaluating the saved needs after a write failed; they catch up at the next write")
        return 0
