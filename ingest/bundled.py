"""The data innograph ships, in the order it must be loaded.

Why an order: SHACL checks references (``sh:class``) against what is already in the store,
so vocabularies come before the data that points into them, and CORDIS organisations before
our own tables that reuse their PICs.
"""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore
from ontology._files import ONTOLOGY_FILE, vocabulary_files
from ontology._keys import graph_iri

REPO_DATA = Path(__file__).resolve().parents[1] / "data"


def bundled_sources(data: Path = REPO_DATA) -> list[tuple[Path, str | None]]:
    """(path, graph name) pairs for ``innograph ingest --bundled``."""
    sources: list[tuple[Path, str | None]] = [(ONTOLOGY_FILE, "ontology")]
    sources += [(path, f"vocab-{path.stem}") for path in vocabulary_files()]
    for folder, name in (
        (data / "cordis" / "h2020_participations", "cordis-h2020"),
        (data / "cordis" / "composite", "cordis-composite"),
        (data / "cordis" / "organisation_directory", "cordis-organisations"),
        (data / "union-of-innovation", "union-of-innovation"),
        (data / "illustrative", "illustrative"),
    ):
        if folder.exists():
            sources.append((folder, name))
    return sources


def base_sources() -> list[tuple[Path, str | None]]:
    """The ontology and vocabularies: what every other source's references are checked against."""
    return bundled_sources()[: 1 + len(vocabulary_files())]


def missing_base(store: GraphStore) -> list[tuple[Path, str | None]]:
    """Base sources not yet in ``store`` (a fresh data folder has none of them); an empty graph counts as missing.

    The same rule as the server's readiness check (``api.warmup``): a base graph emptied by a
    SPARQL ``CLEAR`` is reloaded at the next start, not taken as present.
    """
    present = set(store.named_graphs())
    return [(path, name) for path, name in base_sources()
            if graph_iri(name or path.stem) not in present or store.count(graph_iri(name or path.stem)) == 0]
