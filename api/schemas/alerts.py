"""Request and response shapes of the saved needs (``/alerts``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.match import MatchContextIn, MatchFiltersIn
from graph.matching import MAX_TEXT


class AlertCreate(BaseModel):
    """A need to follow, with the same filters and context as POST /match."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [
            {"text": "Căutăm o metodă mai ieftină de uscare a cerealelor fără gaz", "filters": {"regions": ["RO"]}},
            {"text": "predictive maintenance for old CNC machines", "direction": "supply",
             "context": {"region": "RO42"}},
        ]},
    )

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="The need (or, direction demand, the offer).")
    direction: Literal["supply", "demand"] = Field(
        default="supply", description="supply: follow offers and organisations for a need (as POST /match); "
        "demand: follow requests and SMEs for an offer (as POST /match/demand).")
    filters: MatchFiltersIn = Field(default_factory=MatchFiltersIn)
    context: MatchContextIn = Field(default_factory=MatchContextIn)
    webhook_url: str | None = Field(
        default=None, max_length=2000,
        description="Admins only: an http(s) URL on a host of INNOGRAPH_ALERT_WEBHOOK_ALLOW, called with the new "
        "hits as JSON. Private and loopback addresses are refused unless allow-listed; redirects are not followed.")


class AlertHit(BaseModel):
    id: str = Field(description="IRI of the profile (organisation, offer or request) that entered the top 10.")
    name: str
    score: float = Field(description="Its score for the saved need, as /match would give it.")
    found: str = Field(description="When it was recorded (ISO 8601).")
    explanation: dict[str, Any] = Field(
        description="fused text score, dense and lexical scores, graph signals' contributions, matched terms, kind, "
        "owner organisation.")


class AlertOut(BaseModel):
    id: str
    text: str
    direction: Literal["supply", "demand"]
    filters: dict[str, Any]
    context: dict[str, Any]
    created: str
    webhook_url: str | None
    top: list[dict[str, Any]] = Field(description="The current top 10: id and score.")
    hits: list[AlertHit] = Field(description="Profiles recorded since the alert was saved, newest first.")
    hit_count: int
    deliveries: list[dict[str, str]] = Field(description="Webhook calls: when, and the outcome in words.")


class FeedAccess(BaseModel):
    feed_url: str = Field(description="The Atom feed with its secret token: give it to a feed reader. Shown once; "
                          "POST /alerts/{id}/feed-token replaces it (the old URL stops working).")


class AlertCreated(AlertOut, FeedAccess):
    """The new alert and the one-time feed URL."""


class AlertPage(BaseModel):
    data: list[AlertOut]
    count: int
    limit: int
    offset: int
