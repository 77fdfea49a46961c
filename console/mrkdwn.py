"""Slack mrkdwn shown in a terminal: bold, italic, strike, code and links become rich styles.

A light conversion, not a full parser: ``*bold*``, ``_italic_``, ``~strike~``, ```code```,
```` ```blocks``` ````, ``<url|text>``, ``<@U123>``, ``<#C123|name>``, ``<!here>`` and
``<!date^...|fallback>``; ``:emoji:`` codes stay as they are, and ``&lt;`` ``&gt;`` ``&amp;``
are unescaped for display. A date token is shown as Slack shows it to each reader, in the
machine's local time zone (its fallback only when the token cannot be read).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo

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
_DATE_PART = re.compile(r"\{(\w+)\}")
_RELATIVE = {-1: "yesterday", 0: "today", 1: "tomorrow"}


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
        return f"#{label or name_of(target[1:])}", None
    if target.startswith("!date^"):
        return _date_token(target, label), None
    if target.startswith("!"):
        special = target[1:].split("^", 1)[0]
        if special in ("here", "channel", "everyone"):
            return f"@{special}", None
        return label or f"@{special}", None
    url = unescape(target)
    return label or url, url


def _date_token(target: str, fallback: str) -> str:
    """``!date^EPOCH^TEMPLATE[^link]`` in the local zone, else its fallback text."""
    parts = target.split("^")
    try:
        return render_date(int(parts[1]), parts[2])
    except (IndexError, ValueError, OverflowError, OSError):
        return fallback or target


def render_date(
    epoch: int, template: str, *, zone: tzinfo | None = None, today: date | None = None
) -> str:
    """A date token's template filled in as Slack fills it in, in ``zone`` (default: the
    machine's local zone); ``today`` decides "yesterday", "today" and "tomorrow" (default:
    today in that zone). Times are shown on the 24-hour clock; an unknown token is kept."""
    moment = datetime.fromtimestamp(epoch, UTC).astimezone(zone)
    current = today or datetime.now(moment.tzinfo).date()

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.endswith("_pretty"):
            relative = _RELATIVE.get((moment.date() - current) // timedelta(days=1))
            if relative is not None:
                return relative.capitalize() if match.start() == 0 else relative
            name = name.removesuffix("_pretty")
        shown = _date_part(moment, name)
        return match.group(0) if shown is None else shown

    return _DATE_PART.sub(fill, template)


def _date_part(moment: datetime, name: str) -> str | None:
    day = f"{moment.day}{_ordinal(moment.day)}"
    parts = {
        "date_num": moment.strftime("%Y-%m-%d"),
        "date": f"{moment:%B} {day}, {moment.year}",
        "date_short": f"{moment:%b} {moment.day}, {moment.year}",
        "date_long": f"{moment:%A}, {moment:%B} {day}, {moment.year}",
        "time": moment.strftime("%H:%M"),
        "time_secs": moment.strftime("%H:%M:%S"),
    }
    return parts.get(name)


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
