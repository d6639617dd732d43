"""The W3C SPARQL 1.1 Protocol test suite (tests/w3c/sparql11-protocol, 34 tests), run over real
HTTP against a uvicorn server, every request exactly as the manifest writes it.

How the manifest maps onto innograph: its requests all go to ``/sparql/``; queries go to our
``/sparql`` and updates (a ``application/sparql-update`` body, an ``update=`` form field or
query parameter) to ``/sparql/update``, as the manifest allows ("an endpoint being tested may
require different endpoints to be used for Query and Update requests"). Updates carry an
editor key, which the protocol leaves to the service. ``ut:graphData`` is loaded with the Graph
Store protocol into the graph its label names before the test. No test is skipped or expected
to fail.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from api.keys import KeyStore, Role
from common.settings import Settings
from tests.api.conftest import copy_data
from tests.api.sparql_fixtures import sparql_server

SUITE = Path(__file__).resolve().parents[1] / "w3c" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RESULTS = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # accepted classes: 2 for 2xx ...
    boolean: bool | None = None
    format: str | None = None


@dataclass
class Case:
    name: str
    title: str
    data: list[tuple[str, Path]] = field(default_factory=list)  # (graph IRI, file)
    steps: list[Step] = field(default_factory=list)


def _cases() -> list[Case]:
    g = Graph()
    g.parse(SUITE / "manifest.ttl", format="turtle", publicID="http://www.w3.org/2009/sparql/docs/tests/"
            "data-sparql11/protocol/manifest.ttl")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    cases = []
    for test in Collection(g, g.value(manifest, MF.entries)):
        case = Case(str(test).rsplit("#", 1)[1], str(g.value(test, MF.name)))
        for data in g.objects(test, UT.graphData):
            case.data.append((str(g.value(data, RDFS.label)), SUITE / str(g.value(data, UT.graph)).rsplit("/", 1)[1]))
        action = g.value(test, MF.action)
        for request in Collection(g, g.value(action, HT.requests)):
            body = g.value(request, HT.body)
            data_bytes = None
            if body is not None:
                encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
                data_bytes = str(g.value(body, CNT.chars)).encode(encoding)
            headers = {}
            for header in Collection(g, g.value(request, HT.headers)) if g.value(request, HT.headers) else []:
                headers[str(g.value(header, HT.fieldName))] = str(g.value(header, HT.fieldValue))
            response = g.value(request, HT.resp)
            codes = {int(str(code).rsplit("StatusCode", 1)[1][0]) for code in g.objects(response, MF.expectedStatus)}
            boolean = g.value(response, MF.expectedBoolean)
            fmt = g.value(response, MF.expectedFormat)
            case.steps.append(Step(str(g.value(request, HT.methodName)), str(g.value(request, HT.absolutePath)),
                                   headers, data_bytes, codes, None if boolean is None else boolean.toPython(),
                                   None if fmt is None else str(fmt)))
        cases.append(case)
    return cases


CASES = _cases()


def _is_update(step: Step) -> bool:
    media = step.headers.get("content-type", "").split(";")[0].strip()
    query_string = parse_qs(urlsplit(step.path).query, keep_blank_values=True)
    form = parse_qs(step.body.decode("utf-8", "replace"), keep_blank_values=True) \
        if step.body and media == "application/x-www-form-urlencoded" else {}
    return media == "application/sparql-update" or "update" in query_string or "update" in form


def _route(step: Step, base: str) -> str:
    rest = step.path.removeprefix("/sparql/")
    path = "/sparql/update" if _is_update(step) else "/sparql"
    return f"{base}{path}{rest if rest.startswith('?') or not rest else '?' + rest}"


def _boolean(response: httpx.Response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return bool(json.loads(response.content)["boolean"])
    root = ET.fromstring(response.content)
    return root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def server(api_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    data = copy_data(api_template, tmp_path_factory.mktemp("w3c-protocol") / "data")
    key = KeyStore(Settings(data_dir=data).keys_file).create("w3c protocol suite", Role.editor)[1]
    with sparql_server(data) as url:
        yield url.removesuffix("/sparql"), key


def test_the_suite_has_34_tests() -> None:
    assert len(CASES) == 34 and len({c.name for c in CASES}) == 34


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_protocol(server: tuple[str, str], case: Case) -> None:
    base, key = server
    with httpx.Client(timeout=60, follow_redirects=False) as http:
        for graph, path in case.data:
            loaded = http.put(f"{base}/rdf-graphs/service", params={"graph": graph}, content=path.read_bytes(),
                              headers={"content-type": "application/n-triples", "X-API-Key": key})
            assert loaded.status_code in (200, 201, 204), loaded.text
        for number, step in enumerate(case.steps, 1):
            response = http.request(step.method, _route(step, base), content=step.body,
                                    headers={**step.headers, "X-API-Key": key})
            where = f"{case.name} ({case.title}), request {number}: {response.status_code} {response.text[:300]}"
            assert response.status_code // 100 in step.statuses, where
            assert response.status_code < 500, where
            if response.status_code >= 400:
                assert response.headers["content-type"].startswith("application/problem+json"), where
            media = response.headers.get("content-type", "").split(";")[0]
            if step.format in ("boolean", "tabular"):
                assert media in RESULTS, where
            elif step.format == "RDF":
                assert media in RDF_TYPES, where
            if step.boolean is not None:
                assert _boolean(response) is step.boolean, where
