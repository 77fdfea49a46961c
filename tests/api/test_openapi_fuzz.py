"""Property-based: requests generated from our own /openapi.json, sent as an admin, get
no 5xx and answers that match the documented statuses, content types and schemas."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import create_api
from domain import users
from domain.context import DomainContext
from domain.permissions import SYSTEM
from persistence.db import Database
from tests.api.support import bearer
from tests.conftest import TEST_SECRET
from tests.factories import make_user

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def fuzz_admin(ctx, lab):  # noqa: ARG001 - after the lab's accounts
    return make_user(ctx, "admin", username="fuzzadmin")


# The document comes from an app around a context it never uses; each case is then sent
# to the test's own app (``app=``), built on a fresh migrated database.
_DOCUMENT_CTX = DomainContext(db=Database.from_url("sqlite://"), secret_key=TEST_SECRET)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_api(_DOCUMENT_CTX, cors_origins=[]))


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_documented_answers(case, app, ctx, fuzz_admin):
    # A generated request may deactivate the account it runs as; every case starts afresh.
    users.reactivate_user(ctx, actor=SYSTEM, user_id=fuzz_admin.user_id)
    case.call_and_validate(app=app, headers=bearer(ctx, fuzz_admin), checks=CHECKS)
