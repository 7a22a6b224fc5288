"""The advice router on a throwaway NinjaAPI: computes, documents, stores nothing."""

import json
from typing import Any

import pytest

from scholingsfonds.advising.api import FINANCING_EXAMPLE, FINANCING_EXAMPLE_STAP
from scholingsfonds.advising.models import FinancingArrangement
from scholingsfonds.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.urls("scholingsfonds.advising.tests.api_urls")]

FINANCING = "/api/v1/advice/financing"
SCHEMES = "/api/v1/advice/schemes"


def post(client: Any, body: dict[str, Any]) -> Any:
    return client.post(FINANCING, json.dumps(body), content_type="application/json")


@pytest.fixture
def logged_in(client: Any, staff: dict[str, Any], schemes: Any) -> Any:
    client.force_login(staff["advisor"])
    return client


def test_the_advice_stacks_employer_sector_fund_and_the_fund(logged_in):
    response = post(logged_in, FINANCING_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    paying = {p["scheme"]: p["amount_cents"] for p in body["parts"] if p["amount_cents"]}
    assert paying == {"werkgever": 60_000, "oo-techniek": 125_000, "twente": 175_000}
    assert sum(p["amount_cents"] for p in body["parts"]) == body["cost_cents"] == 360_000
    assert body["fund_cents"] == 175_000 and body["own_cents"] == 0
    assert [p["order"] for p in body["parts"]] == list(range(1, len(body["parts"]) + 1))
    twente = next(p for p in body["parts"] if p["scheme"] == "twente")
    rules = {o["rule_id"]: o for o in twente["outcomes"]}
    assert rules["minimum_age"]["passed"] is True  # the age alone is enough
    assert rules["region"]["reason_nl"].startswith("U woont in gemeente Enschede")
    assert all(o["reason_nl"] and o["reason_en"] for p in body["parts"] for o in p["outcomes"])


def test_stap_in_2023_and_never_after(logged_in):
    body = post(logged_in, FINANCING_EXAMPLE_STAP).json()
    assert {p["scheme"]: p["amount_cents"] for p in body["parts"]}["stap"] == 100_000
    # STAP ended after 2023: these dates are facts of the scheme, not "today".
    later = post(logged_in, {**FINANCING_EXAMPLE_STAP, "on": "2024-01-01"}).json()  # legal-date
    assert all(p["scheme"] != "stap" for p in later["parts"])
    schemes = logged_in.get(SCHEMES, {"on": "2023-06-01"}).json()  # legal-date
    assert "stap" in [s["key"] for s in schemes]
    assert "stap" not in [s["key"] for s in logged_in.get(SCHEMES).json()]


def test_the_advice_stores_nothing(logged_in):
    before = (AuditEvent.objects.count(), FinancingArrangement.objects.count())
    post(logged_in, FINANCING_EXAMPLE)
    assert (AuditEvent.objects.count(), FinancingArrangement.objects.count()) == before


@pytest.mark.parametrize(
    "extra", [{"bsn": "111222333"}, {"name": "Fatima"}, {"birth_date": "1990-05-17"}]
)
def test_personal_data_is_not_accepted(logged_in, extra):
    assert post(logged_in, {**FINANCING_EXAMPLE, **extra}).status_code == 422


def test_errors_carry_a_stable_code(logged_in):
    response = post(logged_in, {**FINANCING_EXAMPLE, "fund": "atlantis"})
    assert response.status_code == 404 and response.json()["code"] == "fund.not_found"
    response = post(logged_in, {**FINANCING_EXAMPLE, "municipality": "GM9999"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "stack.invalid_facts" and body["errors"][0]["field"] == "municipality"
    assert post(logged_in, {**FINANCING_EXAMPLE, "cost_cents": 0}).status_code == 422


def test_the_advice_needs_a_login(client, schemes):
    assert post(client, FINANCING_EXAMPLE).status_code == 401
    assert client.get(SCHEMES).status_code == 401


def test_the_openapi_document_has_examples_for_every_response(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in {"get", "post"}
    ]
    assert {(p, m) for p, m, _ in operations} == {
        ("/api/v1/advice/schemes", "get"),
        ("/api/v1/advice/financing", "post"),
    }
    for path, method, op in operations:
        assert op["summary"] and op["description"] and op["operationId"], path
        for status, response in op["responses"].items():
            content = response["content"]["application/json"]
            assert "schema" in content and content["examples"], f"{method} {path} {status}"
    request = schema["paths"]["/api/v1/advice/financing"]["post"]["requestBody"]
    assert request["content"]["application/json"]["examples"]
    properties = schema["components"]["schemas"]["FinancingAdviceIn"]["properties"]
    assert not {"bsn", "name", "first_name", "last_name", "birth_date"} & set(properties)
