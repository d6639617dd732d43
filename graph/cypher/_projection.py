"""The property-graph projection of the RDF store, for Cypher: build, rebuild, check freshness.

Why a projection and not Cypher over RDF: analysts and brokers think in nodes and
relationships, and the engines that run Cypher well keep their own storage. The RDF store
stays the source of truth; the projection is derived from it by the fixed mapping of
``graph.cypher._projection_mapping`` (README: "Cypher") and rebuilt, never edited by hand.

Why a full rebuild: on the full bundled data (37k organisations, 32k projects, 146k
participations) reading the store takes 12-16 s and loading the embedded engine 5-7 s here
(benchmarks/bench_cypher.py), and names, kinds and countries of one organisation come from
several sources, so a per-source increment would need a per-source inverse of the mapping for
little gain. A rebuild is skipped when the store's generation
(``graph.store._generation``: PROV runs) is the one the projection was built from.

>>> from common.settings import Settings
>>> from graph.store import GraphStore
>>> report = rebuild_projection(GraphStore(None), Settings(data_dir="/tmp/innograph-doctest"))  # doctest: +SKIP
>>> report.counts["Organisation"]  # doctest: +SKIP
0
"""

from __future__ import annotations

import fcntl
import json
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common.errors import InvalidInputError
from common.settings import Settings
from graph.cypher._base import CypherEngine
from graph.cypher._embedded import EmbeddedEngine
from graph.cypher._projection_extract import ProjectionData, extract
from graph.cypher._projection_mapping import NODES, NOT_PROJECTED, RELS
from graph.store import GraphStore, store_generation

log = logging.getLogger(__name__)

META_FILE = "projection.json"
ENGINES = ("embedded", "neo4j")
_process_lock = threading.Lock()


