"""Matching's passage embeddings in a Neo4j vector index, for installations that run Neo4j.

Why optional: the embedded numpy scan is exact and fast enough at 100k profiles; at larger
scale, or when analysts want vectors beside the Cypher projection, Neo4j's HNSW index
(``db.index.vector.queryNodes``) holds them. The nodes carry the passage's profile number in the
matcher's current index, so results map straight back; they are rewritten whenever the
matcher's index generation changes.
"""

from __future__ import annotations

import logging

import neo4j
import numpy as np

from common.settings import Settings

log = logging.getLogger(__name__)

# Labels and index names are fixed identifiers of ours (never user input): one per direction.
_LABELS = {"supply": "MatchPassageSupply", "demand": "MatchPassageDemand"}

DELETE = "MATCH (p:{label}) WITH p LIMIT 10000 DETACH DELETE p RETURN count(*) AS n"
CREATE_INDEX = (
    "CREATE VECTOR INDEX {index} IF NOT EXISTS FOR (p:{label}) ON (p.embedding) "
    "OPTIONS {{indexConfig: {{`vector.dimensions`: $dim, `vector.similarity_function`: 'cosine'}}}}"
)
WRITE = "UNWIND $rows AS row CREATE (p:{label} {{profile: row.profile, generation: $generation}}) " \
        "WITH p, row CALL db.create.setNodeVectorProperty(p, 'embedding', row.embedding)"
GENERATION = "MATCH (p:{label}) RETURN p.generation AS generation LIMIT 1"
QUERY = "CALL db.index.vector.queryNodes($index, $k, $vector) YIELD node, score RETURN node.profile AS profile, score"


class Neo4jVectorIndex:
    """Passage vectors of one direction in Neo4j; ``scores`` mirrors ``MatchIndex.dense_scores``."""

    def __init__(self, settings: Settings, direction: str) -> None:
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        auth = (settings.neo4j_user, password) if password else None
        self.driver = neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth)  # type: ignore[arg-type]
        self.database = settings.neo4j_database
        self.batch = settings.neo4j_batch_size
        self.label = _LABELS[direction]
        self.index = f"match_passages_{direction}"
        self.synced: str | None = None  # generation known to be in Neo4j: no round trip per request

    def close(self) -> None:
        self.driver.close()

    def _run(self, query: str, **params: object) -> list[neo4j.Record]:
        records, _, _ = self.driver.execute_query(query, params, database_=self.database)
        return records

    def sync(self, owners: np.ndarray, vectors: np.ndarray, generation: str) -> bool:
        """Rewrite the passages unless Neo4j already holds this generation; True if written."""
        if self.synced == generation:
            return False
        found = self._run(GENERATION.format(label=self.label))
        if found and found[0]["generation"] == generation:
            self.synced = generation
            return False
        while self._run(DELETE.format(label=self.label))[0]["n"]:
            pass
        self._run(CREATE_INDEX.format(index=self.index, label=self.label), dim=int(vectors.shape[1]))
        for start in range(0, len(owners), self.batch):
            rows = [{"profile": int(o), "embedding": v.tolist()}
                    for o, v in zip(owners[start:start + self.batch], vectors[start:start + self.batch], strict=True)]
            self._run(WRITE.format(label=self.label), rows=rows, generation=generation)
        self._run("CALL db.awaitIndexes(300)")
        log.info("wrote %d passage vectors to Neo4j index %s", len(owners), self.index)
        self.synced = generation
        return True

    def scores(self, query: np.ndarray, profiles: int, k: int) -> np.ndarray:
        """Best passage score per profile among the ``k`` nearest passages; -1 for the others.

        Neo4j's cosine score is (1 + cos) / 2; it is mapped back to the cosine the numpy path gives.
        """
        out = np.full(profiles, -1.0, dtype=np.float32)
        for record in self._run(QUERY, index=self.index, k=k, vector=query.tolist()):
            cosine = 2.0 * float(record["score"]) - 1.0
            out[record["profile"]] = max(out[record["profile"]], cosine)
        return out
