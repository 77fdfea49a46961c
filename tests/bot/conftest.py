"""Bot tests drive the real Bolt app over HTTP with signed requests and the Slack stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from console.harness import SlackHarness
from domain import identities
from domain.context import DomainContext
from domain.permissions import SYSTEM, Actor
from tests.factories import make_user

TEAM = "T0FARLAB"
PEOPLE = {"admin": "UADMIN", "manager": "UMANAGER", "member": "UMEMBER"}


@dataclass
class Lab:
    harness: SlackHarness
    actors: dict[str, Actor]

    @property
    def ctx(self) -> DomainContext:
        return self.harness.ctx

    def command(self, role: str, text: str) -> dict:
        """Run ``/farlab text`` as a role's Slack user; the ack's JSON body (or {})."""
        response = self.harness.slack.command(PEOPLE.get(role, role), text)
        assert response.status_code == 200, response.text
        return response.json() if response.content else {}


@pytest.fixture
def lab(ctx: DomainContext) -> Iterator[Lab]:
    actors = {}
    for role, slack_id in PEOPLE.items():
        actor = make_user(ctx, role)
        identities.link_identity(
            ctx, actor=SYSTEM, team_id=TEAM, slack_user_id=slack_id, user_id=actor.user_id
        )
        actors[role] = actor
    with SlackHarness(ctx) as harness:
        yield Lab(harness=harness, actors=actors)
