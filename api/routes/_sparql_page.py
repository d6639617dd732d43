"""The query page at ``/sparql`` for people (``Accept: text/html``), and its assets.

Why YASGUI from npm, served by us: analysts know it (query editor with completion, result
tables, charts, downloads), it speaks the SPARQL 1.1 Protocol to ``/sparql`` unchanged, and
serving it from the API works offline and behind a firewall (no CDN). The set-up installs it
(``npm ci --prefix web``) into ``web/node_modules``, never into the repository. The example
queries are the analyst query set (``graph/sparql/queries``), one tab each on demand.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse

from api.schemas.sparql import Example
from common.settings import Settings
from graph.sparql import analyst_queries

WEB = Path(__file__).resolve().parents[2] / "web"
YASGUI_BUILD = WEB / "node_modules" / "@zazuko" / "yasgui" / "build"
PAGE_DIR = WEB / "sparql"
_ASSETS = {"yasgui.min.js": YASGUI_BUILD, "yasgui.min.css": YASGUI_BUILD, "sparql.js": PAGE_DIR,
           "sparql.css": PAGE_DIR}

ui_router = APIRouter(tags=["sparql"], include_in_schema=False)


def page_html(request: Request, settings: Settings) -> str:
    """The page; says how to install YASGUI when the set-up has not."""
    template = (PAGE_DIR / "index.html").read_text(encoding="utf-8")
    missing = "" if (YASGUI_BUILD / "yasgui.min.js").exists() else (
        "<p class='missing'>The query editor is not installed on this server: run "
        "<code>npm ci --prefix web</code> in the innograph folder (the set-up does).</p>")
    config = {"endpoint": str(request.url_for("sparql_query")), "timeout": settings.query_timeout_s,
              "rowCap": settings.query_row_cap, "anonymous": settings.allow_anonymous_read}
    return (template.replace("{{missing}}", missing)
            .replace("{{config}}", html.escape(json.dumps(config), quote=True)))


@ui_router.get("/sparql-ui/examples.json")
def examples() -> list[Example]:
    return [Example(name=q.name, question=q.question, query=q.text) for q in analyst_queries()]


@ui_router.get("/sparql-ui/{name}")
def asset(name: str) -> FileResponse:
    folder = _ASSETS.get(name)
    if folder is None or not (folder / name).is_file():
        raise HTTPException(404, f"no asset {name}" + ("" if folder is None else
                                                       ": run `npm ci --prefix web` (the set-up does)"))
    media = "text/css" if name.endswith(".css") else "text/javascript"
    return FileResponse(folder / name, media_type=media, headers={"Cache-Control": "public, max-age=3600"})
