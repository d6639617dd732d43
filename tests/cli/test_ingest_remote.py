"""``innograph ingest`` with a remote SPARQL endpoint configured writes the source there too.

The endpoint is the Virtuoso the suite starts (fixtures ``endpoint`` and ``remote`` of tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from graph.sparql import RemoteStore
from graph.store import GraphStore
from ontology._keys import graph_iri
from tests.cli.test_cli import REPO
from tests.ingest.readers.test_tabular import ORGS, write


def _ingest(*args: str, data_dir: Path, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200",
           "INNOGRAPH_SPARQL_QUERY_URL": url, "INNOGRAPH_SPARQL_UPDATE_URL": url}
    return subprocess.run([sys.executable, "-m", "cli.main", "ingest", *args, "--data-dir", str(data_dir)],
                          check=False, capture_output=True, text=True, env=env, cwd=REPO, timeout=300)


def test_ingest_writes_the_endpoint_too(vocab_template: Path, tmp_path: Path, remote: RemoteStore) -> None:
    data = tmp_path / "data"
    shutil.copytree(vocab_template, data / "store")
    src = write(tmp_path / "src", "organisations.csv", ORGS).parent
    report_file = tmp_path / "report.json"
    result = _ingest(str(src), "--name", "demo", "--report", str(report_file), data_dir=data, url=remote.update_url)
    assert result.returncode == 0, result.stderr
    assert f"demo: endpoint {remote.update_url} +" in result.stderr
    (run,) = json.loads(report_file.read_text())
    assert run["remote"]["written"] and run["remote"]["quads_added"] == run["quads_added"] > 0
    assert remote.graph_quads(graph_iri("demo")) == GraphStore(data / "store").graph_quads(graph_iri("demo"))


def test_local_only_leaves_the_endpoint_alone(vocab_template: Path, tmp_path: Path, remote: RemoteStore) -> None:
    data = tmp_path / "data"
    shutil.copytree(vocab_template, data / "store")
    src = write(tmp_path / "src", "organisations.csv", ORGS).parent
    result = _ingest(str(src), "--name", "demo", "--local-only", data_dir=data, url=remote.update_url)
    assert result.returncode == 0, result.stderr
    assert graph_iri("demo") not in set(remote.named_graphs())


def test_a_dead_endpoint_exits_2_and_says_the_embedded_store_has_it(vocab_template: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(vocab_template, data / "store")
    src = write(tmp_path / "src", "organisations.csv", ORGS).parent
    result = _ingest(str(src), "--name", "demo", data_dir=data, url="http://127.0.0.1:9/sparql")
    assert result.returncode == 2
    assert "written to the embedded store, but the SPARQL endpoint http://127.0.0.1:9/sparql was not updated" in \
        " ".join(result.stderr.split())
    assert graph_iri("demo") in set(GraphStore(data / "store").named_graphs())
