"""Who may do what with a voucher: provider staff only with their own, finance with its fund's."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from scholingsfonds.core.permissions import ALLOWED, Verdict, has_role, is_staff_of
from scholingsfonds.providers.models import Provider
from scholingsfonds.vouchers.models import Invoice, Voucher

FINANCE_ROLES = ("finance", "manager", "auditor", "administrator")


def can_use_portal(user: Any) -> Verdict:
    """The provider portal: staff of at least one registered provider."""
    if has_role(user, "provider") and Provider.objects.filter(users=user).exists():
        return ALLOWED
    return False, _("Het opleidersportaal is voor medewerkers van een geregistreerde opleider.")


def provider_vouchers(user: Any) -> QuerySet[Voucher]:
    """Exactly the vouchers of the providers this person works for; nothing for anyone else.

    Every portal and API read starts here, so a guessed code of another provider's voucher is
    simply not found (404), and nobody learns that it exists.
    """
    if not has_role(user, "provider"):
        return Voucher.objects.none()
    return Voucher.objects.filter(provider__users=user)


def can_act_for_provider(user: Any, provider: Provider) -> Verdict:
    """Confirm starts, report, invoice: staff of this provider."""
    if has_role(user, "provider") and provider.users.filter(pk=user.pk).exists():
        return ALLOWED
    return False, _("U werkt niet voor deze opleider.")


def can_decide_invoices(user: Any, fund: Any) -> Verdict:
    """Approving and rejecting invoices, settling recoveries: finance of the fund."""
    if has_role(user, "finance") and is_staff_of(user, fund):
        return ALLOWED
    return False, _("Alleen een medewerker financiën van dit fonds beoordeelt facturen.")


def can_read_invoice_document(user: Any, invoice: Invoice) -> Verdict:
    """The invoice PDF: the provider that sent it, and the fund's finance staff."""
    if provider_vouchers(user).filter(pk=invoice.voucher_id).exists():
        return ALLOWED
    if has_role(user, *FINANCE_ROLES) and is_staff_of(user, invoice.voucher.fund):
        return ALLOWED
    return False, _("Deze factuur is niet voor u.")
