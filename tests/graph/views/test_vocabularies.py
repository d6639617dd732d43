"""Request codes resolve against the store's own vocabulary graphs, the ones matching reads.

Why it matters (issue 14): request codes used to resolve against the bundled files while
matching read its concepts from the store, so an admin who replaced a ``vocab-*`` graph changed
one and not the other.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from common.errors import InvalidInputError
from graph.matching import Concepts
from graph.store import GraphStore
from graph.views import resolve_codes, store_vocabularies
from ingest.loading import ingest_path
from ontology import VOCAB_DIR
from ontology._vocab import vocabularies

CLUSTER = "https://w3id.org/innograph/vocab/org-kind/cluster"
EXTRA = f"""
<{CLUSTER}> a <http://www.w3.org/2004/02/skos/core#Concept> ;
    <http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/innograph/vocab/org-kind> ;
    <http://www.w3.org/2004/02/skos/core#notation> "cluster" ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> "Innovation cluster"@en, "Cluster de inovare"@ro .
"""


def test_codes_resolve_as_in_the_bundled_files(store: GraphStore) -> None:
    assert resolve_codes(store, "nuts2021", "region", ["ro21", "Nord-Est"]) == \
        ["http://data.europa.eu/nuts/code/RO21"] * 2
    with pytest.raises(InvalidInputError) as caught:
        resolve_codes(store, "nace2", "filters.sectors", ["99.99"])
    assert caught.value.field == "filters.sectors" and "unknown nace2 code '99.99'" in str(caught.value)


def test_a_replaced_vocabulary_graph_changes_request_codes_and_matching_alike(store: GraphStore, tmp_path: Path) -> None:
    before = store_vocabularies(store)
    assert store_vocabularies(store) is before  # cached while no vocabulary graph changes
    with pytest.raises(InvalidInputError):
        resolve_codes(store, "org-kind", "kind", ["cluster"])
    replaced = tmp_path / "org-kinds.ttl"
    replaced.write_text((VOCAB_DIR / "org-kinds.ttl").read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    assert ingest_path(store, replaced, name="vocab-org-kinds").ok
    assert resolve_codes(store, "org-kind", "kind", ["cluster", "Cluster de inovare"]) == [CLUSTER, CLUSTER]
    assert Concepts.from_store(store).notations[CLUSTER] == "cluster"  # what matching reads
    with pytest.raises(ValueError):
        vocabularies().resolve("org-kind", "cluster")  # the bundled files do not have it


def test_a_member_write_does_not_rebuild_the_tables(store: GraphStore, tmp_path: Path) -> None:
    tables = store_vocabularies(store)
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "organisations.csv").write_text(
        "org_id,name,short_name,kind,country,nuts,sme,competences\nx,X SRL,,sme,RO,RO21,true,\n", encoding="utf-8")
    assert ingest_path(store, tmp_path / "o", name="demo").ok
    assert store_vocabularies(store) is tables


def test_a_store_without_vocabularies_falls_back_to_the_bundled_files() -> None:
    assert store_vocabularies(GraphStore(None)) is vocabularies()
