import json

from django.core.management.base import BaseCommand

from scholingsfonds.monitoring.services import outcome_surveys_dispatch


class Command(BaseCommand):
    help = "Send the outcome questionnaires that are due (6 and 12 months), remind, close."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        self.stdout.write(json.dumps(outcome_surveys_dispatch().as_dict()))
