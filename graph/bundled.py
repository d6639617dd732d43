"""The data innograph ships, in the order it must be loaded.

Why an order: SHACL checks references (``sh:class``) against what is already in the store,
so vocabularies come before the data that points into them, and CORDIS organisations before
our own tables that reuse their PICs.
"""

from __future__ import annotations

from pathlib import Path

from ontology._files import ONTOLOGY_FILE, vocabulary_files

REPO_DATA = Path(__file__).resolve().parents[1] / "data"


def bundled_sources(data: Path = REPO_DATA) -> list[tuple[Path, str | None]]:
    """(path, graph name) pairs for ``innograph ingest --bundled``."""
    sources: list[tuple[Path, str | None]] = [(ONTOLOGY_FILE, "ontology")]
    sources += [(path, f"vocab-{path.stem}") for path in vocabulary_files()]
    for folder, name in (
        (data / "cordis" / "h2020_participations", "cordis-h2020"),
        (data / "cordis" / "composite", "cordis-composite"),
        (data / "union-of-innovation", "union-of-innovation"),
        (data / "illustrative", "illustrative"),
    ):
        if folder.exists():
            sources.append((folder, name))
    return sources
