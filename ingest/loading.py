"""The ingest pipeline: read -> validate records -> map -> SHACL -> write one named graph.

Why apart from ``ingest.readers``: readers are pure (files in, records out); everything that
needs the store (SHACL references into other sources, the diff against the stored version,
the PROV record) is here, writing through ``graph.store``. The CLI and the API call
``ingest_path`` alike.

>>> from graph.store import GraphStore
>>> report = ingest_path(GraphStore(None), Path("data/illustrative"))  # doctest: +SKIP
>>> report.records_rejected  # doctest: +SKIP
0
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from common.errors import IngestRejectedError, SourceError, UnknownSourceKindError
from graph.store import RdfStore
from ingest.provenance import last_run_hash, run_quads
from ingest.readers import READERS, Location, MappedRecord, Rejection, SourceReader
from ingest.report import IngestReport
from ingest.shacl import CompiledShapes, Violation
from ontology._files import SHAPES_FILE
from ontology._keys import graph_iri

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
_MAX_SHACL_ROUNDS = 5


def reader_for(path: Path, kind: str | None = None) -> SourceReader:
    """The reader that understands ``path``; ``kind`` forces one (see ``innograph ingest --help``)."""
    if not path.exists():
        raise SourceError(str(path), "no such file or folder")
    for reader_cls in READERS:
        if (kind is None and reader_cls.detect(path)) or reader_cls.kind == kind:
            return reader_cls(path)
    kinds = ", ".join(r.kind for r in READERS)
    raise UnknownSourceKindError(
        str(path), f"cannot tell which kind of source this is (known kinds: {kinds})"
    )


@lru_cache(maxsize=1)
def shapes() -> CompiledShapes:
    return CompiledShapes.from_file(SHAPES_FILE)


def source_hash(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def ingest_path(
    store: RdfStore,
    path: Path,
    *,
    name: str | None = None,
    kind: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    uploaded: bool = False,
) -> IngestReport:
    """Load one source into its named graph, replacing the previous version of that source.

    Valid records land even when others are rejected, unless ``strict``. An unchanged source
    (same bytes as the last successful run) is skipped unless ``force``.
    """
    started = datetime.now(UTC)
    clock = time.perf_counter()
    reader = reader_for(path, kind)
    files = reader.files()
    graph = graph_iri(name or reader.default_name())
    report = IngestReport(
        source=str(path),
        kind=reader.kind,
        graph=graph.value,
        files=[str(f) for f in files],
        sha256=source_hash(files),
        dry_run=dry_run,
        strict=strict,
        uploaded=uploaded,
    )
    if not force and not dry_run and last_run_hash(store, graph) == report.sha256:
        report.skipped_unchanged = True
        report.quads_in_graph = store.count(graph)
        report.seconds = time.perf_counter() - clock
        return report

    records = _read_all(reader, report, progress)
    quads, origin = _to_quads(records, graph)
    quads = _validate(store, graph, quads, origin, report)
    report.records_written = report.records_read - len({r.location for r in report.rejections})
    if strict and report.rejections:
        raise IngestRejectedError(
            f"{len(report.rejections)} problem(s) in {path}; nothing was written (--strict)"
        )
    incomplete = any(r.incomplete_source for r in report.rejections)
    if incomplete and store.count(graph) > 0:
        report.kept_previous = True
        report.quads_in_graph = store.count(graph)
    elif dry_run:
        report.quads_in_graph = len(quads)
    else:
        unchanged = last_run_hash(store, graph) == report.sha256
        prov = run_quads(report, graph, started, datetime.now(UTC), len(quads))
        report.quads_added, report.quads_removed = store.replace_graph(graph, quads, prov, unchanged_ok=unchanged)
        report.quads_in_graph = store.count(graph)
    report.seconds = time.perf_counter() - clock
    return report


def _read_all(reader: SourceReader, report: IngestReport, progress: Progress | None) -> list[MappedRecord]:
    total = reader.expected_records()
    records: list[MappedRecord] = []
    for item in reader.read():
        report.records_read += 1
        if isinstance(item, Rejection):
            report.rejections.append(item)
        else:
            records.append(item)
        if progress is not None and report.records_read % 1000 == 0:
            progress(report.records_read, total)
    if progress is not None:
        progress(report.records_read, total)
    return records


def _to_quads(records: list[MappedRecord], graph: ox.NamedNode) -> tuple[set[ox.Quad], dict[str, Location]]:
    quads: set[ox.Quad] = set()
    origin: dict[str, Location] = {}
    for record in records:
        for s, p, o in record.triples:
            quads.add(ox.Quad(s, p, o, graph))
            origin.setdefault(str(s), record.location)
    return quads, origin


def _validate(
    store: RdfStore,
    graph: ox.NamedNode,
    quads: set[ox.Quad],
    origin: dict[str, Location],
    report: IngestReport,
) -> set[ox.Quad]:
    """SHACL on the new version, in memory, with the rest of the store's types as context.

    A violating focus node is dropped with everything it states, and reported at the line
    of the record that introduced it; dropping can break references, so repeat.
    """
    scratch = ox.Store()
    scratch.bulk_extend(quads)
    scratch.bulk_extend(store.types_of(_external_references(quads), exclude=graph))
    for _ in range(_MAX_SHACL_ROUNDS):
        violations = shapes().validate(scratch, graph)
        if not violations:
            # Read back what the store will hold: Oxigraph keeps literals in canonical form
            # ("373645.20"^^xsd:decimal becomes "373645.2"), and the diff must compare like with like.
            return set(scratch.quads_for_pattern(None, None, None, graph))
        doomed = _report_violations(violations, origin, report)
        dropped = {q for q in quads if str(q.subject) in doomed or str(q.object) in doomed}
        quads -= dropped
        for quad in dropped:
            scratch.remove(quad)
    raise SourceError(report.source, "SHACL violations did not settle after dropping invalid records")


def _external_references(quads: set[ox.Quad]) -> set[ox.NamedNode]:
    """IRIs the new version points to but does not describe: their types live in other sources."""
    subjects = {q.subject for q in quads}
    return {q.object for q in quads if isinstance(q.object, ox.NamedNode) and q.object not in subjects}


def _report_violations(
    violations: list[Violation], origin: dict[str, Location], report: IngestReport
) -> set[str]:
    doomed: set[str] = set()
    for violation in violations:
        if violation.focus_node in doomed:
            continue
        doomed.add(violation.focus_node)
        location = origin.get(violation.focus_node, Location(report.source))
        field_name = (
            violation.path.rsplit("#", 1)[-1].rsplit("/", 1)[-1].strip("<>^") if violation.path else None
        )
        report.rejections.append(
            Rejection(location, field_name, f"{violation.focus_node}: {violation.message}")
        )
    return doomed
