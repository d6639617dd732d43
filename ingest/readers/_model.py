"""What every source reader produces: mapped records and rejections.

Why records and not bare triples: a rejected record must be reported with the file,
line (or JSON pointer), field and reason, and a SHACL violation found later must be
traced back to the record that produced the offending node. Each ``MappedRecord``
therefore carries its location and the subjects it describes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]


@dataclass(frozen=True)
class Location:
    """Where a record sits in its source: a line for CSV/N-Triples, a JSON pointer for JSON."""

    file: str
    line: int | None = None
    pointer: str | None = None

    def __str__(self) -> str:
        if self.pointer is not None:
            return f"{self.file}#{self.pointer}"
        if self.line is not None:
            return f"{self.file}:{self.line}"
        return self.file


@dataclass(frozen=True)
class Rejection:
    """A record that was not written, and why, in words a data steward can act on."""

    location: Location
    field: str | None
    reason: str
    #: True when the rest of the file could not be read (truncated, header unusable): the
    #: source is incomplete, so it must not replace a complete version already stored.
    incomplete_source: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "pointer": self.location.pointer,
            "field": self.field,
            "reason": self.reason,
            "incomplete_source": self.incomplete_source,
        }


@dataclass
class MappedRecord:
    """One valid input record turned into triples of the ontology."""

    location: Location
    triples: list[Triple] = field(default_factory=list)

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal | None) -> None:
        """Add a triple, skipping absent optional values so mappers stay flat."""
        if o is not None:
            self.triples.append((s, p, o))


class SourceReader(ABC):
    """One kind of source: knows how to recognise, read and map its files.

    Subclasses are small: ``detect`` says whether a path is theirs, ``read`` yields
    records and rejections in file order. Readers never touch the store: the pipeline
    in ``ingest.loading`` validates and writes what they produce.
    """

    kind: ClassVar[str]

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    @abstractmethod
    def detect(cls, path: Path) -> bool:
        """True when this reader understands ``path`` (a file or a folder)."""

    @abstractmethod
    def read(self) -> Iterator[MappedRecord | Rejection]:
        """Records in source order; whole-source failures raise ``SourceError``."""

    def files(self) -> list[Path]:
        """The files whose bytes define this source (hashed for provenance)."""
        if self.path.is_dir():
            return sorted(p for p in self.path.iterdir() if p.is_file() and not p.name.startswith("."))
        return [self.path]

    def default_name(self) -> str:
        """Name of the source's named graph when the user gives none."""
        from ontology._keys import slug

        stem = self.path.name
        for suffix in (".gz", ".csv", ".json", ".jsonl", ".ttl", ".nt", ".jsonld"):
            stem = stem.removesuffix(suffix)
        return slug(stem)

    def expected_records(self) -> int | None:
        """Roughly how many records to expect, for the progress bar (None if unknown)."""
        return None
