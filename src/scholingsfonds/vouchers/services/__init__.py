"""The voucher from issue to redemption, one module per concept.

- `issuing`: a voucher comes with a grant and ends unused (release, cancel, expiry).
- `progress`: the provider's reports: start, completion, no-show.
- `invoices`: invoices and credit notes, finance's review, payment runs and payment.
- `recovery`: money a provider owes back.
- `reminders`: mails before a voucher that was never started expires.
- `_shared`: the row lock, the state move, the provider's and course's checks, settlement.

Every write locks the voucher row, checks the state table (domain/redemption.py), acts, posts
to the ledger through the budget services where money moves, and audits, in one transaction.

Other apps import the services from this package; the modules of this app import the module
that holds a service.
"""

from scholingsfonds.vouchers.services.invoices import (
    Upload,
    credit_note_submit,
    invoice_approve,
    invoice_mark_paid,
    invoice_reject,
    invoice_schedule,
    invoice_submit,
)
from scholingsfonds.vouchers.services.issuing import (
    RELEASE_STATES,
    add_months,
    voucher_cancel,
    voucher_code_new,
    voucher_issue,
    voucher_release,
    vouchers_expire,
)
from scholingsfonds.vouchers.services.progress import (
    voucher_confirm_start,
    voucher_report_completion,
    voucher_report_no_show,
)
from scholingsfonds.vouchers.services.recovery import recovery_create, recovery_settle
from scholingsfonds.vouchers.services.reminders import vouchers_remind

__all__ = [
    "RELEASE_STATES",
    "Upload",
    "add_months",
    "credit_note_submit",
    "invoice_approve",
    "invoice_mark_paid",
    "invoice_reject",
    "invoice_schedule",
    "invoice_submit",
    "recovery_create",
    "recovery_settle",
    "voucher_cancel",
    "voucher_code_new",
    "voucher_confirm_start",
    "voucher_issue",
    "voucher_release",
    "voucher_report_completion",
    "voucher_report_no_show",
    "vouchers_expire",
    "vouchers_remind",
]
