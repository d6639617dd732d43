"""Declarative columns of our tabular format: parsing, validation and documentation in one place.

Why declarative: the same table drives the reader (what is required, how a cell is
parsed, what a bad cell's error says) and the README's column reference, so the two
cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from ontology._keys import check_local_key, org_iri
from ontology._vocab import vocabularies

MULTI_SEPARATOR = "|"
_SURROGATE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class Column:
    """One column of a tabular file kind."""

    name: str
    doc: str
    example: str = ""
    required: bool = False
    parse: Callable[[str], Any] = str
    multi: bool = False
    max_length: int = 20_000


def parse_cell(column: Column, raw: str | None) -> Any:
    """Parsed value(s) of one cell, ``None``/``[]`` when empty; ``ValueError`` with the reason."""
    value = (raw or "").strip()
    if _SURROGATE.search(value):
        raise ValueError("contains bytes that are not valid UTF-8; save the file as UTF-8")
    if len(value) > column.max_length:
        raise ValueError(f"is {len(value):,} characters long; at most {column.max_length:,} are allowed")
    if not value:
        if column.required:
            raise ValueError("is required but empty")
        return [] if column.multi else None
    if column.multi:
        return [column.parse(part.strip()) for part in value.split(MULTI_SEPARATOR) if part.strip()]
    return column.parse(value)


# --- cell parsers: each raises ValueError with a reason that completes "field X ..."


def text(value: str) -> str:
    return value


def key(value: str) -> str:
    try:
        if value.startswith("pic:"):
            org_iri(value)
            return value
        return check_local_key(value)
    except ValueError as exc:
        raise ValueError(f"is not a valid id: {exc}") from None


def org_ref(value: str) -> ox.NamedNode:
    try:
        return org_iri(value)
    except ValueError as exc:
        raise ValueError(f"is not a valid organisation id: {exc}") from None


def integer_between(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"must be a whole number from {low} to {high}, got {value!r}") from None
        if not low <= number <= high:
            raise ValueError(f"must be from {low} to {high}, got {number}")
        return number

    return parse


def amount(value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"must be an amount in euro such as 125000.50, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"must be a non-negative amount in euro, got {value!r}")
    return number


def iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"must be a date written YYYY-MM-DD, got {value!r}") from None


def boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"true", "yes", "1", "da"}:
        return True
    if lowered in {"false", "no", "0", "nu"}:
        return False
    raise ValueError(f"must be true or false, got {value!r}")


def url(value: str) -> ox.NamedNode:
    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
        raise ValueError(f"must be an http(s) URL, got {value!r}")
    return ox.NamedNode(value)


def concept(scheme: str) -> Callable[[str], ox.NamedNode]:
    def parse(value: str) -> ox.NamedNode:
        return vocabularies().resolve(scheme, value)

    return parse
