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

    @property
    def store_dir(self) -> Path:
        """Where the Oxigraph store lives inside the data folder."""
        return self.data_dir / "store"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process (tests build their own ``Settings``)."""
    return Settings()
