"""PROV-O records of ingest runs, kept in the ``graph/provenance`` named graph.

Why in the store: "where does this fact come from" is a SPARQL question analysts ask;
every fact sits in a source's named graph, and that graph ``prov:wasGeneratedBy`` the run
that read a file with a known SHA-256 at a known time.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from graph.store import PROVENANCE_GRAPH, RdfStore
from ingest.report import IngestReport
from ontology import entity_iri
from ontology._namespaces import IG, PROV, RDF, XSD


def _n(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


_INT = _n(XSD.integer)
_DT = _n(XSD.dateTime)

LAST_RUN_QUERY = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX ig: <https://w3id.org/innograph/def#>
SELECT ?prov ?graph ?run ?hash ?ended WHERE {
  GRAPH ?prov { ?run prov:generated ?graph ; ig:sourceHash ?hash ; prov:endedAtTime ?ended }
} ORDER BY DESC(?ended) LIMIT 1
"""


def last_run_hash(store: RdfStore, graph: ox.NamedNode) -> str | None:
    """SHA-256 of the source as last written into ``graph``, if that graph still exists."""
    rows = list(store.select(LAST_RUN_QUERY, {"graph": graph, "prov": PROVENANCE_GRAPH}, union=False))
    if not rows or store.count(graph) == 0:
        return None
    return str(rows[0]["hash"].value)


def used_entity(path: Path, uploaded: bool) -> ox.NamedNode:
    """What a run read: the file's URI, or for an upload (a temporary file) an IRI of its bytes and name."""
    if not uploaded:
        return ox.NamedNode(path.resolve().as_uri())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return entity_iri("upload", digest, quote(path.name))


def run_quads(
    report: IngestReport, graph: ox.NamedNode, started: datetime, ended: datetime, quads: int
) -> list[ox.Quad]:
    """The PROV description of one run, ready to be written with the data it produced."""
    stamp = started.strftime("%Y%m%dT%H%M%S%fZ")
    run = entity_iri("run", graph.value.rsplit("/", 1)[-1], stamp)
    g = PROVENANCE_GRAPH
    triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (run, _n(RDF.type), _n(IG.IngestRun)),
        (run, _n(RDF.type), _n(PROV.Activity)),
        (run, _n(PROV.startedAtTime), ox.Literal(started.isoformat(), datatype=_DT)),
        (run, _n(PROV.endedAtTime), ox.Literal(ended.isoformat(), datatype=_DT)),
        (run, _n(IG.sourceKind), ox.Literal(report.kind)),
        (run, _n(IG.sourceHash), ox.Literal(report.sha256)),
        (run, _n(IG.recordsRead), ox.Literal(str(report.records_read), datatype=_INT)),
        (run, _n(IG.recordsWritten), ox.Literal(str(report.records_written), datatype=_INT)),
        (run, _n(IG.recordsRejected), ox.Literal(str(report.records_rejected), datatype=_INT)),
        (run, _n(IG.triplesWritten), ox.Literal(str(quads), datatype=_INT)),
        (run, _n(PROV.generated), graph),
        (graph, _n(RDF.type), _n(IG.SourceGraph)),
        (graph, _n(PROV.wasGeneratedBy), run),
    ]
    for path in report.files:
        triples.append((run, _n(PROV.used), used_entity(Path(path), report.uploaded)))
    return [ox.Quad(s, p, o, g) for s, p, o in triples]
