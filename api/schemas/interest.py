"""Request and response shapes of expressions of interest and the inbox."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.interest import MAX_MESSAGE, MAX_NOTE, REASONS


class Contact(BaseModel):
    """How to reach a person: shared with the other side only once the interest is accepted."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9+()./ -]{3,40}$")


class InterestCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"message": "Ne interesează uscătorul pentru ferma noastră din Neamț.",
                                         "contact": {"name": "Ana Pop", "email": "ana@example.org"}}]},
    )

    message: str = Field(min_length=1, max_length=MAX_MESSAGE,
                         description="A short message, Romanian or English; stored and shown as plain text.")
    contact: Contact = Field(default_factory=Contact, description="Shown to the owner only after acceptance.")


class InterestAccept(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact: Contact | None = Field(default=None, description="The owner's contact, shown to the sender now.")
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class InterestDecline(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "no-capacity"}]})

    reason: Literal["too-early", "not-our-field", "no-capacity", "other"] = Field(
        description="Why: " + "; ".join(f"{code} ({labels['en']} / {labels['ro']})" for code, labels in REASONS.items()))
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class Reason(BaseModel):
    code: str
    label_en: str
    label_ro: str


class HistoryEvent(BaseModel):
    at: str
    status: str
    by: str = Field(description="The organisation that made the change.")
    reason: Reason | None
    note: str | None


class TargetRef(BaseModel):
    kind: Literal["offer", "request"]
    id: str
    iri: str
    title: str


class InterestOut(BaseModel):
    id: str
    target: TargetRef
    owner_organisation: str
    from_organisation: str
    message: str = Field(description="As written: plain text (HTML in it is text, never markup).")
    status: Literal["pending", "accepted", "declined"]
    reason: Reason | None
    created: str
    updated: str
    seen_as: Literal["owner", "sender", "broker", "editor"]
    contact_shared: bool
    contact: Contact | None = Field(description="The sender's contact: to the two parties, after acceptance only.")
    reply_contact: Contact | None = Field(description="The owner's contact given when accepting.")
    history: list[HistoryEvent]


class InterestPage(BaseModel):
    data: list[InterestOut]
    count: int
    limit: int
    offset: int


class ReasonCount(Reason):
    count: int


class InboxStats(BaseModel):
    total: int
    by_status: dict[str, int]
    declined_by_reason: list[ReasonCount]
