"""Block Kit in a terminal: each message or view becomes a rich panel, buttons numbered.

Every button gets a number (``[3] Restock``) that ``press 3`` refers to; URL buttons show
their URL. Input blocks of a modal get their own numbers (``(2) For instrument``), given by
the modal's form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from console.mrkdwn import NameOf, mrkdwn_to_text, plain_to_text

SurfaceKind = Literal["message", "ephemeral", "modal", "home"]
DIM = Style(dim=True)
EMPTY = "(empty)"  # how an input without a value is shown
ERROR = Style(color="red")
_BUTTON_STYLES = {
    "primary": Style(bold=True, color="green"),
    "danger": Style(bold=True, color="red"),
}


@dataclass(frozen=True)
class Surface:
    """Where blocks are shown: a channel message, an ephemeral one, a modal or Home."""

    kind: SurfaceKind
    data: Mapping[str, Any]

    @property
    def key(self) -> tuple[str, ...]:
        if self.kind in ("modal", "home"):
            return (self.kind, str(self.data.get("id")))
        return (self.kind, str(self.data.get("channel")), str(self.data.get("ts")))


@dataclass(frozen=True)
class ButtonRef:
    """A numbered button: what ``press N`` clicks."""

    number: int
    surface: Surface
    block_id: str
    element: Mapping[str, Any]

    @property
    def action_id(self) -> str:
        return str(self.element.get("action_id", ""))

    @property
    def label(self) -> str:
        return str((self.element.get("text") or {}).get("text", self.action_id))

    @property
    def url(self) -> str | None:
        url = self.element.get("url")
        return str(url) if url else None


@dataclass(frozen=True)
class FileRef:
    """A numbered file shared in a message: what ``save N`` saves."""

    number: int
    file: Mapping[str, Any]

    @property
    def name(self) -> str:
        return str(self.file.get("name") or self.file.get("id"))


@dataclass
class Numbering:
    """The buttons (and files) of one output, numbered from 1 in the order they are shown."""

    buttons: list[ButtonRef] = field(default_factory=list)
    files: list[FileRef] = field(default_factory=list)

    def add(self, surface: Surface, block_id: str, element: Mapping[str, Any]) -> ButtonRef:
        ref = ButtonRef(len(self.buttons) + 1, surface, block_id, element)
        self.buttons.append(ref)
        return ref

    def add_file(self, file: Mapping[str, Any]) -> FileRef:
        ref = FileRef(len(self.files) + 1, file)
        self.files.append(ref)
        return ref


@dataclass(frozen=True)
class FieldShown:
    """How a modal input is shown: its number, its current value, an error from the app."""

    number: int
    value: str
    error: str | None = None


@dataclass
class Card:
    """One rendered surface, and its text without styles (for ``expect``)."""

    renderable: RenderableType
    plain: str


FieldsOf = Callable[[str], FieldShown | None]


class BlockRenderer:
    """Renders blocks; buttons are numbered by ``numbering``, inputs described by ``fields``."""

    def __init__(
        self, numbering: Numbering, *, name_of: NameOf | None = None, fields: FieldsOf | None = None
    ) -> None:
        self.numbering = numbering
        self.name_of = name_of
        self.fields = fields or (lambda _block_id: None)

    def card(self, surface: Surface, title: str, *, subtitle: str | None = None) -> Card:
        parts, plain = self.blocks(surface)
        border = "cyan" if surface.kind in ("modal", "home") else "blue"
        if surface.kind == "ephemeral":
            border = "magenta"
        panel = Panel(
            Group(*parts),
            title=Text(title, style="bold"),
            title_align="left",
            subtitle=Text(subtitle) if subtitle else None,
            subtitle_align="left",
            border_style=border,
            box=box.ROUNDED,
        )
        return Card(panel, "\n".join([title, *plain, subtitle or ""]))

    def blocks(self, surface: Surface) -> tuple[list[RenderableType], list[str]]:
        """The surface's blocks (a message without blocks: its text) as renderables."""
        blocks = surface.data.get("blocks") or []
        files = surface.data.get("files") or []
        parts: list[RenderableType] = []
        plain: list[str] = []
        if not blocks and surface.kind in ("message", "ephemeral"):
            text = self.mrkdwn(str(surface.data.get("text", "")))
            if text.plain or not files:
                parts, plain = [text], [text.plain]
        for block in blocks:
            shown, texts = self.block(surface, block)
            if shown is not None:
                parts.append(shown)
                plain.extend(texts)
        for file in files:
            line = self.file(file)
            parts.append(line)
            plain.append(line.plain)
        return parts, plain

    def file(self, file: Mapping[str, Any]) -> Text:
        """``[file 1] farlab-parts-2026-12-07.csv · CSV, 2.1 KB · save 1 [path]``."""
        ref = self.numbering.add_file(file)
        kind = str(file.get("pretty_type") or file.get("filetype") or "file")
        line = Text(f"[file {ref.number}] ", style=Style(bold=True))
        line.append(ref.name)
        line.append(f" · {kind}, {file_size(file.get('size'))}", style=DIM)
        line.append(f" · save {ref.number} [path]", style=DIM)
        return line

    def block(
        self, surface: Surface, block: Mapping[str, Any]
    ) -> tuple[RenderableType | None, list[str]]:
        kind = block.get("type")
        if kind == "header":
            text = self.text(block.get("text"), Style(bold=True))
            return text, [text.plain]
        if kind == "section":
            return self.section(surface, block)
        if kind == "context":
            texts = [self.context_element(e) for e in block.get("elements", [])]
            line = Text("  ", style=DIM).join(texts)
            line.stylize(DIM)
            return line, [line.plain]
        if kind == "divider":
            return Rule(style=DIM), []
        if kind == "actions":
            line = Text("  ").join(
                self.element(surface, block, e) for e in block.get("elements", [])
            )
            return line, [line.plain]
        if kind == "input":
            return self.input(block)
        if kind == "image":
            text = Text(f"[image: {block.get('alt_text', '')}]", style=DIM)
            return text, [text.plain]
        text = Text(f"[{kind} block]", style=DIM)
        return text, [text.plain]

    def section(
        self, surface: Surface, block: Mapping[str, Any]
    ) -> tuple[RenderableType, list[str]]:
        texts: list[Text] = []
        if block.get("text"):
            texts.append(self.text(block["text"]))
        plain = [t.plain for t in texts]
        body: RenderableType = texts[0] if texts else Text()
        fields = [self.text(f) for f in block.get("fields", [])]
        if fields:
            grid = Table.grid(padding=(0, 4))
            grid.add_column(ratio=1)
            grid.add_column(ratio=1)
            for left, right in zip(fields[::2], [*fields[1::2], Text()], strict=False):
                grid.add_row(left, right)
            body = Group(*texts, grid)
            plain += [f.plain for f in fields]
        accessory = block.get("accessory")
        if not isinstance(accessory, Mapping):
            return body, plain
        shown = self.element(surface, block, accessory)
        row = Table.grid(padding=(0, 2), expand=True)
        row.add_column(ratio=1)
        row.add_column(justify="right", no_wrap=True)
        row.add_row(body, shown)
        return row, [*plain, shown.plain]

    def element(
        self, surface: Surface, block: Mapping[str, Any], element: Mapping[str, Any]
    ) -> Text:
        """A button (numbered), or a short note for other interactive elements."""
        if element.get("type") != "button":
            placeholder = (element.get("placeholder") or {}).get("text", "")
            return Text(f"<{element.get('type')}{': ' + placeholder if placeholder else ''}>", DIM)
        ref = self.numbering.add(surface, str(block.get("block_id", "")), element)
        style = _BUTTON_STYLES.get(str(element.get("style")), Style(bold=True))
        shown = Text(f"[{ref.number}] {ref.label}", style=style)
        if ref.url:
            shown.append(f" → {ref.url}", style=Style(underline=True, link=ref.url))
        return shown

    def input(self, block: Mapping[str, Any]) -> tuple[RenderableType, list[str]]:
        label = str((block.get("label") or {}).get("text", ""))
        element = block.get("element") or {}
        about = describe_element(element)
        shown = self.fields(str(block.get("block_id", "")))
        number = f"({shown.number}) " if shown else ""
        line = Text(f"{number}{label}", style=Style(bold=True))
        line.append(f"  {about}{'' if block.get('optional') else ', required'}", style=DIM)
        if shown is not None:
            line.append("\n    " + (shown.value or EMPTY))
        hint = (block.get("hint") or {}).get("text")
        if hint:
            line.append(f"\n    {hint}", style=DIM)
        if shown is not None and shown.error:
            line.append(f"\n    ⚠ {shown.error}", style=ERROR)
        return line, [line.plain]

    def context_element(self, element: Mapping[str, Any]) -> Text:
        if element.get("type") == "image":
            return Text(f"[image: {element.get('alt_text', '')}]")
        return self.text(element)

    def text(self, obj: Any, style: Style | None = None) -> Text:
        """A text object: mrkdwn converted, plain_text as is."""
        if not isinstance(obj, Mapping):
            return Text(str(obj or ""), style=style or "")
        if obj.get("type") == "mrkdwn":
            return self.mrkdwn(str(obj.get("text", "")), style)
        return plain_to_text(str(obj.get("text", "")), style=style)

    def mrkdwn(self, source: str, style: Style | None = None) -> Text:
        return mrkdwn_to_text(source, name_of=self.name_of, style=style)


