"""Import a lab's spreadsheet: parts, instruments, or the links between them.

``preview_import`` reads and checks the whole file and says what it would do; nothing is
written. ``import_file`` does the same and, when no row has an error, applies every row in
one transaction (all or nothing); with errors it writes nothing and says why. Importing the
same file again changes nothing. Managers and admins import; every ledger row and status
change an import writes names who imported.
"""

from __future__ import annotations

from collections.abc import Callable

from domain.context import DomainContext
from domain.errors import InvalidInput
from domain.import_columns import COLUMNS, CellError, Kind, match_header
from domain.import_plans import ImportReport, Plan
from domain.instrument_imports import InstrumentPlan, LinkPlan
from domain.part_imports import PartPlan
from domain.permissions import Action, Actor, require
from domain.table_files import read_table
from domain.vocabulary import MovementSource

_PLANS: dict[Kind, type[PartPlan | InstrumentPlan | LinkPlan]] = {
    Kind.PARTS: PartPlan,
    Kind.INSTRUMENTS: InstrumentPlan,
    Kind.LINKS: LinkPlan,
}
_RIGHTS = {
    Kind.PARTS: Action.MANAGE_PARTS,
    Kind.INSTRUMENTS: Action.MANAGE_INSTRUMENTS,
    Kind.LINKS: Action.LINK_PARTS,
}


def import_kind(value: str) -> Kind:
    try:
        return Kind(value.strip().lower())
    except ValueError:
        raise InvalidInput.field(
            "kind", f"Import parts, instruments or links, not {value!r}."
        ) from None


def require_import(actor: Actor, kind: str) -> Kind:
    """The kind, once ``actor`` may import it (managers and admins); else ``Forbidden``."""
    found = import_kind(kind)
    require(actor, _RIGHTS[found])
    return found


def preview_import(
    ctx: DomainContext,
    *,
    actor: Actor,
    kind: str,
    data: bytes,
    file_name: str,
    sheet: str | None = None,
    deactivate_missing: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """What importing the file would create, change and deactivate, and its errors;
    ``progress`` is told (rows checked, rows) as the check goes."""
    return _run(
        ctx,
        actor,
        kind,
        data,
        file_name,
        sheet,
        deactivate_missing,
        apply=False,
        progress=progress,
    )


def import_file(
    ctx: DomainContext,
    *,
    actor: Actor,
    kind: str,
    data: bytes,
    file_name: str,
    sheet: str | None = None,
    deactivate_missing: bool = False,
    confirm: Callable[[ImportReport], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Apply the file when it has no errors (``applied`` says whether it was), and when
    ``confirm``, if given, says yes to the preview: the file is read and checked once, and
    the writes follow in the same transaction."""
    return _run(
        ctx,
        actor,
        kind,
        data,
        file_name,
        sheet,
        deactivate_missing,
        apply=True,
        confirm=confirm,
        progress=progress,
    )


def _run(
    ctx: DomainContext,
    actor: Actor,
    kind_name: str,
    data: bytes,
    file_name: str,
    sheet: str | None,
    deactivate_missing: bool,
    *,
    apply: bool,
    confirm: Callable[[ImportReport], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    kind = require_import(actor, kind_name)
    table = read_table(data, file_name, sheet=sheet)
    try:
        columns, ignored = match_header(kind, table.header)
    except CellError as problem:
        raise InvalidInput.field("file", str(problem)) from None
    fields = {column.field for column in columns.values()}
    for column in COLUMNS[kind]:
        if column.required and column.field not in fields:
            known = ", ".join(repr(n) for n in (column.field, *column.synonyms[:4]))
            raise InvalidInput.field(
                "file",
                f"The file has no {column.field.replace('_', ' ')} column (a header such as "
                f"{known}); its headers are: {', '.join(table.header)}.",
            )
    with ctx.transaction() as session:
        plan: Plan = _PLANS[kind](
            session=session,
            table=table,
            columns=columns,
            now=ctx.now(),
            actor_id=actor.user_id,
            deactivate_missing=deactivate_missing,
            progress=progress,
        )
        assert isinstance(plan, PartPlan | InstrumentPlan | LinkPlan)
        plan.build()
        applied = apply and not plan.errors
        if applied and confirm is not None:
            applied = confirm(plan.report(kind.value, ignored))
        if applied:
            plan.apply()
            ctx.report_stock_moved(MovementSource.IMPORT.value, plan.stock_moves)
        return plan.report(kind.value, ignored, applied=applied)
