"""The ``innograph`` command line.

Every command is a thin shell over a function of ``graph`` (the API calls the same ones),
so what the CLI prints and what the API returns cannot drift apart. Exit codes: 0 success,
1 some records were rejected, 2 the command could not run (bad arguments, unreadable
source, locked store, query error).
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.cypher import cypher, project
from cli.keys import keys_app
from cli.serve import serve
from common.errors import InnographError
from common.settings import Settings
from graph.sparql import run_query
from graph.store import EXPORT_FORMATS, GraphStore, export, open_for_reading, store_stats
from ingest.bundled import bundled_sources, missing_base
from ingest.loading import ingest_path
from ingest.report import IngestReport
from ingest.targets import RemoteOutcome, mirror, remote_target, took

app = typer.Typer(
    help=(
        "innograph: knowledge graph and semantic matching of technology supply and demand.\n\n"
        "Start with `innograph ingest --bundled` to load the ontology, vocabularies, CORDIS data and the "
        "'Union of innovation' partnership, then `innograph serve` (API + web UI on 127.0.0.1:8000) "
        "or `innograph match 'a need in your own words'`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 120)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data folder (default: $INNOGRAPH_DATA_DIR or ./var).", show_default=False),
]


def _settings(data_dir: Path | None) -> Settings:
    return Settings(data_dir=data_dir) if data_dir else Settings()


def _store(data_dir: Path | None) -> GraphStore:
    return GraphStore(_settings(data_dir).store_dir)


def _reader(store_dir: Path) -> GraphStore:
    """The store for a read command: read-only beside a running server instead of "in use"."""
    store, shared = open_for_reading(store_dir)
    if shared:
        console.print("[dim]the store is held by another process (a server?): reading it read-only, "
                      "as of now[/]")
    return store


def _fail(exc: InnographError) -> None:
    console.print(f"[bold red]error:[/] {escape(str(exc))}")
    raise typer.Exit(2)


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders, one source each.")] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Load everything shipped in ./data and ontology/.")] = False,
    strict: Annotated[bool, typer.Option(help="Write nothing if any record is rejected.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Read and validate only; write nothing.")] = False,
    force: Annotated[bool, typer.Option(help="Re-read sources whose bytes did not change.")] = False,
    name: Annotated[str | None, typer.Option(help="Named-graph name (one PATH only).")] = None,
    kind: Annotated[str | None, typer.Option(help="Force a reader: tabular, rdf, cordis-h2020, cordis-composite.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write a JSON report of every run and rejection here.")] = None,
    local_only: Annotated[bool, typer.Option(
        "--local-only", help="Write only the embedded store, even when INNOGRAPH_SPARQL_UPDATE_URL is set.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Load sources into their named graphs: validate, map to the ontology, check the shapes, write.

    A source replaces the previous version of the same source. Rejected records are listed with
    file, line, field and reason; valid records still land unless --strict. With a remote SPARQL
    endpoint configured (INNOGRAPH_SPARQL_QUERY_URL / _UPDATE_URL, what /sparql then reads), each
    source written to the embedded store is written there too; if the endpoint fails, the command
    says so and exits 2, and running it again repairs the endpoint. Examples:

      innograph ingest --bundled

      innograph ingest data/illustrative --dry-run

      innograph ingest my-offers.csv --name my-offers --report report.json
    """
    sources: list[tuple[Path, str | None]] = [(p, name) for p in paths or []]
    if bundled:
        sources = [*bundled_sources(), *sources]
    if not sources:
        console.print("nothing to ingest: give PATH... or --bundled (see --help)")
        raise typer.Exit(2)
    if name and len(sources) > 1:
        console.print("--name needs exactly one PATH")
        raise typer.Exit(2)
    try:
        store = _store(data_dir)
    except InnographError as exc:
        _fail(exc)
    base = missing_base(store) if not bundled else []
    if base:
        console.print("the store has no vocabularies yet: loading the bundled ontology and vocabularies first")
    reports: list[IngestReport] = []
    remote = None if local_only else remote_target(_settings(data_dir))
    mirrored: dict[str, RemoteOutcome] = {}
    failed = False
    for path, graph_name in [*base, *sources]:
        is_base = (path, graph_name) in base  # infrastructure: written even in a dry run
        try:
            result = _ingest_one(store, path, graph_name, None if is_base else kind, strict,
                                 dry_run and not is_base, force)
        except InnographError as exc:
            console.print(f"[bold red]{escape(str(path))}:[/] {escape(str(exc))}")
            failed = True
            continue
        reports.append(result)
        if remote is not None and took(result):
            outcome = mirror(remote, path, name=graph_name, kind=None if is_base else kind, force=force)
            mirrored[result.graph] = outcome
            failed = _print_remote(result, outcome) or failed
    if remote is not None:
        remote.close()
    _print_reports(reports)
    if any(r.quads_added or r.quads_removed for r in reports):
        from graph.writes import AfterWrite, Write

        # the one after-write step (graph.writes), here in this process before it exits: per-generation
        # caches and the Cypher projections someone already built; saved needs catch up at the server's next
        # write (their fingerprint diff finds every profile changed since)
        after = AfterWrite(store, settings=_settings(data_dir), projection=True, background=False)
        after(Write("innograph ingest", bulk=True))
    if report:
        report.write_text(json.dumps([r.as_dict() | ({"remote": mirrored[r.graph].as_dict()} if r.graph in mirrored
                                                    else {}) for r in reports], indent=2, ensure_ascii=False))
    if failed:
        raise typer.Exit(2)
    if any(r.rejections for r in reports):
        raise typer.Exit(1)


