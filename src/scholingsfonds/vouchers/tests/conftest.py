"""Two providers with staff, each with a granted voucher; a PDF to upload."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import complete_application, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "factuur.pdf", content: bytes = PDF, content_type: str = "application/pdf"):  # type: ignore[no-untyped-def]
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def roc(provider: Any) -> Any:
    from scholingsfonds.providers.services import course_create

    provider.iban = "NL91ABNA0417164300"
    provider.kvk_number = "12345678"
    provider.institution_code = "00GT"
    provider.save()
    provider.staff_user = make_user("ilse", "provider")
    provider.users.add(provider.staff_user)
    provider.course = course_create(
        provider=provider,
        actor=None,
        title="Verzorgende IG",
        level="mbo3",
        hours=400,
        sector="care & welfare",
        price_cents=300_000,
    )
    return provider


@pytest.fixture
def other(db: Any) -> Any:
    from scholingsfonds.providers.models import Provider

    provider = Provider.objects.create(
        name="Techniek Opleidingen Oost",
        kind="nrto",
        city="Almelo",
        iban="NL20INGB0001234567",
        kvk_number="87654321",
        recognition_reference="NRTO-123",
    )
    provider.staff_user = make_user("olaf", "provider")
    provider.users.add(provider.staff_user)
    return provider


def grant(fund: Any, staff: dict[str, Any], provider: Any, **kwargs: Any) -> Any:
    from scholingsfonds.decisions.services import decision_grant

    application = complete_application(fund, staff["advisor"], provider, **kwargs)
    decision_grant(application=application, actor=staff["assessor"])
    application.refresh_from_db()
    return application.voucher


@pytest.fixture
def vouchers(
    twente: Any, staff: dict[str, Any], roc: Any, other: Any, budget: Any
) -> dict[str, Any]:
    return {"roc": grant(twente, staff, roc), "other": grant(twente, staff, other)}


def set_policy(fund: Any, **values: Any) -> None:
    """Change keys of the fund's policy in the database (tests only)."""
    for version in fund.policy_versions.all():
        version.data = {**version.data, **values}
        version.save()
