"""GET /search."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from graph.views import MatchName


class EntityKind(StrEnum):
    organisation = "organisation"
    project = "project"
    offer = "offer"
    request = "request"
    partnership = "partnership"
    concept = "concept"


class SearchHit(BaseModel):
    """One entity whose name matched, with the label that matched and how."""

    iri: str
    kind: EntityKind
    label: str = Field(description="The entity's display name.")
    matched_label: str = Field(description="The label that matched (a short name, legal name, Romanian label ...).")
    match: MatchName = Field(
        description="exact > prefix > word (starts a word) > contains > tokens (all words, any order)."
    )
    id: str | None = Field(default=None, description="Organisations: the id for GET /organisations/{id}.")
    scheme: str | None = Field(default=None, description="Concepts: their vocabulary (GET /vocabularies/{scheme}).")
    href: str | None = Field(default=None, description="Where the API describes this entity, when it does.")


class SearchResults(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "data": [
                        {"iri": "https://w3id.org/innograph/id/org/osim", "kind": "organisation",
                         "label": "State Office for Inventions and Trademarks", "matched_label": "OSIM",
                         "match": "exact", "id": "osim", "scheme": None, "href": "/organisations/osim"}
                    ],
                    "count": 1, "limit": 20, "offset": 0, "query": "osim",
                }
            ]
        }
    )

    data: list[SearchHit]
    count: int
    limit: int
    offset: int
    query: str = Field(description="The query as received.")
