"""``create-admin``: the first account, optionally linked to its Slack user."""

from __future__ import annotations

import argparse

from domain import identities, users
from domain.context import DomainContext
from domain.errors import InvalidInput, NotFound
from domain.permissions import SYSTEM


def create_admin(ctx: DomainContext, args: argparse.Namespace, password: str) -> str:
    """Create the admin (or report the existing one) and link the Slack ids if given."""
    if bool(args.slack_team_id) != bool(args.slack_user_id):
        raise InvalidInput("Give both --slack-team-id and --slack-user-id, or neither.")
    try:
        user = users.get_user(ctx, actor=SYSTEM, username=args.username)
        message = f"User {user.username} already exists ({user.role}); nothing created."
    except NotFound:
        user = users.create_user(
            ctx,
            actor=SYSTEM,
            username=args.username,
            email=args.email,
            first_name=args.first_name,
            last_name=args.last_name,
            password=password,
            role="admin",
        )
        message = f"Created admin {user.username}."
    if args.slack_team_id:
        actor = identities.resolve_actor(
            ctx, team_id=args.slack_team_id, slack_user_id=args.slack_user_id
        )
        if actor is None:
            identities.link_identity(
                ctx,
                actor=SYSTEM,
                team_id=args.slack_team_id,
                slack_user_id=args.slack_user_id,
                user_id=user.id,
            )
            message += f" Linked Slack user {args.slack_user_id} in team {args.slack_team_id}."
        else:
            message += f" Slack user {args.slack_user_id} is already linked to {actor.username}."
    return message
