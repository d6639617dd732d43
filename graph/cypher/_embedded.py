"""The embedded engine: LadybugDB (the MIT fork of Kuzu) on disk under ``<data_dir>/cypher``.

Why it loads from CSV files: ``COPY FROM`` is the engine's bulk path (100k nodes and 500k
relationships in about 1.5 s here) while parameterised ``CREATE`` runs row by row. List
properties are the exception: the CSV reader keeps quotes inside list elements, so lists
(keywords, objectives, alternative names: a few hundred rows) are set afterwards through a
parameterised ``UNWIND``.

Why a new file swapped in: a rebuild writes ``graph.lbug.new`` and renames it over
``graph.lbug``, so readers (this process or a server beside it) keep answering from the old
file until the new one is complete, and a crash mid-build leaves the old one. Readers notice
the swap by the file's inode and reopen.

Why no subprocess for the timeout: the engine's own query timeout interrupts a running
query from inside (measured: an explosive ``[:E*1..30]`` walk stopped 2.1 s after a 2 s
limit), and results are produced lazily, so stopping at the row cap costs nothing.
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import ladybug

from common.errors import (
    InvalidInputError,
    QueryError,
    QuerySyntaxError,
    QueryTimeoutError,
    ReadOnlyQueryError,
)
from graph.cypher._base import (
    CypherEngine,
    CypherResult,
    EngineUnavailableError,
    Parameters,
    graph_value,
    plain,
)
from graph.cypher._projection_extract import NodeTable, ProjectionData, RelTable
from graph.cypher._projection_mapping import NODES, RELS, NodeSpec, RelSpec

log = logging.getLogger(__name__)

DB_FILE = "graph.lbug"
_LIST_BATCH = 5_000
_SYNTAX = ("Parser exception", "Binder exception", "Catalog exception")


def node_ddl(spec: NodeSpec) -> str:
    columns = ", ".join(f"{p.name} {p.type}" for p in spec.props)
    return f"CREATE NODE TABLE {spec.label}(iri STRING PRIMARY KEY, {columns})"


def rel_ddl(spec: RelSpec) -> str:
    parts = [f"FROM {a} TO {b}" for a, b in spec.pairs] + [f"{p.name} {p.type}" for p in spec.props]
    return f"CREATE REL TABLE {spec.type}({', '.join(parts)})"


def schema_ddl() -> list[str]:
    """The DDL of the whole projection, generated from the mapping."""
    return [node_ddl(spec) for spec in NODES] + [rel_ddl(spec) for spec in RELS]


class EmbeddedEngine(CypherEngine):
    """Cypher over the projection file; one ``Database`` per process, one connection per query."""

    name = "embedded"

    def __init__(self, directory: Path, *, memory_mb: int = 1024, threads: int = 2) -> None:
        self.directory = directory
        self.path = directory / DB_FILE
        self.memory_mb = memory_mb
        self.threads = threads
        self._lock = threading.Lock()
        self._db: ladybug.Database | None = None
        self._db_key: tuple[int, int] | None = None
        self._db_read_only = True

    # --- opening ------------------------------------------------------------------------------

    def _file_key(self) -> tuple[int, int]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            raise EngineUnavailableError(
                f"no Cypher projection at {self.path}: run `innograph project` (or ingest data) first"
            ) from None
        return stat.st_ino, stat.st_mtime_ns

    def _database(self, read_only: bool) -> ladybug.Database:
        key = self._file_key()
        with self._lock:
            if self._db is None or self._db_key != key or self._db_read_only != read_only:
                self._db = None  # connections still running on the old file keep it alive until they end
                try:
                    self._db = ladybug.Database(
                        str(self.path), read_only=read_only, buffer_pool_size=self.memory_mb * 1024 * 1024,
                        max_num_threads=self.threads,
                    )
                except RuntimeError as exc:
                    raise EngineUnavailableError(f"cannot open the projection at {self.path}: {exc}") from None
                self._db_key, self._db_read_only = key, read_only
            return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
            self._db = None

    # --- querying -----------------------------------------------------------------------------

    def run(
        self, query: str, parameters: Parameters | None = None, *, write: bool = False,
        timeout_s: float = 30.0, row_cap: int = 10_000,
    ) -> CypherResult:
        started = time.perf_counter()
        connection = ladybug.Connection(self._database(read_only=not write))
        try:
            connection.set_query_timeout(max(1, int(timeout_s * 1000)))
            try:
                result = connection.execute(query, dict(parameters or {}))
            except RuntimeError as exc:
                raise _error(exc, timeout_s) from None
            except (TypeError, ValueError, OverflowError) as exc:  # a parameter the engine cannot convert
                raise InvalidInputError("parameters", f"a value the embedded engine cannot take: {exc}") from None
            if isinstance(result, list):  # several statements: only admins get this far
                result = result[-1]
            columns = result.get_column_names()
            rows: list[list[Any]] = []
            truncated = False
            while result.has_next():
                if len(rows) == row_cap:
                    truncated = True
                    break
                rows.append([_value(v) for v in result.get_next()])
            total = result.get_num_tuples()
            result.close()
        finally:
            connection.close()
        return CypherResult(columns, rows, self.name, truncated, (time.perf_counter() - started) * 1000, total)

    # --- loading ------------------------------------------------------------------------------

    def load(self, data: ProjectionData) -> float:
        """Build a new projection file from ``data`` and swap it in."""
        started = time.perf_counter()
        self.directory.mkdir(parents=True, exist_ok=True)
        new = self.directory / f"{DB_FILE}.new"
        for leftover in (new, Path(f"{new}.wal")):
            _remove(leftover)
        # CSV files in a fresh temporary folder: its path goes into COPY statements, and one made
        # here holds no quote character whatever the data folder is called
        work = Path(tempfile.mkdtemp(prefix="innograph-cypher-"))
        try:
            database = ladybug.Database(str(new), buffer_pool_size=self.memory_mb * 1024 * 1024,
                                        max_num_threads=self.threads)
            connection = ladybug.Connection(database)
            for statement in schema_ddl():
                connection.execute(statement)
            for table in data.nodes:
                _copy_nodes(connection, table, work)
            for rel in data.rels:
                _copy_rels(connection, rel, work)
            connection.close()
            database.close()
        finally:
            shutil.rmtree(work, ignore_errors=True)
        with self._lock:
            self._db = None
            os.replace(new, self.path)
            _remove(Path(f"{self.path}.wal"))
        return time.perf_counter() - started


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _copy_nodes(connection: ladybug.Connection, table: NodeTable, work: Path) -> None:
    spec = table.spec
    if not table.rows:
        return
    lists = [p.name for p in spec.props if p.type == "STRING[]"]
    path = work / f"{spec.label}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["iri", *[p.name for p in spec.props]])
        for row in table.rows:
            writer.writerow([row["iri"], *["" if p.type == "STRING[]" else _csv_cell(row[p.name]) for p in spec.props]])
    connection.execute(f"COPY {spec.label} FROM '{path.as_posix()}' (header=true, parallel=false)")
    for name in lists:
        values = [{"iri": row["iri"], "v": row[name]} for row in table.rows if row[name]]
        for i in range(0, len(values), _LIST_BATCH):
            connection.execute(
                f"UNWIND $rows AS r MATCH (n:{spec.label} {{iri: r.iri}}) SET n.{name} = r.v",
                {"rows": values[i : i + _LIST_BATCH]},
            )


def _copy_rels(connection: ladybug.Connection, rel: RelTable, work: Path) -> None:
    if not rel.rows:
        return
    names = [p.name for p in rel.spec.props]
    path = work / f"{rel.spec.type}-{rel.from_label}-{rel.to_label}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["from", "to", *names])
        for row in rel.rows:
            writer.writerow([row["from"], row["to"], *[_csv_cell(row[n]) for n in names]])
    options = "header=true, parallel=false"
    if len(rel.spec.pairs) > 1:
        options += f", from='{rel.from_label}', to='{rel.to_label}'"
    connection.execute(f"COPY {rel.spec.type} FROM '{path.as_posix()}' ({options})")


def _value(value: Any) -> Any:
    """An engine value as JSON: nodes and relationships as maps, paths as {nodes, relationships}."""
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            return {"nodes": [_value(n) for n in value["_NODES"]], "relationships": [_value(r) for r in value["_RELS"]]}
        if "_LABEL" in value and "_ID" in value:
            props = {k: v for k, v in value.items() if not k.startswith("_")}
            if "_SRC" in value:
                return graph_value(None, value["_LABEL"], props)
            return graph_value([value["_LABEL"]], None, props)
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v) for v in value]
    return plain(value)


def _error(exc: RuntimeError, timeout_s: float) -> QueryError:
    message = str(exc)
    if message.startswith("Interrupted"):
        return QueryTimeoutError(timeout_s)
    if message.startswith(_SYNTAX):
        return QuerySyntaxError(message)
    if "read-only" in message.lower() or "read only" in message.lower():
        return ReadOnlyQueryError(f"the projection is opened read-only: {message}")
    if "Buffer manager exception" in message:
        return QueryError(f"the query needs more memory than INNOGRAPH_CYPHER_MEMORY_MB allows: {message}")
    return QueryError(message)
