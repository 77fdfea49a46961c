"""A local stand-in for Slack: the Web API and response_urls (``SlackStandIn``), and
Slack's signed requests to the app (``SignedSlack``). Used by tests, benchmarks and the
offline console; nothing here reaches the network beyond 127.0.0.1."""

from slack_stand_in.calls import Call
from slack_stand_in.client import SignedSlack
from slack_stand_in.forms import fill_modal
from slack_stand_in.server import SlackStandIn
from slack_stand_in.signing import Signing, slack_signature

__all__ = ["Call", "SignedSlack", "Signing", "SlackStandIn", "fill_modal", "slack_signature"]
