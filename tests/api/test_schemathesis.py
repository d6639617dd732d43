"""Schemathesis against the application: every check it has (``--checks all``), a bounded number
of examples per operation, 0 failures.

Why in the suite: the OpenAPI document is what clients and code generators read; a schema-valid
request the server refuses, an undocumented status or header, or a 5xx is a defect. The app is
the real one over the API test data (warm-up off: the gate has its own tests in test_warmup; rate
limit off: the fuzzer is one address sending hundreds of requests).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import CHECKS, load_all_checks

from api.app import create_app
from common.settings import Settings
from tests.api.conftest import copy_data

EXAMPLES = 8
load_all_checks()
ALL_CHECKS = {name: CHECKS.get_one(name) for name in CHECKS.get_all_names()}

# Checks left out for an operation, each with its reason (as rdflib does for W3C manifests). Every
# other check runs on every operation. "positive_data_acceptance" fails where a schema-valid
# string is refused by a lookup or a parser the document cannot express:
LOOKUP = ("vocabulary codes and labels (regions, sectors, fields, kinds) are resolved against the store, in "
          "Romanian and English; an unknown one is a 422 naming the field. The lists are the store's "
          "(GET /vocabularies/{scheme}), thousands of labels: not yet enums in the document")
QUERY = "a query language: text that does not parse is a 400 with the parser's message"
KNOWN: dict[str, dict[str, str]] = {
    **{f"{method} {path}": {"positive_data_acceptance": LOOKUP} for method, path in (
        ("POST", "/match"), ("POST", "/match/demand"), ("GET", "/network"), ("GET", "/network/edges"),
        ("GET", "/network/ego/{org_id}"), ("GET", "/network/path"), ("GET", "/network/communities"),
        ("GET", "/network/communities/{community}"), ("GET", "/network/centrality"), ("GET", "/network/brokers"),
        ("GET", "/network/gaps"))},
    "GET /search": {"positive_data_acceptance": "a query of punctuation only has nothing to search for: 422"},
    "POST /cypher": {"positive_data_acceptance": QUERY},
    "GET /sparql": {"positive_data_acceptance": QUERY},
    "POST /sparql": {"positive_data_acceptance": QUERY,
                     "not_a_server_error": "a caller-chosen timeout (6e-20 s) stops the query: the documented "
                                           "503 query-timeout with Retry-After, not a failure of the server"},
    **{f"{method} /rdf-graphs/service": {"positive_data_acceptance": "exactly one of ?graph= and ?default: "
                                         "OpenAPI 3 parameters cannot say 'one of'; 422 names the rule"}
       for method in ("GET", "HEAD")},
}


@pytest.fixture(scope="module")
def api_schema(api_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    data = copy_data(api_template, tmp_path_factory.mktemp("api-fuzz") / "data")
    app = create_app(Settings(data_dir=data, warm_on_start=False, rate_limit_anonymous=0))
    with TestClient(app):  # the lifespan: the SPARQL service starts and stops with it
        # warm the matcher now (indexes, model, concepts, network): the first /match (or /alerts) builds
        # them inside the request, which passed schemathesis' 10 s read timeout at load average 10 (a
        # ReadTimeout on the first call only: "Failed on the first call but did not on a subsequent one")
        for direction in ("supply", "demand"):
            app.state.matcher.match("warm up", direction, limit=1)  # type: ignore[arg-type]
        app.state.matcher.network()
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
    del app
    gc.collect()


def _fuzz(operation: Any) -> str | None:
    """The first failure of ``operation`` over ``EXAMPLES`` generated cases; None if it conforms."""

    @given(operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        case.call_and_validate(checks=checks)

    checks = [check for name, check in ALL_CHECKS.items() if name not in KNOWN.get(operation.label, {})]

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup, a check's failure
        return f"{operation.label}: {exc}"
    return None


def test_every_operation_conforms_to_its_document(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 29
    assert set(KNOWN) <= {operation.label for operation in operations}  # no stale exception
    failures = [failure for operation in operations if (failure := _fuzz(operation))]
    assert not failures, "\n\n".join(failures)
