"""The two database passes of `make test`: PostgreSQL-only tests reach PostgreSQL."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgresql_marked_tests_run_on_postgresql():
    connection = connections[DEFAULT_DB_ALIAS]
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (version,) = cursor.fetchone()
    assert int(version) >= 150000  # docs/design.md: PostgreSQL >= 15
