"""``innograph serve``: the HTTP API under uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from common.errors import InnographError
from common.settings import Settings


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Data folder (default: $INNOGRAPH_DATA_DIR or ./var).", show_default=False),
    ] = None,
) -> None:
    """Serve the HTTP API (OpenAPI documentation at /docs) over the store of the data folder.

    The server holds the store: stop it before `innograph ingest` on the same folder, or load
    data through POST /ingest (`stats`, `sparql`, `export`, `cypher` read it read-only meanwhile). Example: innograph serve --port 8000 --data-dir ./var
    """
    import logging

    import uvicorn

    from api.app import create_app

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    logging.getLogger("api.readiness").setLevel(logging.INFO)  # a line as each component is ready
    try:
        application = create_app(settings)
    except InnographError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    uvicorn.run(application, host=host, port=port, log_level="info")
