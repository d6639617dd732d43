"""Paths of the ontology files shipped inside the package.

Why here: ingest and graph need the same files (the shapes to validate, the vocabularies
to resolve codes and labels); one place keeps them from drifting.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent

ONTOLOGY_FILE = _HERE / "innograph.ttl"
SHAPES_FILE = _HERE / "shapes.ttl"
VOCAB_DIR = _HERE / "vocab"


def vocabulary_files() -> list[Path]:
    """The bundled SKOS vocabularies, in a stable order.

    >>> [p.name for p in vocabulary_files()][:1]  # doctest: +SKIP
    ['action-areas.ttl']
    """
    return sorted(VOCAB_DIR.glob("*.ttl"))
