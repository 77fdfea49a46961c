"""A form with several bad fields shows every error on the first submit, each under its own
field (``response_action: errors`` with one key per field), and changes nothing."""

from __future__ import annotations

from tests.bot.conftest import Lab
from tests.bot.steps import lab_state, modal_from_command, submit

BACKWARDS = "\u202eevil"  # a text-direction control: refused in one-line text


def _errors(lab: Lab, role: str, command: str, answers: dict[str, str]) -> dict[str, str]:
    form = modal_from_command(lab, role, command)
    before = lab_state(lab)
    ack = submit(lab, role, form, answers)
    assert ack.get("response_action") == "errors", ack
    assert lab_state(lab) == before
    return dict(ack["errors"])


def test_an_instrument_form_with_two_bad_fields_names_both_at_once(lab: Lab) -> None:
    answers = {
        "Name": f"MAT {BACKWARDS}",
        "Model": "MAT 253",
        "Maintenance every (days)": "0",
    }
    errors = _errors(lab, "manager", "instrument add", answers)
    assert set(errors) == {"name", "maintenance_interval_days"}
    assert "text-direction control" in errors["name"]
    assert errors["maintenance_interval_days"] == "Interval must be between 1 and 3650 days."


def test_a_part_form_with_three_bad_fields_names_all_three_at_once(lab: Lab) -> None:
    answers = {
        "Part number": "FIL-9",
        "Name": "Filament",
        "Category": f"Fil {BACKWARDS}",
        "Minimum stock": "-1",
        "Stock now": "100001",
    }
    errors = _errors(lab, "manager", "part add", answers)
    assert set(errors) == {"category", "minimum_stock_level", "quantity_in_stock"}
    assert "text-direction control" in errors["category"]
    assert "between 0 and 100,000" in errors["minimum_stock_level"]
    assert "between 0 and 100,000" in errors["quantity_in_stock"]


def test_numbers_that_cannot_be_read_are_named_together(lab: Lab) -> None:
    answers = {"Part number": "FIL-9", "Name": "Filament", "Minimum stock": "two", "Stock now": "x"}
    errors = _errors(lab, "manager", "part add", answers)
    assert errors == {
        "minimum_stock_level": "Enter a whole number.",
        "quantity_in_stock": "Enter a whole number.",
    }


def test_an_invitation_with_two_bad_fields_names_both_at_once(lab: Lab) -> None:
    answers = {
        "account.slack_user": "UNEW",
        "Username": "x",
        "First name": "Nia",
        "Last name": "Ewing",
        "E-mail": "not-an-address",
    }
    errors = _errors(lab, "admin", "user add", answers)
    assert set(errors) == {"username", "email"}
    assert errors["username"].startswith("Username must be 3-50 characters")
    assert errors["email"].startswith("Email is not valid")
