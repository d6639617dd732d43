"""POST /ingest: the report of ``innograph ingest``, as JSON."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ingest.targets import RemoteOutcome


class Rejection(BaseModel):
    """A record that was not written: where it is and why."""

    file: str = Field(description="The uploaded file's name.")
    line: int | None = Field(description="Line in a CSV, JSON Lines or N-Triples file.")
    pointer: str | None = Field(description="JSON pointer in a JSON file, or the subject of an RDF record.")
    field: str | None = Field(description="The column or property at fault.")
    reason: str
    incomplete_source: bool = Field(description="The rest of the file could not be read (truncated ...).")


class IngestReport(BaseModel):
    """What one run did (``ingest.loading.IngestReport.as_dict``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": "my-offers", "kind": "tabular",
                    "graph": "https://w3id.org/innograph/graph/my-offers", "files": ["offers.csv"],
                    "sha256": "5d41402abc4b2a76b9719d911017c592...", "records_read": 12, "records_written": 12,
                    "records_rejected": 0, "quads_in_graph": 190, "quads_added": 190, "quads_removed": 0,
                    "skipped_unchanged": False, "kept_previous": False, "dry_run": False, "strict": False,
                    "seconds": 0.41, "rejections": [],
                }
            ]
        }
    )

    source: str
    kind: str = Field(description="Reader used: tabular, rdf, cordis-h2020, cordis-composite, cordis-organisations.")
    graph: str = Field(description="The named graph the source lives in.")
    files: list[str]
    sha256: str
    records_read: int
    records_written: int
    records_rejected: int
    quads_in_graph: int
    quads_added: int
    quads_removed: int
    skipped_unchanged: bool = Field(description="Same bytes as the last run: nothing was done.")
    kept_previous: bool = Field(description="The source was incomplete, so the stored version was kept.")
    dry_run: bool
    strict: bool
    seconds: float
    rejections: list[Rejection]
    remote: RemoteOutcome | None = Field(
        default=None, description="What the remote SPARQL endpoint took of the source, when one is configured "
        "(INNOGRAPH_SPARQL_UPDATE_URL: what /sparql reads); absent on the embedded store alone.")


class SourceKind(StrEnum):
    """The readers of ``ingest.READERS`` (what ``innograph ingest --kind`` accepts)."""

    tabular = "tabular"
    rdf = "rdf"
    cordis_h2020 = "cordis-h2020"
    cordis_composite = "cordis-composite"
    cordis_organisations = "cordis-organisations"
