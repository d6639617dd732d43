"""The analyst suite: realistic questions with real answers, the same on both engines."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from graph.cypher import load_suite, run_cypher, same_rows
from graph.cypher._embedded import EmbeddedEngine
from graph.cypher._neo4j import Neo4jEngine
from ingest.bundled import REPO_DATA

pytest_plugins = ("tests.graph.cypher.cypher_fixtures",)

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


def test_partnership_members_reach_their_eu_projects_and_partners(cypher_data: Path,
                                                                   cypher_embedded: EmbeddedEngine) -> None:
    """Issue 11: CORDIS_RECORD gives a member its record's projects and partners, as in the H2020 slice itself."""
    with gzip.open(cypher_data / "sources" / "h2020" / "h2020_participations.csv.gz", "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with (REPO_DATA / "union-of-innovation" / "cordis_links.csv").open(encoding="utf-8") as f:
        member_of = {link["pic"]: link["org_id"] for link in csv.DictReader(f)}
    with (REPO_DATA / "cordis" / "composite" / "participations.csv").open(encoding="utf-8") as f:
        composite = {(member_of[r["pic"]], r["project_id"], r["role"]) for r in csv.DictReader(f) if r["pic"] in member_of}
    expected = {(member_of[r["pic"]], r["rcn"], r["role"]) for r in rows if r["pic"] in member_of}
    assert {member for member, _, _ in expected} >= {"adr-bucuresti-ilfov"}  # the slice holds its four projects
    query = next(q for q in SUITE if q.name == "20_partnership_members_eu_projects")
    got = run_cypher(cypher_embedded, query.text("embedded"), query.parameters, timeout_s=60)
    col = {name: i for i, name in enumerate(got.columns)}
    by_rcn = {(r[col["member"]], r[col["rcn"]], r[col["role"]]) for r in got.rows}
    by_grant = {(r[col["member"]], r[col["grant_id"]], r[col["role"]]) for r in got.rows}
    assert expected <= by_rcn and composite <= by_grant  # the H2020 slice and the composite extract, both sources
    assert all((r[col["member"]], r[col["rcn"]], r[col["role"]]) in expected
               or (r[col["member"]], r[col["grant_id"]], r[col["role"]]) in composite for r in got.rows)
    partners = next(q for q in SUITE if q.name == "21_partnership_members_eu_partners")
    got = run_cypher(cypher_embedded, partners.text("embedded"), partners.parameters, timeout_s=60)
    col = {name: i for i, name in enumerate(got.columns)}
    by_project: dict[str, set[str]] = {}
    for row in rows:
        by_project.setdefault(row["rcn"], set()).add(row["pic"])
    shared: dict[tuple[str, str], int] = {}
    for member, rcn, _ in expected:
        if member != "adr-bucuresti-ilfov":  # its projects are all in the H2020 slice, none in the composite
            continue
        for other in by_project[rcn] - {p for p, m in member_of.items() if m == member}:
            shared[(member, f"pic/{other}")] = shared.get((member, f"pic/{other}"), 0) + 1
    got_shared = {(r[col["member"]], r[col["partner"]]): r[col["shared_projects"]] for r in got.rows}
    assert {key: n for key, n in got_shared.items() if key[0] == "adr-bucuresti-ilfov"} == shared and shared
