"""api.security: security headers on every response, CORS only for read routes and only when
configured, the request cap's setting."""

from __future__ import annotations

import pytest

from api.keys import Role
from api.security import CSP

ORIGIN = "https://yasgui.example.org"


@pytest.mark.parametrize("path", ["/", "/sparql", "/health", "/search?q=grain", "/no-such-page", "/ui/index.html"])
def test_every_response_carries_the_security_headers(reader, path):
    response = reader.get(path, headers={"accept": "text/html"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["x-frame-options"] == "DENY"
    csp = response.headers["content-security-policy"]
    assert csp == CSP and "frame-ancestors 'none'" in csp and "script-src 'self';" in csp


def test_the_api_docs_page_may_load_its_cdn_scripts(reader):
    csp = reader.get("/docs").headers["content-security-policy"]
    assert "https://cdn.jsdelivr.net" in csp and "frame-ancestors 'none'" in csp


def test_cors_is_off_by_default(reader):
    response = reader.get("/sparql", params={"query": "ASK {}"}, headers={"origin": ORIGIN})
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers
    preflight = reader.options("/sparql", headers={"origin": ORIGIN, "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_for_configured_origins_and_read_routes_only(make_client, keys):
    client = make_client(cors_origins=[ORIGIN])
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "X-Innograph-Truncated" in response.headers["access-control-expose-headers"]
    assert "Origin" in response.headers["vary"]
    preflight = client.options("/sparql", headers={"origin": ORIGIN, "access-control-request-method": "POST",
                                                   "access-control-request-headers": "content-type"})
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in preflight.headers["access-control-allow-methods"]
    posted = client.post("/sparql", data={"query": "ASK {}"}, headers={"origin": ORIGIN})
    assert posted.headers["access-control-allow-origin"] == ORIGIN
    # another origin gets nothing; writes get nothing from any origin
    other = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    for path in ("/sparql/update", "/ingest"):
        refused = client.options(path, headers={"origin": ORIGIN, "access-control-request-method": "POST"})
        assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers
    write = client.post("/sparql/update", data={"update": "CLEAR SILENT GRAPH <http://example.org/g>"},
                        headers={"origin": ORIGIN, "X-API-Key": keys(Role.editor)})
    assert "access-control-allow-origin" not in write.headers


def test_cors_for_any_origin(make_client):
    client = make_client(cors_origins=["*"])
    response = client.get("/vocabularies", headers={"origin": "https://notebook.example.net"})
    assert response.headers["access-control-allow-origin"] == "https://notebook.example.net"


def test_the_document_states_what_the_request_guard_refuses(reader):
    """Every operation lists the guard's 400, and its text parameters the characters it refuses."""
    import re

    from api.security import NO_CONTROL, NO_CONTROL_BUT_LINES

    schema = reader.get("/openapi.json").json()
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    assert operations and all("400" in op["responses"] for op in operations)
    search = schema["paths"]["/search"]["get"]["parameters"]
    q = next(p for p in search if p["name"] == "q")["schema"]
    assert NO_CONTROL in [q.get("pattern"), *[b.get("pattern") for b in q.get("anyOf", [])]]
    sparql = schema["paths"]["/sparql"]["get"]["parameters"]
    query = next(p for p in sparql if p["name"] == "query")["schema"]
    patterns = [query.get("pattern"), *[b.get("pattern") for b in query.get("anyOf", [])]]
    assert NO_CONTROL_BUT_LINES in patterns
    assert re.fullmatch(NO_CONTROL_BUT_LINES, "SELECT *\nWHERE {}") and not re.fullmatch(NO_CONTROL, "a\x00b")
    assert reader.get("/search", params={"q": "a\x1fb"}).status_code == 400
