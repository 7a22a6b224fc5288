"""The REST API (django-ninja) under /api/v1/: OpenAPI 3 at /api/v1/openapi.json.

Few operations, each solid: the public list of funds, a complete application in a
first-come-first-served window (the same service as the website's form), and reading one's
own application. Errors always carry a stable `code` and Dutch and English messages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Status

from scholingsfonds.api.auth import session_auth, token_auth
from scholingsfonds.api.errors import (
    NOT_AUTHENTICATED,
    ApiError,
    ErrorOut,
    ValidationErrorOut,
    error_example,
    field_error,
    install_handlers,
    validation_response,
)
from scholingsfonds.api.permissions import can_read_application
from scholingsfonds.api.schemas import (
    WINDOW_APPLICATION_EXAMPLE,
    ApplicationOut,
    ApplicationReceiptOut,
    FundOut,
    WindowApplicationIn,
)
from scholingsfonds.api.selectors import (
    application_own,
    fund_exists,
    funds_with_policy_versions,
    policy_version_with_fund,
    provider_approved,
)
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.permissions import can_apply_in_window
from scholingsfonds.applications.selectors import application_by_submission_key
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.decisions.services import window_application_submit
from scholingsfonds.funds.models import Fund, Municipality, PolicyVersion
from scholingsfonds.providers.models import Provider

DESCRIPTION = """
De REST-API van Scholingsfonds. / The REST API of Scholingsfonds.

* **Inloggen / authentication**: een persoonlijk token (`Authorization: Bearer <token>`,
  aan te maken met `manage.py api_token_create <gebruikersnaam>`), of de sessie van de
  website (cookie plus header `X-CSRFToken` bij POST).
* **Fouten / errors**: altijd `{"code", "message_nl", "message_en"}`; de `code` is stabiel.
  Bij 422 ook `errors`: per veld een melding.
