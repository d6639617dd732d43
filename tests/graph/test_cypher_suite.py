"""The analyst suite: realistic questions with real answers, the same on both engines."""

from __future__ import annotations

import pytest

from graph.cypher import load_suite, run_cypher, same_rows
from graph.cypher._embedded import EmbeddedEngine
from graph.cypher._neo4j import Neo4jEngine

pytest_plugins = ("tests.graph.cypher_fixtures",)

SUITE = load_suite()
NAMES = [q.name for q in SUITE]


def test_the_suite_has_at_least_fifteen_documented_questions() -> None:
    assert len(SUITE) >= 15
    for query in SUITE:
        assert query.question.endswith("?"), query.name
        assert query.audience in {"broker", "analyst", "SME"}, query.name
        for name in query.parameters:
            assert f"${name}" in query.neo4j, (query.name, name)
            if query.embedded is not None:
                assert f"${name}" in query.embedded, (query.name, name)
    assert sum(q.embedded is not None for q in SUITE) >= 4  # where the dialects differ


@pytest.mark.parametrize("name", NAMES)
def test_each_question_has_an_answer_on_the_bundled_data(cypher_embedded: EmbeddedEngine, name: str) -> None:
    query = next(q for q in SUITE if q.name == name)
    result = run_cypher(cypher_embedded, query.text("embedded"), query.parameters, timeout_s=60)
    assert result.rows, f"{name} answers nothing on the bundled slice"
    assert not result.truncated


@pytest.mark.parametrize("name", NAMES)
def test_both_engines_give_the_same_answer(cypher_embedded: EmbeddedEngine, cypher_neo4j: Neo4jEngine, name: str) -> None:
    query = next(q for q in SUITE if q.name == name)
    mine = run_cypher(cypher_embedded, query.text("embedded"), query.parameters, timeout_s=60)
    theirs = run_cypher(cypher_neo4j, query.text("neo4j"), query.parameters, timeout_s=60)
    assert mine.columns == theirs.columns
    assert same_rows(mine.rows, theirs.rows), (mine.rows[:5], theirs.rows[:5])
