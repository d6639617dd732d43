"""PATCH /organisations/{id}: a member edits its own organisation's profile; the view shows it; every
bad input or access is a 4xx problem with the store unchanged."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.keys import KeyStore, Role
from common.settings import Settings
from tests.api.conftest import assert_problem

OWN, OTHER = "osim", "example-agri-engineering-institute"
EDIT = {"description": "Institut de cercetare pentru mașini agricole / agricultural machinery research institute.",
        "competences": ["uscare cereale", "heat pumps"], "sectors": ["28.30"], "region": "RO21",
        "website": "https://osim.example.org/profile"}


@pytest.fixture
def setup(make_client: Callable[..., TestClient], data_dir: Path) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    keys = KeyStore(Settings(data_dir=data_dir).keys_file)
    headers = {}
    for label, role, org in (("own", Role.member, OWN), ("other", Role.member, OTHER), ("editor", Role.editor, None)):
        headers[label] = {"X-API-Key": keys.create(f"test {label}", role, organisation=org)[1]}
    yield make_client(), headers


def _quads(client: TestClient) -> int:
    return len(client.app.state.store.oxigraph)  # type: ignore[attr-defined]


def _patch(client: TestClient, headers: dict[str, str], body: dict[str, Any], org: str = OWN) -> Any:
    etag = client.get(f"/organisations/{org}").headers["ETag"]
    return client.patch(f"/organisations/{org}", json=body, headers={**headers, "If-Match": etag})


def test_member_edits_own_profile_and_sees_it(setup: tuple[TestClient, dict[str, Any]]) -> None:
    client, h = setup
    before = client.get(f"/organisations/{OWN}")
    assert before.status_code == 200 and before.headers["ETag"]
    edited = _patch(client, h["own"], EDIT)
    assert edited.status_code == 200, edited.text
    assert edited.json()["region"] == "RO21" and edited.json()["competences"] == sorted(EDIT["competences"])
    after = client.get(f"/organisations/{OWN}")
    assert after.headers["ETag"] == edited.headers["ETag"] != before.headers["ETag"]
    profile = after.json()
    assert profile["description"] == EDIT["description"] and profile["website"] == EDIT["website"]
    assert profile["region"]["iri"].endswith("/RO21")
    assert {"uscare cereale", "heat pumps"} <= set(profile["competences"])
    assert "http://data.europa.eu/ux2/nace2/2830" in [s["iri"] for s in profile["sectors"]]
    assert "https://w3id.org/innograph/graph/member/osim" in profile["sources"]
    # the sources' statements are kept: every graph that spoke of the organisation still does
    assert set(before.json()["sources"]) <= set(profile["sources"])
    # history: a PROV record change with a pseudonymous agent, visible to SPARQL
    query = ("PREFIX ig: <https://w3id.org/innograph/def#> SELECT ?run WHERE { GRAPH ?g { ?run a ig:RecordChange ; "
             "ig:changedRecord <https://w3id.org/innograph/id/org/osim> } }")
    rows = client.get("/sparql", params={"query": query},
                      headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert len(rows) == 1
    # clearing the member's own value brings the source's back (it was never deleted)
    cleared = _patch(client, h["own"], {"description": None})
    assert cleared.status_code == 200 and cleared.json()["description"] is None, cleared.text
    assert client.get(f"/organisations/{OWN}").json()["description"] == before.json()["description"]


def test_editor_may_edit_any_member_of_another_may_not(setup: tuple[TestClient, dict[str, Any]]) -> None:
    client, h = setup
    before = _quads(client)
    refused = assert_problem(_patch(client, h["other"], EDIT), 403)
    assert refused["rule"] == "member-own-organisation" and refused["type"].endswith("/not-your-organisation")
    assert_problem(_patch(client, {}, EDIT), 401)
    assert _quads(client) == before
    edited = _patch(client, h["editor"], {"competences": ["sensors"]}, org=OTHER)
    assert edited.status_code == 200, edited.text


def test_if_match_required_and_stale_refused(setup: tuple[TestClient, dict[str, Any]]) -> None:
    client, h = setup
    first = client.get(f"/organisations/{OWN}").headers["ETag"]
    before = _quads(client)
    assert_problem(client.patch(f"/organisations/{OWN}", json=EDIT, headers=h["own"]), 428)
    assert_problem(client.patch(f"/organisations/{OWN}", json=EDIT, headers={**h["own"], "If-Match": '"0"'}), 412)
    assert _quads(client) == before
    assert client.patch(f"/organisations/{OWN}", json={"competences": ["a"]},
                        headers={**h["own"], "If-Match": first}).status_code == 200
    stale = client.patch(f"/organisations/{OWN}", json={"competences": ["b"]}, headers={**h["own"], "If-Match": first})
    assert_problem(stale, 412)
    assert "a" in client.get(f"/organisations/{OWN}").json()["competences"]


BAD = [
    ({"sectors": ["99.99"]}, "sectors"),
    ({"region": "XX99"}, "region"),
    ({"fields": ["no-such-field-of-science"]}, "fields"),
    ({"description": "x" * 1_000_000}, "description"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"contact": "ana@example.org"}, "contact"),
]


@pytest.mark.parametrize(("body", "field"), BAD, ids=[f for _, f in BAD])
def test_bad_input_is_a_problem_naming_the_field_and_writes_nothing(setup: tuple[TestClient, dict[str, Any]],
                                                                   body: dict[str, Any], field: str) -> None:
    client, h = setup
    before = _quads(client)
    profile = client.get(f"/organisations/{OWN}").json()
    response = _patch(client, h["own"], body)
    assert 400 <= response.status_code < 500
    problem = assert_problem(response, response.status_code)
    if response.status_code == 422:
        assert field in [e["field"] for e in problem.get("errors", [])] or field in problem["detail"], problem
    assert _quads(client) == before and client.get(f"/organisations/{OWN}").json() == profile


def test_html_is_stored_as_text(setup: tuple[TestClient, dict[str, Any]]) -> None:
    client, h = setup
    script = '<script>alert("x")</script><b>bold</b> & more'
    assert _patch(client, h["own"], {"description": script, "competences": ["<i>k</i>"]}).status_code == 200
    read = client.get(f"/organisations/{OWN}")
    assert read.headers["content-type"].startswith("application/json")
    assert read.json()["description"] == script and "<i>k</i>" in read.json()["competences"]


def test_matching_picks_the_edit_up_at_its_next_index_build(setup: tuple[TestClient, dict[str, Any]]) -> None:
    """A full build reads the member's statements too (all graphs), and gives the profile the edit put in place."""
    from graph.matching._profiles import build_profiles

    client, h = setup
    store = client.app.state.store  # type: ignore[attr-defined]
    word = "criogenie-unicat"
    edit = {"competences": [word], "description": "Uscătoare solare de fructe."}
    assert _patch(client, h["own"], edit).status_code == 200
    profiles = build_profiles(store, "supply")
    text = " ".join(p.text for p in profiles.profiles if p.iri.endswith("/org/osim"))
    assert word in text and "Uscătoare solare de fructe." in text
    index = client.app.state.matcher.index("supply")  # type: ignore[attr-defined]
    live = [p for i, p in enumerate(index.profiles) if p.iri.endswith("/org/osim") and not index.retired[i]]
    assert live == [p for p in profiles.profiles if p.iri.endswith("/org/osim")]


