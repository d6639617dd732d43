"""A real slice for the regional indicators: the H2020 rows of the first projects with a Romanian
participant (whole consortia, so partners in the region, elsewhere in Romania and abroad are all
there), the CORDIS organisation directory (which places Romanian organisations in counties), the
partnership (members in regions, a partnership to pair them) and the illustrative records (which
every indicator must leave out)."""

from __future__ import annotations

import csv
import gc
import gzip
import shutil
from pathlib import Path

from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path
from tests.conftest import H2020_TABLE

PROJECTS = 120


def romanian_rows(projects: int = PROJECTS) -> list[dict[str, str]]:
    """Every H2020 row of the first ``projects`` projects (table order) with a Romanian participant."""
    with gzip.open(H2020_TABLE, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    chosen: list[str] = []
    for row in rows:
        if row["country"] == "RO" and row["rcn"] not in chosen:
            chosen.append(row["rcn"])
            if len(chosen) == projects:
                break
    keep = set(chosen)
    return [r for r in rows if r["rcn"] in keep]


def indicator_store_at(vocab_template: Path, folder: Path) -> GraphStore:
    """A store in ``folder`` with the vocabularies, that slice, the directory, the partnership and the examples."""
    rows = romanian_rows()
    source = folder / "h2020"
    source.mkdir(parents=True)
    with gzip.open(source / "h2020_participations.csv.gz", "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    shutil.copytree(vocab_template, folder / "store", ignore=shutil.ignore_patterns("LOCK"))
    store = GraphStore(folder / "store")
    for path, name in ((source, "cordis-h2020"),
                       (REPO_DATA / "cordis" / "organisation_directory", "cordis-organisations"),
                       (REPO_DATA / "union-of-innovation", "union-of-innovation"),
                       (REPO_DATA / "illustrative", "illustrative")):
        report = ingest_path(store, path, name=name)
        # the directory rejects a few unusable postcodes and keeps their rows (README: "placed in a county")
        assert report.ok or name == "cordis-organisations", report.rejections[:3]
    gc.collect()
    return store
