"""Usage and forecasts in Slack, end to end: forecast alerts in their channel with Request
reorder, the usage line on the part card and App Home, ``/farlab usage`` with its chart by
DM, and ``/farlab minimums`` with its Accept buttons."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image

from bot.ids import ActionId, CallbackId
from domain import forecasting, instruments, parts, stock
from domain.permissions import SYSTEM
from domain.results import PartView
from persistence.models import Alert
from tests.bot.alerting import Jobs, alert_row, buttons, posted, scheduler_for
from tests.bot.conftest import PEOPLE, Lab
from tests.bot.steps import (
    click,
    click_and_see,
    everything_said,
    modal_from_click,
    replies_to,
    say,
    shown_card,
)
from tests.helpers import Clock

CHANNEL = "CFILAMENTS"
NUMBERS = "at 3.2/week, 9 left lasts ~20 days; lead time 21 days"
WEEKS = 10


@pytest.fixture
def jobs(lab: Lab) -> Jobs:
    return Jobs(scheduler_for(lab.ctx, lab.harness.stand_in))


def _part(lab: Lab, number: str = "FIL-1002", *, stock: int = 9, minimum: int = 4) -> PartView:
    return parts.create_part(
        lab.ctx,
        actor=SYSTEM,
        part_number=number,
        name="Rhenium filament",
        category="Filaments",
        quantity_in_stock=stock,
        minimum_stock_level=minimum,
    )


def _used_weekly(lab: Lab, clock: Clock, number: str = "FIL-1002", per_week: int = 3) -> PartView:
    """A part made ``WEEKS`` weeks ago with 40 in stock, ``per_week`` taken every week since
    (10 left at 3 a week), and the forecasts refreshed now."""
    now = clock.now
    clock.now = now - timedelta(weeks=WEEKS, days=1)
    part = _part(lab, number, stock=40)
    for _ in range(WEEKS):
        clock.advance(weeks=1)
        stock.adjust_stock(
            lab.ctx,
            actor=lab.actors["member"],
            part_id=part.id,
            delta=-per_week,
            source="slack",
            reason=None,
        )
    clock.now = now
    forecasting.refresh_forecasts(lab.ctx)
    return parts.get_part(lab.ctx, actor=SYSTEM, part_id=part.id)


# --- forecast alerts --------------------------------------------------------------------


def _posted_alert(lab: Lab, jobs: Jobs) -> dict:
    assert "posted 1" in jobs.deliver()
    [message] = posted(lab.harness.stand_in, CHANNEL)
    return message


def test_a_forecast_alert_is_posted_with_its_numbers_and_request_reorder_opens_the_form(
    lab: Lab, jobs: Jobs
):
    part = _part(lab)
    lab.command("manager", f"alerts route Filaments <#{CHANNEL}|filaments>")
    with lab.ctx.transaction() as session:
        session.add(Alert(kind="forecast", part_id=part.id, message=NUMBERS, severity="warning"))
    message = _posted_alert(lab, jobs)
    assert message["blocks"][0]["text"]["text"] == (
        ":crystal_ball: Forecast: FIL-1002 runs out before a reorder would arrive"
    )
    assert NUMBERS in everything_said(message)
    assert ActionId.REORDER_OPEN in buttons(message)
    form = modal_from_click(lab, "member", ActionId.REORDER_OPEN, message)
    assert form["callback_id"] == CallbackId.REORDER_REQUEST
    assert "FIL-1002" in everything_said(form)
    listed = everything_said(say(lab, "manager", "alerts forecast"))
    assert ":crystal_ball: forecast" in listed
    assert NUMBERS in listed


def test_the_forecast_job_opens_an_alert_that_is_posted_with_request_reorder(
    lab: Lab, jobs: Jobs, clock: Clock
):
    part = _used_weekly(lab, clock)  # 10 left, minimum 4, 3 a week: 2 weeks, lead time 14 days
    lab.command("manager", f"alerts route Filaments <#{CHANNEL}|filaments>")
    row = alert_row(lab.ctx, kind="forecast")
    assert row.part_id == part.id
    message = _posted_alert(lab, jobs)
    assert "Forecast: FIL-1002 runs out" in message["blocks"][0]["text"]["text"]
    assert "at 3/week, 10 pcs left last ~" in everything_said(message)
    assert ActionId.REORDER_OPEN in buttons(message)


# --- the usage line -----------------------------------------------------------------------


def test_the_part_card_shows_the_last_weeks_usage_and_the_forecast(lab: Lab, clock: Clock):
    _used_weekly(lab, clock)
    card = everything_said(shown_card(lab, "member", "part FIL-1002"))
    assert "Used, last 8 weeks: ████████ · 3/week · runs out ~" in card
    young = _part(lab, "FIL-NEW")
    assert young.quantity_in_stock == 9
    card = everything_said(shown_card(lab, "member", "part FIL-NEW"))
    assert "Used, last 8 weeks: ▁▁▁▁▁▁▁▁ · too little history for a forecast" in card


def test_app_home_shows_the_low_parts_sparklines(lab: Lab, clock: Clock):
    _used_weekly(lab, clock)
    stock.adjust_stock(
        lab.ctx, actor=SYSTEM, part_id=_part_id(lab), delta=-7, source="slack", reason=None
    )
    clock.advance(minutes=1)
    published = len(lab.harness.stand_in.calls("views.publish"))
    assert lab.harness.slack.app_home_opened(PEOPLE["member"]).status_code == 200
    lab.harness.stand_in.wait_for("views.publish", published + 1)
    home = lab.harness.stand_in.home(PEOPLE["member"])
    assert home is not None
    assert "Used, last 8 weeks: ▃▃▃▃▃▃▃█" in everything_said(home)  # 3 a week, then 10


def _part_id(lab: Lab, number: str = "FIL-1002") -> int:
    found = parts.detail_by_number(lab.ctx, actor=SYSTEM, number=number)
    assert found is not None
    return found.part.id


# --- /farlab usage ------------------------------------------------------------------------


def test_usage_refuses_weeks_out_of_range_and_names_what_was_not_found(lab: Lab):
    _part(lab)
    for weeks in ("0", "105", "-3", "²"):
        said = everything_said(say(lab, "member", f"usage FIL-1002 {weeks}"))
        assert "Weeks must be a whole number from 1 to 104" in said
    said = everything_said(say(lab, "member", "usage NOPE-9"))
    assert "No part or instrument named NOPE-9." in said
    assert lab.harness.stand_in.calls("files.getUploadURLExternal") == []


def test_usage_of_a_part_answers_with_the_numbers_and_sends_the_chart_by_dm(lab: Lab, clock: Clock):
    _used_weekly(lab, clock)
    said = everything_said(say(lab, "member", "usage FIL-1002 8"))
    assert "Usage of FIL-1002 Rhenium filament, last 8 weeks" in said
    assert "*Taken* 24 pcs in 8 takes" in said
    assert "At 3/week, 10 pcs left last ~" in said
    assert "Counts found no difference." in said
    stand_in = lab.harness.stand_in
    stand_in.wait_for("files.completeUploadExternal", 1, timeout=10)
    assert len(stand_in.calls("files.getUploadURLExternal")) == 1
    [done] = stand_in.calls("files.completeUploadExternal")
    assert done.body["channel_id"] == "D" + PEOPLE["member"]
    [shared] = stand_in.files_in(PEOPLE["member"])
    chart = Image.open(io.BytesIO(stand_in.file_bytes(shared["id"])))
    assert (chart.format, chart.size) == ("PNG", (800, 400))
    assert shared["title"] == "Usage of FIL-1002, last 8 weeks"


def test_usage_of_an_instrument_lists_what_it_consumed(lab: Lab, clock: Clock):
    mat = instruments.create_instrument(lab.ctx, actor=SYSTEM, name="MAT253", model="MAT 253")
    part = _part(lab, stock=20)
    stock.adjust_stock(
        lab.ctx,
        actor=lab.actors["member"],
        part_id=part.id,
        delta=-5,
        source="slack",
        reason=None,
        instrument_id=mat.id,
    )
    clock.advance(minutes=1)
    said = everything_said(say(lab, "member", "usage MAT253"))
    assert "Usage for MAT253, last 12 weeks" in said
    assert "*FIL-1002* Rhenium filament: 5 pcs in 1 takes" in said
    lab.harness.stand_in.wait_for("files.completeUploadExternal", 1, timeout=10)


def test_a_chart_slack_refuses_is_followed_up(lab: Lab):
    _part(lab)
    stand_in = lab.harness.stand_in
    stand_in.error("files.completeUploadExternal", "not_allowed")
    assert "Usage of FIL-1002" in everything_said(say(lab, "member", "usage FIL-1002"))
    [follow_up] = stand_in.wait_for("response_url", 1)
    said = everything_said(follow_up.body)
    assert "could not send the usage chart to your DMs: Slack refused it (not_allowed)" in said


# --- /farlab minimums ---------------------------------------------------------------------


def test_minimums_accept_one_replaces_the_list_with_what_was_accepted(lab: Lab, clock: Clock):
    part = _used_weekly(lab, clock)
    [suggestion] = forecasting.minimum_suggestions(lab.ctx, actor=lab.actors["manager"])
    shown = shown_card(lab, "manager", "minimums")
    said = everything_said(shown)
    assert f"minimum 4 → suggested {suggestion.suggested}" in said
    answer = click_and_see(lab, "manager", ActionId.MINIMUM_ACCEPT, shown)
    assert answer["replace_original"] is True
    assert f"*FIL-1002*: minimum 4 → {suggestion.suggested}" in everything_said(answer)
    after = parts.get_part(lab.ctx, actor=SYSTEM, part_id=part.id)
    assert after.minimum_stock_level == suggestion.suggested


def test_a_member_may_not_list_or_accept_minimums(lab: Lab, clock: Clock):
    part = _used_weekly(lab, clock)
    refusal = "Your role (member) may not manage parts."
    assert refusal in everything_said(say(lab, "member", "minimums"))
    shown = shown_card(lab, "manager", "minimums")
    seen = len(replies_to(lab.harness.stand_in, "member"))
    click(lab, "member", ActionId.MINIMUMS_ACCEPT_ALL, shown)
    lab.harness.stand_in.wait_until(lambda: len(replies_to(lab.harness.stand_in, "member")) > seen)
    assert refusal in everything_said(replies_to(lab.harness.stand_in, "member")[-1])
    assert parts.get_part(lab.ctx, actor=SYSTEM, part_id=part.id).minimum_stock_level == 4


def test_a_suggestion_changed_since_it_was_shown_is_refused(lab: Lab, clock: Clock):
    part = _used_weekly(lab, clock)
    shown = shown_card(lab, "manager", "minimums")
    seen = len(replies_to(lab.harness.stand_in, "manager"))
    click(lab, "manager", ActionId.MINIMUM_ACCEPT, shown, value={"id": part.id, "m": 999})
    lab.harness.stand_in.wait_until(lambda: len(replies_to(lab.harness.stand_in, "manager")) > seen)
    refusal = replies_to(lab.harness.stand_in, "manager")[-1]
    assert "suggest" in everything_said(refusal).lower()
    assert parts.get_part(lab.ctx, actor=SYSTEM, part_id=part.id).minimum_stock_level == 4


def test_help_lists_usage_to_members_and_minimums_to_managers(lab: Lab):
    member, manager = (everything_said(say(lab, role, "help")) for role in ("member", "manager"))
    assert "/farlab usage &lt;part or instrument&gt; [weeks]" in member
    assert "/farlab minimums" not in member
    assert "/farlab minimums`" in manager