* **Bedragen / amounts**: hele centen (integers), nooit komma's.
* Geen BSN in deze API. / No BSN anywhere in this API.
"""

api = NinjaAPI(
    title="Scholingsfonds API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    # No docs page: ninja's Swagger page loads its files from a CDN; the machine and the
    # design (no CDN anywhere) forbid that. The schema itself is at /api/v1/openapi.json.
    docs_url=None,
)
install_handlers(api)

AUTH = [token_auth, session_auth]


def _json(example: dict[str, Any], summary: str = "") -> dict[str, Any]:
    return {"summary": summary or example.get("code", "voorbeeld"), "value": example}


def _responses(examples: dict[int, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    return {
        "responses": {
            status: {"content": {"application/json": {"examples": named}}}
            for status, named in examples.items()
        }
    }


# --- errors used by more than one operation --------------------------------------------

ERR_AUTH = _json(NOT_AUTHENTICATED)
ERR_NOT_FOUND_APPLICATION = error_example(
    "application.not_found",
    "Deze aanvraag bestaat niet, of is niet van u.",
    "This application does not exist, or is not yours.",
)


# --- GET /funds ------------------------------------------------------------------------

FUNDS_EXAMPLE = FundOut.model_config["json_schema_extra"]["examples"]  # type: ignore[index]


@api.get(
    "/funds",
    response={200: list[FundOut]},
    auth=None,
    summary="Fondsen en hun aanvraagvenster / funds and their window",
    description=(
        "Alle fondsen, met of het aanvraagvenster vandaag open is, de data van het venster "
        "en het maximum per persoon. Openbaar: geen inlog nodig.\n\n"
        "Every fund, whether its first-come-first-served window is open today, the window's "
        "dates and the cap per person. Public."
    ),
    operation_id="funds_list",
    tags=["funds"],
    openapi_extra=_responses({200: {"leerbudget": _json(FUNDS_EXAMPLE, "Een venster")}}),
)
def funds_list(request: HttpRequest) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = []
    for fund in funds_with_policy_versions():
        version = _version_on(fund, today)
        policy = version.policy if version else None
        rows.append(
            {
                "slug": fund.slug,
                "name": fund.name,
                "first_come_first_served": bool(policy and policy.first_come_first_served),
                "window_open": bool(policy and policy.window_open_on(today)),
                "window_opens": policy.window_opens if policy else None,
                "window_closes": policy.window_closes if policy else None,
                "cap_cents": policy.cap_cents if policy else None,
                "municipalities": list(policy.municipalities) if policy else [],
            }
        )
    return rows


def _version_on(fund: Fund, today: Any) -> Any:
    """Fund.policy_on without a query per fund (policy_versions is prefetched)."""
    current = [
        v
        for v in fund.policy_versions.all()
        if v.valid_from <= today and (v.valid_to is None or v.valid_to >= today)
    ]
    return max(current, key=lambda v: v.valid_from, default=None)


# --- POST /funds/{slug}/window-applications ---------------------------------------------

ERR_ONE_PER_WINDOW = error_example(
    "application.one_per_window",
    "U hebt in dit aanvraagvenster al een aanvraag gedaan. Per persoon kan dat één keer.",
    "You already applied in this window; once per person.",
)
ERR_KEY_IN_USE = error_example(
    "application.submission_key_in_use",
    "Deze submission_key hoort bij een andere aanvraag. Kies een nieuwe sleutel.",
    "This submission_key belongs to another application; choose a new key.",
)
ERR_CLOSED = error_example(
    "application.window_closed",
    "Het aanvraagvenster is gesloten. U kunt nu geen aanvraag doen.",
    "The application window is closed.",
)
ERR_NOT_APPLICANT = error_example(
    "auth.applicants_only",
    "Alleen aanvragers doen via de API een aanvraag voor zichzelf.",
    "Only applicants apply through the API, for themselves.",
)
ERR_NO_FUND = error_example("fund.not_found", "Dit fonds bestaat niet.", "No such fund.")
ERR_NO_WINDOW = error_example(
    "fund.no_window",
    "Dit fonds werkt niet met een aanvraagvenster.",
    "This fund has no first-come-first-served window.",
)
ERR_VALIDATION = validation_response(
    [
        {
            "field": "postcode",
            "code": "postcode_invalid",
            "message_nl": "Dit is geen geldige postcode. Schrijf vier cijfers en twee letters, "
            "zoals 7511 AB.",
            "message_en": "This is not a valid Dutch postcode (four digits, two letters: 7511 AB).",
        },
        {
            "field": "cost_cents",
            "code": "int_type",
            "message_nl": "Vul een heel getal in: bedragen in centen, zoals 125050 voor "
            "€ 1.250,50.",
            "message_en": "Enter a whole number: amounts in cents, such as 125050 for "
            "EUR 1,250.50.",
        },
    ]
)
RECEIPT_CLAIMED = {
    "reference": "LBO-2026-000123",
    "receipt_number": 123,
    "state": "complete",
    "requested_cents": 85000,
    "ceiling_reached": False,
}
RECEIPT_CEILING = {
    "reference": "LBO-2026-004711",
    "receipt_number": 4711,
    "state": "refused",
    "requested_cents": 100000,
    "ceiling_reached": True,
}

WINDOW_DESCRIPTION = """
Doe een complete aanvraag in een aanvraagvenster (wie het eerst komt, het eerst maalt).
Dezelfde dienst als het formulier op de website: onder één slot krijgt de aanvraag een
volgnummer van ontvangst en wordt het gevraagde bedrag gereserveerd, in de volgorde van
ontvangst (artikel 4:25 Awb). Is het subsidieplafond bereikt, dan hoort u dat meteen:
`state` is `refused` en `ceiling_reached` is `true`.

* U vraagt aan voor uzelf: het e-mailadres is dat van uw account.
* `submission_key`: kies er één per aanvraag. Stuurt u dezelfde sleutel nog eens (time-out,
  dubbele klik), dan krijgt u dezelfde aanvraag terug met **200** in plaats van 201.
* Eén aanvraag per persoon per venster: een tweede aanvraag geeft **409**
  `application.one_per_window`.
* Venster nog niet open: **403**; venster voorbij: **410** (`application.window_closed`).
* `municipality` is de CBS-code (zie `GET /funds`), `provider` het id van de opleider,
  bedragen in hele centen.

