"""The disk filling up during an ingest leaves the store as it was, and says so.

The data folder is a small tmpfs (``mount -t tmpfs -o size=...``, which needs root: elsewhere
the test is skipped with that reason). A first source fits; a much larger one cannot. The
ingest must fail with a message naming the lack of space, and once space is back (the tmpfs
grown, as an operator would free some) the store opens with the same sources, the same quads,
and no half-written graph of the failed source.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli import innograph
from tests.ingest.readers.test_tabular import ORGS, write

ROWS = 60_000


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of a few megabytes more than the store needs, unmounted at the end."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)],
                          check=False, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False, capture_output=True)


def _stats(data: Path) -> dict[str, Any]:
    result = innograph("stats", "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    return {"quads": stats["quads"],
            "sources": sorted((s["graph"], s["quads"], s["records_written"]) for s in stats["sources"])}


def test_a_full_disk_during_an_ingest_leaves_the_store_as_it_was(
        small_disk: Path, vocab_template: Path, tmp_path: Path) -> None:
    data = small_disk / "data"
    shutil.copytree(vocab_template, data / "store", ignore=shutil.ignore_patterns("LOCK"))
    src = write(tmp_path / "src", "organisations.csv", ORGS)
    assert innograph("ingest", str(src.parent), "--name", "demo", data_dir=data).returncode == 0
    before = _stats(data)
    assert any(graph.endswith("/demo") for graph, _, _ in before["sources"])

    rows = [f"org{i},Organizația de test numărul {i} cu un nume lung SRL,,association,RO,,false,\n"
            for i in range(ROWS)]
    big = write(tmp_path / "big", "organisations.csv", ORGS.splitlines(keepends=True)[0] + "".join(rows))
    failed = innograph("ingest", str(big.parent), "--name", "big", data_dir=data)
    assert failed.returncode != 0, "the big source fitted: make it bigger or the disk smaller"
    message = failed.stderr.lower()
    assert "no space left" in message or "disk is full" in message, failed.stderr[-2000:]
    assert "traceback" not in message, failed.stderr[-3000:]
    print(f"ingest on a full disk said: {failed.stderr.strip()[-400:]}")

    assert not list((data / "store").glob("bulk-*.sst")), "the failed bulk load's files still fill the disk"
    subprocess.run(["mount", "-o", "remount,size=256m", str(small_disk)], check=True)  # space is back
    assert _stats(data) == before
    graphs = innograph("sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/innograph/graph/big> "
                       "{ ?s ?p ?o } }", "--format", "csv", data_dir=data)
    assert graphs.returncode == 0 and graphs.stdout.splitlines()[-1] == "0", graphs.stdout + graphs.stderr
