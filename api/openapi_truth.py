"""Corrections that make the OpenAPI document say what the server does.

Why a pass over the generated document: FastAPI derives ``security`` from the key dependencies,
which always list the schemes, so every read looked as if it needed a key while anonymous
reading is allowed by default (``Settings.allow_anonymous_read``). OpenAPI spells "optional"
as an empty requirement (``{}``) beside the schemes; clients and fuzzers (schemathesis) then
call reads without a key, as the server allows.
"""

from __future__ import annotations

from typing import Any

from common.settings import Settings

# operations that always need a key (role editor or admin), whatever the anonymous setting
WRITES = frozenset({
    ("post", "/ingest"), ("put", "/rdf-graphs/service"), ("post", "/rdf-graphs/service"),
    ("delete", "/rdf-graphs/service"), ("post", "/sparql/update"),
    # members' records (api.routes.records): role member or higher
    *((method, path) for kind in ("offers", "requests") for method, path in (
        ("post", f"/{kind}"), ("patch", f"/{kind}/{{record_id}}"), ("delete", f"/{kind}/{{record_id}}"),
        ("post", f"/{kind}/{{record_id}}/renew"))),
})


def declare_optional_security(schema: dict[str, Any], settings: Settings) -> None:
    """Reads accept no key when the server allows anonymous reading: ``security: [{}, bearer, apiKey]``."""
    if not settings.allow_anonymous_read:
        return
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            security = operation.get("security")
            if security and (method, path) not in WRITES and {} not in security:
                operation["security"] = [{}, *security]
