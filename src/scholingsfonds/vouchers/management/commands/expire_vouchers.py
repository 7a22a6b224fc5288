from django.core.management.base import BaseCommand
from django.utils import timezone

from scholingsfonds.vouchers.services.issuing import vouchers_expire
from scholingsfonds.vouchers.services.reminders import vouchers_remind


class Command(BaseCommand):
    help = "Send reminders before expiry, then expire vouchers past their validity (run daily)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        today = timezone.localdate()
        reminded = vouchers_remind(today=today)
        count = vouchers_expire(today=today)
        self.stdout.write(f"{reminded} vouchers reminded")
        self.stdout.write(f"{count} vouchers expired")
