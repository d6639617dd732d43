"""The broker workspace: the static web UI at ``/`` and its files under ``/ui/``.

Why served by the API itself: a broker opens one address and everything (the page, its
scripts, the map's polygons, the data) comes from the same origin, with no CDN and no
internet. There is no build step: ``ui/`` holds plain ES modules and CSS; the one library
(cytoscape.js) is installed from npm into ``ui/node_modules`` by the set-up
(``npm ci --prefix ui``) and served from there as ``/ui/vendor/cytoscape.min.js``; the NUTS
polygons come from ``data/vocab/nuts2021_ro`` (GISCO, attribution shown under the map).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from common.errors import NotFoundError

REPO = FilePath(__file__).resolve().parents[2]
UI_DIR = REPO / "ui"
#: Files served from outside ui/ (or from its node_modules), by their public name under /ui/.
MAPPED = {
    "vendor/cytoscape.min.js": UI_DIR / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js",
    "vendor/chart.umd.js": UI_DIR / "node_modules" / "chart.js" / "dist" / "chart.umd.js",
    "data/nuts-ro.geojson": REPO / "data" / "vocab" / "nuts2021_ro" / "nuts2021_ro_polygons_60M_4326.geojson",
}
SERVED_SUFFIXES = {".html", ".js", ".mjs", ".css", ".svg", ".png", ".json", ".geojson", ".ico", ".txt"}
HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}

router = APIRouter(include_in_schema=False)


def _file(path: FilePath, name: str) -> FileResponse:
    media = "application/geo+json" if name.endswith(".geojson") else mimetypes.guess_type(name)[0]
    if name.endswith((".js", ".mjs")):
        media = "text/javascript"
    return FileResponse(path, media_type=media or "application/octet-stream", headers=HEADERS)


@router.get("/")
def index() -> FileResponse:
    """The single page; the views are hash routes (#/match, #/org/..., #/network, #/map)."""
    return _file(UI_DIR / "index.html", "index.html")


@router.get("/ui/{name:path}")
def asset(name: Annotated[str, Path(max_length=200)]) -> FileResponse:
    """A file of ui/ (never node_modules or anything outside it), or one of ``MAPPED``."""
    mapped = MAPPED.get(name)
    if mapped is not None:
        if not mapped.is_file():
            hint = " (run `npm ci --prefix ui`)" if "node_modules" in mapped.parts else ""
            raise NotFoundError(f"/ui/{name} is not installed{hint}")
        return _file(mapped, name)
    try:
        target = (UI_DIR / name).resolve()
        inside = target.is_relative_to(UI_DIR) and "node_modules" not in target.relative_to(UI_DIR).parts
        servable = inside and target.suffix in SERVED_SUFFIXES and target.is_file()
    except (OSError, ValueError):  # a NUL byte, a name too long for the file system ...
        servable = False
    if not servable:
        raise NotFoundError(f"no file /ui/{name}")
    return _file(target, name)
