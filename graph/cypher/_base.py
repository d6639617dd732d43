"""What every Cypher engine offers, and the one shape results come back in.

Why an abstract base: the embedded engine and Neo4j are real alternatives behind the same
questions (DESIGN section 3); the API, the CLI, the tests that compare answers and the
benchmark all hold a ``CypherEngine`` and never ask which one it is. Values are normalised
to JSON types here (dates as ISO strings, nodes as property maps with ``_labels``,
relationships with ``_type``, paths as ``{nodes, relationships}``), so both engines'
answers can be compared with ``==`` and sent as JSON as they are.
"""

from __future__ import annotations

import datetime as dt
import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from common.errors import EngineUnavailableError

if TYPE_CHECKING:
    from graph.cypher._projection_extract import ProjectionData

Parameters = Mapping[str, Any]

__all__ = ["CypherEngine", "CypherResult", "EngineUnavailableError", "Parameters", "graph_value", "plain"]


@dataclass
class CypherResult:
    """Rows of one query; ``truncated`` says the row cap cut them (never a silent cut)."""

    columns: list[str]
    rows: list[list[Any]]
    engine: str
    truncated: bool = False
    elapsed_ms: float = 0.0
    #: Rows the query would have returned in all, when the engine knows it without producing them.
    total_rows: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"columns": self.columns, "rows": self.rows, "engine": self.engine, "truncated": self.truncated,
                "elapsed_ms": round(self.elapsed_ms, 3), "total_rows": self.total_rows}


class CypherEngine(ABC):
    """One place Cypher runs: read queries for everyone, writes only when the caller says so.

    Subclasses enforce the time limit inside the engine (the query is stopped, not abandoned)
    and stop reading rows at the cap. ``run`` does not check for write clauses: callers go
    through ``graph.cypher.run_cypher``, which applies the read-only guard first.
    """

    name: ClassVar[str]

    @abstractmethod
    def run(
        self, query: str, parameters: Parameters | None = None, *, write: bool = False,
        timeout_s: float = 30.0, row_cap: int = 10_000,
    ) -> CypherResult:
        """Run one statement; raise ``QuerySyntaxError``, ``QueryTimeoutError``, ``ReadOnlyQueryError``."""

    @abstractmethod
    def load(self, data: ProjectionData) -> float:
        """Replace the engine's projection with ``data``; returns seconds spent."""

    def close(self) -> None:  # noqa: B027  (optional: engines without connections keep this no-op)
        """Release connections and files."""


def plain(value: Any) -> Any:
    """A value as JSON can carry it: recursively, with non-finite floats as None."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    iso = getattr(value, "iso_format", None)  # neo4j.time types
    if callable(iso):
        return iso()
    return str(value)


def graph_value(labels: list[str] | None, rel_type: str | None, properties: Mapping[str, Any]) -> dict[str, Any]:
    """A node (``_labels``) or relationship (``_type``) as a map of its non-null properties."""
    out: dict[str, Any] = {"_labels": sorted(labels)} if labels is not None else {"_type": rel_type}
    out.update({k: plain(v) for k, v in sorted(properties.items()) if v is not None})
    return out
