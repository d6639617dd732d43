"""Members' offers and requests over HTTP: publish, read, edit, renew, withdraw, history; matchable at
once without a rebuild; visible to SPARQL at once; every bad input or access a 4xx problem with
the store unchanged."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.keys import KeyStore, Role
from common.settings import Settings
from tests.api.conftest import assert_problem

OWN, OTHER = "osim", "example-agri-engineering-institute"
OFFER = {
    "title": "Uscător de cereale cu pompă de căldură / heat-pump grain dryer for cooperatives",
    "description": "Closed-loop batch dryer for maize and wheat with an electric heat pump, no gas burner; "
                   "uscare blândă, cost energetic mai mic.",
    "trl": 6, "ipr_status": "patent-pending", "sectors": ["01.11", "28.30"], "keywords": ["grain drying", "heat pump"],
}


@pytest.fixture
def setup(make_client: Callable[..., TestClient], data_dir: Path) -> Iterator[tuple[TestClient, dict[str, dict]]]:
    store = KeyStore(Settings(data_dir=data_dir).keys_file)
    headers = {}
    for label, role, org in (("own", Role.member, OWN), ("other", Role.member, OTHER), ("editor", Role.editor, None),
                             ("reader", Role.reader, None)):
        record, secret = store.create(f"test {label}", role, organisation=org)
        headers[label] = {"X-API-Key": secret, "_id": record.id}
    yield make_client(), {k: {"X-API-Key": v["X-API-Key"]} for k, v in headers.items()} | {
        "ids": {k: v["_id"] for k, v in headers.items()}}  # type: ignore[dict-item]


def _publish(client: TestClient, headers: dict[str, str], body: dict[str, Any] | None = None,
             kind: str = "offers") -> Any:
    response = client.post(f"/{kind}", json=body or OFFER, headers=headers)
    assert response.status_code == 201, response.text
    return response


def _quads(client: TestClient) -> int:
    return len(client.app.state.store.oxigraph)  # type: ignore[attr-defined]


def test_member_publishes_reads_edits_and_sees_history(setup: tuple[TestClient, dict]) -> None:
    client, h = setup
    created = _publish(client, h["own"])
    body = created.json()
    assert created.headers["ETag"] and created.headers["Location"] == f"/offers/{body['id']}"
    assert body["organisation"] == OWN and body["id"].startswith("osim-")
    assert (body["title"], body["trl"], body["ipr_status"], body["status"]) == (OFFER["title"], 6, "patent-pending",
                                                                                "published")
    assert body["illustrative"] is False and body["managed"] is True
    assert body["sources"] == ["https://w3id.org/innograph/graph/member/osim"]
    assert date.fromisoformat(body["expires"]) > date.today() + timedelta(days=360)  # default 12 months
    read = client.get(f"/offers/{body['id']}")
    assert read.status_code == 200 and read.headers["ETag"] == created.headers["ETag"] and read.json() == body
    edited = client.patch(f"/offers/{body['id']}", json={"trl": 7, "keywords": None},
                          headers={**h["own"], "If-Match": created.headers["ETag"]})
    assert edited.status_code == 200, edited.text
    assert edited.json()["trl"] == 7 and edited.json()["keywords"] == [] and edited.json()["title"] == OFFER["title"]
    assert edited.headers["ETag"] != created.headers["ETag"]
    history = client.get(f"/offers/{body['id']}/history", headers=h["own"]).json()
    assert [c["action"] for c in history["data"]] == ["create", "update"]
    assert history["data"][1]["changed"] == ["keywords", "trl"]
    assert history["data"][1]["by_key"] == setup[1]["ids"]["own"] and history["data"][1]["by_name"] == "test own"
    assert setup[1]["ids"]["own"] not in history["data"][1]["by"]  # a pseudonym
    assert history["data"][1]["record"]["trl"] == ["https://w3id.org/innograph/vocab/trl/7"]
    anonymous = client.get(f"/offers/{body['id']}/history").json()
    assert anonymous["count"] == 2 and anonymous["data"][0]["by_name"] is anonymous["data"][0]["by_key"] is None
    assert anonymous["data"][0]["by"] == history["data"][0]["by"]


def test_anonymous_sparql_does_not_reveal_key_bindings(setup: tuple[TestClient, dict]) -> None:
    """Key ids, names and their organisations are operational data: the public graph has a pseudonym only."""
    client, h = setup
    _publish(client, h["own"])
    dump = client.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"},
                      headers={"Accept": "application/n-triples"})
    assert dump.status_code == 200 and "RecordChange" in dump.text
    for key_id in setup[1]["ids"].values():
        assert key_id not in dump.text
    assert "test own" not in dump.text and "api-key/" not in dump.text


def test_published_offer_is_matched_at_once_without_a_rebuild(setup: tuple[TestClient, dict]) -> None:
    client, h = setup
    need = "heat pump dryer for maize and wheat without a gas burner"
    assert client.post("/match", json={"text": need, "limit": 5}).status_code == 200  # the index is loaded
    matcher = client.app.state.matcher  # type: ignore[attr-defined]
    index = matcher.index("supply")
    size = len(index.profiles)
    body = _publish(client, h["own"]).json()
    assert matcher.index("supply") is index and len(index.profiles) == size + 1  # appended, not rebuilt
    found = client.post("/match", json={"text": need, "limit": 5}).json()["data"]
    assert body["iri"] in [r["id"] for r in found]
    result = next(r for r in found if r["id"] == body["iri"])
    assert result["illustrative"] is False and result["organisation"].endswith("/org/osim")
    # SPARQL sees it at once, with its publisher and status
    query = ("PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX ig: <https://w3id.org/innograph/def#> "
             f"SELECT ?status ?pub WHERE {{ <{body['iri']}> ig:status ?status ; dcterms:publisher ?pub }}")
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    rows = answer.json()["results"]["bindings"]
    assert rows and rows[0]["pub"]["value"].endswith("/org/osim")
    # withdrawn: out of matching at once, still in SPARQL, no rebuild either
    etag = client.get(f"/offers/{body['id']}").headers["ETag"]
    gone = client.delete(f"/offers/{body['id']}", headers={**h["own"], "If-Match": etag})
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"
    assert matcher.index("supply") is index
    assert body["iri"] not in [r["id"] for r in client.post("/match", json={"text": need, "limit": 50}).json()["data"]]
    rows = client.get("/sparql", params={"query": query},
                      headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert rows[0]["status"]["value"].endswith("/record-status/withdrawn")


def test_request_round_trip_and_renew(setup: tuple[TestClient, dict]) -> None:
    client, h = setup
    soon = (date.today() + timedelta(days=10)).isoformat()
    created = _publish(client, h["other"], {"title": "Senzori de umiditate pentru siloz", "description": "Căutăm "
                       "senzori ieftini pentru umiditatea cerealelor depozitate.", "desired_trl": 7, "region": "RO21",
                       "expires": soon}, kind="requests")
    assert created.json()["region"] == "RO21" and created.json()["expires"] == soon
    renewed = client.post(f"/requests/{created.json()['id']}/renew",
                          headers={**h["other"], "If-Match": created.headers["ETag"]})
    assert renewed.status_code == 200, renewed.text
    assert date.fromisoformat(renewed.json()["expires"]) > date.today() + timedelta(days=360)
    editor = client.patch(f"/requests/{created.json()['id']}", json={"status": "draft"},
                          headers={**h["editor"], "If-Match": renewed.headers["ETag"]})
    assert editor.status_code == 200 and editor.json()["status"] == "draft"  # editors: any organisation


def test_html_is_stored_and_returned_as_text(setup: tuple[TestClient, dict]) -> None:
    client, h = setup
    script = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \\ {braces} \n second line'
    body = _publish(client, h["own"], {**OFFER, "title": "<b>bold</b> offer", "description": script,
                                       "keywords": ["<i>k</i>"]}).json()
    read = client.get(f"/offers/{body['id']}")
    assert read.headers["content-type"].startswith("application/json")
    assert read.json()["description"] == script.strip() and read.json()["title"] == "<b>bold</b> offer"
    assert read.json()["keywords"] == ["<i>k</i>"]


def test_illustrative_records_stay_illustrative(setup: tuple[TestClient, dict]) -> None:
    client, h = setup
    read = client.get("/offers/offer-heat-pump-grain-dryer")
    assert read.status_code == 200 and read.json()["illustrative"] is True and read.json()["managed"] is False
    before = _quads(client)
    refused = client.patch("/offers/offer-heat-pump-grain-dryer", json={"title": "now real"},
                           headers={**h["editor"], "If-Match": read.headers["ETag"]})
    assert "source file" in assert_problem(refused, 409)["detail"]
    assert _quads(client) == before and client.get("/offers/offer-heat-pump-grain-dryer").json() == read.json()


BAD_BODIES = [
    ({**OFFER, "trl": 12}, "trl"),
    ({**OFFER, "sectors": ["99.99"]}, "sectors"),
    ({**OFFER, "ipr_status": "stolen"}, "ipr_status"),
    ({**OFFER, "expires": (date.today() - timedelta(days=1)).isoformat()}, "expires"),
    ({**OFFER, "expires": date.today().isoformat()}, "expires"),
    ({**OFFER, "description": "x" * 1_000_000}, "description"),
    ({**OFFER, "title": "   "}, "title"),
    ({**OFFER, "status": "withdrawn"}, "status"),
    ({**OFFER, "colour": "red"}, "colour"),
    ({**OFFER, "organisation": "no-such-organisation-here"}, "organisation"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES, ids=[f for _, f in BAD_BODIES])
def test_bad_offers_are_422_naming_the_field_and_write_nothing(setup: tuple[TestClient, dict], body: dict,
                                                                field: str) -> None:
    client, h = setup
    if field == "organisation":
        h = {**h, "own": h["editor"]}  # a member cannot name another organisation at all (403 below)
    before = _quads(client)
    problem = assert_problem(client.post("/offers", json=body, headers=h["own"]), 422)
    assert field in [e["field"] for e in problem["errors"]], problem
    assert _quads(client) == before


def test_access_rules(setup: tuple[TestClient, dict]) -> None:
    client, h = setup
    created = _publish(client, h["own"])
    record_id, etag = created.json()["id"], created.headers["ETag"]
    before = _quads(client)
    other = assert_problem(client.patch(f"/offers/{record_id}", json={"trl": 3},
                                        headers={**h["other"], "If-Match": etag}), 403)
    assert other["rule"] == "member-own-organisation" and "member-own-organisation" in other["detail"]
    assert other["type"].endswith("/not-your-organisation")
    posted_for_other = assert_problem(client.post("/offers", json={**OFFER, "organisation": OWN}, headers=h["other"]),
                                      403)
    assert posted_for_other["rule"] == "member-own-organisation"
    assert_problem(client.post("/offers", json=OFFER, headers=h["reader"]), 403)
    assert_problem(client.post("/offers", json=OFFER), 401)
    assert_problem(client.post("/offers", json=OFFER, headers=h["editor"]), 422)  # an editor must name the org
    assert _quads(client) == before


def test_concurrency_and_state_rules(setup: tuple[TestClient, dict]) -> None:
    client, h = setup
    created = _publish(client, h["own"])
    record_id, first = created.json()["id"], created.headers["ETag"]
    before = _quads(client)
    assert_problem(client.patch(f"/offers/{record_id}", json={"trl": 3}, headers=h["own"]), 428)
    assert_problem(client.delete(f"/offers/{record_id}", headers=h["own"]), 428)
    assert_problem(client.post(f"/offers/{record_id}/renew", headers=h["own"]), 428)
    assert_problem(client.patch(f"/offers/{record_id}", json={"trl": 3},
                                headers={**h["own"], "If-Match": '"0123"'}), 412)
    assert _quads(client) == before
    second = client.patch(f"/offers/{record_id}", json={"trl": 4}, headers={**h["own"], "If-Match": first})
    assert second.status_code == 200
    stale = assert_problem(client.patch(f"/offers/{record_id}", json={"trl": 5},
                                        headers={**h["own"], "If-Match": first}), 412)
    assert "GET it again" in stale["detail"]
    assert client.get(f"/offers/{record_id}").json()["trl"] == 4  # never a silent overwrite
    withdrawn = client.delete(f"/offers/{record_id}", headers={**h["own"], "If-Match": second.headers["ETag"]})
    after_withdrawal = _quads(client)
    edit = client.patch(f"/offers/{record_id}", json={"trl": 5},
                        headers={**h["own"], "If-Match": withdrawn.headers["ETag"]})
    assert "withdrawn" in assert_problem(edit, 409)["detail"]
    assert_problem(client.post(f"/offers/{record_id}/renew", headers={**h["own"], "If-Match": withdrawn.headers["ETag"]}),
                   409)
    assert _quads(client) == after_withdrawal
    assert_problem(client.get("/offers/no-such-offer"), 404)
    assert_problem(client.get("/requests/offer-heat-pump-grain-dryer"), 404)  # an offer is not a request


def test_interest_in_a_published_offer_counts_in_its_regions_indicators(setup: tuple[TestClient, dict]) -> None:
    client, h = setup
    record = _publish(client, h["own"]).json()
    before = client.get("/regions/RO/indicators").json()["all_years"]
    sent = client.post(f"/offers/{record['id']}/interest", headers=h["other"],
                       json={"message": "Ne interesează pentru cooperativa noastră.",
                             "contact": {"name": "Ana Pop", "email": "ana.pop@example.org"}})
    assert sent.status_code == 201, sent.text
    after = client.get("/regions/RO/indicators").json()["all_years"]
    assert after["new_offers"] == before["new_offers"] == 1  # the member's offer, not the illustrative ones
    assert (before["expressions_of_interest"], after["expressions_of_interest"]) == (0, 1)
    assert "ana.pop" not in client.get("/regions/RO/indicators?format=csv").text  # counts only, never contacts
