"""GET /healthz: is the database reachable and are all migrations applied?"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    connection = connections[DEFAULT_DB_ALIAS]
    database = "postgresql" if connection.vendor == "postgresql" else connection.vendor
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except Exception:  # noqa: BLE001 - any database failure means "down"
        return JsonResponse(
            {"status": "error", "database": database, "pending_migrations": None}, status=503
        )
    status = 200 if pending == 0 else 503
    return JsonResponse(
        {
            "status": "ok" if pending == 0 else "error",
            "database": database,
            "pending_migrations": pending,
        },
        status=status,
    )
