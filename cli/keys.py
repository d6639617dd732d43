"""``innograph keys``: create, list and revoke API keys of a data folder.

The key file (``<data_dir>/keys.json``) is separate from the RDF store, so these commands
work while ``innograph serve`` runs on the same folder; the server picks changes up at once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.keys import KeyStore, Role
from common.errors import InnographError
from common.settings import Settings

keys_app = typer.Typer(help="API keys for the HTTP API (roles: reader < editor < admin).", no_args_is_help=True)
console = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data folder (default: $INNOGRAPH_DATA_DIR or ./var).", show_default=False),
]


def _keys(data_dir: Path | None) -> KeyStore:
    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    return KeyStore(settings.keys_file)


@keys_app.command("create")
def create(
    name: Annotated[str, typer.Option(help="Who or what uses the key (shown in lists and errors).")],
    role: Annotated[Role, typer.Option(help="reader: GET only; editor: + POST /ingest; admin: + base graphs.")],
    data_dir: DataDir = None,
) -> None:
    """Create a key and print it ONCE: only a salted hash is stored.

    Example: innograph keys create --name "ARoTT import job" --role editor
    """
    try:
        record, secret = _keys(data_dir).create(name, role)
    except InnographError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from None
    console.print(f"created key {record.id} ({record.name}, role {record.role}); it is shown only now:")
    typer.echo(secret)


@keys_app.command("list")
def list_keys(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Every key with id, name, role, creation and revocation time (never the secret)."""
    try:
        keys = _keys(data_dir).list()
    except InnographError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps([k.public() for k in keys], indent=2))
        return
    table = Table(title="API keys")
    for column in ("id", "name", "role", "created", "revoked"):
        table.add_column(column)
    for key in keys:
        table.add_row(key.id, key.name, key.role.value, key.created, key.revoked or "")
    Console().print(table)


@keys_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(metavar="ID", help="The key's id (8 characters, see `keys list`).")],
    data_dir: DataDir = None,
) -> None:
    """Revoke a key: refused from the next request on; it stays listed with its revocation time."""
    try:
        record = _keys(data_dir).revoke(key_id)
    except InnographError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from None
    console.print(f"revoked key {record.id} ({record.name}) at {record.revoked}")
