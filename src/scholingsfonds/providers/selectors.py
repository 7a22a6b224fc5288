"""Reads of the registry: a user's providers, a provider's catalogue with current prices."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from scholingsfonds.providers.models import Course, Provider


def providers_of(*, user: Any) -> QuerySet[Provider]:
    """The providers a person works for (provider staff); none for anyone else."""
    if not getattr(user, "is_authenticated", False) or user.role != "provider":
        return Provider.objects.none()
    return Provider.objects.filter(users=user)


def catalogue(*, provider: Provider, today: date) -> list[dict[str, Any]]:
    """The provider's courses with today's price and the price history."""
    rows = []
    for course in (
        Course.objects.filter(provider=provider)
        .prefetch_related("prices", "target_occupations")
        .order_by("title")
    ):
        prices = sorted(course.prices.all(), key=lambda p: (p.valid_from, p.pk))
        current = [p for p in prices if p.valid_from <= today]
        rows.append(
            {
                "course": course,
                "price_cents": current[-1].price_cents if current else None,
                "prices": prices,
                "occupations": list(course.target_occupations.all()),
            }
        )
    return rows


def course_for_training(*, provider_id: int | None, title: str) -> Course | None:
    """The catalogue course an application's training names (same provider, same title)."""
    if not provider_id or not title.strip():
        return None
    return Course.objects.filter(provider_id=provider_id, title__iexact=title.strip()).first()
