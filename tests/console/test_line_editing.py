"""Tab completion of console steps, ``/farlab`` subcommands and usernames (readline's
side is tried at a real terminal in test_console.py)."""

from __future__ import annotations

import pytest

from console.line_editing import complete, farlab_words

STEPS = ["as", "channel", "dms", "home", "press", "slack-user", "tick", "users"]
PEOPLE = ["admin.demo", "phd.sara", "postdoc.li"]


def test_the_farlab_words_are_read_from_each_command_usage() -> None:
    table = [
        ("parts", "parts [query]"),
        ("part", "part <part> | part add | part edit <part> | part delete <part>"),
        ("user", "user <username> | user role <username> admin|manager | user sign|out <u>"),
    ]
    assert farlab_words(table) == {
        "help": [],
        "parts": [],
        "part": ["add", "delete", "edit"],
        "user": ["out", "role", "sign"],
    }


def test_the_real_commands_offer_their_subcommands() -> None:
    words = farlab_words()
    assert {"help", "parts", "part", "use", "alerts", "user", "instrument"} <= set(words)
    assert {"add", "edit", "archive", "delete"} <= set(words["part"])
    assert {"add", "edit", "link", "role", "deactivate", "reactivate", "signout"} <= set(
        words["user"]
    )
    assert {"history", "archive", "delete", "status"} <= set(words["instrument"])


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("", [*STEPS[:5], "/farlab", *STEPS[5:]]),
        ("ti", ["tick"]),
        ("US", ["users"]),
        ("/f", ["/farlab"]),
        ("/farlab pa", ["part", "parts"]),
        ("/farlab  part ", ["add", "delete", "edit"]),
        ("/farlab part e", ["edit"]),
        ("/farlab part edit F", []),
        ("as p", ["phd.sara", "postdoc.li"]),
        ("press 1", []),
        ("nothing", []),
    ],
)
def test_completion_offers_what_may_follow_the_words_typed(line: str, offered: list[str]) -> None:
    farlab = {"part": ["add", "delete", "edit"], "parts": [], "help": []}
    assert complete(line, steps=STEPS, farlab=farlab, people=PEOPLE) == sorted(offered)
