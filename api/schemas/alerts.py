"""Alert responses and the bodies of the alert actions."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from api.schemas.common import MAX_ID, RequestBody, Timestamp
from domain.results import AlertSummary, AlertView


class AlertResponse(BaseModel):
    part_id: int | None = Field(description="Null for an alert about an instrument.")
    message: str
    current_stock: int | None = Field(description="Stock when the alert was raised.")
    threshold_stock: int | None = Field(description="Minimum when the alert was raised.")
    id: int
    is_active: bool = Field(description="Not resolved (open or acknowledged).")
    is_resolved: bool
    created_at: Timestamp
    resolved_at: Timestamp | None
    kind: str = Field(description="Added: low_stock, manual, maintenance or forecast.")
    severity: str = Field(description="Added: info, warning or critical.")
    status: str = Field(description="Added: open, acknowledged or resolved.")
    part_number: str | None = Field(description="Added.")
    part_name: str | None = Field(description="Added.")
    instrument_id: int | None = Field(description="Added.")
    instrument_name: str | None = Field(description="Added.")
    acknowledged_at: Timestamp | None = Field(description="Added.")
    resolution_note: str | None = Field(description="Added.")
    snoozed_until: Timestamp | None = Field(description="Added.")

    @classmethod
    def of(cls, alert: AlertView) -> AlertResponse:
        return cls(
            part_id=alert.part_id,
            message=alert.message,
            current_stock=alert.current_stock,
            threshold_stock=alert.threshold_stock,
            id=alert.id,
            is_active=not alert.is_resolved,
            is_resolved=alert.is_resolved,
            created_at=alert.created_at,
            resolved_at=alert.resolved_at,
            kind=alert.kind,
            severity=alert.severity,
            status=alert.status,
            part_number=alert.part_number,
            part_name=alert.part_name,
            instrument_id=alert.instrument_id,
            instrument_name=alert.instrument_name,
            acknowledged_at=alert.acknowledged_at,
            resolution_note=alert.resolution_note,
            snoozed_until=alert.snoozed_until,
        )


class AlertCreate(RequestBody):
    """A manual alert: what is wrong, and the part, the instrument or both it is about.
    The message and the subject are checked after the role, as in Slack: someone who may
    not raise alerts is told so, whatever they sent."""

    message: str = Field(description="What is wrong; 1 to 2,000 characters.")
    part_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="The part.")
    instrument_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="The instrument.")
    severity: Literal["info", "warning", "critical"] = "warning"


class AlertSummaryResponse(BaseModel):
    total_alerts: int
    active_alerts: int = Field(description="Open or acknowledged.")
    resolved_alerts: int
    critical_parts_low: int = Field(description="Active critical parts that are low, not out.")
    out_of_stock_parts: int = Field(description="Active parts with nothing in stock.")
    open_alerts: int = Field(description="Added.")
    acknowledged_alerts: int = Field(description="Added.")
    low_stock_parts: int = Field(description="Added: active parts at or below a minimum > 0.")

    @classmethod
    def of(cls, summary: AlertSummary) -> AlertSummaryResponse:
        return cls(
            total_alerts=summary.total_alerts,
            active_alerts=summary.active_alerts,
            resolved_alerts=summary.resolved_alerts,
            critical_parts_low=summary.critical_parts_low,
            out_of_stock_parts=summary.out_of_stock_parts,
            open_alerts=summary.open_alerts,
            acknowledged_alerts=summary.acknowledged_alerts,
            low_stock_parts=summary.low_stock_parts,
        )


class ResolveBody(RequestBody):
    note: str | None = Field(default=None, max_length=2000, description="How it was resolved.")


class SnoozeBody(RequestBody):
    """Give exactly one: `until` (a time with its zone) or `minutes` from now."""

    until: AwareDatetime | None = Field(default=None, description="At most 30 days ahead.")
    minutes: int | None = Field(
        default=None,
        description="1 to 43,200 (30 days). Checked after the role, as `until` is: "
        "someone who may not snooze is told so, whatever they sent.",
    )

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.until is None) == (self.minutes is None):
            raise ValueError("Give either until or minutes.")
        return self
