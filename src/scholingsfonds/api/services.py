"""Writes for the API: issue a token (shown once) and note its use."""

import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone

from scholingsfonds.api.models import ApiToken
from scholingsfonds.core.audit import audit_record

TOKEN_PREFIX = "sf_"  # noqa: S105 - a visible prefix, not a secret
# Writing last_used_at on every request would put a write on the hot path; once a minute
# per token is enough to tell which tokens are in use.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def new_token_key() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def api_token_create(*, user: Any, name: str = "", actor: Any = None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the key, which is never stored."""
    key = new_token_key()
    token = ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key), name=name[:80])
    audit_record(actor=actor, action="api_token.created", obj=token, data={"user": user.pk})
    return token, key


def api_token_touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
