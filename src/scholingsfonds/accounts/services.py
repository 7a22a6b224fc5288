"""One-time e-mail links for applicants and employers."""

import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from scholingsfonds.accounts.models import LoginToken, User

LINK_INTERVAL = timedelta(minutes=1)


def login_token_issue(*, user: User) -> str:
    """A new one-time login token for `user`; only its hash is stored, the token is returned."""
    token = secrets.token_urlsafe(32)
    LoginToken.objects.create(
        user=user,
        token_hash=LoginToken.hash(token),
        expires_at=timezone.now() + LoginToken.VALID_FOR,
    )
    return token


def login_link_send(*, email: str, next_path: str = "") -> None:
    """Mail a one-time login link when the address belongs to an active user.

    `next_path` (a path on this site) is where the link leads after logging in.
    """
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        # Same answer for unknown addresses: the page must not reveal who applied.
        return
    login_link_send_to(user=user, next_path=next_path)


def login_link_send_to(*, user: User, next_path: str = "") -> None:
    """Mail a one-time login link to this (active) user's address."""
    if not user.is_active:
        return
    if user.login_tokens.filter(created_at__gte=timezone.now() - LINK_INTERVAL).exists():
        # At most one mail a minute per address, so the form cannot be used to flood a
        # mailbox; the link sent a moment ago still works.
        return
    token = login_token_issue(user=user)
    link = settings.SITE_URL + reverse("accounts:consume_link", args=[token])
    if next_path:
        link += "?" + urlencode({"next": next_path})
    transaction.on_commit(
        lambda: send_mail(
            _("Uw inloglink voor het scholingsfonds"),
            _(
                "Gebruik deze link om in te loggen. De link werkt één keer en 30 minuten lang:"
                "\n\n%(link)s\n\nHeeft u dit niet gevraagd? Dan kunt u deze e-mail negeren."
            )
            % {"link": link},
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    )


def login_link_consume(*, token: str) -> User | None:
    """Return the user of a valid unused link and mark it used; None otherwise."""
    with transaction.atomic():
        found = (
            LoginToken.objects.select_for_update()
            .filter(token_hash=LoginToken.hash(token), used_at__isnull=True)
            .select_related("user")
            .first()
        )
        if found is None or found.expires_at < timezone.now() or not found.user.is_active:
            return None
        found.used_at = timezone.now()
        found.save(update_fields=["used_at"])
        return found.user
