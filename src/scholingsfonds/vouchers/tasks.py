"""Daily voucher work for the task worker: reminders before expiry, then expiry itself."""

from django.utils import timezone
from django_tasks import task

from scholingsfonds.vouchers.services.issuing import vouchers_expire
from scholingsfonds.vouchers.services.reminders import vouchers_remind


@task()
def expire_vouchers() -> int:
    return vouchers_expire(today=timezone.localdate())


@task()
def remind_vouchers() -> int:
    return vouchers_remind(today=timezone.localdate())


@task()
def daily_voucher_work() -> dict[str, int]:
    """Run once a day: remind first (a voucher expiring today still gets its last notice)."""
    today = timezone.localdate()
    return {"reminded": vouchers_remind(today=today), "expired": vouchers_expire(today=today)}
