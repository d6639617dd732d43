"""Responses of the SPARQL update and Graph Store endpoints (queries answer in SPARQL formats)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class WriteResult(BaseModel):
    """What a write did; its PROV record is in the provenance graph under ``run``."""

    run: str = Field(description="IRI of the ig:UpdateRun recorded in https://w3id.org/innograph/graph/provenance.")
    created: bool = Field(description="The write created the graph (Graph Store PUT/POST).")
    triples: int | None = Field(default=None, description="Triples sent (Graph Store PUT/POST).")
    seconds: float


class Example(BaseModel):
    """One question of the analyst query set, for the query page."""

    name: str
    question: str
    query: str
