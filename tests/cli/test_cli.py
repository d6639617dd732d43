"""The command line as a user runs it: a real process, real exit codes, real files."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from common.settings import Settings
from graph.cypher import ensure_projection, is_fresh
from graph.store import GraphStore
from tests.ingest.readers.test_tabular import ORGS, write

REPO = Path(__file__).resolve().parents[2]


def innograph(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args, "--data-dir", str(data_dir)],
        check=False, capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
    )


def test_ingest_reports_rejections_and_exits_1(vocab_template: Path, tmp_path: Path) -> None:
    shutil.copytree(vocab_template, tmp_path / "data" / "store")
    src = write(tmp_path / "src", "organisations.csv", ORGS + "x,X SRL,,sme,RO,RO99,true,\n")
    report_file = tmp_path / "report.json"
    result = innograph("ingest", str(src.parent), "--report", str(report_file), data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "organisations.csv:4 [nuts]" in result.stderr
    (run,) = json.loads(report_file.read_text())
    assert run["records_written"] == 2 and run["rejections"][0]["field"] == "nuts"


def test_stats_sparql_and_export(vocab_template: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(vocab_template, data / "store")
    src = write(tmp_path / "src", "organisations.csv", ORGS)
    assert innograph("ingest", str(src.parent), "--name", "demo", data_dir=data).returncode == 0
    stats = json.loads(innograph("stats", "--json", data_dir=data).stdout)
    demo = next(s for s in stats["sources"] if s["graph"].endswith("/demo"))
    assert demo["records_written"] == 2 and demo["kind"] == "tabular"
    csv_out = innograph(
        "sparql", "SELECT ?l WHERE { ?o ig:kind igv:org-kind\\/patent-office ; skos:prefLabel ?l }",
        "--format", "csv", data_dir=data,
    )
    assert csv_out.returncode == 0, csv_out.stderr
    assert csv_out.stdout.splitlines() == ["l", "Oficiul de Stat pentru Invenții și Mărci"]
    bad = innograph("sparql", "SELECT WHERE", data_dir=data)
    assert bad.returncode == 2 and "error" in bad.stderr
    exported = innograph("export", "--format", "nt", "--graph", demo["graph"], data_dir=data)
    assert exported.returncode == 0
    assert len(exported.stdout.strip().splitlines()) == demo["quads"]


def test_ingest_follows_its_write_by_refreshing_a_projection_someone_built(vocab_template: Path,
                                                                           tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(vocab_template, data / "store")
    src = write(tmp_path / "src", "organisations.csv", ORGS).parent
    assert innograph("ingest", str(src), "--name", "demo", data_dir=data).returncode == 0
    settings = Settings(data_dir=data)
    store = GraphStore(settings.store_dir)
    assert ensure_projection(store, settings, "embedded")  # someone asked Cypher: a projection exists
    del store
    gc.collect()
    result = innograph("ingest", str(src), "--name", "demo-again", data_dir=data)
    assert result.returncode == 0, result.stderr
    store = GraphStore(settings.store_dir)
    assert is_fresh(store, settings, "embedded")  # the after-write step rebuilt it (graph.writes)


def test_help_teaches_with_examples() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    result = subprocess.run([sys.executable, "-m", "cli.main", "ingest", "--help"], check=False, capture_output=True,
                            text=True, env=env, cwd=REPO)
    assert result.returncode == 0
    assert "innograph ingest --bundled" in result.stdout and "--strict" in result.stdout