Submit a complete application in a first-come-first-served window. Receipt number and
budget claim are given under one lock, in order of receipt; once the ceiling is reached the
answer says so at once. Replays with the same `submission_key` return 200 with the same
body; a second application by the same person returns 409.
"""


@api.post(
    "/funds/{slug}/window-applications",
    auth=AUTH,
    response={
        200: ApplicationReceiptOut,
        201: ApplicationReceiptOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        410: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Aanvraag in een aanvraagvenster / apply in a window",
    description=WINDOW_DESCRIPTION,
    operation_id="window_application_create",
    tags=["applications"],
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "examples": {
                        "zonder_bijdrage": _json(WINDOW_APPLICATION_EXAMPLE, "Zonder bijdrage"),
                        "met_werkgever": _json(
                            {
                                **WINDOW_APPLICATION_EXAMPLE,
                                "submission_key": "3b0e5d2c-7d1f-4b8e-8c6f-0f7a2b9d4e61",
                                "cost_cents": 240000,
                                "cofinancing": [{"payer": "employer", "amount_cents": 140000}],
                            },
                            "Met een bijdrage van de werkgever",
                        ),
                    }
                }
            }
        },
        "responses": _responses(
            {
                201: {
                    "claimed": _json(RECEIPT_CLAIMED, "Geld gereserveerd"),
                    "ceiling": _json(RECEIPT_CEILING, "Subsidieplafond bereikt"),
                },
                200: {"replay": _json(RECEIPT_CLAIMED, "Herhaling met dezelfde sleutel")},
                401: {"auth": ERR_AUTH},
                403: {
                    "not_open": _json(ERR_CLOSED, "Venster nog niet open"),
                    "applicants_only": _json(ERR_NOT_APPLICANT),
                },
                404: {"fund": _json(ERR_NO_FUND), "no_window": _json(ERR_NO_WINDOW)},
                409: {
                    "one_per_window": _json(ERR_ONE_PER_WINDOW),
                    "key_in_use": _json(ERR_KEY_IN_USE),
                },
                410: {"closed": _json(ERR_CLOSED, "Venster gesloten")},
                422: {"validation": _json(ERR_VALIDATION)},
            }
        )["responses"],
    },
)
def window_application_create(
    request: HttpRequest, slug: str, payload: WindowApplicationIn
) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    allowed, _reason = can_apply_in_window(user)
    if not allowed:
        raise ApiError(403, **ERR_NOT_APPLICANT)
    today = timezone.localdate()
    version = policy_version_with_fund(slug, today)
    if version is None:
        if not fund_exists(slug):
            raise ApiError(404, **ERR_NO_FUND)
        policy = None
    else:
        policy = version.policy
        if not policy.first_come_first_served:
            raise ApiError(404, **ERR_NO_WINDOW)
    if policy is None or not policy.window_open_on(today):
        # A replay of an application made while the window was open still gets its answer.
        existing = application_by_submission_key(payload.submission_key)
        if existing is not None and existing.fund.slug == slug:
            return Status(200, _receipt(_own_replay(existing, user, existing.fund)))
        raise ApiError(_closed_status(policy, today), **ERR_CLOSED)
    fund = version.fund  # type: ignore[union-attr]

    data = payload.dict()
    data["municipality"] = _municipality(data["municipality"], version)
    data["provider"] = _provider(data["provider"])
    data["email"] = user.email
    submission_key = data.pop("submission_key")
    started = timezone.now()
    try:
        application = window_application_submit(
            fund=fund,
            data=data,
            submission_key=submission_key,
            actor=user,
            today=today,
            policy_version=version,
        )
    except DomainError as error:
        raise ApiError(
            _domain_status(error, policy, today), error.code, error.message_nl, error.message_en
        ) from None
    _own_replay(application, user, fund)
    # The service returns the earlier application for a known submission_key: a replay.
    # (Two identical requests in flight at the same moment may both be answered 201.)
    replay = application.submitted_at < started
    return Status(200 if replay else 201, _receipt(application))


def _closed_status(policy: Any, today: Any) -> int:
    if policy is not None and policy.window_opens is not None and today < policy.window_opens:
        return 403  # not open yet
    return 410  # over (or no policy in force any more)


def _domain_status(error: DomainError, policy: Any, today: Any) -> int:
    if error.code == "application.window_closed":
        return _closed_status(policy, today)
    if error.code == "application.no_policy":
        return 410
    return 409  # one_per_window and any other rule of the process


def _own_replay(application: Application, user: Any, fund: Fund) -> Application:
    if application.applicant_id != user.pk or application.fund_id != fund.pk:
        raise ApiError(409, **ERR_KEY_IN_USE)
    return application


# The region's municipalities per policy version (reference data; a reload of the policies
# changes `loaded_at` and so the key): one query per process instead of one per request.
_REGIONS: dict[tuple[int, Any], dict[str, Municipality]] = {}


def _municipality(code: str, version: PolicyVersion) -> Municipality:
    key = (version.pk, version.loaded_at)
    region = _REGIONS.get(key)
    if region is None:
        region = {m.cbs_code: m for m in version.municipalities()}
        if len(_REGIONS) > 32:  # old policy versions fall out
            _REGIONS.clear()
        _REGIONS[key] = region
    municipality = region.get(code)
    if municipality is None:
        raise field_error(
            "municipality",
            "municipality_not_in_region",
            "Deze gemeente hoort niet bij het werkgebied van het fonds. Kies een gemeente uit "
            "de lijst van het fonds.",
            "This municipality is not in the fund's region.",
        )
    return municipality


def _provider(provider_id: int) -> Provider:
    provider = provider_approved(provider_id)
    if provider is None:
        raise field_error(
            "provider",
            "provider_unknown",
            "Deze opleider kennen we niet, of hij is niet goedgekeurd. Kies een opleider uit "
            "de lijst.",
            "Unknown or unapproved provider.",
        )
    return provider


def _receipt(application: Application) -> dict[str, Any]:
    return {
        "reference": application.reference,
        "receipt_number": application.receipt_number,
        "state": application.state,
        "requested_cents": application.requested_cents,
        "ceiling_reached": application.ceiling_refused,
    }


# --- GET /applications/{reference} -----------------------------------------------------

APPLICATION_EXAMPLE = ApplicationOut.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]


@api.get(
    "/applications/{reference}",
    auth=AUTH,
    response={200: ApplicationOut, 401: ErrorOut, 404: ErrorOut},
    summary="Uw aanvraag / your application",
    description=(
        "Eén eigen aanvraag, op kenmerk. Een aanvraag van iemand anders geeft 404, net als "
        "een kenmerk dat niet bestaat: de API verklapt niet of een aanvraag bestaat.\n\n"
        "One of your own applications, by reference. Someone else's gives 404, exactly like "
        "a reference that does not exist."
    ),
    operation_id="application_read",
    tags=["applications"],
    openapi_extra=_responses(
        {
            200: {"complete": _json(APPLICATION_EXAMPLE, "Compleet, geld gereserveerd")},
            401: {"auth": ERR_AUTH},
            404: {"not_found": _json(ERR_NOT_FOUND_APPLICATION)},
        }
    ),
)
def application_read(request: HttpRequest, reference: str) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    application = application_own(user=user, reference=reference)
    if application is None or not can_read_application(user, application)[0]:
        raise ApiError(404, **ERR_NOT_FOUND_APPLICATION)
    return {
        "reference": application.reference,
        "fund": application.fund.slug,
        "state": application.state,
        "state_label_nl": application.state_label,
        "submitted_at": application.submitted_at,
        "receipt_number": application.receipt_number,
        "requested_cents": application.requested_cents,
        "ceiling_reached": application.ceiling_refused,
        "training_title": application.training_title,
        "provider": application.provider.name if application.provider else None,
        "cost_cents": application.cost_cents,
        "decision_due_on": application.decision_due_on,
    }


# The other apps' routers, mounted under the same API, schema and authentication.
from scholingsfonds.advising.api import router as advice_router  # noqa: E402
from scholingsfonds.vouchers.api import provider_router  # noqa: E402

api.add_router("/advice", advice_router, auth=AUTH)
api.add_router("/provider", provider_router, auth=AUTH)
