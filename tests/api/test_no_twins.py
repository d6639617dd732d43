"""A result type at the graph/api boundary is defined once (issue 14: "typed results, not twins").

Why a test: ten classes had once been written twice, a dataclass in ``graph/`` and a pydantic
schema of the same name in ``api/schemas``, and the copies drifted (``Decimal`` against ``float``,
``MembershipRef`` against ``Membership``). Now ``graph`` returns pydantic models and the schema
modules re-export them, or derive from them to add only the OpenAPI examples. This test fails
when a schema module defines a class again under a name that ``graph/`` or ``ingest/`` defines.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

from pydantic import BaseModel

import api.schemas

ROOT = Path(__file__).resolve().parents[2]
#: Same name, different thing: not a copy.
DIFFERENT = {
    "Concept": "graph.matching's Concept is a concept recognised in a need; the schema derives from "
               "graph.views.ConceptInfo",
}
#: Still two definitions (ingest's accumulating report and the reader's Rejection with its Location
#: against their JSON form, ``as_dict``): left for a later change of the ingest pipeline.
NOT_YET = {"IngestReport", "Rejection"}


def runtime_class_names() -> set[str]:
    names = set()
    for package in ("graph", "ingest"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names |= {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    return names


def schema_classes() -> dict[str, type[BaseModel]]:
    """Models written in ``api/schemas`` itself (re-exported ones belong to the module that defines them)."""
    found = {}
    for info in pkgutil.iter_modules(api.schemas.__path__, "api.schemas."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                found[name] = value
    return found


def test_no_schema_redefines_a_result_of_graph_or_ingest() -> None:
    twins = sorted(set(schema_classes()) & runtime_class_names() - set(DIFFERENT) - NOT_YET)
    assert not twins, f"re-export or derive these from graph/ instead of defining them again: {twins}"


def test_the_organisation_region_and_indicator_schemas_are_graphs_types() -> None:
    from api.schemas import indicators, organisations, regions, vocabularies
    from graph import indicators as graph_indicators
    from graph import views

    assert regions.RegionSummary is views.RegionSummary
    assert organisations.ProjectRole is views.ProjectRole
    assert issubclass(organisations.OrganisationPublic, views.OrganisationProfile)
    assert indicators.RegionIndicators is graph_indicators.RegionIndicators
    assert issubclass(vocabularies.Concept, views.ConceptInfo)
