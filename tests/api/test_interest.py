"""Expressions of interest over HTTP: every access rule and bad input of issue 13, the inbox, stats, privacy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.keys import KeyStore, Role
from common.settings import Settings
from tests.api.conftest import assert_problem

OWNER = "example-agri-engineering-institute"  # illustrative, in RO321 (București)
OFFER = "offer-heat-pump-grain-dryer"
SENDER = "example-agro-sme"
EMAIL = "ana.pop@example.org"
SECRET_WORD = "zanzibarquokka"


@pytest.fixture
def key(data_dir: Path) -> Callable[..., str]:
    """A key of ``role`` bound to ``organisation`` and/or ``region``."""
    store = KeyStore(Settings(data_dir=data_dir).keys_file)

    def create(role: Role = Role.member, organisation: str | None = None, region: str | None = None) -> str:
        return store.create("test", role, organisation=organisation, region=region)[1]

    return create


def _h(k: str) -> dict[str, str]:
    return {"X-API-Key": k}


def _send(client: TestClient, k: str, message: str = "Ne interesează uscătorul pentru ferma noastră.",
          offer: str = OFFER) -> object:
    return client.post(f"/offers/{offer}/interest", headers=_h(k),
                       json={"message": message, "contact": {"name": "Ana Pop", "email": EMAIL}})


def test_interest_flow_inbox_answer_history_and_contacts(client: TestClient, key: Callable[..., str]) -> None:
    sender, owner = key(organisation=SENDER), key(organisation=OWNER)
    broker, far_broker = key(Role.reader, region="RO32"), key(Role.reader, region="RO21")
    stranger = key(organisation="example-dairy-sme")
    sent = _send(client, sender)
    assert sent.status_code == 201, sent.text  # type: ignore[attr-defined]
    interest = sent.json()  # type: ignore[attr-defined]
    assert interest["status"] == "pending" and interest["owner_organisation"] == OWNER
    # the owner and the broker of the owner's region see it; contacts hidden before acceptance
    for k in (owner, broker):
        inbox = client.get("/inbox", headers=_h(k))
        assert inbox.status_code == 200, inbox.text
        assert [i["id"] for i in inbox.json()["data"]] == [interest["id"]]
        assert EMAIL not in inbox.text and inbox.json()["data"][0]["contact"] is None
    assert client.get("/inbox", headers=_h(far_broker)).json()["count"] == 0
    assert client.get("/inbox", headers=_h(stranger)).json()["count"] == 0
    assert client.get("/inbox?box=sent", headers=_h(sender)).json()["count"] == 1
    # another organisation's member reading the owner's inbox, or the interest itself: 403 naming the rule
    body = assert_problem(client.get(f"/inbox?organisation={OWNER}", headers=_h(stranger)), 403)
    assert "readable only by the organisation's own keys" in body["detail"]
    assert_problem(client.get(f"/inbox?organisation={OWNER}", headers=_h(far_broker)), 403)
    assert client.get(f"/inbox?organisation={OWNER}", headers=_h(broker)).json()["count"] == 1
    body = assert_problem(client.get(f"/interests/{interest['id']}", headers=_h(stranger)), 403)
    assert "visible only to the sending organisation, the owner" in body["detail"]
    # only the owner answers
    body = assert_problem(client.post(f"/interests/{interest['id']}/accept", json={}, headers=_h(sender)), 403)
    assert "only the owner organisation" in body["detail"]
    assert_problem(client.post(f"/interests/{interest['id']}/accept", json={}, headers=_h(broker)), 403)
    accepted = client.post(f"/interests/{interest['id']}/accept", headers=_h(owner),
                           json={"contact": {"name": "Dr. Ion Ionescu", "email": "ion@example.org"}})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["contact"]["email"] == EMAIL
    as_sender = client.get(f"/interests/{interest['id']}", headers=_h(sender)).json()
    assert as_sender["reply_contact"]["email"] == "ion@example.org"
    assert [e["status"] for e in as_sender["history"]] == ["pending", "accepted"]
    as_broker = client.get(f"/interests/{interest['id']}", headers=_h(broker)).json()
    assert as_broker["contact"] is None and as_broker["status"] == "accepted"  # brokers never see contacts
    # answered once
    assert_problem(client.post(f"/interests/{interest['id']}/decline", json={"reason": "other"}, headers=_h(owner)),
                   409)


def test_declines_are_counted_by_reason(client: TestClient, key: Callable[..., str]) -> None:
    owner = key(organisation=OWNER)
    senders = [key(organisation=org) for org in (SENDER, "example-dairy-sme", "example-bakery-sme")]
    ids = [_send(client, k).json()["id"] for k in senders]  # type: ignore[attr-defined]
    for interest_id, reason in zip(ids, ("too-early", "no-capacity", "no-capacity"), strict=True):
        answer = client.post(f"/interests/{interest_id}/decline", json={"reason": reason}, headers=_h(owner))
        assert answer.status_code == 200, answer.text
        assert answer.json()["contact"] is None  # declined: contacts never shared
    stats = client.get("/inbox/stats", headers=_h(owner)).json()
    assert stats["by_status"] == {"pending": 0, "accepted": 0, "declined": 3}
    counts = {r["code"]: r["count"] for r in stats["declined_by_reason"]}
    assert counts == {"too-early": 1, "not-our-field": 0, "no-capacity": 2, "other": 0}
    labels = {r["code"]: r["label_ro"] for r in client.get("/interests/reasons").json()}
    assert labels["not-our-field"] == "Nu este domeniul nostru"
    problem = assert_problem(client.post(f"/interests/{ids[0]}/decline", json={"reason": "bored"},
                                         headers=_h(owner)), 422)
    assert "reason" in str(problem["errors"])


def test_bad_input_and_closed_records(client: TestClient, key: Callable[..., str]) -> None:
    sender = key(organisation=SENDER)
    problem = assert_problem(_send(client, sender, "x" * 2001), 422)
    assert "message" in str(problem["errors"])
    assert_problem(_send(client, sender, "   "), 422)
    assert_problem(_send(client, sender, offer="no-such-offer"), 404)
    assert_problem(client.post(f"/offers/{OFFER}/interest", json={"message": "hi", "contact": {"email": "nope"}},
                               headers=_h(sender)), 422)
    # a key bound to no organisation, an anonymous caller, the owner itself
    assert "on behalf of an organisation" in assert_problem(_send(client, key(Role.editor)), 403)["detail"]
    assert_problem(client.post(f"/offers/{OFFER}/interest", json={"message": "hi"}), 401)
    assert_problem(_send(client, key(organisation=OWNER)), 422)
    # withdrawn and expired offers take no interest: 409
    store = client.app.state.store.oxigraph  # type: ignore[attr-defined]
    graph = ox.NamedNode("https://w3id.org/innograph/graph/test-lifecycle")
    base = "https://w3id.org/innograph/id/offer/"
    store.add(ox.Quad(ox.NamedNode(base + "offer-constructed-wetland"),
                      ox.NamedNode("https://w3id.org/innograph/def#status"), ox.Literal("withdrawn"), graph))
    store.add(ox.Quad(ox.NamedNode(base + "offer-dairy-wastewater-treatment"),
                      ox.NamedNode("https://w3id.org/innograph/def#expires"),
                      ox.Literal("2020-01-31", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), graph))
    assert "withdrawn" in assert_problem(_send(client, sender, offer="offer-constructed-wetland"), 409)["detail"]
    assert "expired" in assert_problem(_send(client, sender, offer="offer-dairy-wastewater-treatment"), 409)["detail"]
    # a second pending interest of the same organisation: 409
    assert _send(client, sender).status_code == 201  # type: ignore[attr-defined]
    assert_problem(_send(client, sender), 409)


def test_html_in_a_message_is_stored_and_returned_as_text(client: TestClient, key: Callable[..., str]) -> None:
    message = '<script>alert("x")</script><b onmouseover="x()">Bună ziua</b> & <img src=x onerror=y>'
    sent = _send(client, key(organisation=SENDER), message)
    assert sent.status_code == 201  # type: ignore[attr-defined]
    owner_view = client.get("/inbox", headers=_h(key(organisation=OWNER))).json()["data"][0]
    assert owner_view["message"] == message  # verbatim text: neither stripped nor turned into markup


def test_request_interest_and_private_data_never_reach_sparql(client: TestClient, key: Callable[..., str]) -> None:
    offerer = key(organisation=OWNER)
    sent = client.post("/requests/need-grain-drying-without-gas/interest", headers=_h(offerer),
                       json={"message": f"Our dryer fits: {SECRET_WORD}", "contact": {"email": EMAIL}})
    assert sent.status_code == 201, sent.text
    assert sent.json()["owner_organisation"] == SENDER
    alert = client.post("/alerts", headers=_h(offerer), json={"text": f"grain dryers {SECRET_WORD}"})
    assert alert.status_code == 201, alert.text
    for word, present in ((OFFER, True), (SECRET_WORD, False), (EMAIL, False), (alert.json()["id"], False),
                          (sent.json()["id"], False)):  # the offer's id: the query does find what is there
        query = f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(CONTAINS(STR(?o), "{word}") ' \
                f'|| CONTAINS(STR(?s), "{word}")) }}'
        answer = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200, answer.text
        assert (answer.json()["results"]["bindings"][0]["n"]["value"] != "0") is present, word
        default = query.replace("GRAPH ?g { ?s ?p ?o }", "?s ?p ?o")
        answer = client.get("/sparql", params={"query": default}, headers={"Accept": "application/sparql-results+json"})
        assert (answer.json()["results"]["bindings"][0]["n"]["value"] != "0") is present, word

    # the Cypher projection is derived from the RDF store: the same words are not in it either
    cypher = ("MATCH (n:TechnologyOffer) WHERE n.description CONTAINS $w RETURN count(n) AS n UNION ALL "
              "MATCH (n:TechnologyRequest) WHERE n.description CONTAINS $w RETURN count(n) AS n UNION ALL "
              "MATCH (n:Organisation) WHERE n.description CONTAINS $w OR n.name CONTAINS $w RETURN count(n) AS n")
    for word, present in (("heat pump", True), (SECRET_WORD, False), (EMAIL, False)):
        answer = client.post("/cypher", json={"query": cypher, "parameters": {"w": word}})
        assert answer.status_code == 200, answer.text
        rows = answer.json()["rows"]
        total = sum(r[0] if isinstance(r, list) else next(iter(r.values())) for r in rows)
        assert (total > 0) is present, (word, rows)
