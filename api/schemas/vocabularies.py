"""GET /vocabularies and GET /vocabularies/{scheme}."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.views import ConceptInfo, SchemeInfo

_TRL: dict[str, Any] = {"id": "trl", "iri": "https://w3id.org/innograph/vocab/trl", "title": "Technology readiness levels",
        "description": "The nine technology readiness levels of Horizon 2020. Order by rdf:value (1..9).",
        "license": "http://data.europa.eu/eli/dec/2011/833/oj", "concepts": 9}


class Scheme(SchemeInfo):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_TRL]})



class SchemeList(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": [_TRL], "count": 1}]})

    data: list[Scheme]
    count: int


class Concept(ConceptInfo):
    model_config = ConfigDict(from_attributes=True)


class SchemeConcepts(BaseModel):
    """A page of one scheme's concepts, in natural notation order (2 before 10)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "scheme": _TRL,
                    "data": [{"iri": "https://w3id.org/innograph/vocab/trl/1", "notation": "1",
                              "labels": {"en": ["TRL 1"]}, "alt_labels": {},
                              "definitions": {"en": ["basic principles observed"]}, "broader": []}],
                    "count": 9, "limit": 1, "offset": 0,
                }
            ]
        }
    )

    scheme: Scheme
    data: list[Concept]
    count: int
    limit: int
    offset: int
