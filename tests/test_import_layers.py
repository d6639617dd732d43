"""The package map holds: no import cycles, imports point down the layers, subpackages are used through their ``__init__``.

Why a test: the layout (README "What is in the box", each package's docstring) is only worth
something while it holds, and an import that breaks it reads like any other import in review.
The import graph is built by grimp (the library under import-linter) from the source, every import
counted, including those inside functions and under ``TYPE_CHECKING``: a lazy import hides a
cycle from the interpreter, not from a reader.

The layers, each importing only from the layers below it (rooms of one layer are independent)::

    cli
    api
    graph.indicators | graph.writes                     (regional monitoring; what follows every write)
    graph.records | graph.alerts                        (members' records; saved needs)
    graph.matching                                      (matching: reads the collaboration network)
    ingest | graph.cypher | graph.network |             (the pipeline; projection; the collaboration network
      graph.operations                                   and its gaps; private operational data: interest, alert rows)
    ingest.readers | graph.sparql | graph.views         (pure readers; SPARQL service; read models)
    graph.store                                         (the RDF store every writer and reader shares)
    ontology                                            (terms, IRI scheme, vocabularies)
    common | graph                                      (settings and errors; graph/__init__ is a docstring)

This is the direction of DESIGN.md (ontology -> ingest -> graph -> api -> cli) with one precision:
the ingest pipeline writes into ``graph.store``, so the store sits under ingest, and nothing else
of ``graph`` imports ``ingest``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import grimp
import pytest

RUNTIME = ("common", "ontology", "ingest", "graph", "api", "cli")
LAYERS: list[set[str]] = [
    {"common", "graph"},
    {"ontology"},
    {"graph.store"},
    {"ingest.readers", "graph.sparql", "graph.views"},
    {"ingest", "graph.cypher", "graph.network", "graph.operations"},
    {"graph.matching"},
    {"graph.records", "graph.alerts"},
    {"graph.indicators", "graph.writes"},
    {"api"},
    {"cli"},
]
LEVEL = {room: level for level, rooms in enumerate(LAYERS) for room in rooms}
#: Packages whose ``_modules`` only the package itself may import (others use its ``__init__``).
#: ``ontology`` is not among them: its private modules are its term constants, read everywhere.
FACED = {room for room in LEVEL if room.startswith("graph.")} | {"ingest.readers"}


@lru_cache(maxsize=1)
def import_graph() -> grimp.ImportGraph:
    return grimp.build_graph(*RUNTIME, include_external_packages=False)


def room(module: str) -> str:
    """The room a module lives in: ``graph.matching._index`` -> ``graph.matching``."""
    parts = module.split(".")
    if parts[0] == "graph" and len(parts) > 1:
        return ".".join(parts[:2])
    if parts[:2] == ["ingest", "readers"]:
        return "ingest.readers"
    return parts[0]


def imports() -> Iterator[tuple[str, str]]:
    graph = import_graph()
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            yield importer, imported


def where(importer: str, imported: str) -> str:
    details = import_graph().get_import_details(importer=importer, imported=imported)
    lines = ", ".join(f"line {d['line_number']}" for d in details)
    return f"{importer} imports {imported} ({lines})"


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each a cycle or several."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_every_runtime_module_is_in_a_room() -> None:
    unplaced = {room(m) for m in import_graph().modules} - set(LEVEL)
    assert not unplaced, f"add these to LAYERS (and to README's map): {sorted(unplaced)}"


def test_no_import_cycles_between_modules() -> None:
    edges: dict[str, set[str]] = {}
    for importer, imported in imports():
        edges.setdefault(importer, set()).add(imported)
    assert cycles(edges) == []


def test_no_import_cycles_between_rooms() -> None:
    edges: dict[str, set[str]] = {}
    for importer, imported in imports():
        if room(importer) != room(imported):
            edges.setdefault(room(importer), set()).add(room(imported))
    assert cycles(edges) == []


def test_imports_point_down_the_layers() -> None:
    wrong = [
        where(importer, imported)
        for importer, imported in imports()
        if room(importer) != room(imported) and LEVEL[room(imported)] >= LEVEL[room(importer)]
    ]
    assert not wrong, "\n".join(wrong)


def private(module: str) -> bool:
    """A module below its room whose own name or a package on the way starts with ``_``."""
    below = module[len(room(module)) + 1 :].split(".") if module != room(module) else []
    return any(part.startswith("_") for part in below)


@pytest.mark.parametrize(
    ("module", "expected"),
    [("graph.matching._index", True), ("graph.matching", False), ("ingest.readers.tabular", False),
     ("ingest.readers._tables", True), ("graph.sparql.queries", False)],
)
def test_private_means_an_underscore_below_the_room(module: str, expected: bool) -> None:
    assert private(module) is expected


def test_private_modules_are_imported_only_inside_their_room() -> None:
    wrong = [
        where(importer, imported)
        for importer, imported in imports()
        if room(imported) in FACED and private(imported) and room(importer) != room(imported)
    ]
    assert not wrong, "import these from the package's __init__ instead:\n" + "\n".join(wrong)


@pytest.mark.parametrize("package", sorted(FACED))
def test_each_faced_package_names_its_public_face(package: str) -> None:
    module = __import__(package, fromlist=["__all__"])
    names = getattr(module, "__all__", None)
    assert names, f"{package}/__init__.py has no __all__"
    assert all(hasattr(module, name) for name in names)
