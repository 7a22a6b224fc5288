import json

from django.core.management.base import BaseCommand, CommandError

from scholingsfonds.budget.selectors import ledger_recount
from scholingsfonds.funds.models import Fund


class Command(BaseCommand):
    help = "Recompute every balance from the journal; exit 0 only when the ledger balances."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--fund", help="slug of one fund")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        fund = None
        if options["fund"]:
            fund = Fund.objects.filter(slug=options["fund"]).first()
            if fund is None:
                raise CommandError(f"unknown fund {options['fund']!r}")
        result = ledger_recount(fund=fund)
        self.stdout.write(json.dumps(result))
        if not result["balanced"]:
            raise SystemExit(1)
