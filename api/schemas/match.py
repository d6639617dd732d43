"""Request and response shapes of POST /match and POST /match/demand."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.matching import MAX_TEXT


class MatchFiltersIn(BaseModel):
    """Hard filters: a result failing one is never returned."""

    model_config = ConfigDict(extra="forbid")

    regions: list[str] = Field(default_factory=list, description="NUTS 2021 codes, any level (RO, RO2, RO21, RO213).")
    countries: list[str] = Field(default_factory=list, description="CORDIS two-letter country codes (RO, DE, EL, UK).")
    kinds: list[str] = Field(
        default_factory=list,
        description="Organisation kinds (igv:org-kind notations: research-unit, university, sme, HES, REC ...) "
        "or 'offer' / 'request'.",
    )
    trl_min: int | None = Field(default=None, ge=1, le=9, description="Lowest TRL reached by an offer.")
    trl_max: int | None = Field(default=None, ge=1, le=9, description="Highest TRL of an offer.")
    fields: list[str] = Field(default_factory=list, description="EuroSciVoc fields (code, label or IRI); narrower fields match.")
    sectors: list[str] = Field(default_factory=list, description="NACE Rev.2 or CAEN codes; narrower codes match.")
    include_illustrative: bool = Field(default=True, description="Include the invented example records.")


class MatchContextIn(BaseModel):
    """What the asker is: soft evidence that re-ranks, never excludes."""

    model_config = ConfigDict(extra="forbid")

    region: str | None = Field(default=None, description="Your NUTS region: nearer results rank higher.")
    fields: list[str] = Field(default_factory=list, description="Your fields of science.")
    sectors: list[str] = Field(default_factory=list, description="Your NACE/CAEN sectors.")
    trl: int | None = Field(default=None, ge=1, le=9, description="The TRL you need at least.")
    organisation: str | None = Field(
        default=None, description="Your organisation id (pic/999999999, osim): closer collaborators rank higher "
        "and the collaboration path is shown."
    )
    kinds: list[str] = Field(default_factory=list, description="Partner kinds you prefer.")


class MatchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"text": "Căutăm o metodă mai ieftină de uscare a cerealelor fără gaz", "limit": 5,
                 "context": {"region": "RO21", "sectors": ["01.11"]}},
                {"text": "we need a cheaper way to dry grain without gas", "filters": {"regions": ["RO"]},
                 "limit": 10, "offset": 0},
            ]
        },
    )

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="The need (or the offer) in your own words.")
    filters: MatchFiltersIn = Field(default_factory=MatchFiltersIn)
    context: MatchContextIn = Field(default_factory=MatchContextIn)
    limit: int = Field(default=10, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=10_000)
    mode: Literal["hybrid", "dense", "lexical"] = Field(
        default="hybrid", description="Retrieval used: both fused (default), embeddings only, or BM25 only."
    )


class MatchResult(BaseModel):
    id: str = Field(description="IRI of the organisation, offer or request.")
    name: str
    kind: str = Field(description="Organisation kind notation, or 'offer' / 'request'.")
    organisation: str = Field(description="IRI of the organisation (the owner, for offers and requests).")
    region: dict[str, Any] | None
    country: str | None
    trl: int | None
    illustrative: bool = Field(description="True for invented example records.")
    score: float = Field(description="Fused retrieval score plus the graph signals' contributions.")
    explanation: dict[str, Any] = Field(
        description="dense and lexical rank and score, fused score, each graph signal's value, weight and "
        "contribution, matched terms, shared concepts with labels, collaboration path, best passage; "
        "language (the need read as ro, en, other or none), understood (concepts recognised in the need, in "
        "words), concepts, channels (rank and score in each dense channel) and found_by (channels ranking it "
        "in their first 10)."
    )


class MatchPageOut(BaseModel):
    data: list[MatchResult]
    count: int = Field(description="Candidates that passed the filters (the ranking is over these).")
    understood: dict[str, Any] | None = Field(
        default=None,
        description="How the need was read: language (ro, en, other, none) with its evidence, concepts recognised "
        "through the vocabularies' Romanian and English labels (NACE/CAEN sectors, EuroSciVoc fields, NUTS regions, "
        "organisation kinds) with their English labels, a TRL it states, the summary in words, the English "
        "expansion added to the query, cognates (a need not read as English: its words -> the indexed English "
        "terms spelled like them, added to BM25), and the retrieval channels used.",
    )
    limit: int
    offset: int
