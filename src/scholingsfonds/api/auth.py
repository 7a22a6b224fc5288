"""Who is calling: a bearer token (integrations, scripts) or the browser session (with CSRF)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from scholingsfonds.api.errors import ApiError
from scholingsfonds.api.selectors import api_token_active
from scholingsfonds.api.services import api_token_touch


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token is looked up by its SHA-256 hash."""

    openapi_description = (
        "Een persoonlijk API-token: `Authorization: Bearer <token>`. Maak het aan met "
        "`manage.py api_token_create <gebruikersnaam>`. / A personal API token."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200:
            return None
        row = api_token_active(token)
        if row is None:
            return None
        api_token_touch(row)
        return row.user


def _csrf_failure(request: HttpRequest) -> bool:
    return check_csrf(request) is not None


class SessionAuth(APIKeyCookie):
    """The Django session of a logged-in browser; writes need the CSRF token (X-CSRFToken).

    Unlike ninja's own SessionAuth, the CSRF check runs only for a request that really is
    logged in by its session, so a bearer-token call with a wrong token gets 401, not 403.
    """

    param_name = "sessionid"
    openapi_description = (
        "De sessie van de website (cookie `sessionid`); bij POST ook de header `X-CSRFToken` "
        "met de waarde van de cookie `csrftoken`. / The website session, with CSRF."
    )

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if key is None or user is None or not user.is_authenticated:
            return None
        if _csrf_failure(request):
            raise ApiError(
                403,
                "auth.csrf_failed",
                "De beveiligingscode (CSRF) ontbreekt of klopt niet. Laad de pagina opnieuw.",
                "The CSRF token is missing or wrong.",
            )
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()
