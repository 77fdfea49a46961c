"""``/farlab usage``'s chart: rendered and sent to the person's DM after the answer (on the
runtime's threads, with no request around it). If it cannot be sent, a follow-up to the
command says so."""

from __future__ import annotations

import logging
import re

from slack_sdk import WebClient

from bot.blocks.usage import chart_comment, chart_title, render_chart_not_sent
from bot.direct_messages import answer_later, why_not_sent
from bot.slack_files import send_file_to_dm
from charts.usage_chart import render_instrument_chart, render_part_chart
from domain.insight_results import InstrumentUsage, PartUsage

log = logging.getLogger("farlab.bot")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def chart_file_name(usage: PartUsage | InstrumentUsage, weeks: int) -> str:
    """``usage-FIL-1002-12w.png``: the subject, kept to letters, digits, ``._-``."""
    subject = usage.part.part_number if isinstance(usage, PartUsage) else usage.instrument_name
    return f"usage-{_UNSAFE.sub('-', subject).strip('-')[:60] or 'chart'}-{weeks}w.png"


def send_usage_chart(
    client: WebClient,
    user_id: str,
    usage: PartUsage | InstrumentUsage,
    weeks: int,
    response_url: str,
) -> None:
    name = chart_file_name(usage, weeks)
    png: bytes | None = None
    try:
        if isinstance(usage, PartUsage):
            png = render_part_chart(usage)
        else:
            png = render_instrument_chart(usage)
        send_file_to_dm(
            client,
            user_id,
            file_name=name,
            content=png,
            title=chart_title(usage, weeks),
            comment=chart_comment(usage, weeks),
        )
    except Exception as error:  # no request is left to answer: a follow-up says so
        log.warning("usage chart %s not sent to %s: %s", name, user_id, error)
        problem = "FarLab could not draw it" if png is None else why_not_sent(error)
        answer_later(response_url, render_chart_not_sent(problem))
