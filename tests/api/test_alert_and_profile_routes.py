"""Raising, reading and deleting alerts, and admins editing another person's profile."""

from __future__ import annotations

from domain import alerts, users
from domain.permissions import SYSTEM
from tests.api.support import assert_json_error, bearer


def test_a_member_raises_a_manual_alert_that_waits_to_be_posted(client, ctx, lab):
    response = client.post(
        "/api/alerts/",
        json={"message": "Fan noise", "instrument_id": lab.kiel.id, "severity": "critical"},
        headers=bearer(ctx, lab.member),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["kind"], body["severity"], body["status"]) == ("manual", "critical", "open")
    assert (body["instrument_name"], body["part_id"], body["message"]) == (
        "Kiel IV",
        None,
        "Fan noise",
    )
    stored = alerts.get_alert(ctx, actor=SYSTEM, alert_id=body["id"])
    assert stored.created_by_id == lab.member.user_id
    assert stored.delivered_at is None  # the delivery job posts it to the channel


def test_raising_an_alert_needs_a_token_a_message_and_a_subject(client, ctx, lab):
    about = {"message": "Leak", "part_id": lab.filament.id}
    assert_json_error(client.post("/api/alerts/", json=about), 401)
    member = bearer(ctx, lab.member)
    for body, field in (
        ({"message": "Leak"}, "subject"),
        ({"message": " ", "part_id": lab.filament.id}, "message"),
        ({"message": "Leak", "part_id": lab.filament.id, "severity": "high"}, "severity"),
    ):
        response = client.post("/api/alerts/", json=body, headers=member)
        assert response.status_code in (400, 422), response.text
        assert field in response.text
    missing = {"message": "Leak", "instrument_id": 999_999}
    assert "Instrument not found" in assert_json_error(
        client.post("/api/alerts/", json=missing, headers=member), 404
    )
    assert alerts.list_alerts(ctx, actor=SYSTEM).items == ()


def test_one_alert_is_read_without_a_token_and_a_missing_one_is_404(client, ctx, lab):
    alert = alerts.raise_alert(ctx, actor=SYSTEM, message="Drift", instrument_id=lab.mat253.id)
    body = client.get(f"/api/alerts/{alert.id}").json()
    assert (body["id"], body["message"], body["instrument_name"]) == (alert.id, "Drift", "MAT253")
    assert assert_json_error(client.get(f"/api/alerts/{alert.id + 1}"), 404) == "Alert not found."


def test_only_an_admin_deletes_an_alert(client, ctx, lab):
    alert = alerts.raise_alert(ctx, actor=SYSTEM, message="Drift", instrument_id=lab.mat253.id)
    path = f"/api/alerts/{alert.id}"
    assert_json_error(client.delete(path), 401)
    for who in (lab.member, lab.manager):
        assert "may not delete alerts" in assert_json_error(
            client.delete(path, headers=bearer(ctx, who)), 403
        )
    assert client.get(path).status_code == 200
    deleted = client.delete(path, headers=bearer(ctx, lab.admin))
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert_json_error(client.get(path), 404)
    assert_json_error(client.delete(path, headers=bearer(ctx, lab.admin)), 404)


def test_an_admin_edits_another_persons_profile(client, ctx, lab):
    path = f"/api/users/{lab.member.user_id}"
    change = {
        "first_name": "Sara",
        "last_name": "Lind",
        "email": "sara.lind@example.org",
        "phone": "+46 8 123",
        "department": "Geology",
        "position": "PhD student",
        "notes": "Runs the Kiel",
    }
    response = client.patch(path, json=change, headers=bearer(ctx, lab.admin))
    assert response.status_code == 200, response.text
    assert {k: response.json()[k] for k in change} == change
    stored = users.get_user(ctx, actor=SYSTEM, user_id=lab.member.user_id)
    assert (stored.email, stored.department) == ("sara.lind@example.org", "Geology")


def test_only_admins_edit_other_profiles_and_the_rules_hold(client, ctx, lab):
    path = f"/api/users/{lab.member.user_id}"
    for who in (lab.manager,):
        assert_json_error(client.patch(path, json={"notes": "x"}, headers=bearer(ctx, who)), 403)
    assert users.get_user(ctx, actor=SYSTEM, user_id=lab.member.user_id).notes is None
    # anyone may edit their own profile here too, as with /me
    own = client.patch(path, json={"notes": "mine"}, headers=bearer(ctx, lab.member))
    assert own.json()["notes"] == "mine"
    admin = bearer(ctx, lab.admin)
    taken = {"email": users.get_user(ctx, actor=SYSTEM, user_id=lab.manager.user_id).email}
    assert_json_error(client.patch(path, json=taken, headers=admin), 409)
    assert_json_error(client.patch("/api/users/999999", json={"notes": "x"}, headers=admin), 404)
    assert_json_error(client.patch(path, json={"first_name": ""}, headers=admin), 422)
    off = client.patch(path, json={"is_active": False}, headers=admin)
    assert off.json()["is_active"] is False
    assert_json_error(
        client.patch(f"/api/users/{lab.admin.user_id}", json={"is_active": False}, headers=admin),
        409,
    )