def _ingest_one(
    store: GraphStore, path: Path, graph_name: str | None, kind: str | None, strict: bool, dry_run: bool, force: bool
) -> IngestReport:
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(f"reading {path}", total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        result = ingest_path(
            store, path, name=graph_name, kind=kind, strict=strict, dry_run=dry_run, force=force, progress=progress
        )
    for rejection in result.rejections[:50]:
        field = f" [{rejection.field}]" if rejection.field else ""
        console.print(f"[yellow]rejected[/] {escape(f'{rejection.location}{field}: {rejection.reason}')}")
    if len(result.rejections) > 50:
        console.print(f"... and {len(result.rejections) - 50} more (use --report FILE for all)")
    return result


def _print_remote(local: IngestReport, outcome: RemoteOutcome) -> bool:
    """Say what the remote endpoint took of a source; True when it failed."""
    name = local.graph.rsplit("/", 1)[-1]
    if outcome.error:
        console.print(f"[bold red]{escape(name)}:[/] written to the embedded store, but the SPARQL endpoint "
                      f"{escape(outcome.endpoint)} was not updated: {escape(outcome.error)} "
                      "(run the same command again to repair it)")
        return True
    what = "unchanged, skipped" if outcome.skipped_unchanged else f"+{outcome.quads_added} -{outcome.quads_removed}"
    console.print(f"{escape(name)}: endpoint {escape(outcome.endpoint)} {what} ({outcome.seconds:.1f} s)")
    return False


def _print_reports(reports: list[IngestReport]) -> None:
    table = Table(title="ingest summary")
    numeric = {"read", "written", "rejected", "quads", "+", "-", "s"}
    for column in ("graph", "kind", "read", "written", "rejected", "quads", "+", "-", "s", "note"):
        table.add_column(column, justify="right" if column in numeric else "left")
    for r in reports:
        note = "unchanged, skipped" if r.skipped_unchanged else ("dry run" if r.dry_run else "")
        if r.kept_previous:
            note = "incomplete source: previous version kept"
        table.add_row(
            r.graph.rsplit("/", 1)[-1], r.kind, str(r.records_read), str(r.records_written),
            str(r.records_rejected), str(r.quads_in_graph), str(r.quads_added), str(r.quads_removed),
            f"{r.seconds:.1f}", note,
        )
    out.print(table)


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Triples, entities per class, and every source with its last run."""
    try:
        result = store_stats(_reader(_settings(data_dir).store_dir))
    except InnographError as exc:
        _fail(exc)
    if as_json:
        out.print_json(json.dumps(result.as_dict()))
        return
    out.print(f"quads in store: {result.quads:,}")
    classes = Table(title="entities per class")
    classes.add_column("class")
    classes.add_column("entities", justify="right")
    for cls, n in result.classes[:25]:
        classes.add_row(cls, f"{n:,}")
    out.print(classes)
    sources = Table(title="sources")
    for column in ("graph", "kind", "last run", "read", "written", "rejected", "quads"):
        sources.add_column(column)
    for s in result.sources:
        sources.add_row(
            s["graph"].rsplit("/", 1)[-1], s["kind"], s["last_run"][:19], str(s["records_read"]),
            str(s["records_written"]), str(s["records_rejected"]), f"{s['quads']:,}",
        )
    out.print(sources)


@app.command()
def sparql(
    query: Annotated[str, typer.Argument(help="SPARQL query text, @file.rq, or - for stdin.")],
    fmt: Annotated[str, typer.Option("--format", help="table, json (SPARQL 1.1 JSON results) or csv.")] = "table",
    timeout: Annotated[float | None, typer.Option(help="Seconds before the query is stopped.")] = None,
    limit: Annotated[int | None, typer.Option(help="Most rows returned (a cut is reported).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Run a read-only SPARQL query over all graphs (prefixes ig:, org:, skos:, nuts: ... predeclared).

    Example: innograph sparql 'SELECT ?kind (COUNT(*) AS ?n) { ?o ig:kind ?kind } GROUP BY ?kind'
    """
    if query == "-":
        query = sys.stdin.read()
    elif query.startswith("@"):
        query = Path(query[1:]).read_text(encoding="utf-8")
    settings = _settings(data_dir)
    try:
        result = run_query(
            _reader(settings.store_dir), query,
            timeout_s=timeout or settings.query_timeout_s, row_cap=limit or settings.query_row_cap,
        )
    except InnographError as exc:
        _fail(exc)
    if result.kind == "ask":
        out.print("true" if result.boolean else "false")
    elif result.kind == "graph":
        sys.stdout.write("\n".join(result.triples) + "\n")
    elif fmt == "json":
        bindings = [
            {c: v for c, v in zip(result.columns, row, strict=True) if v is not None} for row in result.rows
        ]
        sys.stdout.write(json.dumps({"head": {"vars": result.columns}, "results": {"bindings": bindings}}) + "\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        writer.writerows([[v["value"] if v else "" for v in row] for row in result.rows])
    else:
        table = Table()
        for column in result.columns:
            table.add_column(column)
        for row in result.rows:
            table.add_row(*[v["value"] if v else "" for v in row])
        out.print(table)
    if result.truncated:
        console.print(f"[yellow]result cut at {len(result.rows) or len(result.triples)} rows (--limit)[/]")


@app.command(name="export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(EXPORT_FORMATS)}.")] = "turtle",
    graph: Annotated[str | None, typer.Option(help="Full IRI of one named graph (see `innograph stats`).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Export the store as RDF: one graph, the union (triple formats) or every graph (nq, trig)."""
    if fmt not in EXPORT_FORMATS:
        console.print(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        raise typer.Exit(2)
    try:
        store = _reader(_settings(data_dir).store_dir)
        if output:
            with output.open("wb") as handle:
                export(store, handle, fmt, graph)
        else:
            export(store, sys.stdout.buffer, fmt, graph)
    except InnographError as exc:
        _fail(exc)


@app.command()
def index(
    direction: Annotated[str, typer.Option(help="supply, demand or both.")] = "both",
    data_dir: DataDir = None,
) -> None:
    """Build (or check) the matching indexes: profiles, passage embeddings (cached on disk), BM25.

    Runs by itself before the first match after an ingest; run it after `ingest` to pay the
    embedding time up front. Only passages never seen before are embedded.
    """
    from graph.matching import Matcher

    settings = _settings(data_dir)
    try:
        matcher = Matcher(GraphStore(settings.store_dir), settings)
        for name in (["supply", "demand"] if direction == "both" else [direction]):
            built = matcher.index(name)  # type: ignore[arg-type]
            out.print(f"{name}: {len(built.profiles):,} profiles, {len(built.owners):,} passages")
    except InnographError as exc:
        _fail(exc)


@app.command()
def match(
    text: Annotated[str, typer.Argument(help="The need (or, with --demand, the offer) in your own words.")],
    demand: Annotated[bool, typer.Option("--demand", help="Find SMEs and requests for an offer.")] = False,
    region: Annotated[list[str] | None, typer.Option(help="NUTS code filter (repeatable), any level.")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="Organisation kind filter (repeatable).")] = None,
    near: Annotated[str | None, typer.Option(help="Your NUTS region: closer results rank higher.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Full results with explanations.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Rank research units, organisations and offers for a need (or SMEs and requests for an offer).

    Example: innograph match "we need a cheaper way to dry grain without gas" --near RO21
    """
    from graph.matching import MatchContext, Matcher, MatchFilters

    settings = _settings(data_dir)
    try:
        matcher = Matcher(GraphStore(settings.store_dir), settings)
        page = matcher.match(
            text, "demand" if demand else "supply", limit=limit,
            filters=MatchFilters(regions=region or [], kinds=kind or []), context=MatchContext(region=near),
        )
    except InnographError as exc:
        _fail(exc)
    if as_json:
        out.print_json(json.dumps({"data": page.data, "count": page.count}, ensure_ascii=False))
        return
    table = Table(title=f"{page.count} candidates")
    for column in ("#", "name", "kind", "score", "why"):
        table.add_column(column)
    for rank, item in enumerate(page.data, start=1):
        why = ", ".join(item["explanation"]["matched_terms"][:6]) or (item["explanation"]["passage"] or "")[:60]
        table.add_row(str(rank), item["name"], item["kind"], f"{item['score']:.3f}", why)
    out.print(table)


@app.command()
def formats() -> None:
    """Print the column reference of the tabular format (the README's table comes from here)."""
    from ingest.readers import TABLES

    for table in TABLES.values():
        typer.echo(f"\n### {table.name}\n\n{table.doc}\n")
        typer.echo("| column | required | meaning | example |\n|---|---|---|---|")
        for column in table.columns:
            required = "yes" if column.required else ""
            doc = column.doc.replace("|", "\\|")
            example = column.example.replace("|", "\\|")
            typer.echo(f"| `{column.name}` | {required} | {doc} | {example} |")


app.add_typer(keys_app, name="keys")
app.command()(serve)
app.command()(cypher)
app.command()(project)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
