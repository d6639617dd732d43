"""No module outside ``ontology/`` builds or takes apart an IRI of ours by string.

Why a test: the organisation id <-> IRI rule once lived in seven places (issue 14), two of them
hard-coded, and a copy reads like any other line in review. ``ontology`` (``organisation_iri``,
``organisation_id``, ``entity_iri``, ``IRI_PREFIXES``) is the one place; the web UI reads the
prefixes from ``GET /config``.

What counts, found in the syntax tree (so docstrings, examples and comments do not): an f-string
or ``+`` that joins a value to ``ID``, ``ORG_PREFIX`` or a text holding ``/id/``, and a
``removeprefix``/``startswith``/``replace`` whose argument is one of them; in the UI's JavaScript,
any text holding ``/innograph/id/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ("common", "ingest", "graph", "api", "cli")
SCHEME_NAMES = {"ID", "ORG_PREFIX"}
STRING_OPS = {"removeprefix", "startswith", "replace", "removesuffix"}


def _is_scheme_part(node: ast.AST) -> bool:
    """``ID``, ``ORG_PREFIX`` (or ``x.ID``), or a string constant holding ``/id/``."""
    if isinstance(node, ast.Name):
        return node.id in SCHEME_NAMES
    if isinstance(node, ast.Attribute):
        return node.attr in SCHEME_NAMES
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "innograph/id/" in node.value or node.value.startswith("id/org")
    if isinstance(node, ast.FormattedValue):
        return _is_scheme_part(node.value)
    return False


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def scheme_strings(source: str, name: str = "<test>") -> list[int]:
    """Lines of ``source`` that build or cut an IRI of ours by string."""
    tree = ast.parse(source, name)
    skip = _docstrings(tree)
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and len(node.values) > 1 and any(map(_is_scheme_part, node.values)):
            lines.append(node.lineno)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and (
                _is_scheme_part(node.left) or _is_scheme_part(node.right)):
            lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STRING_OPS
              and any(_is_scheme_part(arg) and id(arg) not in skip for arg in node.args)):
            lines.append(node.lineno)
    return sorted(set(lines))


@pytest.mark.parametrize(
    ("source", "found"),
    [('x = f"{ID}org/{key}"', [1]), ('x = ORG_PREFIX + key', [1]), ('k = iri.removeprefix(ORG_PREFIX)', [1]),
     ('k = i.removeprefix("https://w3id.org/innograph/id/org/")', [1]), ('x = f"{ns.ID}{kind}/{k}"', [1]),
     ('x = f"https://w3id.org/innograph/id/org/{v}"', [1]),
     ('x = organisation_iri(key)', []), ('"""See https://w3id.org/innograph/id/org/osim."""', []),
     ('e = {"iri": "https://w3id.org/innograph/id/org/osim"}', []), ('x = f"{GRAPH}{name}"', [])],
)
def test_the_finder_tells_building_from_quoting(source: str, found: list[int]) -> None:
    assert scheme_strings(source) == found


def test_no_python_module_outside_ontology_builds_an_iri_of_ours_by_string() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in RUNTIME
        for path in sorted((ROOT / package).rglob("*.py"))
        for line in scheme_strings(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not wrong, "use ontology.organisation_iri / organisation_id / entity_iri instead:\n" + "\n".join(wrong)


def test_the_web_ui_has_no_iri_prefix_of_its_own() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "ui" / "js").rglob("*.js"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "/innograph/id/" in line
    ]
    assert not wrong, "the UI reads the IRI prefixes from GET /config:\n" + "\n".join(wrong)
