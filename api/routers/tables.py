"""``{prefix}/export/{kind}`` and ``{prefix}/import/{kind}``: a lab's spreadsheet out and in
(added; not in the original API)."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse

from api.deps import Ctx, CurrentActor
from api.schemas.common import errors
from api.schemas.tables import ImportReportResponse
from domain import exports, imports
from domain.exports import ExportFile
from domain.table_files import MAX_FILE_BYTES

router = APIRouter(tags=["import and export"])
CHUNK = 256 * 1024


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ImportKind(StrEnum):
    PARTS = "parts"
    INSTRUMENTS = "instruments"
    LINKS = "links"


@router.get(
    "/export/{kind}",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The file, as an attachment.",
            "content": {media: {} for media in exports.MEDIA_TYPES.values()},
        },
        **errors(401, 403),
    },
)
def export_table(
    kind: exports.ExportKind, ctx: Ctx, actor: CurrentActor, format: Format = Format.CSV
) -> StreamingResponse:
    """Parts, instruments, links, the stock history or alerts as CSV (UTF-8 with a BOM) or
    XLSX, streamed at constant memory. Any signed-in account. Parts, instruments and links
    files import back (`POST /import/{kind}`) to zero changes."""
    export = exports.export_table(ctx, actor=actor, kind=kind.value, fmt=format.value)
    return StreamingResponse(
        _chunks(export),
        media_type=export.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{export.file_name}"',
            "X-Row-Count": str(export.rows),
        },
    )


def _chunks(export: ExportFile) -> Iterator[bytes]:
    with export.content:
        while chunk := export.content.read(CHUNK):
            yield chunk


@router.post(
    "/import/{kind}",
    response_model=ImportReportResponse,
    responses={
        **errors(401, 403, 413),
        422: {
            "description": "The file cannot be read (empty, not CSV or XLSX, no key column: "
            "`detail`), or with `dry_run=false` some rows have errors: `detail` says so and "
            "`report` lists them; nothing was written.",
        },
    },
)
async def import_table(
    kind: ImportKind,
    ctx: Ctx,
    actor: CurrentActor,
    file: Annotated[UploadFile, File(description="A CSV or XLSX file, at most 20 MB.")],
    dry_run: bool = True,
    deactivate_missing: Annotated[
        bool, Query(description="Deactivate active rows the file does not name.")
    ] = False,
    sheet: Annotated[str | None, Query(description="The workbook's sheet.")] = None,
) -> ImportReportResponse | JSONResponse:
    """Import parts, instruments or links (managers and admins). With `dry_run` (the
    default) nothing is written and the answer is the preview: rows to create, to change
    (field by field), unchanged, and every error with its row and column. With
    `dry_run=false` the file is applied in one transaction if no row has an error."""
    data = await file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return JSONResponse(
            {"detail": "The file is over 20 MB; files up to 20 MB can be imported."},
            status_code=413,
        )
    run = imports.preview_import if dry_run else imports.import_file
    report = run(
        ctx,
        actor=actor,
        kind=kind.value,
        data=data,
        file_name=file.filename or "upload",
        sheet=sheet,
        deactivate_missing=deactivate_missing,
    )
    body = ImportReportResponse.of(report)
    if not dry_run and report.errors:
        count = len(report.errors)
        detail = f"The file has {count} error{'s' if count > 1 else ''}; nothing was imported."
        return JSONResponse(
            {"detail": detail, "report": body.model_dump(mode="json")}, status_code=422
        )
    return body