@dataclass
class ProjectionReport:
    """What a rebuild did: counts per label and type, and where the time went."""

    generation: list[Any]
    counts: dict[str, int]
    extract_seconds: float
    load_seconds: dict[str, float] = field(default_factory=dict)
    built_at: str = ""
    skipped: list[str] = field(default_factory=list)  # engines already up to date

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def open_engine(settings: Settings, name: str | None = None) -> CypherEngine:
    """The engine called ``name`` (default ``settings.cypher_engine``); Neo4j only when configured."""
    name = name or settings.cypher_engine
    if name == "embedded":
        return EmbeddedEngine(settings.cypher_dir, memory_mb=settings.cypher_memory_mb)
    if name == "neo4j":
        if not settings.neo4j_uri:
            raise InvalidInputError("engine", "Neo4j is not configured here (INNOGRAPH_NEO4J_URI is not set)")
        from graph.cypher._neo4j import Neo4jEngine

        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        return Neo4jEngine(settings.neo4j_uri, settings.neo4j_user, password, settings.neo4j_database,
                           batch_size=settings.neo4j_batch_size)
    raise InvalidInputError("engine", f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")


def configured_engines(settings: Settings) -> list[str]:
    """The engines a rebuild writes: the embedded one always, Neo4j when a URI is set."""
    return ["embedded", "neo4j"] if settings.neo4j_uri else ["embedded"]


def read_meta(settings: Settings) -> dict[str, Any]:
    """The generation each engine's projection was built from (empty when never built)."""
    try:
        data: dict[str, Any] = json.loads((settings.cypher_dir / META_FILE).read_text(encoding="utf-8"))
        return data
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _engine_key(settings: Settings, name: str) -> str:
    return f"neo4j {settings.neo4j_uri} {settings.neo4j_database or ''}".strip() if name == "neo4j" else name


def is_fresh(store: GraphStore, settings: Settings, name: str = "embedded") -> bool:
    """True when ``name``'s projection was built from the store's current generation."""
    entry = read_meta(settings).get(_engine_key(settings, name)) or {}
    fresh = bool(entry) and entry.get("generation") == list(store_generation(store))
    if name == "embedded":
        fresh = fresh and (settings.cypher_dir / "graph.lbug").exists()
    return fresh


@contextmanager
def _build_lock(settings: Settings) -> Iterator[None]:
    """One rebuild at a time, across threads and processes (an advisory lock file)."""
    settings.cypher_dir.mkdir(parents=True, exist_ok=True)
    with _process_lock, (settings.cypher_dir / ".build.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def rebuild_projection(
    store: GraphStore, settings: Settings, engines: Sequence[str] | None = None, *, force: bool = True,
    data: ProjectionData | None = None,
) -> ProjectionReport:
    """Rebuild the projection in ``engines`` (default: every configured one) from ``store``.

    Call it after an ingest; with ``force=False`` engines already built from the store's
    current generation are skipped (what ``ensure_projection`` does before a query).
    """
    names = list(engines or configured_engines(settings))
    with _build_lock(settings):
        generation = list(store_generation(store))
        todo = [n for n in names if force or not is_fresh(store, settings, n)]
        report = ProjectionReport(generation, {}, 0.0, skipped=[n for n in names if n not in todo])
        if not todo:
            return report
        if data is None:
            data = extract(store)
        report.counts, report.extract_seconds = data.counts, round(data.seconds, 3)
        meta = read_meta(settings)
        for name in todo:
            engine = open_engine(settings, name)
            try:
                report.load_seconds[name] = round(engine.load(data), 3)
            finally:
                engine.close()
            meta[_engine_key(settings, name)] = {
                "generation": generation, "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "counts": data.counts, "extract_seconds": report.extract_seconds,
                "load_seconds": report.load_seconds[name],
            }
            log.info("projection into %s: %s in %.1f s", name, data.counts, report.load_seconds[name])
        _write_meta(settings.cypher_dir / META_FILE, meta)
        report.built_at = datetime.now(UTC).isoformat(timespec="seconds")
        return report


def refresh_projection(store: GraphStore, settings: Settings) -> ProjectionReport | None:
    """After an ingest: rebuild the projections that were built before (someone uses them); None if none.

    Why not always: a data folder whose users never ask Cypher should not pay the rebuild on
    every ingest; the first query builds it (``ensure_projection``) and from then on it follows.
    """
    meta = read_meta(settings)
    used = [name for name in configured_engines(settings) if _engine_key(settings, name) in meta]
    return rebuild_projection(store, settings, used, force=False) if used else None


def ensure_projection(store: GraphStore, settings: Settings, engine: str = "embedded") -> bool:
    """Rebuild ``engine``'s projection if the store changed since it was built; True if it did."""
    if is_fresh(store, settings, engine):
        return False
    started = time.perf_counter()
    report = rebuild_projection(store, settings, [engine], force=False)
    if report.load_seconds:
        log.warning("the %s projection was stale: rebuilt in %.1f s", engine, time.perf_counter() - started)
    return bool(report.load_seconds)


def _write_meta(path: Path, meta: dict[str, Any]) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def mapping_table() -> str:
    """The mapping as Markdown tables, for the README (``innograph project --mapping``)."""
    lines = ["| node label | RDF | properties besides `iri` (type: source) |", "|---|---|---|"]
    for spec in NODES:
        props = "<br>".join(f"`{p.name}` {p.type}: {p.doc or p.pattern}" for p in spec.props)
        extra = "".join(f"<br>Neo4j also labels `:{x.label}` where `{x.where}`" for x in spec.extra_labels)
        lines.append(f"| `{spec.label}` | {spec.source}{extra} | {props} |")
    lines += ["", "| relationship | from -> to | RDF | properties |", "|---|---|---|---|"]
    for rel in RELS:
        pairs = "<br>".join(f"{a} -> {b}" for a, b in rel.pairs)
        props = "<br>".join(f"`{p.name}` {p.type}: {p.doc}" for p in rel.props)
        lines.append(f"| `{rel.type}` | {pairs} | {rel.source} | {props} |")
    lines += ["", "| not projected | why |", "|---|---|"]
    lines += [f"| `{term}` | {why} |" for term, why in NOT_PROJECTED.items()]
    return "\n".join(lines)
