"""One store generation key: the store, the SPARQL replica and the matching indexes compare the same value."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.sparql import _replica
from graph.store import GraphStore, PerGeneration, generation_key, generation_text, refresh_stale, store_generation
from ingest.loading import ingest_path
from tests.ingest.readers.test_tabular import ORGS, write


def test_the_replica_computes_the_disk_store_key_with_the_same_function() -> None:
    assert _replica.generation_key is generation_key


def test_a_copy_of_the_store_has_the_same_key_and_an_ingest_changes_it(store: GraphStore, tmp_path: Path) -> None:
    before = store_generation(store)
    copy = ox.Store()
    copy.extend(store.oxigraph.quads_for_pattern(None, None, None, None))
    assert generation_key(copy) == before
    assert before[0] > 0 and before[2] > 0  # the vocabularies were loaded by runs into named graphs

    ingest_path(store, write(tmp_path / "src", "organisations.csv", ORGS).parent, name="demo")
    after = store_generation(store)
    assert after != before
    assert after[0] == before[0] + 1 and after[2] == before[2] + 1


def test_the_text_form_is_what_matching_indexes_record(store: GraphStore) -> None:
    key = store_generation(store)
    assert generation_text(key) == "/".join(str(part) for part in key)
    assert generation_text(store_generation(GraphStore(None))) == "0//0"


def _write(store: GraphStore, n: int) -> None:
    """A change of the store's generation: one more named graph."""
    store.oxigraph.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(n), ox.NamedNode(f"urn:g{n}")))


def test_refresh_stale_rebuilds_only_the_caches_in_use_and_out_of_date() -> None:
    store, other = GraphStore(None), GraphStore(None)
    built: list[str] = []
    used = PerGeneration(lambda s: built.append("used") or len(built))
    never = PerGeneration(lambda s: built.append("never asked") or len(built))
    elsewhere = PerGeneration(lambda s: built.append("other store") or len(built))
    used.get(store)
    elsewhere.get(other)
    assert refresh_stale(store) == []  # nothing changed yet
    _write(store, 1)
    assert used.stale_for(store)
    assert refresh_stale(store) == [used.name]
    assert built == ["used", "other store", "used"]
    assert not used.stale_for(store) and not never.stale_for(store)
