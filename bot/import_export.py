"""What FarLab does in Slack after it has answered an import or an export (each runs on the
runtime's threads, after the 3-second answer, with no request around it):

- ``preview_upload``: read the file the person picked from Slack, check it as they would
  import it, keep it, and DM them the preview (with the whole report as a file when the
  preview leaves rows out);
- ``apply_preview`` and ``cancel_preview``: Import or Cancel pressed in that DM, the
  preview updated in place with what became of it;
- ``send_export``: a table's file shared into the person's DM.

A refusal (a file Slack would not give, a file that cannot be imported, a click refused)
is told to the person; nothing is written then.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.blocks import imports as shown
from bot.blocks.replies import render_error
from bot.direct_messages import answer_later, post_direct_message, why_not_sent
from bot.errors import explain
from bot.runtime import BotRuntime
from bot.slack_files import FileNotRead, read_picked_file, send_file_to_dm
from domain import exports, import_previews, import_reports
from domain.errors import DomainError, Forbidden
from domain.permissions import Actor
from domain.table_files import MAX_FILE_BYTES

log = logging.getLogger("farlab.bot")


@dataclass(frozen=True)
class Upload:
    """A submitted import form: who, which file, and how to import it."""

    user_id: str
    actor: Actor
    file_id: str
    kind: str
    deactivate_missing: bool


@dataclass(frozen=True)
class PreviewClick:
    """Import or Cancel pressed on a preview: which preview, and where its message is."""

    preview_id: int
    token: str
    channel: str
    ts: str


def preview_upload(runtime: BotRuntime, client: WebClient, upload: Upload) -> None:
    name = ""
    try:
        picked = read_picked_file(client, upload.file_id, max_bytes=MAX_FILE_BYTES)
        name = picked.name
        started = import_previews.start_preview(
            runtime.ctx,
            actor=upload.actor,
            kind=upload.kind,
            data=picked.data,
            file_name=picked.name,
            deactivate_missing=upload.deactivate_missing,
        )
    except FileNotRead as problem:
        answer = shown.render_file_not_read(problem.file_name, problem.problem)
    except DomainError as refused:  # the file as a whole cannot be imported, or a refusal
        answer = shown.render_file_not_read(name, refused.message)
    except Exception as error:  # no request is left to answer: the person is told by DM
        answer = explain(error)
    else:
        report = started.report
        full = shown.needs_full_report(report)
        preview = shown.render_import_preview(report, started.kept, full_report=full)
        post_direct_message(client, upload.user_id, preview)
        if full:
            send_file_to_dm(
                client,
                upload.user_id,
                file_name=import_reports.report_file_name(report),
                content=import_reports.report_csv(report),
                title=f"Import report: {report.file_name}",
                comment=shown.report_comment(report),
            )
        return
    post_direct_message(client, upload.user_id, answer)


def apply_preview(
    runtime: BotRuntime, client: WebClient, actor: Actor, click: PreviewClick, respond: Respond
) -> None:
    try:
        report = import_previews.confirm_preview(
            runtime.ctx, actor=actor, preview_id=click.preview_id, token=click.token
        )
    except DomainError as refused:  # clicked twice, someone else's, expired
        _tell(respond, render_error(refused.message, refused=isinstance(refused, Forbidden)))
        return
    if not report.applied:  # FarLab changed since the preview: still pending, nothing written
        _tell(respond, shown.render_import_not_applied(report))
        return
    done = shown.render_import_done(report, by=actor.username)
    client.chat_update(channel=click.channel, ts=click.ts, **done)


def cancel_preview(
    runtime: BotRuntime, client: WebClient, actor: Actor, click: PreviewClick, respond: Respond
) -> None:
    try:
        cancelled = import_previews.cancel_preview(
            runtime.ctx, actor=actor, preview_id=click.preview_id, token=click.token
        )
    except DomainError as refused:
        _tell(respond, render_error(refused.message, refused=isinstance(refused, Forbidden)))
        return
    answer = shown.render_import_cancelled(cancelled)
    client.chat_update(channel=click.channel, ts=click.ts, **answer)


def send_export(
    runtime: BotRuntime,
    client: WebClient,
    actor: Actor,
    user_id: str,
    kind: str,
    fmt: str,
    response_url: str,
) -> None:
    """Export the table and share the file into the person's DM; if that fails, a
    follow-up to the command says so."""
    name = exports.export_file_name(runtime.ctx, kind=kind, fmt=fmt)
    try:
        export = exports.export_table(runtime.ctx, actor=actor, kind=kind, fmt=fmt)
        with export.content:
            data = export.content.read()
        name = export.file_name
        send_file_to_dm(
            client,
            user_id,
            file_name=name,
            content=data,
            title=name,
            comment=f"FarLab's {kind}: {export.rows:,} rows.",
        )
    except DomainError as refused:
        answer_later(response_url, shown.render_export_not_sent(name, refused.message))
    except Exception as error:  # Slack refused the upload, or could not be reached
        log.warning("export %s not sent to %s: %s", name, user_id, error)
        answer_later(response_url, shown.render_export_not_sent(name, why_not_sent(error) + "."))


def _tell(respond: Respond, message: dict[str, Any]) -> None:
    """An answer only the clicker sees, where they clicked."""
    respond(response_type="ephemeral", replace_original=False, **message)
