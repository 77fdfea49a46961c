"""A person's browser on the link pages: open a link, read its form, fill it in, post it.

The pages are fetched over real HTTP from the harness's uvicorn server; the CSRF value is
read out of the form's HTML like a browser would send it back, with the page's cookie.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from slack_stand_in import SlackStandIn


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, str] = {}
        self.action: str | None = None
        self.links: list[str] = []  # every URL the page would load or go to

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = found.get("action")
        if tag == "input" and "name" in found:
            self.inputs[found["name"]] = found.get("value", "")
        for name in ("href", "src", "action", "formaction", "srcset", "background"):
            if name in found:
                self.links.append(found[name])


@dataclass
class Page:
    response: httpx.Response
    inputs: dict[str, str] = field(default_factory=dict)
    action: str | None = None
    links: list[str] = field(default_factory=list)

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def text(self) -> str:
        return self.response.text

    @property
    def has_form(self) -> bool:
        return self.action is not None


def read_page(response: httpx.Response) -> Page:
    reader = _FormReader()
    reader.feed(response.text)
    return Page(response, reader.inputs, reader.action, reader.links)


def open_link(browser: httpx.Client, url: str) -> Page:
    return read_page(browser.get(url))


def fill_in(browser: httpx.Client, page: Page, **answers: str) -> Page:
    """Post the page's form with its hidden fields and ``answers`` (``password2``, ...)."""
    assert page.action, "the page has no form"
    return read_page(browser.post(page.action, data={**page.inputs, **answers}))


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def link_buttons(message: dict[str, Any]) -> list[str]:
    """The URLs of a message's link buttons."""
    urls = []
    for block in message.get("blocks", []):
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("url"):
                urls.append(element["url"])
    return urls


def dm_link(stand_in: SlackStandIn, slack_user_id: str, count: int = 1) -> str:
    """The link button of the ``count``-th DM with a link to this person (waits for it)."""

    def links() -> list[str]:
        return [u for m in stand_in.messages(slack_user_id) for u in link_buttons(m)]

    stand_in.wait_until(lambda: len(links()) >= count)
    return links()[count - 1]
