"""Semantic matching of technology supply and demand, with an explanation for every result.

Retrieval is hybrid: dense (sentence embeddings, best passage per profile) and lexical (BM25,
diacritics folded), fused either by a convex combination of normalised scores (the default, alpha 0.6 chosen on
the SciFact train split: 0.732 nDCG@10 on its test split, against 0.721 for reciprocal rank
fusion, 0.691 for BM25 alone and 0.651 for MiniLM alone) or by RRF.
Graph evidence then re-ranks: shared fields and sectors through ``skos:broader``, NUTS
proximity, distance in the collaboration network, TRL fit, organisation kind. Each signal's
weight is a setting; every contribution is reported in the explanation.

>>> matcher = Matcher(GraphStore(None), Settings(data_dir=Path("/tmp/x")))  # doctest: +SKIP
>>> page = matcher.match("grain drying without gas", limit=5)  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypeVar

import numpy as np

from common.errors import InvalidInputError
from common.settings import Settings
from graph.matching import _dense_scan as dense_scan
from graph.matching._concept_bridge import ConceptBridge
from graph.matching._embeddings import Embedder
from graph.matching._index import MatchIndex
from graph.matching._lexical import passage_tokens, surface_terms
from graph.matching._profiles import Direction, Profile
from graph.matching._query import MULTILINGUAL, QueryPlan, combine_dense, convex_fusion, plan
from graph.matching._vector_neo4j import Neo4jVectorIndex
from graph.network import Collaboration, collaboration
from graph.store import GraphStore, generation_text, store_generation
from graph.views import Concepts, resolve_codes
from ontology import organisation_iri

log = logging.getLogger(__name__)
Mode = Literal["hybrid", "dense", "lexical"]
T = TypeVar("T")
MAX_TEXT = 10_000


@dataclass
class MatchFilters:
    """Hard filters: a profile failing one is never returned."""

    regions: list[str] = field(default_factory=list)  # NUTS codes, any level
    countries: list[str] = field(default_factory=list)  # CORDIS two-letter codes
    kinds: list[str] = field(default_factory=list)  # org-kind notations, "offer", "request"
    trl_min: int | None = None
    trl_max: int | None = None
    fields: list[str] = field(default_factory=list)  # EuroSciVoc code, label or IRI
    sectors: list[str] = field(default_factory=list)  # NACE/CAEN code, label or IRI
    include_illustrative: bool = True


@dataclass
class MatchContext:
    """Soft evidence about the asker, used by the graph signals (never to exclude)."""

    region: str | None = None
    fields: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    trl: int | None = None
    organisation: str | None = None  # IRI or org id (pic/999999999, osim)
    kinds: list[str] = field(default_factory=list)  # preferred kinds of partner


@dataclass
class MatchPage:
    data: list[dict[str, Any]]
    count: int
    understood: dict[str, Any] | None = None  # language, recognised concepts, channels (QueryPlan.explanation)


class Matcher:
    """Holds the supply and demand indexes of one store and answers match requests."""

    def __init__(self, store: GraphStore, settings: Settings, embedder: Embedder | None = None) -> None:
        self.store = store
        self.settings = settings
        cache = settings.embedding_cache or settings.data_dir / "cache" / "embeddings.sqlite"
        self.embedder = embedder or Embedder(settings.embedding_model, cache, threads=settings.embedding_threads,
                                             query_max_tokens=settings.embedding_query_max_tokens,
                                             backend=settings.embedding_backend)
        self.multilingual = (
            Embedder(settings.multilingual_model, cache, threads=settings.embedding_threads)
            if settings.multilingual_model else None
        )
        if settings.dense_backend == "numpy":
            dense_scan.limit_blas_threads()
        self._bridge: ConceptBridge | None = None
        self._indexes: dict[str, MatchIndex] = {}
        self._concepts: Concepts | None = None
        self._neo4j: dict[str, Neo4jVectorIndex] = {}
        self._lock = threading.Lock()

    # --- indexes -----------------------------------------------------------------------------

    def index(self, direction: Direction) -> MatchIndex:
        """The current index of ``direction``: loaded from disk, or rebuilt if the store changed."""
        with self._lock:
            generation = generation_text(store_generation(self.store))
            current = self._indexes.get(direction)
            if current is not None and current.generation == generation:
                return current
            folder = self.settings.data_dir / "index" / direction
            extra = [self.multilingual] if self.multilingual else []
            loaded = MatchIndex.load(folder, generation, self.embedder.model_name, [e.model_name for e in extra])
            if loaded is None:
                loaded = MatchIndex.build(self.store, direction, self.embedder, extra=extra,
                                          progress=_ProgressLog(direction))
                loaded.save(folder)
            self._indexes[direction] = loaded
            self._concepts = None
            self._bridge = None
            return loaded

    def update_in_place(
        self, write: Callable[[], T], apply: Callable[[Direction, MatchIndex], None]
    ) -> tuple[T, list[Direction]]:
        """Run ``write`` (a store write) and ``apply`` its change to the loaded indexes, without a rebuild.

        Under the index lock, so no request sees the new store generation before the indexes
        follow it (it would start a full rebuild). An index not of the generation the write
        started from is left alone: it is rebuilt on next use anyway. Returns ``write``'s
        value and the directions updated. The saved copy on disk is not rewritten (its
        generation no longer matches, so a restart rebuilds it from the store).
        """
        with self._lock:
            before = generation_text(store_generation(self.store))
            result = write()
            after = generation_text(store_generation(self.store))
            updated: list[Direction] = []
            for direction, index in list(self._indexes.items()):
                if index.generation == before and before != after:
                    try:
                        apply(direction, index)  # type: ignore[arg-type]
                    except Exception:  # the write is done: a rebuild on next use is always correct
                        log.exception("updating the %s index in place failed: it is rebuilt on next use", direction)
                        continue
                    index.generation = after
                    updated.append(direction)  # type: ignore[arg-type]
            return result, updated

    def concepts(self) -> Concepts:
        if self._concepts is None:
            self._concepts = Concepts.from_store(self.store)
        return self._concepts

    def bridge(self) -> ConceptBridge:
        """Concept labels of the vocabularies, for recognising concepts in needs (``graph.matching._concept_bridge``)."""
        if self._bridge is None:
            self._bridge = ConceptBridge.from_store(self.store)
        return self._bridge

    def network(self) -> Collaboration:
        """The one collaboration network of the store's generation, shared with /network (``graph.network``)."""
        return collaboration(self.store)

    # --- matching ----------------------------------------------------------------------------

    def match(
        self, text: str, direction: Direction = "supply", *, filters: MatchFilters | None = None,
        context: MatchContext | None = None, limit: int = 10, offset: int = 0, mode: Mode = "hybrid",
    ) -> MatchPage:
        """Rank the profiles of ``direction`` for ``text``; see the module docstring."""
        text = text.strip()
        if not text:
            raise InvalidInputError("text", "is empty: describe the need (or the offer) in a few words")
        if len(text) > MAX_TEXT:
            raise InvalidInputError("text", f"is {len(text):,} characters long; at most {MAX_TEXT:,} are allowed")
        filters = filters or MatchFilters()
        index = self.index(direction)
        reading = plan(text, self.settings.match_dense, self.bridge() if self.settings.match_concepts else None,
                       self.multilingual is not None)
        context = _with_understanding(context or MatchContext(), reading)
        mask = self._mask(index, filters)
        vectors, channel_scores = self._dense_channels(index, reading, mode)
        terms, cognates = self.lexical_terms(index, reading, mode)
        lexical = index.lexical.scores(terms) if mode != "dense" else np.zeros(len(index.profiles))
        candidates = self._candidates(channel_scores, lexical, mask, mode)
        idx = np.array(candidates, dtype=np.int64)
        per_channel = {name: scores[idx].astype(np.float64) for name, scores in channel_scores.items()}
        dense = np.zeros(len(index.profiles))
        if per_channel and len(idx):
            dense[idx] = combine_dense(per_channel)
        alpha = self.settings.match_alpha
        if reading.detection.language != "en" and self.settings.match_alpha_multilingual is not None:
            alpha = self.settings.match_alpha_multilingual
        fused, dense_rank, lexical_rank = self._fuse(candidates, dense, lexical, mode, alpha)
        channel_ranks = {name: _ranks(candidates, values) for name, values in per_channel.items()}
        signals = _Signals(self, index, context)
        scored = []
        for position, i in enumerate(candidates):
            contributions = signals.of(index.profiles[i])
            total = signal_total(fused[position], contributions)
            scored.append((total, position, i, contributions))
        scored.sort(key=lambda item: (-item[0], item[2]))
        page = scored[offset : offset + limit]
        query_terms = surface_terms(text, reading.detection.language)
        if reading.understanding.expansion and reading.detection.language != "en":
            query_terms.update(surface_terms(reading.understanding.expansion, "en"))
        query_terms.update({t: word for word, found in cognates.items() for t in found})
        understood = reading.explanation()
        understood["cognates"] = cognates
        data = []
        for total, pos, i, contributions in page:
            result = self._result(index, i, total, fused[pos], dense[i], lexical[i], dense_rank.get(i),
                                  lexical_rank.get(i), contributions, query_terms, vectors, signals)
            channels = {name: {"rank": ranks[i], "score": round(float(channel_scores[name][i]), 4)}
                        for name, ranks in channel_ranks.items() if i in ranks}
            found_by = [name for name, info in channels.items() if info["rank"] <= 10]
            if lexical_rank.get(i, 11) <= 10:
                found_by.insert(0, "lexical")
            result["explanation"].update(language=understood["language"], understood=understood["summary"],
                                         concepts=understood["concepts"], channels=channels, found_by=found_by)
            data.append(result)
        return MatchPage(data, len(scored), understood)

    def _dense_channels(self, index: MatchIndex, reading: QueryPlan, mode: Mode
                        ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Query vector and every profile's score per dense channel of the plan (none in lexical mode)."""
        if mode == "lexical":
            return {}, {}
        vectors: dict[str, np.ndarray] = {}
        scores: dict[str, np.ndarray] = {}
        threads = self.settings.dense_scan_threads
        for name in reading.channels:
            if name == MULTILINGUAL and self.multilingual is not None:
                vector = self.multilingual.encode_query(reading.text)
                scores[name] = index.dense_scores(vector, threads, self.multilingual.model_name)
            else:
                vector = self.embedder.encode_query(reading.english_text)
                if self.settings.dense_backend == "numpy":
                    scores[name] = index.dense_scores(vector, threads)
                else:
                    neo4j = self._neo4j_vectors(index)
                    scores[name] = neo4j.scores(vector, len(index.profiles), k=self.settings.match_candidates * 4)
            vectors[name] = vector
        return vectors, scores

    def lexical_terms(self, index: MatchIndex, reading: QueryPlan, mode: Mode = "hybrid"
                      ) -> tuple[list[str], dict[str, list[str]]]:
        """The BM25 terms of a need: its own, then the English cognates of a need not read as English.

        One function for ``match`` and saved needs (``_saved.save_query``), so both score alike.
        """
        cognates = self._cognates(index, reading, mode)
        terms = [*reading.lexical_terms, *(t for found in cognates.values() for t in found
                                           if t not in reading.lexical_terms)]
        return terms, cognates

    def _cognates(self, index: MatchIndex, reading: QueryPlan, mode: Mode) -> dict[str, list[str]]:
        """English index terms spelled like the words of a need not read as English (``_cognates``)."""
        if mode == "dense" or reading.detection.language == "en" or not self.settings.match_cognates:
            return {}
        return index.lexical.cognates(reading.text)

    def _neo4j_vectors(self, index: MatchIndex) -> Neo4jVectorIndex:
        """The Neo4j copy of ``index``'s passage vectors, written when its generation changes."""
        if not self.settings.neo4j_uri:
            raise InvalidInputError("dense_backend", "neo4j needs INNOGRAPH_NEO4J_URI")
        with self._lock:
            vectors = self._neo4j.get(index.direction)
            if vectors is None:
                vectors = self._neo4j[index.direction] = Neo4jVectorIndex(self.settings, index.direction)
            vectors.sync(index.owners, index.vectors, f"{index.generation}/{index.model}")
        return vectors

    def _mask(self, index: MatchIndex, filters: MatchFilters) -> np.ndarray:
        """Profiles passing every hard filter, from per-index arrays and cached per-value masks."""
        regions = resolve_codes(self.store, "nuts2021", "filters.regions", filters.regions)
        countries = resolve_codes(self.store, "country", "filters.countries", filters.countries)
        fields = resolve_codes(self.store, "euroscivoc", "filters.fields", filters.fields)
        sectors = resolve_codes(self.store, "nace2", "filters.sectors", filters.sectors)
        if filters.trl_min is not None and filters.trl_max is not None and filters.trl_min > filters.trl_max:
            raise InvalidInputError("filters.trl_min", "is greater than trl_max")
        columns = index.columns(self.concepts())
        # withdrawn, replaced or past their expiry date (members' records, graph.records): never matched
        keep = ~index.retired & (columns.expires >= date.today().toordinal())
        if filters.kinds:
            keep &= columns.of_kind(filters.kinds)
        if not filters.include_illustrative:
            keep &= ~columns.illustrative
        if countries:
            keep &= columns.of_country(countries)
        if regions:
            keep &= np.logical_or.reduce([columns.under("region", r) for r in regions])
        if fields:
            keep &= np.logical_or.reduce([columns.under("field", f) for f in fields])
        if sectors:
            keep &= np.logical_or.reduce([columns.under("sector", c) for c in sectors])
        if filters.trl_min is not None:
            keep &= columns.trl >= filters.trl_min  # NaN (no TRL) compares False
        if filters.trl_max is not None:
            keep &= columns.trl <= filters.trl_max
        return keep

    def _candidates(self, channels: dict[str, np.ndarray], lexical: np.ndarray, mask: np.ndarray, mode: Mode
                    ) -> list[int]:
        k = self.settings.match_candidates
        allowed = np.flatnonzero(mask)
        chosen: set[int] = set()
        for dense in channels.values() if mode != "lexical" and len(allowed) else ():
            chosen.update(int(i) for i in _top(allowed, dense[allowed], k))
        if mode != "dense" and len(allowed):
            positive = allowed[lexical[allowed] > 0]
            chosen.update(int(i) for i in _top(positive, lexical[positive], k))
        return sorted(chosen)

    def _fuse(
        self, candidates: list[int], dense: np.ndarray, lexical: np.ndarray, mode: Mode, alpha: float
    ) -> tuple[np.ndarray, dict[int, int], dict[int, int]]:
        if not candidates:
            return np.zeros(0), {}, {}
        idx = np.array(candidates)
        d, lx = dense[idx].astype(np.float64), lexical[idx].astype(np.float64)
        dense_rank = {int(candidates[j]): r + 1 for r, j in enumerate(np.argsort(-d, kind="stable"))}
        lexical_rank = {int(candidates[j]): r + 1 for r, j in enumerate(np.argsort(-lx, kind="stable")) if lx[j] > 0}
        if mode == "dense":
            return d, dense_rank, {}
        if mode == "lexical":
            return lx / (lx.max() or 1.0), {}, lexical_rank
        if self.settings.match_fusion == "rrf":
            k = 60.0
            fused = np.array([1 / (k + dense_rank[c]) + (1 / (k + lexical_rank[c]) if c in lexical_rank else 0.0)
                              for c in candidates])
            return fused, dense_rank, lexical_rank
        fused = convex_fusion(d, lx, d.min(), d.max() - d.min(), lx.max(), alpha)  # saved needs: the same function
        return fused, dense_rank, lexical_rank

    def _result(
        self, index: MatchIndex, i: int, total: float, fused: float, dense: float, lexical: float,
        dense_rank: int | None, lexical_rank: int | None, contributions: dict[str, Any],
        query_terms: dict[str, str], vectors: dict[str, np.ndarray], signals: _Signals,
    ) -> dict[str, Any]:
        profile = index.profiles[i]
        concepts = self.concepts()
        doc_terms = set(passage_tokens(profile.passages))
        matched = sorted({word for stem, word in query_terms.items() if stem in doc_terms})
        explanation: dict[str, Any] = {
            "dense": {"rank": dense_rank, "score": round(float(dense), 4)} if dense_rank else None,
            "lexical": {"rank": lexical_rank, "score": round(float(lexical), 4)} if lexical_rank else None,
            "fused": round(float(fused), 4),
            "fusion": self.settings.match_fusion,
            "signals": contributions,
            "matched_terms": matched,
            "shared_concepts": signals.shared_concepts(profile),
            "path": signals.path(profile),
            "passage": self._passage(index, i, vectors),
        }
        return {
            "id": profile.iri,
            "name": profile.name,
            "kind": profile.kind,
            "organisation": profile.organisation,
            "region": {"iri": profile.region, "label": concepts.labels.get(profile.region or "")}
            if profile.region else None,
            "country": concepts.notations.get(profile.country or "") if profile.country else None,
            "trl": profile.trl,
            "illustrative": profile.illustrative,
            "score": round(float(total), 4),
            "explanation": explanation,
        }


    def _passage(self, index: MatchIndex, i: int, vectors: dict[str, np.ndarray]) -> str | None:
        """The profile's passage closest to the query, by the first dense channel used."""
        for name, vector in vectors.items():
            model = self.multilingual.model_name if name == MULTILINGUAL and self.multilingual else None
            return index.best_passage(i, vector, model)[:400]
        return None


class _ProgressLog:
    """A text progress bar in the server log while a first start embeds passages (minutes on 2 cores).

    Why a log line: the index is built in a background thread at start-up, before anyone asks;
    the operator watching ``make run`` sees "[######----] 1,280/2,152 passages, 41 s, ~28 s left".
    """

    def __init__(self, direction: str) -> None:
        self.direction = direction
        self.started = time.perf_counter()
        self.round = 0

    def __call__(self, done: int, total: int) -> None:
        if done <= 256:  # a new model's pass begins (the embedder reports every 256 passages)
            self.round += 1
            self.started = time.perf_counter()
        elapsed = time.perf_counter() - self.started
        width = 20
        filled = int(width * done / max(total, 1))
        left = elapsed / done * (total - done) if done else 0.0
        log.info("embedding %s passages (model %d) [%s%s] %s/%s, %.0f s, ~%.0f s left", self.direction, self.round,
                 "#" * filled, "-" * (width - filled), f"{done:,}", f"{total:,}", elapsed, left)


def signal_total(fused: float, contributions: dict[str, dict[str, float]]) -> float:
    """A result's score: its fused retrieval score plus each graph signal's contribution.

    The one sum of ``Matcher.match`` and of saved needs (``graph.matching._saved``), so both give
    the same score for the same profile.
    """
    return fused + sum(c["contribution"] for c in contributions.values())


def _ranks(candidates: list[int], values: np.ndarray) -> dict[int, int]:
    """candidate -> 1-based rank by ``values`` (stable: ties keep candidate order)."""
    return {int(candidates[j]): r + 1 for r, j in enumerate(np.argsort(-values, kind="stable"))}


def _with_understanding(context: MatchContext, reading: QueryPlan) -> MatchContext:
    """The asker's context, its empty parts filled from the concepts recognised in the need."""
    found = reading.understanding
    regions = found.of("nuts2021")
    return MatchContext(
        region=context.region or (regions[0] if regions else None),
        fields=context.fields or found.of("euroscivoc"), sectors=context.sectors or found.of("nace2"),
        trl=context.trl if context.trl is not None else found.trl, organisation=context.organisation,
        kinds=context.kinds,  # a kind named in a need is as often the asker's ("our agency") as the partner's
    )


def _top(ids: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` best ids by score, without sorting everything (argpartition is linear)."""
    if len(ids) > k:
        keep = np.argpartition(-scores, k - 1)[:k]
        return ids[keep]
    return ids


class _Signals:
    """Graph evidence for one request: each signal in [0, 1], times its weight."""

    def __init__(self, matcher: Matcher, index: MatchIndex, context: MatchContext) -> None:
        self.matcher = matcher
        self.settings = matcher.settings
        self.concepts = matcher.concepts()
        self.fields = set(resolve_codes(matcher.store, "euroscivoc", "context.fields", context.fields))
        self.sectors = set(resolve_codes(matcher.store, "nace2", "context.sectors", context.sectors))
        self.region = resolve_codes(matcher.store, "nuts2021", "context.region", [context.region])[0] if context.region else None
        self.trl = context.trl
        self.kinds = set(context.kinds)
        self.origin = self._organisation(context.organisation) if context.organisation else None
        self.distances = matcher.network().distances(self.origin) if self.origin else {}

    @staticmethod
    def _organisation(value: str) -> str:
        return value if value.startswith("http") else organisation_iri(value).value

    def _overlap(self, mine: set[str], theirs: list[str]) -> tuple[float, list[str]]:
        """1 for the same concept, 1/(1+d) when d ``skos:broader`` steps join them; and the joints."""
        best, shared = 0.0, []
        for concept in theirs:
            chain = self.concepts.ancestors(concept)
            for wanted in mine:
                wanted_chain = self.concepts.ancestors(wanted)
                for depth, ancestor in enumerate(chain):
                    if ancestor in wanted_chain:
                        best = max(best, 1.0 / (1 + depth + wanted_chain.index(ancestor)))
                        shared.append(ancestor)
                        break
        return best, shared

    def of(self, profile: Profile) -> dict[str, dict[str, float]]:
        s = self.settings
        values = {
            "field": (self._overlap(self.fields, profile.fields)[0], s.weight_field),
            "sector": (self._overlap(self.sectors, profile.sectors)[0], s.weight_sector),
            "region": (self._region(profile), s.weight_region),
            "network": (self._network(profile), s.weight_network),
            "trl": (self._trl(profile), s.weight_trl),
            "kind": (1.0 if self.kinds and profile.kind in self.kinds else 0.0, s.weight_kind),
        }
        return {
            name: {"value": round(value, 3), "weight": weight, "contribution": round(value * weight, 4)}
            for name, (value, weight) in values.items()
            if value > 0
        }

    def _region(self, profile: Profile) -> float:
        if not self.region:
            return 0.0
        mine = self.concepts.ancestors(self.region)
        if profile.region:
            theirs = self.concepts.ancestors(profile.region)
            for depth, ancestor in enumerate(mine):
                if ancestor in theirs:
                    return max(0.0, 1.0 - 0.25 * depth)
        if profile.country and profile.country.endswith("/ROU") and mine[-1].endswith("/RO"):
            return 0.25
        return 0.0

    def _network(self, profile: Profile) -> float:
        distance = self.distances.get(profile.organisation)
        return 0.0 if not distance else 1.0 / distance

    def _trl(self, profile: Profile) -> float:
        if self.trl is None or profile.trl is None:
            return 0.0
        gap = self.trl - profile.trl
        return 1.0 if gap <= 0 else max(0.0, 1.0 - gap / 4)

    def shared_concepts(self, profile: Profile) -> list[dict[str, str]]:
        shared = self._overlap(self.fields, profile.fields)[1] + self._overlap(self.sectors, profile.sectors)[1]
        if self.region and profile.region:
            theirs = set(self.concepts.ancestors(profile.region))
            shared += [a for a in self.concepts.ancestors(self.region) if a in theirs][:1]
        return [{"iri": c, "label": self.concepts.labels.get(c, c)} for c in dict.fromkeys(shared)]

    def path(self, profile: Profile) -> list[dict[str, str]] | None:
        if not self.origin or profile.organisation not in self.distances:
            return None
        return self.matcher.network().path(self.origin, profile.organisation)

