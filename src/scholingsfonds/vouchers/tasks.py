"""Daily voucher work for the task worker."""

from django.utils import timezone
from django_tasks import task

from scholingsfonds.vouchers.services import vouchers_expire


@task()
def expire_vouchers() -> int:
    return vouchers_expire(today=timezone.localdate())
