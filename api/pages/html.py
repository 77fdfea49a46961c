"""The link pages' HTML: small, accessible, no scripts, no outside resources.

Every value that is not a literal here goes through ``html.escape``.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from html import escape

from domain.passwords import MIN_LENGTH

CSS = (
    "body{font:1.05rem/1.5 system-ui,sans-serif;color:#1b1b1b;background:#f4f6f8;margin:0}"
    "main{max-width:28rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.15)}"
    "h1{font-size:1.4rem;margin-top:0;color:#1d4f6e}"
    "label{display:block;font-weight:600;margin-top:1rem}"
    "input{box-sizing:border-box;width:100%;font:inherit;padding:.5rem;margin-top:.25rem;"
    "border:1px solid #6b7280;border-radius:4px}"
    "input:focus,button:focus{outline:3px solid #f0b429;outline-offset:2px}"
    "button{margin-top:1.5rem;font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;"
    "border-radius:4px;background:#1d4f6e;color:#fff;cursor:pointer}"
    ".hint{color:#4b5563;font-size:.95rem;margin:.25rem 0 0}"
    ".error{border-left:4px solid #b42318;background:#fef3f2;padding:.5rem 1rem;margin:1rem 0}"
    ".done{border-left:4px solid #067647;background:#ecfdf3;padding:.5rem 1rem}"
)
_CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
# No scripts, no frames, nothing from elsewhere; forms post back here only.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
RULES = (
    f"At least {MIN_LENGTH} characters, with an uppercase letter, a lowercase letter and a "
    "digit; not a common password."
)


@dataclass(frozen=True)
class FormText:
    title: str
    intro: str  # may hold {username}
    button: str
    asks_username: bool  # the person types their username (else it is shown, read-only)
    new_password: bool  # choose a new password (twice) instead of proving the current one


FORMS = {
    "link": FormText(
        "Link your Slack account",
        "Sign in with your FarLab username and password to link your Slack account to it.",
        "Link my account",
        asks_username=True,
        new_password=False,
    ),
    "invite": FormText(
        "Welcome to FarLab",
        "Choose a password for your new FarLab account {username}. Your Slack account is "
        "linked to it at once.",
        "Set password and link",
        asks_username=False,
        new_password=True,
    ),
    "confirm-link": FormText(
        "Confirm your FarLab account",
        "A FarLab admin asked to link your Slack account to the FarLab account {username}. "
        "Enter its password to confirm.",
        "Confirm and link",
        asks_username=False,
        new_password=False,
    ),
    "password": FormText(
        "Choose a new password",
        "Choose a new password for your FarLab account {username}.",
        "Change password",
        asks_username=False,
        new_password=True,
    ),
}


def page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)} · FarLab</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _field(name: str, label: str, kind: str, autocomplete: str, *, value: str = "") -> str:
    extra = f' value="{escape(value)}"' if value else ""
    hint = ""
    if autocomplete == "new-password" and name == "password":
        hint = f'<p class="hint" id="rules">{escape(RULES)}</p>\n'
        extra += ' aria-describedby="rules"'
    return (
        f'<label for="{name}">{escape(label)}</label>\n{hint}'
        f'<input id="{name}" name="{name}" type="{kind}" autocomplete="{autocomplete}" '
        f"required{extra}>\n"
    )


def form_page(
    purpose: str,
    *,
    token: str,
    csrf: str,
    username: str | None,
    typed_username: str = "",
    error: str | None = None,
) -> str:
    """The form a link opens; ``error`` says what was wrong with the last attempt."""
    text = FORMS[purpose]
    intro = escape(text.intro).replace("{username}", f"<strong>{escape(username or '')}</strong>")
    parts = [f"<p>{intro}</p>\n"]
    if error:
        parts.append(f'<div class="error" role="alert"><p>{escape(error)}</p></div>\n')
    parts.append(f'<form method="post" action="/{escape(purpose)}">\n')
    parts.append(f'<input type="hidden" name="token" value="{escape(token)}">\n')
    parts.append(f'<input type="hidden" name="csrf" value="{escape(csrf)}">\n')
    if text.asks_username:
        parts.append(
            _field("username", "FarLab username", "text", "username", value=typed_username)
        )
    else:  # for password managers; the account is the one the link is for
        parts.append(
            f'<input type="hidden" name="username" autocomplete="username" '
            f'value="{escape(username or "")}">\n'
        )
    if text.new_password:
        parts.append(_field("password", "New password", "password", "new-password"))
        parts.append(_field("password2", "New password again", "password", "new-password"))
    else:
        parts.append(_field("password", "Password", "password", "current-password"))
    parts.append(f'<button type="submit">{escape(text.button)}</button>\n</form>')
    return page(text.title, "".join(parts))


def done_page(title: str, lines: list[str]) -> str:
    body = "".join(f"<p>{escape(line)}</p>\n" for line in lines)
    return page(title, f'<div class="done" role="status">\n{body}</div>')


def failure_page(title: str, lines: list[str]) -> str:
    body = "".join(f"<p>{escape(line)}</p>\n" for line in lines)
    return page(title, f'<div class="error" role="alert">\n{body}</div>')
