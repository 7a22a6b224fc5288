import json

from django.core.management.base import BaseCommand

from scholingsfonds.advising.services.notifications import conversation_reminders_enqueue


class Command(BaseCommand):
    help = (
        "Queue the reminders that are due (conversations tomorrow, from 09:00 today). "
        "Safe to run every hour: each reminder is sent once."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        self.stdout.write(json.dumps({"enqueued": conversation_reminders_enqueue()}))
