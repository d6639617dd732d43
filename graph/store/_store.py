"""The persistent RDF store: Oxigraph on disk, one named graph per source.

Why diffs instead of drop-and-reload: on 1.3 M quads a SPARQL ``MOVE`` took 65 s and a
``DROP GRAPH`` 27 s here, while computing the difference between the new and the stored
version of a source in Python takes a few seconds. Writing only the difference, in one
transaction together with the PROV record of the run, makes a re-run of unchanged data
cost nothing, keeps a crash from leaving half a source behind (Oxigraph's ``extend`` and
``update`` are all-or-nothing), and never touches other sources' graphs.

>>> store = GraphStore(None)
>>> store.count()
0
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from common.errors import QuerySyntaxError, StoreError, StoreLockedError
from graph.store._backend import RdfStore
from ontology._namespaces import GRAPH, PREFIXES, RDF

log = logging.getLogger(__name__)

PROVENANCE_GRAPH = ox.NamedNode(f"{GRAPH}provenance")
_TYPE = ox.NamedNode(str(RDF.type))
_COMMITTED = """
SELECT DISTINCT ?prov ?g WHERE { GRAPH ?prov { ?run <http://www.w3.org/ns/prov#generated> ?g } }
"""


class GraphStore(RdfStore):
    """An Oxigraph store on disk (or in memory when ``path`` is None, for tests)."""

    is_read_only = False

    def __init__(self, path: Path | None) -> None:
        self.path = path
        try:
            if path is None:
                self._store = ox.Store()
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(
                    f"the store at {path} is in use by another innograph process; stop it or use another "
                    "--data-dir"
                ) from exc
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

        self.recover()

    @classmethod
    def read_only(cls, path: Path) -> GraphStore:
        """A read-only view of the store at ``path``, even while another process (a server) holds it.

        Why: RocksDB lets one process open a folder for writing, so ``innograph sparql``, ``stats``
        and ``export`` stopped with "in use" while ``innograph serve`` ran. A read-only open takes
        no lock; it sees the data as of the moment it opened (the SPARQL replica's loaders read
        the server's store the same way). Writes through it fail with ``StoreError``, and no
        ``recover`` runs (it would write). Oxigraph calls reading beside a writer undefined: a
        command that fails on it says so (``StoreError``) and can be run again.
        """
        self = cls.__new__(cls)
        self.path, self.is_read_only = path, True
        try:
            self._store = ox.Store.read_only(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path} for reading: {exc}") from exc
        return self

    def recover(self) -> list[ox.NamedNode]:
        """Remove graphs that no PROV record vouches for: leftovers of a crashed first load."""
        self._remove_bulk_files()
        committed = {
            row["g"] for row in self._store.query(_COMMITTED, substitutions={ox.Variable("prov"): PROVENANCE_GRAPH})  # type: ignore[union-attr]
        }
        orphans = [g for g in self.named_graphs() if g != PROVENANCE_GRAPH and g not in committed]
        for graph in orphans:
            log.warning("removing %s: a crashed ingest left it without a provenance record", graph.value)
            self._store.remove_graph(graph)
        return orphans

    def _remove_bulk_files(self) -> None:
        """Delete the ``bulk-*.sst`` files a failed bulk load left in the store's folder.

        Why: Oxigraph's bulk loader writes them beside the database and ingests them only when
        whole; one that failed (a full disk) leaves them behind, so the disk stayed full after
        the failed ingest and every later write failed too. The store's lock is ours (only one
        writer), so no bulk load of another process can be using them.
        """
        if self.path is None or self.is_read_only:
            return
        for leftover in self.path.glob("bulk-*.sst"):
            log.warning("removing %s: left by a bulk load that did not finish", leftover.name)
            leftover.unlink(missing_ok=True)

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for the query and validation layers."""
        return self._store

    def select(
        self, query: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None, *, union: bool = True
    ) -> ox.QuerySolutions:
        """Run a named SELECT query of ours over the union of all graphs, with parameters bound.

        Parameters are substituted as RDF terms (never spliced into the text), and each bound
        variable must appear in the query's projection (an Oxigraph rule).
        """
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in (bindings or {}).items()
        }
        result = self._store.query(query, use_default_graph_as_union=union, substitutions=substitutions)
        assert isinstance(result, ox.QuerySolutions), "select() runs SELECT queries only"
        return result

    def update(self, text: str) -> None:
        """One SPARQL update, in one transaction (all of it or nothing), flushed to disk."""
        try:
            self._store.update(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None
        except OSError as exc:
            raise StoreError(f"the update failed; nothing was written: {exc}") from exc
        self._store.flush()

    def flush(self) -> None:
        if not self.is_read_only:  # a read-only view has nothing of its own to write
            self._store.flush()

    def named_graphs(self) -> list[ox.NamedNode]:
        return sorted((g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)), key=str)

    def count(self, graph: ox.NamedNode | None = None) -> int:
        """Quads in one graph, or in the whole store."""
        if graph is None:
            return len(self._store)
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        rows = list(self._store.query(query, substitutions={ox.Variable("g"): graph}))  # type: ignore[arg-type]
        return int(rows[0]["n"].value) if rows else 0

    def graph_quads(self, graph: ox.NamedNode) -> set[ox.Quad]:
        return set(self._store.quads_for_pattern(None, None, None, graph))

    def types_of(self, nodes: Iterable[ox.NamedNode], exclude: ox.NamedNode) -> Iterator[ox.Quad]:
        """``rdf:type`` statements about ``nodes`` in graphs other than ``exclude``.

        The context a source's references are checked in: only what the source points to, so
        validating a five-concept vocabulary does not copy the 200k types of CORDIS.
        """
        for node in nodes:
            for quad in self._store.quads_for_pattern(node, _TYPE, None, None):
                if quad.graph_name != exclude:
                    yield quad

    def replace_graph(
        self, graph: ox.NamedNode, new: set[ox.Quad], extra: Iterable[ox.Quad] = (), *, unchanged_ok: bool = False
    ) -> tuple[int, int]:
        """Make ``graph`` hold exactly ``new`` and add ``extra`` (provenance), in one transaction.

        Returns (quads added, quads removed). Inserts alone go through ``extend``; when
        quads must also be removed, one SPARQL update carries both halves, so readers
        see either the old or the new version, never a mix.
        """
        old = self.graph_quads(graph)
        added = new - old
        removed = old - new
        if unchanged_ok and not added and not removed:
            return 0, 0  # same bytes, same graph: a re-run leaves no trace, not even a PROV record
        extra = list(extra)
        try:
            if not old:
                # First load of this source: bulk loading is 5x faster than a transaction, and
                # safe because the graph only counts once its PROV record exists (written
                # next, transactionally); ``recover`` removes a graph left without one by a crash.
                self._store.bulk_extend(added)
                self._store.extend(extra)
            elif not removed:
                self._store.extend([*added, *extra])
            elif any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in removed):
                # DELETE DATA cannot name blank nodes (graphs written before ingest skolemized
                # them, or by a SPARQL update): rewrite the whole graph, still in one update.
                self._store.update(f"CLEAR SILENT GRAPH {graph} ;\n" + _diff_update([], [*new, *extra]))
            else:
                self._store.update(_diff_update(removed, [*added, *extra]))
        except (OSError, SyntaxError) as exc:
            self._remove_bulk_files()
            raise StoreError(f"writing {graph.value} failed; the previous version is intact: {exc}") from exc
        self._store.flush()
        return len(added), len(removed)

    def clear_graph(self, graph: ox.NamedNode) -> int:
        """Remove one source entirely (``innograph drop``); returns the quads removed."""
        old = self.graph_quads(graph)
        if old:
            self._store.update(_diff_update(old, []))
        return len(old)


def open_for_reading(path: Path) -> tuple[GraphStore, bool]:
    """The store at ``path`` for a read command; True when it is a read-only view beside its holder.

    The store is opened normally when it is free (a crashed ingest's leftovers are removed, as
    on every open), read-only when a server holds it.
    """
    try:
        return GraphStore(path), False
    except StoreLockedError:
        log.info("the store at %s is held by another process: opening it read-only", path)
        return GraphStore.read_only(path), True


def _diff_update(removed: Iterable[ox.Quad], inserted: Iterable[ox.Quad]) -> str:
    """One SPARQL update text deleting and inserting exact quads (terms serialised by pyoxigraph)."""
    parts: list[str] = []
    for keyword, quads in (("DELETE DATA", removed), ("INSERT DATA", inserted)):
        by_graph: dict[ox.NamedNode, list[str]] = {}
        for quad in quads:
            by_graph.setdefault(quad.graph_name, []).append(f"{quad.triple} .")  # type: ignore[arg-type]
        if by_graph:
            body = " ".join(f"GRAPH {g} {{ {' '.join(lines)} }}" for g, lines in by_graph.items())
            parts.append(f"{keyword} {{ {body} }}")
    return " ;\n".join(parts)
