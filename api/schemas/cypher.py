"""Request and response shapes of POST /cypher."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_QUERY = 20_000


class CypherRequest(BaseModel):
    """One Cypher statement with its parameters (``$name`` in the text; never spliced in)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"query": "MATCH (o:Organisation {country: $country})-[p:PARTICIPATES_IN]->(:Project) "
                          "RETURN o.name AS organisation, count(p) AS projects ORDER BY projects DESC LIMIT 10",
                 "parameters": {"country": "RO"}},
                {"query": "MATCH (o:Organisation)-[m:MEMBER_OF]->(:Partnership {id: 'union-of-innovation'}) "
                          "RETURN o.name, m.role", "engine": "embedded"},
            ]
        },
    )

    query: str = Field(min_length=1, max_length=MAX_QUERY, description="One Cypher statement.")
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Values of the query's $parameters (strings, numbers, booleans, lists, maps)."
    )
    engine: Literal["embedded", "neo4j"] | None = Field(
        default=None, description="Where to run it (default: the server's INNOGRAPH_CYPHER_ENGINE)."
    )
    limit: int | None = Field(
        default=None, ge=1, description="Most rows to return; at most the server's INNOGRAPH_CYPHER_ROW_CAP."
    )
    timeout_s: float | None = Field(
        default=None, gt=0, description="Time limit in seconds; at most the server's INNOGRAPH_CYPHER_TIMEOUT_S."
    )


class CypherResponse(BaseModel):
    """The rows, in the order the query gave them; nodes come as maps with ``_labels``,
    relationships with ``_type``, paths as ``{nodes, relationships}``, dates as ISO strings."""

    columns: list[str]
    rows: list[list[Any]]
    engine: str
    truncated: bool = Field(description="True when the row limit cut the result; see `notice`.")
    elapsed_ms: float
    total_rows: int | None = Field(default=None, description="Rows in the whole result, when the engine knows.")
    notice: str | None = Field(default=None, description="Why the result is incomplete, in words.")
