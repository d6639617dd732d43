"""GET /me (who am I) and GET /me/records (my organisation's records): a member sees its own only, with
status, expiry, ETag and interest counts; a reader is refused naming the rule; pages and filters agree
with the count."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.keys import KeyStore, Role
from common.settings import Settings
from tests.api.conftest import assert_problem

OWN, OTHER = "osim", "example-agri-engineering-institute"  # OTHER owns illustrative offers from a source file


def _offer(title: str) -> dict[str, Any]:
    return {"title": title, "description": "Closed-loop grain dryer with an electric heat pump; uscare fără gaz.",
            "trl": 6, "sectors": ["01.11"]}


@pytest.fixture
def setup(make_client: Callable[..., TestClient], data_dir: Path) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    store = KeyStore(Settings(data_dir=data_dir).keys_file)
    h: dict[str, Any] = {"ids": {}}
    for label, role, org, region in (("own", Role.member, OWN, None), ("other", Role.member, OTHER, None),
                                     ("editor", Role.editor, None, None), ("reader", Role.reader, None, None),
                                     ("broker", Role.member, OTHER, "RO21")):
        record, secret = store.create(f"test {label}", role, organisation=org, region=region)
        h[label] = {"X-API-Key": secret}
        h["ids"][label] = record.id
    yield make_client(), h


def _publish(client: TestClient, headers: dict[str, str], body: dict[str, Any], kind: str = "offers") -> Any:
    response = client.post(f"/{kind}", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response


def test_who_am_i(setup: tuple[TestClient, dict[str, Any]]) -> None:
    client, h = setup
    me = client.get("/me", headers=h["own"])
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["key_id"] == h["ids"]["own"] and body["key_name"] == "test own" and body["role"] == "member"
    assert body["organisation"]["id"] == OWN and body["organisation"]["iri"].endswith("/org/osim")
    assert body["organisation"]["label"] == "State Office for Inventions and Trademarks"  # its display name
    assert body["region"] is None and body["may_change_any_organisation"] is False
    assert h["own"]["X-API-Key"] not in me.text  # never the secret
    broker = client.get("/me", headers=h["broker"]).json()
    assert broker["region"]["code"] == "RO21" and broker["region"]["label"]  # Nord-Est
    editor = client.get("/me", headers=h["editor"]).json()
    assert editor["role"] == "editor" and editor["organisation"] is None and editor["may_change_any_organisation"]
    assert_problem(client.get("/me"), 401)
    assert_problem(client.get("/me/records"), 401)
    assert_problem(client.get("/me", headers={"X-API-Key": "nope.nope"}), 401)


def test_a_member_lists_its_own_records_with_status_expiry_etag_and_interest(
    setup: tuple[TestClient, dict[str, Any]],
) -> None:
    client, h = setup
    first = _publish(client, h["own"], _offer("Uscător de cereale / grain dryer 1"))
    second = _publish(client, h["own"], {"title": "Need: moisture probes", "description": "Sonde de umiditate.",
                                         "status": "draft"}, "requests")
    _publish(client, h["other"], _offer("Someone else's dryer"))
    sent = client.post(f"/offers/{first.json()['id']}/interest", headers=h["other"],
                       json={"message": "Ne interesează.", "contact": {"email": "ana.pop@example.org"}})
    assert sent.status_code == 201, sent.text
    page = client.get("/me/records", headers=h["own"])
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["organisation"]["id"] == OWN and body["count"] == 2 and (body["limit"], body["offset"]) == (20, 0)
    assert [r["id"] for r in body["data"]] == [second.json()["id"], first.json()["id"]]  # newest change first
    request, offer = body["data"]
    assert (request["kind"], request["effective_status"], request["interest"]["total"]) == ("request", "draft", 0)
    assert (offer["kind"], offer["status"], offer["expires"]) == ("offer", "published", first.json()["expires"])
    assert offer["etag"] == first.headers["ETag"] == client.get(f"/offers/{offer['id']}").headers["ETag"]
    assert offer["interest"] == {"total": 1, "pending": 1, "accepted": 0, "declined": 0}
    assert "ana.pop" not in page.text  # counts only: the message and contact stay in the inbox
    assert all(r["organisation"] == OWN for r in body["data"])
    # the ETag in the list is the one an edit needs
    renewed = client.post(f"/offers/{offer['id']}/renew", headers={**h["own"], "If-Match": offer["etag"]})
    assert renewed.status_code == 200, renewed.text
    withdrawn = client.delete(f"/offers/{offer['id']}", headers={**h["own"], "If-Match": renewed.headers["ETag"]})
    assert withdrawn.status_code == 200, withdrawn.text
    listed = client.get("/me/records", params={"status": "withdrawn"}, headers=h["own"]).json()
    assert [r["id"] for r in listed["data"]] == [offer["id"]] and listed["count"] == 1
    assert listed["data"][0]["etag"] == withdrawn.headers["ETag"]
    assert client.get("/me/records", params={"status": "published"}, headers=h["own"]).json()["count"] == 0
    drafts = client.get("/me/records", params={"status": "draft", "kind": "request"}, headers=h["own"]).json()
    assert [r["id"] for r in drafts["data"]] == [second.json()["id"]]
    assert client.get("/me/records", params={"kind": "offer"}, headers=h["own"]).json()["count"] == 1


def test_pagination(setup: tuple[TestClient, dict[str, Any]]) -> None:
    client, h = setup
    ids = [_publish(client, h["own"], _offer(f"Dryer {n}")).json()["id"] for n in range(5)]
    pages = [client.get("/me/records", params={"limit": 2, "offset": offset}, headers=h["own"]).json()
             for offset in (0, 2, 4)]
    assert [p["count"] for p in pages] == [5, 5, 5]
    assert [len(p["data"]) for p in pages] == [2, 2, 1]
    assert [r["id"] for p in pages for r in p["data"]] == list(reversed(ids))  # each once, newest first
    only_count = client.get("/me/records", params={"limit": 0}, headers=h["own"]).json()
    assert only_count["data"] == [] and only_count["count"] == 5
    assert client.get("/me/records", params={"offset": 50}, headers=h["own"]).json()["data"] == []
    assert_problem(client.get("/me/records", params={"limit": -1}, headers=h["own"]), 422)
    assert_problem(client.get("/me/records", params={"status": "lost"}, headers=h["own"]), 422)
    assert_problem(client.get("/me/records", params={"kind": "partnership"}, headers=h["own"]), 422)


def test_access_rules(setup: tuple[TestClient, dict[str, Any]]) -> None:
    client, h = setup
    _publish(client, h["own"], _offer("Mine"))
    reader = assert_problem(client.get("/me/records", headers=h["reader"]), 403)
    assert reader["rule"] == "records-list-needs-member" and "records-list-needs-member" in reader["detail"]
    other = assert_problem(client.get("/me/records", params={"organisation": OWN}, headers=h["other"]), 403)
    assert other["rule"] == "member-own-organisation" and other["type"].endswith("/not-your-organisation")
    same = client.get("/me/records", params={"organisation": OWN}, headers=h["own"])
    assert same.status_code == 200 and same.json()["count"] == 1
    # the other member sees its own: the illustrative offers loaded from a source file, none of OWN's
    theirs = client.get("/me/records", headers=h["other"]).json()
    assert theirs["count"] >= 1 and all(r["organisation"] == OTHER for r in theirs["data"])
    assert any(r["illustrative"] and not r["managed"] for r in theirs["data"])
    editor = client.get("/me/records", params={"organisation": OWN}, headers=h["editor"])
    assert editor.status_code == 200 and editor.json()["count"] == 1
    assert "organisation" in str(assert_problem(client.get("/me/records", headers=h["editor"]), 422)["errors"])
    assert_problem(client.get("/me/records", params={"organisation": "no-such-organisation"}, headers=h["editor"]), 404)
