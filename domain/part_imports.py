"""Importing parts: upsert by part number (any case), their stock levels (a count in the
ledger, source ``import``, the file named as the reason) and the instruments they are
used by (an ``instruments`` column: ``MAT253; Kiel IV:2``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.import_columns import write_uses
from domain.import_plans import FieldChange, Plan, shown, updates_of
from domain.parts import clean_part_fields
from domain.vocabulary import MovementKind, MovementSource
from persistence import imports as rows_of
from persistence import low_stock
from persistence.models import Instrument
from persistence.stock import record_movements

# Column field -> Part attribute, for the fields a row sets directly.
ATTRS = {
    "part_number": "part_number",
    "name": "name",
    "description": "description",
    "category": "category",
    "manufacturer": "manufacturer",
    "unit": "unit_of_measure",
    "location": "location",
    "minimum_stock_level": "minimum_stock_level",
    "critical": "is_critical",
    "active": "is_active",
}
NAMES = {attr: name for name, attr in ATTRS.items()}
# Left as they are when their cell is empty (a count, a flag, or required).
_KEEP_WHEN_EMPTY = {"name", "unit_of_measure", "minimum_stock_level", "is_critical", "is_active"}


@dataclass
class PartPlan(Plan):
    """Stored parts and links are read as plain rows (a large file names many, and ORM
    objects cost more to build than the rows to read); only those that change are loaded
    as objects, by ``apply``. New parts and links are kept as column values (their ids
    come with the insert)."""

    new_parts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)  # part row
    counts: list[tuple[Any, int, int]] = field(default_factory=list)  # part row, old, new
    new_uses: list[tuple[Any, int, int]] = field(default_factory=list)  # (part row or
    # index into new_parts, instrument id, quantity needed)
    link_updates: list[tuple[Any, int]] = field(default_factory=list)  # link row
    retired: list[Any] = field(default_factory=list)  # (id, part number) rows

    def build(self) -> None:
        read = self.values()
        numbers = [v["part_number"] for _, v in read if v.get("part_number")]
        existing = {
            p.part_number.lower(): p for p in rows_of.part_rows_numbered(self.session, numbers)
        }
        names = {n for _, v in read for n, _ in (v.get("instruments") or ())}
        instruments = {i.name.lower(): i for i in rows_of.instruments_named(self.session, names)}
        ids = [p.id for p in existing.values()]
        links: dict[tuple[int, int], Any] = {
            (link.part_id, link.instrument_id): link
            for link in rows_of.link_rows_of_parts(self.session, ids)
        }
        for row, values in read:
            self._row(row, values, existing, instruments, links)
        if self.deactivate_missing and not self.errors:
            kept = {p.id for p in existing.values() if p.part_number.lower() in self.seen}
            self.retired = rows_of.active_parts_except(self.session, kept)
            self.deactivated = [p.part_number for p in self.retired]

    def _row(
        self,
        row: int,
        values: dict[str, Any],
        existing: dict[str, Any],
        instruments: dict[str, Instrument],
        links: dict[tuple[int, int], Any],
    ) -> None:
        number = values.get("part_number")
        if not number:
            self.error(row, self.header_of("part_number"), "The part number is empty.")
            return
        if not self.first_time(row, number, number):
            return
        wanted = {
            ATTRS[name]: value
            for name, value in values.items()
            if name in ATTRS and not (value is None and ATTRS[name] in _KEEP_WHEN_EMPTY)
        }
        part = existing.get(number.lower())
        if part is None and not wanted.get("name"):
            self.error(row, self.header_of("name"), f"The new part {number} needs a name.")
            return
        if not self.cleaned(row, clean_part_fields, wanted, NAMES):
            return
        uses = []
        for name, quantity in values.get("instruments") or ():
            instrument = instruments.get(name.lower())
            if instrument is None:
                self.error(
                    row,
                    self.header_of("instruments"),
                    f"There is no instrument named {name!r} in FarLab; add it (or import "
                    "the instruments) first.",
                )
                return
            uses.append((instrument, quantity))
        quantity = values.get("quantity_in_stock")
        if part is None:
            self._create(row, number, wanted, quantity, uses)
        else:
            self._change(row, part, wanted, quantity, uses, links)

    def _create(
        self,
        row: int,
        number: str,
        wanted: dict[str, Any],
        quantity: int | None,
        uses: list[tuple[Instrument, int]],
    ) -> None:
        index = len(self.new_parts)
        self.new_parts.append(
            {
                "unit_of_measure": "pcs",
                "minimum_stock_level": 0,
                "is_critical": False,
                "is_active": True,
                **wanted,
                "quantity_in_stock": quantity or 0,
                "created_at": self.now,
            }
        )
        self.new_uses += [(index, instrument.id, needed) for instrument, needed in uses]
        changes = [FieldChange(NAMES[a], "", shown(v)) for a, v in wanted.items() if v is not None]
        if quantity is not None:
            changes.append(FieldChange("quantity_in_stock", "", str(quantity)))
        if uses:
            text = write_uses([(i.name, n) for i, n in uses])
            changes.append(FieldChange("instruments", "", text))
        self.record(row, number, changes, new=True)

    def _change(
        self,
        row: int,
        part: Any,
        wanted: dict[str, Any],
        quantity: int | None,
        uses: list[tuple[Instrument, int]],
        links: dict[tuple[int, int], Any],
    ) -> None:
        changes = updates_of(part, wanted, NAMES)
        if changes:
            self.updates.append((part, {a: v for a, v in wanted.items() if getattr(part, a) != v}))
        if quantity is not None and quantity != part.quantity_in_stock:
            self.counts.append((part, part.quantity_in_stock, quantity))
            changes.append(
                FieldChange("quantity_in_stock", str(part.quantity_in_stock), str(quantity))
            )
        for instrument, needed in uses:
            link = links.get((part.id, instrument.id))
            if link is None:
                self.new_uses.append((part, instrument.id, needed))
                changes.append(FieldChange(f"used by {instrument.name}", "no", f"needs {needed}"))
            elif not link.is_active or link.quantity_required != needed:
                before = f"needs {link.quantity_required}" if link.is_active else "no"
                self.link_updates.append((link, needed))
                changes.append(FieldChange(f"used by {instrument.name}", before, f"needs {needed}"))
        self.record(row, part.part_number, changes, new=False)

    def apply(self) -> None:
        session, now = self.session, self.now
        ids = rows_of.insert_parts(session, self.new_parts)
        changing = [row.id for row, _ in self.updates] + [row.id for row, _, _ in self.counts]
        parts = rows_of.parts_with_ids(session, changing + [row.id for row in self.retired])
        for row, changes in self.updates:
            part = parts[row.id]
            for attr, value in changes.items():
                setattr(part, attr, value)
            part.updated_at = now
        for row, _old, new in self.counts:
            parts[row.id].quantity_in_stock, parts[row.id].updated_at = new, now
        links = rows_of.links_with_ids(session, [row.id for row, _ in self.link_updates])
        for row, needed in self.link_updates:
            links[row.id].is_active, links[row.id].quantity_required = True, needed
        rows_of.insert_links(
            session,
            [
                {
                    "instrument_id": instrument_id,
                    "part_id": ids[part] if isinstance(part, int) else part.id,
                    "quantity_required": needed,
                    "is_critical": False,
                    "is_active": True,
                    "created_at": now,
                }
                for part, instrument_id, needed in self.new_uses
            ],
        )
        for row in self.retired:
            parts[row.id].is_active, parts[row.id].updated_at = False, now
        session.flush()
        counted = [(row.id, old, new) for row, old, new in self.counts]
        counted += [
            (part_id, 0, row["quantity_in_stock"])
            for part_id, row in zip(ids, self.new_parts, strict=True)
            if row["quantity_in_stock"]
        ]
        self.stock_moves = len(counted)
        record_movements(
            session,
            [
                {
                    "part_id": part_id,
                    "delta": new - old,
                    "quantity_after": new,
                    "reason": self.reason,
                    "actor_id": self.actor_id,
                    "source": MovementSource.IMPORT.value,
                    "kind": MovementKind.IMPORT.value,
                    "created_at": now,
                }
                for part_id, old, new in counted
            ],
        )
        low_stock.open_low_stock_alerts(session, now=now)
        low_stock.resolve_stale_low_stock_alerts(session, now=now, resolved_by_id=self.actor_id)
