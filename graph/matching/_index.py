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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from graph.matching import _dense_scan as dense_scan
from graph.matching._embeddings import Embedder
from graph.matching._lexical import LexicalIndex
from graph.matching._profiles import Direction, Profile, build_profiles
from graph.store import GraphStore, generation_text, store_generation
from graph.views import Concepts

log = logging.getLogger(__name__)
INDEX_VERSION = 2  # 2: passages stemmed per language; optional vectors of further models
COUNTRY_RO = "http://publications.europa.eu/resource/authority/country/ROU"


class FilterColumns:
    """Per-profile arrays for vectorised filtering; masks per region/field/sector value are cached.

    Why: a Python loop over 100k profiles costs ~80 ms per request, an ``np.isin`` under 1 ms.
    Regions, fields and sectors are kept as (profile, concept code) pairs, so a filter value
    only tests its few hundred distinct concepts against the hierarchy, never every profile
    (its first use cost 0.5-1 s at 100k profiles when it looped over them).
    """

    def __init__(self, profiles: list[Profile], concepts: Concepts) -> None:
        self.profiles = profiles
        self.concepts = concepts
        # Categorical columns: values once, an integer code per profile (np.isin on 100k Python
        # strings cost ~5 ms per filter, on integer codes ~0.2 ms).
        self._kind_values, self._kind_codes = _categorical([p.kind for p in profiles])
        self._country_values, self._country_codes = _categorical([p.country or "" for p in profiles])
        self.illustrative = np.array([p.illustrative for p in profiles], dtype=bool)
        # expiry as a date ordinal (no expiry: never); a record past it leaves matching (graph.records)
        self.expires = np.array([_ordinal(p.expires) for p in profiles], dtype=np.int64)
        self.trl = np.array([np.nan if p.trl is None else p.trl for p in profiles], dtype=float)
        self._pairs = {
            "region": _pairs([[p.region] if p.region else [] for p in profiles]),
            "field": _pairs([p.fields for p in profiles]),
            "sector": _pairs([p.sectors for p in profiles]),
        }
        self._masks: dict[tuple[str, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def append(self, profiles: list[Profile]) -> None:
        """Extend every column with ``profiles`` (already appended to ``self.profiles``): the incremental
        path of ``MatchIndex.add_profiles``; rebuilding the columns cost 1-2 s at 100k profiles."""
        def codes(values: dict[str, int], column: np.ndarray, new: list[str]) -> np.ndarray:
            return np.concatenate([column, np.array([values.setdefault(v, len(values)) for v in new], dtype=np.int32)])

        self._kind_codes = codes(self._kind_values, self._kind_codes, [p.kind for p in profiles])
        self._country_codes = codes(self._country_values, self._country_codes, [p.country or "" for p in profiles])
        self.illustrative = np.concatenate([self.illustrative, [p.illustrative for p in profiles]]).astype(bool)
        self.trl = np.concatenate([self.trl, [np.nan if p.trl is None else p.trl for p in profiles]]).astype(float)
        self.expires = np.concatenate([self.expires, [_ordinal(p.expires) for p in profiles]]).astype(np.int64)
        first = len(self.profiles) - len(profiles)
        for attribute, per_profile in (("region", [[p.region] if p.region else [] for p in profiles]),
                                       ("field", [p.fields for p in profiles]), ("sector", [p.sectors for p in profiles])):
            values, owners, value_codes = self._pairs[attribute]
            index = {v: i for i, v in enumerate(values)}
            new_owners, new_codes = [], []
            for offset, found in enumerate(per_profile):
                for value in found:
                    if value not in index:
                        index[value] = len(values)
                        values.append(value)
                    new_owners.append(first + offset)
                    new_codes.append(index[value])
            self._pairs[attribute] = (values, np.concatenate([owners, np.array(new_owners, dtype=np.int64)]),
                                      np.concatenate([value_codes, np.array(new_codes, dtype=np.int64)]))
        with self._lock:
            self._masks.clear()  # recomputed per filter value on next use (a few hundred concepts each)

    def of_kind(self, kinds: list[str]) -> np.ndarray:
        """Profiles whose kind is one of ``kinds``."""
        return _isin(self._kind_codes, self._kind_values, kinds)

    def of_country(self, countries: list[str]) -> np.ndarray:
        """Profiles whose country IRI is one of ``countries``."""
        return _isin(self._country_codes, self._country_values, countries)

    def under(self, attribute: str, concept: str) -> np.ndarray:
        """Profiles whose region/field/sector is ``concept`` or below it (``skos:broader``).

        A region filter also keeps profiles known only by country when the filter is the country.
        """
        key = (attribute, concept)
        with self._lock:
            mask = self._masks.get(key)
            if mask is None:
                values, owners, codes = self._pairs[attribute]
                below = np.array([concept in self.concepts.ancestors(v) for v in values], dtype=bool)
                mask = np.zeros(len(self.profiles), dtype=bool)
                if len(values):
                    mask[owners[below[codes]]] = True
                if attribute == "region" and concept.endswith("/RO"):
                    mask |= self.of_country([COUNTRY_RO])
                self._masks[key] = mask
            return mask


def _ordinal(day: str | None) -> int:
    return date.fromisoformat(day).toordinal() if day else date.max.toordinal()


def _pairs(per_profile: list[list[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Distinct values, and one (profile index, value code) pair per value of each profile."""
    codes: dict[str, int] = {}
    owners: list[int] = []
    value_codes: list[int] = []
    for i, values in enumerate(per_profile):
        for value in values:
            owners.append(i)
            value_codes.append(codes.setdefault(value, len(codes)))
    return list(codes), np.array(owners, dtype=np.int64), np.array(value_codes, dtype=np.int64)


def _categorical(values: list[str]) -> tuple[dict[str, int], np.ndarray]:
    codes: dict[str, int] = {}
    column = np.fromiter((codes.setdefault(v, len(codes)) for v in values), dtype=np.int32, count=len(values))
    return codes, column


def _isin(column: np.ndarray, codes: dict[str, int], wanted: list[str]) -> np.ndarray:
    return np.isin(column, [codes[w] for w in wanted if w in codes])


@dataclass
class MatchIndex:
    direction: Direction
    profiles: list[Profile]
    vectors: np.ndarray  # one row per passage, L2-normalised
    owners: np.ndarray  # passage -> profile index, non-decreasing
    generation: str
    model: str
    #: Vectors of further models (e.g. multilingual-e5), row for row the same passages as ``vectors``.
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    lexical: LexicalIndex = field(init=False)
    starts: np.ndarray = field(init=False)
    #: Profiles replaced or withdrawn since the build (``retire``): never matched.
    retired: np.ndarray = field(init=False)
    _columns: FilterColumns | None = field(init=False, default=None)
    _buffers: dict[str, np.ndarray] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        # Every profile has at least one passage (build_profiles guarantees it): the scan takes
        # each profile's best passage and would give a neighbour's score to an empty one.
        counts = np.bincount(self.owners, minlength=len(self.profiles)) if len(self.owners) else np.zeros(0)
        if len(self.profiles) and (len(counts) != len(self.profiles) or not counts.all()
                                   or np.any(np.diff(self.owners) < 0)):
            raise ValueError("a matching index needs one or more passages per profile, grouped by profile")
        if len(self.vectors) != len(self.owners) or self.vectors.ndim != 2:
            raise ValueError(f"{len(self.vectors)} passage vectors for {len(self.owners)} passages")
        if any(len(v) != len(self.owners) for v in self.extra.values()):
            raise ValueError("every model's vectors must cover the same passages")
        self.lexical = LexicalIndex([p.passages for p in self.profiles])
        self.starts = np.searchsorted(self.owners, np.arange(len(self.profiles))) if len(self.profiles) else np.zeros(0, dtype=np.int64)
        self.retired = np.zeros(len(self.profiles), dtype=bool)

    # --- incremental path (graph.records): a member's edit without a rebuild

    def retire(self, iris: set[str]) -> int:
        """Take the profiles of ``iris`` out of matching (their rows stay, masked); how many."""
        hits = [i for i, p in enumerate(self.profiles) if p.iri in iris and not self.retired[i]]
        self.retired[hits] = True
        return len(hits)

    def add_profiles(self, profiles: list[Profile], vectors: np.ndarray, extra: dict[str, np.ndarray]) -> None:
        """Append profiles whose passages (in order, one or more each) have ``vectors`` (and ``extra``).

        Why buffers with spare rows: at 100k profiles the passage vectors are ~350 MiB, and
        copying them on every edit would cost more than the edit; the first append copies once
        into a buffer with room for 1,024 more passages, later ones only write their rows.
        """
        counts = [len(p.passages) for p in profiles]
        if not profiles or min(counts) < 1 or len(vectors) != sum(counts):
            raise ValueError("add_profiles needs one or more passages per profile and one vector per passage")
        if set(extra) != set(self.extra):
            raise ValueError("add_profiles needs the vectors of every model of the index")
        first_profile, first_row = len(self.profiles), len(self.owners)
        self.vectors = self._grow("vectors", self.vectors, vectors)
        for name, rows in extra.items():
            self.extra[name] = self._grow(f"extra:{name}", self.extra[name], rows)
        new_owners = np.repeat(np.arange(first_profile, first_profile + len(profiles)), counts).astype(np.int64)
        self.starts = np.concatenate([self.starts, first_row + np.cumsum([0, *counts[:-1]])]).astype(np.int64)
        self.owners = np.concatenate([self.owners, new_owners])
        self.retired = np.concatenate([self.retired, np.zeros(len(profiles), dtype=bool)])
        self.profiles.extend(profiles)
        self.lexical.append([p.passages for p in profiles])
        if self._columns is not None:
            self._columns.append(profiles)

    def _grow(self, name: str, current: np.ndarray, rows: np.ndarray) -> np.ndarray:
        buffer = self._buffers.get(name)
        used, total = len(current), len(current) + len(rows)
        if buffer is None or current.base is not buffer or len(buffer) < total:
            buffer = np.empty((total + 1024, current.shape[1]), dtype=current.dtype)
            buffer[:used] = current
            self._buffers[name] = buffer
        buffer[used:total] = rows
        return buffer[:total]

    def columns(self, concepts: Concepts) -> FilterColumns:
        if self._columns is None or self._columns.concepts is not concepts:
            self._columns = FilterColumns(self.profiles, concepts)
        return self._columns

    def vectors_of(self, model: str | None) -> np.ndarray:
        """The passage vectors of ``model`` (None or the index's own model: ``vectors``)."""
        return self.vectors if model in (None, self.model) else self.extra[model]

    def dense_scores(self, query: np.ndarray, threads: int | None = None, model: str | None = None) -> np.ndarray:
        """Best passage score per profile (cosine similarity, vectors are normalised); exact."""
        return dense_scan.best_per_profile(self.vectors_of(model), self.starts, query,
                                           threads or dense_scan.default_threads())

    def best_passage(self, profile: int, query: np.ndarray, model: str | None = None) -> str:
        """The passage of ``profile`` closest to the query: what the explanation quotes."""
        end = self.starts[profile + 1] if profile + 1 < len(self.starts) else len(self.owners)
        local = int(np.argmax(self.vectors_of(model)[self.starts[profile] : end] @ query))
        return self.profiles[profile].passages[local]

    @classmethod
    def build(
        cls, store: GraphStore, direction: Direction, embedder: Embedder,
        progress: Callable[[int, int], None] | None = None, extra: Sequence[Embedder] = (),
    ) -> MatchIndex:
        started = time.perf_counter()
        generation = generation_text(store_generation(store))  # the form meta.json records
        profiles = build_profiles(store, direction).profiles
        passages = [(i, text) for i, p in enumerate(profiles) for text in p.passages]
        vectors = embedder.encode([text for _, text in passages], progress=progress)
        owners = np.array([i for i, _ in passages], dtype=np.int64)
        more = {e.model_name: e.encode([text for _, text in passages], progress=progress) for e in extra}
        log.info("built %s index: %d profiles, %d passages in %.1fs", direction, len(profiles), len(passages),
                 time.perf_counter() - started)
        return cls(direction, profiles, vectors, owners, generation, embedder.model_name, more)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "profiles.json.tmp"
        tmp.write_text(json.dumps([p.as_dict() for p in self.profiles], ensure_ascii=False))
        np.save(folder / "vectors.npy", self.vectors)
        np.save(folder / "owners.npy", self.owners)
        for number, name in enumerate(self.extra):
            np.save(folder / f"vectors-{number}.npy", self.extra[name])
        tmp.replace(folder / "profiles.json")
        meta = {"version": INDEX_VERSION, "generation": self.generation, "model": self.model,
                "direction": self.direction, "profiles": len(self.profiles), "extra": list(self.extra)}
        (folder / "meta.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, folder: Path, generation: str, model: str, extra: Sequence[str] = ()) -> MatchIndex | None:
        """The saved index if it is of this store generation and these models, else None.

        A saved index that cannot be read whole (truncated or garbled files) is also None, with a
        log line saying why: the caller rebuilds it from the store.
        """
        if not (folder / "meta.json").exists():
            return None
        try:
            meta = json.loads((folder / "meta.json").read_text())
            if (meta["version"], meta["generation"], meta["model"], meta.get("extra", [])) != (
                    INDEX_VERSION, generation, model, list(extra)):
                return None
            profiles = [Profile(**p) for p in json.loads((folder / "profiles.json").read_text())]
            vectors = np.load(folder / "vectors.npy")
            owners = np.load(folder / "owners.npy")
            more = {name: np.load(folder / f"vectors-{n}.npy") for n, name in enumerate(extra)}
            return cls(meta["direction"], profiles, vectors, owners, generation, model, more)
        except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
            log.warning("saved matching index %s is damaged (%s: %s): rebuilding it from the store",
                        folder, type(exc).__name__, exc)
            return None
