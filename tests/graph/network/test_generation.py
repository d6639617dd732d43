"""The network is rebuilt after an ingest or an organisation edit, not after a member's offer or request.

Why (``graph.network._data.network_generation``): members write records all day and the network
of the bundled data takes 16-20 s to build; an offer is not a tie between organisations. The
region x field gap counts offers and requests, so it follows every write.
"""

from __future__ import annotations

from pathlib import Path

from graph.network import state, supply_demand
from graph.network._data import network_generation
from graph.records import Actor, RecordService
from graph.store import GraphStore, store_generation
from ingest.loading import ingest_path
from tests.ingest.readers.test_tabular import ORGS, write

ORG = "example-bakery-sme"


def _requests(store: GraphStore) -> int:
    gap = supply_demand(store, level=2, depth=0)
    return sum(cell["demand"] for cell in gap["data"])


def test_a_members_offer_leaves_the_network_but_not_the_gap_stale(records: RecordService, tmp_path: Path) -> None:
    store = records.store
    before, key, demand = state(store), network_generation(store), _requests(store)
    full = store_generation(store)
    bakery = Actor("test-key", ORG, False)
    records.create("request", bakery, None, {"title": "Cuptor cu recuperare de căldură",
                                             "description": "Recuperarea căldurii cuptoarelor de pâine."})
    assert store_generation(store) != full  # the store did change
    assert network_generation(store) == key and state(store) is before  # the network did not
    assert _requests(store) == demand + 1  # the gap counts the new request at once
    assert ingest_path(store, write(tmp_path / "orgs", "organisations.csv", ORGS).parent, name="demo").ok
    assert network_generation(store) != key and state(store) is not before  # an ingest rebuilds it
