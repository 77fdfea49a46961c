"""Importing instruments (upsert by name, any case) and the links between instruments and
parts (by instrument name and part number, both already in FarLab)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain import maintenance
from domain.import_plans import FieldChange, Plan, add_new, shown, updates_of
from domain.instruments import clean_instrument_fields
from persistence import imports as rows_of
from persistence.instruments import record_status_change
from persistence.models import Instrument, InstrumentPart, Part

INSTRUMENT_ATTRS = {
    "name": "name",
    "model": "model",
    "manufacturer": "manufacturer",
    "serial_number": "serial_number",
    "location": "location",
    "description": "description",
    "next_maintenance_due": "next_maintenance_due",
    "next_calibration_due": "next_calibration_due",
    "maintenance_interval_days": "maintenance_interval_days",
    "calibration_interval_days": "calibration_interval_days",
    "active": "is_active",
}
INSTRUMENT_NAMES = {attr: name for name, attr in INSTRUMENT_ATTRS.items()}
_KEEP_WHEN_EMPTY = {"name", "model", "is_active"}


@dataclass
class InstrumentPlan(Plan):
    new_instruments: list[Instrument] = field(default_factory=list)
    updates: list[tuple[Instrument, dict[str, Any]]] = field(default_factory=list)
    statuses: list[tuple[Instrument, str]] = field(default_factory=list)
    retired: list[Instrument] = field(default_factory=list)

    def build(self) -> None:
        read = self.values()
        names = [v["name"] for _, v in read if v.get("name")]
        existing = {i.name.lower(): i for i in rows_of.instruments_named(self.session, names)}
        serials = [v["serial_number"] for _, v in read if v.get("serial_number")]
        by_serial = {
            i.serial_number: i for i in rows_of.instruments_with_serials(self.session, serials)
        }
        serial_rows: dict[str, int] = {}
        for row, values in read:
            serial = values.get("serial_number")
            if serial:
                first = serial_rows.setdefault(serial, row)
                if first != row:
                    self.error(row, None, f"Serial number {serial} is in rows {first} and {row}.")
                    continue
                holder = by_serial.get(serial)
                name = (values.get("name") or "").lower()
                if holder is not None and holder.name.lower() != name:
                    self.error(
                        row,
                        self.header_of("serial_number"),
                        f"Serial number {serial} belongs to {holder.name} already.",
                    )
                    continue
            self._row(row, values, existing)
        if self.deactivate_missing and not self.errors:
            kept = {i.id for i in existing.values() if i.name.lower() in self.seen}
            self.retired = rows_of.active_instruments_except(self.session, kept)
            self.deactivated = [i.name for i in self.retired]

    def _row(self, row: int, values: dict[str, Any], existing: dict[str, Instrument]) -> None:
        name = values.get("name")
        if not name:
            self.error(row, self.header_of("name"), "The instrument's name is empty.")
            return
        if not self.first_time(row, name, name):
            return
        wanted = {
            INSTRUMENT_ATTRS[key]: value
            for key, value in values.items()
            if key in INSTRUMENT_ATTRS
            and not (value is None and INSTRUMENT_ATTRS[key] in _KEEP_WHEN_EMPTY)
        }
        instrument = existing.get(name.lower())
        if instrument is None and not wanted.get("model"):
            self.error(row, self.header_of("model"), f"The new instrument {name} needs a model.")
            return
        if not self.cleaned(row, clean_instrument_fields, wanted, INSTRUMENT_NAMES):
            return
        status = values.get("status")
        if instrument is None:
            created = Instrument(**{"is_active": True, **wanted}, status=status or "operational")
            self.new_instruments.append(created)
            changes = [
                FieldChange(INSTRUMENT_NAMES[a], "", shown(v))
                for a, v in wanted.items()
                if v is not None
            ]
            self.record(row, name, changes, new=True)
            return
        changes = updates_of(instrument, wanted, INSTRUMENT_NAMES)
        if changes:
            updates = {a: v for a, v in wanted.items() if getattr(instrument, a) != v}
            self.updates.append((instrument, updates))
        if status and status != instrument.status:
            self.statuses.append((instrument, status))
            changes.append(FieldChange("status", instrument.status, status))
        self.record(row, instrument.name, changes, new=False)

    def apply(self) -> None:
        add_new(self.session, self.new_instruments)
        for instrument, changes in self.updates:
            for attr, value in changes.items():
                setattr(instrument, attr, value)
        for instrument, status in self.statuses:
            old, instrument.status = instrument.status, status
            record_status_change(
                self.session,
                instrument_id=instrument.id,
                old_status=old,
                new_status=status,
                note=self.reason,
                changed_by_id=self.actor_id,
                now=self.now,
            )
            maintenance.on_status_change(
                self.session,
                instrument=instrument,
                old=old,
                new=status,
                note=self.reason,
                actor_id=self.actor_id,
                now=self.now,
            )
        for instrument in self.retired:
            instrument.is_active = False
        self.session.flush()


@dataclass
class LinkPlan(Plan):
    new_links: list[InstrumentPart] = field(default_factory=list)
    updates: list[tuple[InstrumentPart, dict[str, Any]]] = field(default_factory=list)

    def build(self) -> None:
        read = self.values()
        instruments = {
            i.name.lower(): i
            for i in rows_of.instruments_named(
                self.session, [v["instrument"] for _, v in read if v.get("instrument")]
            )
        }
        parts = {
            p.part_number.lower(): p
            for p in rows_of.parts_numbered(
                self.session, [v["part_number"] for _, v in read if v.get("part_number")]
            )
        }
        found: list[tuple[int, dict[str, Any], Instrument, Part]] = []
        for row, values in read:
            pair = self._subjects(row, values, instruments, parts)
            if pair is not None:
                found.append((row, values, *pair))
        links = {
            (link.instrument_id, link.part_id): link
            for link in rows_of.parts_and_instruments_linked(
                self.session, [(i.id, p.id) for _, _, i, p in found]
            )
        }
        for row, values, instrument, part in found:
            self._row(row, values, instrument, part, links.get((instrument.id, part.id)))

    def _subjects(
        self,
        row: int,
        values: dict[str, Any],
        instruments: dict[str, Instrument],
        parts: dict[str, Part],
    ) -> tuple[Instrument, Part] | None:
        name, number = values.get("instrument"), values.get("part_number")
        if not name or not number:
            column = "instrument" if not name else "part_number"
            self.error(row, self.header_of(column), f"The {column.replace('_', ' ')} is empty.")
            return None
        instrument, part = instruments.get(name.lower()), parts.get(number.lower())
        if instrument is None:
            self.error(row, self.header_of("instrument"), f"There is no instrument named {name!r}.")
            return None
        if part is None:
            self.error(row, self.header_of("part_number"), f"There is no part {number}.")
            return None
        if not self.first_time(row, f"{instrument.id}/{part.id}", f"{name} / {number}"):
            return None
        return instrument, part

    def _row(
        self,
        row: int,
        values: dict[str, Any],
        instrument: Instrument,
        part: Part,
        link: InstrumentPart | None,
    ) -> None:
        wanted: dict[str, Any] = {}
        if values.get("quantity_required") is not None:
            wanted["quantity_required"] = values["quantity_required"]
        if values.get("critical") is not None:
            wanted["is_critical"] = values["critical"]
        key = f"{instrument.name} / {part.part_number}"
        names = {"quantity_required": "quantity_required", "is_critical": "critical"}
        if link is None:
            self.new_links.append(
                InstrumentPart(instrument_id=instrument.id, part_id=part.id, **wanted)
            )
            changes = [FieldChange(names[a], "", shown(v)) for a, v in wanted.items()]
            self.record(row, key, changes, new=True)
            return
        if not link.is_active:
            wanted["is_active"] = True
        changes = updates_of(link, wanted, {**names, "is_active": "linked"})
        if changes:
            self.updates.append((link, {a: v for a, v in wanted.items() if getattr(link, a) != v}))
        self.record(row, key, changes, new=False)

    def apply(self) -> None:
        add_new(self.session, self.new_links)
        for link, changes in self.updates:
            for attr, value in changes.items():
                setattr(link, attr, value)
        self.session.flush()
