"""Members' records in the property graph: ``status`` and ``expires`` are node properties of offers and
requests (both engines), and the projection follows a member's edit (issue 13, item 2)."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from common.settings import Settings
from graph.cypher import CypherEngine, run_cypher
from graph.cypher._embedded import EmbeddedEngine
from graph.cypher._neo4j import Neo4jEngine
from graph.cypher._projection import ensure_projection, is_fresh
from graph.cypher._projection_extract import ProjectionData, extract
from graph.cypher._projection_mapping import NOT_PROJECTED, node_spec
from graph.records import Actor, Record, RecordService
from graph.store import GraphStore

pytest_plugins = ("tests.graph.cypher.cypher_fixtures",)

TEXT = {"description": "Sonde de umiditate și temperatură pentru silozuri, citite prin LoRaWAN."}


def test_status_and_expiry_are_mapped_not_listed_as_missing() -> None:
    for label in ("TechnologyOffer", "TechnologyRequest"):
        props = {p.name: p for p in node_spec(label).props}
        assert props["status"].type == "STRING" and props["status"].default == "published"
        assert props["expires"].type == "DATE"
    assert "ig:status" not in NOT_PROJECTED and "ig:expires" not in NOT_PROJECTED


def test_records_from_source_files_are_published_without_expiry(projection_data: ProjectionData) -> None:
    offers = next(t for t in projection_data.nodes if t.spec.label == "TechnologyOffer").rows
    dryer = next(row for row in offers if row["id"] == "offer-heat-pump-grain-dryer")
    assert (dryer["status"], dryer["expires"]) == ("published", None)


@dataclass
class MemberData:
    """A copy of the Cypher data folder where osim published an offer, a draft request and a withdrawn offer."""

    settings: Settings
    store: GraphStore
    offer: Record
    draft: Record
    gone: Record
    soon: date


@pytest.fixture(scope="module")
def member_data(cypher_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MemberData]:
    data_dir = tmp_path_factory.mktemp("member-records") / "data"
    shutil.copytree(cypher_data, data_dir, ignore=shutil.ignore_patterns("LOCK"))
    settings = Settings(data_dir=data_dir)
    store = GraphStore(settings.store_dir)
    records = RecordService(store)
    osim = Actor("test-key", "osim", False)
    soon = date.today() + timedelta(days=30)
    offer = records.create("offer", osim, None, {"title": "Sonde pentru silozuri", **TEXT, "expires": soon})
    draft = records.create("request", osim, None, {"title": "Uscător cu pompă de căldură", **TEXT, "status": "draft"})
    gone = records.create("offer", osim, None, {"title": "Retrasă", **TEXT})
    gone = records.withdraw("offer", gone.id, osim, gone.etag)
    yield MemberData(settings, store, offer, draft, gone, soon)
    del store
    gc.collect()


def _ask(engine: CypherEngine, member: MemberData) -> None:
    """The same questions and answers on either engine."""
    offers = run_cypher(engine, "MATCH (:Organisation {id: 'osim'})-[:OFFERS]->(o:TechnologyOffer) "
                                "RETURN o.id, o.status, o.expires ORDER BY o.id").rows
    assert sorted(offers) == sorted([[member.offer.id, "published", member.soon.isoformat()],
                                     [member.gone.id, "withdrawn", member.gone.expires]])
    needs = run_cypher(engine, "MATCH (:Organisation {id: 'osim'})-[:NEEDS]->(r:TechnologyRequest) "
                               "RETURN r.id, r.status, r.expires").rows
    assert needs == [[member.draft.id, "draft", member.draft.expires]]
    # expired is a published record past its date, asked for on the day of the query (here: in two months)
    later = (member.soon + timedelta(days=31)).isoformat()
    expired = run_cypher(engine, "MATCH (o:TechnologyOffer) WHERE o.status = 'published' AND o.expires < date($today) "
                                 "RETURN o.id", {"today": later}).rows
    assert expired == [[member.offer.id]]
    matchable = run_cypher(engine, "MATCH (o:TechnologyOffer) WHERE o.status = 'published' AND "
                                   "(o.expires IS NULL OR o.expires >= date($today)) RETURN count(o)",
                           {"today": date.today().isoformat()}).rows[0][0]
    every = run_cypher(engine, "MATCH (o:TechnologyOffer) RETURN count(o)").rows[0][0]
    assert matchable == every - 1  # all but the withdrawn one
    illustrative = run_cypher(engine, "MATCH (o:TechnologyOffer {id: 'offer-heat-pump-grain-dryer'}) "
                                      "RETURN o.status, o.expires").rows
    assert illustrative == [["published", None]]


def test_the_embedded_projection_follows_the_edits_with_status_and_expiry(member_data: MemberData) -> None:
    assert not is_fresh(member_data.store, member_data.settings)  # the edits made it stale
    assert ensure_projection(member_data.store, member_data.settings)
    engine = EmbeddedEngine(member_data.settings.cypher_dir, memory_mb=128)
    try:
        _ask(engine, member_data)
    finally:
        engine.close()


def test_neo4j_holds_the_same_status_and_expiry(member_data: MemberData, cypher_neo4j: Neo4jEngine,
                                                projection_data: ProjectionData) -> None:
    cypher_neo4j.load(extract(member_data.store))
    try:
        _ask(cypher_neo4j, member_data)
    finally:
        cypher_neo4j.load(projection_data)  # the session's other Neo4j tests expect the shared slice