def describe_element(element: Mapping[str, Any]) -> str:
    """``number ≥ 1``, ``text``, ``date (YYYY-MM-DD)``, ``one of: a, b``, ``search``."""
    kind = str(element.get("type", ""))
    if kind == "number_input":
        low, high = element.get("min_value"), element.get("max_value")
        bounds = [f"≥ {low}" if low is not None else "", f"≤ {high}" if high is not None else ""]
        return " ".join(["number", *filter(None, bounds)])
    if kind == "plain_text_input":
        return "text, several lines" if element.get("multiline") else "text"
    if kind == "datepicker":
        return "date (YYYY-MM-DD)"
    if kind == "file_input":
        types = ", ".join(element.get("filetypes") or []) or "any file"
        return f"a file on this computer: its path ({types})"
    if kind == "timepicker":
        return "time (HH:MM)"
    if kind in ("static_select", "radio_buttons", "checkboxes", "multi_static_select"):
        names = [option_text(o) for o in all_options(element)]
        many = kind in ("checkboxes", "multi_static_select")
        if kind == "checkboxes" and len(names) == 1:
            return "yes or no"
        return ("any of: " if many else "one of: ") + ", ".join(names)
    if kind in ("external_select", "multi_external_select"):
        return "type to search" + (", several" if kind.startswith("multi") else "")
    if kind in ("users_select", "multi_users_select"):
        return "a username"
    if kind in ("conversations_select", "channels_select"):
        return "a channel: #name"
    return kind.replace("_", " ")


def all_options(element: Mapping[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


def option_text(option: Mapping[str, Any]) -> str:
    return str((option.get("text") or {}).get("text", option.get("value", "")))


def options_line(options: Sequence[Mapping[str, Any]]) -> Text:
    """A numbered list of options to pick from (``1. MAT253 — MAT 253 Plus · operational``)."""
    line = Text()
    for number, option in enumerate(options, start=1):
        about = (option.get("description") or {}).get("text")
        line.append(f"{number}. ", style=Style(bold=True))
        line.append(option_text(option))
        if about:
            line.append(f" — {about}", style=DIM)
        if number < len(options):
            line.append("\n")
    return line


def file_size(size: Any) -> str:
    """``812 bytes``, ``2.1 KB``, ``3.4 MB``."""
    if not isinstance(size, int):
        return "size unknown"
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.1f} KB"
    return f"{size / 1_000_000:.1f} MB"
