"""The matching index of one direction: profiles, passage vectors, BM25, and concept hierarchies.

Why persisted under the data folder: a restart must not re-embed anything. The index is a
derived structure, rebuilt from the store when the store's generation (the set of ingest
runs) changes, never edited by hand.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from graph import _profile_queries as q
from graph.embeddings import Embedder
from graph.generation import store_generation as generation_key
from graph.lexical import LexicalIndex
from graph.profiles import Direction, Profile, build_profiles
from graph.store import GraphStore

log = logging.getLogger(__name__)
INDEX_VERSION = 1
COUNTRY_RO = "http://publications.europa.eu/resource/authority/country/ROU"


def store_generation(store: GraphStore) -> str:
    """The store's generation (``graph.generation``) as the string an index records in meta.json.

    One key for every derived structure: it changes with ingest runs, SPARQL updates and graphs
    removed at recovery alike, and costs one small query of the provenance graph.
    """
    return "/".join(str(part) for part in generation_key(store))


@dataclass
class Concepts:
    """Labels and ``skos:broader`` ancestors of every concept, for filters and explanations."""

    labels: dict[str, str] = field(default_factory=dict)
    notations: dict[str, str] = field(default_factory=dict)
    parents: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def from_store(cls, store: GraphStore) -> Concepts:
        concepts = cls()
        for row in store.select(q.CONCEPTS):
            iri = row["c"].value
            if row["label"] is not None:
                concepts.labels.setdefault(iri, row["label"].value)
            if row["notation"] is not None:
                concepts.notations.setdefault(iri, row["notation"].value)
            if row["broader"] is not None and row["broader"].value not in concepts.parents[iri]:
                concepts.parents[iri].append(row["broader"].value)
        return concepts

    def ancestors(self, iri: str) -> list[str]:
        """``iri`` and everything above it, nearest first."""
        out, frontier = [iri], [iri]
        while frontier:
            frontier = [p for c in frontier for p in self.parents.get(c, []) if p not in out]
            out.extend(frontier)
        return out


class FilterColumns:
    """Per-profile arrays for vectorised filtering; masks per region/field/sector value are cached.

    Why: a Python loop over 100k profiles costs ~80 ms per request, an ``np.isin`` under 1 ms.
    """

    def __init__(self, profiles: list[Profile], concepts: Concepts) -> None:
        self.profiles = profiles
        self.concepts = concepts
        self.kinds = np.array([p.kind for p in profiles], dtype=object)
        self.countries = np.array([p.country or "" for p in profiles], dtype=object)
        self.illustrative = np.array([p.illustrative for p in profiles], dtype=bool)
        self.trl = np.array([np.nan if p.trl is None else p.trl for p in profiles], dtype=float)
        self._masks: dict[tuple[str, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def under(self, attribute: str, concept: str) -> np.ndarray:
        """Profiles whose region/field/sector is ``concept`` or below it (``skos:broader``).

        A region filter also keeps profiles known only by country when the filter is the country.
        """
        key = (attribute, concept)
        with self._lock:
            mask = self._masks.get(key)
            if mask is None:
                memo: dict[str, bool] = {}

                def hit(value: str) -> bool:
                    if value not in memo:
                        memo[value] = concept in self.concepts.ancestors(value)
                    return memo[value]

                values: list[list[str]]
                if attribute == "region":
                    values = [[p.region] if p.region else [] for p in self.profiles]
                else:
                    values = [getattr(p, f"{attribute}s") for p in self.profiles]
                mask = np.array([any(hit(v) for v in vs) for vs in values], dtype=bool)
                if attribute == "region" and concept.endswith("/RO"):
                    mask |= self.countries == COUNTRY_RO
                self._masks[key] = mask
            return mask


@dataclass
class MatchIndex:
    direction: Direction
    profiles: list[Profile]
    vectors: np.ndarray  # one row per passage, L2-normalised
    owners: np.ndarray  # passage -> profile index, non-decreasing
    generation: str
    model: str
    lexical: LexicalIndex = field(init=False)
    starts: np.ndarray = field(init=False)
    _columns: FilterColumns | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.lexical = LexicalIndex([p.text for p in self.profiles])
        self.starts = np.searchsorted(self.owners, np.arange(len(self.profiles))) if len(self.profiles) else np.zeros(0, dtype=np.int64)

    def columns(self, concepts: Concepts) -> FilterColumns:
        if self._columns is None or self._columns.concepts is not concepts:
            self._columns = FilterColumns(self.profiles, concepts)
        return self._columns

    def dense_scores(self, query: np.ndarray) -> np.ndarray:
        """Best passage score per profile (cosine similarity, vectors are normalised)."""
        return self.dense_scores_batch(query[np.newaxis, :])[:, 0]

    def dense_scores_batch(self, queries: np.ndarray) -> np.ndarray:
        """``dense_scores`` of several queries at once (profiles x queries): one pass over the vectors."""
        if not len(self.profiles):
            return np.zeros((0, len(queries)), dtype=np.float32)
        return np.maximum.reduceat(self.vectors @ queries.T, self.starts, axis=0).astype(np.float32, copy=False)

    def best_passage(self, profile: int, query: np.ndarray) -> str:
        """The passage of ``profile`` closest to the query: what the explanation quotes."""
        end = self.starts[profile + 1] if profile + 1 < len(self.starts) else len(self.owners)
        local = int(np.argmax(self.vectors[self.starts[profile] : end] @ query))
        return self.profiles[profile].passages[local]

    @classmethod
    def build(
        cls, store: GraphStore, direction: Direction, embedder: Embedder,
        progress: Callable[[int, int], None] | None = None,
    ) -> MatchIndex:
        started = time.perf_counter()
        generation = store_generation(store)
        profiles = build_profiles(store, direction).profiles
        passages = [(i, text) for i, p in enumerate(profiles) for text in p.passages]
        vectors = embedder.encode([text for _, text in passages], progress=progress)
        owners = np.array([i for i, _ in passages], dtype=np.int64)
        log.info("built %s index: %d profiles, %d passages in %.1fs", direction, len(profiles), len(passages),
                 time.perf_counter() - started)
        return cls(direction, profiles, vectors, owners, generation, embedder.model_name)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "profiles.json.tmp"
        tmp.write_text(json.dumps([p.as_dict() for p in self.profiles], ensure_ascii=False))
        np.save(folder / "vectors.npy", self.vectors)
        np.save(folder / "owners.npy", self.owners)
        tmp.replace(folder / "profiles.json")
        meta = {"version": INDEX_VERSION, "generation": self.generation, "model": self.model,
                "direction": self.direction, "profiles": len(self.profiles)}
        (folder / "meta.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, folder: Path, generation: str, model: str) -> MatchIndex | None:
        """The saved index if it is of this store generation and model, else None."""
        try:
            meta = json.loads((folder / "meta.json").read_text())
            if (meta["version"], meta["generation"], meta["model"]) != (INDEX_VERSION, generation, model):
                return None
            profiles = [Profile(**p) for p in json.loads((folder / "profiles.json").read_text())]
            vectors = np.load(folder / "vectors.npy")
            owners = np.load(folder / "owners.npy")
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return cls(meta["direction"], profiles, vectors, owners, generation, model)
