"""Pure Block Kit builders: domain results in, Block Kit JSON out. No Slack calls, no database.

Messages are ``{"text": fallback, "blocks": [...]}``; views are modal or Home tab dicts.
Every user-supplied string is escaped (``text.escape``) and fitted (``text.fit``).
"""

from bot.blocks.account import render_link_offer, render_please_link, render_whoami
from bot.blocks.alerts import (
    render_alert,
    render_alert_raised,
    render_alerts_page,
    render_filtered_alerts,
)
from bot.blocks.elements import Message
from bot.blocks.help import HelpTopic, render_help
from bot.blocks.home import render_home
from bot.blocks.inputs import modal_errors
from bot.blocks.instrument_forms import instrument_form_modal, instrument_status_modal
from bot.blocks.instrument_history import render_status_history
from bot.blocks.instruments import (
    options_for_instruments,
    render_instrument_card,
    render_instrument_parts,
    render_instrument_status_changed,
    render_instruments_page,
    render_link_changed,
)
from bot.blocks.limits import BlockKitLimitError, check_message, check_options, check_view
from bot.blocks.part_forms import confirm_delete_modal, find_part_modal, part_form_modal
from bot.blocks.parts import (
    options_for_parts,
    render_history,
    render_part_card,
    render_part_deleted,
    render_parts_page,
)
from bot.blocks.replies import pick_choices, render_error, render_notice, render_pick_list
from bot.blocks.stock import render_stock_change
from bot.blocks.stock_forms import stock_modal
from bot.blocks.text import escape, fit
from bot.blocks.values import pack, packed_id, packed_offset, unpack

__all__ = [
    "BlockKitLimitError",
    "HelpTopic",
    "Message",
    "check_message",
    "check_options",
    "check_view",
    "confirm_delete_modal",
    "escape",
    "find_part_modal",
    "fit",
    "instrument_form_modal",
    "instrument_status_modal",
    "modal_errors",
    "options_for_instruments",
    "options_for_parts",
    "pack",
    "packed_id",
    "packed_offset",
    "part_form_modal",
    "pick_choices",
    "render_alert",
    "render_alert_raised",
    "render_alerts_page",
    "render_error",
    "render_filtered_alerts",
    "render_help",
    "render_history",
    "render_home",
    "render_instrument_card",
    "render_instrument_parts",
    "render_instrument_status_changed",
    "render_instruments_page",
    "render_link_changed",
    "render_link_offer",
    "render_notice",
    "render_part_card",
    "render_part_deleted",
    "render_parts_page",
    "render_pick_list",
    "render_please_link",
    "render_status_history",
    "render_stock_change",
    "render_whoami",
    "stock_modal",
    "unpack",
]
