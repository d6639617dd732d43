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

from pydantic import Field
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

    # --- matching (defaults chosen on training splits only: see benchmarks/README.md)
    embedding_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="sentence-transformers model name or local path; the default ships in a package.",
    )
    embedding_cache: Path | None = Field(
        default=None,
        description="SQLite file of cached passage embeddings (default: <data_dir>/cache/embeddings.sqlite).",
    )
    match_candidates: int = Field(default=200, gt=0, description="Candidates kept from each retriever.")
    match_fusion: Literal["convex", "rrf"] = Field(
        default="convex", description="convex: alpha*dense + (1-alpha)*bm25 on normalised scores; rrf: k=60."
    )
    match_alpha: float = Field(default=0.5, ge=0, le=1, description="Weight of the dense score in convex fusion.")
    weight_field: float = Field(default=0.05, ge=0, description="Shared EuroSciVoc field (via skos:broader).")
    weight_sector: float = Field(default=0.05, ge=0, description="Shared NACE sector (via skos:broader).")
    weight_region: float = Field(default=0.05, ge=0, description="NUTS proximity to the asker's region.")
    weight_network: float = Field(default=0.05, ge=0, description="Closeness in the collaboration network.")
    weight_trl: float = Field(default=0.05, ge=0, description="Offer TRL at or above the level wanted.")
    weight_kind: float = Field(default=0.02, ge=0, description="Partner of a preferred organisation kind.")

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
