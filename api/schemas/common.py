"""Shapes every endpoint shares: problems, pages, references to concepts and entities."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from graph.views import ConceptRef, EntityRef

__all__ = ["ConceptRef", "EntityRef", "Page", "Problem", "ProblemFieldError", "problem_responses"]

T = TypeVar("T")


class ProblemFieldError(BaseModel):
    """One invalid input, located so a person (or a form) can point at it."""

    location: str | None = Field(description="Where: 'query.limit', 'path.id', 'body.files' ...")
    field: str | None = Field(description="The parameter or field name.")
    message: str = Field(description="What is wrong and what is expected.")
    type: str | None = Field(default=None, description="Machine-readable error kind.")


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (media type application/problem+json)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "https://w3id.org/innograph/problem/validation",
                    "title": "Invalid request",
                    "status": 422,
                    "detail": "query parameter limit: Input should be greater than or equal to 0",
                    "instance": "/search",
                    "errors": [{"location": "query.limit", "field": "limit",
                                "message": "Input should be greater than or equal to 0", "type": "greater_than_equal"}],
                }
            ]
        },
    )

    type: str = Field(description="IRI naming the kind of problem.")
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time, in words a person can act on.")
    instance: str | None = Field(default=None, description="The path of the request.")
    errors: list[ProblemFieldError] | None = Field(default=None, description="Each invalid input (422).")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``data`` holds at most ``limit`` items, ``count`` is the total."""

    data: list[T]
    count: int = Field(description="How many items there are in all pages together.")
    limit: int
    offset: int


def problem_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """Error responses of an endpoint for the OpenAPI document (served as problem+json: see api.app)."""
    descriptions = {
        400: "The request is refused (problem+json).",
        401: "An API key is missing, unknown or revoked (problem+json).",
        403: "The API key's role is too low (problem+json).",
        404: "Not found (problem+json).",
        413: "The upload is larger than the limit (problem+json).",
        422: "Invalid input (problem+json), with each invalid field in `errors`.",
        429: "Too many requests from this caller (problem+json; Retry-After says when to retry).",
        503: "Not ready, or overloaded (problem+json; Retry-After says when to retry).",
    }
    return {
        status: {"model": Problem, "description": descriptions[status]}
        for status in statuses
    }
