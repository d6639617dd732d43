"""Members' offers and requests: what a client sends (Create / Update) and gets back (Public).

Limits are stated here so that OpenAPI tells clients, and a violation is a 422 naming the
field before anything is looked up; the record service checks the same limits again for
callers that are not HTTP (``graph.records._model``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from graph.records import MAX_CODES, MAX_DESCRIPTION, MAX_KEYWORD, MAX_KEYWORDS, MAX_TITLE

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_DESCRIPTION)]
Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_KEYWORD)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Level = Annotated[int, Field(ge=1, le=9, description="Technology readiness level, 1 to 9.")]
Codes = Annotated[list[Code], Field(max_length=MAX_CODES)]
Keywords = Annotated[list[Keyword], Field(max_length=MAX_KEYWORDS)]
EditableStatus = Literal["draft", "published"]

_ORG = Field(default=None, max_length=200,
             description="The publishing organisation's id (as in /organisations/{id}); a member key may leave it "
                         "out (its own organisation) and may give no other.")
_EXPIRES = Field(default=None, description="Leaves matching after this date (default: 12 months from now; "
                                           "renew with POST .../renew). Must be in the future.")
_FIELDS = Field(default=None, description="EuroSciVoc fields: codes, labels or IRIs (GET /vocabularies/euroscivoc).")
_SECTORS = Field(default=None, description="NACE Rev. 2 / CAEN codes (01.11, 0111), labels or IRIs.")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OfferCreate(_Strict):
    """A new technology offer, published by the caller's organisation."""

    organisation: str | None = _ORG
    title: Title
    description: Description = Field(description="What is offered and for whom (Romanian or English); plain text.")
    trl: Level | None = None
    ipr_status: Code | None = Field(default=None, description="GET /vocabularies/ipr-status: patent-granted ...")
    fields: Codes | None = _FIELDS
    sectors: Codes | None = _SECTORS
    keywords: Keywords | None = None
    expires: date | None = _EXPIRES
    status: EditableStatus = Field(default="published", description="draft: kept, not matched; published: matched.")


class RequestCreate(_Strict):
    """A new technology request (a need), expressed by the caller's organisation."""

    organisation: str | None = _ORG
    title: Title
    description: Description = Field(description="The need in your own words (Romanian or English); plain text.")
    desired_trl: Level | None = None
    region: Code | None = Field(default=None, description="Where the need is: a NUTS 2021 code (RO21, RO321).")
    fields: Codes | None = _FIELDS
    sectors: Codes | None = _SECTORS
    keywords: Keywords | None = None
    expires: date | None = _EXPIRES
    status: EditableStatus = Field(default="published", description="draft: kept, not matched; published: matched.")


class OfferUpdate(_Strict):
    """The fields to change; a field sent as null is cleared (title and description cannot be)."""

    title: Title | None = None
    description: Description | None = None
    trl: Level | None = None
    ipr_status: Code | None = None
    fields: Codes | None = None
    sectors: Codes | None = None
    keywords: Keywords | None = None
    expires: date | None = None
    status: EditableStatus | None = None


class RequestUpdate(_Strict):
    """The fields to change; a field sent as null is cleared (title and description cannot be)."""

    title: Title | None = None
    description: Description | None = None
    desired_trl: Level | None = None
    region: Code | None = None
    fields: Codes | None = None
    sectors: Codes | None = None
    keywords: Keywords | None = None
    expires: date | None = None
    status: EditableStatus | None = None


class RecordPublic(BaseModel):
    """An offer or request as stored; texts are returned exactly as sent (plain text, never markup)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    iri: str
    kind: Literal["offer", "request"]
    organisation: str = Field(description="The publishing organisation's id (/organisations/{id}).")
    title: str
    description: str
    status: Literal["draft", "published", "expired", "withdrawn"] = Field(description="As last set.")
    effective_status: Literal["draft", "published", "expired", "withdrawn"] = Field(
        description="expired once the expiry date has passed; only published records are matched.")
    expires: str | None
    created: str | None
    modified: str | None
    illustrative: bool = Field(description="True for invented example records (never real data).")
    managed: bool = Field(description="True: kept by its organisation through this API; False: loaded from a "
                                      "source file (changed only by re-ingesting it).")
    sources: list[str] = Field(description="The named graphs that state it.")
    trl: int | None = None
    ipr_status: str | None = None
    desired_trl: int | None = None
    region: str | None = None
    fields: list[str]
    sectors: list[str]
    keywords: list[str]


class ChangePublic(BaseModel):
    """One change of a record (its PROV record)."""

    model_config = ConfigDict(from_attributes=True)

    at: str = Field(description="When (prov:endedAtTime).")
    action: str = Field(description="create, update, renew or withdraw.")
    by: str = Field(description="A pseudonym of the API key that made it (the same for every change by that key).")
    by_key: str | None = Field(default=None, description="That key's id: shown to editors and to the "
                                                         "organisation's own members only.")
    by_name: str | None = Field(default=None, description="That key's name: shown to editors and to the "
                                                          "organisation's own members only.")
    changed: list[str] = Field(description="The fields sent.")
    record: dict[str, list[str]] = Field(description="The record's values after the change, per property.")


class HistoryPublic(BaseModel):
    data: list[ChangePublic]
    count: int
