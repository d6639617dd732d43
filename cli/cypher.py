"""``innograph cypher`` and ``innograph project``: Cypher from the shell, and the projection it reads.

Why the local user may write (``--write``): whoever runs the CLI owns the data folder; the
read-only default still protects against a pasted query that would edit the projection.
A query file of the analyst suite brings its default parameters and, on the embedded
engine, its embedded variant (``@graph/cypher/queries/05_shortest_chains_between_organisations.cypher``).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from common.errors import InnographError, StoreLockedError
from common.settings import Settings
from graph.cypher import (
    ENGINES,
    CypherResult,
    ensure_projection,
    is_fresh,
    mapping_table,
    open_engine,
    parse_suite_query,
    rebuild_projection,
    run_cypher,
)
from graph.store import GraphStore

console = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 160)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data folder (default: $INNOGRAPH_DATA_DIR or ./var).", show_default=False),
]


def _settings(data_dir: Path | None) -> Settings:
    return Settings(data_dir=data_dir) if data_dir else Settings()


def _fail(exc: InnographError | str) -> None:
    console.print(f"[bold red]error:[/] {escape(str(exc))}")
    raise typer.Exit(2)


def _parameters(items: list[str]) -> dict[str, Any]:
    """NAME=VALUE pairs; VALUE is read as JSON when it parses (3, true, ["RO","BG"]), else as text."""
    values: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name:
            _fail(f"--param {item!r}: write NAME=VALUE")
        try:
            values[name] = json.loads(raw)
        except json.JSONDecodeError:
            values[name] = raw
    return values


def _fresh(settings: Settings, engine: str) -> None:
    """Rebuild the projection if an ingest changed the store; keep the old one if a server holds the store."""
    try:
        store = GraphStore(settings.store_dir)
    except StoreLockedError:  # the server rebuilds it before its next /cypher query; say whether it is behind
        if is_fresh(GraphStore.read_only(settings.store_dir), settings, engine):
            console.print("[dim]the store is held by another process (a server?): the projection is up to date[/]")
        else:
            console.print("[yellow]the store is held by another process (a server?) and has changed since the "
                          "projection was built: querying the projection as last built[/]")
        return
    ensure_projection(store, settings, engine)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _print(result: CypherResult, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        writer.writerows([[_cell(v) for v in row] for row in result.rows])
    else:
        table = Table()
        for column in result.columns:
            table.add_column(column)
        for row in result.rows:
            table.add_row(*[escape(_cell(v)) for v in row])
        out.print(table)


def cypher(
    query: Annotated[str, typer.Argument(help="Cypher text, @file.cypher, or - for stdin.")],
    engine: Annotated[str | None, typer.Option(help="embedded or neo4j (default: $INNOGRAPH_CYPHER_ENGINE).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE (repeatable; JSON values).")] = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds before the query is stopped.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Most rows returned (a cut is reported).")] = None,
    write: Annotated[bool, typer.Option("--write", help="Allow write clauses (they change the projection "
                                                      "until its next rebuild).")] = False,
    data_dir: DataDir = None,
) -> None:
    """Run a Cypher query over the property-graph projection (read-only unless --write).

    Examples:

      innograph cypher "MATCH (o:Organisation {country: 'RO'}) RETURN o.kind, count(*) AS n ORDER BY n DESC"

      innograph cypher @graph/cypher/queries/10_top_coordinators_in_country.cypher -p country=BG --engine neo4j
    """
    settings = _settings(data_dir)
    name = engine or settings.cypher_engine
    if name not in ENGINES:
        _fail(f"--engine {name!r}: choose one of {', '.join(ENGINES)}")
    if fmt not in ("table", "json", "csv"):
        _fail(f"--format {fmt!r}: choose table, json or csv")
    parameters: dict[str, Any] = {}
    if query == "-":
        query = sys.stdin.read()
    elif query.startswith("@"):
        path = Path(query[1:])
        try:
            if path.suffix == ".cypher":  # a suite file: its embedded variant and default parameters
                suite_query = parse_suite_query(path)
                query, parameters = suite_query.text(name), dict(suite_query.parameters)
            else:
                query = path.read_text(encoding="utf-8")
        except (OSError, ValueError) as exc:
            _fail(f"cannot read {path}: {exc}")
    parameters.update(_parameters(param or []))
    try:
        _fresh(settings, name)
        runner = open_engine(settings, name)
        try:
            result = run_cypher(runner, query, parameters, admin=write, timeout_s=timeout or settings.cypher_timeout_s,
                                row_cap=limit or settings.cypher_row_cap)
        finally:
            runner.close()
    except InnographError as exc:
        _fail(exc)
    _print(result, fmt)
    if result.truncated:
        total = f" of {result.total_rows:,}" if result.total_rows is not None else ""
        console.print(f"[yellow]result cut at {len(result.rows):,} rows{total} (--limit)[/]")


def project(
    engine: Annotated[str, typer.Option(help="embedded, neo4j, or all configured engines.")] = "all",
    mapping: Annotated[bool, typer.Option("--mapping", help="Print the ontology -> property graph mapping "
                                                          "(Markdown) and exit.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Rebuild the property-graph projection Cypher reads, from the RDF store.

    Runs by itself before a query after an ingest; run it to pay the time up front or to
    load Neo4j ($INNOGRAPH_NEO4J_URI). Example: innograph project --engine neo4j
    """
    if mapping:
        typer.echo(mapping_table())
        return
    settings = _settings(data_dir)
    if engine not in (*ENGINES, "all"):
        _fail(f"--engine {engine!r}: choose embedded, neo4j or all")
    try:
        report = rebuild_projection(GraphStore(settings.store_dir), settings, None if engine == "all" else [engine])
    except InnographError as exc:
        _fail(exc)
    table = Table(title=f"projection (read in {report.extract_seconds:.1f} s)")
    table.add_column("label or type")
    table.add_column("count", justify="right")
    for key, count in report.counts.items():
        table.add_row(key, f"{count:,}")
    out.print(table)
    for name, seconds in report.load_seconds.items():
        out.print(f"{name}: loaded in {seconds:.1f} s")
