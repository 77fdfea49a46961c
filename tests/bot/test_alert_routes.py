"""Routes from Slack: `/farlab alerts route <category|instrument> #channel` and `alerts routes`,
with channels as Slack sends them when the command escapes them (``<#C123|name>``)."""

from __future__ import annotations

import pytest

from bot.commands.parse import mention_id, words
from domain import alert_routes, instruments
from domain.permissions import SYSTEM
from tests.bot.alerting import low_part
from tests.bot.conftest import Lab


def _text(answer: dict) -> str:
    return answer.get("text", "") + str(answer.get("blocks", []))


@pytest.mark.parametrize(
    ("word", "kind", "expected"),
    [
        ("<#C0LAB|lab-alerts>", "#", "C0LAB"),
        ("<#G01AB>", "#", "G01AB"),
        ("<@U0JANE|jane.doe>", "@", "U0JANE"),
        ("<@W0JANE>", "@", "W0JANE"),
        ("<@U0JANE|jane>", "#", None),
        ("<#C0LAB|lab>", "@", None),
        ("#lab-alerts", "#", None),
        ("<!channel>", "#", None),
        ("<#c0lab|lab>", "#", None),
        ("C0LAB", "#", None),
    ],
)
def test_mention_id_reads_slacks_escaped_mentions(word, kind, expected):
    assert mention_id(word, kind) == expected


def test_words_keep_mentions_whole_and_still_unescape_the_rest():
    text = "alerts route Vacuum &amp; gas <#C0VAC|vacuum-gas> for <@U0JO|o'brien &amp; co>"
    assert words(text) == [
        "alerts",
        "route",
        "Vacuum",
        "&",
        "gas",
        "<#C0VAC|vacuum-gas>",
        "for",
        "<@U0JO|o'brien &amp; co>",
    ]
    assert words('part "FIL 1002" &lt;b&gt;') == ["part", "FIL 1002", "<b>"]


def test_a_manager_routes_a_category_and_an_instrument_and_lists_them(lab: Lab):
    low_part(lab.ctx, category="Vacuum fittings", stock=10)
    instruments.create_instrument(lab.ctx, actor=SYSTEM, name="Kiel IV", model="Kiel")
    answer = lab.command("manager", "alerts route vacuum fittings <#C0VAC|vacuum>")
    assert "Vacuum fittings" in _text(answer)
    assert "<#C0VAC>" in _text(answer)
    lab.command("admin", "alerts route Kiel IV <#C0KIEL|kiel>")
    lab.command("manager", "alerts route Vacuum Fittings <#C0GAS|gas>")  # replaces the first
    listed = _text(lab.command("member", "alerts routes"))
    assert "category *Vacuum fittings* → <#C0GAS>" in listed
    assert "instrument *Kiel IV* → <#C0KIEL>" in listed
    assert "C0VAC" not in listed
    assert "wait until one is set" in listed
    routes = alert_routes.list_alert_routes(lab.ctx, actor=SYSTEM)
    assert [(r.kind, r.channel_id) for r in routes] == [
        ("category", "C0GAS"),
        ("instrument", "C0KIEL"),
    ]
    removed = lab.command("manager", "alerts unroute kiel iv")
    assert "Removed the route for *Kiel IV*" in _text(removed)
    assert len(alert_routes.list_alert_routes(lab.ctx, actor=SYSTEM)) == 1


def test_a_member_may_not_route_alerts(lab: Lab):
    low_part(lab.ctx, category="Vacuum")
    answer = lab.command("member", "alerts route Vacuum <#C0VAC|vacuum>")
    assert "may not" in _text(answer)
    assert alert_routes.list_alert_routes(lab.ctx, actor=SYSTEM) == ()


def test_route_mistakes_are_explained_and_change_nothing(lab: Lab):
    low_part(lab.ctx, category="Vacuum")
    for text, says in [
        ("alerts route Vacuum #vacuum", "No channel named #vacuum that FarLab can see"),
        ("alerts route Vacuum lab", "picked from Slack's list"),
        ("alerts route <#C0VAC|vacuum>", "Usage"),
        ("alerts route Nowhere <#C0VAC|vacuum>", "No category or instrument named Nowhere"),
        ("alerts route instrument Vacuum <#C0VAC|vacuum>", "No instrument named Vacuum"),
        ("alerts unroute Vacuum", "No route for Vacuum"),
        ("alerts frobnicate", "Usage"),
    ]:
        assert says in _text(lab.command("manager", text)), text
    assert alert_routes.list_alert_routes(lab.ctx, actor=SYSTEM) == ()


def test_a_category_no_part_has_yet_can_be_routed_by_saying_category(lab: Lab):
    answer = lab.command("manager", "alerts route category Cryogenics <#C0CRY|cryo>")
    assert "Cryogenics" in _text(answer)


def test_the_manifest_makes_slack_escape_channels_in_farlab_commands():
    import yaml

    from tests.bot.alerting import ROOT

    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    [farlab] = manifest["features"]["slash_commands"]
    assert farlab["command"] == "/farlab"
    assert farlab["should_escape"] is True
