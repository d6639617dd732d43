"""The application the network and UI tests run: ``create_app`` plus the routers of issue 6.

Why not ``create_app`` alone: until ``api/routes/__init__.py`` registers ``network.router``
and ``ui.router`` these tests must still exercise them; once registered, nothing is added twice.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.app import create_app
from api.routes import network, ui
from common.settings import Settings


def app_with_ui(settings: Settings | None = None) -> FastAPI:
    """``create_app(settings)`` with /network/... and the web UI routes included."""
    app = create_app(settings)
    paths = {getattr(route, "path", None) for route in app.routes}
    if "/network" not in paths:
        app.include_router(network.router)
    if "/ui/{name:path}" not in paths:
        app.include_router(ui.router)
    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory``: settings from ``INNOGRAPH_*`` variables (the browser tests)."""
    return app_with_ui(Settings())
