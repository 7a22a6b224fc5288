"""Issuing vouchers; redemption and expiry build on this (providers issue)."""

import calendar
import secrets
from datetime import date
from typing import Any

from scholingsfonds.applications.models import Application
from scholingsfonds.core.audit import audit_record
from scholingsfonds.vouchers.models import Voucher

# No 0/O or 1/I: codes are read aloud over the phone and typed by providers.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def voucher_code_new(prefix: str) -> str:
    while True:
        body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        code = f"{prefix}-{body[:4]}-{body[4:]}"
        if not Voucher.objects.filter(code=code).exists():
            return code


def voucher_issue(
    *, application: Application, code: str, amount_cents: int, issued_on: date, actor: Any
) -> Voucher:
    """Create the voucher of a grant; call inside the grant's transaction."""
    validity = application.policy_version.policy.voucher_validity_months
    voucher = Voucher.objects.create(
        fund=application.fund,
        application=application,
        code=code,
        amount_cents=amount_cents,
        issued_on=issued_on,
        valid_until=add_months(issued_on, validity),
    )
    audit_record(
        actor=actor,
        action="voucher.issued",
        obj=voucher,
        to_state=voucher.state,
        data={"amount_cents": amount_cents},
    )
    return voucher
