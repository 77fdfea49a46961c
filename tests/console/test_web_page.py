"""The console's browser: a link page read as text, its form's inputs, and a page that
cannot be reached."""

from __future__ import annotations

import httpx
import pytest

from api.pages.html import failure_page, form_page
from console.errors import StepFailed
from console.harness import free_port
from console.web_page import Browser, PageField, page_card, read_page


def test_a_link_page_is_read_as_its_heading_paragraphs_and_form() -> None:
    html = form_page(
        "invite", token="t0k", csrf="c5f", username="nora.k", error="The two are not the same."
    )
    page = read_page("http://127.0.0.1:8000/invite?token=t0k", httpx.Response(422, text=html))
    assert page.title == "Welcome to FarLab"
    assert page.lines[0] == (
        "Choose a password for your new FarLab account nora.k. Your Slack account is linked "
        "to it at once.",
        False,
    )
    assert ("The two are not the same.", True) in page.lines
    assert page.action == "/invite"
    assert page.hidden == {"token": "t0k", "csrf": "c5f", "username": "nora.k"}
    assert page.fields == [
        PageField("password", "New password", "password"),
        PageField("password2", "New password again", "password"),
    ]
    shown = page_card(page).plain
    assert "⚠ The two are not the same." in shown
    assert "(2) New password again  password, hidden as you type" in shown


def test_a_page_without_a_form_has_nothing_to_fill_in() -> None:
    html = failure_page("This link has expired", ["Ask a FarLab admin for a new one."])
    page = read_page("http://127.0.0.1:8000/invite", httpx.Response(410, text=html))
    assert (page.title, page.has_form, page.fields) == ("This link has expired", False, [])
    assert page.lines == [("Ask a FarLab admin for a new one.", True)]


def test_a_page_that_cannot_be_reached_is_a_failed_step() -> None:
    browser = Browser()
    try:
        with pytest.raises(StepFailed, match="The page did not open"):
            browser.open(f"http://127.0.0.1:{free_port()}/invite?token=x")
    finally:
        browser.close()
