"""The provider router documents every operation the way the project's API does."""

import json

import pytest

pytestmark = pytest.mark.urls("scholingsfonds.vouchers.tests.urls")


def test_every_provider_operation_has_a_description_and_an_example_per_answer():
    from scholingsfonds.vouchers.tests.urls import test_api

    schema = test_api.get_openapi_schema()
    text = json.dumps(schema).lower()
    assert "bsn" not in text.replace("geen bsn", "").replace("no bsn", "")
    operations = [
        (f"{method} {path}", op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
    ]
    assert len(operations) == 10
    for where, op in operations:
        assert op.get("summary") and op.get("description") and op.get("operationId"), where
        for status, response in op["responses"].items():
            content = response.get("content", {}).get("application/json", {})
            assert "schema" in content and content.get("examples"), (where, status)
        body = op.get("requestBody", {}).get("content", {})
        if "application/json" in body:
            assert body["application/json"].get("examples"), where
        elif body:  # invoices and credit notes are multipart: a PDF travels with them
            assert "multipart/form-data" in body, where
