"""The analyst query set: real questions about the bundled data, one ``.rq`` file each.

Why files: analysts copy them into YASGUI, Protégé or a script unchanged (each declares its
prefixes), the query page offers them as examples, the tests check their answers on the
bundled data, and ``benchmarks/bench_sparql.py`` times them on every engine. Each file
starts with ``# question: ...`` and ``# cypher: NAME`` (the Cypher query with the same
question in ``graph/cypher/queries``, its file name without ``.cypher``, or ``none``).

>>> len(analyst_queries()) >= 15
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parent / "queries"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    question: str
    cypher: str | None
    text: str


def _header(text: str, key: str) -> str | None:
    for line in text.splitlines():
        if line.startswith(f"# {key}:"):
            return line.split(":", 1)[1].strip()
    return None


@lru_cache(maxsize=1)
def analyst_queries() -> tuple[NamedQuery, ...]:
    """Every query of the set, by file name."""
    queries = []
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        cypher = _header(text, "cypher")
        queries.append(NamedQuery(path.stem, _header(text, "question") or path.stem,
                                  None if cypher is None or cypher.startswith("none") else cypher, text))
    return tuple(queries)