def test_edit_is_matched_at_once_without_a_rebuild(setup: tuple[TestClient, dict[str, Any]],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """PATCH moves the organisation's row in the loaded index (retire + append), as offers do: no rebuild."""
    from graph.matching import MatchIndex

    client, h = setup
    need = "cryogenic seed vault monitoring"
    org = "https://w3id.org/innograph/id/org/osim"

    def ids() -> list[str]:
        response = client.post("/match", json={"text": need, "limit": 5})
        assert response.status_code == 200
        return [r["id"] for r in response.json()["data"]]

    assert org not in ids()  # the index is loaded, and the need is not the organisation's (yet)
    matcher = client.app.state.matcher  # type: ignore[attr-defined]
    index = matcher.index("supply")
    size = len(index.profiles)

    def no_rebuild(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the matching index was rebuilt")

    monkeypatch.setattr(MatchIndex, "build", no_rebuild)
    monkeypatch.setattr(MatchIndex, "load", no_rebuild)
    assert _patch(client, h["own"], {"competences": ["cryogenic seed vault monitoring"]}).status_code == 200
    assert matcher.index("supply") is index and len(index.profiles) > size  # appended in place
    found = ids()
    assert org in found  # at once
    rows = [i for i, p in enumerate(index.profiles) if p.iri == org]
    assert rows[-1] >= size and not index.retired[rows[-1]] and index.retired[rows[:-1]].all()  # one live row
    assert "cryogenic seed vault monitoring" in index.profiles[rows[-1]].passages[0]
    # clearing it takes the organisation's row back to what the sources say, again in place
    assert _patch(client, h["own"], {"competences": None}).status_code == 200
    assert matcher.index("supply") is index and org not in ids()


def test_shacl_sees_the_organisation_with_its_sources_context(setup: tuple[TestClient, dict[str, Any]]) -> None:
    """The shapes validate the organisation as the view sees it: two regions in the member's version are refused."""
    import pyoxigraph as ox

    from common.errors import InvalidInputError
    from graph.records import member_graph
    from graph.records._organisation import _validate_org
    from graph.store import PROVENANCE_GRAPH
    from graph.views import organisation_iri, resolve_codes

    client, _ = setup
    store = client.app.state.store  # type: ignore[attr-defined]
    org, graph = organisation_iri(OWN), member_graph(OWN)
    region = ox.NamedNode("https://w3id.org/innograph/def#region")
    context = {ox.Quad(q.subject, q.predicate, q.object, graph)
               for q in store.oxigraph.quads_for_pattern(org, None, None, None)
               if q.graph_name != PROVENANCE_GRAPH and q.predicate != region}
    two = {ox.Quad(org, region, ox.NamedNode(iri), graph) for iri in resolve_codes(store, "nuts2021", "region", ["RO21", "RO22"])}
    with pytest.raises(InvalidInputError) as refused:
        _validate_org(store, org, graph, two | context)
    assert "region" in str(refused.value)
    _validate_org(store, org, graph, set(list(two)[:1]) | context)  # one region passes
