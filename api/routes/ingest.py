"""POST /ingest: upload the files of one source and run them through the ingest pipeline.

The same pipeline and report as ``innograph ingest`` (``ingest.loading.ingest_path``): the
uploaded files are written to a temporary folder named after the source, ingested as that
folder, and removed. The outcome, precisely:

- **200** with the report: no record was rejected (written; or a dry run; or the same bytes
  as the last run, ``skipped_unchanged``).
- **422** ``ingest-rejected`` problem when any record was rejected. It carries the full
  ``report``, one entry per rejection in ``errors`` (``location`` = file:line or
  file#pointer, ``field``, ``message``), and ``written``: whether the valid records landed.
  Without ``strict`` they did (like the CLI, which exits 1); with ``strict`` nothing was
  written, and the report is that of a dry run made to list the rejections.
- **422** ``source-unreadable`` when a file cannot be read at all (empty, not UTF-8, no known
  format): nothing is written.
- **413** when the upload is larger than ``INNOGRAPH_MAX_UPLOAD_BYTES`` (default 100 MB).

Why ``name`` is required (the CLI defaults it to the file or folder name): a source replaces
the previous version of the same name, and on a shared server two people uploading their own
``organisations.csv`` must not replace each other's data by accident. ``provenance`` is
reserved; ``ontology`` and ``vocab-*`` hold what every other source is validated against, so
replacing them needs the admin role.

Ingests run one at a time (a lock): each diffs against the stored version of its graph. What
follows a write (replica, saved needs, caches: ``graph.writes``) does not delay the answer.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile

from api.deps import EditorAccess, SettingsDep, Store
from api.keys import Role
from api.schemas.common import problem_responses
from api.schemas.ingest import IngestReport, SourceKind
from common.errors import EngineUnavailableError, IngestRejectedError, InvalidInputError, PermissionDeniedError
from common.settings import Settings
from graph.store import GraphStore
from graph.writes import AfterWrite, Write
from ingest.loading import ingest_path
from ingest.targets import RemoteOutcome, mirror, remote_target

router = APIRouter(tags=["ingest"])

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
RESERVED = {"provenance"}


class RecordsRejected(IngestRejectedError):
    """Some records were rejected; ``extensions`` carries the report into the problem response."""

    def __init__(self, message: str, extensions: dict[str, Any]) -> None:
        super().__init__(message)
        self.extensions = extensions


def _check_name(name: str, role: Role) -> None:
    if name in RESERVED:
        raise InvalidInputError("name", f"{name!r} is reserved for innograph's own records; choose another name")
    if (name == "ontology" or name.startswith("vocab-")) and not role.allows(Role.admin):
        raise PermissionDeniedError(
            f"the {name!r} graph holds what every source is validated against: replacing it needs role admin"
        )


def _filename(upload: UploadFile, seen: set[str]) -> str:
    name = FsPath((upload.filename or "").replace("\\", "/")).name
    if not name or name.startswith("."):
        raise InvalidInputError("files", f"every file needs a name such as organisations.csv, got {upload.filename!r}")
    if name in seen:
        raise InvalidInputError("files", f"two files are named {name!r}; a source holds each file once")
    seen.add(name)
    return name


def _public(value: Any, folder: FsPath, name: str) -> Any:
    """The report with the temporary folder replaced by the uploaded names."""
    if isinstance(value, str):
        return name if value == str(folder) else value.replace(f"{folder}/", "")
    if isinstance(value, list):
        return [_public(v, folder, name) for v in value]
    if isinstance(value, dict):
        return {k: _public(v, folder, name) for k, v in value.items()}
    return value


def _rejected(report: dict[str, Any], written: bool) -> RecordsRejected:
    rejections = report["rejections"]
    errors = []
    for r in rejections:
        where = f"{r['file']}:{r['line']}" if r["line"] is not None else r["file"]
        if r["pointer"] is not None:
            where = f"{r['file']}#{r['pointer']}"
        errors.append({"location": where, "field": r["field"], "message": r["reason"], "type": "rejected"})
    outcome = (
        f"the other {report['records_written']} record(s) were written to {report['graph']}"
        if written
        else "nothing was written" + (" (strict)" if report["strict"] else " (dry run or incomplete source)")
    )
    message = f"{len(rejections)} problem(s) in {report['records_read']} record(s); {outcome}"
    return RecordsRejected(message, {"written": written, "errors": errors, "report": report})


def _run(
    store: GraphStore, folder: FsPath, name: str, kind: str | None, strict: bool, dry_run: bool, force: bool
) -> dict[str, Any]:
    try:
        report = ingest_path(store, folder, name=name, kind=kind, strict=strict, dry_run=dry_run, force=force,
                             uploaded=True)
    except IngestRejectedError:
        # strict and rejected: nothing was written; a dry run lists what was wrong
        report = ingest_path(store, folder, name=name, kind=kind, dry_run=True, force=force, uploaded=True)
        report.strict = True
        raise _rejected(_public(report.as_dict(), folder, name), written=False) from None
    body: dict[str, Any] = _public(report.as_dict(), folder, name)
    if report.rejections:
        raise _rejected(body, written=not (report.dry_run or report.kept_previous))
    return body


@router.post(
    "/ingest",
    summary="Upload the files of one source and load them (role editor)",
    responses={
        **problem_responses(401, 403, 413, 422),
        422: {"description": "Records were rejected (report in the problem) or the input is invalid."},
    },
)
def ingest(
    request: Request,
    store: Store,
    settings: SettingsDep,
    caller: EditorAccess,
    files: Annotated[
        list[UploadFile],
        File(description="The files of ONE source: e.g. organisations.csv and offers.csv of our tabular format, "
                         "a Turtle file, or the CORDIS extract files."),
    ],
    name: Annotated[
        str,
        Form(pattern=NAME_PATTERN, description="Name of the source (its named graph); a later upload with the "
             "same name replaces it. Lowercase letters, digits and '-'.",
             examples=["my-offers"]),
    ],
    kind: Annotated[
        SourceKind | None, Form(description="Force a reader; detected from the files when absent.")
    ] = None,
    strict: Annotated[bool, Form(description="Write nothing if any record is rejected.")] = False,
    dry_run: Annotated[bool, Form(description="Read and validate only; write nothing.")] = False,
    force: Annotated[bool, Form(description="Re-read even if the bytes equal the last run's.")] = False,
) -> IngestReport:
    """See the module documentation for the outcomes; the report is the CLI's ``--report`` JSON."""
    _check_name(name, caller.role)
    lock: threading.Lock = request.app.state.ingest_lock
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".upload-", dir=settings.data_dir) as tmp:
        folder = FsPath(tmp) / name
        folder.mkdir()
        seen: set[str] = set()
        for upload in files:
            with (folder / _filename(upload, seen)).open("wb") as out:
                shutil.copyfileobj(upload.file, out, 1 << 20)
        after: AfterWrite = request.app.state.after_write
        with lock:
            rejected: RecordsRejected | None = None
            try:
                body = _run(store, folder, name, kind.value if kind else None, strict, dry_run, force)
            except RecordsRejected as exc:
                body, rejected = exc.extensions["report"], exc
            finally:
                if not dry_run:  # replica now; saved needs and caches in the background (graph.writes)
                    after(Write("POST /ingest", bulk=True))
            outcome = _mirror(settings, folder, name, kind.value if kind else None, force, body, rejected)
    if outcome is not None and outcome.error:
        raise EngineUnavailableError(
            f"written to the embedded store (matching, views), but the SPARQL endpoint {outcome.endpoint} that "
            f"/sparql reads was not updated: {outcome.error}. Upload the same files again to repair it."
        )
    if rejected is not None:
        raise rejected
    return IngestReport.model_validate(body | ({"remote": outcome.as_dict()} if outcome else {}))


def _mirror(settings: Settings, folder: FsPath, name: str, kind: str | None, force: bool, body: dict[str, Any],
            rejected: RecordsRejected | None) -> RemoteOutcome | None:
    """The same source into the remote endpoint, when one is configured and the embedded store took it."""
    written = not (body["dry_run"] or body["kept_previous"]) and (rejected is None or rejected.extensions["written"])
    remote = remote_target(settings) if written else None
    if remote is None:
        return None
    try:
        outcome = mirror(remote, folder, name=name, kind=kind, uploaded=True, force=force)
    finally:
        remote.close()
    if rejected is not None:
        rejected.extensions["report"]["remote"] = outcome.as_dict()
    return outcome
