"""Read-only SPARQL with a time limit that really stops the query, and a reported row cap."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from common.errors import QuerySyntaxError, QueryTimeoutError, ReadOnlyQueryError
from graph.sparql import run_query
from graph.store import GraphStore
from ingest.loading import ingest_path
from tests.conftest import h2020_slice

# Two participations of any two organisations, with no shared project: quadratic in participations.
EXPLOSIVE = """
PREFIX ig: <https://w3id.org/innograph/def#>
SELECT (COUNT(*) AS ?n) WHERE {
  ?a ig:participant ?x . ?b ig:participant ?y .
  FILTER NOT EXISTS { ?a ig:inProject ?p . ?b ig:inProject ?p }
}"""


def test_select_over_the_union_of_graphs(store: GraphStore) -> None:
    result = run_query(store, "SELECT ?l WHERE { nuts:RO21 skos:prefLabel ?l }")
    assert result.columns == ["l"]
    assert result.rows[0][0]["value"].startswith("Nord-Est")  # type: ignore[index]


def test_row_cap_is_reported(store: GraphStore) -> None:
    result = run_query(store, "SELECT ?c WHERE { ?c a skos:Concept }", row_cap=5)
    assert len(result.rows) == 5 and result.truncated
    assert not run_query(store, "SELECT ?c WHERE { ?c a skos:Concept } LIMIT 3", row_cap=5).truncated


def test_syntax_error_carries_the_parser_message(store: GraphStore) -> None:
    with pytest.raises(QuerySyntaxError, match="error at"):
        run_query(store, "SELEC ?x WHERE { ?x ?p ?o }")


def test_updates_are_refused(store: GraphStore) -> None:
    with pytest.raises(ReadOnlyQueryError, match="/sparql/update"):
        run_query(store, "DROP ALL")
    assert run_query(store, "ASK { ?s ?p ?o }").boolean


def test_timeout_stops_an_explosive_query_within_the_limit(store: GraphStore, tmp_path: Path) -> None:
    ingest_path(store, h2020_slice(tmp_path / "h", rows=20_000))
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError):
        run_query(store, EXPLOSIVE, timeout_s=1.0)
    assert time.perf_counter() - started < 3.0
    assert run_query(store, "ASK { ?s ?p ?o }", timeout_s=5).boolean  # the store still answers
