"""RDF export of the store or one graph, streamed to a binary file object."""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from common.errors import NotFoundError
from graph.store._store import GraphStore

EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_DATASET_FORMATS = {"nq", "trig"}


def export(store: GraphStore, output: BinaryIO, fmt: str, graph: str | None = None) -> None:
    """Write one graph (or, with a dataset format, every graph) in ``fmt``.

    Triple formats without ``graph`` export the union of all graphs, the way SPARQL sees it.
    """
    rdf_format = EXPORT_FORMATS[fmt]
    if graph is not None:
        node = ox.NamedNode(graph)
        if not store.oxigraph.contains_named_graph(node):
            raise NotFoundError(f"no graph {graph} in the store (see `innograph stats`)")
        store.oxigraph.dump(output, format=rdf_format, from_graph=node)
    elif fmt in _DATASET_FORMATS:
        store.oxigraph.dump(output, format=rdf_format)
    else:
        triples = store.oxigraph.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        ox.serialize((t for t in triples), output, format=rdf_format)  # type: ignore[union-attr]
