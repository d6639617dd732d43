"""What one ingest run did: the report the CLI prints as a table and the API returns as JSON.

Why a module of its own: the pipeline (``ingest.loading``) fills it in and the PROV record
(``ingest.provenance``) describes it; with the report in ``loading`` those two modules imported
each other.

>>> report = IngestReport(source="data/x.csv", kind="tabular", graph="g", files=[], sha256="")
>>> report.ok, report.records_rejected
(True, 0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.readers import Rejection


@dataclass
class IngestReport:
    """What one run did; printed as a table by the CLI and returned as JSON by the API."""

    source: str
    kind: str
    graph: str
    files: list[str]
    sha256: str
    records_read: int = 0
    records_written: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    quads_in_graph: int = 0
    quads_added: int = 0
    quads_removed: int = 0
    skipped_unchanged: bool = False
    #: The source was incomplete (truncated file, unusable header) so the stored version was kept.
    kept_previous: bool = False
    dry_run: bool = False
    strict: bool = False
    seconds: float = 0.0
    #: Files received over HTTP: their temporary paths mean nothing later, so the PROV record
    #: names each by its content hash and uploaded name instead (``provenance.run_quads``).
    uploaded: bool = False

    @property
    def records_rejected(self) -> int:
        return self.records_read - self.records_written

    @property
    def ok(self) -> bool:
        return not self.rejections

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "kind": self.kind,
            "graph": self.graph,
            "files": self.files,
            "sha256": self.sha256,
            "records_read": self.records_read,
            "records_written": self.records_written,
            "records_rejected": self.records_rejected,
            "quads_in_graph": self.quads_in_graph,
            "quads_added": self.quads_added,
            "quads_removed": self.quads_removed,
            "skipped_unchanged": self.skipped_unchanged,
            "kept_previous": self.kept_previous,
            "dry_run": self.dry_run,
            "strict": self.strict,
            "seconds": round(self.seconds, 3),
            "rejections": [r.as_dict() for r in self.rejections],
        }
