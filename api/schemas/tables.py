"""The import report, as ``POST {prefix}/import/{kind}`` answers it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from domain.import_plans import ImportReport


class FieldChangeResponse(BaseModel):
    field: str
    old: str = Field(description="Empty for a row to create.")
    new: str


class RowResponse(BaseModel):
    row: int = Field(description="The row's number in the file; the header is row 1.")
    key: str = Field(description="The part number, instrument name or 'instrument / part'.")
    action: str = Field(description="create or change")
    changes: list[FieldChangeResponse]


class RowErrorResponse(BaseModel):
    row: int | None = Field(description="Null for the file as a whole.")
    column: str | None = Field(description="The column's header as the file has it.")
    message: str


class ImportReportResponse(BaseModel):
    kind: str
    file_name: str
    rows: int
    created: list[RowResponse]
    changed: list[RowResponse]
    unchanged: int
    deactivated: list[str]
    errors: list[RowErrorResponse]
    ignored_columns: list[str] = Field(description="Headers FarLab does not know; ignored.")
    applied: bool = Field(description="The rows were written (never with errors).")

    @classmethod
    def of(cls, report: ImportReport) -> ImportReportResponse:
        def rows(plans: tuple) -> list[RowResponse]:  # type: ignore[type-arg]
            return [
                RowResponse(
                    row=p.row,
                    key=p.key,
                    action=p.action,
                    changes=[
                        FieldChangeResponse(field=c.field, old=c.old, new=c.new) for c in p.changes
                    ],
                )
                for p in plans
            ]

        return cls(
            kind=report.kind,
            file_name=report.file_name,
            rows=report.rows,
            created=rows(report.created),
            changed=rows(report.changed),
            unchanged=report.unchanged,
            deactivated=list(report.deactivated),
            errors=[
                RowErrorResponse(row=e.row, column=e.column, message=e.message)
                for e in report.errors
            ],
            ignored_columns=list(report.ignored_columns),
            applied=report.applied,
        )
