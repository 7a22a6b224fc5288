"""Background work of monitoring: keeping the aggregates current, the outcome questionnaire.

Run by the task worker (`manage.py db_worker`). The dashboard enqueues a refresh when it
finds more new log rows than it reads while rendering; a cron job or systemd timer runs
`manage.py monitoring_refresh` every few minutes and `manage.py outcome_surveys` daily.
"""

from typing import Any

from django_tasks import task

from scholingsfonds.monitoring.services import monitoring_refresh, outcome_surveys_dispatch


@task()
def refresh_monitoring() -> dict[str, Any]:
    return monitoring_refresh().as_dict()


@task()
def send_outcome_surveys() -> dict[str, int]:
    return outcome_surveys_dispatch().as_dict()
