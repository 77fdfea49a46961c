"""A local stand-in for Slack: the Web API and response_urls (``SlackStandIn``), and
Slack's signed requests to the app (``SignedSlack``). Used by tests, benchmarks and the
offline console; nothing here reaches the network beyond 127.0.0.1."""

from bot.sandbox.calls import Call
from bot.sandbox.client import SignedSlack
from bot.sandbox.forms import fill_modal
from bot.sandbox.server import SlackStandIn
from bot.sandbox.signing import Signing, slack_signature

__all__ = ["Call", "SignedSlack", "Signing", "SlackStandIn", "fill_modal", "slack_signature"]
