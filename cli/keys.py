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

from api.keys import KeyStore, Role, check_binding_form
from common.errors import InnographError
from common.settings import Settings
from graph.records import check_binding
from graph.store import GraphStore

keys_app = typer.Typer(help="API keys for the HTTP API (roles: reader < member < editor < admin).",
                       no_args_is_help=True)
console = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data folder (default: $INNOGRAPH_DATA_DIR or ./var).", show_default=False),
]


def _settings(data_dir: Path | None) -> Settings:
    return Settings(data_dir=data_dir) if data_dir else Settings()


def _keys(data_dir: Path | None) -> KeyStore:
    return KeyStore(_settings(data_dir).keys_file)


def _check_against_store(data_dir: Path | None, organisation: str | None, region: str | None) -> None:
    """Refuse an organisation or region the store does not know; skipped (said so) when there is no store.

    The store is opened read-only (no lock taken, nothing written), so this works beside ``innograph serve``.
    """
    if organisation is None and region is None:
        return
    store_dir = _settings(data_dir).store_dir
    if not store_dir.is_dir():
        console.print(f"[yellow]note:[/] no store at {store_dir}: the organisation and region were checked "
                      "for form only")
        return
    check_binding(GraphStore.read_only(store_dir), organisation, region)


@keys_app.command("create")
def create(
    name: Annotated[str, typer.Option(help="Who or what uses the key (shown in lists and errors).")],
    role: Annotated[Role, typer.Option(help="reader: GET only; member: + its organisation's own records; "
                                            "editor: + POST /ingest, any organisation; admin: + base graphs.")],
    organisation: Annotated[str | None, typer.Option(
        help="The organisation the key acts for, its id as in /organisations/{id} (osim, pic/999918293); "
             "required for --role member.")] = None,
    region: Annotated[str | None, typer.Option(
        help="A NUTS code (RO21): the key is a broker of that region and sees its organisations' inbox.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Create a key and print it ONCE: only a salted hash is stored.

    Examples: innograph keys create --name "ARoTT import job" --role editor;
    innograph keys create --name "OSIM staff" --role member --organisation osim
    """
    try:
        organisation, region = check_binding_form(role, organisation, region)
        _check_against_store(data_dir, organisation, region)
        record, secret = _keys(data_dir).create(name, role, organisation=organisation, region=region)
    except InnographError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from None
    bound = "".join(f", {field} {value}" for field, value in record.binding().items())
    console.print(f"created key {record.id} ({record.name}, role {record.role}{bound}); it is shown only now:")
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
    for column in ("id", "name", "role", "organisation", "region", "created", "revoked"):
        table.add_column(column)
    for key in keys:
        table.add_row(key.id, key.name, key.role.value, key.organisation or "", key.region or "", key.created,
                      key.revoked or "")
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
