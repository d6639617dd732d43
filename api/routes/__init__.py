"""The API's routers; ``api.app.create_app`` includes every one of ``ROUTERS``.

Each module is thin: parameters and response shapes here, the work in ``graph``.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.routes import (
    alerts,
    cypher,
    indicators,
    ingest,
    interest,
    match,
    me,
    network,
    organisation_edit,
    organisations,
    records,
    regions,
    search,
    sparql,
    system,
    ui,
    vocabularies,
)

ROUTERS: list[APIRouter] = [
    system.router,
    match.router,
    search.router,
    organisations.router,
    records.router,
    regions.router,
    indicators.router,
    vocabularies.router,
    ingest.router,
    network.router,
    cypher.router,
    sparql.router,
    ui.router,
    alerts.router,
    interest.router,
    organisation_edit.router,
    me.router,
]
