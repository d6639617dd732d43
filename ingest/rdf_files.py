"""Reader of RDF files (Turtle, N-Triples, N-Quads' triples, JSON-LD, RDF/XML).

Each subject with its statements is one record, so a node that breaks the shapes is
rejected on its own and the rest of the file still lands (unless ``--strict``). A syntax
error rejects the whole file: a half-parsed RDF document cannot be trusted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from common.errors import SourceError
from ingest._model import Location, MappedRecord, Rejection, SourceReader

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


class RdfReader(SourceReader):
    """One RDF file, or a folder of them; every subject must pass the shapes."""

    kind = "rdf"

    @classmethod
    def detect(cls, path: Path) -> bool:
        if path.is_dir():
            return any(p.suffix in FORMATS for p in path.iterdir())
        return path.suffix in FORMATS

    def files(self) -> list[Path]:
        return [p for p in super().files() if p.suffix in FORMATS]

    def read(self) -> Iterator[MappedRecord | Rejection]:
        for path in self.files():
            if path.stat().st_size == 0:
                raise SourceError(str(path), "the file is empty")
            by_subject: dict[str, MappedRecord] = {}
            try:
                for quad in ox.parse(path=str(path), format=FORMATS[path.suffix]):
                    key = str(quad.subject)
                    record = by_subject.get(key)
                    if record is None:
                        record = by_subject[key] = MappedRecord(Location(str(path), pointer=key))
                    record.triples.append((quad.subject, quad.predicate, quad.object))  # type: ignore[arg-type]
            except SyntaxError as exc:
                raise SourceError(str(path), f"not valid RDF: {exc}") from None
            except UnicodeDecodeError as exc:
                raise SourceError(str(path), f"not valid UTF-8 at byte {exc.start}") from None
            yield from by_subject.values()
