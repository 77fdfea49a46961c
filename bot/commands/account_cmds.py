"""Account commands: whoami, help."""

from __future__ import annotations

from bot import blocks
from bot.commands.base import CommandRequest, Message
from domain import users


def handle_whoami_command(req: CommandRequest, _args: list[str]) -> Message:
    user = users.get_user(req.ctx, actor=req.actor, user_id=req.actor.user_id)
    return blocks.render_whoami(user, team_id=req.team_id, slack_user_id=req.user_id)
