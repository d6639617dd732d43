"""Health, readiness and store statistics."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok", "version": "0.1.0"}]})

    status: Literal["ok"]
    version: str


class Readiness(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "ready", "graphs": 14, "missing": []}]}
    )

    status: Literal["ready"]
    graphs: int = Field(description="Named graphs (sources) in the store.")
    missing: list[str] = Field(description="Base graphs (ontology, vocabularies) not loaded; empty when ready.")


class ClassCount(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    class_: str = Field(alias="class")
    entities: int


class SourceRun(BaseModel):
    graph: str
    kind: str
    last_run: str
    records_read: int
    records_written: int
    records_rejected: int
    quads: int
    sha256: str


class StoreStatistics(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "quads": 1219626,
                    "classes": [{"class": "https://w3id.org/innograph/def#Participation", "entities": 144726}],
                    "sources": [
                        {"graph": "https://w3id.org/innograph/graph/illustrative", "kind": "tabular",
                         "last_run": "2026-01-05T10:00:00+00:00", "records_read": 27, "records_written": 27,
                         "records_rejected": 0, "quads": 407, "sha256": "9f2c..."}
                    ],
                }
            ]
        }
    )

    quads: int
    classes: list[ClassCount]
    sources: list[SourceRun]
