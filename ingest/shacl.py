"""Fast SHACL validation: shapes compiled to SPARQL and run inside the Oxigraph store.

Why: ingest validates every source (up to ~1.5 million triples) before it replaces the
source's named graph, and pyshacl needs about a minute for that (benchmarks/bench_shacl.py). Here each (shape, constraint)
pair of a *subset of SHACL Core* is compiled once into a SELECT query that returns only the
violations, and the store evaluates it in one pass over the focus nodes.

Supported (anything else in the ``sh:`` namespace raises :class:`UnsupportedShapeError`
when the shapes are compiled, never a silent pass):

- targets: ``sh:targetClass`` and implicit class targets (a node shape that is also an
  ``rdfs:Class``/``owl:Class``). Focus nodes are the subjects of ``rdf:type <class>`` in the
  data graph itself; ``rdfs:subClassOf`` is **not** followed, so an instance of a subclass is
  not a focus node unless it is typed with the target class too.
- property shapes (``sh:property``, or a property shape with its own ``sh:targetClass``)
  whose ``sh:path`` is an IRI or ``[ sh:inversePath <iri> ]``;
- ``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:nodeKind``,
  ``sh:pattern`` (+ ``sh:flags``), ``sh:in``, ``sh:minInclusive``, ``sh:maxInclusive``,
  ``sh:minExclusive``, ``sh:maxExclusive``, ``sh:minLength``, ``sh:maxLength``; the
  value-type ones also directly on a node shape (the focus node is then the value);
- ``sh:deactivated true`` skips a shape; ``sh:severity`` and ``sh:message`` are reported;
  ``sh:name``, ``sh:description``, ``sh:order``, ``sh:group``, ``sh:defaultValue`` are ignored.

Where values are read: everything from the data graph, except the type a value node needs
for ``sh:class``, which may be stated in *any named graph* of the store (values point to
vocabulary concepts and organisations loaded as other sources); ``rdfs:subClassOf`` is not
followed there either. Triples in the store's unnamed default graph are not consulted.

Differences from a SHACL processor that reads literals as written: Oxigraph stores literals
in a canonical form, and valid literals of the XSD integer subtypes as ``xsd:integer``
(``"05"^^xsd:int`` is read back as ``"5"^^xsd:integer``, oxigraph issue #526). So
``sh:datatype xsd:int`` accepts an ``xsd:integer`` in the range of ``xsd:int``, and
``sh:in``, ``sh:pattern`` and the length constraints see the canonical form (the
``sh:in`` members are canonicalised the same way). Lexical well-formedness is checked for
the numeric, boolean and date/time XSD types only. ``sh:pattern`` runs on Oxigraph's regex
engine (Rust ``regex``), which has no look-around or back-references.

>>> from pathlib import Path
>>> import pyoxigraph as ox, tempfile
>>> shapes = Path(tempfile.mkdtemp()) / "shapes.ttl"
>>> _ = shapes.write_text('''@prefix sh: <http://www.w3.org/ns/shacl#> .
... <urn:S> sh:targetClass <urn:C> ; sh:property [ sh:path <urn:name> ; sh:minCount 1 ] .''')
>>> store = ox.Store()
>>> g = ox.NamedNode("urn:g")
>>> store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
...                   ox.NamedNode("urn:C"), g))
>>> [(v.focus_node, v.component) for v in CompiledShapes.from_file(shapes).validate(store, g)]
[('<urn:a>', 'MinCountConstraintComponent')]
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.util import guess_format

from ingest._shacl_compile import Check, UnsupportedShapeError, compile_shapes

__all__ = ["CompiledShapes", "UnsupportedShapeError", "Violation"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Violation:
    """One validation result, with every RDF term in N-Triples form.

    ``path`` is ``"<iri>"``, ``"^<iri>"`` for an inverse path, or None for a constraint on
    the focus node itself; ``value`` is None for sh:minCount and sh:maxCount.
    """

    focus_node: str
    path: str | None
    component: str  # SHACL component name, e.g. "MinCountConstraintComponent"
    value: str | None
    message: str  # the shape's sh:message if it has one, else a generated one
    shape: str  # the (property) shape, blank nodes with the label they had when parsed
    severity: str = "Violation"  # local name of sh:severity: Violation, Warning or Info


class CompiledShapes:
    """A shapes graph compiled to SPARQL queries, ready to validate many data graphs.

    Compile once (it parses and checks every query), validate as often as needed.
    """

    def __init__(self, checks: list[Check]) -> None:
        self._checks = list(checks)

    @classmethod
    def from_file(cls, path: Path) -> CompiledShapes:
        """Compile a shapes file (Turtle, or any format rdflib guesses from the suffix).

        >>> from ontology import SHAPES_FILE
        >>> CompiledShapes.from_file(SHAPES_FILE)  # doctest: +SKIP
        <CompiledShapes: ... checks>
        """
        g = Graph()
        g.parse(path, format=guess_format(str(path)) or "turtle")
        return cls.from_graph(g)

    @classmethod
    def from_graph(cls, g: Graph) -> CompiledShapes:
        """Compile an rdflib shapes graph; raises :class:`UnsupportedShapeError` on what it cannot honour."""
        return cls(compile_shapes(g))

    @property
    def queries(self) -> list[str]:
        """The compiled queries (without LIMIT), for inspection and debugging."""
        return [c.query for c in self._checks]

    def __len__(self) -> int:
        return len(self._checks)

    def __repr__(self) -> str:
        return f"<CompiledShapes: {len(self._checks)} checks>"

    def validate(
        self, store: ox.Store, data_graph: ox.NamedNode, limit_per_constraint: int = 1000
    ) -> list[Violation]:
        """The violations of ``data_graph`` in ``store``, at most ``limit_per_constraint`` per check.

        An empty list means the graph conforms (to the supported subset). Results come in
        a stable order: by shape and constraint, then by focus node and value. The checks
        run one after the other: pyoxigraph 0.5 keeps the GIL while it evaluates, so
        threads were measured to gain nothing.

        >>> CompiledShapes([]).validate(ox.Store(), ox.NamedNode("urn:g"))
        []
        """
        if isinstance(limit_per_constraint, bool) or not isinstance(limit_per_constraint, int):
            raise TypeError("limit_per_constraint must be an int")
        if limit_per_constraint < 1:
            raise ValueError("limit_per_constraint must be at least 1")
        out: list[Violation] = []
        for check in self._checks:
            start = time.perf_counter()
            rows = store.query(f"{check.query}\nLIMIT {limit_per_constraint}", default_graph=data_graph)
            found = sorted((_violation(check, row) for row in rows), key=_order)  # type: ignore[union-attr]
            logger.debug(
                "%s %s %s: %d in %.3fs",
                check.shape,
                check.path,
                check.component,
                len(found),
                time.perf_counter() - start,
            )
            if len(found) == limit_per_constraint:
                logger.warning("%s on %s: stopped at %d violations", check.component, check.shape, len(found))
            out += found
        return out


def _violation(check: Check, row: ox.QuerySolution) -> Violation:
    focus = str(row["this"])
    if check.component in ("MinCountConstraintComponent", "MaxCountConstraintComponent"):
        count = row["n"]
        value, detail = None, f", found {count.value if count is not None else 0}"
    else:
        value = str(row["v"])
        detail = f"; got {value}"
    message = check.message if check.message is not None else check.text + detail
    return Violation(focus, check.path, check.component, value, message, check.shape, check.severity)


def _order(v: Violation) -> tuple[str, str]:
    return v.focus_node, v.value or ""
