"""GET /healthz: the contract in docs/design.md ("Interfaces")."""

from unittest import mock

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

pytestmark = pytest.mark.django_db

KEYS = {"status", "database", "pending_migrations"}


def vendor() -> str:
    return connections[DEFAULT_DB_ALIAS].vendor


def test_healthz_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": vendor(), "pending_migrations": 0}
    assert vendor() in {"sqlite", "postgresql"}


def test_healthz_503_when_database_down(client):
    down = OperationalError("connection refused (simulated)")
    with mock.patch.object(connections[DEFAULT_DB_ALIAS], "cursor", side_effect=down):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert set(body) == KEYS
    assert body["status"] != "ok"
    assert body["database"] == vendor()


def test_healthz_503_when_migrations_pending(client):
    plan = [(mock.Mock(name="migration"), False)]
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=plan
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert set(body) == KEYS
    assert body["status"] != "ok"
    assert body["database"] == vendor()
    assert body["pending_migrations"] == 1
