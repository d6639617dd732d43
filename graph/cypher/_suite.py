"""The analyst suite: realistic questions as .cypher files, with an embedded variant where needed.

Why files and not Python strings: analysts read, copy and run them as they are (Neo4j
Browser, ``innograph cypher @file``); the header says what question each answers and which
parameters it takes, with the defaults the tests and the benchmark use on the bundled data::

    // Question: Which organisations of a country coordinate the most EU projects?
    // For: analyst
    // Param: country = "RO"

``NAME.cypher`` is written for Neo4j; ``NAME.embedded.cypher`` beside it, when present, is
the same question in the embedded engine's dialect (``* SHORTEST`` instead of
``shortestPath``, ``list_transform`` instead of list comprehensions, one label per node).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

QUERIES_DIR = Path(__file__).resolve().parent / "queries"


@dataclass(frozen=True)
class SuiteQuery:
    name: str
    question: str
    audience: str
    neo4j: str
    embedded: str | None  # None: the Neo4j text runs unchanged on the embedded engine
    parameters: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def text(self, engine: str) -> str:
        """The query text for ``engine`` ('embedded' or 'neo4j')."""
        return self.embedded if engine == "embedded" and self.embedded is not None else self.neo4j


def _header(text: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        key, sep, value = line[2:].strip().partition(":")
        if sep and key.strip().isalpha():
            fields.setdefault(key.strip().lower(), []).append(value.strip())
        elif fields:  # a continuation line of the previous field
            last = list(fields)[-1]
            fields[last][-1] += " " + line[2:].strip()
    return fields


def parse(path: Path) -> SuiteQuery:
    text = path.read_text(encoding="utf-8")
    header = _header(text)
    if "question" not in header:
        raise ValueError(f"{path.name}: the header has no '// Question:' line")
    parameters: dict[str, Any] = {}
    for item in header.get("param", []):
        name, _, value = item.partition("=")
        parameters[name.strip()] = json.loads(value)
    variant = path.with_name(path.name.removesuffix(".cypher") + ".embedded.cypher")
    return SuiteQuery(
        name=path.name.removesuffix(".cypher"),
        question=header["question"][0],
        audience=(header.get("for") or ["analyst"])[0],
        neo4j=text,
        embedded=variant.read_text(encoding="utf-8") if variant.exists() else None,
        parameters=parameters,
        notes=tuple(header.get("note", [])),
    )


@cache
def load_suite(directory: Path = QUERIES_DIR) -> tuple[SuiteQuery, ...]:
    """Every question of the suite, in file-name order."""
    paths = sorted(p for p in directory.glob("*.cypher") if not p.name.endswith(".embedded.cypher"))
    return tuple(parse(p) for p in paths)


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-9,
                                                                                               abs_tol=1e-6)
    if isinstance(a, list) and isinstance(b, list):
        # collect() promises no order on either engine: compare as multisets
        key = repr
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(sorted(a, key=key), sorted(b, key=key), strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    return bool(a == b)


def same_rows(mine: list[list[Any]], theirs: list[list[Any]]) -> bool:
    """True when two engines' rows are the same answer: same order, money summed in another order
    equal to 1e-9 (relative), lists from collect() in any order.

    >>> same_rows([["RO", 0.1 + 0.2, ["a", "b"]]], [["RO", 0.3, ["b", "a"]]])
    True
    """
    return len(mine) == len(theirs) and all(
        len(x) == len(y) and all(_close(a, b) for a, b in zip(x, y, strict=True)) for x, y in zip(mine, theirs, strict=True)
    )
