"""Reader of innograph's own tabular format (CSV, JSON, JSON Lines).

A source is a folder of files named after their table (``organisations.csv``,
``offers.json`` ...; a prefix such as ``illustrative.offers.csv`` is allowed) or a single
such file. Tables are read in dependency order so that, in reports, an organisation is
always accepted or rejected before the offers that point to it.

Why records are validated here and again by SHACL later: the columns give errors in the
steward's terms (file, line, column); the shapes check the graph that results, including
references to entities in other sources.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common.errors import SourceError
from ingest.readers._columns import parse_cell
from ingest.readers._model import Location, MappedRecord, Rejection, SourceReader
from ingest.readers._tables import TABLES, Table

_ORDER = list(TABLES)
_SUFFIXES = (".csv", ".json", ".jsonl")
csv.field_size_limit(sys.maxsize)  # long cells are rejected per field with a clear message instead


def table_of(path: Path) -> Table | None:
    """The table a file belongs to, from its name (``x.offers.csv`` -> offers)."""
    if path.suffix not in _SUFFIXES:
        return None
    return TABLES.get(path.stem.split(".")[-1])


class TabularReader(SourceReader):
    """Our documented CSV/JSON format, one file kind per entity."""

    kind = "tabular"

    @classmethod
    def detect(cls, path: Path) -> bool:
        if path.is_dir():
            return any(table_of(p) for p in path.iterdir())
        return table_of(path) is not None

    def files(self) -> list[Path]:
        candidates = super().files()
        tabular = [p for p in candidates if table_of(p) is not None]
        return sorted(tabular, key=lambda p: (_ORDER.index(table_of(p).name), p.name))  # type: ignore[union-attr]

    def default_name(self) -> str:
        return super().default_name() if self.path.is_dir() else super().default_name().split(".")[0]

    def read(self) -> Iterator[MappedRecord | Rejection]:
        seen: dict[tuple[str, tuple[str, ...]], Location] = {}
        for path in self.files():
            table = table_of(path)
            assert table is not None
            for location, raw in _rows(path, table):
                if isinstance(raw, Rejection):
                    yield raw
                    continue
                yield _map_row(table, location, raw, seen)


def _map_row(
    table: Table, location: Location, raw: dict[str, Any], seen: dict[tuple[str, tuple[str, ...]], Location]
) -> MappedRecord | Rejection:
    row: dict[str, Any] = {}
    for column in table.columns:
        try:
            row[column.name] = parse_cell(column, raw.get(column.name))
        except ValueError as exc:
            return Rejection(location, column.name, f"{column.name} {exc}")
    ident = tuple(str(raw.get(name, "")).strip() for name in table.id_columns)
    first = seen.get((table.name, ident))
    if first is not None:
        return Rejection(
            location,
            table.id_columns[0],
            f"duplicate {table.name} id {'/'.join(ident)!r}: first seen at {first}; ids must be unique",
        )
    seen[(table.name, ident)] = location
    record = MappedRecord(location)
    try:
        table.map_row(row, record)
    except ValueError as exc:
        return Rejection(location, None, str(exc))
    return record


def _rows(path: Path, table: Table) -> Iterator[tuple[Location, dict[str, Any] | Rejection]]:
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(str(path), "the file is empty: expected a header line or a JSON array")
    text = data.decode("utf-8-sig", errors="surrogateescape")
    if path.suffix == ".csv":
        yield from _csv_rows(path, table, text)
    elif path.suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            location = Location(str(path), line=number)
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield location, Rejection(location, None, f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            yield location, _json_object(obj, location)
    else:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(
                str(path), f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno} (truncated?)"
            ) from None
        items = doc.get("data") if isinstance(doc, dict) else doc
        if not isinstance(items, list):
            raise SourceError(str(path), "expected a JSON array of objects, or an object with a 'data' array")
        for index, obj in enumerate(items):
            location = Location(str(path), pointer=f"/{index}")
            yield location, _json_object(obj, location)


def _json_object(obj: Any, location: Location) -> dict[str, Any] | Rejection:
    if not isinstance(obj, dict):
        return Rejection(location, None, f"expected a JSON object, got {type(obj).__name__}")
    out: dict[str, Any] = {}
    for name, value in obj.items():
        if isinstance(value, list):
            out[name] = "|".join(str(v) for v in value)
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif value is None:
            out[name] = ""
        else:
            out[name] = str(value)
    return out


def _csv_rows(path: Path, table: Table, text: str) -> Iterator[tuple[Location, dict[str, Any] | Rejection]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise SourceError(str(path), f"cannot read the header line: {exc}") from None
    missing = [col.name for col in table.columns if col.required and col.name not in header]
    if missing:
        location = Location(str(path), line=1)
        yield location, Rejection(
            location,
            missing[0],
            f"required column(s) {', '.join(missing)} missing from the header; no row of this file was read",
            incomplete_source=True,
        )
        return
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            location = Location(str(path), line=start)
            yield location, Rejection(
                location, None, f"unreadable CSV from here on ({exc}); file truncated?", incomplete_source=True
            )
            return
        location = Location(str(path), line=start)
        start = reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            yield location, Rejection(
                location, None, f"has {len(cells)} cells but the header has {len(header)} columns"
            )
            continue
        yield location, dict(zip(header, cells, strict=True))
