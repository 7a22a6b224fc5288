import json

from django.core.management.base import BaseCommand

from scholingsfonds.monitoring.refresh import monitoring_refresh, rebuild, verify


class Command(BaseCommand):
    help = (
        "Bring the dashboard's aggregates up to date from the audit log and the journal; "
        "--rebuild recounts everything, --verify compares the aggregates with a full recount."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--rebuild", action="store_true", help="recount from the base tables")
        parser.add_argument(
            "--verify", action="store_true", help="check the aggregates against a full recount"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["verify"]:
            monitoring_refresh()
            problems = verify()
            self.stdout.write(json.dumps({"exact": not problems, "problems": problems[:50]}))
            if problems:
                raise SystemExit(1)
            return
        result = rebuild() if options["rebuild"] else monitoring_refresh()
        self.stdout.write(json.dumps(result.as_dict()))
