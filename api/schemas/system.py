"""Health, readiness and store statistics."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok", "version": "0.1.0"}]})

    status: Literal["ok"]
    version: str


class IriPrefixes(BaseModel):
    """Where the IRIs of each kind start; the rest of an IRI is the id the API's paths take."""

    organisation: str = Field(description="GET /organisations/{id} takes the part of an organisation's IRI after "
                              "this (osim, pic/999918293).")
    offer: str = Field(description="/offers/{record_id} takes the part of an offer's IRI after this.")
    request: str = Field(description="/requests/{record_id} takes the part of a request's IRI after this.")
    project: str = Field(description="Projects: the part after this is rcn/<RCN> for CORDIS projects, id/<key> for ours.")


class ClientConfig(BaseModel):
    """What a client (the web UI) reads once at start instead of hard-coding it: the IRI scheme."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"iri_prefixes": {
            "organisation": "https://w3id.org/innograph/id/org/", "offer": "https://w3id.org/innograph/id/offer/",
            "request": "https://w3id.org/innograph/id/request/", "project": "https://w3id.org/innograph/id/project/"}}]}
    )

    iri_prefixes: IriPrefixes


class ComponentState(BaseModel):
    name: str
    description: str
    state: Literal["pending", "building", "ready", "failed"]
    required: bool = Field(description="/ready answers 503 until every required component is ready.")
    progress: float | None = Field(None, description="0..1 where measurable (1 when ready).")
    registered_at: str
    started_at: str | None = None
    finished_at: str | None = None
    seconds: float | None = Field(None, description="How long the build took.")
    elapsed_seconds: float | None = Field(None, description="How long it has been building so far.")
    rss_delta_mb: float | None = Field(
        None, description="Resident memory of the server after the build minus before, in MB (an estimate: "
                          "other threads allocate meanwhile).")
    error: str | None = None


class Readiness(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "ready", "graphs": 14, "missing": [], "progress": 1.0,
                                         "components": []}]}
    )

    status: Literal["ready"]
    graphs: int = Field(description="Named graphs (sources) in the store.")
    missing: list[str] = Field(description="Base graphs (ontology, vocabularies) not loaded; empty when ready.")
    progress: float = Field(1.0, description="Share of the required components that are ready.")
    components: list[ComponentState] = Field(default_factory=list, description="What the server builds at start.")


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
