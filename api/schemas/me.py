"""Who the caller is (``GET /me``) and its organisation's own records (``GET /me/records``).

Why apart from ``api.schemas.records``: these answers are about the caller, not about one record;
a listed record is a ``RecordPublic`` plus what a list needs and a single GET says in headers (its
ETag) or does not say at all (how much interest it received, which only its owner may count).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.records import RecordPublic


class OrganisationRef(BaseModel):
    """The organisation a member key acts for."""

    id: str = Field(description="Its id (GET /organisations/{id}).")
    iri: str
    label: str | None = Field(description="Its display name (as on its page); None if the store has none.")


class RegionRef(BaseModel):
    """The region a broker key is bound to."""

    code: str = Field(description="The NUTS 2021 code (RO21, RO321).")
    label: str | None = Field(description="Its name; None if the store does not know the code.")


class MePublic(BaseModel):
    """The key that made the request: its name, role and binding (never the secret)."""

    key_id: str
    key_name: str
    role: Literal["reader", "member", "editor", "admin"]
    organisation: OrganisationRef | None = Field(description="The organisation whose records the key may change "
                                                             "(member keys; None for keys bound to none).")
    region: RegionRef | None = Field(description="The region whose inbox the key sees as a broker, if any.")
    may_change_any_organisation: bool = Field(description="True for editors and admins.")


class InterestCounts(BaseModel):
    """Expressions of interest a record received, by status (counts only: the messages are in GET /inbox)."""

    total: int
    pending: int
    accepted: int
    declined: int


class MyRecord(RecordPublic):
    """One of the organisation's offers or requests, with its ETag and the interest it received."""

    etag: str = Field(description="The record's version: send it as If-Match to change, renew or withdraw it.")
    interest: InterestCounts


class MyRecordsPage(BaseModel):
    """One page of the organisation's records, newest change first."""

    organisation: OrganisationRef
    data: list[MyRecord]
    count: int = Field(description="How many records match in all pages together.")
    limit: int
    offset: int
