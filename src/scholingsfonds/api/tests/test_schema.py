"""The OpenAPI 3 document at /api/v1/openapi.json: valid, documented, secured, no BSN."""

import json
from typing import Any

import pytest

SCHEMA_URL = "/api/v1/openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(client: Any, db: Any) -> dict[str, Any]:
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_schema_is_openapi_3_with_every_router(schema: dict[str, Any]) -> None:
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] and schema["info"]["version"]
    found = {(path, method) for path, method, _ in operations(schema)}
    assert {
        ("/api/v1/funds", "get"),
        ("/api/v1/funds/{slug}/window-applications", "post"),
        ("/api/v1/applications/{reference}", "get"),
        ("/api/v1/advice/schemes", "get"),
        ("/api/v1/advice/financing", "post"),
    } <= found
    # The provider portal's actions are in the same API.
    assert any(path.startswith("/api/v1/provider/") for path, _ in found)


def test_schema_passes_the_openapi_validator(schema: dict[str, Any]) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(schema)


def test_every_operation_has_summary_description_and_examples(schema: dict[str, Any]) -> None:
    for path, method, operation in operations(schema):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("description"), where
        assert operation.get("operationId"), where
        for status, response in operation["responses"].items():
            assert response.get("description"), f"{where} {status} has no description"
            content = response.get("content", {}).get("application/json", {})
            assert "schema" in content, f"{where} {status} has no schema"
            assert content.get("examples"), f"{where} {status} has no example"
            for example in content["examples"].values():
                assert "value" in example and "summary" in example
        if "requestBody" in operation:
            # JSON bodies carry examples; a PDF upload (multipart) is a file, not an example.
            content = operation["requestBody"]["content"].get("application/json")
            if content is not None:
                assert content.get("examples"), f"{where} request has no example"


def test_security_is_declared_where_needed(schema: dict[str, Any]) -> None:
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["TokenAuth"]["description"],
    }
    assert schemes["SessionAuth"]["type"] == "apiKey"
    assert schemes["SessionAuth"]["in"] == "cookie"
    by_path = {(path, method): op for path, method, op in operations(schema)}
    assert "security" not in by_path[("/api/v1/funds", "get")]  # public
    for key in [
        ("/api/v1/funds/{slug}/window-applications", "post"),
        ("/api/v1/applications/{reference}", "get"),
    ]:
        assert by_path[key]["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]
        assert "401" in by_path[key]["responses"]


def test_examples_match_their_schemas(schema: dict[str, Any]) -> None:
    """The request example really validates, and the error examples carry a stable code."""
    from scholingsfonds.api.schemas import WindowApplicationIn

    post = schema["paths"]["/api/v1/funds/{slug}/window-applications"]["post"]
    for example in post["requestBody"]["content"]["application/json"]["examples"].values():
        WindowApplicationIn.model_validate(example["value"])
    for status, response in post["responses"].items():
        for example in response["content"]["application/json"]["examples"].values():
            value = example["value"]
            if int(status) >= 400:
                assert {"code", "message_nl", "message_en"} <= set(value), status


def test_no_bsn_and_no_cdn_anywhere(schema: dict[str, Any], client: Any) -> None:
    text = json.dumps(schema).lower()
    assert "bsn" not in text.replace("geen bsn", "").replace("no bsn", "")
    assert "cdn" not in text
    # ninja's Swagger page would load its files from a CDN: it is switched off.
    assert client.get("/api/v1/docs").status_code == 404
