"""The shapes of Slack's requests the app relies on, checked once a request is verified.

Slack's payloads carry far more than these fields; only what Bolt's matchers, the actor
middleware and the listeners read is described, and anything else is let through as is.
A body that does not fit (not JSON, not an object, no ``user``, a ``view`` that is not an
object, ``actions`` that are not a list, a command without ``user_id``...) is refused with
400 and the first field that is wrong, before Bolt sees it.

That includes every field Bolt itself reads before any listener runs (to build its context:
who acts, in which team, enterprise and channel; to tell the kinds apart: a view's ``type``,
legacy ``interactive_message`` actions, ``workflow_step``): those are ids, so they must be
strings (or, where Slack nests them, objects with an ``id``) of printable characters. Text a
person typed (command text, form values, searches) is left to the listeners, which name the
field that holds a bad character.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qsl

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.request_checks import RequestRefused


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow")


def _printable(value: str) -> str:
    """An id as Slack writes one: no control characters, no unpaired surrogates."""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cs"):
            raise ValueError(f"contains a character that is not allowed (U+{ord(char):04X})")
    return value


Id = Annotated[str, AfterValidator(_printable)]


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("must be an object when present")
    return value


class _Ref(_Shape):
    id: Id
    team_id: Id | None = None  # a person's own workspace (bot.middleware.acting_team)


class _Authorization(_Shape):
    enterprise_id: Id | None = None
    team_id: Id | None = None
    user_id: Id | None = None


class _Option(_Shape):
    value: str


class _Action(_Shape):
    action_id: str
    block_id: str | None = None
    value: str | None = None
    selected_option: _Option | None = None


class _Element(_Shape):
    type: str | None = None
    value: str | None = None
    selected_date: date | None = None
    selected_option: _Option | None = None
    selected_options: list[_Option] | None = None
    selected_user: str | None = None
    selected_conversation: Id | None = None
    selected_channel: Id | None = None


class _State(_Shape):
    values: dict[str, dict[str, _Element]]


class _View(_Shape):
    id: str
    type: str
    callback_id: str = ""
    team_id: Id | None = None
    app_installed_team_id: Id | None = None
    private_metadata: str = ""
    blocks: list[dict[str, Any]] = []
    state: _State | None = None


class _Interaction(_Shape):
    """Every ``payload=`` body: the parts Bolt reads to build its context."""

    type: str
    user: _Ref | None = None
    user_id: Id | None = None
    team: _Ref | None = None
    team_id: Id | None = None
    enterprise: _Ref | None = None
    enterprise_id: Id | None = None
    channel: _Ref | None = None
    channel_id: Id | None = None
    container: dict[str, Any] | None = None
    message: dict[str, Any] | None = None
    view: _View | None = None
    authorizations: list[_Authorization] | None = None
    response_url: str | None = None
    response_urls: list[dict[str, Any]] | None = None
    trigger_id: str | None = None

    _view_not_null = field_validator("view", mode="before")(_not_null)


class _BlockActions(_Interaction):
    user: _Ref
    trigger_id: str
    actions: list[_Action] = Field(min_length=1)


class _ViewSubmission(_Interaction):
    user: _Ref
    view: _View

    @model_validator(mode="after")
    def _step_has_its_workflow_step(self) -> _ViewSubmission:
        if self.view.type == "workflow_step" and not isinstance(
            getattr(self, "workflow_step", None), dict
        ):
            raise ValueError("a workflow_step view comes with a workflow_step object")
        return self


class _AttachmentActions(_Interaction):
    """Legacy message-attachment buttons: Bolt reads the first action when there is a
    ``callback_id``."""

    actions: list[dict[str, Any]] | None = None

    @model_validator(mode="after")
    def _has_an_action(self) -> _AttachmentActions:
        if getattr(self, "callback_id", None) is not None and not self.actions:
            raise ValueError("interactive_message comes with at least one action")
        return self


class _WorkflowStepEdit(_Interaction):
    workflow_step: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _has_its_workflow_step(self) -> _WorkflowStepEdit:
        if getattr(self, "callback_id", None) is not None and self.workflow_step is None:
            raise ValueError("workflow_step_edit comes with a workflow_step object")
        return self


class _Shortcut(_Interaction):
    """A global shortcut: who chose it and which; no channel, no message."""

    user: _Ref
    trigger_id: str
    callback_id: str


class _MessageAction(_Shortcut):
    """A message shortcut: also the message it was chosen on (with its ``ts``), and its
    channel."""

    channel: _Ref
    message: dict[str, Any]

    @field_validator("message")
    @classmethod
    def _has_its_ts(cls, message: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(message.get("ts"), str):
            raise ValueError("the message comes with its ts")
        return message


class _BlockSuggestion(_Interaction):
    user: _Ref
    action_id: str
    value: str


class _Actors(_Shape):
    """Where Bolt looks for who acts and in which channel, in an event and in the messages
    and items it carries."""

    user: Id | _Ref | None = None
    user_id: Id | None = None
    channel: Id | _Ref | None = None
    channel_id: Id | None = None


class _Event(_Actors):
    type: str
    message: _Actors | None = None
    previous_message: _Actors | None = None
    item: _Actors | None = None


class _AppHomeOpened(_Event):
    user: Id
    tab: str | None = None


class _EventCallback(_Shape):
    type: str
    team_id: Id
    event_id: Id
    event: _Event
    enterprise_id: Id | None = None
    authorizations: list[_Authorization] | None = None


class _Typed(_Shape):
    type: str


class _UrlVerification(_Typed):
    challenge: str


class _Command(_Shape):
    command: str
    user_id: Id
    trigger_id: str
    team_id: Id | None = None
    enterprise_id: Id | None = None
    channel_id: Id | None = None


M = TypeVar("M", bound=_Shape)
_INTERACTIONS: dict[str, type[_Interaction]] = {
    "block_actions": _BlockActions,
    "view_submission": _ViewSubmission,
    "view_closed": _ViewSubmission,
    "block_suggestion": _BlockSuggestion,
    "shortcut": _Shortcut,
    "message_action": _MessageAction,
    "interactive_message": _AttachmentActions,
    "workflow_step_edit": _WorkflowStepEdit,
}
_EVENTS: dict[str, type[_Event]] = {"app_home_opened": _AppHomeOpened}


@dataclass(frozen=True)
class SlackPayload:
    """A verified, well-formed request: what it is (``command``, ``event_callback``, an
    interaction's ``type``...), its parsed body, and its event's id if it is an event."""

    kind: str
    body: dict[str, Any]
    event_id: str | None = None


def parse_payload(text: str, content_type: str | None) -> SlackPayload:
    """The request's body checked against what the app reads, or ``RequestRefused(400)``.

    The body is told apart as ``bolt_fixes.parse_body`` tells it: JSON (events), a form with
    a ``payload`` field (interactivity), or a plain form (slash commands, ``ssl_check``).
    """
    if content_type == "application/json" or text.startswith("{"):
        return _json_payload(_json_object(text))
    params = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in params:
        body = _json_object(params["payload"])
        kind = body.get("type")
        model = _INTERACTIONS.get(kind, _Interaction) if isinstance(kind, str) else _Interaction
        return SlackPayload(kind=_check(model, body).type, body=body)
    if "ssl_check" in params:
        return SlackPayload(kind="ssl_check", body=dict(params))
    _check(_Command, params)
    return SlackPayload(kind="command", body=dict(params))


def _json_payload(body: dict[str, Any]) -> SlackPayload:
    kind = body.get("type")
    if kind == "event_callback":
        event = _check(_EventCallback, body).event
        _check(_EVENTS.get(event.type, _Event), body["event"], "event")
        return SlackPayload(
            kind="event_callback", body=body, event_id=f"{body['team_id']}:{body['event_id']}"
        )
    model = _UrlVerification if kind == "url_verification" else _Typed
    return SlackPayload(kind=_check(model, body).type, body=body)


def _json_object(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        raise _malformed("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _malformed("the body is not a JSON object")
    return body


def _check(model: type[M], data: dict[str, Any], prefix: str = "") -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in (prefix, *first["loc"]) if part != "")
        raise _malformed(f"{where}: {first['msg']}") from None


def _malformed(detail: str) -> RequestRefused:
    return RequestRefused(400, "malformed_payload", detail)
