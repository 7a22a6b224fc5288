from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from scholingsfonds.funds.services import policies_load


class Command(BaseCommand):
    help = "Load funds, policy versions (policies/*.toml), municipalities and occupations."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "policies"))

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        loaded = policies_load(directory=Path(options["dir"]))
        for version in loaded:
            self.stdout.write(f"{version.fund.name}: {version.version} ({version.source_file})")
