"""What ingest and the SPARQL service need from an RDF store, as one abstract class.

Why an abstract class: there are real alternatives (DESIGN.md section 3): the embedded
Oxigraph store on disk (``graph.store.GraphStore``, the default) and any SPARQL 1.1 endpoint
with query and update URLs (``graph.sparql._remote.RemoteStore``: Virtuoso, Fuseki, GraphDB ...).
Ingest (``ingest.loading``, ``ingest.provenance``) and the SPARQL service only use these
operations, so either store can sit under them. Everything else in ``graph`` (matching,
profiles, network analytics) reads the embedded store directly and needs ``GraphStore``.

The contract both implementations keep:

- one named graph per source; ``PROVENANCE_GRAPH`` holds a PROV run for every write, and
  ``recover`` removes a graph no run vouches for (what a crashed first load leaves behind);
- ``replace_graph`` makes a graph hold exactly the given quads and writes the PROV quads
  with them, atomically where the store allows (see each implementation);
- ``select`` runs one of *our* SELECT queries with parameters bound as RDF terms.

>>> from graph.store import GraphStore
>>> isinstance(GraphStore(None), RdfStore)
True
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

Bindings = dict[str, ox.NamedNode | ox.Literal]


class RdfStore(ABC):
    """An RDF dataset with one named graph per source and a provenance graph."""

    #: Folder of an on-disk store; None for in-memory and remote stores.
    path: Path | None = None

    @abstractmethod
    def recover(self) -> list[ox.NamedNode]:
        """Remove graphs that no PROV record vouches for; return them."""

    @abstractmethod
    def select(self, query: str, bindings: Bindings | None = None, *, union: bool = True) -> Iterable[ox.QuerySolution]:
        """Our SELECT query, parameters bound (each bound variable in the projection)."""

    @abstractmethod
    def update(self, text: str) -> None:
        """Run a SPARQL 1.1 update (innograph's prefixes predeclared) in one request."""

    @abstractmethod
    def named_graphs(self) -> list[ox.NamedNode]:
        """The named graphs innograph manages, sorted."""

    @abstractmethod
    def count(self, graph: ox.NamedNode | None = None) -> int:
        """Quads in one graph, or in the whole store."""

    @abstractmethod
    def graph_quads(self, graph: ox.NamedNode) -> set[ox.Quad]:
        """Every quad of one graph (what a new version is diffed against)."""

    @abstractmethod
    def types_of(self, nodes: Iterable[ox.NamedNode], exclude: ox.NamedNode) -> Iterator[ox.Quad]:
        """``rdf:type`` statements about ``nodes`` in graphs other than ``exclude`` (SHACL context)."""

    @abstractmethod
    def replace_graph(
        self, graph: ox.NamedNode, new: set[ox.Quad], extra: Iterable[ox.Quad] = (), *, unchanged_ok: bool = False
    ) -> tuple[int, int]:
        """Make ``graph`` hold exactly ``new`` and add ``extra`` (provenance); (added, removed)."""

    @abstractmethod
    def clear_graph(self, graph: ox.NamedNode) -> int:
        """Remove one source entirely; return the quads removed."""

    def flush(self) -> None:  # noqa: B027  (optional: stores that write through keep this no-op)
        """Make the last writes visible to other readers of the same store."""
