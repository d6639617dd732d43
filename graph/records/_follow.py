"""How derived structures follow a member's change, without a full rebuild.

- **Matching indexes** (dense, lexical, filters): ``Matcher.update_in_place`` runs the store
  write and, under the index lock, retires the record's old profile row and appends its new
  one (embedded once: one passage, tens of milliseconds), then stamps the index with the new
  store generation, so no request ever triggers a rebuild for it. A withdrawn, draft or expired
  record gets no new row. Cost: ``benchmarks/bench_records.py`` (vs a full rebuild, same run).
  This is the fast path, special to records; everything else follows as after any write:
- **An organisation's own profile** (``PATCH /organisations/{id}``: description, competences,
  fields, sectors, region): the same in-place step with the organisation's row, rebuilt by
  ``graph.matching.organisation_profile_of`` exactly as a full build makes it (its description,
  competences, the texts of its live offers or requests, its projects), in both directions;
  its offers' and requests' rows are replaced too when they changed (they take the
  organisation's region when they state none). Unchanged passages come from the embedding
  cache, so only the new head passage is embedded.
- **The one after-write step** (``graph.writes.AfterWrite``, given as ``after`` by the API with
  the record's IRI): it wakes the SPARQL replica (which reloads just the organisation's graph,
  named by the new PROV run; until then queries read the disk store, so a change is visible to
  the next query), scores the record against the saved needs at once (the index already holds
  it), and rebuilds in the background what is keyed on the store generation and was in use
  (``graph.store.refresh_stale``: statistics, indicator facts, search index; the collaboration
  network only after an organisation edit: an offer or a request is not a tie, see
  ``graph.network``'s ``network_generation``).
- **Cypher projection**: rebuilt on its next use (``ensure_projection``) or by the server's
  background follow-up when it keeps the projection warm; an offer changes no projected node
  but the offer.
- **The owning organisation's own supply profile** quotes its offers' texts; after an offer's
  edit it is refreshed at the next full rebuild (next ingest or restart), not in place: the
  offer itself is matchable at once, and a withdrawn offer's own row leaves matching at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pyoxigraph as ox

from graph.matching import (
    Direction,
    Matcher,
    MatchIndex,
    Profile,
    is_live,
    item_profile,
    organisation_profile_of,
)
from graph.matching import profile_facts as _facts
from graph.matching import profile_queries as pq
from graph.records import _queries as q
from graph.sparql import notify_store_changed
from graph.store import GraphStore
from ontology._namespaces import IG

_WANTED = {"supply": str(IG.TechnologyOffer), "demand": str(IG.TechnologyRequest)}


def record_profile(store: GraphStore, iri: ox.NamedNode, direction: Direction) -> Profile | None:
    """The matching profile of one offer or request, read from the store; None if it is not matched."""
    rows = list(store.select(pq.OFFERS_AND_REQUESTS, {"item": iri}))
    if not rows or rows[0]["type"].value != _WANTED[direction]:
        return None
    facts = _facts(rows, subject="item")[iri.value]
    if not is_live(facts, date.today().isoformat()):
        return None
    owner = rows[0]["owner"].value
    owner_facts = _facts(store.select(pq.ORG_FACTS, {"org": ox.NamedNode(owner)})).get(owner, {})

    def concept_text(iris: list[str]) -> str:
        texts = []
        for concept in iris:
            labels = list(dict.fromkeys(r["label"].value for r in
                                        store.select(q.CONCEPT_LABEL, {"c": ox.NamedNode(concept)})))
            if labels:
                texts.append(" / ".join(labels))
        return ", ".join(texts)

    return item_profile(iri.value, facts, owner, owner_facts, direction, concept_text)


def apply_to_index(matcher: Matcher, store: GraphStore, iri: ox.NamedNode, direction: Direction,
                   index: MatchIndex) -> None:
    """Retire the record's old row and append its current profile (if it is matched).

    ``iri`` is an offer, a request, or an organisation (its own profile edited).
    """
    if any(True for _ in store.select(pq.ORG_FACTS, {"org": iri})):
        apply_organisation(matcher, store, iri, direction, index)
        return
    index.retire({iri.value})
    profile = record_profile(store, iri, direction)
    if profile is not None:
        _append(matcher, index, [profile])


def apply_organisation(matcher: Matcher, store: GraphStore, org: ox.NamedNode, direction: Direction,
                       index: MatchIndex) -> None:
    """Replace the organisation's row, and those of its offers or requests that changed with it."""
    profile, items = organisation_profile_of(store, org, direction)
    current = {index.profiles[i].iri: index.profiles[i] for i in np.flatnonzero(~index.retired)
               if index.profiles[i].organisation == org.value}
    fresh = [p for p in ([profile] if profile else []) + items if current.get(p.iri) != p]
    gone = {iri for iri in current if iri == org.value and profile is None}
    index.retire({p.iri for p in fresh} | gone)
    if fresh:
        _append(matcher, index, fresh)


def _append(matcher: Matcher, index: MatchIndex, profiles: list[Profile]) -> None:
    """Embed (or read from the cache) the passages of ``profiles`` and append them to ``index``."""
    passages = [text for p in profiles for text in p.passages]
    vectors = matcher.embedder.encode(passages)
    extra: dict[str, np.ndarray] = {}
    if matcher.multilingual is not None and matcher.multilingual.model_name in index.extra:
        extra[matcher.multilingual.model_name] = matcher.multilingual.encode(passages)
    index.add_profiles(profiles, vectors, extra)


def matcher_follower(matcher: Matcher, after: Callable[[ox.NamedNode], None] | None = None
                     ) -> Callable[[Callable[[], None], ox.NamedNode], None]:
    """The ``follow`` hook of ``RecordService``: write and update the indexes in place, then ``after(iri)``.

    ``after`` is the application's one after-write step (``graph.writes.AfterWrite``, given the
    record's IRI: replica, saved needs, background caches). Without it (scripts, benchmarks)
    only the replica is woken. A write that failed changed nothing: only the replica is woken.
    """

    def follow(write: Callable[[], None], iri: ox.NamedNode) -> None:
        try:
            matcher.update_in_place(write, lambda direction, index: apply_to_index(
                matcher, matcher.store, iri, direction, index))
        except BaseException:
            notify_store_changed(matcher.store)
            raise
        if after is not None:
            after(iri)
        else:
            notify_store_changed(matcher.store)

    return follow
