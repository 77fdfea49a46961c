"""Slack mrkdwn shown in a terminal: bold, italic, strike, code and links become rich styles.

A light conversion, not a full parser: ``*bold*``, ``_italic_``, ``~strike~``, ```code```,
```` ```blocks``` ````, ``<url|text>``, ``<@U123>``, ``<#C123|name>``, ``<!here>`` and
``<!date^...|fallback>``; ``:emoji:`` codes stay as they are, and ``&lt;`` ``&gt;`` ``&amp;``
are unescaped for display.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.style import Style
from rich.text import Text

NameOf = Callable[[str], str]

BOLD = Style(bold=True)
ITALIC = Style(italic=True)
STRIKE = Style(strike=True)
CODE = Style(color="cyan")
LINK = Style(underline=True)

_TOKEN = re.compile(
    r"```(?P<pre>.+?)```"
    r"|`(?P<code>[^`\n]+)`"
    r"|<(?P<link>[^<>\n]+)>"
    r"|(?<![\w*])\*(?P<bold>\S(?:[^*\n]*?\S)?)\*(?![\w*])"
    r"|(?<![\w_])_(?P<italic>\S(?:[^_\n]*?\S)?)_(?![\w_])"
    r"|(?<![\w~])~(?P<strike>\S(?:[^~\n]*?\S)?)~(?![\w~])",
    re.DOTALL,
)
_STYLES = {"bold": BOLD, "italic": ITALIC, "strike": STRIKE}


def unescape(text: str) -> str:
    """Slack's three entities back to characters (``&amp;`` last, so ``&amp;lt;`` stays)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mrkdwn_to_text(
    source: str, *, name_of: NameOf | None = None, style: Style | None = None
) -> Text:
    """``source`` (Slack mrkdwn) as a rich ``Text``; ``name_of`` names ``<@U…>`` mentions."""
    text = Text()
    _append(text, source, style or Style(), name_of or (lambda user_id: user_id))
    return text


def plain_to_text(source: str, *, style: Style | None = None) -> Text:
    """A ``plain_text`` object's text: shown as is (emoji codes included)."""
    return Text(source, style=style or "")


def _append(out: Text, source: str, style: Style, name_of: NameOf) -> None:
    position = 0
    for match in _TOKEN.finditer(source):
        if match.start() > position:
            out.append(unescape(source[position : match.start()]), style)
        kind = match.lastgroup or ""
        inner = match.group(kind)
        if kind in ("pre", "code"):
            out.append(unescape(inner.strip("\n") if kind == "pre" else inner), style + CODE)
        elif kind == "link":
            label, url = _link(inner, name_of)
            link_style = style + LINK + (Style(link=url) if url else Style())
            out.append(label, link_style)
        else:
            _append(out, inner, style + _STYLES[kind], name_of)
        position = match.end()
    if position < len(source):
        out.append(unescape(source[position:]), style)


def _link(inner: str, name_of: NameOf) -> tuple[str, str | None]:
    """A ``<...>`` token as (what to show, the URL to link to, if it is one)."""
    target, _, label = inner.partition("|")
    label = unescape(label)
    if target.startswith("@"):
        return (label if label.startswith("@") else f"@{label or name_of(target[1:])}"), None
    if target.startswith("#"):
        return f"#{label or target[1:]}", None
    if target.startswith("!"):
        special = target[1:].split("^", 1)[0]
        if special in ("here", "channel", "everyone"):
            return f"@{special}", None
        return label or f"@{special}", None
    url = unescape(target)
    return label or url, url
