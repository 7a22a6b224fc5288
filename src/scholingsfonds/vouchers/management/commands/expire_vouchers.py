from django.core.management.base import BaseCommand
from django.utils import timezone

from scholingsfonds.vouchers.services import vouchers_expire


class Command(BaseCommand):
    help = "Expire vouchers past their validity and release their money (run daily)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        count = vouchers_expire(today=timezone.localdate())
        self.stdout.write(f"{count} vouchers expired")
