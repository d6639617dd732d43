"""GET /search: names without diacritics or case, ranking, kinds, paging, fresh after an ingest."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from api.keys import Role


def first(reader: TestClient, url: str) -> dict[str, object]:
    response = reader.get(url)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data, url
    return data[0]  # type: ignore[no-any-return]


def test_osim_by_its_romanian_name_typed_without_diacritics(reader: TestClient) -> None:
    hit = first(reader, "/search?q=oficiul de stat pentru inventii")
    assert hit["id"] == "osim" and hit["kind"] == "organisation" and hit["href"] == "/organisations/osim"
    assert hit["matched_label"] == "Oficiul de Stat pentru Invenții și Mărci" and hit["match"] == "prefix"


def test_bundled_romanian_short_name_with_commas_below(reader: TestClient) -> None:
    hit = first(reader, "/search?q=AGENTIA PENTRU DEZVOLTARE REGIONALA NORD-EST")
    assert hit["id"] == "adr-nord-est" and hit["match"] == "exact"
    assert hit["label"] == "Regional Development Agency Nord-Est"


def test_ranking_exact_before_prefix_before_contains(reader: TestClient) -> None:
    body = reader.get("/search?q=osim&limit=50").json()
    assert body["data"][0]["id"] == "osim" and body["data"][0]["match"] == "exact"
    order = ["exact", "prefix", "word", "contains", "tokens"]
    ranks = [order.index(hit["match"]) for hit in body["data"]]
    assert ranks == sorted(ranks)


def test_words_in_any_order_and_punctuation_as_space(reader: TestClient) -> None:
    ids = [h["id"] for h in reader.get("/search?q=est nord&kind=organisation").json()["data"]]
    assert ids == ["adr-nord-est"]
    region = reader.get("/search?q=nord est&kind=concept").json()["data"][0]
    assert region["href"] == "/regions/RO21" and region["match"] == "exact"


def test_kind_filter_and_concepts_link_to_regions(reader: TestClient) -> None:
    body = reader.get("/search?q=RO21&kind=concept").json()
    assert body["data"][0]["match"] == "exact" and body["data"][0]["href"] == "/regions/RO21"
    assert {h["kind"] for h in body["data"]} == {"concept"}
    offers = reader.get("/search?q=grain&kind=offer&kind=request").json()["data"]
    assert offers and {h["kind"] for h in offers} <= {"offer", "request"}


def test_paging_is_stable_and_counted(reader: TestClient) -> None:
    everything = reader.get("/search?q=pic&limit=60").json()
    assert everything["count"] > 60
    page = reader.get("/search?q=pic&limit=20&offset=20").json()
    assert page["count"] == everything["count"]
    assert [h["iri"] for h in page["data"]] == [h["iri"] for h in everything["data"][20:40]]
    assert reader.get("/search?q=pic&limit=0").json()["data"] == []


def test_no_match_is_an_empty_page(reader: TestClient) -> None:
    assert reader.get("/search?q=zzqqxx").json() == {"data": [], "count": 0, "limit": 20, "offset": 0,
                                                     "query": "zzqqxx"}


def test_only_spaces_is_422(reader: TestClient) -> None:
    response = reader.get("/search?q=%20%20%20")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "q"


def test_the_index_follows_an_ingest(client: TestClient, keys: Callable[[Role], str]) -> None:
    assert client.get("/search?q=Laboratorul de uscare").json()["count"] == 0
    csv = "org_id,name,kind,country,nuts\nexample-drying-lab,Laboratorul de uscare a cerealelor,research-unit,RO,RO21\n"
    response = client.post("/ingest", files=[("files", ("organisations.csv", csv.encode()))],
                           data={"name": "drying"}, headers={"X-API-Key": keys(Role.editor)})
    assert response.status_code == 200, response.text
    hit = client.get("/search?q=laboratorul de uscare").json()["data"][0]
    assert hit["id"] == "example-drying-lab"
