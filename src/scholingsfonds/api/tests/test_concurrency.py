"""Concurrent submissions through the API on PostgreSQL: one application per person."""

import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from scholingsfonds.api.tests.conftest import bearer
from scholingsfonds.applications.models import Application
from scholingsfonds.budget.selectors import ledger_recount

URL = "/api/v1/funds/leerbudget/window-applications"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_give_one_application_per_person(
    window_fund: Any, body: Any, person: Any
) -> None:
    people = [person() for _ in range(4)]
    jobs = []  # (person index, body): every person twice, with two different keys
    for index in range(len(people)):
        jobs.append((index, body()))
        jobs.append((index, body()))
    barrier = threading.Barrier(len(jobs))
    answers: list[tuple[int, int, dict[str, Any]]] = []
    errors: list[BaseException] = []

    def run(index: int, data: dict[str, Any]) -> None:
        try:
            barrier.wait()
            response = Client().post(
                URL, data, content_type="application/json", **bearer(people[index][1])
            )
            answers.append((index, response.status_code, response.json()))
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    per_person = Counter((index, status) for index, status, _ in answers)
    for index in range(len(people)):
        assert per_person[(index, 201)] == 1
        assert per_person[(index, 409)] == 1
    assert {a["code"] for _, status, a in answers if status == 409} == {
        "application.one_per_window"
    }
    applications = Application.objects.order_by("receipt_number")
    assert [a.receipt_number for a in applications] == [1, 2, 3, 4]
    assert ledger_recount()["balanced"]
