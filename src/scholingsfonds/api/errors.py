"""Errors of the API: a stable `code`, a Dutch message and an English one, always.

Validation errors (422) list every field with its own message; the Dutch texts follow the
website's forms. Pydantic's error types are mapped to Dutch here, so the schema can stay
typed (and documented) while people read Dutch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI


class ApiError(Exception):
    """Raised in an operation: becomes {code, message_nl, message_en} with `status`."""

    def __init__(
        self,
        status: int,
        code: str,
        message_nl: str,
        message_en: str,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message_nl = message_nl
        self.message_en = message_en
        self.errors = errors


def field_error(field: str, code: str, message_nl: str, message_en: str) -> ApiError:
    """A 422 about one field that only the database can check (region, provider)."""
    body = validation_response(
        [{"field": field, "code": code, "message_nl": message_nl, "message_en": message_en}]
    )
    return ApiError(422, **body)


class ErrorOut(Schema):
    code: str
    message_nl: str
    message_en: str


class FieldErrorOut(Schema):
    field: str
    code: str
    message_nl: str
    message_en: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]


def error_example(code: str, message_nl: str, message_en: str) -> dict[str, Any]:
    return {"code": code, "message_nl": message_nl, "message_en": message_en}


NOT_AUTHENTICATED = error_example(
    "auth.required",
    "Log in, of stuur een geldig API-token mee (Authorization: Bearer <token>).",
    "Log in, or send a valid API token (Authorization: Bearer <token>).",
)
NOT_FOUND = error_example("not_found", "Niet gevonden.", "Not found.")

# pydantic error type -> (Dutch, English); {placeholders} come from the error's ctx.
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("Dit veld is verplicht.", "This field is required."),
    "string_type": ("Vul hier tekst in.", "Enter text here."),
    "string_too_short": ("Vul dit veld in.", "Fill in this field."),
    "string_too_long": (
        "Gebruik hoogstens {max_length} tekens.",
        "Use at most {max_length} characters.",
    ),
    "string_pattern_mismatch": (
        "Deze waarde heeft niet de juiste vorm.",
        "This value does not have the expected form.",
    ),
    "int_type": (
        "Vul een heel getal in: bedragen in centen, zoals 125050 voor € 1.250,50.",
        "Enter a whole number: amounts in cents, such as 125050 for EUR 1,250.50.",
    ),
    "int_parsing": (
        "Vul een heel getal in: bedragen in centen, zoals 125050 voor € 1.250,50.",
        "Enter a whole number: amounts in cents, such as 125050 for EUR 1,250.50.",
    ),
    "int_from_float": (
        "Vul een heel getal in: bedragen in centen, zonder komma.",
        "Enter a whole number: amounts in cents, without a decimal point.",
    ),
    "greater_than_equal": ("Vul {ge} of meer in.", "Enter {ge} or more."),
    "greater_than": ("Vul meer dan {gt} in.", "Enter more than {gt}."),
    "less_than_equal": ("Vul hoogstens {le} in.", "Enter at most {le}."),
    "enum": ("Kies een van deze waarden: {expected}.", "Choose one of: {expected}."),
    "literal_error": ("Kies een van deze waarden: {expected}.", "Choose one of: {expected}."),
    "list_type": ("Stuur hier een lijst.", "Send a list here."),
    "too_long": ("Stuur hoogstens {max_length} regels.", "Send at most {max_length} items."),
    "model_type": ("Stuur hier een JSON-object.", "Send a JSON object here."),
    "model_attributes_type": ("Stuur hier een JSON-object.", "Send a JSON object here."),
    "dict_type": ("Stuur hier een JSON-object.", "Send a JSON object here."),
    "extra_forbidden": (
        "Dit veld kennen we niet. Stuur alleen de velden uit het schema.",
        "Unknown field: send only the fields of the schema.",
    ),
    "date_type": ("Vul een datum in, zoals 1990-12-31.", "Enter a date, such as 1990-12-31."),
    "date_parsing": (
        "Vul een geldige datum in, zoals 1990-12-31.",
        "Enter a valid date, such as 1990-12-31.",
    ),
    "date_from_datetime_parsing": (
        "Vul een geldige datum in, zoals 1990-12-31.",
        "Enter a valid date, such as 1990-12-31.",
    ),
    "json_invalid": ("De inhoud is geen geldige JSON.", "The body is not valid JSON."),
}
_FALLBACK = ("Deze waarde klopt niet.", "This value is not valid.")


def _format(template: str, ctx: dict[str, Any]) -> str:
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template


def translate(error: dict[str, Any]) -> dict[str, str]:
    """One pydantic/ninja error dict -> {field, code, message_nl, message_en}."""
    loc = [str(part) for part in error.get("loc", ())]
    # ("body", "payload", "postcode") -> "postcode"; nested: "cofinancing.0.amount_cents"
    while loc and loc[0] in {"body", "payload", "path", "query"}:
        loc = loc[1:]
    kind = str(error.get("type", "value_error"))
    ctx = dict(error.get("ctx") or {})
    if "message_en" in ctx:  # our own validators: the message is Dutch, ctx holds English
        message_nl, message_en = str(error.get("msg", "")), str(ctx["message_en"])
    else:
        nl, en = _MESSAGES.get(kind, _FALLBACK)
        if "expected" in ctx:
            ctx["expected"] = str(ctx["expected"]).replace("'", "")
        message_nl, message_en = _format(nl, ctx), _format(en, ctx)
        if kind not in _MESSAGES:
            message_en = str(error.get("msg", message_en))
    return {
        "field": ".".join(loc) or "body",
        "code": kind,
        "message_nl": message_nl,
        "message_en": message_en,
    }


def validation_response(errors: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "code": "validation",
        "message_nl": "Niet alle gegevens kloppen. Verbeter de velden hieronder.",
        "message_en": "Some fields are not valid; see the list.",
        "errors": errors,
    }


def install_handlers(api: NinjaAPI) -> None:
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        body: dict[str, Any] = error_example(exc.code, exc.message_nl, exc.message_en)
        if exc.errors is not None:
            body["errors"] = exc.errors
        response = api.create_response(request, body, status=exc.status)
        if exc.status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body = validation_response([translate(error) for error in exc.errors])
        return api.create_response(request, body, status=422)

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(request, NOT_AUTHENTICATED, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # ninja could not parse the body
            body = error_example(
                "body.invalid", "De inhoud is geen geldige JSON.", "The body is not valid JSON."
            )
        else:
            body = error_example(f"http.{exc.status_code}", str(exc), str(exc))
        return api.create_response(request, body, status=exc.status_code)

    def on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, NOT_FOUND, status=404)

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_404)
