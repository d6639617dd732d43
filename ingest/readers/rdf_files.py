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
from ingest.readers._model import Location, MappedRecord, Rejection, SourceReader
from ontology import entity_iri
from ontology._keys import slug

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
            skolem = _Skolemizer(path)
            try:
                for quad in ox.parse(path=str(path), format=FORMATS[path.suffix]):
                    subject, obj = skolem(quad.subject), skolem(quad.object)
                    key = str(subject)
                    record = by_subject.get(key)
                    if record is None:
                        record = by_subject[key] = MappedRecord(Location(str(path), pointer=key))
                    record.triples.append((subject, quad.predicate, obj))  # type: ignore[arg-type]
            except SyntaxError as exc:
                raise SourceError(str(path), f"not valid RDF: {exc}") from None
            except UnicodeDecodeError as exc:
                raise SourceError(str(path), f"not valid UTF-8 at byte {exc.start}") from None
            yield from by_subject.values()


class _Skolemizer:
    """Blank nodes -> stable IRIs (numbered in order of first appearance in the file).

    Why: a parser names blank nodes afresh on every read, so the same file would never diff
    as unchanged, and SPARQL ``DELETE DATA`` cannot name a blank node at all. Numbering by
    position keeps the IRIs identical for identical files (RDF 1.1 section 3.5 skolem IRIs).
    """

    def __init__(self, path: Path) -> None:
        self.prefix = entity_iri(".well-known", "genid", slug(path.name), "").value
        self.names: dict[str, ox.NamedNode] = {}

    def __call__(self, term: object) -> object:
        if isinstance(term, ox.BlankNode):
            node = self.names.get(term.value)
            if node is None:
                node = self.names[term.value] = ox.NamedNode(f"{self.prefix}{len(self.names)}")
            return node
        return term
