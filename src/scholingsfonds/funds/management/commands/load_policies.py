from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.services import policies_load


class Command(BaseCommand):
    help = "Load funds, policy versions (policies/*.toml), municipalities and occupations."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "policies"))

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            loaded = policies_load(directory=Path(options["dir"]))
        except DomainError as error:
            # Nothing was saved: the whole load is one transaction.
            raise CommandError(f"{error.message_nl}\n{error.message_en}") from error
        for version in loaded:
            self.stdout.write(f"{version.fund.name}: {version.version} ({version.source_file})")
