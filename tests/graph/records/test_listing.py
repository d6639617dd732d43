"""One organisation's records a page at a time (``graph.records.organisation_records``): effective status
as of a day, filters, order, and the errors for an unknown organisation or status."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from common.errors import InvalidInputError, NotFoundError
from graph.records import Actor, RecordService, organisation_records

ORG = "example-bakery-sme"  # two illustrative requests, loaded from a source file
TEXT = {"description": "Cuptoare de pâine cu recuperarea căldurii pentru apa de spălare."}


def test_status_as_of_a_day_filters_and_newest_change_first(records: RecordService) -> None:
    bakery = Actor("test-key", ORG, False)
    soon = date.today() + timedelta(days=3)
    short = records.create("offer", bakery, None, {"title": "Pâine cu termen lung", **TEXT, "expires": soon})
    draft = records.create("request", bakery, None, {"title": "Schimbător de căldură", **TEXT, "status": "draft"})
    found, count = organisation_records(records, ORG)
    assert count == 4 and [r.id for r in found[:2]] == [draft.id, short.id]  # newest change first
    assert {r.id for r in found[2:]} == {"need-bread-shelf-life", "need-bakery-oven-heat-recovery"}
    assert all(r.illustrative and not r.managed and r.effective_status == "published" for r in found[2:])
    later = soon + timedelta(days=1)
    expired, n = organisation_records(records, ORG, status="expired", today=later)
    assert n == 1 and expired[0].id == short.id
    assert organisation_records(records, ORG, status="expired")[1] == 0  # today it is still published
    assert organisation_records(records, ORG, "offer", "published", today=later)[1] == 0
    assert [r.id for r in organisation_records(records, ORG, "request", "draft")[0]] == [draft.id]
    page, n = organisation_records(records, ORG, limit=1, offset=1)
    assert n == 4 and [r.id for r in page] == [short.id] and page[0].etag == records.get("offer", short.id).etag
    assert organisation_records(records, ORG, limit=0) == ([], 4)


def test_unknown_organisation_or_status(records: RecordService) -> None:
    with pytest.raises(NotFoundError, match="no-such-organisation"):
        organisation_records(records, "no-such-organisation")
    with pytest.raises(InvalidInputError, match="status"):
        organisation_records(records, ORG, status="lost")
