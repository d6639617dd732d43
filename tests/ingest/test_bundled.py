"""Which base sources (ontology, vocabularies) a store lacks: absent or emptied graphs alike."""

from __future__ import annotations

from graph.store import GraphStore
from ingest.bundled import base_sources, missing_base
from ontology._keys import graph_iri


def test_a_complete_store_lacks_nothing_and_an_emptied_graph_is_missing(store: GraphStore) -> None:
    assert missing_base(store) == []
    store.update(f"CLEAR GRAPH {graph_iri('vocab-trl')}")  # the graph may stay listed, without quads
    assert [name for _, name in missing_base(store)] == ["vocab-trl"]


def test_a_fresh_store_lacks_every_base_source() -> None:
    assert missing_base(GraphStore(None)) == base_sources()
