"""Where an ingest writes: the embedded store, then the remote SPARQL endpoint when one is set.

One factory for every entry point (``innograph ingest``, ``POST /ingest``): ``ingest_targets``
opens the embedded Oxigraph store and, when ``INNOGRAPH_SPARQL_UPDATE_URL`` (or the query URL)
is set, the remote endpoint as a second target. ``mirror`` writes a source the embedded store
has just taken into that endpoint with the same pipeline (same shapes, same diff, its own PROV
record there).

Why both and not the endpoint alone: matching, statistics, the broker views and the Cypher
projection read the embedded store, while ``/sparql`` reads the endpoint when it is set. Writing
each source to both keeps what an analyst's SPARQL answers equal to what ``/match`` sees; writing
only to the endpoint would leave matching blind to it.

Why the embedded store first: it is the one that is atomic (one transaction). A large source is
replaced in the endpoint in several requests (not atomic); if the endpoint fails half-way the
embedded store already holds the source and the outcome says the endpoint was not updated.
Running the same ingest again repairs it: the embedded store skips the unchanged bytes, the
endpoint (whose PROV record is older) takes them.

>>> RemoteOutcome("http://127.0.0.1:8890/sparql", written=False, error="connection refused").ok
False
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from common.errors import InnographError
from common.settings import Settings
from graph.sparql import RemoteStore, remote_for_settings
from ingest.bundled import base_sources
from ingest.loading import ingest_path
from ingest.report import IngestReport
from ontology._keys import graph_iri


@dataclass
class RemoteOutcome:
    """What the remote endpoint took of one source (the embedded store's report says the rest)."""

    endpoint: str
    written: bool
    quads_added: int = 0
    quads_removed: int = 0
    skipped_unchanged: bool = False
    seconds: float = 0.0
    #: Why the endpoint was not updated (it was unreachable, or refused a request).
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_dict(self) -> dict[str, object]:
        return {
            "endpoint": self.endpoint, "written": self.written, "quads_added": self.quads_added,
            "quads_removed": self.quads_removed, "skipped_unchanged": self.skipped_unchanged,
            "seconds": round(self.seconds, 3), "error": self.error,
        }


def remote_target(settings: Settings) -> RemoteStore | None:
    """The endpoint a source is mirrored to, or None when innograph runs on its embedded store alone."""
    return remote_for_settings(settings)


def _ensure_base(remote: RemoteStore) -> None:
    """The ontology and vocabularies every source is validated against, loaded once into the endpoint."""
    present = set(remote.named_graphs())
    for path, name in base_sources():
        if graph_iri(name or path.stem) not in present:
            ingest_path(remote, path, name=name)


def took(local: IngestReport) -> bool:
    """Whether the embedded store took the source, so the endpoint must follow.

    A dry run, a strict rejection (raised before any report) and an incomplete source (the stored
    version kept) write nothing locally, so nothing remotely either.
    """
    return not (local.dry_run or local.kept_previous)


def mirror(remote: RemoteStore, path: Path, *, name: str | None, kind: str | None, uploaded: bool = False,
           force: bool = False) -> RemoteOutcome:
    """Write into ``remote`` the source at ``path`` that the embedded store has taken.

    Errors of the endpoint become the outcome's ``error``: the embedded store's write has
    landed and is not undone.
    """
    started = time.perf_counter()
    try:
        _ensure_base(remote)
        report = ingest_path(remote, path, name=name, kind=kind, uploaded=uploaded, force=force)
    except InnographError as exc:
        return RemoteOutcome(remote.update_url, written=False, seconds=time.perf_counter() - started,
                             error=str(exc))
    return RemoteOutcome(remote.update_url, written=not report.skipped_unchanged, quads_added=report.quads_added,
                         quads_removed=report.quads_removed, skipped_unchanged=report.skipped_unchanged,
                         seconds=time.perf_counter() - started)
