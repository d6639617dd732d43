"""A real slice for the partnership's own EU record (issue 11): the members linked to a CORDIS
organisation (data/union-of-innovation/cordis_links.csv) and every H2020 row of their projects,
so whole consortia are there and expected answers can be computed from the table itself."""

from __future__ import annotations

import csv
import gc
import gzip
import shutil
from collections import defaultdict
from pathlib import Path

from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path

H2020 = REPO_DATA / "cordis" / "h2020_participations" / "h2020_participations.csv.gz"


def linked_rows() -> tuple[dict[str, set[str]], list[dict[str, str]]]:
    """The reviewed member -> PICs links of the partnership's members, and every H2020 row of their projects."""
    with (REPO_DATA / "union-of-innovation" / "memberships.csv").open(encoding="utf-8") as handle:
        members = {m["org_id"] for m in csv.DictReader(handle) if m["partnership_id"] == "union-of-innovation"}
    links: dict[str, set[str]] = defaultdict(set)
    with (REPO_DATA / "union-of-innovation" / "cordis_links.csv").open(encoding="utf-8") as handle:
        for link in csv.DictReader(handle):
            if link["org_id"] in members:
                links[link["org_id"]].add(link["pic"])
    pics = set().union(*links.values())
    with gzip.open(H2020, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    projects = {r["rcn"] for r in rows if r["pic"] in pics}
    return links, [r for r in rows if r["rcn"] in projects]


def linked_store_at(vocab_template: Path, folder: Path) -> GraphStore:
    """A store in ``folder``: the vocabularies, the partnership (with its links) and those H2020 rows."""
    _, rows = linked_rows()
    source = folder / "h2020"
    source.mkdir()
    with gzip.open(source / "h2020_participations.csv.gz", "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    shutil.copytree(vocab_template, folder / "store", ignore=shutil.ignore_patterns("LOCK"))
    store = GraphStore(folder / "store")
    for path, name in ((source, "cordis-h2020"), (REPO_DATA / "union-of-innovation", "union-of-innovation")):
        assert ingest_path(store, path, name=name).ok
    gc.collect()
    return store
