"""The read-only guard: what a reader may send, and what is refused before any engine sees it."""

from __future__ import annotations

import pytest

from common.errors import QuerySyntaxError, ReadOnlyQueryError
from graph.cypher import check_read_only, is_read_only

READS = [
    "MATCH (o:Organisation) RETURN o.name LIMIT 5",
    "MATCH (o:Organisation {name: 'Create Merge Delete SRL'}) RETURN o",  # keywords inside a string
    'MATCH (o) WHERE o.name = "SET; DROP" RETURN o.name',
    "MATCH (o) RETURN o.set, o.create, $delete AS d",  # property names and parameters
    "RETURN {create: 1, merge: 2} AS m",  # map keys
    "MATCH (n:Set) RETURN count(n)",  # a label that spells a keyword
    "MATCH (`remove me`) RETURN 1",  # a quoted name
    "// CREATE in a comment\nMATCH (n) RETURN n /* DELETE too */",
    "MATCH (a)-[:PARTICIPATES_IN* SHORTEST 1..4]-(b) RETURN a, b",
    "CALL db.labels() YIELD label RETURN label",
    "CALL show_tables() RETURN *",
    "MATCH (n) CALL { WITH n MATCH (n)--(m) RETURN count(m) AS c } RETURN n, c",
    "MATCH (n) RETURN n;",  # one trailing semicolon is one statement
    "UNWIND $rows AS r RETURN r.start, r.stop",
]

WRITES = [
    ("CREATE (n:X)", "CREATE"),
    ("MATCH (n) SET n.x = 1", "SET"),
    ("MATCH (n) DETACH DELETE n", "DETACH"),
    ("MATCH (n) REMOVE n.name", "REMOVE"),
    ("MERGE (n:Organisation {iri: 'x'})", "MERGE"),
    ("match (n) delete n", "DELETE"),  # case does not matter
    ("DROP TABLE Organisation", "DROP"),
    ("COPY Organisation FROM '/tmp/x.csv'", "COPY"),
    ("COPY (MATCH (n) RETURN n) TO '/tmp/out.csv'", "COPY"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "LOAD"),
    ("LOAD FROM '/etc/passwd' RETURN *", "LOAD"),
    ("INSTALL httpfs", "INSTALL"),
    ("ATTACH '/tmp/other.lbug' AS other", "ATTACH"),
    ("EXPORT DATABASE '/tmp/dump'", "EXPORT"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.y = x)", "FOREACH"),
    ("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS", "DETACH"),
    ("CALL timeout=0", "CALL timeout"),  # engine settings
    ("CALL db.create.setNodeVectorProperty(n, 'v', [1.0])", "CALL db.create.setNodeVectorProperty"),
    ("CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})", "CALL apoc.periodic.iterate"),
    ("MATCH (n) RETURN n; MATCH (m) DELETE m", "one statement"),
    ("SHOW TRANSACTIONS", "SHOW"),
    ("MATCH (n) WITH n /* comment */ SET n.x = 1", "SET"),
]


@pytest.mark.parametrize("query", READS)
def test_reads_pass(query: str) -> None:
    check_read_only(query)
    assert is_read_only(query)


@pytest.mark.parametrize(("query", "reason"), WRITES)
def test_writes_are_refused_with_the_reason(query: str, reason: str) -> None:
    with pytest.raises(ReadOnlyQueryError, match=reason):
        check_read_only(query)
    assert not is_read_only(query)


@pytest.mark.parametrize("query", ["MATCH (n) WHERE n.name = 'open RETURN n", "MATCH (n) /* RETURN n", "   ", ";"])
def test_broken_or_empty_text_is_a_syntax_error(query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        check_read_only(query)


def test_a_string_cannot_hide_the_end_of_another() -> None:
    # the escaped quote keeps the string open: DELETE is inside it, so nothing is refused ...
    check_read_only(r"MATCH (n) WHERE n.name = 'it\'s DELETE' RETURN n")
    # ... while a closed string followed by a write clause is refused
    with pytest.raises(ReadOnlyQueryError):
        check_read_only(r"MATCH (n) WHERE n.name = 'it\'s' DELETE n")
