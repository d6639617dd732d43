"""The store factory of every entry point: a source goes to the embedded store, then to the endpoint.

Against the Virtuoso the suite starts (``scripts/virtuoso/start.sh``): the fixtures of
``endpoint`` and ``remote`` in tests/conftest.py start it when needed and fail under ``CI=true``
when it cannot be had. The CLI and ``POST /ingest`` sides are in ``tests/cli/test_ingest_remote.py``
and ``tests/api/test_ingest_remote.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from common.settings import Settings
from graph.sparql import RemoteStore
from graph.store import GraphStore
from ingest.loading import ingest_path
from ingest.targets import mirror, remote_target, took
from ontology._keys import graph_iri
from tests.ingest.readers.test_tabular import GOOD_OFFER, OFFERS_HEADER, ORGS, write


def test_no_endpoint_configured_means_the_embedded_store_alone(tmp_path: Path) -> None:
    assert remote_target(Settings(data_dir=tmp_path)) is None


def test_a_source_lands_in_both_with_the_same_quads(store: GraphStore, remote: RemoteStore, tmp_path: Path) -> None:
    src = write(tmp_path / "demo", "organisations.csv", ORGS).parent
    write(src, "offers.csv", OFFERS_HEADER + GOOD_OFFER)
    local = ingest_path(store, src, name="demo")
    assert took(local)
    outcome = mirror(remote, src, name="demo", kind=None)
    assert outcome.ok and outcome.written and outcome.quads_added == local.quads_added > 0
    graph = graph_iri("demo")
    assert remote.graph_quads(graph) == store.graph_quads(graph)
    # the endpoint got the base graphs it validates against, once
    assert graph_iri("ontology") in set(remote.named_graphs())
    again = mirror(remote, src, name="demo", kind=None)
    assert again.ok and again.skipped_unchanged and not again.written


def test_a_dry_run_or_a_kept_version_is_not_mirrored(store: GraphStore, tmp_path: Path) -> None:
    src = write(tmp_path / "demo", "organisations.csv", ORGS).parent
    assert not took(ingest_path(store, src, name="demo", dry_run=True))


def test_an_unreachable_endpoint_is_an_outcome_not_an_exception(tmp_path: Path) -> None:
    src = write(tmp_path / "demo", "organisations.csv", ORGS).parent
    dead = RemoteStore("http://127.0.0.1:9/sparql", "http://127.0.0.1:9/sparql", timeout_s=2)
    outcome = mirror(dead, src, name="demo", kind=None)
    assert not outcome.ok and not outcome.written
    assert outcome.endpoint == "http://127.0.0.1:9/sparql" and outcome.error


@pytest.fixture
def remote_settings(endpoint: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, sparql_query_url=endpoint, sparql_update_url=endpoint)


def test_the_factory_opens_the_configured_endpoint(remote_settings: Settings) -> None:
    target = remote_target(remote_settings)
    assert isinstance(target, RemoteStore) and target.update_url == remote_settings.sparql_update_url
    assert isinstance(target.named_graphs(), list)
    target.close()
