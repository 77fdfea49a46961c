"""FarLab's link pages in the console: a small browser that opens a DM's link, shows the
page as text, and sends its form with the answers typed (cookies kept, as a browser does).

Only the pages this console serves itself (the harness's link pages) are opened here; any
other URL is only shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx
from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from console.errors import StepFailed
from console.render import DIM, ERROR, Card

TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class PageField:
    """A form input a person fills in (hidden ones are sent as they are)."""

    name: str
    label: str
    kind: str  # "text", "password", ...

    @property
    def secret(self) -> bool:
        return self.kind == "password"


@dataclass
class WebPage:
    url: str
    status: int
    title: str = ""
    lines: list[tuple[str, bool]] = field(default_factory=list)  # (text, is an error)
    action: str | None = None
    hidden: dict[str, str] = field(default_factory=dict)
    fields: list[PageField] = field(default_factory=list)

    @property
    def has_form(self) -> bool:
        return self.action is not None


class _PageReader(HTMLParser):
    """The heading, paragraphs, form and inputs of a link page."""

    def __init__(self, page: WebPage) -> None:
        super().__init__()
        self.page = page
        self.labels: dict[str, str] = {}
        self.inputs: list[tuple[str, str]] = []  # (name, type) in order
        self.capture: str | None = None  # "h1", "p" or "label:<for>"
        self.text: list[str] = []
        self.in_error = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "div" and "error" in found.get("class", "").split():
            self.in_error = True
        elif tag in ("h1", "p"):
            self.capture, self.text = tag, []
        elif tag == "label":
            self.capture, self.text = f"label:{found.get('for', '')}", []
        elif tag == "form":
            self.page.action = found.get("action", "")
        elif tag == "input" and found.get("name"):
            if found.get("type") == "hidden":
                self.page.hidden[found["name"]] = found.get("value", "")
            else:
                self.inputs.append((found["name"], found.get("type", "text")))

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self.text).split())
        if tag == "div":
            self.in_error = False
        elif tag == "h1" and self.capture == "h1":
            self.page.title = text
        elif tag == "p" and self.capture == "p" and text:
            self.page.lines.append((text, self.in_error))
        elif tag == "label" and self.capture and self.capture.startswith("label:"):
            self.labels[self.capture.removeprefix("label:")] = text
        else:
            return
        self.capture = None

    def handle_data(self, data: str) -> None:
        if self.capture is not None:
            self.text.append(data)


def read_page(url: str, response: httpx.Response) -> WebPage:
    page = WebPage(url, response.status_code)
    reader = _PageReader(page)
    reader.feed(response.text)
    page.fields = [PageField(n, reader.labels.get(n, n), kind) for n, kind in reader.inputs]
    return page


class Browser:
    """One browser for the whole console session (the link pages' CSRF cookie lives here)."""

    def __init__(self) -> None:
        self.client = httpx.Client(timeout=TIMEOUT_SECONDS)

    def open(self, url: str) -> WebPage:
        try:
            return read_page(url, self.client.get(url))
        except httpx.HTTPError as exc:
            raise StepFailed(f"The page did not open: {exc}") from None

    def send(self, page: WebPage, answers: dict[str, str]) -> WebPage:
        """Post the page's form: its hidden inputs and ``answers``."""
        target = urljoin(page.url, page.action or "")
        try:
            return read_page(target, self.client.post(target, data={**page.hidden, **answers}))
        except httpx.HTTPError as exc:
            raise StepFailed(f"The form was not sent: {exc}") from None

    def close(self) -> None:
        self.client.close()


def page_card(page: WebPage) -> Card:
    """The page as a panel: its heading, paragraphs (errors in red) and its inputs."""
    title = f"Web page: {page.title or page.url}"
    parts: list[Text] = []
    for line, is_error in page.lines:
        parts.append(Text(("⚠ " if is_error else "") + line, style=ERROR if is_error else ""))
    for number, entry in enumerate(page.fields, start=1):
        hidden = ", hidden as you type" if entry.secret else ""
        parts.append(Text(f"({number}) {entry.label}  {entry.kind}{hidden}", style=DIM))
    panel = Panel(
        Group(*parts),
        title=Text(title, style="bold"),
        title_align="left",
        subtitle=Text(f"HTTP {page.status}", style=DIM),
        subtitle_align="left",
        border_style="green",
        box=box.ROUNDED,
    )
    return Card(panel, "\n".join([title, *(p.plain for p in parts)]))
