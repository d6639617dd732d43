"""Every writer of the store runs the one after-write step (``graph.writes``), seen from outside.

A saved need (POST /alerts) gets its hit when a matching offer is written by SPARQL update, by
the Graph Store protocol (PUT, POST), by a member's record, or by ``innograph ingest`` while
the server was down and then followed by the start-up load; caches that were in use are
rebuilt after a Graph Store DELETE before any request asks. ``POST /ingest`` is covered in
``test_alerts.py`` (its hits and webhook call); ``innograph ingest`` in ``tests/cli``.
Each test fails if its writer skips the step: nothing else evaluates the saved needs or
rebuilds the caches until the next request or write.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.keys import KeyStore, Role
from common.settings import Settings
from graph.store import GraphStore, refresh_stale
from ingest.loading import ingest_path
from ontology._keys import graph_iri
from tests.api.conftest import settled
from tests.api.test_alerts import NEED, UPLOAD
from tests.api.test_records import OFFER

ORG = "https://w3id.org/innograph/id/org/example-agri-engineering-institute"
OFFER_IRI = "https://w3id.org/innograph/id/offer/{}"
PREFIXES = "PREFIX ig: <https://w3id.org/innograph/def#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"


def _offer(offer_id: str) -> str:
    """Triples of an offer of an illustrative organisation that answers ``NEED`` (as test_alerts' upload)."""
    return (
        f"<{ORG}> ig:offers <{OFFER_IRI.format(offer_id)}> .\n"
        f"<{OFFER_IRI.format(offer_id)}> a ig:TechnologyOffer ;\n"
        '  dcterms:title "Solar heat-pump grain dryer without gas"@en ;\n'
        '  dcterms:description "A cheaper way to dry grain without gas: a solar-assisted heat pump dryer for maize, '
        'wheat and other cereals that replaces LPG and natural gas burners on farms."@en ;\n'
        '  ig:keyword "grain drying"@en, "without gas"@en ; ig:trl 7 .\n'
    )


def _h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def _hits(client: TestClient, alert_id: str, key: str) -> set[str]:
    response = client.get(f"/alerts/{alert_id}", headers=_h(key))
    assert response.status_code == 200, response.text
    return {h["id"] for h in response.json()["hits"]}


def _saved_need(client: TestClient, key: str) -> str:
    created = client.post("/alerts", json={"text": NEED}, headers=_h(key))
    assert created.status_code == 201, created.text
    assert created.json()["hits"] == []
    return str(created.json()["id"])


def test_a_sparql_update_reaches_the_saved_needs(client: TestClient, keys: Callable[[Role], str]) -> None:
    reader, editor = keys(Role.reader), keys(Role.editor)
    alert = _saved_need(client, reader)
    update = f"{PREFIXES}INSERT DATA {{ GRAPH <{graph_iri('sparql-offers').value}> {{\n{_offer('by-sparql')}}} }}"
    response = client.post("/sparql/update", content=update.encode(),
                           headers={**_h(editor), "Content-Type": "application/sparql-update"})
    assert response.status_code == 200, response.text
    settled(client)
    assert OFFER_IRI.format("by-sparql") in _hits(client, alert, reader)


def test_graph_store_put_and_post_reach_the_saved_needs(client: TestClient, keys: Callable[[Role], str]) -> None:
    reader, editor = keys(Role.reader), keys(Role.editor)
    alert = _saved_need(client, reader)
    turtle = {**_h(editor), "Content-Type": "text/turtle"}
    for method, offer_id in (("PUT", "by-graph-store-put"), ("POST", "by-graph-store-post")):
        response = client.request(method, "/rdf-graphs/service", params={"graph": graph_iri(offer_id).value},
                                  content=(PREFIXES + _offer(offer_id)).encode(), headers=turtle)
        assert response.status_code == 201, response.text
        settled(client)
        assert OFFER_IRI.format(offer_id) in _hits(client, alert, reader), method


def test_graph_store_delete_rebuilds_the_caches_in_use_before_any_request(
    client: TestClient, keys: Callable[[Role], str]
) -> None:
    app = client.app
    store: GraphStore = app.state.store  # type: ignore[attr-defined]
    assert client.get("/stats").status_code == 200
    assert client.get("/regions/RO21/indicators").status_code == 200
    response = client.delete("/rdf-graphs/service", params={"graph": graph_iri("ro-names").value},
                             headers=_h(keys(Role.editor)))
    assert response.status_code == 200, response.text
    settled(client)
    # built for the new generation by the follow-up, not by a request: the next /stats finds it ready
    assert not app.state.stats_cache.stale_for(store)  # type: ignore[attr-defined]
    assert refresh_stale(store) == []  # the indicator facts, network data ... too: nothing left to rebuild


def test_a_member_record_reaches_the_saved_needs_at_once(
    make_client: Callable[..., TestClient], data_dir: Path, keys: Callable[[Role], str]
) -> None:
    member = KeyStore(Settings(data_dir=data_dir).keys_file).create("member", Role.member, organisation="osim")[1]
    reader = keys(Role.reader)
    client = make_client()
    alert = _saved_need(client, reader)
    response = client.post("/offers", json={**OFFER, "title": "Grain dryer without gas / uscător de cereale fără gaz",
                                            "description": NEED + ": a heat-pump dryer for maize and wheat."},
                           headers=_h(member))
    assert response.status_code == 201, response.text
    # no waiting: the record's row is already in the index, so it is scored before the answer
    assert response.json()["iri"] in _hits(client, alert, reader)


def test_the_start_up_load_follows_writes_made_while_the_server_was_down(
    data_dir: Path, keys: Callable[[Role], str], tmp_path: Path
) -> None:
    reader = keys(Role.reader)
    settings = Settings(data_dir=data_dir, warm_on_start=False, rate_limit_anonymous=0)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        alert = _saved_need(client, reader)
    del client
    gc.collect()
    # the server is down: an offer is ingested (as ``innograph ingest`` does) and a vocabulary is lost
    store = GraphStore(settings.store_dir)
    source = tmp_path / "new-offers"
    source.mkdir()
    for _, (name, body, _media) in UPLOAD:
        (source / name).write_bytes(body)
    assert ingest_path(store, source, name="new-offers").ok
    store.oxigraph.remove_graph(graph_iri("vocab-roles"))
    del store
    gc.collect()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        settled(client)  # the start-up load put vocab-roles back, and its follow-up diffed the profiles
        assert "https://w3id.org/innograph/id/offer/offer-solar-grain-dryer" in _hits(client, alert, reader)
        ready = {c["name"]: c for c in client.get("/ready").json()["components"]}
        assert ready["after-write follow-up"]["state"] == "ready"
